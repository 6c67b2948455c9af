//! The Bifrost gateway's prompt repository: `POST /api/prompt-repo/prompts/{id}/versions` bodies
//! out; version create bodies, `GET /api/prompt-repo/prompts/{id}` (`{prompt}`, with its folder
//! and versions), `GET /api/prompt-repo/prompts` (`{prompts}`, with `folders` beside them to name
//! folders by id), `GET …/versions` (`{versions}`) and `GET /api/prompt-repo/versions/{id}`
//! (`{version}`) responses in.
//!
//! A Bifrost prompt has a name and a folder (our folder segment); each version has `provider`,
//! `model`, free-form `model_params` (where OpenAI-style `tools`, `tool_choice` and
//! `response_format` live) and `messages`, stored as the UI's serialized messages
//! (`{originalType, payload: {role, content}}`) or plain OpenAI messages (`{role, content}`,
//! which is what we write). Templates use `{{ variable }}`. Bifrost has no tags or environments.

use crate::interchange::common::{
    report_description_and_metadata, report_history, report_participant_name,
};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    aside_at, content_text, finish, keep_provider, message_role, meta_str, provider_from,
    provider_to, report_common, report_mustache_only, response_format_from_openai,
    response_format_to_openai, service_meta, set_aside, set_service_meta, str_of, text_of,
    tool_choice_from_openai, tool_choice_to_openai, tool_from_openai, tool_to_openai, Notes,
    ProviderTable,
};
use super::{ExportInput, Exported, Imported, ImportedPrompt, ImportedVersion, Service};
use crate::error::Error;
use crate::model::{Content, Input, InputType, MessageItem, Model, Part, Prompt, FORMAT_VERSION};

const SERVICE: Service = Service::Bifrost;

/// Our provider names and Bifrost's.
const PROVIDERS: ProviderTable = &[
    ("azure_openai", "azure"),
    ("google", "gemini"),
    ("google", "vertex"),
    ("aws", "bedrock"),
];

/// Fields of a version read by `import_version` or assigned by the server.
const VERSION_KEYS: &[&str] = &[
    "id",
    "prompt_id",
    "prompt",
    "version_number",
    "commit_message",
    "model_params",
    "provider",
    "model",
    "is_latest",
    "created_at",
    "created_by",
    "created_by_id",
    "messages",
    "variables",
    "name",
    "folder",
    "folder_id",
];

/// The version create body, with the prompt's `name` and `folder` beside it (Bifrost's version
/// endpoint ignores them; they say which prompt to create, in which folder, with
/// `POST /api/prompt-repo/prompts {name, folder_id}`).
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let mut body = Map::new();
    let (folder, last) = match input.id.as_str().rsplit_once('/') {
        Some((folder, last)) => (Some(folder), last),
        None => (None, input.id.as_str()),
    };
    body.insert(
        "name".into(),
        json!(p.name.clone().unwrap_or_else(|| last.to_string())),
    );
    let original_folder = meta
        .get("folder")
        .and_then(Value::as_str)
        .filter(|f| folder.is_some_and(|ours| super::slug::segment(f) == ours));
    if let Some(f) = original_folder.or(folder) {
        body.insert("folder".into(), json!(f));
    }
    body.insert(
        "commit_message".into(),
        json!(input.message.map(str::trim).unwrap_or_default()),
    );
    // A version without a model is not one Bifrost can run: refuse rather than send "".
    let m = crate::interchange::common::required_model(input, &mut notes, "Bifrost")?;
    let mut params = Map::new();
    let sent = provider_to(PROVIDERS, &m.provider, &meta);
    crate::interchange::common::report_provider_read_back(
        &m.provider,
        &sent,
        &provider_from(PROVIDERS, &sent),
        &mut notes,
    );
    body.insert("provider".into(), json!(sent));
    body.insert("model".into(), json!(m.name));
    params.extend(m.params.iter().map(|(k, v)| (k.clone(), v.clone())));
    if !p.tools.is_empty() {
        params.insert(
            "tools".into(),
            Value::Array(p.tools.iter().map(tool_to_openai).collect()),
        );
    }
    if let Some(choice) = &p.tool_choice {
        params.insert("tool_choice".into(), tool_choice_to_openai(choice));
    }
    if let Some(rf) = &p.response_format {
        params.insert("response_format".into(), response_format_to_openai(rf));
    }
    body.insert("model_params".into(), Value::Object(params));
    body.insert("messages".into(), export_messages(p, &meta, &mut notes));
    report_description_and_metadata(p, &mut notes);
    let literal_images: Vec<&str> = meta
        .get("image_urls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    report_common(p, &mut notes, false, &literal_images);
    report_mustache_only(p, &mut notes);
    let prompt_id = meta_str(&meta, "prompt_id").unwrap_or("{id}");
    Ok(Exported {
        endpoint: format!("POST /api/prompt-repo/prompts/{prompt_id}/versions"),
        body: Value::Object(body),
        warnings: notes.into_vec(),
    })
}

fn export_messages(p: &Prompt, meta: &Map<String, Value>, notes: &mut Notes) -> Value {
    let Some(items) = &p.messages else {
        notes.warn(
            "Bifrost prompts are chat messages: the text template is sent as one user message",
        );
        return json!([{"role": "user", "content": p.template.clone().unwrap_or_default()}]);
    };
    let raw = meta.get("messages").and_then(Value::as_object);
    let literal_images: Vec<&str> = meta
        .get("image_urls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        out.extend(aside_at(meta, i));
        if let Some(h) = &item.history {
            report_history(h, i, notes);
            continue;
        }
        let Some(role) = item.role else { continue };
        report_participant_name(item, i, notes);
        if let Some(original) = raw.and_then(|r| r.get(&i.to_string())) {
            if message_text(original) == content_text(&item.content) {
                out.push(original.clone());
                continue;
            }
            notes.warn(format!(
                "message {} changed since it was imported: its tool calls or attachments are \
                 left out",
                i + 1
            ));
        }
        let content = match &item.content {
            Some(Content::Parts(parts)) => {
                let mut list = Vec::new();
                for part in parts {
                    if let Some(t) = &part.text {
                        list.push(json!({"type": "text", "text": t}));
                    } else if let Some(name) = &part.image {
                        let literal = p
                            .inputs
                            .get(name)
                            .and_then(|i| i.default.as_ref())
                            .and_then(Value::as_str)
                            .filter(|_| literal_images.contains(&name.as_str()));
                        let url = match literal {
                            Some(url) => url.to_string(),
                            None => {
                                notes.warn(format!(
                                    "the image input `{name}` is sent as the URL `{{{{{name}}}}}`, \
                                     which Bifrost does not fill in"
                                ));
                                format!("{{{{{name}}}}}")
                            }
                        };
                        list.push(json!({"type": "image_url", "image_url": {"url": url}}));
                    } else if let Some(name) = &part.audio {
                        notes.warn(format!(
                            "the audio part `{name}` of message {} cannot be held (Bifrost \
                             stores audio as data, not as a variable); left out",
                            i + 1
                        ));
                    }
                }
                Value::Array(list)
            }
            other => json!(content_text(other)),
        };
        out.push(json!({"role": role.as_str(), "content": content}));
    }
    out.extend(aside_at(meta, items.len()));
    Value::Array(out)
}

/// The text of a stored Bifrost message (serialized or plain).
fn message_text(m: &Value) -> String {
    let (_, content, _) = unwrap_message(m);
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| str_of(p, "type") == Some("text"))
            .filter_map(|p| str_of(p, "text"))
            .collect::<Vec<_>>()
            .join("\n\n"),
        _ => String::new(),
    }
}

/// Role, content and whether it carries tool calls, of a serialized (`{originalType, payload}`)
/// or plain (`{role, content}`) message.
fn unwrap_message(m: &Value) -> (Option<&str>, Option<&Value>, bool) {
    let payload = if m.get("originalType").is_some() {
        match m.get("payload") {
            Some(p) => p,
            None => return (None, None, false),
        }
    } else {
        m
    };
    // A completion result keeps the message in its first choice.
    let message = payload
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| c.get("message"))
        .unwrap_or(payload);
    let tools = message
        .get("tool_calls")
        .and_then(Value::as_array)
        .is_some_and(|t| !t.is_empty())
        || message.get("tool_call_id").is_some_and(|t| !t.is_null());
    let role = str_of(message, "role").or_else(|| match str_of(m, "originalType") {
        Some("completion_result") => Some("assistant"),
        Some("tool_result") => Some("tool"),
        _ => None,
    });
    (role, message.get("content"), tools)
}

/// Reads a Bifrost payload: `{prompt}`, `{prompts, folders?}`, `{versions, prompt?}`,
/// `{version}`, a version create body, or a list of prompts or versions.
pub fn import(payload: &Value) -> Result<Imported, String> {
    let folders: IndexMap<String, String> = payload
        .get("folders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| Some((str_of(f, "id")?.to_string(), str_of(f, "name")?.to_string())))
        .collect();
    // (prompt object, versions) pairs.
    let mut found: Vec<(Option<Value>, Vec<Value>)> = Vec::new();
    let list_of = |v: &Value| v.as_array().cloned().unwrap_or_default();
    if let Some(prompts) = payload.get("prompts").and_then(Value::as_array) {
        for p in prompts {
            found.push((Some(p.clone()), versions_of(p)));
        }
    } else if let Some(p) = payload.get("prompt").filter(|p| p.is_object()) {
        let mut versions = versions_of(p);
        if let Some(list) = payload.get("versions") {
            versions = list_of(list);
        }
        found.push((Some(p.clone()), versions));
    } else if let Some(list) = payload.get("versions").filter(|v| v.is_array()) {
        found.push((None, list_of(list)));
    } else if let Some(v) = payload.get("version").filter(|v| v.is_object()) {
        found.push((None, vec![v.clone()]));
    } else if let Value::Array(items) = payload {
        if items.iter().all(|i| i.get("version_number").is_some()) {
            found.push((None, items.clone()));
        } else {
            for p in items {
                found.push((Some(p.clone()), versions_of(p)));
            }
        }
    } else if payload.get("messages").is_some() {
        // A create body: the prompt's name and folder may sit beside it (as `export` writes).
        found.push((Some(payload.clone()), vec![payload.clone()]));
    } else {
        return Err(
            "expected `{prompt}`, `{prompts}`, `{versions}`, `{version}` or a version \
                    body with `messages`"
                .into(),
        );
    }
    let mut notes = Notes::new(SERVICE);
    let mut prompts = Vec::new();
    for (prompt_obj, mut versions) in found {
        if versions.is_empty() {
            let name = prompt_obj
                .as_ref()
                .and_then(|p| text_of(p, "name"))
                .unwrap_or("?");
            notes.warn(format!("the prompt `{name}` holds no version; skipped"));
            continue;
        }
        if versions
            .iter()
            .all(|v| v.get("version_number").and_then(Value::as_u64).is_some())
        {
            versions.sort_by_key(|v| v.get("version_number").and_then(Value::as_u64));
        }
        let name = prompt_obj.as_ref().and_then(|p| text_of(p, "name"));
        let folder = prompt_obj.as_ref().and_then(|p| {
            p.get("folder")
                .and_then(|f| f.as_str().or_else(|| str_of(f, "name")))
                .map(str::to_string)
                .or_else(|| {
                    let id = text_of(p, "folder_id")?;
                    folders.get(id).cloned()
                })
        });
        if let (Some(p), None) = (&prompt_obj, &folder) {
            if let Some(fid) = text_of(p, "folder_id") {
                notes.warn(format!(
                    "the folder `{fid}` is named nowhere in the payload (add `folders` from GET \
                     /api/prompt-repo/folders): the prompt is imported without a folder"
                ));
            }
        }
        let id = match name {
            Some(n) => Some(super::slug::id(folder.as_deref(), n).map_err(|e| e.to_string())?),
            None => None,
        };
        let mut out = Vec::new();
        for (n, v) in versions.iter().enumerate() {
            if !v.is_object() {
                return Err(format!("version {} is not an object", n + 1));
            }
            let mut prompt = import_version(v, &mut notes)?;
            let mut meta = service_meta(&prompt, SERVICE);
            if let Some(po) = &prompt_obj {
                let prompt_id = text_of(po, "id").or_else(|| text_of(v, "prompt_id"));
                if let Some(pid) = prompt_id.filter(|_| po.get("messages").is_none()) {
                    meta.insert("prompt_id".into(), json!(pid));
                }
                if let Some(fid) = text_of(po, "folder_id") {
                    meta.insert("folder_id".into(), json!(fid));
                }
            } else if let Some(pid) = text_of(v, "prompt_id") {
                meta.insert("prompt_id".into(), json!(pid));
            }
            if let Some(f) = &folder {
                if super::slug::segment(f) != *f {
                    meta.insert("folder".into(), json!(f));
                }
            }
            prompt.metadata.shift_remove(SERVICE.name());
            set_service_meta(&mut prompt, SERVICE, meta);
            if let (Some(name), Some(id)) = (name, &id) {
                let last = id.as_str().rsplit('/').next().unwrap_or_default();
                if name != last {
                    prompt.name = Some(name.to_string());
                }
            }
            finish(&mut prompt, &mut notes);
            out.push(ImportedVersion {
                prompt,
                message: text_of(v, "commit_message").map(str::to_string),
                tags: Vec::new(),
                label: v
                    .get("version_number")
                    .and_then(Value::as_u64)
                    .map_or(format!("version {}", n + 1), |n| format!("v{n}")),
            });
        }
        prompts.push(ImportedPrompt {
            id,
            source_name: name.map(str::to_string),
            versions: out,
        });
    }
    if prompts.is_empty() {
        return Err("it holds no prompt version".into());
    }
    Ok(Imported {
        prompts,
        warnings: notes.into_vec(),
    })
}

/// Every version of a prompt object: `versions`, else `latest_version`.
fn versions_of(p: &Value) -> Vec<Value> {
    match p.get("versions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => list.clone(),
        _ => p
            .get("latest_version")
            .filter(|v| v.is_object())
            .cloned()
            .into_iter()
            .collect(),
    }
}

fn import_version(v: &Value, notes: &mut Notes) -> Result<Prompt, String> {
    let mut meta = Map::new();
    let mut p = Prompt {
        format: FORMAT_VERSION,
        ..Prompt::default()
    };
    let mut params: IndexMap<String, Value> = v
        .get("model_params")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if let Some(Value::Array(tools)) = params.get("tools") {
        let parsed: Option<Vec<_>> = tools.iter().map(tool_from_openai).collect();
        if let Some(parsed) = parsed {
            p.tools = parsed;
            params.shift_remove("tools");
        }
    }
    if !p.tools.is_empty() {
        if let Some(choice) = params.get("tool_choice").and_then(tool_choice_from_openai) {
            p.tool_choice = Some(choice);
            params.shift_remove("tool_choice");
        }
    }
    if let Some(rf) = params
        .get("response_format")
        .and_then(response_format_from_openai)
    {
        p.response_format = Some(rf);
        params.shift_remove("response_format");
    }
    let provider = text_of(v, "provider");
    let model = text_of(v, "model");
    let (provider, name) = match (provider, model) {
        (Some(prov), Some(m)) => (Some(prov.to_string()), Some(m.to_string())),
        (None, Some(m)) => match m.split_once('/') {
            Some((prov, rest)) => (Some(prov.to_string()), Some(rest.to_string())),
            None => (None, Some(m.to_string())),
        },
        _ => (None, None),
    };
    match (provider, name) {
        (Some(provider), Some(name)) => {
            keep_provider(PROVIDERS, &provider, &mut meta);
            p.model = Some(Model {
                provider: provider_from(PROVIDERS, &provider),
                name,
                params,
            });
        }
        (_, name) => {
            if let Some(n) = name {
                notes.warn(format!(
                    "the model `{n}` has no provider: kept under metadata.bifrost"
                ));
                meta.insert("model".into(), json!(n));
            }
            if !params.is_empty() {
                meta.insert("model_params".into(), json!(params));
            }
        }
    }
    let mut entries: Vec<&Value> = v
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if entries.iter().all(|e| e.get("order_index").is_some()) {
        entries.sort_by_key(|e| e.get("order_index").and_then(Value::as_i64));
    }
    let messages: Vec<&Value> = entries
        .into_iter()
        .map(|e| match e.get("message") {
            Some(m) if e.get("order_index").is_some() => m,
            _ => e,
        })
        .collect();
    p.messages = Some(import_messages(&messages, &mut p.inputs, &mut meta, notes)?);
    super::common::warn_unknown_fields(v, VERSION_KEYS, "field", notes);
    set_service_meta(&mut p, SERVICE, meta);
    Ok(p)
}

/// `{{ name }}`: an image URL that is a variable.
fn variable_url(url: &str) -> Option<&str> {
    let inner = url.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let ok = inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(inner)
}

fn import_messages(
    messages: &[&Value],
    inputs: &mut IndexMap<String, Input>,
    meta: &mut Map<String, Value>,
    notes: &mut Notes,
) -> Result<Vec<MessageItem>, String> {
    let mut raw = Map::new();
    let mut aside = Vec::new();
    let mut image_urls = Vec::new();
    let mut out = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        if str_of(m, "originalType") == Some("error") || str_of(m, "currentType") == Some("error") {
            notes.warn(format!(
                "message {} is an error result: kept under metadata.bifrost, not among the \
                 messages",
                i + 1
            ));
            set_aside(&mut aside, out.len(), m);
            continue;
        }
        let (role_name, content, tools) = unwrap_message(m);
        let role = message_role(i, role_name)?;
        if role == crate::model::Role::Tool {
            notes.warn(format!(
                "message {} is a tool result: kept under metadata.bifrost, not among the \
                 messages (an export to Bifrost puts it back)",
                i + 1
            ));
            set_aside(&mut aside, out.len(), m);
            continue;
        }
        let mut keep_raw = tools;
        let content = match content {
            Some(Value::Array(parts)) => {
                let mut list = Vec::new();
                for part in parts {
                    match str_of(part, "type") {
                        Some("text") => list.push(Part {
                            text: Some(str_of(part, "text").unwrap_or_default().to_string()),
                            ..Part::default()
                        }),
                        Some("image_url") => {
                            let url = part
                                .get("image_url")
                                .and_then(|u| u.as_str().or_else(|| str_of(u, "url")))
                                .unwrap_or_default();
                            let name = match variable_url(url) {
                                Some(var) => var.to_string(),
                                None => {
                                    let name = format!("image_{}", image_urls.len() + 1);
                                    inputs.insert(
                                        name.clone(),
                                        Input {
                                            kind: InputType::Image,
                                            default: Some(json!(url)),
                                            ..Input::default()
                                        },
                                    );
                                    image_urls.push(json!(name));
                                    name
                                }
                            };
                            list.push(Part {
                                image: Some(name),
                                ..Part::default()
                            });
                        }
                        other => {
                            notes.warn(format!(
                                "message {} has a {} part, which the prompt format cannot hold: \
                                 kept under metadata.bifrost",
                                i + 1,
                                other.unwrap_or("untyped")
                            ));
                            keep_raw = true;
                        }
                    }
                }
                match list.as_slice() {
                    [] => Content::Text(String::new()),
                    [only] if only.text.is_some() => {
                        Content::Text(only.text.clone().unwrap_or_default())
                    }
                    _ => Content::Parts(list),
                }
            }
            Some(Value::String(s)) => Content::Text(s.clone()),
            _ => Content::Text(String::new()),
        };
        if tools {
            notes.warn(format!(
                "message {} has tool calls: kept under metadata.bifrost (an export to Bifrost \
                 gives them back)",
                i + 1
            ));
        }
        if keep_raw {
            raw.insert(out.len().to_string(), (*m).clone());
        }
        out.push(MessageItem {
            role: Some(role),
            content: Some(content),
            ..MessageItem::default()
        });
    }
    if !raw.is_empty() {
        meta.insert("messages".into(), Value::Object(raw));
    }
    if !aside.is_empty() {
        meta.insert("aside".into(), Value::Array(aside));
    }
    if !image_urls.is_empty() {
        meta.insert("image_urls".into(), Value::Array(image_urls));
    }
    Ok(out)
}
