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
    Content, Input, InputType, MessageItem, Model, Part, ResponseFormat, Role, Syntax,
};

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
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, input) in declared(Some(outputs))? {
            let mut prop = Map::new();
            prop.insert("type".into(), json!(input.kind.as_str()));
            if let Some(d) = &input.description {
                prop.insert("description".into(), json!(d));
            }
            required.push(json!(name));
            properties.insert(name, Value::Object(prop));
        }
        if !properties.is_empty() {
            p.response_format = Some(ResponseFormat {
                name: "output".into(),
                description: None,
                schema: json!({"type": "object", "properties": properties, "required": required}),
                strict: None,
            });
        }
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
    let body = match format.as_str() {
        "mustache" => body,
        "jinja2" | "jinja" => jinja_to_mustache(&body, &p.inputs)?,
        other => {
            return Err(format!(
                "the template format `{other}` is not mustache or jinja2"
            ))
        }
    };
    if format != "mustache" {
        meta.insert("template_format".into(), json!(format));
    }
    p.messages = Some(messages(&body, &mut p.inputs)?);
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

/// The messages of a (mustache) body, split as Prompty splits them.
fn messages(body: &str, inputs: &mut IndexMap<String, Input>) -> Result<Vec<MessageItem>, String> {
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
        split_rich(role, name, text, inputs, out)
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

/// One message's text; a `{{x}}` of a thread input splits it (as Prompty does, stripping the
/// text on both sides), one of an image input becomes an image part.
fn split_rich(
    role: Role,
    name: &Option<String>,
    text: &str,
    inputs: &IndexMap<String, Input>,
    out: &mut Vec<MessageItem>,
) -> Result<(), String> {
    let rich = inputs
        .iter()
        .filter(|(_, i)| {
            matches!(
                i.kind,
                InputType::Messages | InputType::Image | InputType::Audio
            )
        })
        .find_map(|(n, i)| {
            [format!("{{{{{n}}}}}"), format!("{{{{ {n} }}}}")]
                .into_iter()
                .find_map(|tag| text.find(&tag).map(|at| (n.clone(), i.kind, at, tag.len())))
        });
    let message = |content: Content| MessageItem {
        role: Some(role),
        name: name.clone(),
        content: Some(content),
        history: None,
    };
    let Some((input, kind, at, len)) = rich else {
        crate::template::Template::parse(crate::template::Syntax::Mustache, text).map_err(|e| {
            format!("a message's template does not parse on its own (a section spans a role line?): {e}")
        })?;
        out.push(message(Content::Text(text.to_string())));
        return Ok(());
    };
    let before = text[..at].trim();
    let after = text[at + len..].trim();
    if kind == InputType::Messages {
        if !before.is_empty() {
            split_rich(role, name, before, inputs, out)?;
        }
        out.push(MessageItem {
            history: Some(input),
            ..MessageItem::default()
        });
        if !after.is_empty() {
            split_rich(role, name, after, inputs, out)?;
        }
        return Ok(());
    }
    let mut parts = Vec::new();
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
    if !after.is_empty() {
        parts.push(Part {
            text: Some(after.to_string()),
            ..Part::default()
        });
    }
    out.push(message(Content::Parts(parts)));
    Ok(())
}

/// Converts a Jinja2 body to mustache where the meaning is the same: `{{ x }}` and `{{ x.y }}`,
/// `{# … #}`, `{% if x %}`/`{% if not x %}` (with `{% else %}`) on a scalar input, and
/// `{% for item in xs %}` whose body uses `item` and its fields. Anything else (filters,
/// expressions, `elif`, `set`, `loop.*`, whitespace control, macros, includes) is refused, named.
fn jinja_to_mustache(src: &str, inputs: &IndexMap<String, Input>) -> Result<String, String> {
    let mut out = String::with_capacity(src.len());
    // Open blocks: (kind, mustache name, loop variable).
    let mut stack: Vec<(&'static str, String, Option<String>, bool)> = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(['{']) {
        let after = &rest[at..];
        let close = match after.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
                continue;
            }
        };
        out.push_str(&rest[..at]);
        let end = after
            .find(close)
            .ok_or_else(|| format!("an unclosed `{}`", &after[..2]))?;
        let raw = &after[..end + 2];
        let inner = &after[2..end];
        if inner.starts_with(['-', '+']) || inner.ends_with(['-', '+']) {
            return Err(format!(
                "whitespace control in `{raw}` has no mustache equivalent"
            ));
        }
        let inner = inner.trim();
        let loop_var = stack.iter().rev().find_map(|(_, _, v, _)| v.clone());
        let name_of = |expr: &str| -> Result<String, String> {
            let ok = !expr.is_empty()
                && expr.split('.').all(|s| {
                    !s.is_empty()
                        && s.chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !ok {
                return Err(format!(
                    "the expression `{expr}` (in `{raw}`) is not plain substitution: filters, \
                     calls, operators and subscripts have no mustache equivalent"
                ));
            }
            if expr == "loop" || expr.starts_with("loop.") {
                return Err(format!("`{expr}` (in `{raw}`) has no mustache equivalent"));
            }
            match &loop_var {
                Some(v) if expr == v => Ok(".".into()),
                Some(v) => Ok(expr
                    .strip_prefix(&format!("{v}."))
                    .unwrap_or(expr)
                    .to_string()),
                None => Ok(expr.to_string()),
            }
        };
        match close {
            "#}" => out.push_str(&format!("{{{{!{}}}}}", inner.replace("}}", "} }"))),
            "}}" => out.push_str(&format!("{{{{{}}}}}", name_of(inner)?)),
            _ => {
                let words: Vec<&str> = inner.split_whitespace().collect();
                match words.as_slice() {
                    ["if", "not", x] | ["if", x] => {
                        let negated = words.len() == 3;
                        let name = name_of(x)?;
                        let root = name.split('.').next().unwrap_or(&name);
                        if let Some(i) = inputs.get(root).filter(|i| {
                            matches!(
                                i.kind,
                                InputType::Array | InputType::Object | InputType::Messages
                            )
                        }) {
                            return Err(format!(
                                "`{raw}` on {} has no mustache equivalent (a section loops over a \
                                 list and enters an object)",
                                i.kind.with_article()
                            ));
                        }
                        out.push_str(&format!(
                            "{{{{{}{name}}}}}",
                            if negated { '^' } else { '#' }
                        ));
                        stack.push(("if", name, None, negated));
                    }
                    ["for", var, "in", xs] => {
                        let name = name_of(xs)?;
                        out.push_str(&format!("{{{{#{name}}}}}"));
                        stack.push(("for", name, Some(var.to_string()), false));
                    }
                    ["else"] => {
                        let Some((kind, name, var, negated)) = stack.last_mut() else {
                            return Err(format!("`{raw}` outside a block"));
                        };
                        if *kind == "for" {
                            return Err(format!("`{raw}` in a for loop: {{% for %}}…{{% else %}} has no direct equivalent here"));
                        }
                        *negated = !*negated;
                        *var = None;
                        out.push_str(&format!(
                            "{{{{/{name}}}}}{{{{{}{name}}}}}",
                            if *negated { '^' } else { '#' }
                        ));
                    }
                    ["endif"] | ["endfor"] => {
                        let want = if words[0] == "endif" { "if" } else { "for" };
                        match stack.pop() {
                            Some((kind, name, _, _)) if kind == want => {
                                out.push_str(&format!("{{{{/{name}}}}}"))
                            }
                            _ => return Err(format!("`{raw}` closes no open {want} block")),
                        }
                    }
                    [tag, ..] => {
                        return Err(format!(
                            "the Jinja2 tag `{tag}` (in `{raw}`) has no mustache equivalent"
                        ))
                    }
                    [] => return Err(format!("an empty tag `{raw}`")),
                }
                // Jinja2 keeps a block tag's line break; mustache drops a standalone tag's line.
                // A comment beside the tag keeps the line from being standalone.
                let tag_start = src.len() - after.len();
                let tag_end = tag_start + end + 2;
                let line_start = src[..tag_start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = src[tag_end..].find('\n').map_or(src.len(), |i| tag_end + i);
                let blank = |t: &str| t.chars().all(|c| c == ' ' || c == '\t');
                if blank(&src[line_start..tag_start]) && blank(&src[tag_end..line_end]) {
                    out.push_str("{{!}}");
                }
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if let Some((kind, ..)) = stack.last() {
        return Err(format!("an unclosed `{{% {kind} %}}` block"));
    }
    Ok(out)
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
                o.insert(
                    "kind".into(),
                    prop.get("type").cloned().unwrap_or(json!("string")),
                );
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
