//! OpenAI Responses (`POST /v1/responses`): `input` items (messages with `input_text` and
//! `input_image` parts, `function_call` and `function_call_output` items), function tools
//! flattened (`{type: function, name, parameters, strict}`), `text.format` for structured output,
//! `max_output_tokens`, `reasoning.effort`, `text.verbosity`. Validated against `CreateResponse`
//! of OpenAI's published OpenAPI description.

use serde_json::{json, Map, Value};

use super::openai::{drop_sampling, mode_name};
use super::{
    dropped, map_params, messages, model_name, params, parts, tool_call_id, tool_calls,
    tool_declaration, Body,
};
use crate::model::params::is_reasoning_model;
use crate::model::{Prompt, Role, ToolChoice};
use crate::render::{Content, MediaSource, Part, RenderError, Rendered};

/// Top-level parameters `CreateResponse` defines, by canonical name (see `EQUIVALENTS`).
/// `reasoning_effort` and `verbosity` go inside `reasoning` and `text`; `stop` has no place.
const PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "max_output_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("top_logprobs", "top_logprobs"),
    ("metadata", "metadata"),
    ("user", "user"),
    ("safety_identifier", "safety_identifier"),
    ("prompt_cache_key", "prompt_cache_key"),
    ("prompt_cache_retention", "prompt_cache_retention"),
    ("prompt_cache_options", "prompt_cache_options"),
    ("previous_response_id", "previous_response_id"),
    ("background", "background"),
    ("max_tool_calls", "max_tool_calls"),
    ("parallel_tool_calls", "parallel_tool_calls"),
    ("service_tier", "service_tier"),
    ("store", "store"),
    ("stream", "stream"),
    ("stream_options", "stream_options"),
    ("truncation", "truncation"),
    ("include", "include"),
    ("instructions", "instructions"),
    ("reasoning", "reasoning"),
    ("text", "text"),
    ("moderation", "moderation"),
    ("conversation", "conversation"),
    ("context_management", "context_management"),
];

/// The request body.
pub fn body(prompt: &Prompt, rendered: &Rendered) -> Result<Body, RenderError> {
    let provider_error = |message: &str| RenderError::Provider {
        provider: "openai-responses".into(),
        message: message.into(),
    };
    let mut warnings = Vec::new();
    let mut body = Map::new();
    let model = model_name(prompt, "openai-responses")?;
    body.insert("model".into(), model.clone().into());
    let mut input = Vec::new();
    for m in messages(rendered, "openai-responses", &mut warnings) {
        if m.role == Role::Tool {
            input.push(json!({
                "type": "function_call_output",
                "call_id": tool_call_id(&m),
                "output": m.content.text(),
            }));
            continue;
        }
        let role = match m.role {
            Role::Tool => unreachable!("handled above"),
            other => other.as_str(),
        };
        let content = match (&m.content, m.role) {
            (Content::Text(t), _) => Some(Value::String(t.clone())),
            // An assistant's earlier answer is its text (the API takes a plain string there).
            (Content::Parts(_), Role::Assistant) => Some(Value::String(m.content.text())),
            (Content::Parts(_), _) => {
                let mut list = Vec::new();
                for p in parts(&m.content) {
                    list.push(match p {
                        Part::Text(t) => json!({"type": "input_text", "text": t}),
                        Part::Image(media) => {
                            let url = match &media.source {
                                MediaSource::Url(u) => u.clone(),
                                MediaSource::Inline { data, .. } => {
                                    format!("data:{};base64,{data}", media.mime)
                                }
                            };
                            json!({"type": "input_image", "image_url": url, "detail": "auto"})
                        }
                        Part::Audio(_) => {
                            return Err(provider_error(
                                "the Responses API takes no audio input (use --format openai)",
                            ))
                        }
                    });
                }
                Some(Value::Array(list))
            }
        };
        let calls = tool_calls(&m);
        let empty = content
            .as_ref()
            .is_some_and(|c| c.as_str() == Some("") || c.as_array().is_some_and(Vec::is_empty));
        if let Some(content) = content.filter(|_| !empty || calls.is_empty()) {
            input.push(json!({"role": role, "content": content}));
        }
        if m.name.is_some() {
            warnings.push(
                "openai-responses: an input message has no participant `name`; left out".into(),
            );
        }
        for call in calls {
            input.push(json!({
                "type": "function_call",
                "call_id": call.id,
                "name": call.name,
                "arguments": call.input.to_string(),
            }));
        }
    }
    body.insert("input".into(), Value::Array(input));

    let mut given = params(prompt);
    let effort = given.shift_remove("reasoning_effort");
    let verbosity = given.shift_remove("verbosity");
    let mut rest = Map::new();
    let unknown = map_params("openai-responses", &given, PARAMS, &mut rest, &mut warnings);
    warnings.extend(dropped("openai-responses", &unknown));
    if is_reasoning_model(&model) {
        let mut probe = rest.clone();
        if let Some(e) = &effort {
            probe.insert("reasoning_effort".into(), e.clone());
        }
        if let Some(w) = drop_sampling(&model, &mut probe) {
            rest.retain(|k, _| probe.contains_key(k));
            warnings.push(w.replacen("openai:", "openai-responses:", 1));
        }
    }
    if let Some(effort) = effort {
        let mut reasoning = match rest.remove("reasoning") {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        reasoning.insert("effort".into(), effort);
        rest.insert("reasoning".into(), Value::Object(reasoning));
    }
    let mut text = match rest.remove("text") {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    if let Some(v) = verbosity {
        text.insert("verbosity".into(), v);
    }
    if let Some(rf) = &prompt.response_format {
        let mut format = Map::new();
        format.insert("type".into(), "json_schema".into());
        format.insert("name".into(), rf.name.clone().into());
        if let Some(d) = &rf.description {
            format.insert("description".into(), d.clone().into());
        }
        format.insert("schema".into(), rf.schema.clone());
        if let Some(s) = rf.strict {
            format.insert("strict".into(), s.into());
        }
        text.insert("format".into(), Value::Object(format));
    }
    if !text.is_empty() {
        rest.insert("text".into(), Value::Object(text));
    }
    for (k, v) in rest {
        body.insert(k, v);
    }
    if !prompt.tools.is_empty() {
        let tools: Vec<Value> = prompt
            .tools
            .iter()
            .map(|t| {
                // `parameters` and `strict` are required here, and strict defaults to true on
                // this API: a tool that does not say is sent as not strict, as chat sends it.
                let mut f = Map::new();
                f.insert("type".into(), "function".into());
                f.extend(tool_declaration(t, "parameters", true));
                f.insert("strict".into(), t.strict.unwrap_or(false).into());
                Value::Object(f)
            })
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    if let Some(choice) = &prompt.tool_choice {
        body.insert(
            "tool_choice".into(),
            match choice {
                ToolChoice::Mode(mode) => mode_name(*mode).into(),
                ToolChoice::Named { name } => json!({"type": "function", "name": name}),
            },
        );
    }
    Ok((Value::Object(body), warnings))
}
