//! Google Gemini `generateContent` (`POST /v1beta/models/{model}:generateContent`): `contents` with
//! `parts`, `systemInstruction`, `tools[].functionDeclarations`, `toolConfig`, `generationConfig`.
//! The model is part of the URL, not the body. Schemas are passed as JSON Schema
//! (`parametersJsonSchema`, `responseJsonSchema`), which is what prompt files hold.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::{
    canonical, dropped, map_params, messages, params, parts, split_system, tool_call_id,
    tool_calls, tool_declaration, unheld_response_fields, Body,
};
use crate::model::{Prompt, Role, ToolChoice, ToolChoiceMode};
use crate::render::{MediaSource, Part, RenderError, Rendered};

/// `generationConfig` fields (google-genai's `GenerationConfig`), by canonical name (see
/// `EQUIVALENTS`).
const PARAMS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("top_p", "topP"),
    ("top_k", "topK"),
    ("max_tokens", "maxOutputTokens"),
    ("stop", "stopSequences"),
    ("presence_penalty", "presencePenalty"),
    ("frequency_penalty", "frequencyPenalty"),
    ("seed", "seed"),
    ("n", "candidateCount"),
    ("thinking_config", "thinkingConfig"),
    ("response_logprobs", "responseLogprobs"),
    ("logprobs", "logprobs"),
    ("response_mime_type", "responseMimeType"),
    ("response_modalities", "responseModalities"),
    ("media_resolution", "mediaResolution"),
    ("speech_config", "speechConfig"),
];

/// Parameters that are top-level fields of the `generateContent` request rather than
/// `generationConfig` members: the documented place for what only Gemini has (docs/providers.md).
const TOP_LEVEL: &[(&str, &str)] = &[
    ("safety_settings", "safetySettings"),
    ("cached_content", "cachedContent"),
];

/// The request body.
pub fn body(prompt: &Prompt, rendered: &Rendered) -> Result<Body, RenderError> {
    let mut warnings = Vec::new();
    let mut body = Map::new();
    let (system, conversation) = split_system(messages(rendered, "gemini", &mut warnings));
    let mut contents = Vec::new();
    // Gemini answers a call by the function's name: remember the names by call id.
    let mut called: Vec<(Value, Value)> = Vec::new();
    for m in conversation {
        if m.role == Role::Tool {
            let id = tool_call_id(&m);
            let name = called
                .iter()
                .find(|(i, _)| *i == id)
                .map_or(Value::Null, |(_, n)| n.clone());
            let mut response = Map::new();
            response.insert("name".into(), name);
            if !id.is_null() {
                response.insert("id".into(), id);
            }
            response.insert("response".into(), json!({"output": m.content.text()}));
            let part = json!({ "functionResponse": response });
            // The responses to one turn's calls are the parts of one content, as many as there
            // were calls: the API refuses them spread over several contents.
            let last = contents.last_mut().filter(|c: &&mut Value| {
                c["parts"].as_array().is_some_and(|p| {
                    !p.is_empty() && p.iter().all(|x| x.get("functionResponse").is_some())
                })
            });
            match last.and_then(|c| c["parts"].as_array_mut()) {
                Some(parts) => parts.push(part),
                None => contents.push(json!({"role": "user", "parts": [part]})),
            }
            continue;
        }
        let role = match m.role {
            Role::Assistant => "model",
            _ => "user",
        };
        let mut list = Vec::new();
        for p in parts(&m.content) {
            list.push(match p {
                Part::Text(t) if t.is_empty() => continue,
                Part::Text(t) => json!({"text": t}),
                Part::Image(media) | Part::Audio(media) => match (&media.source, media.base64()) {
                    (_, Some(data)) => {
                        json!({"inlineData": {"mimeType": media.mime, "data": data}})
                    }
                    (MediaSource::Url(u), None) => {
                        json!({"fileData": {"mimeType": media.mime, "fileUri": u}})
                    }
                    (MediaSource::Inline { .. }, None) => unreachable!("inline media has data"),
                },
            });
        }
        for call in tool_calls(&m) {
            let mut f = Map::new();
            if !call.id.is_null() {
                f.insert("id".into(), call.id.clone());
            }
            f.insert("name".into(), call.name.clone());
            f.insert("args".into(), call.input);
            called.push((call.id, call.name));
            list.push(json!({ "functionCall": f }));
        }
        contents.push(json!({"role": role, "parts": list}));
    }
    body.insert("contents".into(), Value::Array(contents));
    if let Some(s) = system {
        body.insert("systemInstruction".into(), json!({"parts": [{"text": s}]}));
    }
    if !prompt.tools.is_empty() {
        let decls: Vec<Value> = prompt
            .tools
            .iter()
            .map(|t| Value::Object(tool_declaration(t, "parametersJsonSchema", false)))
            .collect();
        body.insert("tools".into(), json!([{"functionDeclarations": decls}]));
        let strict: Vec<&str> = prompt
            .tools
            .iter()
            .filter(|t| t.strict.is_some())
            .map(|t| t.name.as_str())
            .collect();
        if !strict.is_empty() {
            warnings.push(format!(
                "gemini: a function declaration has no `strict`; left out for {}",
                strict.join(", ")
            ));
        }
    }
    if let Some(choice) = &prompt.tool_choice {
        let config = match choice {
            ToolChoice::Mode(ToolChoiceMode::Auto) => json!({"mode": "AUTO"}),
            ToolChoice::Mode(ToolChoiceMode::None) => json!({"mode": "NONE"}),
            ToolChoice::Mode(ToolChoiceMode::Required) => json!({"mode": "ANY"}),
            ToolChoice::Named { name } => json!({"mode": "ANY", "allowedFunctionNames": [name]}),
        };
        body.insert(
            "toolConfig".into(),
            json!({"functionCallingConfig": config}),
        );
    }
    let mut generation = Map::new();
    let (top, rest): (IndexMap<String, Value>, IndexMap<String, Value>) = params(prompt)
        .into_iter()
        .partition(|(k, _)| TOP_LEVEL.iter().any(|(ours, _)| *ours == canonical(k)));
    map_params("gemini", &top, TOP_LEVEL, &mut body, &mut warnings);
    let unknown = map_params("gemini", &rest, PARAMS, &mut generation, &mut warnings);
    warnings.extend(dropped("gemini", &unknown));
    if let Some(rf) = &prompt.response_format {
        warnings.extend(unheld_response_fields("gemini", rf, false));
        if let Some(other) = generation
            .get("responseMimeType")
            .filter(|m| *m != "application/json")
        {
            warnings.push(format!(
                "gemini: response_format needs responseMimeType application/json; {other} was \
                 replaced"
            ));
        }
        generation.insert("responseMimeType".into(), "application/json".into());
        generation.insert("responseJsonSchema".into(), rf.schema.clone());
    }
    if !generation.is_empty() {
        body.insert("generationConfig".into(), Value::Object(generation));
    }
    Ok((Value::Object(body), warnings))
}
