//! Provider request bodies (contract §9): the rendered prompt shaped as each API's request, ready
//! for `curl -d @-`. Each module follows its provider's published request reference; what a
//! provider cannot hold is returned as a warning, never dropped silently.

pub mod anthropic;
pub mod bedrock;
pub mod gemini;
pub mod openai;
pub mod openai_responses;

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

/// The chat messages of a rendered prompt; a text prompt is one user message. No provider's
/// system prompt holds media, so an image or audio part of a system or developer message is
/// moved to the start of the first user message after it (a new user message when there is
/// none), with a warning: never dropped silently (`check` says so too).
fn messages(
    rendered: &super::Rendered,
    provider: &str,
    warnings: &mut Vec<String>,
) -> Vec<Message> {
    let mut list = plain_messages(rendered);
    let mut i = 0;
    while i < list.len() {
        let moved = take_system_media(&mut list[i]);
        if !moved.is_empty() {
            warnings.push(format!(
                "{provider}: a {} message cannot hold an image or audio; moved to the first user \
                 message after it",
                list[i].role.as_str()
            ));
            match list[i + 1..].iter().position(|m| m.role == Role::User) {
                Some(at) => {
                    let user = &mut list[i + 1 + at];
                    let mut content = moved;
                    content.extend(parts(&user.content));
                    user.content = Content::Parts(content);
                }
                None => {
                    let after = i
                        + 1
                        + list[i + 1..]
                            .iter()
                            .take_while(|m| matches!(m.role, Role::System | Role::Developer))
                            .count();
                    list.insert(
                        after,
                        Message {
                            role: Role::User,
                            name: None,
                            content: Content::Parts(moved),
                            extra: Map::new(),
                        },
                    );
                }
            }
        }
        i += 1;
    }
    list
}

/// Removes the media parts of a system or developer message and returns them.
fn take_system_media(m: &mut Message) -> Vec<Part> {
    if !matches!(m.role, Role::System | Role::Developer) {
        return Vec::new();
    }
    let Content::Parts(all) = &mut m.content else {
        return Vec::new();
    };
    let (media, text): (Vec<Part>, Vec<Part>) = std::mem::take(all)
        .into_iter()
        .partition(|p| !matches!(p, Part::Text(_)));
    *all = text;
    media
}

/// The messages as rendered.
fn plain_messages(rendered: &super::Rendered) -> Vec<Message> {
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

/// A tool call an assistant history message carried (OpenAI's `tool_calls` shape).
struct ToolCall {
    id: Value,
    name: Value,
    /// The arguments, parsed from their JSON text (an object; `{}` when unparsable).
    input: Value,
}

/// The tool calls of a history message.
fn tool_calls(m: &Message) -> Vec<ToolCall> {
    m.extra
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|call| {
            let args = call
                .pointer("/function/arguments")
                .and_then(Value::as_str)
                .unwrap_or("{}");
            ToolCall {
                id: call.get("id").cloned().unwrap_or(Value::Null),
                name: call
                    .pointer("/function/name")
                    .cloned()
                    .unwrap_or(Value::Null),
                input: serde_json::from_str::<Value>(args)
                    .ok()
                    .filter(Value::is_object)
                    .unwrap_or_else(|| Value::Object(Map::new())),
            }
        })
        .collect()
}

/// The id of the call a tool message answers.
fn tool_call_id(m: &Message) -> Value {
    m.extra.get("tool_call_id").cloned().unwrap_or(Value::Null)
}

pub use crate::model::params::canonical;

/// Moves the parameters a provider defines into `target` under the provider's names
/// (`names` pairs a canonical name with the provider's); returns the ones it does not define.
/// Where two spellings of one parameter are both set, the later one wins with a warning.
fn map_params(
    provider: &str,
    params: &IndexMap<String, Value>,
    names: &[(&str, &str)],
    target: &mut Map<String, Value>,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut from: Vec<(&str, &str)> = Vec::new();
    for (key, value) in params {
        // OpenAI's two names of the output cap are one parameter to every provider; the OpenAI
        // body picks the name the model family takes (`openai::cap_name`).
        let ours = match canonical(key) {
            "max_completion_tokens" => "max_tokens",
            other => other,
        };
        let Some((_, theirs)) = names.iter().find(|(name, _)| *name == ours) else {
            unknown.push(key.clone());
            continue;
        };
        let v = match value {
            // Only OpenAI's `stop` takes a single string; the others take a list.
            Value::String(s) if ours == "stop" && *theirs != "stop" => {
                Value::Array(vec![Value::String(s.clone())])
            }
            other => other.clone(),
        };
        if let Some((earlier, _)) = from.iter().find(|(_, t)| t == theirs) {
            warnings.push(format!(
                "{provider}: `{earlier}` and `{key}` are the same parameter (`{theirs}`); `{key}` was used"
            ));
        }
        from.push((key.as_str(), theirs));
        target.insert(theirs.to_string(), v);
    }
    unknown
}

/// The warning for parameters left out of a body.
fn dropped(provider: &str, what: &[String]) -> Option<String> {
    (!what.is_empty()).then(|| {
        format!(
            "{provider}: left out parameters the request does not define: {}",
            what.join(", ")
        )
    })
}

/// The response format's fields a provider's native structured output has no place for.
fn unheld_response_fields(
    provider: &str,
    rf: &crate::model::ResponseFormat,
    holds_description: bool,
) -> Option<String> {
    let mut lost = Vec::new();
    if rf.description.is_some() && !holds_description {
        lost.push("description");
    }
    if rf.strict.is_some() {
        lost.push("strict");
    }
    (!lost.is_empty()).then(|| {
        format!(
            "{provider}: response_format {} has no place in the request; left out",
            lost.join(" and ")
        )
    })
}

#[cfg(test)]
mod tests;
