//! Microsoft Prompty files (`.prompty`): YAML front matter and a body whose `system:`, `user:`,
//! `assistant:` and `developer:` lines split it into messages.
//!
//! The current format is Prompty v2: `model: {id, provider, apiType, connection, options}`,
//! `inputs`/`outputs` as lists of `{name, kind, description, required, default}`, and
//! `template: {format: {kind: mustache|jinja2}, parser: {kind: prompty}}` (jinja2 by default).
//! Older (v1, prompt flow) forms are read too: `model.configuration.type`, `model.parameters`,
//! `model.api`, `inputs`/`outputs` as maps with `type`, `sample`, `authors`, `tags` and
//! `template: jinja2` as a string.
//!
//! Prompty renders the whole body, then splits it at the role lines and strips line breaks at
//! both ends of each message; an input of kind `thread` splits its message where it stands and
//! is replaced by the conversation, one of kind `image` becomes an image. A mustache body maps
//! as it is; a Jinja2 body is converted where it uses plain substitution, comments and `if`/`for`
//! blocks with a mustache equivalent, and refused with the construct named otherwise.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::common::{finish, plain_metadata, report_common, service_meta, set_service_meta, Notes};
use super::files::{front_matter, id_of, one_file, prompt_from_front, write_front_matter};
use super::{ExportInput, Exported, Imported, Service};
use crate::error::Error;
use crate::model::{
    Content, Input, InputType, MessageItem, Model, Part, ResponseFormat, Role, Syntax, Tool,
};
use crate::template::Escape;

const SERVICE: Service = Service::Prompty;

/// `model.options` keys with a name of ours (ours on the left).
const OPTIONS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("max_tokens", "maxOutputTokens"),
    ("top_p", "topP"),
    ("top_k", "topK"),
    ("stop", "stopSequences"),
    ("frequency_penalty", "frequencyPenalty"),
    ("presence_penalty", "presencePenalty"),
    ("seed", "seed"),
];

/// Provider names (ours on the left).
const PROVIDERS: super::common::ProviderTable = &[("azure_openai", "azure")];

const KNOWN: &[&str] = &[
    "tools",
    "name",
    "description",
    "metadata",
    "model",
    "inputs",
    "outputs",
    "template",
    "sample",
    "authors",
    "tags",
];

/// Reads one `.prompty` file; `path` is its path below the folder imported.
pub fn import(path: &str, text: &str) -> Result<Imported, String> {
    let mut notes = Notes::new(SERVICE);
    let (front, body) = front_matter(text)?;
    let id = id_of(path, "prompty")?;
    let mut p = prompt_from_front(&front);
    let mut meta = Map::new();
    let mut metadata = match front.get("metadata") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    for key in ["authors", "tags"] {
        if let Some(v) = front.get(key) {
            metadata.insert(key.into(), v.clone());
        }
    }
    if let Some(Value::Array(tags)) = metadata.remove("tags") {
        p.labels = tags
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    for (k, v) in metadata {
        p.metadata.insert(k, v);
    }
    if let Some(model) = front.get("model") {
        p.model = Some(model_of(model, &mut meta, &mut notes)?);
    }
    for (name, input) in declared(front.get("inputs"))? {
        p.inputs.insert(name, input);
    }
    if let Some(Value::Object(sample)) = front.get("sample") {
        for (k, v) in sample {
            if let Some(input) = p.inputs.get_mut(k) {
                input.default.get_or_insert_with(|| v.clone());
            }
        }
        p.samples
            .insert("sample".into(), sample.clone().into_iter().collect());
    }
    if let Some(outputs) = front.get("outputs") {
        // As Prompty sends them: a strict json_schema named `structured_output`, every field
        // required (an optional one nullable), no additional properties at any level.
        let list = properties_of(outputs)?;
        if !list.is_empty() {
            let mut schema = object_schema(&list, true, true)?;
            schema.insert("additionalProperties".into(), json!(false));
            p.response_format = Some(ResponseFormat {
                name: "structured_output".into(),
                description: None,
                schema: Value::Object(schema),
                strict: Some(true),
            });
        }
    }
    if let Some(tools) = front.get("tools") {
        p.tools = tools_of(tools, &mut notes)?;
    }
    if let Some(api) = front
        .get("model")
        .and_then(|m| m.get("apiType").or_else(|| m.get("api")))
        .and_then(Value::as_str)
        .filter(|a| !matches!(*a, "chat" | "completion" | "responses"))
    {
        notes.warn(format!(
            "the model's apiType is `{api}`: imported as a chat prompt, which is not what \
             Prompty sends for it"
        ));
    }
    let format = match front.get("template") {
        None => "jinja2".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(t) => t
            .pointer("/format/kind")
            .or_else(|| t.get("format").filter(|f| f.is_string()))
            .and_then(Value::as_str)
            .unwrap_or("jinja2")
            .to_string(),
    };
    if let Some(parser) = front
        .get("template")
        .and_then(|t| t.pointer("/parser/kind"))
        .and_then(Value::as_str)
        .filter(|k| *k != "prompty")
    {
        return Err(format!(
            "the parser `{parser}` is not Prompty's role-line parser"
        ));
    }
    for (k, v) in &front {
        if !KNOWN.contains(&k.as_str()) {
            meta.insert(k.clone(), v.clone());
        }
    }
    let body = body.replace("\r\n", "\n");
    match format.as_str() {
        // Prompty's mustache renderer escapes `& < > " '` as HTML does; `escape: html` renders
        // the same text.
        "mustache" => p.escape = Escape::Html,
        // Jinja2 is kept as Jinja2: our engine is Jinja2's, so nothing is converted.
        "jinja2" | "jinja" => p.template_format = Syntax::Jinja2,
        other => {
            return Err(format!(
                "the template format `{other}` is not mustache or jinja2"
            ))
        }
    }
    p.messages = Some(messages(&body, p.template_format, &mut p.inputs)?);
    set_service_meta(&mut p, SERVICE, meta);
    finish(&mut p, &mut notes);
    Ok(one_file(id, path, p, notes.into_vec()))
}

fn model_of(
    model: &Value,
    meta: &mut Map<String, Value>,
    notes: &mut Notes,
) -> Result<Model, String> {
    if let Value::String(id) = model {
        return Ok(Model {
            provider: "openai".into(),
            name: id.clone(),
            params: IndexMap::new(),
        });
    }
    let config = model.get("configuration");
    let name = model
        .get("id")
        .and_then(Value::as_str)
        .or_else(|| {
            config
                .and_then(|c| c.get("azure_deployment"))
                .and_then(Value::as_str)
        })
        .or_else(|| config.and_then(|c| c.get("model")).and_then(Value::as_str))
        .ok_or("`model` names no model (`model.id`)")?;
    let provider = model
        .get("provider")
        .and_then(Value::as_str)
        .or_else(|| config.and_then(|c| c.get("type")).and_then(Value::as_str))
        .unwrap_or("openai");
    super::common::keep_provider(PROVIDERS, provider, meta);
    let mut params = IndexMap::new();
    let options = model.get("options").or_else(|| model.get("parameters"));
    if let Some(Value::Object(o)) = options {
        for (k, v) in o {
            if k == "additionalProperties" {
                if let Value::Object(extra) = v {
                    params.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                continue;
            }
            let ours = OPTIONS
                .iter()
                .find(|(_, t)| t == k)
                .map_or(k.as_str(), |(o, _)| o);
            params.insert(ours.to_string(), v.clone());
        }
    }
    let mut kept = Map::new();
    for key in ["connection", "configuration", "apiType", "api"] {
        if let Some(v) = model.get(key) {
            kept.insert(key.into(), v.clone());
        }
    }
    if !kept.is_empty() {
        notes.warn(
            "the model's connection settings are kept under metadata.prompty.model (a prompt file \
             names no endpoint or key)",
        );
        meta.insert("model".into(), Value::Object(kept));
    }
    Ok(Model {
        provider: super::common::provider_from(PROVIDERS, provider),
        name: name.to_string(),
        params,
    })
}

/// Inputs or outputs: the v2 list of `{name, kind, …}`, or the older map of name to
/// `{type, …}` (or to a sample value).
fn declared(v: Option<&Value>) -> Result<Vec<(String, Input)>, String> {
    let mut out = Vec::new();
    let one = |name: &str, spec: &Value| -> Result<Input, String> {
        let Value::Object(_) = spec else {
            return Ok(Input {
                kind: super::common::input_type_of(spec),
                default: Some(spec.clone()),
                ..Input::default()
            });
        };
        let kind_name = spec
            .get("kind")
            .or_else(|| spec.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("string");
        let kind = match kind_name {
            "string" => InputType::String,
            "number" | "float" => InputType::Number,
            "integer" | "int" => InputType::Integer,
            "boolean" | "bool" => InputType::Boolean,
            "array" | "list" => InputType::Array,
            "object" | "dict" => InputType::Object,
            "thread" => InputType::Messages,
            "image" => InputType::Image,
            "audio" => InputType::Audio,
            other => {
                return Err(format!(
                    "the input `{name}` is of kind `{other}`, which has no equivalent"
                ))
            }
        };
        Ok(Input {
            kind,
            description: spec
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            required: spec.get("required").and_then(Value::as_bool),
            default: spec.get("default").cloned(),
            allowed: spec
                .get("enumValues")
                .or_else(|| spec.get("enum"))
                .and_then(Value::as_array)
                .cloned(),
            schema: None,
        })
    };
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for item in list {
                let name = item
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("an input without `name`")?;
                out.push((name.to_string(), one(name, item)?));
            }
        }
        Some(Value::Object(map)) => {
            for (name, spec) in map {
                out.push((name.clone(), one(name, spec)?));
            }
        }
        Some(_) => return Err("`inputs` is neither a list nor a map".into()),
    }
    Ok(out)
}

/// Prompty properties (`outputs`, tool `parameters`): the v2 list of `{name, kind, …}` or the
/// older map of name to `{type, …}`, as `(name, property)` pairs.
fn properties_of(v: &Value) -> Result<Vec<(String, Value)>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(list) => list
            .iter()
            .map(|item| {
                let name = item
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("a property without `name`")?;
                Ok((name.to_string(), item.clone()))
            })
            .collect(),
        Value::Object(map) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        _ => Err("properties are neither a list nor a map".into()),
    }
}

/// The JSON Schema of an object with `properties`, as Prompty's OpenAI executor writes it: with
/// `strict`, every property is required and an optional one is nullable; without, only those
/// marked `required`. `all_required` is what outputs do (each one is listed).
fn object_schema(
    properties: &[(String, Value)],
    strict: bool,
    all_required: bool,
) -> Result<Map<String, Value>, String> {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (name, prop) in properties {
        let marked = prop.get("required").and_then(Value::as_bool) == Some(true);
        let optional = if all_required {
            !marked
        } else {
            strict && !marked
        };
        props.insert(name.clone(), property_schema(prop, optional, strict)?);
        if strict || all_required || marked {
            required.push(json!(name));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    Ok(schema)
}

/// One Prompty property as JSON Schema: its kind, description, enum values, array items
/// (strings unless given), object properties (closed), nullable when optional.
fn property_schema(prop: &Value, optional: bool, strict: bool) -> Result<Value, String> {
    let kind = prop
        .get("kind")
        .or_else(|| prop.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut schema = Map::new();
    let json_type = match kind {
        "string" | "integer" | "number" | "boolean" | "array" | "object" => Some(kind),
        "float" => Some("number"),
        _ => None,
    };
    if let Some(t) = json_type {
        schema.insert("type".into(), json!(t));
    }
    if let Some(d) = prop.get("description").and_then(Value::as_str) {
        schema.insert("description".into(), json!(d));
    }
    if let Some(e) = prop.get("enumValues").or_else(|| prop.get("enum")) {
        schema.insert("enum".into(), e.clone());
    }
    if kind == "array" {
        let items = match prop.get("items").filter(|i| !i.is_null()) {
            Some(items) => property_schema(items, false, strict)?,
            None => json!({"type": "string"}),
        };
        schema.insert("items".into(), items);
    }
    if kind == "object" {
        let inner = properties_of(prop.get("properties").unwrap_or(&Value::Null))?;
        let obj = object_schema(&inner, strict, false)?;
        schema.insert("properties".into(), obj["properties"].clone());
        if let Some(r) = obj.get("required") {
            schema.insert("required".into(), r.clone());
        }
        schema.insert("additionalProperties".into(), json!(false));
    }
    let nullable = prop.get("nullable").and_then(Value::as_bool) == Some(true);
    if optional || nullable {
        if let Some(t) = schema.get("type").cloned() {
            schema.insert("type".into(), json!([t, "null"]));
        } else if !schema.is_empty() {
            let inner = Value::Object(std::mem::take(&mut schema));
            schema.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        }
        if let Some(Value::Array(e)) = schema.get_mut("enum") {
            if !e.contains(&Value::Null) {
                e.push(Value::Null);
            }
        }
    }
    Ok(Value::Object(schema))
}

/// `tools` of kind `function` as our tools, with the parameters Prompty sends (bound ones left
/// out, as Prompty fills them from inputs); other kinds are kept in metadata with a warning.
fn tools_of(tools: &Value, notes: &mut Notes) -> Result<Vec<Tool>, String> {
    let mut out = Vec::new();
    for t in tools.as_array().ok_or("`tools` is not a list")? {
        let name = t
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a tool without `name`")?;
        let kind = t.get("kind").and_then(Value::as_str).unwrap_or("function");
        if kind != "function" {
            return Err(format!(
                "the tool `{name}` is of kind `{kind}`, which a prompt file cannot hold (function \
                 tools only)"
            ));
        }
        let strict = t.get("strict").and_then(Value::as_bool) == Some(true);
        let bound: Vec<String> = match t.get("bindings") {
            Some(Value::Object(b)) => b.keys().cloned().collect(),
            Some(Value::Array(b)) => b
                .iter()
                .filter_map(|x| x.get("name").and_then(Value::as_str).map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        if !bound.is_empty() {
            notes.warn(format!(
                "tool `{name}`: parameters bound to inputs ({}) are left out of its schema, as \
                 Prompty sends it; the binding itself has no place in a prompt file",
                bound.join(", ")
            ));
        }
        let params: Vec<(String, Value)> =
            properties_of(t.get("parameters").unwrap_or(&Value::Null))?
                .into_iter()
                .filter(|(n, _)| !bound.contains(n))
                .collect();
        let parameters = if t.get("parameters").is_some_and(|p| !p.is_null()) {
            let mut schema = object_schema(&params, strict, false)?;
            if strict {
                schema.insert("additionalProperties".into(), json!(false));
            }
            Some(Value::Object(schema))
        } else {
            None
        };
        out.push(Tool {
            name: name.to_string(),
            description: t
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            parameters,
            strict: strict.then_some(true),
        });
    }
    Ok(out)
}

/// Whether a line is a Prompty role line (`user:`, `# system:`, `user[name="Al"]:`).
fn role_line(line: &str) -> Option<(Role, Option<String>)> {
    let s = line.trim();
    let s = s.strip_prefix('#').unwrap_or(s).trim_start();
    let s = s.strip_suffix(':')?.trim_end();
    let (role, attrs) = match s.find('[') {
        Some(i) => (&s[..i], Some(s[i..].strip_prefix('[')?.strip_suffix(']')?)),
        None => (s, None),
    };
    let role = match role.trim().to_ascii_lowercase().as_str() {
        "system" => Role::System,
        "user" => Role::User,
        "assistant" => Role::Assistant,
        "developer" => Role::Developer,
        _ => return None,
    };
    let name = attrs.and_then(|a| {
        a.split(',').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
        })
    });
    Some((role, name))
}

/// The messages of a body in `syntax`, split as Prompty splits them.
fn messages(
    body: &str,
    syntax: Syntax,
    inputs: &mut IndexMap<String, Input>,
) -> Result<Vec<MessageItem>, String> {
    let mut out = Vec::new();
    let mut role = Role::System;
    let mut name: Option<String> = None;
    let mut lines: Vec<&str> = Vec::new();
    let mut started = false;
    let flush = |role: Role,
                 name: &Option<String>,
                 lines: &mut Vec<&str>,
                 out: &mut Vec<MessageItem>|
     -> Result<(), String> {
        if lines.is_empty() {
            return Ok(());
        }
        let text = lines.join("\n");
        lines.clear();
        let text = text.trim_matches('\n');
        split_rich(role, name, text, syntax, inputs, out)
    };
    for line in body.split('\n') {
        if let Some((r, n)) = role_line(line) {
            flush(role, &name, &mut lines, &mut out)?;
            role = r;
            name = n;
            started = true;
            continue;
        }
        if !started && lines.is_empty() && line.trim().is_empty() {
            continue;
        }
        lines.push(line);
    }
    // `split('\n')` gives a last empty piece for a trailing line break; splitlines does not.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    flush(role, &name, &mut lines, &mut out)?;
    if out.is_empty() {
        return Err("the body has no message".into());
    }
    Ok(out)
}

/// The first `{{x}}` (or `{{ x }}`) in `text` of an input of one of `kinds`: its name, type,
/// position and length.
fn first_tag(
    text: &str,
    inputs: &IndexMap<String, Input>,
    kinds: &[InputType],
) -> Option<(String, InputType, usize, usize)> {
    inputs
        .iter()
        .filter(|(_, i)| kinds.contains(&i.kind))
        .filter_map(|(n, i)| {
            [format!("{{{{{n}}}}}"), format!("{{{{ {n} }}}}")]
                .into_iter()
                .find_map(|tag| text.find(&tag).map(|at| (n.clone(), i.kind, at, tag.len())))
        })
        .min_by_key(|(_, _, at, _)| *at)
}

/// One message's text; a `{{x}}` of a thread input splits it (as Prompty does, stripping the
/// text on both sides), each one of an image or audio input becomes an image or audio part.
fn split_rich(
    role: Role,
    name: &Option<String>,
    text: &str,
    syntax: Syntax,
    inputs: &IndexMap<String, Input>,
    out: &mut Vec<MessageItem>,
) -> Result<(), String> {
    let message = |content: Content| MessageItem {
        role: Some(role),
        name: name.clone(),
        content: Some(content),
        history: None,
    };
    if let Some((input, _, at, len)) = first_tag(text, inputs, &[InputType::Messages]) {
        let before = text[..at].trim();
        let after = text[at + len..].trim();
        if !before.is_empty() {
            split_rich(role, name, before, syntax, inputs, out)?;
        }
        out.push(MessageItem {
            history: Some(input),
            ..MessageItem::default()
        });
        if !after.is_empty() {
            split_rich(role, name, after, syntax, inputs, out)?;
        }
        return Ok(());
    }
    let media = [InputType::Image, InputType::Audio];
    if first_tag(text, inputs, &media).is_none() {
        crate::template::Template::parse(syntax, text).map_err(|e| {
            format!(
                "a message's template does not parse on its own (a block spans a role line?): {e}"
            )
        })?;
        out.push(message(Content::Text(text.to_string())));
        return Ok(());
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((input, kind, at, len)) = first_tag(rest, inputs, &media) {
        let before = rest[..at].trim();
        if !before.is_empty() {
            parts.push(Part {
                text: Some(before.to_string()),
                ..Part::default()
            });
        }
        parts.push(if kind == InputType::Image {
            Part {
                image: Some(input),
                ..Part::default()
            }
        } else {
            Part {
                audio: Some(input),
                ..Part::default()
            }
        });
        rest = &rest[at + len..];
    }
    let after = rest.trim();
    if !after.is_empty() {
        parts.push(Part {
            text: Some(after.to_string()),
            ..Part::default()
        });
    }
    out.push(message(Content::Parts(parts)));
    Ok(())
}

/// A `.prompty` file (v2) for the prompt, as a JSON string (the CLI prints it as text).
pub fn export(input: &ExportInput<'_>) -> Result<Exported, Error> {
    let p = input.prompt;
    let mut notes = Notes::new(SERVICE);
    let meta = service_meta(p, SERVICE);
    let fail = |message: String| Error::Unreadable {
        file: input.id.to_string(),
        message: format!("cannot write as Prompty: {message}"),
    };
    if p.template_format == Syntax::FString {
        return Err(fail(
            "f-string templates have no Prompty equivalent (mustache or jinja2)".into(),
        ));
    }
    let mut front = Map::new();
    let last = input.id.as_str().rsplit('/').next().unwrap_or_default();
    front.insert(
        "name".into(),
        json!(p.name.clone().unwrap_or_else(|| last.to_string())),
    );
    if let Some(d) = &p.description {
        front.insert("description".into(), json!(d));
    }
    let mut metadata = plain_metadata(p);
    if !p.labels.is_empty() {
        metadata.insert("tags".into(), json!(p.labels));
    }
    if !metadata.is_empty() {
        front.insert("metadata".into(), Value::Object(metadata));
    }
    if let Some(m) = &p.model {
        let mut model = Map::new();
        model.insert("id".into(), json!(m.name));
        model.insert(
            "provider".into(),
            json!(super::common::provider_to(PROVIDERS, &m.provider, &meta)),
        );
        if let Some(Value::Object(kept)) = meta.get("model") {
            for (k, v) in kept {
                if k == "connection" || k == "apiType" {
                    model.insert(k.clone(), v.clone());
                }
            }
        }
        model.entry("apiType").or_insert(json!("chat"));
        let mut options = Map::new();
        let mut extra = Map::new();
        for (k, v) in &m.params {
            match OPTIONS.iter().find(|(o, _)| o == k) {
                Some((_, theirs)) => {
                    options.insert(theirs.to_string(), v.clone());
                }
                None => {
                    extra.insert(k.clone(), v.clone());
                }
            }
        }
        if !extra.is_empty() {
            options.insert("additionalProperties".into(), Value::Object(extra));
        }
        if !options.is_empty() {
            model.insert("options".into(), Value::Object(options));
        }
        front.insert("model".into(), Value::Object(model));
    }
    let mut inputs = Vec::new();
    for (name, i) in &p.inputs {
        let mut spec = Map::new();
        spec.insert("name".into(), json!(name));
        let kind = match i.kind {
            InputType::Messages => "thread",
            k => k.as_str(),
        };
        spec.insert("kind".into(), json!(kind));
        if let Some(d) = &i.description {
            spec.insert("description".into(), json!(d));
        }
        if let Some(r) = i.required {
            spec.insert("required".into(), json!(r));
        }
        if let Some(d) = &i.default {
            spec.insert("default".into(), d.clone());
        }
        if let Some(e) = &i.allowed {
            spec.insert("enumValues".into(), json!(e));
        }
        inputs.push(Value::Object(spec));
    }
    if !inputs.is_empty() {
        front.insert("inputs".into(), Value::Array(inputs));
    }
    if let Some(rf) = &p.response_format {
        let props = rf.schema.get("properties").and_then(Value::as_object);
        let outputs: Vec<Value> = props
            .into_iter()
            .flatten()
            .map(|(name, prop)| {
                let mut o = Map::new();
                o.insert("name".into(), json!(name));
                // A nullable field (`[t, "null"]`, what an optional output imports as) is `t`.
                let kind = match prop.get("type") {
                    Some(Value::Array(ts)) => ts.iter().find(|t| *t != "null").cloned(),
                    other => other.cloned(),
                };
                o.insert("kind".into(), kind.unwrap_or(json!("string")));
                if let Some(d) = prop.get("description") {
                    o.insert("description".into(), d.clone());
                }
                Value::Object(o)
            })
            .collect();
        notes.warn(
            "the response schema is written as `outputs` (name, kind, description of each top-level \
             field); nested schemas are left out",
        );
        front.insert("outputs".into(), Value::Array(outputs));
    }
    // Prompty runs Jinja2 itself, so a Jinja2 prompt goes out as written.
    let template_kind = if p.template_format == Syntax::Jinja2 {
        "jinja2"
    } else {
        "mustache"
    };
    front.insert(
        "template".into(),
        json!({"format": {"kind": template_kind}, "parser": {"kind": "prompty"}}),
    );
    for (k, v) in &meta {
        if !["model", "provider", "template_format"].contains(&k.as_str()) {
            front.insert(k.clone(), v.clone());
        }
    }
    if !p.tools.is_empty() || p.tool_choice.is_some() {
        notes.warn(
            "tools and tool_choice are not written (Prompty v2 tools bind to code); left out",
        );
    }
    let mut rest = p.clone();
    rest.labels.clear();
    rest.samples.clear();
    if !p.samples.is_empty() {
        notes.warn("samples cannot be held; left out");
    }
    let held: Vec<&str> = p.inputs.keys().map(String::as_str).collect();
    report_common(&rest, &mut notes, false, &held);
    let mut body = String::new();
    match &p.messages {
        None => {
            notes.warn("a text prompt is written as one user message (Prompty bodies are chats)");
            body.push_str("user:\n");
            body.push_str(p.template.as_deref().unwrap_or_default());
        }
        Some(items) => {
            for item in items {
                if let Some(h) = &item.history {
                    body.push_str(&format!("user:\n{{{{{h}}}}}\n\n"));
                    continue;
                }
                let Some(role) = item.role else { continue };
                let role_name = match role {
                    Role::Tool => {
                        notes.warn("a tool message is written as an assistant message");
                        "assistant"
                    }
                    r => r.as_str(),
                };
                match &item.name {
                    Some(n) => body.push_str(&format!("{role_name}[name=\"{n}\"]:\n")),
                    None => body.push_str(&format!("{role_name}:\n")),
                }
                match &item.content {
                    Some(Content::Text(t)) => body.push_str(t.trim_end_matches('\n')),
                    Some(Content::Parts(parts)) => {
                        let pieces: Vec<String> = parts
                            .iter()
                            .map(|part| match (&part.text, &part.image, &part.audio) {
                                (Some(t), _, _) => t.clone(),
                                (_, Some(n), _) | (_, _, Some(n)) => format!("{{{{{n}}}}}"),
                                _ => String::new(),
                            })
                            .collect();
                        body.push_str(&pieces.join("\n"));
                    }
                    None => {}
                }
                body.push_str("\n\n");
            }
        }
    }
    Ok(Exported {
        endpoint: format!("{last}.prompty"),
        body: Value::String(write_front_matter(&front, &body)),
        warnings: notes.into_vec(),
    })
}
