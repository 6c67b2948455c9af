//! Provider request bodies (SPEC §9): the rendered prompt shaped as each API's request, ready for
//! `curl -d @-`. Each module follows its provider's published request reference; what a provider
//! cannot hold is returned as a warning, never dropped silently.

pub mod anthropic;
pub mod bedrock;
pub mod gemini;
pub mod openai;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{Content, Message, Part, RenderError};
use crate::model::{Prompt, Role, Tool};

/// A body and what could not be put in it.
pub type Body = (Value, Vec<String>);

/// A tool as `{name, description, <schema_key>: parameters}`, the shape every provider starts
/// from. Providers that require a schema get an empty object schema when the tool has none.
fn tool_declaration(tool: &Tool, schema_key: &str, require_schema: bool) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("name".into(), tool.name.clone().into());
    if let Some(d) = &tool.description {
        o.insert("description".into(), d.clone().into());
    }
    let schema = match (&tool.parameters, require_schema) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some(serde_json::json!({"type": "object", "properties": {}})),
        (None, false) => None,
    };
    if let Some(schema) = schema {
        o.insert(schema_key.into(), schema);
    }
    o
}

/// The model's invocation parameters (empty without a model).
fn params(prompt: &Prompt) -> IndexMap<String, Value> {
    prompt
        .model
        .as_ref()
        .map(|m| m.params.clone())
        .unwrap_or_default()
}

/// The model name, required by providers that take it in the body.
fn model_name(prompt: &Prompt, provider: &str) -> Result<String, RenderError> {
    prompt
        .model
        .as_ref()
        .map(|m| m.name.clone())
        .ok_or_else(|| RenderError::Provider {
            provider: provider.into(),
            message: "the prompt has no `model` (set model.provider and model.name)".into(),
        })
}

/// The chat messages of a rendered prompt; a text prompt is one user message.
fn messages(rendered: &super::Rendered) -> Vec<Message> {
    match rendered {
        super::Rendered::Chat(m) => m.clone(),
        super::Rendered::Text(t) => vec![Message {
            role: Role::User,
            name: None,
            content: Content::Text(t.clone()),
            extra: serde_json::Map::new(),
        }],
    }
}

/// Splits system and developer messages (joined by a blank line) from the conversation, for
/// providers that take the system prompt outside the message list.
fn split_system(messages: Vec<Message>) -> (Option<String>, Vec<Message>) {
    let mut system = Vec::new();
    let mut rest = Vec::new();
    for m in messages {
        if matches!(m.role, Role::System | Role::Developer) {
            system.push(m.content.text());
        } else {
            rest.push(m);
        }
    }
    let system = (!system.is_empty()).then(|| system.join("\n\n"));
    (system, rest)
}

/// Parts of a content, a text content being one text part.
fn parts(content: &Content) -> Vec<Part> {
    match content {
        Content::Text(t) => vec![Part::Text(t.clone())],
        Content::Parts(p) => p.clone(),
    }
}

/// Moves recognised parameters into `target` under their provider names; returns the names of the
/// ones the provider does not take.
fn map_params(
    params: &IndexMap<String, Value>,
    names: &[(&str, &str)],
    target: &mut serde_json::Map<String, Value>,
) -> Vec<String> {
    let mut unknown = Vec::new();
    for (key, value) in params {
        match names.iter().find(|(ours, _)| ours == key) {
            Some((_, theirs)) => {
                let v = if *theirs == "stopSequences" || *theirs == "stop_sequences" {
                    match value {
                        Value::String(s) => Value::Array(vec![Value::String(s.clone())]),
                        other => other.clone(),
                    }
                } else {
                    value.clone()
                };
                target.insert(theirs.to_string(), v);
            }
            None => unknown.push(key.clone()),
        }
    }
    unknown
}

fn dropped(provider: &str, what: &[String]) -> Option<String> {
    (!what.is_empty()).then(|| {
        format!(
            "{provider}: left out parameters the API does not take: {}",
            what.join(", ")
        )
    })
}

#[cfg(test)]
mod tests;
