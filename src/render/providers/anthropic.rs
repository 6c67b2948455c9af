//! Anthropic Messages (`POST /v1/messages`): `system` outside the messages, `max_tokens` required,
//! tools with `input_schema`, images as `{type: image, source: …}` blocks.

use serde_json::{json, Map, Value};

use super::{
    dropped, map_params, messages, model_name, params, parts, split_system, tool_declaration, Body,
};
use crate::model::{Prompt, Role, ToolChoice, ToolChoiceMode};
use crate::render::{Content, MediaSource, Part, RenderError, Rendered};

/// Parameters the Messages API takes, by our name.
const PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "max_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("top_k", "top_k"),
    ("stop", "stop_sequences"),
    ("stop_sequences", "stop_sequences"),
    ("metadata", "metadata"),
    ("thinking", "thinking"),
    ("service_tier", "service_tier"),
    ("stream", "stream"),
];

/// The request body.
pub fn body(prompt: &Prompt, rendered: &Rendered) -> Result<Body, RenderError> {
    let provider_error = |message: &str| RenderError::Provider {
        provider: "anthropic".into(),
        message: message.into(),
    };
    let mut body = Map::new();
    body.insert("model".into(), model_name(prompt, "anthropic")?.into());
    let mut rest = Map::new();
    let unknown = map_params(&params(prompt), PARAMS, &mut rest);
    let mut warnings: Vec<String> = dropped("anthropic", &unknown).into_iter().collect();
    let max_tokens = rest
        .remove("max_tokens")
        .ok_or_else(|| provider_error("`max_tokens` is required: set it in model.params"))?;
    body.insert("max_tokens".into(), max_tokens);
    let (system, conversation) = split_system(messages(rendered));
    if let Some(s) = system {
        body.insert("system".into(), s.into());
    }
    let mut list = Vec::new();
    for m in conversation {
        let role = match m.role {
            Role::Assistant => "assistant",
            _ => "user",
        };
        let mut blocks = Vec::new();
        if m.role == Role::Tool {
            let id = m.extra.get("tool_call_id").cloned().unwrap_or(Value::Null);
            blocks.push(
                json!({"type": "tool_result", "tool_use_id": id, "content": m.content.text()}),
            );
        } else {
            for p in parts(&m.content) {
                match p {
                    Part::Text(t) if t.is_empty() => {}
                    Part::Text(t) => blocks.push(json!({"type": "text", "text": t})),
                    Part::Image(media) => {
                        let source = match (&media.source, media.base64()) {
                            (_, Some(data)) => {
                                json!({"type": "base64", "media_type": media.mime, "data": data})
                            }
                            (MediaSource::Url(u), None) => json!({"type": "url", "url": u}),
                            (MediaSource::Inline { .. }, None) => {
                                unreachable!("inline media has data")
                            }
                        };
                        blocks.push(json!({"type": "image", "source": source}));
                    }
                    Part::Audio(_) => {
                        return Err(provider_error("the Messages API does not take audio input"))
                    }
                }
            }
            for call in m
                .extra
                .get("tool_calls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let args = call
                    .pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .unwrap_or("{}");
                blocks.push(json!({
                    "type": "tool_use",
                    "id": call.get("id").cloned().unwrap_or(Value::Null),
                    "name": call.pointer("/function/name").cloned().unwrap_or(Value::Null),
                    "input": serde_json::from_str::<Value>(args).unwrap_or(json!({})),
                }));
            }
        }
        let content = match (&m.content, blocks.as_slice()) {
            (Content::Text(t), [_]) if m.role != Role::Tool && m.extra.is_empty() => {
                Value::String(t.clone())
            }
            _ => Value::Array(blocks),
        };
        list.push(json!({"role": role, "content": content}));
    }
    body.insert("messages".into(), Value::Array(list));
    if !prompt.tools.is_empty() {
        let tools: Vec<Value> = prompt
            .tools
            .iter()
            .map(|t| Value::Object(tool_declaration(t, "input_schema", true)))
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    if let Some(choice) = &prompt.tool_choice {
        body.insert(
            "tool_choice".into(),
            match choice {
                ToolChoice::Mode(ToolChoiceMode::Auto) => json!({"type": "auto"}),
                ToolChoice::Mode(ToolChoiceMode::None) => json!({"type": "none"}),
                ToolChoice::Mode(ToolChoiceMode::Required) => json!({"type": "any"}),
                ToolChoice::Named { name } => json!({"type": "tool", "name": name}),
            },
        );
    }
    if prompt.response_format.is_some() {
        warnings.push(
            "anthropic: the Messages request has no response_format; the schema was left out \
             (a tool with that input_schema and tool_choice {name: …} forces structured output)"
                .into(),
        );
    }
    for (k, v) in rest {
        body.insert(k, v);
    }
    Ok((Value::Object(body), warnings))
}
