//! Freeplay prompt templates: `POST /api/v2/projects/{project_id}/prompt-templates/name/{name}/versions`
//! bodies out; create requests, template version get responses (`{prompt_template_name, metadata:
//! {provider, model, params, flavor}, content, tool_schema, output_schema}`) and lists of them in.
//!
//! Freeplay messages are `{role, content, media_slots: [{type, placeholder_name}]}` or a history
//! placeholder `{kind: history}`: the placeholder becomes `- history: history` (an input `history`
//! of type messages) and image and audio slots become content parts with inputs of that type.
//! Model settings are free-form `llm_parameters` (tool choice rides along as `tool_choice`); tools
//! are `tool_schema` (`{name, description, parameters}`); structured output is `output_schema`, a
//! JSON Schema. A version lists the `environments` it is deployed to.

use crate::interchange::common::required_model;
use crate::interchange::common::{report_description_and_metadata, report_participant_name};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    content_text, finish, keep_provider, message_role, meta_str, openai_content_text,
    provider_from, provider_to, report_common, report_mustache_only, service_meta,
    set_service_meta, str_of, text_of, tool_choice_from_openai, Notes, ProviderTable,
};
use super::{ExportInput, Exported, Imported, ImportedPrompt, ImportedVersion, Service};
use crate::error::Error;
use crate::model::{
    Content, MessageItem, Model, Part, Prompt, ResponseFormat, ToolChoice, ToolChoiceMode,
    FORMAT_VERSION,
};

const SERVICE: Service = Service::Freeplay;

/// Our provider names and Freeplay's (several of theirs may read as one of ours).
const PROVIDERS: ProviderTable = &[
    ("azure_openai", "azure"),
    ("google", "gemini"),
    ("google", "vertex"),
    ("aws", "bedrock"),
];

/// The name Freeplay gives the history placeholder's messages.
const HISTORY: &str = "history";

/// Fields of a template version read by `import_version` or assigned by the server.
const VERSION_KEYS: &[&str] = &[
    "prompt_template_id",
    "prompt_template_version_id",
    "environment",
    "prompt_template_name",
    "template_name",
    "name",
    "version_name",
    "version_description",
    "metadata",
    "format_version",
    "project_id",
    "content",
    "template_messages",
    "model",
    "provider",
    "llm_parameters",
    "tool_schema",
    "output_schema",
    "environments",
    "created_at",
    "updated_at",
];

/// A template version's create body.
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let model = required_model(input, &mut notes, "Freeplay")?;
    let mut body = Map::new();
    body.insert(
        "template_messages".into(),
        export_messages(p, &meta, &mut notes),
    );
    body.insert("model".into(), json!(model.name));
    let provider = provider_to(PROVIDERS, &model.provider, &meta);
    super::common::report_provider_read_back(
        &model.provider,
        &provider,
        &provider_from(PROVIDERS, &provider),
        &mut notes,
    );
    body.insert("provider".into(), json!(provider));
    let message = input.message.map(str::trim).filter(|m| !m.is_empty());
    body.insert(
        "version_name".into(),
        json!(message.and_then(|m| m.lines().next())),
    );
    body.insert("version_description".into(), json!(message));
    let mut params: Map<String, Value> = model
        .params
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(choice) = &p.tool_choice {
        params.insert("tool_choice".into(), tool_choice(choice, &model.provider));
    }
    body.insert("llm_parameters".into(), Value::Object(params));
    if !p.tools.is_empty() {
        let tools: Vec<Value> = p
            .tools
            .iter()
            .map(|t| {
                if t.strict.is_some() {
                    notes.warn(format!(
                        "tool `{}`: `strict` cannot be held; left out",
                        t.name
                    ));
                }
                let mut o = Map::new();
                o.insert("name".into(), json!(t.name));
                // The SDK's ToolSchema requires a description; an empty one reads back as none.
                o.insert(
                    "description".into(),
                    json!(t.description.as_deref().unwrap_or("")),
                );
                o.insert(
                    "parameters".into(),
                    t.parameters
                        .clone()
                        .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
                );
                Value::Object(o)
            })
            .collect();
        body.insert("tool_schema".into(), Value::Array(tools));
    }
    if let Some(rf) = &p.response_format {
        body.insert("output_schema".into(), output_schema(rf, &meta, &mut notes));
        notes.warn(
            "the Freeplay SDK's create_version has no output_schema: it is in this body, but a \
             version created through the SDK loses it",
        );
    }
    if !input.environments.is_empty() {
        body.insert("environments".into(), json!(input.environments));
    }
    report_description_and_metadata(p, &mut notes);
    report_common(p, &mut notes, false, &[]);
    report_mustache_only(p, &mut notes);
    let project = meta_str(&meta, "project_id").unwrap_or("{project_id}");
    // The SDK's create_version posts to the template's name (URL-encoded).
    let name = p.name.as_deref().unwrap_or(input.id.as_str());
    Ok(Exported {
        endpoint: format!(
            "POST /api/v2/projects/{project}/prompt-templates/name/{}/versions",
            url_encode(name)
        ),
        body: Value::Object(body),
        warnings: notes.into_vec(),
    })
}

/// Percent-encodes a path segment (a `/` in a name is encoded too, so it stays one segment).
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Tool choice in the provider's own form (Freeplay passes `llm_parameters` through).
fn tool_choice(choice: &ToolChoice, provider: &str) -> Value {
    if provider != "anthropic" {
        return super::common::tool_choice_to_openai(choice);
    }
    match choice {
        ToolChoice::Mode(ToolChoiceMode::Auto) => json!({"type": "auto"}),
        ToolChoice::Mode(ToolChoiceMode::Required) => json!({"type": "any"}),
        ToolChoice::Mode(ToolChoiceMode::None) => json!({"type": "none"}),
        ToolChoice::Named { name } => json!({"type": "tool", "name": name}),
    }
}

/// The output schema: the JSON Schema itself, or `{name, schema, …}` when imported so.
fn output_schema(rf: &ResponseFormat, meta: &Map<String, Value>, notes: &mut Notes) -> Value {
    if meta.get("output_schema_wrapped") == Some(&Value::Bool(true)) {
        let mut o = Map::new();
        o.insert("name".into(), json!(rf.name));
        if let Some(d) = &rf.description {
            o.insert("description".into(), json!(d));
        }
        o.insert("schema".into(), rf.schema.clone());
        if let Some(s) = rf.strict {
            o.insert("strict".into(), json!(s));
        }
        return Value::Object(o);
    }
    let title = str_of(&rf.schema, "title");
    if rf.name != "output" && title != Some(rf.name.as_str()) {
        notes.warn(format!(
            "the response format name `{}` cannot be held (the output schema is a bare JSON \
             Schema); left out",
            rf.name
        ));
    }
    if rf.description.is_some() || rf.strict.is_some() {
        notes.warn("response_format description and strict cannot be held; left out");
    }
    rf.schema.clone()
}

fn export_messages(p: &Prompt, meta: &Map<String, Value>, notes: &mut Notes) -> Value {
    let Some(items) = &p.messages else {
        notes.warn(
            "Freeplay templates are chat messages: the text template is sent as one user message",
        );
        return json!([{"role": "user", "content": p.template.clone().unwrap_or_default()}]);
    };
    let raw = meta.get("messages").and_then(Value::as_object);
    let media_names = meta.get("media_names").and_then(Value::as_object);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(h) = &item.history {
            if h != HISTORY {
                notes.warn(format!(
                    "the history placeholder `{h}` becomes Freeplay's `history` (its messages are \
                     passed as history)"
                ));
            }
            out.push(json!({"kind": "history"}));
            continue;
        }
        let Some(role) = item.role else { continue };
        report_participant_name(item, i, notes);
        let text = content_text(&item.content);
        let mut slots = Vec::new();
        if let Some(Content::Parts(parts)) = &item.content {
            let mut seen_media = false;
            let mut texts = 0;
            for part in parts {
                let (kind, name) = match (&part.image, &part.audio) {
                    (Some(n), _) => ("image", n),
                    (_, Some(n)) => ("audio", n),
                    _ => {
                        texts += 1;
                        if seen_media {
                            notes.warn(format!(
                                "message {}: text after a media part is sent before the media \
                                 slots (Freeplay keeps text and slots apart)",
                                i + 1
                            ));
                        }
                        continue;
                    }
                };
                seen_media = true;
                let placeholder = media_names
                    .and_then(|m| m.get(name))
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                slots.push(json!({"type": kind, "placeholder_name": placeholder}));
            }
            if texts > 1 {
                notes.warn(format!(
                    "message {}: its {texts} text parts are joined into one text",
                    i + 1
                ));
            }
        }
        if let Some(original) = raw.and_then(|r| r.get(&i.to_string())) {
            if str_of(original, "content").unwrap_or_default() == text {
                out.push(original.clone());
                continue;
            }
            notes.warn(format!(
                "message {} changed since it was imported: its file slots are left out",
                i + 1
            ));
        }
        let mut m = Map::new();
        m.insert("role".into(), json!(role.as_str()));
        m.insert("content".into(), json!(text));
        if !slots.is_empty() {
            m.insert("media_slots".into(), Value::Array(slots));
        }
        out.push(Value::Object(m));
    }
    Value::Array(out)
}

/// Reads a Freeplay payload: a create body, a template version (get response), or a list of them
/// (`[…]`, `{data: […]}`, `{prompt_template_versions: […]}`), grouped by template.
pub fn import(payload: &Value) -> Result<Imported, String> {
    let items: Vec<&Value> = match payload {
        Value::Array(list) => list.iter().collect(),
        Value::Object(o) => {
            let list = ["data", "prompt_template_versions", "versions"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_array));
            match list {
                Some(l) => l.iter().collect(),
                None => vec![payload],
            }
        }
        _ => return Err("expected a template version object or a list of them".into()),
    };
    if items.is_empty() {
        return Err("it holds no template version".into());
    }
    for (i, v) in items.iter().enumerate() {
        if v.get("template_messages").is_none() && v.get("content").is_none() {
            return Err(format!(
                "item {} has neither `template_messages` (a create request) nor `content` (a \
                 template version)",
                i + 1
            ));
        }
    }
    let mut groups: IndexMap<String, Vec<&Value>> = IndexMap::new();
    for v in items {
        let key = text_of(v, "prompt_template_id")
            .or_else(|| name_of(v))
            .unwrap_or("")
            .to_string();
        groups.entry(key).or_default().push(v);
    }
    let mut notes = Notes::new(SERVICE);
    let mut prompts = Vec::new();
    for (_, mut group) in groups {
        if group.iter().all(|v| text_of(v, "created_at").is_some()) {
            group.sort_by_key(|v| text_of(v, "created_at").map(str::to_string));
        }
        let name = group.iter().find_map(|v| name_of(v));
        let id = match name {
            Some(n) => Some(super::slug::id(None, n).map_err(|e| e.to_string())?),
            None => None,
        };
        let mut versions = Vec::new();
        for (n, v) in group.iter().enumerate() {
            let mut prompt = import_version(v, &mut notes)?;
            if let (Some(name), Some(id)) = (name, &id) {
                if name != id.as_str() {
                    prompt.name = Some(name.to_string());
                }
            }
            finish(&mut prompt, &mut notes);
            let message = text_of(v, "version_description").or_else(|| text_of(v, "version_name"));
            versions.push(ImportedVersion {
                prompt,
                message: message.map(str::to_string),
                tags: v
                    .get("environments")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|e| *e != "latest")
                    .map(str::to_string)
                    .collect(),
                label: text_of(v, "version_name")
                    .or_else(|| text_of(v, "prompt_template_version_id"))
                    .map_or(format!("version {}", n + 1), str::to_string),
            });
        }
        prompts.push(ImportedPrompt {
            id,
            source_name: name.map(str::to_string),
            versions,
        });
    }
    Ok(Imported {
        prompts,
        warnings: notes.into_vec(),
    })
}

fn name_of(v: &Value) -> Option<&str> {
    text_of(v, "prompt_template_name")
        .or_else(|| text_of(v, "template_name"))
        .or_else(|| text_of(v, "name"))
}

/// A media slot's placeholder as an input name: identifiers only (`some-audio` → `some_audio`).
fn input_name(placeholder: &str) -> String {
    let mut s: String = placeholder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

fn import_version(v: &Value, notes: &mut Notes) -> Result<Prompt, String> {
    let mut meta = Map::new();
    let mut p = Prompt {
        format: FORMAT_VERSION,
        ..Prompt::default()
    };
    let info = v.get("metadata").filter(|m| m.is_object());
    let provider = str_of(v, "provider").or_else(|| info.and_then(|m| str_of(m, "provider")));
    let model_name = str_of(v, "model").or_else(|| info.and_then(|m| str_of(m, "model")));
    let params = v
        .get("llm_parameters")
        .or_else(|| info.and_then(|m| m.get("params")))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(m) = info {
        for key in ["flavor", "provider_info"] {
            if let Some(x) = m.get(key).filter(|x| !x.is_null()) {
                meta.insert(key.into(), x.clone());
            }
        }
    }
    for (ours, theirs) in [
        ("template_id", "prompt_template_id"),
        ("version_id", "prompt_template_version_id"),
        ("project_id", "project_id"),
        ("environment", "environment"),
    ] {
        if let Some(x) = text_of(v, theirs) {
            meta.insert(ours.into(), json!(x));
        }
    }
    let mut params: IndexMap<String, Value> = params.into_iter().collect();
    for t in v
        .get("tool_schema")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(tool) = super::common::tool_from_openai(t) {
            p.tools.push(tool);
        }
    }
    // A tool choice without tools stays a parameter (`check` refuses it as a `tool_choice`).
    if !p.tools.is_empty() {
        if let Some(choice) = params.get("tool_choice").and_then(tool_choice_from_openai) {
            p.tool_choice = Some(choice);
            params.shift_remove("tool_choice");
        }
    }
    match (provider, model_name) {
        (Some(provider), Some(name)) => {
            keep_provider(PROVIDERS, provider, &mut meta);
            p.model = Some(Model {
                provider: provider_from(PROVIDERS, provider),
                name: name.to_string(),
                params,
            });
        }
        _ => {
            if !params.is_empty() {
                notes.warn("LLM parameters without a model are kept under metadata.freeplay");
                meta.insert("llm_parameters".into(), json!(params));
            }
        }
    }
    let messages = v
        .get("template_messages")
        .or_else(|| v.get("content"))
        .and_then(Value::as_array)
        .ok_or("a template version has no message list")?;
    p.messages = Some(import_messages(messages, &mut meta, notes)?);
    if let Some(schema) = v.get("output_schema").filter(|s| s.is_object()) {
        p.response_format = Some(match (schema.get("schema"), str_of(schema, "name")) {
            (Some(inner), Some(name)) => {
                meta.insert("output_schema_wrapped".into(), json!(true));
                ResponseFormat {
                    name: name.to_string(),
                    description: str_of(schema, "description").map(str::to_string),
                    schema: inner.clone(),
                    strict: schema.get("strict").and_then(Value::as_bool),
                }
            }
            _ => ResponseFormat {
                name: text_of(schema, "title").unwrap_or("output").to_string(),
                description: None,
                schema: schema.clone(),
                strict: None,
            },
        });
    }
    super::common::warn_unknown_fields(v, VERSION_KEYS, "field", notes);
    set_service_meta(&mut p, SERVICE, meta);
    Ok(p)
}

fn import_messages(
    messages: &[Value],
    meta: &mut Map<String, Value>,
    notes: &mut Notes,
) -> Result<Vec<MessageItem>, String> {
    let mut raw = Map::new();
    let mut media_names = Map::new();
    let mut out = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        if str_of(m, "kind") == Some("history") {
            out.push(MessageItem {
                history: Some(HISTORY.to_string()),
                ..MessageItem::default()
            });
            continue;
        }
        let role = message_role(i, str_of(m, "role"))?;
        let text = openai_content_text(m.get("content"));
        let slots = m
            .get("media_slots")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let content = if slots.is_empty() {
            Content::Text(text)
        } else {
            let mut parts = Vec::new();
            if !text.is_empty() {
                parts.push(Part {
                    text: Some(text),
                    ..Part::default()
                });
            }
            for slot in &slots {
                let Some(placeholder) = text_of(slot, "placeholder_name") else {
                    continue;
                };
                let name = input_name(placeholder);
                if name != placeholder {
                    media_names.insert(name.clone(), json!(placeholder));
                }
                match str_of(slot, "type") {
                    Some("image") => parts.push(Part {
                        image: Some(name),
                        ..Part::default()
                    }),
                    Some("audio") => parts.push(Part {
                        audio: Some(name),
                        ..Part::default()
                    }),
                    other => {
                        notes.warn(format!(
                            "message {}: the {} slot `{placeholder}` cannot be held (content \
                             parts are text, image and audio): the message is kept under \
                             metadata.freeplay",
                            i + 1,
                            other.unwrap_or("untyped")
                        ));
                        raw.insert(i.to_string(), m.clone());
                    }
                }
            }
            if parts.is_empty() {
                Content::Text(String::new())
            } else {
                Content::Parts(parts)
            }
        };
        out.push(MessageItem {
            role: Some(role),
            content: Some(content),
            ..MessageItem::default()
        });
    }
    if !raw.is_empty() {
        meta.insert("messages".into(), Value::Object(raw));
    }
    if !media_names.is_empty() {
        meta.insert("media_names".into(), Value::Object(media_names));
    }
    Ok(out)
}
