//! LangWatch prompts: `POST /api/prompts` bodies out; create requests, `GET /api/prompts/{id}`
//! responses, `GET /api/prompts` and `GET /api/prompts/{id}/versions` lists (flat rows, or rows
//! with `configData`) in.
//!
//! A LangWatch prompt has a `handle` (`namespace/name`: the namespace is our folder), a system
//! `prompt` plus `messages`, `inputs` and `outputs` lists (`{identifier, type}`), a litellm-style
//! `model` (`openai/gpt-4o-mini`), `temperature` and `maxTokens`, few-shot `demonstrations` as an
//! inline dataset stored by column (`{inline: {records: {column: [values…]}, columnTypes}}`), and
//! a `responseFormat` (also a `json_schema` output). Version rows carry `tags` (`latest` is not an
//! environment and is skipped).

use crate::interchange::common::{report_description_and_metadata, report_participant_name};
use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    content_text, finish, keep_provider, message_role, openai_content_text, provider_from,
    provider_to, report_common, report_mustache_only, service_meta, set_service_meta, str_of,
    text_of, Notes, ProviderTable,
};
use super::{ExportInput, Exported, Imported, ImportedPrompt, ImportedVersion, Service};
use crate::error::Error;
use crate::model::{
    Content, Example, Input, InputType, MessageItem, Model, Prompt, ResponseFormat, Role,
    FORMAT_VERSION,
};

const SERVICE: Service = Service::Langwatch;

/// Our provider names and LangWatch's (litellm's) model prefixes.
const PROVIDERS: ProviderTable = &[
    ("azure_openai", "azure"),
    ("google", "gemini"),
    ("google", "vertex_ai"),
    ("aws", "bedrock"),
];

/// Sampling parameters LangWatch versions hold besides `temperature` and `max_tokens`.
const SAMPLING: &[&str] = &[
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "seed",
    "top_k",
    "min_p",
    "repetition_penalty",
    "reasoning",
    "reasoning_effort",
    "verbosity",
    "thinkingLevel",
    "effort",
];

/// Row fields read by `import_row` or assigned by the server.
const ROW_KEYS: &[&str] = &[
    "id",
    "handle",
    "scope",
    "name",
    "updatedAt",
    "createdAt",
    "deletedAt",
    "projectId",
    "organizationId",
    "versionId",
    "versionCreatedAt",
    "version",
    "authorId",
    "author",
    "commitMessage",
    "prompt",
    "messages",
    "inputs",
    "outputs",
    "model",
    "temperature",
    "maxTokens",
    "max_tokens",
    "demonstrations",
    "promptingTechnique",
    "prompting_technique",
    "responseFormat",
    "response_format",
    "tags",
    "parameters",
    "schemaVersion",
    "configId",
];

/// A LangWatch input type in our terms.
pub fn input_type_from(t: &str) -> InputType {
    match t {
        "float" => InputType::Number,
        "int" => InputType::Integer,
        "bool" => InputType::Boolean,
        "image" => InputType::Image,
        "dict" => InputType::Object,
        "chat_messages" => InputType::Messages,
        t if t == "list" || t.starts_with("list[") => InputType::Array,
        _ => InputType::String,
    }
}

/// Our input type as a LangWatch input type (`None` when it has none).
pub fn input_type_to(t: InputType) -> Option<&'static str> {
    Some(match t {
        InputType::String => "str",
        InputType::Number | InputType::Integer => "float",
        InputType::Boolean => "bool",
        InputType::Image => "image",
        InputType::Array => "list",
        InputType::Object => "dict",
        InputType::Messages => "chat_messages",
        InputType::Audio => return None,
    })
}

/// The `POST /api/prompts` body for a prompt version.
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let mut body = Map::new();

    let segments: Vec<&str> = input.id.as_str().split('/').collect();
    let handle = if segments.len() <= 2 {
        input.id.to_string()
    } else {
        let h = format!("{}/{}", segments[0], segments[1..].join("-"));
        notes.warn(format!(
            "a handle has at most one `/` (namespace/name): `{}` is sent as `{h}`",
            input.id
        ));
        h
    };
    body.insert("handle".into(), json!(handle));
    body.insert(
        "scope".into(),
        meta.get("scope").cloned().unwrap_or(json!("PROJECT")),
    );
    if let Some(m) = input.message.map(str::trim).filter(|m| !m.is_empty()) {
        body.insert("commitMessage".into(), json!(m));
    }
    if let Some(model) = &p.model {
        let sent = model_string(model, &meta);
        if let Some((theirs, _)) = sent.split_once('/') {
            super::common::report_provider_read_back(
                &model.provider,
                theirs,
                &split_model(&sent).0,
                &mut notes,
            );
        }
        body.insert("model".into(), json!(sent));
        // `temperature` and `maxTokens` have their own fields; every other parameter goes in
        // the free-form `parameters` object under its own name.
        let mut parameters = Map::new();
        for (key, value) in &model.params {
            // Only these exact names: another spelling (`max_output_tokens`) stays in
            // `parameters`, so an import gives back what was sent.
            match key.as_str() {
                "temperature" if !body.contains_key("temperature") => {
                    body.insert("temperature".into(), value.clone());
                }
                "max_tokens" if !body.contains_key("maxTokens") => {
                    body.insert("maxTokens".into(), value.clone());
                }
                _ => {
                    parameters.insert(key.clone(), value.clone());
                }
            }
        }
        if !parameters.is_empty() {
            body.insert("parameters".into(), Value::Object(parameters));
        }
    } else if let Some((provider, name)) = input.default_model {
        body.insert(
            "model".into(),
            json!(format!(
                "{}/{name}",
                provider_to(PROVIDERS, provider, &meta)
            )),
        );
    }

    if p.model.is_none() {
        // Parameters of a version that had no model, kept at import.
        if let Some(kept) = meta.get("params").filter(|k| k.is_object()) {
            body.insert("parameters".into(), kept.clone());
        }
    }
    let (system, messages) = export_messages(p, &mut notes);
    if let Some(s) = system {
        body.insert("prompt".into(), json!(s));
    }
    body.insert("messages".into(), Value::Array(messages));
    body.insert("inputs".into(), export_inputs(p, &meta, &mut notes));
    let outputs = export_outputs(p, &meta);
    if !p.examples.is_empty() {
        let output_names: Vec<String> = outputs
            .iter()
            .filter_map(|o| str_of(o, "identifier"))
            .map(str::to_string)
            .collect();
        body.insert(
            "demonstrations".into(),
            export_demonstrations(p, &meta, &output_names),
        );
    } else if let Some(raw) = meta.get("demonstrations_raw") {
        body.insert("demonstrations".into(), raw.clone());
    }
    if body.contains_key("demonstrations") {
        notes.warn(
            "the create request (LangWatch's PostApiPromptsBody) has no `demonstrations`: they \
             are sent, but a server that follows its schema ignores them",
        );
    }
    body.insert("outputs".into(), Value::Array(outputs));
    if let Some(t) = meta.get("promptingTechnique") {
        notes.warn(
            "the create request has no `promptingTechnique`: it is sent, but a server that \
             follows its schema ignores it",
        );
        body.insert("promptingTechnique".into(), t.clone());
    }
    if let Some(rf) = &p.response_format {
        // The create request has no `responseFormat`; its `outputs` hold the schema.
        notes.warn(format!(
            "the create request has no `responseFormat`: the schema is sent as the json_schema \
             output `{}`",
            rf.name
        ));
        if rf.description.is_some() || rf.strict.is_some() {
            notes.warn("response_format description and strict cannot be held; left out");
        }
    }
    body.insert("schemaVersion".into(), json!("1.0"));

    if !p.tools.is_empty() {
        let names: Vec<&str> = p.tools.iter().map(|t| t.name.as_str()).collect();
        notes.warn(format!(
            "tools ({}) cannot be held; left out",
            names.join(", ")
        ));
    }
    if p.tool_choice.is_some() {
        notes.warn("tool_choice cannot be held; left out");
    }
    if let Some(n) = p.name.as_ref().filter(|n| n.as_str() != input.id.as_str()) {
        notes.warn(format!(
            "the display name `{n}` cannot be held by a create request; left out"
        ));
    }
    report_description_and_metadata(p, &mut notes);
    report_common(p, &mut notes, true, &[]);
    report_mustache_only(p, &mut notes);
    Ok(Exported {
        endpoint: "POST /api/prompts".into(),
        body: Value::Object(body),
        warnings: notes.into_vec(),
    })
}

/// `provider/name`, or the model string as imported when it still says the same.
fn model_string(model: &Model, meta: &Map<String, Value>) -> String {
    if let Some(original) = meta.get("model").and_then(Value::as_str) {
        let (provider, name) = split_model(original);
        if provider == model.provider && name == model.name {
            return original.to_string();
        }
    }
    format!(
        "{}/{}",
        provider_to(PROVIDERS, &model.provider, meta),
        model.name
    )
}

/// Our provider and model name from a litellm-style model string (no prefix: openai).
fn split_model(s: &str) -> (String, String) {
    match s.split_once('/') {
        Some((provider, name)) => (provider_from(PROVIDERS, provider), name.to_string()),
        None => ("openai".to_string(), s.to_string()),
    }
}

/// The system prompt (a first system message) and the other messages.
fn export_messages(p: &Prompt, notes: &mut Notes) -> (Option<String>, Vec<Value>) {
    let Some(items) = &p.messages else {
        notes.warn(
            "LangWatch prompts are chat prompts: the text template is sent as one user message",
        );
        let text = p.template.clone().unwrap_or_default();
        return (None, vec![json!({"role": "user", "content": text})]);
    };
    let mut system = None;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(h) = &item.history {
            notes.warn(format!(
                "the history placeholder `{h}` (message {}) cannot be held; left out (its input \
                 is sent as a chat_messages input)",
                i + 1
            ));
            continue;
        }
        let Some(role) = item.role else { continue };
        report_participant_name(item, i, notes);
        if let Some(Content::Parts(parts)) = &item.content {
            for part in parts {
                if let Some(name) = part.image.as_ref().or(part.audio.as_ref()) {
                    notes.warn(format!(
                        "the media part `{name}` of message {} cannot be held; left out",
                        i + 1
                    ));
                }
            }
        }
        let text = content_text(&item.content);
        let role = match role {
            Role::Developer => {
                notes.warn(format!(
                    "message {} has the role developer, which LangWatch has not: sent as system",
                    i + 1
                ));
                Role::System
            }
            Role::Tool => {
                notes.warn(format!(
                    "message {} has the role tool, which LangWatch has not; left out",
                    i + 1
                ));
                continue;
            }
            r => r,
        };
        if role == Role::System && i == 0 && system.is_none() {
            system = Some(text);
        } else {
            out.push(json!({"role": role.as_str(), "content": text}));
        }
    }
    (system, out)
}

fn export_inputs(p: &Prompt, meta: &Map<String, Value>, notes: &mut Notes) -> Value {
    let originals = meta.get("input_types").and_then(Value::as_object);
    let mut out = Vec::new();
    for (name, input) in &p.inputs {
        let original = originals
            .and_then(|o| o.get(name))
            .and_then(Value::as_str)
            .filter(|t| input_type_from(t) == input.kind);
        let t = match (original, input_type_to(input.kind)) {
            (Some(t), _) => t,
            (None, Some(t)) => t,
            (None, None) => {
                notes.warn(format!(
                    "the input `{name}` has the type {}, which LangWatch has not: sent as str",
                    input.kind.as_str()
                ));
                "str"
            }
        };
        out.push(json!({"identifier": name, "type": t}));
    }
    Value::Array(out)
}

fn export_outputs(p: &Prompt, meta: &Map<String, Value>) -> Vec<Value> {
    let original: Vec<Value> = meta
        .get("outputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match &p.response_format {
        Some(rf) => {
            let same = original.iter().any(|o| {
                str_of(o, "type") == Some("json_schema")
                    && str_of(o, "identifier") == Some(rf.name.as_str())
                    && o.get("json_schema") == Some(&rf.schema)
            });
            if same {
                original
            } else {
                vec![
                    json!({"identifier": rf.name, "type": "json_schema", "json_schema": rf.schema}),
                ]
            }
        }
        None => {
            let kept: Vec<Value> = original
                .into_iter()
                .filter(|o| str_of(o, "type") != Some("json_schema"))
                .collect();
            if kept.is_empty() {
                vec![json!({"identifier": "output", "type": "str"})]
            } else {
                kept
            }
        }
    }
}

/// Our examples as a LangWatch inline dataset, stored by column.
fn export_demonstrations(p: &Prompt, meta: &Map<String, Value>, output_names: &[String]) -> Value {
    let kept = meta.get("demonstrations").and_then(Value::as_object);
    let kept_outputs: Vec<String> = kept
        .and_then(|k| k.get("output_columns"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let outputs: Vec<String> = if kept_outputs.len() > 1 {
        kept_outputs
    } else {
        let first = kept_outputs
            .first()
            .cloned()
            .or_else(|| output_names.first().cloned())
            .unwrap_or_else(|| "output".into());
        vec![first]
    };
    let mut columns: Vec<String> = Vec::new();
    for e in &p.examples {
        for k in e.input.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut records: IndexMap<String, Vec<Value>> = IndexMap::new();
    for c in &columns {
        let values = p
            .examples
            .iter()
            .map(|e| e.input.get(c).cloned().unwrap_or(Value::Null))
            .collect();
        records.insert(c.clone(), values);
    }
    for (n, c) in outputs.iter().enumerate() {
        let values = p
            .examples
            .iter()
            .map(|e| match (&e.output, outputs.len()) {
                (v, 1) => v.clone(),
                (Value::Object(m), _) => m.get(c).cloned().unwrap_or(Value::Null),
                (v, _) if n == 0 => v.clone(),
                _ => Value::Null,
            })
            .collect();
        records.insert(c.clone(), values);
    }
    let kept_types: Vec<Value> = kept
        .and_then(|k| k.get("columnTypes"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let column_types: Vec<Value> = records
        .iter()
        .map(|(name, values)| {
            kept_types
                .iter()
                .find(|t| str_of(t, "name") == Some(name.as_str()))
                .cloned()
                .unwrap_or_else(|| json!({"name": name, "type": column_type(values)}))
        })
        .collect();
    let mut out = Map::new();
    for key in ["id", "name"] {
        if let Some(v) = kept.and_then(|k| k.get(key)) {
            out.insert(key.into(), v.clone());
        }
    }
    out.insert(
        "inline".into(),
        json!({"records": records, "columnTypes": column_types}),
    );
    Value::Object(out)
}

/// A dataset column type for values.
fn column_type(values: &[Value]) -> &'static str {
    let first = values.iter().find(|v| !v.is_null());
    match first {
        Some(Value::Number(_)) => "number",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Array(_) | Value::Object(_)) => "json",
        _ => "string",
    }
}

/// Reads a LangWatch payload: a prompt object (create request or get response), a version row
/// (`{configData, …}`), or a list of rows (versions of one prompt, or several prompts), grouped by
/// handle.
pub fn import(payload: &Value) -> Result<Imported, String> {
    let rows: Vec<Value> = match payload {
        Value::Array(list) => list.iter().map(flatten).collect(),
        Value::Object(o) if o.get("versions").is_some_and(Value::is_array) => o["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                let mut row = flatten(v);
                for key in ["handle", "scope", "name"] {
                    if let (Some(val), Some(r)) = (o.get(key), row.as_object_mut()) {
                        r.entry(key).or_insert(val.clone());
                    }
                }
                row
            })
            .collect(),
        Value::Object(_) => vec![flatten(payload)],
        _ => return Err("expected a prompt object or a list of prompt versions".into()),
    };
    if rows.is_empty() {
        return Err("it holds no prompt".into());
    }
    for (i, r) in rows.iter().enumerate() {
        let looks_like_prompt = r.is_object()
            && ["handle", "prompt", "messages", "model"]
                .iter()
                .any(|k| r.get(*k).is_some());
        if !looks_like_prompt {
            return Err(format!(
                "item {} has none of handle, prompt, messages, model",
                i + 1
            ));
        }
    }
    let mut groups: IndexMap<String, Vec<&Value>> = IndexMap::new();
    for r in &rows {
        let key = text_of(r, "handle")
            .or_else(|| text_of(r, "configId"))
            .or_else(|| text_of(r, "id"))
            .unwrap_or("")
            .to_string();
        groups.entry(key).or_default().push(r);
    }
    let mut notes = Notes::new(SERVICE);
    let mut prompts = Vec::new();
    for (_, mut group) in groups {
        if group
            .iter()
            .all(|r| r.get("version").and_then(Value::as_u64).is_some())
        {
            group.sort_by_key(|r| r.get("version").and_then(Value::as_u64));
        }
        let handle = group.iter().find_map(|r| text_of(r, "handle"));
        let id = match handle {
            Some(h) => Some(super::slug::path_id(h).map_err(|e| e.to_string())?),
            None => None,
        };
        let mut versions = Vec::new();
        for (n, row) in group.iter().enumerate() {
            let mut prompt = import_row(row, &mut notes)?;
            if let (Some(name), Some(id)) = (text_of(row, "name"), &id) {
                if name != id.as_str() && Some(name) != handle {
                    prompt.name = Some(name.to_string());
                }
            }
            finish(&mut prompt, &mut notes);
            versions.push(ImportedVersion {
                prompt,
                message: text_of(row, "commitMessage").map(str::to_string),
                tags: tags_of(row),
                label: row
                    .get("version")
                    .and_then(Value::as_u64)
                    .map_or(format!("version {}", n + 1), |v| format!("v{v}")),
            });
        }
        prompts.push(ImportedPrompt {
            id,
            source_name: handle.map(str::to_string),
            versions,
        });
    }
    Ok(Imported {
        prompts,
        warnings: notes.into_vec(),
    })
}

/// A version row with `configData` as a flat row (`max_tokens` → `maxTokens`, …).
fn flatten(v: &Value) -> Value {
    let Some(Value::Object(config)) = v.get("configData") else {
        return v.clone();
    };
    let mut row = v.as_object().cloned().unwrap_or_default();
    row.remove("configData");
    // In a version row `id` is the version's; the prompt is `configId`.
    if let Some(id) = row.remove("id") {
        row.insert("versionId".into(), id);
    }
    for (k, val) in config {
        let key = match k.as_str() {
            "max_tokens" => "maxTokens",
            "prompting_technique" => "promptingTechnique",
            "response_format" => "responseFormat",
            "version" => continue,
            k => k,
        };
        row.insert(key.to_string(), val.clone());
    }
    Value::Object(row)
}

fn tags_of(row: &Value) -> Vec<String> {
    row.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().or_else(|| str_of(t, "name")))
        .filter(|t| *t != "latest")
        .map(str::to_string)
        .collect()
}

fn import_row(row: &Value, notes: &mut Notes) -> Result<Prompt, String> {
    let mut meta = Map::new();
    let mut p = Prompt {
        format: FORMAT_VERSION,
        ..Prompt::default()
    };
    if let Some(scope) = text_of(row, "scope").filter(|s| *s != "PROJECT") {
        meta.insert("scope".into(), json!(scope));
    }
    let mut params = IndexMap::new();
    if let Some(t) = row.get("temperature").filter(|t| !t.is_null()) {
        params.insert("temperature".to_string(), t.clone());
    }
    if let Some(t) = row
        .get("maxTokens")
        .or_else(|| row.get("max_tokens"))
        .filter(|t| !t.is_null())
    {
        params.insert("max_tokens".to_string(), t.clone());
    }
    for key in SAMPLING {
        if let Some(v) = row.get(*key).filter(|v| !v.is_null()) {
            params.insert(key.to_string(), v.clone());
        }
    }
    // Every key of the free-form `parameters` object, not only the known ones.
    match row.get("parameters") {
        Some(Value::Object(extra)) => {
            for (k, v) in extra.iter().filter(|(_, v)| !v.is_null()) {
                params.insert(k.clone(), v.clone());
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => notes.warn(format!("`parameters` is not an object ({other}); ignored")),
    }
    if text_of(row, "model").is_none() && !params.is_empty() {
        let names: Vec<&str> = params.keys().map(String::as_str).collect();
        notes.warn(format!(
            "a version without a `model` has parameters ({}): kept under metadata.langwatch \
             (model.params needs a model)",
            names.join(", ")
        ));
        let kept: Map<String, Value> = params.drain(..).collect();
        meta.insert("params".into(), Value::Object(kept));
    }
    if let Some(m) = text_of(row, "model") {
        let (provider, name) = split_model(m);
        let params = std::mem::take(&mut params);
        if !m.contains('/') {
            notes.warn(format!(
                "the model `{m}` names no provider (litellm's provider/model): read as openai"
            ));
            meta.insert("model".into(), json!(m));
        } else if let Some((theirs, _)) = m.split_once('/') {
            keep_provider(PROVIDERS, theirs, &mut meta);
            if meta.contains_key("provider") {
                meta.remove("provider");
                meta.insert("model".into(), json!(m));
            }
        }
        p.model = Some(Model {
            provider,
            name,
            params,
        });
    }

    let mut messages = Vec::new();
    let system = text_of(row, "prompt");
    if let Some(s) = system {
        messages.push(MessageItem::text(Role::System, s));
    }
    for (i, m) in row
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let role = message_role(i, str_of(m, "role"))?;
        let text = openai_content_text(m.get("content"));
        // Get responses repeat the system prompt as the first message.
        if i == 0 && role == Role::System && system == Some(text.as_str()) {
            continue;
        }
        messages.push(MessageItem::text(role, text));
    }
    if messages.is_empty() {
        return Err("a version has neither `prompt` nor `messages`".into());
    }
    p.messages = Some(messages);

    let mut input_types = Map::new();
    for i in row
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = text_of(i, "identifier").or_else(|| text_of(i, "name")) else {
            continue;
        };
        let t = str_of(i, "type").unwrap_or("str");
        let kind = input_type_from(t);
        if input_type_to(kind) != Some(t) {
            input_types.insert(name.to_string(), json!(t));
        }
        p.inputs.insert(
            name.to_string(),
            Input {
                kind,
                ..Input::default()
            },
        );
    }
    if !input_types.is_empty() {
        meta.insert("input_types".into(), Value::Object(input_types));
    }

    let outputs: Vec<Value> = row
        .get("outputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let rf = row
        .get("responseFormat")
        .or_else(|| row.get("response_format"))
        .filter(|r| !r.is_null());
    p.response_format = match rf
        .and_then(|r| r.get("json_schema"))
        .filter(|d| !d.is_null())
    {
        Some(def) => Some(ResponseFormat {
            name: str_of(def, "name").unwrap_or("output").to_string(),
            description: None,
            schema: def.get("schema").cloned().unwrap_or_else(|| json!({})),
            strict: None,
        }),
        None => outputs
            .iter()
            .find(|o| str_of(o, "type") == Some("json_schema"))
            .and_then(|o| {
                Some(ResponseFormat {
                    name: str_of(o, "identifier")?.to_string(),
                    description: None,
                    schema: o.get("json_schema")?.clone(),
                    strict: None,
                })
            }),
    };

    // Outputs are kept only when an export would not derive the same from the response format.
    if !outputs.is_empty() && export_outputs(&p, &Map::new()) != outputs {
        meta.insert("outputs".into(), Value::Array(outputs.clone()));
    }
    if let Some(d) = row.get("demonstrations").filter(|d| !d.is_null()) {
        let output_names: Vec<String> = outputs
            .iter()
            .filter_map(|o| str_of(o, "identifier"))
            .map(str::to_string)
            .collect();
        import_demonstrations(d, &output_names, &mut p, &mut meta, notes);
    }
    if let Some(t) = row
        .get("promptingTechnique")
        .or_else(|| row.get("prompting_technique"))
        .filter(|t| !t.is_null())
    {
        meta.insert("promptingTechnique".into(), t.clone());
    }
    let mut known: Vec<&str> = ROW_KEYS.to_vec();
    known.extend(SAMPLING);
    super::common::warn_unknown_fields(row, &known, "field", notes);
    set_service_meta(&mut p, SERVICE, meta);
    Ok(p)
}

/// LangWatch's demonstrations (an inline dataset by column, or columns and rows) as examples:
/// the columns named like an output are the answer, the others the input values.
fn import_demonstrations(
    d: &Value,
    output_names: &[String],
    p: &mut Prompt,
    meta: &mut Map<String, Value>,
    notes: &mut Notes,
) {
    // (column, its name in the rows), types, and rows.
    let mut columns: Vec<(String, String)> = Vec::new();
    let mut types: Vec<Value> = Vec::new();
    let mut rows: Vec<Map<String, Value>> = Vec::new();
    let mut derived_types = false;
    if let Some(inline) = d.get("inline") {
        let records = inline
            .get("records")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        types = inline
            .get("columnTypes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let count = records
            .values()
            .filter_map(Value::as_array)
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        for name in records.keys() {
            columns.push((name.clone(), name.clone()));
        }
        // Column types an export derives from the values again need not be kept.
        let derived: Vec<Value> = records
            .iter()
            .map(|(name, values)| {
                let values = values.as_array().cloned().unwrap_or_default();
                json!({"name": name, "type": column_type(&values)})
            })
            .collect();
        if types == derived {
            derived_types = true;
        }
        for i in 0..count {
            let mut row = Map::new();
            for (name, values) in &records {
                if let Some(v) = values.as_array().and_then(|a| a.get(i)) {
                    row.insert(name.clone(), v.clone());
                }
            }
            rows.push(row);
        }
    } else if let (Some(Value::Array(cols)), Some(Value::Array(list))) =
        (d.get("columns"), d.get("rows"))
    {
        for c in cols {
            let name = text_of(c, "id")
                .or_else(|| text_of(c, "name"))
                .unwrap_or_default()
                .to_string();
            columns.push((name.clone(), name));
        }
        types = cols.clone();
        rows = list.iter().filter_map(|r| r.as_object().cloned()).collect();
    }
    if rows.is_empty() {
        return;
    }
    let mut output_columns: Vec<String> = columns
        .iter()
        .map(|(c, _)| c.clone())
        .filter(|c| output_names.contains(c))
        .collect();
    if output_columns.is_empty() && columns.iter().any(|(c, _)| c == "output") {
        output_columns.push("output".into());
    }
    if output_columns.is_empty() {
        notes.warn(
            "demonstrations have no column named like an output: kept under metadata.langwatch, \
             not as examples",
        );
        meta.insert("demonstrations_raw".into(), d.clone());
        return;
    }
    for row in &rows {
        let mut input = IndexMap::new();
        for (c, key) in &columns {
            if output_columns.contains(c) || key == "id" {
                continue;
            }
            if let Some(v) = row.get(key) {
                input.insert(c.clone(), v.clone());
            }
        }
        let output = if output_columns.len() == 1 {
            row.get(&output_columns[0]).cloned().unwrap_or(Value::Null)
        } else {
            Value::Object(
                output_columns
                    .iter()
                    .filter_map(|c| row.get(c).map(|v| (c.clone(), v.clone())))
                    .collect(),
            )
        };
        p.examples.push(Example { input, output });
    }
    // Values a spreadsheet gives as text become the declared type when they read as one.
    let declared: BTreeMap<String, InputType> =
        p.inputs.iter().map(|(k, i)| (k.clone(), i.kind)).collect();
    for e in &mut p.examples {
        for (k, v) in e.input.iter_mut() {
            if let (Some(kind), Value::String(s)) = (declared.get(k), &*v) {
                let typed = match kind {
                    InputType::Integer => s.trim().parse::<i64>().ok().map(Value::from),
                    InputType::Number => match s.trim().parse::<i64>() {
                        Ok(n) => Some(Value::from(n)),
                        Err(_) => s
                            .trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number),
                    },
                    InputType::Boolean => match s.trim() {
                        "true" => Some(Value::Bool(true)),
                        "false" => Some(Value::Bool(false)),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(t) = typed {
                    *v = t;
                }
            }
        }
    }
    let mut kept = Map::new();
    for key in ["id", "name"] {
        if let Some(v) = d.get(key).filter(|v| !v.is_null()) {
            kept.insert(key.into(), v.clone());
        }
    }
    if !types.is_empty() && !derived_types {
        kept.insert("columnTypes".into(), Value::Array(types));
    }
    if output_columns.len() > 1 || output_names.first() != output_columns.first() {
        kept.insert("output_columns".into(), json!(output_columns));
    }
    if !kept.is_empty() {
        meta.insert("demonstrations".into(), Value::Object(kept));
    }
}
