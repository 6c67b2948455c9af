//! Arize Phoenix prompts: `POST /v1/prompts` bodies (`{prompt, version}`) out, and create requests,
//! `GET /v1/prompts/{name}/latest` / `GET /v1/prompt_versions/{id}` (`{data: version}`) and
//! `GET /v1/prompts/{name}/versions` (`{data: [versions]}`) responses in.
//!
//! Phoenix names providers in upper case (`OPENAI`, `AZURE_OPENAI`, …: ours in lower case) and
//! tags invocation parameters by provider: `{type: openai, openai: {temperature, …}}`. Its content
//! parts are text, tool calls and tool results; tools are OpenAI function definitions with its own
//! tool choice (`zero_or_more`, `one_or_more`, `none`, `specific_function`). A version has no tags
//! in these responses: add `tags` (names, or `GET /v1/prompt_versions/{id}/tags` items) to a
//! version to import them as environments; a version list may sit beside the prompt as
//! `{prompt, versions}`.

use crate::interchange::common::required_model;
use crate::interchange::common::{report_history, report_participant_name};
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    aside_at, finish, message_role, plain_metadata, provider_from, report_common, role_from,
    service_meta, set_aside, set_service_meta, str_of, text_of, tool_choice_from_openai, Notes,
};
use super::{ExportInput, Exported, Imported, ImportedPrompt, ImportedVersion, Service};
use crate::error::Error;
use crate::model::{
    Content, MessageItem, Model, Part, Prompt, ResponseFormat, Syntax, Tool, ToolChoice,
    ToolChoiceMode, FORMAT_VERSION,
};

const SERVICE: Service = Service::Phoenix;

/// Model providers with invocation parameters in `arize-phoenix-client` 3.5's
/// `PromptVersionData` (lower case; Phoenix writes them in upper case). Its `MINIMAX` has no
/// invocation-parameter type, so a version for it cannot be created; it is left out here.
const PROVIDERS: &[&str] = &[
    "openai",
    "azure_openai",
    "anthropic",
    "google",
    "deepseek",
    "xai",
    "ollama",
    "aws",
    "cerebras",
    "fireworks",
    "groq",
    "moonshot",
    "perplexity",
    "together",
    "zai",
    "meta",
];

/// Our provider names Phoenix spells differently (ours, Phoenix's in lower case).
const ALIASES: &[(&str, &str)] = &[
    ("gemini", "google"),
    ("vertex", "google"),
    ("vertex_ai", "google"),
    ("bedrock", "aws"),
    ("azure", "azure_openai"),
];

/// Phoenix's name (lower case) for one of our providers.
pub fn provider_name(ours: &str) -> &str {
    ALIASES
        .iter()
        .find(|(o, _)| *o == ours)
        .map_or(ours, |(_, theirs)| theirs)
}

/// Invocation parameters of the OpenAI-compatible providers, by canonical name (see
/// `render::providers::canonical`) and Phoenix's name.
const OPENAI_PARAMS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("max_tokens", "max_tokens"),
    ("max_completion_tokens", "max_completion_tokens"),
    ("frequency_penalty", "frequency_penalty"),
    ("presence_penalty", "presence_penalty"),
    ("top_p", "top_p"),
    ("seed", "seed"),
    ("stop", "stop"),
    ("reasoning_effort", "reasoning_effort"),
    ("extra_body", "extra_body"),
];
const ANTHROPIC_PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "max_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("stop", "stop_sequences"),
    ("thinking", "thinking"),
    ("output_config", "output_config"),
    ("extra_body", "extra_body"),
];
const GOOGLE_PARAMS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("max_tokens", "max_output_tokens"),
    ("stop", "stop_sequences"),
    ("presence_penalty", "presence_penalty"),
    ("frequency_penalty", "frequency_penalty"),
    ("top_p", "top_p"),
    ("top_k", "top_k"),
    ("thinking_config", "thinking_config"),
];
const AWS_PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "max_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("stop", "stop_sequences"),
];

/// The invocation parameters Phoenix holds for a provider (by its name).
fn param_names(provider: &str) -> &'static [(&'static str, &'static str)] {
    match provider {
        "anthropic" => ANTHROPIC_PARAMS,
        "google" => GOOGLE_PARAMS,
        "aws" => AWS_PARAMS,
        _ => OPENAI_PARAMS,
    }
}

/// Phoenix's per-provider tagged invocation parameters, `{type: P, P: {…}}`, from `model.params`
/// (`provider` is Phoenix's name, lower case). Parameters are renamed to the provider's spelling
/// (`max_tokens` → `max_output_tokens` for google, …); names Phoenix does not hold for the
/// provider are left out with a warning (Phoenix rejects unknown ones).
pub fn invocation_parameters(
    provider: &str,
    params: &IndexMap<String, Value>,
    notes: &mut Vec<String>,
) -> Value {
    let mut out = Map::new();
    if PROVIDERS.contains(&provider) {
        let names = param_names(provider);
        for (key, value) in params {
            let ours = crate::render::providers::canonical(key);
            let Some((_, name)) = names.iter().find(|(c, _)| *c == ours) else {
                notes.push(format!(
                    "model.params.{key} is not an invocation parameter Phoenix accepts for \
                     {provider}; left out"
                ));
                continue;
            };
            let value = match value {
                Value::String(s) if ours == "stop" => json!([s]),
                v => v.clone(),
            };
            out.insert(name.to_string(), value);
        }
    } else {
        out.extend(params.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    json!({"type": provider, provider: out})
}

/// The `POST /v1/prompts` body for a prompt version.
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let model = required_model(input, &mut notes, "Phoenix")?;
    let provider = provider_name(&model.provider);
    if !PROVIDERS.contains(&provider) {
        notes.warn(format!(
            "Phoenix has no model provider `{}` (it has {}); sent as `{}`, which Phoenix rejects",
            model.provider,
            PROVIDERS.join(", "),
            provider.to_ascii_uppercase()
        ));
    }
    super::common::report_provider_read_back(
        &model.provider,
        &provider.to_ascii_uppercase(),
        provider,
        &mut notes,
    );
    if provider == "anthropic" && !model.params.contains_key("max_tokens") {
        notes.warn("Phoenix requires max_tokens for anthropic; model.params has none");
    }
    let mut param_notes = Vec::new();
    let invocation = invocation_parameters(provider, &model.params, &mut param_notes);
    for n in param_notes {
        notes.warn(n);
    }

    let mut version = Map::new();
    if let Some(m) = input.message.map(str::trim).filter(|m| !m.is_empty()) {
        version.insert("description".into(), json!(m));
    }
    version.insert(
        "model_provider".into(),
        json!(provider.to_ascii_uppercase()),
    );
    version.insert("model_name".into(), json!(model.name));
    let template = match (&p.messages, &p.template) {
        (Some(items), _) => {
            version.insert("template_type".into(), json!("CHAT"));
            json!({"type": "chat", "messages": export_messages(items, &meta, &mut notes)})
        }
        (None, text) => {
            version.insert("template_type".into(), json!("STR"));
            json!({"type": "string", "template": text.clone().unwrap_or_default()})
        }
    };
    version.insert(
        "template_format".into(),
        json!(match p.template_format {
            Syntax::Mustache => "MUSTACHE",
            Syntax::FString => "F_STRING",
            // Phoenix has no Jinja2 format: the text travels as it is.
            Syntax::Jinja2 | Syntax::None => "NONE",
        }),
    );
    version.insert("template".into(), template);
    version.insert("invocation_parameters".into(), invocation);
    if let Some(tools) = export_tools(p, &meta) {
        version.insert("tools".into(), tools);
    }
    if let Some(rf) = &p.response_format {
        version.insert("response_format".into(), response_format(rf));
    }

    let mut prompt = Map::new();
    prompt.insert("name".into(), json!(name_of(input)));
    if let Some(d) = &p.description {
        prompt.insert("description".into(), json!(d));
    }
    if let Some(s) = meta.get("source_prompt_id") {
        prompt.insert("source_prompt_id".into(), s.clone());
    }
    let metadata = plain_metadata(p);
    if !metadata.is_empty() {
        prompt.insert("metadata".into(), Value::Object(metadata));
    }
    report_common(p, &mut notes, false, &[]);
    Ok(Exported {
        endpoint: "POST /v1/prompts".into(),
        body: json!({"prompt": prompt, "version": version}),
        warnings: notes.into_vec(),
    })
}

/// Phoenix prompt names are identifiers: lower case letters, digits, `_` and `-`.
fn is_identifier(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.chars().next().is_some_and(ok)
        && s.chars().last().is_some_and(ok)
        && s.chars().all(|c| ok(c) || c == '_' || c == '-')
}

fn name_of(input: &ExportInput<'_>) -> String {
    match &input.prompt.name {
        Some(n) if is_identifier(n) => n.clone(),
        _ => input.id.as_str().replace('/', "-"),
    }
}

fn export_messages(items: &[MessageItem], meta: &Map<String, Value>, notes: &mut Notes) -> Value {
    let raw = meta.get("messages").and_then(Value::as_object);
    let roles = meta.get("roles").and_then(Value::as_object);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        out.extend(aside_at(meta, i));
        if let Some(h) = &item.history {
            report_history(h, i, notes);
            continue;
        }
        let Some(role) = item.role else { continue };
        report_participant_name(item, i, notes);
        let text_parts: Vec<&str> = match &item.content {
            Some(Content::Text(t)) => vec![t.as_str()],
            Some(Content::Parts(parts)) => {
                for p in parts {
                    if let Some(name) = p.image.as_ref().or(p.audio.as_ref()) {
                        notes.warn(format!(
                            "the media part `{name}` of message {} cannot be held (Phoenix \
                             content parts are text, tool calls and tool results); left out",
                            i + 1
                        ));
                    }
                }
                parts.iter().filter_map(|p| p.text.as_deref()).collect()
            }
            None => Vec::new(),
        };
        // A message imported with tool calls or results comes back whole while its text is
        // unchanged.
        if let Some(original) = raw.and_then(|r| r.get(&i.to_string())) {
            if original_text(original) == text_parts.concat() {
                out.push(original.clone());
                continue;
            }
            notes.warn(format!(
                "message {} changed since it was imported: its tool call or tool result parts \
                 are left out",
                i + 1
            ));
        }
        let role_name = roles
            .and_then(|r| r.get(&i.to_string()))
            .and_then(Value::as_str)
            .filter(|alias| role_from(alias) == Some(role))
            .unwrap_or(role.as_str());
        let content: Vec<Value> = text_parts
            .iter()
            .map(|t| json!({"type": "text", "text": t}))
            .collect();
        out.push(json!({"role": role_name, "content": content}));
    }
    out.extend(aside_at(meta, items.len()));
    Value::Array(out)
}

/// The concatenated text parts of a Phoenix message.
fn original_text(message: &Value) -> String {
    match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| str_of(p, "type") == Some("text"))
            .filter_map(|p| str_of(p, "text"))
            .collect(),
        _ => String::new(),
    }
}

fn export_tools(p: &Prompt, meta: &Map<String, Value>) -> Option<Value> {
    let mut tools: Vec<Value> = p
        .tools
        .iter()
        .map(|t| {
            let mut f = Map::new();
            f.insert("name".into(), json!(t.name));
            if let Some(d) = &t.description {
                f.insert("description".into(), json!(d));
            }
            if let Some(params) = &t.parameters {
                f.insert("parameters".into(), params.clone());
            }
            if let Some(s) = t.strict {
                f.insert("strict".into(), json!(s));
            }
            json!({"type": "function", "function": f})
        })
        .collect();
    if let Some(Value::Array(raw)) = meta.get("raw_tools") {
        tools.extend(raw.iter().cloned());
    }
    if tools.is_empty() {
        return None;
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("tools"));
    out.insert("tools".into(), Value::Array(tools));
    if let Some(choice) = &p.tool_choice {
        out.insert(
            "tool_choice".into(),
            match choice {
                ToolChoice::Mode(ToolChoiceMode::Auto) => json!({"type": "zero_or_more"}),
                ToolChoice::Mode(ToolChoiceMode::Required) => json!({"type": "one_or_more"}),
                ToolChoice::Mode(ToolChoiceMode::None) => json!({"type": "none"}),
                ToolChoice::Named { name } => {
                    json!({"type": "specific_function", "function_name": name})
                }
            },
        );
    }
    if let (None, Some(choice)) = (&p.tool_choice, meta.get("tool_choice")) {
        out.insert("tool_choice".into(), choice.clone());
    }
    if let Some(d) = meta.get("disable_parallel_tool_calls") {
        out.insert("disable_parallel_tool_calls".into(), d.clone());
    }
    Some(Value::Object(out))
}

fn response_format(rf: &ResponseFormat) -> Value {
    let mut def = Map::new();
    def.insert("name".into(), json!(rf.name));
    if let Some(d) = &rf.description {
        def.insert("description".into(), json!(d));
    }
    def.insert("schema".into(), rf.schema.clone());
    if let Some(s) = rf.strict {
        def.insert("strict".into(), json!(s));
    }
    json!({"type": "json_schema", "json_schema": def})
}

/// Reads a Phoenix payload: `{prompt, version}` (a create request), `{data: version}`,
/// `{data: [versions]}`, `{prompt, versions: [versions]}`, or a bare version.
pub fn import(payload: &Value) -> Result<Imported, String> {
    let prompt_data = payload.get("prompt").filter(|p| p.is_object());
    let (versions, newest_first): (Vec<&Value>, bool) = if let Some(v) = payload.get("version") {
        (vec![v], false)
    } else if let Some(Value::Array(list)) = payload.get("versions") {
        (list.iter().collect(), false)
    } else if let Some(Value::Array(list)) = payload.get("data") {
        // `GET …/versions` lists the newest first.
        (list.iter().collect(), true)
    } else if let Some(v) = payload.get("data").filter(|d| d.is_object()) {
        (vec![v], false)
    } else if payload.get("template").is_some() && payload.get("model_provider").is_some() {
        (vec![payload], false)
    } else {
        return Err(
            "expected `{prompt, version}` (the POST /v1/prompts body), `{data: …}` (a \
                    GET response) or `{prompt, versions: […]}`"
                .into(),
        );
    };
    if versions.is_empty() {
        return Err("it holds no prompt version".into());
    }
    let versions = order(versions, newest_first);
    let mut notes = Notes::new(SERVICE);
    let name = prompt_data.and_then(|p| text_of(p, "name"));
    let id = match name {
        Some(n) => Some(super::slug::id(None, n).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut out = Vec::new();
    for (n, v) in versions.iter().enumerate() {
        if !v.is_object() {
            return Err(format!("version {} is not an object", n + 1));
        }
        let mut prompt = import_version(prompt_data, v, &mut notes)?;
        if let (Some(name), Some(id)) = (name, &id) {
            if name != id.as_str() {
                prompt.name = Some(name.to_string());
            }
        }
        finish(&mut prompt, &mut notes);
        out.push(ImportedVersion {
            prompt,
            message: text_of(v, "description").map(str::to_string),
            tags: tags_of(v),
            label: format!("version {}", n + 1),
        });
    }
    Ok(Imported {
        prompts: vec![ImportedPrompt {
            id,
            source_name: name.map(str::to_string),
            versions: out,
        }],
        warnings: notes.into_vec(),
    })
}

/// Oldest first: by the number inside Phoenix's version ids (`PromptVersion:N`, base64) when
/// every version has one, else the list order (reversed for `GET` lists, which are newest first).
fn order(mut versions: Vec<&Value>, newest_first: bool) -> Vec<&Value> {
    let numbers: Option<Vec<u64>> = versions
        .iter()
        .map(|v| str_of(v, "id").and_then(version_number))
        .collect();
    match numbers {
        Some(numbers) if versions.len() > 1 => {
            let mut pairs: Vec<(u64, &Value)> = numbers.into_iter().zip(versions).collect();
            pairs.sort_by_key(|(n, _)| *n);
            pairs.into_iter().map(|(_, v)| v).collect()
        }
        _ => {
            if newest_first {
                versions.reverse();
            }
            versions
        }
    }
}

/// The row number inside a Phoenix global id: base64 of `PromptVersion:N`.
pub fn version_number(id: &str) -> Option<u64> {
    // Phoenix writes standard base64; URL-safe and unpadded forms are accepted as well.
    let digits = id.trim_end_matches('=');
    let decoded = STANDARD_NO_PAD
        .decode(digits)
        .or_else(|_| URL_SAFE_NO_PAD.decode(digits))
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.strip_prefix("PromptVersion:")?.parse().ok()
}

fn tags_of(v: &Value) -> Vec<String> {
    let list = match v.get("tags") {
        Some(Value::Array(l)) => l.clone(),
        Some(Value::Object(o)) => match o.get("data") {
            Some(Value::Array(l)) => l.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(|t| t.as_str().or_else(|| str_of(t, "name")))
        .map(str::to_string)
        .collect()
}

/// Fields of a version read by `import_version` or assigned by the server.
const VERSION_KEYS: &[&str] = &[
    "id",
    "description",
    "model_provider",
    "model_name",
    "template",
    "template_type",
    "template_format",
    "invocation_parameters",
    "tools",
    "response_format",
    "tags",
];

fn import_version(
    prompt_data: Option<&Value>,
    v: &Value,
    notes: &mut Notes,
) -> Result<Prompt, String> {
    let mut meta = Map::new();
    let mut p = Prompt {
        format: FORMAT_VERSION,
        ..Prompt::default()
    };
    if let Some(data) = prompt_data {
        p.description = text_of(data, "description").map(str::to_string);
        if let Some(Value::Object(m)) = data.get("metadata") {
            for (k, val) in m {
                if k == SERVICE.name() {
                    notes.warn(
                        "prompt metadata key `phoenix` is ours: kept as metadata.phoenix.metadata",
                    );
                    meta.insert("metadata".into(), val.clone());
                } else {
                    p.metadata.insert(k.clone(), val.clone());
                }
            }
        }
        if let Some(s) = data.get("source_prompt_id").filter(|s| !s.is_null()) {
            meta.insert("source_prompt_id".into(), s.clone());
        }
    }
    let provider = str_of(v, "model_provider").ok_or("a version has no `model_provider`")?;
    let provider = provider_from(&[], provider);
    let mut params = IndexMap::new();
    if let Some(inv) = v.get("invocation_parameters") {
        let key = str_of(inv, "type").unwrap_or(&provider);
        if let Some(Value::Object(m)) = inv.get(key) {
            params.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    p.model = Some(Model {
        provider,
        name: str_of(v, "model_name").unwrap_or_default().to_string(),
        params,
    });
    p.template_format = match str_of(v, "template_format").unwrap_or("MUSTACHE") {
        "F_STRING" => Syntax::FString,
        "NONE" => Syntax::None,
        _ => Syntax::Mustache,
    };
    let template = v.get("template").ok_or("a version has no `template`")?;
    match str_of(template, "type") {
        Some("string") => {
            p.template = Some(str_of(template, "template").unwrap_or_default().to_string());
        }
        _ => {
            let Some(Value::Array(messages)) = template.get("messages") else {
                return Err("a chat template has no `messages` list".into());
            };
            p.messages = Some(import_messages(messages, &mut meta, notes)?);
        }
    }
    if let Some(tools) = v.get("tools").filter(|t| t.is_object()) {
        import_tools(tools, &mut p, &mut meta, notes);
    }
    if let Some(rf) = v.get("response_format").filter(|r| !r.is_null()) {
        match rf.get("json_schema") {
            Some(def) => {
                p.response_format = Some(ResponseFormat {
                    name: str_of(def, "name").unwrap_or("response").to_string(),
                    description: str_of(def, "description").map(str::to_string),
                    schema: def.get("schema").cloned().unwrap_or_else(|| json!({})),
                    strict: def.get("strict").and_then(Value::as_bool),
                })
            }
            None => {
                notes.warn(
                    "a response_format that is not json_schema is kept under metadata.phoenix",
                );
                meta.insert("response_format".into(), rf.clone());
            }
        }
    }
    super::common::warn_unknown_fields(v, VERSION_KEYS, "version field", notes);
    set_service_meta(&mut p, SERVICE, meta);
    Ok(p)
}

fn import_messages(
    messages: &[Value],
    meta: &mut Map<String, Value>,
    notes: &mut Notes,
) -> Result<Vec<MessageItem>, String> {
    let mut raw = Map::new();
    let mut roles = Map::new();
    let mut aside = Vec::new();
    let mut out = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let role_name = str_of(m, "role");
        let role = message_role(i, role_name)?;
        let at = out.len().to_string();
        let content = match m.get("content") {
            Some(Value::String(s)) => Content::Text(s.clone()),
            Some(Value::Array(parts)) => {
                let texts: Vec<String> = parts
                    .iter()
                    .filter(|p| str_of(p, "type") == Some("text"))
                    .filter_map(|p| str_of(p, "text"))
                    .map(str::to_string)
                    .collect();
                if texts.is_empty() && !parts.is_empty() {
                    notes.warn(format!(
                        "message {} holds only tool calls or tool results: kept under \
                         metadata.phoenix, not among the messages (an export to Phoenix puts it \
                         back)",
                        i + 1
                    ));
                    set_aside(&mut aside, out.len(), m);
                    continue;
                }
                if texts.len() != parts.len() {
                    raw.insert(at.clone(), m.clone());
                    notes.warn(format!(
                        "message {} has tool call or tool result parts: kept under \
                         metadata.phoenix (an export to Phoenix gives them back)",
                        i + 1
                    ));
                }
                match texts.len() {
                    0 => Content::Text(String::new()),
                    1 => Content::Text(texts[0].clone()),
                    _ => Content::Parts(
                        texts
                            .into_iter()
                            .map(|t| Part {
                                text: Some(t),
                                ..Part::default()
                            })
                            .collect(),
                    ),
                }
            }
            _ => Content::Text(String::new()),
        };
        if role_name != Some(role.as_str()) {
            roles.insert(at, json!(role_name));
        }
        out.push(MessageItem {
            role: Some(role),
            content: Some(content),
            ..MessageItem::default()
        });
    }
    for (key, value) in [("messages", raw), ("roles", roles)] {
        if !value.is_empty() {
            meta.insert(key.into(), Value::Object(value));
        }
    }
    if !aside.is_empty() {
        meta.insert("aside".into(), Value::Array(aside));
    }
    Ok(out)
}

fn import_tools(tools: &Value, p: &mut Prompt, meta: &mut Map<String, Value>, notes: &mut Notes) {
    let mut raw = Vec::new();
    for t in tools
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match (str_of(t, "type"), t.get("function")) {
            (Some("function"), Some(f)) => {
                if let Some(name) = str_of(f, "name") {
                    p.tools.push(Tool {
                        name: name.to_string(),
                        description: str_of(f, "description").map(str::to_string),
                        parameters: f.get("parameters").filter(|x| !x.is_null()).cloned(),
                        strict: f.get("strict").and_then(Value::as_bool),
                    });
                }
            }
            _ => raw.push(t.clone()),
        }
    }
    if !raw.is_empty() {
        notes.warn(format!(
            "{} raw (provider-specific) tool(s) kept under metadata.phoenix",
            raw.len()
        ));
        meta.insert("raw_tools".into(), Value::Array(raw));
    }
    if let Some(choice) = tools.get("tool_choice").filter(|c| !c.is_null()) {
        p.tool_choice = match str_of(choice, "type") {
            Some("zero_or_more") => Some(ToolChoice::Mode(ToolChoiceMode::Auto)),
            Some("one_or_more") => Some(ToolChoice::Mode(ToolChoiceMode::Required)),
            Some("none") => Some(ToolChoice::Mode(ToolChoiceMode::None)),
            Some("specific_function") => {
                str_of(choice, "function_name").map(|n| ToolChoice::Named {
                    name: n.to_string(),
                })
            }
            _ => tool_choice_from_openai(choice),
        };
        if p.tool_choice.is_some() && p.tools.is_empty() {
            // `check` refuses a tool choice without tools; the raw tools carry it.
            meta.insert("tool_choice".into(), choice.clone());
            p.tool_choice = None;
        }
    }
    if let Some(d) = tools
        .get("disable_parallel_tool_calls")
        .filter(|d| !d.is_null())
    {
        meta.insert("disable_parallel_tool_calls".into(), d.clone());
    }
}
