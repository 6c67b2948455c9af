//! Anthropic Messages (`POST /v1/messages`): `system` outside the messages, `max_tokens` required,
//! tools with `input_schema`, images as `{type: image, source: …}` blocks.

use serde_json::{json, Map, Value};

use super::{
    dropped, map_params, messages, model_name, params, parts, split_system, tool_call_id,
    tool_calls, tool_declaration, unheld_response_fields, Body,
};
use crate::model::{Prompt, Role, ToolChoice, ToolChoiceMode};
use crate::render::{Content, MediaSource, Part, RenderError, Rendered};

/// Parameters `MessageCreateParams` defines besides the ones the prompt sets, by canonical name
/// (see `EQUIVALENTS`). The SDK's definition has no `temperature`, `top_p` or `top_k`: they are
/// left out with a warning.
const PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "max_tokens"),
    ("stop", "stop_sequences"),
    ("metadata", "metadata"),
    ("thinking", "thinking"),
    ("service_tier", "service_tier"),
    ("stream", "stream"),
    ("container", "container"),
    ("inference_geo", "inference_geo"),
    ("speed", "speed"),
    ("cache_control", "cache_control"),
    ("output_config", "output_config"),
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
    let mut warnings = Vec::new();
    let unknown = map_params(
        "anthropic",
        &params(prompt),
        PARAMS,
        &mut rest,
        &mut warnings,
    );
    warnings.extend(dropped("anthropic", &unknown));
    let max_tokens = rest
        .remove("max_tokens")
        .ok_or_else(|| provider_error("`max_tokens` is required: set it in model.params"))?;
    body.insert("max_tokens".into(), max_tokens);
    let (system, conversation) = split_system(messages(rendered, "anthropic", &mut warnings));
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
            let result = json!({"type": "tool_result", "tool_use_id": tool_call_id(&m),
                                "content": m.content.text()});
            // Every result of one assistant turn's calls goes in the next single user message:
            // the API refuses a tool_use whose result is not in the message right after it.
            if let Some(turn) = list.last_mut().filter(|l| holds_only_tool_results(l)) {
                if let Some(content) = turn["content"].as_array_mut() {
                    content.push(result);
                    continue;
                }
            }
            blocks.push(result);
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
            for call in tool_calls(&m) {
                blocks.push(json!({
                    "type": "tool_use",
                    "id": call.id,
                    "name": call.name,
                    "input": call.input,
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
            .map(|t| {
                let mut tool = tool_declaration(t, "input_schema", true);
                if let Some(strict) = t.strict {
                    tool.insert("strict".into(), strict.into());
                }
                Value::Object(tool)
            })
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
    if let Some(rf) = &prompt.response_format {
        // Native structured output: `output_config.format`, beside any `effort` from params.
        let mut config = match rest.remove("output_config") {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        config.insert(
            "format".into(),
            json!({"type": "json_schema", "schema": rf.schema}),
        );
        rest.insert("output_config".into(), Value::Object(config));
        warnings.extend(unheld_response_fields("anthropic", rf, false));
    }
    for (k, v) in rest {
        body.insert(k, v);
    }
    Ok((Value::Object(body), warnings))
}

/// Whether `message` is a user message of tool results only (where the next result joins).
fn holds_only_tool_results(message: &Value) -> bool {
    message["role"] == "user"
        && message["content"]
            .as_array()
            .is_some_and(|c| !c.is_empty() && c.iter().all(|b| b["type"] == "tool_result"))
}
