//! OpenAI Chat Completions (`POST /v1/chat/completions`): model, messages, the params at top level,
//! tools as `{type: function, function: …}`, tool_choice, response_format as `json_schema`. Also the
//! shape OpenAI-compatible servers (Azure OpenAI, DeepSeek, xAI, Ollama) take.

use serde_json::{json, Map, Value};

use crate::model::params::{cap_name, is_reasoning_model, REFUSED_BY_REASONING_MODELS};

use super::{
    canonical, dropped, map_params, messages, model_name, params, parts, tool_declaration, Body,
};
use crate::model::{Prompt, ToolChoice, ToolChoiceMode};
use crate::render::{Content, MediaSource, Part, RenderError, Rendered};

/// Parameters `CreateChatCompletionRequest` defines, by canonical name (see `EQUIVALENTS`).
/// `model`, `messages`, `tools`, `tool_choice` and `response_format` come from the prompt itself.
const PARAMS: &[(&str, &str)] = &[
    ("audio", "audio"),
    ("frequency_penalty", "frequency_penalty"),
    ("function_call", "function_call"),
    ("functions", "functions"),
    ("logit_bias", "logit_bias"),
    ("logprobs", "logprobs"),
    ("max_tokens", "max_tokens"),
    ("metadata", "metadata"),
    ("modalities", "modalities"),
    ("moderation", "moderation"),
    ("n", "n"),
    ("parallel_tool_calls", "parallel_tool_calls"),
    ("prediction", "prediction"),
    ("presence_penalty", "presence_penalty"),
    ("prompt_cache_key", "prompt_cache_key"),
    ("prompt_cache_options", "prompt_cache_options"),
    ("prompt_cache_retention", "prompt_cache_retention"),
    ("reasoning_effort", "reasoning_effort"),
    ("safety_identifier", "safety_identifier"),
    ("seed", "seed"),
    ("service_tier", "service_tier"),
    ("stop", "stop"),
    ("store", "store"),
    ("stream", "stream"),
    ("stream_options", "stream_options"),
    ("temperature", "temperature"),
    ("top_logprobs", "top_logprobs"),
    ("top_p", "top_p"),
    ("user", "user"),
    ("verbosity", "verbosity"),
    ("web_search_options", "web_search_options"),
];

/// Request fields the prompt itself sets; a parameter of that name is left out.
const OWN_FIELDS: &[&str] = &[
    "model",
    "messages",
    "tools",
    "tool_choice",
    "response_format",
];

/// The request body.
pub fn body(prompt: &Prompt, rendered: &Rendered) -> Result<Body, RenderError> {
    let mut warnings = Vec::new();
    let mut body = Map::new();
    body.insert("model".into(), model_name(prompt, "openai")?.into());
    let mut list = Vec::new();
    for m in messages(rendered, "openai", &mut warnings) {
        let mut obj = Map::new();
        obj.insert("role".into(), m.role.as_str().into());
        if let Some(n) = &m.name {
            obj.insert("name".into(), n.clone().into());
        }
        let content = match &m.content {
            Content::Text(t) => Value::String(t.clone()),
            Content::Parts(_) => Value::Array(
                parts(&m.content)
                    .iter()
                    .map(part)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        obj.insert("content".into(), content);
        for (k, v) in &m.extra {
            obj.insert(k.clone(), v.clone());
        }
        list.push(Value::Object(obj));
    }
    body.insert("messages".into(), Value::Array(list));
    let mut own = Vec::new();
    let mut given = params(prompt);
    given.retain(|k, _| {
        let set_by_prompt = OWN_FIELDS.contains(&k.as_str());
        if set_by_prompt {
            own.push(k.clone());
        }
        !set_by_prompt
    });
    for k in own {
        warnings.push(format!(
            "openai: parameter `{k}` is set by the prompt itself; left out"
        ));
    }
    let unknown = map_params("openai", &given, PARAMS, &mut body, &mut warnings);
    warnings.extend(dropped("openai", &unknown));
    let model = body["model"].as_str().unwrap_or_default().to_string();
    if let Some(cap) = body.remove("max_tokens") {
        // Reasoning models take only `max_completion_tokens`; others take both names, and get
        // the one the prompt used (an OpenAI-compatible server may know only `max_tokens`).
        let used = given
            .keys()
            .rev()
            .find(|k| matches!(canonical(k), "max_tokens" | "max_completion_tokens"))
            .map(String::as_str);
        let name = match used {
            Some("max_completion_tokens") => "max_completion_tokens",
            _ => cap_name(&model),
        };
        body.insert(name.into(), cap);
    }
    if is_reasoning_model(&model) {
        warnings.extend(drop_sampling(&model, &mut body));
    }
    if !prompt.tools.is_empty() {
        let tools: Vec<Value> = prompt
            .tools
            .iter()
            .map(|t| {
                let mut f = tool_declaration(t, "parameters", false);
                if let Some(strict) = t.strict {
                    f.insert("strict".into(), strict.into());
                }
                json!({"type": "function", "function": f})
            })
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    if let Some(choice) = &prompt.tool_choice {
        body.insert(
            "tool_choice".into(),
            match choice {
                ToolChoice::Mode(mode) => mode_name(*mode).into(),
                ToolChoice::Named { name } => {
                    json!({"type": "function", "function": {"name": name}})
                }
            },
        );
    }
    if let Some(rf) = &prompt.response_format {
        let mut schema = Map::new();
        schema.insert("name".into(), rf.name.clone().into());
        if let Some(d) = &rf.description {
            schema.insert("description".into(), d.clone().into());
        }
        schema.insert("schema".into(), rf.schema.clone());
        if let Some(s) = rf.strict {
            schema.insert("strict".into(), s.into());
        }
        body.insert(
            "response_format".into(),
            json!({"type": "json_schema", "json_schema": schema}),
        );
    }
    Ok((Value::Object(body), warnings))
}

/// A `tool_choice` mode as both OpenAI APIs (Chat Completions and Responses) spell it.
pub(super) fn mode_name(mode: ToolChoiceMode) -> &'static str {
    match mode {
        ToolChoiceMode::Auto => "auto",
        ToolChoiceMode::None => "none",
        ToolChoiceMode::Required => "required",
    }
}

/// Takes the parameters a reasoning model refuses out of `body`, with a warning naming them.
/// With `reasoning_effort: none` (gpt-5.1 and later reason not at all) they are kept.
pub(super) fn drop_sampling(model: &str, body: &mut Map<String, Value>) -> Option<String> {
    if body.get("reasoning_effort").and_then(Value::as_str) == Some("none") {
        return None;
    }
    let left: Vec<&str> = REFUSED_BY_REASONING_MODELS
        .iter()
        .copied()
        .filter(|k| body.remove(*k).is_some())
        .collect();
    (!left.is_empty()).then(|| {
        format!(
            "openai: `{model}` is a reasoning model, which does not take {}; left out",
            left.join(", ")
        )
    })
}

fn part(p: &Part) -> Result<Value, RenderError> {
    Ok(match p {
        Part::Text(t) => json!({"type": "text", "text": t}),
        Part::Image(m) => {
            let url = match &m.source {
                MediaSource::Url(u) => u.clone(),
                MediaSource::Inline { data, .. } => format!("data:{};base64,{data}", m.mime),
            };
            json!({"type": "image_url", "image_url": {"url": url}})
        }
        Part::Audio(m) => {
            let data = m.base64().ok_or_else(|| RenderError::Provider {
                provider: "openai".into(),
                message: "audio must be a local file or a data: URL (the API takes base64 audio, not links)".into(),
            })?;
            let format = match m.format() {
                "mpeg" | "mp3" => "mp3",
                other => other,
            };
            json!({"type": "input_audio", "input_audio": {"data": data, "format": format}})
        }
    })
}
