//! Google dotprompt files (`.prompt`): YAML front matter (model, config, Picoschema input and
//! output schemas) and a Handlebars body whose `{{role}}`, `{{history}}` and `{{media}}` markers
//! split it into messages and parts.
//!
//! A file reads as a chat prompt: dotprompt renders a body without role markers as one user
//! message. A partial (`_name.prompt`) reads as a text prompt, which is what our partials are.
//! Each message's text is trimmed at both ends: dotprompt keeps the line breaks around the
//! markers, which carry no meaning. Handlebars is converted by `handlebars`; what has no mustache
//! equivalent is an error naming it.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{
    finish, keep_provider, provider_from, provider_to, report_common,
    report_description_and_metadata, service_meta, set_service_meta, Notes, ProviderTable,
};
use super::files::{front_matter, id_of, one_file, prompt_from_front, write_front_matter};
use super::handlebars::{self, Piece};
use super::{ExportInput, Exported, Imported, Service};
use crate::error::Error;
use crate::model::{
    Content, Input, InputType, MessageItem, Model, Part, Prompt, ResponseFormat, Role, Syntax,
};

const SERVICE: Service = Service::Dotprompt;

/// Our provider names and dotprompt's model prefixes (Genkit plugin names).
const PROVIDERS: ProviderTable = &[("gemini", "googleai"), ("google", "googleai")];

/// `config` keys with a name of ours: dotprompt's (Genkit's) on the right.
const PARAMS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("max_tokens", "maxOutputTokens"),
    ("top_p", "topP"),
    ("top_k", "topK"),
    ("stop", "stopSequences"),
];

/// Front matter keys read into the prompt; others are kept under `metadata.dotprompt`.
const KNOWN: &[&str] = &["name", "description", "model", "config", "input", "output"];

/// Reads one `.prompt` file; `path` is its path below the folder imported.
pub fn import(path: &str, text: &str) -> Result<Imported, String> {
    let mut notes = Notes::new(SERVICE);
    let (front, body) = front_matter(text)?;
    let id = id_of(path, "prompt")?;
    let partial = path.rsplit('/').next().is_some_and(|f| f.starts_with('_'));
    let mut p = prompt_from_front(&front);
    let mut meta = Map::new();
    if let Some(model) = front.get("model").and_then(Value::as_str) {
        let (prefix, name) = model.split_once('/').unwrap_or(("", model));
        if prefix.is_empty() {
            return Err(format!(
                "the model `{model}` names no provider (`googleai/…`, `openai/…`)"
            ));
        }
        keep_provider(PROVIDERS, prefix, &mut meta);
        p.model = Some(Model {
            provider: provider_from(PROVIDERS, prefix),
            name: name.to_string(),
            params: IndexMap::new(),
        });
    }
    if let Some(Value::Object(config)) = front.get("config") {
        let Some(model) = &mut p.model else {
            return Err("`config` without a `model` has nowhere to go".into());
        };
        for (k, v) in config {
            let ours = PARAMS
                .iter()
                .find(|(_, theirs)| theirs == k)
                .map_or(k.as_str(), |(o, _)| o);
            model.params.insert(ours.to_string(), v.clone());
        }
    }
    let input = front.get("input").cloned().unwrap_or(Value::Null);
    if let Some(schema) = input.get("schema").filter(|s| !s.is_null()) {
        let schema = to_json_schema(schema)?;
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, prop) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let mut input = input_of(prop, &mut notes, name);
            if !required.contains(&name.as_str()) {
                input.required = Some(false);
            }
            p.inputs.insert(name.clone(), input);
        }
        meta.insert("input_schema".into(), input["schema"].clone());
    }
    if let Some(Value::Object(defaults)) = input.get("default") {
        for (name, v) in defaults {
            let entry = p.inputs.entry(name.clone()).or_insert_with(|| Input {
                kind: super::common::input_type_of(v),
                ..Input::default()
            });
            entry.default = Some(v.clone());
            entry.required = None;
        }
    }
    if let Some(output) = front.get("output") {
        if let Some(schema) = output.get("schema").filter(|s| !s.is_null()) {
            p.response_format = Some(ResponseFormat {
                name: "output".into(),
                description: None,
                schema: to_json_schema(schema)?,
                strict: None,
            });
        }
        let rest = super::common::unknown_keys(output, &["schema"]);
        if !rest.is_empty() {
            meta.insert("output".into(), Value::Object(rest));
        }
    }
    for (k, v) in &front {
        if !KNOWN.contains(&k.as_str()) {
            meta.insert(k.clone(), v.clone());
            if k == "tools" {
                notes.warn(
                    "`tools` names tools defined in code; the names are kept under \
                     metadata.dotprompt.tools (a prompt file's tools need their JSON Schema)",
                );
            }
        }
    }
    let types: HashMap<String, InputType> =
        p.inputs.iter().map(|(k, i)| (k.clone(), i.kind)).collect();
    // dotprompt trims the body after front matter; a file without one (a partial, often) is
    // used as it is.
    let has_front = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("---");
    let source = if has_front {
        body.trim()
    } else {
        body.as_str()
    };
    let pieces = handlebars::read(source, &types)?;
    if partial {
        let mut text = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => text.push_str(&t),
                _ => {
                    return Err(
                        "a partial with role, history or media markers cannot be a text \
                         prompt (our partials are text)"
                            .into(),
                    )
                }
            }
        }
        p.template = Some(text);
    } else {
        p.messages = Some(messages(pieces, &mut p.inputs)?);
    }
    set_service_meta(&mut p, SERVICE, meta);
    let declared: Vec<String> = p.inputs.keys().cloned().collect();
    finish(&mut p, &mut notes);
    // Without a schema, the type the template's use proves (`{{#each x}}` a list, `{{x.y}}` an
    // object), not a guess from mustache's reading of the converted text.
    for (name, kind) in handlebars::proven_types(source) {
        if declared.contains(&name) {
            continue;
        }
        if let Some(input) = p.inputs.get_mut(&name) {
            if !matches!(
                input.kind,
                InputType::Messages | InputType::Image | InputType::Audio
            ) {
                input.kind = kind;
            }
        }
    }
    let names: Vec<String> = p.inputs.keys().cloned().collect();
    for name in handlebars::outer_names_in_each(source, &names) {
        notes.warn(format!(
            "`{{{{{name}}}}}` inside an `{{{{#each}}}}` is the item's field to Handlebars (empty when \
             an item has none); the imported mustache section falls back to the input `{name}` \
             there"
        ));
    }
    // dotprompt renders `{{history}}` as nothing when it is given no messages.
    if let Some(h) = p
        .inputs
        .get_mut("history")
        .filter(|i| i.kind == InputType::Messages)
    {
        h.required = Some(false);
    }
    Ok(one_file(id, path, p, notes.into_vec()))
}

/// An input from a JSON Schema property (`type` may be `[t, "null"]` for an optional one).
fn input_of(prop: &Value, notes: &mut Notes, name: &str) -> Input {
    let kind_name = match prop.get("type") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    };
    let kind = match kind_name {
        Some("number") => InputType::Number,
        Some("integer") => InputType::Integer,
        Some("boolean") => InputType::Boolean,
        Some("array") => InputType::Array,
        Some("object") => InputType::Object,
        Some("string") => InputType::String,
        None if prop.get("enum").is_some() => InputType::String,
        other => {
            notes.warn(format!(
                "the input `{name}` is of type `{}`, read as a string",
                other.unwrap_or("any")
            ));
            InputType::String
        }
    };
    let allowed = prop.get("enum").and_then(Value::as_array).map(|list| {
        list.iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect::<Vec<_>>()
    });
    Input {
        kind,
        description: prop
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        allowed,
        ..Input::default()
    }
}

/// The messages of a body's pieces, as dotprompt splits them: a role marker starts a new message
/// (or renames an empty one), `{{history}}` splices the conversation and continues as the model.
fn messages(
    pieces: Vec<Piece>,
    inputs: &mut IndexMap<String, Input>,
) -> Result<Vec<MessageItem>, String> {
    let mut out: Vec<MessageItem> = Vec::new();
    let mut role = Role::User;
    let mut parts: Vec<Part> = Vec::new();
    let mut images = 0;
    let flush = |role: Role, parts: &mut Vec<Part>, out: &mut Vec<MessageItem>| {
        let kept: Vec<Part> = std::mem::take(parts)
            .into_iter()
            .filter(|p| p.text.as_ref().is_none_or(|t| !t.trim().is_empty()))
            .collect();
        if kept.is_empty() {
            return;
        }
        let content = match kept.as_slice() {
            [Part {
                text: Some(t),
                image: None,
                audio: None,
            }] => Content::Text(t.trim().to_string()),
            _ => {
                let n = kept.len();
                Content::Parts(
                    kept.into_iter()
                        .enumerate()
                        .map(|(i, mut p)| {
                            if let Some(t) = &mut p.text {
                                let mut s = t.as_str();
                                if i == 0 {
                                    s = s.trim_start();
                                }
                                if i + 1 == n {
                                    s = s.trim_end();
                                }
                                *t = s.to_string();
                            }
                            p
                        })
                        .collect(),
                )
            }
        };
        out.push(MessageItem {
            role: Some(role),
            content: Some(content),
            ..MessageItem::default()
        });
    };
    for piece in pieces {
        match piece {
            Piece::Text(t) => match parts.last_mut() {
                Some(Part { text: Some(s), .. }) => s.push_str(&t),
                _ => parts.push(Part {
                    text: Some(t),
                    ..Part::default()
                }),
            },
            Piece::Role(name) => {
                let next = match name.as_str() {
                    "system" => Role::System,
                    "user" => Role::User,
                    "model" | "assistant" => Role::Assistant,
                    "tool" => Role::Tool,
                    other => return Err(format!("the role `{other}` has no equivalent")),
                };
                flush(role, &mut parts, &mut out);
                role = next;
            }
            Piece::History => {
                flush(role, &mut parts, &mut out);
                out.push(MessageItem {
                    history: Some("history".into()),
                    ..MessageItem::default()
                });
                role = Role::Assistant;
            }
            Piece::Media {
                input,
                url,
                content_type,
            } => {
                // The content type decides the part: audio is an audio part; what our format
                // has no part for (video, a PDF) is refused rather than sent as an image.
                let kind = match content_type.as_deref() {
                    None => InputType::Image,
                    Some(t) if t.starts_with("image/") => InputType::Image,
                    Some(t) if t.starts_with("audio/") => InputType::Audio,
                    Some(t) => {
                        return Err(format!(
                            "`{{{{media contentType=\"{t}\"}}}}`: a prompt file has image and \
                             audio parts only"
                        ))
                    }
                };
                let name = match (input, url) {
                    (Some(name), _) => name,
                    (None, Some(url)) => {
                        images += 1;
                        let prefix = if kind == InputType::Audio {
                            "audio"
                        } else {
                            "image"
                        };
                        let name = format!("{prefix}_{images}");
                        inputs.insert(
                            name.clone(),
                            Input {
                                kind,
                                default: Some(Value::String(url)),
                                ..Input::default()
                            },
                        );
                        name
                    }
                    (None, None) => unreachable!("read() requires a url"),
                };
                parts.push(if kind == InputType::Audio {
                    Part {
                        audio: Some(name),
                        ..Part::default()
                    }
                } else {
                    Part {
                        image: Some(name),
                        ..Part::default()
                    }
                });
            }
        }
    }
    flush(role, &mut parts, &mut out);
    if out.is_empty() {
        return Err("the body renders no message".into());
    }
    Ok(out)
}

/// A dotprompt schema (Picoschema, or JSON Schema as it is) as JSON Schema, following
/// Picoschema's rules: `name?` is optional, `name(array)`, `name(object)`, `name(enum)` with an
/// optional `, description`; scalars are `type, description`.
pub(crate) fn to_json_schema(schema: &Value) -> Result<Value, String> {
    match schema {
        Value::String(_) => pico(schema),
        Value::Object(m) => {
            let is_json = m.get("type").and_then(Value::as_str).is_some_and(|t| {
                [
                    "any", "boolean", "integer", "null", "number", "string", "object", "array",
                ]
                .contains(&t)
            });
            if is_json {
                return Ok(schema.clone());
            }
            if m.get("properties").is_some_and(Value::is_object) {
                let mut out = m.clone();
                out.insert("type".into(), json!("object"));
                return Ok(Value::Object(out));
            }
            pico(schema)
        }
        _ => Err("a schema is an object or a type name".into()),
    }
}

const SCALARS: &[&str] = &["any", "boolean", "integer", "null", "number", "string"];

fn split_description(s: &str) -> (&str, Option<&str>) {
    match s.split_once(',') {
        Some((t, d)) => (t.trim(), Some(d.trim_start())),
        None => (s.trim(), None),
    }
}

fn pico(v: &Value) -> Result<Value, String> {
    match v {
        Value::String(s) => {
            let (t, description) = split_description(s);
            if !SCALARS.contains(&t) {
                return Err(format!(
                    "the schema type `{t}` names a schema registered in code, which a prompt \
                     file cannot hold"
                ));
            }
            let mut out = Map::new();
            if t != "any" {
                out.insert("type".into(), json!(t));
            }
            if let Some(d) = description {
                out.insert("description".into(), json!(d));
            }
            Ok(Value::Object(out))
        }
        Value::Object(m) => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            let mut additional = json!(false);
            for (key, value) in m {
                if key == "(*)" {
                    additional = pico(value)?;
                    continue;
                }
                let (name, info) = match key.split_once('(') {
                    Some((n, i)) => (n, Some(i.strip_suffix(')').unwrap_or(i))),
                    None => (key.as_str(), None),
                };
                let optional = name.ends_with('?');
                let name = name.trim_end_matches('?').to_string();
                if !optional {
                    required.push(json!(name));
                }
                let Some(info) = info else {
                    let mut prop = pico(value)?;
                    if optional {
                        if let Some(Value::String(t)) = prop.get("type").cloned() {
                            prop["type"] = json!([t, "null"]);
                        }
                    }
                    properties.insert(name, prop);
                    continue;
                };
                let (t, description) = split_description(info);
                let mut prop = match t {
                    "array" => json!({
                        "type": if optional { json!(["array", "null"]) } else { json!("array") },
                        "items": pico(value)?,
                    }),
                    "object" => {
                        let mut prop = pico(value)?;
                        if optional {
                            prop["type"] = json!(["object", "null"]);
                        }
                        prop
                    }
                    "enum" => {
                        let mut list = value.as_array().cloned().unwrap_or_default();
                        if optional && !list.contains(&Value::Null) {
                            list.push(Value::Null);
                        }
                        json!({ "enum": list })
                    }
                    other => {
                        return Err(format!(
                            "Picoschema: `({other})` is not array, object or enum"
                        ))
                    }
                };
                if let Some(d) = description {
                    prop["description"] = json!(d);
                }
                properties.insert(name, prop);
            }
            let mut out = Map::new();
            out.insert("type".into(), json!("object"));
            out.insert("properties".into(), Value::Object(properties));
            if !required.is_empty() {
                out.insert("required".into(), Value::Array(required));
            }
            out.insert("additionalProperties".into(), additional);
            Ok(Value::Object(out))
        }
        _ => Err(format!("Picoschema: {v} is neither an object nor a type")),
    }
}

/// Picoschema of our inputs: `name: type, description`, `name?` when optional, enums as
/// `name(enum)`; lists and objects as `(array): any` / `(object)` with no fields known.
fn inputs_schema(p: &Prompt, notes: &mut Notes) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, input) in &p.inputs {
        if matches!(input.kind, InputType::Messages) || literal_media(input) {
            continue;
        }
        let opt = if input.is_required() { "" } else { "?" };
        let desc = input
            .description
            .as_deref()
            .map(|d| format!(", {}", d.replace('\n', " ")))
            .unwrap_or_default();
        if let Some(list) = &input.allowed {
            out.insert(
                format!("{name}{opt}(enum{desc})"),
                Value::Array(list.clone()),
            );
            continue;
        }
        let kind = match input.kind {
            InputType::Image | InputType::Audio => "string",
            InputType::Array => {
                out.insert(format!("{name}{opt}(array{desc})"), json!("any"));
                continue;
            }
            InputType::Object => {
                notes.warn(format!(
                    "the object input `{name}` is written as `any` (its fields are not declared)"
                ));
                "any"
            }
            k => k.as_str(),
        };
        out.insert(format!("{name}{opt}"), json!(format!("{kind}{desc}")));
    }
    out
}

/// A `.prompt` file for the prompt, as a JSON string (the CLI prints it as text).
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let fail = |message: String| Error::Unreadable {
        file: input.id.to_string(),
        message: format!("cannot write as dotprompt: {message}"),
    };
    if matches!(p.template_format, Syntax::FString | Syntax::Jinja2) {
        return Err(fail(format!(
            "{} templates have no Handlebars equivalent (dotprompt bodies are Handlebars)",
            if p.template_format == Syntax::Jinja2 {
                "Jinja2"
            } else {
                "f-string"
            }
        )));
    }
    let mut front = Map::new();
    if let Some(n) = &p.name {
        front.insert("name".into(), json!(n));
    }
    if let Some(d) = &p.description {
        front.insert("description".into(), json!(d));
    }
    if let Some(m) = &p.model {
        front.insert(
            "model".into(),
            json!(format!(
                "{}/{}",
                provider_to(PROVIDERS, &m.provider, &meta),
                m.name
            )),
        );
        if !m.params.is_empty() {
            let config: Map<String, Value> = m
                .params
                .iter()
                .map(|(k, v)| {
                    let theirs = PARAMS
                        .iter()
                        .find(|(o, _)| o == k)
                        .map_or(k.as_str(), |(_, t)| t);
                    (theirs.to_string(), v.clone())
                })
                .collect();
            front.insert("config".into(), Value::Object(config));
        }
    }
    let mut input_front = Map::new();
    let schema = inputs_schema(p, &mut notes);
    // The schema as imported, while it still declares exactly the inputs the file has.
    let original = meta.get("input_schema").filter(|orig| {
        let names = |v: &Value| -> Vec<String> {
            v.get("properties")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let theirs = to_json_schema(orig).map(|s| names(&s)).unwrap_or_default();
        let ours: Vec<String> = schema
            .keys()
            .map(|k| k.split(['?', '(']).next().unwrap_or(k).to_string())
            .collect();
        theirs == ours
    });
    match original {
        Some(orig) => {
            input_front.insert("schema".into(), orig.clone());
        }
        None if !schema.is_empty() => {
            input_front.insert("schema".into(), Value::Object(schema));
        }
        None => {}
    }
    let defaults: Map<String, Value> = p
        .inputs
        .iter()
        .filter(|(_, i)| !literal_media(i))
        .filter_map(|(k, i)| i.default.clone().map(|d| (k.clone(), d)))
        .collect();
    if !defaults.is_empty() {
        input_front.insert("default".into(), Value::Object(defaults));
    }
    if !input_front.is_empty() {
        front.insert("input".into(), Value::Object(input_front));
    }
    if let Some(rf) = &p.response_format {
        let mut output = Map::new();
        output.insert("format".into(), json!("json"));
        output.insert("schema".into(), rf.schema.clone());
        front.insert("output".into(), Value::Object(output));
    } else if let Some(Value::Object(o)) = meta.get("output") {
        front.insert("output".into(), Value::Object(o.clone()));
    }
    for (k, v) in &meta {
        if !["input_schema", "output", "provider"].contains(&k.as_str()) {
            front.insert(k.clone(), v.clone());
        }
    }
    if !p.tools.is_empty() {
        let names: Vec<&str> = p.tools.iter().map(|t| t.name.as_str()).collect();
        front.insert("tools".into(), json!(names));
        notes.warn(format!(
            "tools ({}) are written by name: dotprompt defines tools in code, so their \
             descriptions and parameters are left out",
            names.join(", ")
        ));
    }
    if p.tool_choice.is_some() {
        notes.warn("tool_choice cannot be held; left out");
    }
    // The description is held (front matter `description`); free-form metadata is not.
    let mut undescribed = p.clone();
    undescribed.description = None;
    report_description_and_metadata(&undescribed, &mut notes);
    let held: Vec<&str> = p.inputs.keys().map(String::as_str).collect();
    report_common(p, &mut notes, false, &held);
    let body = body_of(p, &mut notes).map_err(fail)?;
    Ok(Exported {
        endpoint: format!(
            "{}.prompt",
            input.id.as_str().rsplit('/').next().unwrap_or("prompt")
        ),
        body: Value::String(write_front_matter(&front, &body)),
        warnings: notes.into_vec(),
    })
}

/// A media input with a fixed URL (dotprompt's `{{media url="https://…"}}`).
fn literal_media(input: &Input) -> bool {
    matches!(input.kind, InputType::Image | InputType::Audio)
        && input.default.as_ref().is_some_and(Value::is_string)
        && !input.is_required()
}

fn convert(p: &Prompt, text: &str, notes: &mut Notes) -> Result<String, String> {
    if p.template_format == Syntax::None {
        if text.contains("{{") {
            notes.warn("`template_format: none` text with `{{` will be read as Handlebars there");
        }
        return Ok(text.to_string());
    }
    let types: HashMap<String, InputType> =
        p.inputs.iter().map(|(n, i)| (n.clone(), i.kind)).collect();
    let mut said = Vec::new();
    let out = handlebars::write(text, &types, &mut said)?;
    for note in said {
        notes.warn(note);
    }
    Ok(out)
}

fn body_of(p: &Prompt, notes: &mut Notes) -> Result<String, String> {
    let Some(items) = &p.messages else {
        return convert(p, p.template.as_deref().unwrap_or_default(), notes);
    };
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(h) = &item.history {
            if h != "history" {
                notes.warn(format!(
                    "the history placeholder `{h}` becomes `{{{{history}}}}`, filled from the \
                     messages dotprompt is given"
                ));
            }
            out.push_str("{{history}}\n");
            continue;
        }
        let Some(role) = item.role else { continue };
        let theirs = match role {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "model",
            Role::Tool => "tool",
            Role::Developer => {
                notes.warn(format!(
                    "message {}: the developer role is written as system",
                    i + 1
                ));
                "system"
            }
        };
        super::common::report_participant_name(item, i, notes);
        out.push_str(&format!("{{{{role \"{theirs}\"}}}}\n"));
        match &item.content {
            Some(Content::Text(t)) => out.push_str(&convert(p, t, notes)?),
            Some(Content::Parts(parts)) => {
                for part in parts {
                    if let Some(t) = &part.text {
                        out.push_str(&convert(p, t, notes)?);
                    } else if let Some(name) = part.image.as_ref().or(part.audio.as_ref()) {
                        let literal = p.inputs.get(name).filter(|i| literal_media(i));
                        match literal
                            .and_then(|i| i.default.as_ref())
                            .and_then(Value::as_str)
                        {
                            Some(url) => out.push_str(&format!("{{{{media url=\"{url}\"}}}}")),
                            None => out.push_str(&format!("{{{{media url={name}}}}}")),
                        }
                    }
                }
            }
            None => {}
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}
