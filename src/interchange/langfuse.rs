//! Langfuse prompts: `POST /api/public/v2/prompts` bodies out (`CreateTextPromptRequest` /
//! `CreateChatPromptRequest` of the Langfuse API); those bodies and the prompt JSON its API
//! returns (`GET /api/public/v2/prompts/{name}`: one version; a list of them; or `{data: […]}`)
//! in.
//!
//! A Langfuse prompt is `text` (a string) or `chat` (messages `{role, content}` and placeholders
//! `{type: placeholder, name}`, our history placeholders). `config` is free-form JSON: we write
//! `model`, `provider` and the params there, with `tools`, `tool_choice` and `response_format`
//! in the OpenAI form, which is how Langfuse users commonly keep them. `labels` are deployment
//! labels (our environments; `latest` is Langfuse's own), `tags` are our `labels`.
//!
//! Langfuse fills `{{name}}` (white space allowed inside) by plain substitution and leaves every
//! other `{{…}}` as it is. Mustache reads `{{#x}}`, `{{> x}}`, `{{! x}}` and dotted names
//! differently, so an import refuses text that uses them, naming the tag.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    finish, report_common, report_description_and_metadata, report_participant_name,
    response_format_from_openai, response_format_to_openai, role_from, service_meta,
    set_service_meta, str_of, tool_choice_from_openai, tool_choice_to_openai, tool_from_openai,
    tool_to_openai, unknown_keys, Notes,
};
use super::{ExportInput, Exported, Imported, ImportedPrompt, ImportedVersion, Service};
use crate::error::Error;
use crate::model::{Content, MessageItem, Model, Prompt, Syntax, FORMAT_VERSION};

const SERVICE: Service = Service::Langfuse;

/// `config` keys that are not params.
const CONFIG_KEYS: &[&str] = &[
    "model",
    "provider",
    "tools",
    "tool_choice",
    "response_format",
];

/// Fields of a prompt version read by `import_version` or assigned by the server.
const VERSION_KEYS: &[&str] = &[
    "name",
    "version",
    "type",
    "prompt",
    "config",
    "labels",
    "tags",
    "commitMessage",
    "resolutionGraph",
    "id",
    "createdAt",
    "updatedAt",
    "createdBy",
    "projectId",
    "isActive",
];

/// Model name prefixes that tell the provider when `config` names none.
const PROVIDER_BY_PREFIX: &[(&str, &str)] = &[
    ("gpt-", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("chatgpt-", "openai"),
    ("claude-", "anthropic"),
    ("gemini-", "gemini"),
    ("mistral-", "mistral"),
    ("deepseek-", "deepseek"),
    ("grok-", "xai"),
];

/// The create body for the prompt version.
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let mut body = Map::new();
    let name = meta
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| super::slug::path_id(n).is_ok_and(|id| id == *input.id))
        .map_or_else(|| input.id.to_string(), str::to_string);
    body.insert("name".into(), json!(name));
    body.insert("type".into(), json!(p.kind().as_str()));
    let prompt = match &p.messages {
        None => json!(check_text(
            p,
            p.template.as_deref().unwrap_or_default(),
            &mut notes
        )),
        Some(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(h) = &item.history {
                    out.push(json!({"type": "placeholder", "name": h}));
                    continue;
                }
                let Some(role) = item.role else { continue };
                report_participant_name(item, i, &mut notes);
                if let Some(Content::Parts(parts)) = &item.content {
                    if parts.iter().any(|p| p.text.is_none()) {
                        notes.warn(format!(
                            "message {}: image and audio parts cannot be held (Langfuse chat \
                             messages are text); left out",
                            i + 1
                        ));
                    }
                }
                let text = super::common::content_text(&item.content);
                out.push(json!({
                    "type": "chatmessage",
                    "role": role.as_str(),
                    "content": check_text(p, &text, &mut notes),
                }));
            }
            Value::Array(out)
        }
    };
    body.insert("prompt".into(), prompt);
    let mut config = Map::new();
    if let Some(m) = &p.model {
        config.insert("model".into(), json!(m.name));
        config.insert("provider".into(), json!(m.provider));
        config.extend(m.params.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if !p.tools.is_empty() {
        config.insert(
            "tools".into(),
            Value::Array(p.tools.iter().map(tool_to_openai).collect()),
        );
    }
    if let Some(choice) = &p.tool_choice {
        config.insert("tool_choice".into(), tool_choice_to_openai(choice));
    }
    if let Some(rf) = &p.response_format {
        config.insert("response_format".into(), response_format_to_openai(rf));
    }
    if let Some(Value::Object(extra)) = meta.get("config") {
        for (k, v) in extra {
            config.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    body.insert("config".into(), Value::Object(config));
    body.insert("labels".into(), json!(input.environments));
    body.insert("tags".into(), json!(p.labels));
    if let Some(m) = input.message.map(str::trim).filter(|m| !m.is_empty()) {
        body.insert("commitMessage".into(), json!(m));
    }
    if p.name.is_some() {
        notes.warn(
            "the display name cannot be held (Langfuse names a prompt by its path); left out",
        );
    }
    report_description_and_metadata(p, &mut notes);
    // Tags hold the labels; everything else `report_common` knows about is left out.
    let mut rest = p.clone();
    rest.labels.clear();
    report_common(&rest, &mut notes, false, &[]);
    Ok(Exported {
        endpoint: "POST /api/public/v2/prompts".into(),
        body: Value::Object(body),
        warnings: notes.into_vec(),
    })
}

/// Warns about template text Langfuse would not fill as we do, and gives the text back.
fn check_text(p: &Prompt, text: &str, notes: &mut Notes) -> String {
    match p.template_format {
        Syntax::Mustache => {
            for tag in tags(text) {
                if let Err(e) = plain_variable(&tag) {
                    notes.warn(format!(
                        "`{tag}` {e}: Langfuse will send it as text, unfilled"
                    ));
                }
            }
        }
        Syntax::FString => notes.warn(
            "Langfuse fills {{name}}: this prompt's f-string fields ({x}) will not be filled",
        ),
        Syntax::Jinja2 => notes.warn(
            "Langfuse fills {{name}} only: this prompt's Jinja2 tags ({% … %}, filters) are sent \
             as they are and will not be run",
        ),
        Syntax::None => {
            if text.contains("{{") {
                notes.warn("`template_format: none` text with `{{` will be filled by Langfuse");
            }
        }
    }
    text.to_string()
}

/// Every `{{…}}` of a text, as written (Langfuse's reading: from `{{` to the next `}}`).
fn tags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push(rest[start..start + len + 2].to_string());
        rest = &rest[start + len + 2..];
    }
    out
}

/// Whether a tag is a variable that Langfuse and mustache both fill the same way.
fn plain_variable(tag: &str) -> Result<(), &'static str> {
    if tag.starts_with("{{{") {
        return Err("(a triple mustache) is read differently by mustache");
    }
    let name = tag[2..tag.len() - 2].trim();
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(
            "is not a plain variable (mustache reads it as a section, partial, comment \
                    or dotted name)",
        );
    }
    Ok(())
}

/// Reads a create body, one get response, a list of them, or `{data: […]}`.
pub fn import(payload: &Value) -> Result<Imported, String> {
    let list: Vec<&Value> = match payload {
        Value::Array(items) => items.iter().collect(),
        Value::Object(m) => match m.get("data") {
            Some(Value::Array(items)) if !m.contains_key("prompt") => items.iter().collect(),
            _ => vec![payload],
        },
        _ => return Err("expected a prompt object or a list of them".into()),
    };
    if list.is_empty() {
        return Err("the list holds no prompt".into());
    }
    let mut notes = Notes::new(SERVICE);
    let mut by_name: IndexMap<String, Vec<(i64, &Value)>> = IndexMap::new();
    for (i, v) in list.iter().enumerate() {
        let name = str_of(v, "name").ok_or("a prompt without `name`")?;
        if v.get("prompt").is_none() {
            return Err(format!(
                "`{name}` has no `prompt` (a prompt list from GET /api/public/v2/prompts holds \
                 only names: fetch each prompt's versions)"
            ));
        }
        let version = v.get("version").and_then(Value::as_i64).unwrap_or(i as i64);
        by_name
            .entry(name.to_string())
            .or_default()
            .push((version, v));
    }
    let mut prompts = Vec::new();
    for (name, mut versions) in by_name {
        versions.sort_by_key(|(n, _)| *n);
        let id = super::slug::path_id(&name).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for (number, v) in versions {
            let prompt = import_version(&name, v, &mut notes)?;
            let tags: Vec<String> = v
                .get("labels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|l| *l != "latest")
                .map(str::to_string)
                .collect();
            out.push(ImportedVersion {
                prompt,
                message: str_of(v, "commitMessage")
                    .filter(|m| !m.trim().is_empty())
                    .map(str::to_string),
                tags,
                label: if v.get("version").is_some() {
                    format!("v{number}")
                } else {
                    "the create request".into()
                },
            });
        }
        prompts.push(ImportedPrompt {
            id: Some(id),
            source_name: Some(name),
            versions: out,
        });
    }
    Ok(Imported {
        prompts,
        warnings: notes.into_vec(),
    })
}

fn import_version(name: &str, v: &Value, notes: &mut Notes) -> Result<Prompt, String> {
    let mut p = Prompt {
        format: FORMAT_VERSION,
        ..Prompt::default()
    };
    let mut meta = Map::new();
    if super::slug::path_id(name)
        .map(|id| id.to_string())
        .ok()
        .as_deref()
        != Some(name)
    {
        meta.insert("name".into(), json!(name));
    }
    let kind = str_of(v, "type").unwrap_or(if v["prompt"].is_string() {
        "text"
    } else {
        "chat"
    });
    match (kind, &v["prompt"]) {
        ("text", Value::String(t)) => {
            check_import_text(t)?;
            p.template = Some(t.clone());
        }
        ("chat", Value::Array(items)) => {
            let mut messages = Vec::new();
            for (i, m) in items.iter().enumerate() {
                if str_of(m, "type") == Some("placeholder") {
                    let h = str_of(m, "name").ok_or("a placeholder without `name`")?;
                    messages.push(MessageItem {
                        history: Some(h.to_string()),
                        ..MessageItem::default()
                    });
                    continue;
                }
                let role_name =
                    str_of(m, "role").ok_or(format!("message {} has no role", i + 1))?;
                let role = role_from(role_name).ok_or(format!(
                    "message {}: the role `{role_name}` has no equivalent",
                    i + 1
                ))?;
                let content = str_of(m, "content")
                    .ok_or(format!("message {}: `content` is not text", i + 1))?;
                check_import_text(content)?;
                messages.push(MessageItem::text(role, content));
            }
            p.messages = Some(messages);
        }
        (t, _) => {
            return Err(format!(
                "`type: {t}` with this `prompt` is neither text nor chat"
            ))
        }
    }
    let config = v.get("config").cloned().unwrap_or(Value::Null);
    if let Value::Object(c) = &config {
        if let Some(model) = c.get("model").and_then(Value::as_str) {
            let provider = match c.get("provider").and_then(Value::as_str) {
                Some(p) => p.to_string(),
                None => {
                    let guessed = PROVIDER_BY_PREFIX
                        .iter()
                        .find(|(prefix, _)| model.starts_with(prefix))
                        .map(|(_, p)| *p);
                    match guessed {
                        Some(p) => {
                            notes.warn(format!(
                                "config names no provider: `{p}` taken from the model name \
                                 `{model}`"
                            ));
                            p.to_string()
                        }
                        None => {
                            notes.warn(format!(
                                "config names no provider for `{model}`: set to `openai`; \
                                 correct it in the file"
                            ));
                            "openai".to_string()
                        }
                    }
                }
            };
            p.model = Some(Model {
                provider,
                name: model.to_string(),
                params: c
                    .iter()
                    .filter(|(k, _)| !CONFIG_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            });
        } else {
            let params = unknown_keys(&config, CONFIG_KEYS);
            if !params.is_empty() {
                notes.warn(
                    "config names no model: its parameters are kept under metadata.langfuse.config",
                );
                meta.insert("config".into(), Value::Object(params));
            }
        }
        if let Some(Value::Array(tools)) = c.get("tools") {
            p.tools = tools.iter().filter_map(tool_from_openai).collect();
        }
        p.tool_choice = c.get("tool_choice").and_then(tool_choice_from_openai);
        p.response_format = c
            .get("response_format")
            .and_then(response_format_from_openai);
    }
    p.labels = v
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let extra = unknown_keys(v, VERSION_KEYS);
    if !extra.is_empty() {
        meta.insert("fields".into(), Value::Object(extra));
    }
    if v.get("resolutionGraph").is_some_and(|g| !g.is_null()) {
        notes.warn(format!(
            "`{name}` was resolved from other prompts (resolutionGraph): the text is imported as \
             resolved"
        ));
    }
    set_service_meta(&mut p, SERVICE, meta);
    finish(&mut p, notes);
    Ok(p)
}

/// Refuses Langfuse text whose tags mustache would read differently, and prompt references.
fn check_import_text(text: &str) -> Result<(), String> {
    if text.contains("@@@langfusePrompt:") {
        return Err(
            "a prompt reference `@@@langfusePrompt:…@@@` has no equivalent: export the prompt \
             resolved (GET with resolve=true)"
                .into(),
        );
    }
    for tag in tags(text) {
        if let Err(e) = plain_variable(&tag) {
            return Err(format!(
                "`{tag}` {e}; Langfuse leaves it as text, so importing it would change the text"
            ));
        }
    }
    Ok(())
}
