//! Pieces every service mapping shares: warnings, the `metadata.<service>` bag, provider names,
//! OpenAI-style tools, tool choice and response formats, JSON access, and declaring the inputs an
//! imported prompt's templates use so that it passes `check`.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::Service;
use crate::model::{
    infer, Content, Input, InputType, Prompt, ResponseFormat, Role, Syntax, Tool, ToolChoice,
    ToolChoiceMode,
};
use crate::template::Template;

/// The model an export names: the prompt's, else the registry default (with a warning), else an
/// error, for services whose create body requires one (`label` names the service in the message).
pub(crate) fn required_model(
    input: &super::ExportInput<'_>,
    notes: &mut Notes,
    label: &str,
) -> Result<crate::model::Model, crate::Error> {
    match (&input.prompt.model, input.default_model) {
        (Some(m), _) => Ok(m.clone()),
        (None, Some((provider, name))) => {
            notes.warn(format!(
                "the prompt names no model; using the registry default {provider}/{name}"
            ));
            Ok(crate::model::Model {
                provider: provider.to_string(),
                name: name.to_string(),
                params: IndexMap::new(),
            })
        }
        (None, None) => Err(crate::Error::Unreadable {
            file: input.id.to_string(),
            message: format!(
                "{label} needs a model: set `model` in the prompt, or `defaults` (provider, model) \
                 in .prompts.yaml"
            ),
        }),
    }
}

/// Warnings of one mapping, each prefixed with the service's name.
pub(crate) struct Notes {
    service: Service,
    items: Vec<String>,
}

impl Notes {
    pub(crate) fn new(service: Service) -> Notes {
        Notes {
            service,
            items: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, message: impl AsRef<str>) {
        let line = format!("{}: {}", self.service.name(), message.as_ref());
        if !self.items.contains(&line) {
            self.items.push(line);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<String> {
        self.items
    }
}

/// The `metadata.<service>` object of a prompt, if any.
pub(crate) fn service_meta(prompt: &Prompt, service: Service) -> Map<String, Value> {
    match prompt.metadata.get(service.name()) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

/// Stores `meta` as `metadata.<service>` when it holds anything.
pub(crate) fn set_service_meta(prompt: &mut Prompt, service: Service, meta: Map<String, Value>) {
    if !meta.is_empty() {
        prompt
            .metadata
            .insert(service.name().to_string(), Value::Object(meta));
    }
}

/// The prompt's own metadata: without the `metadata.<service>` bags, which are bookkeeping for
/// the services, not the prompt's.
pub(crate) fn plain_metadata(prompt: &Prompt) -> Map<String, Value> {
    prompt
        .metadata
        .iter()
        .filter(|(k, _)| !Service::ALL.iter().any(|s| s.name() == k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A string field of a JSON object.
pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A non-empty string field of a JSON object.
pub(crate) fn text_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    str_of(v, key).filter(|s| !s.trim().is_empty())
}

/// A string field of a metadata bag.
pub(crate) fn meta_str<'a>(meta: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    meta.get(key).and_then(Value::as_str)
}

/// Provider names: ours on the left, the service's on the right. Names not listed are the same on
/// both sides (lower case).
pub(crate) type ProviderTable = &'static [(&'static str, &'static str)];

/// Our provider name for the service's.
pub(crate) fn provider_from(table: ProviderTable, theirs: &str) -> String {
    let lower = theirs.trim().to_ascii_lowercase();
    table
        .iter()
        .find(|(_, t)| *t == lower)
        .map_or(lower.clone(), |(ours, _)| ours.to_string())
}

/// The service's provider name for ours: the original name kept at import (`meta.provider`) when
/// it still maps to the current one, else the table's.
pub(crate) fn provider_to(table: ProviderTable, ours: &str, meta: &Map<String, Value>) -> String {
    if let Some(original) = meta_str(meta, "provider") {
        if provider_from(table, original) == ours {
            return original.to_string();
        }
    }
    table
        .iter()
        .find(|(o, _)| *o == ours)
        .map_or(ours.to_string(), |(_, theirs)| theirs.to_string())
}

/// Warns when the provider name a service is sent reads back as another of ours (`gemini` is
/// sent as Phoenix's `GOOGLE`, which an import reads as `google`).
pub(crate) fn report_provider_read_back(ours: &str, sent: &str, back: &str, notes: &mut Notes) {
    if ours != back {
        notes.warn(format!(
            "model.provider `{ours}` is sent as `{sent}`, which reads back as `{back}`"
        ));
    }
}

/// Keeps the service's provider name under `meta.provider` when the table would not give it back.
pub(crate) fn keep_provider(table: ProviderTable, theirs: &str, meta: &mut Map<String, Value>) {
    let ours = provider_from(table, theirs);
    if provider_to(table, &ours, &Map::new()) != theirs {
        meta.insert("provider".into(), Value::String(theirs.to_string()));
    }
}

/// A tool in the OpenAI Chat Completions form.
pub(crate) fn tool_to_openai(tool: &Tool) -> Value {
    let mut function = Map::new();
    function.insert("name".into(), Value::String(tool.name.clone()));
    if let Some(d) = &tool.description {
        function.insert("description".into(), Value::String(d.clone()));
    }
    if let Some(p) = &tool.parameters {
        function.insert("parameters".into(), p.clone());
    }
    if let Some(s) = tool.strict {
        function.insert("strict".into(), Value::Bool(s));
    }
    json!({"type": "function", "function": function})
}

/// A tool from the OpenAI form (`{type: function, function: {…}}`) or a bare function definition.
pub(crate) fn tool_from_openai(v: &Value) -> Option<Tool> {
    let f = v.get("function").unwrap_or(v);
    Some(Tool {
        name: str_of(f, "name")?.to_string(),
        description: text_of(f, "description").map(str::to_string),
        parameters: f.get("parameters").filter(|p| !p.is_null()).cloned(),
        strict: f.get("strict").and_then(Value::as_bool),
    })
}

/// Tool choice in the OpenAI form: `auto`, `none`, `required` or `{type: function, function:
/// {name}}`.
pub(crate) fn tool_choice_to_openai(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Mode(ToolChoiceMode::Auto) => json!("auto"),
        ToolChoice::Mode(ToolChoiceMode::None) => json!("none"),
        ToolChoice::Mode(ToolChoiceMode::Required) => json!("required"),
        ToolChoice::Named { name } => json!({"type": "function", "function": {"name": name}}),
    }
}

/// Tool choice from the OpenAI form, Anthropic's (`{type: any|auto|tool, name}`) or ours.
pub(crate) fn tool_choice_from_openai(v: &Value) -> Option<ToolChoice> {
    match v {
        Value::String(s) => match s.as_str() {
            "auto" => Some(ToolChoice::Mode(ToolChoiceMode::Auto)),
            "none" => Some(ToolChoice::Mode(ToolChoiceMode::None)),
            "required" | "any" => Some(ToolChoice::Mode(ToolChoiceMode::Required)),
            _ => None,
        },
        Value::Object(_) => {
            let name = v
                .get("function")
                .and_then(|f| str_of(f, "name"))
                .or_else(|| str_of(v, "name"));
            match (str_of(v, "type"), name) {
                (_, Some(name)) => Some(ToolChoice::Named {
                    name: name.to_string(),
                }),
                (Some(t), None) => tool_choice_from_openai(&Value::String(t.to_string())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A response format in the OpenAI form: `{type: json_schema, json_schema: {name, …}}`.
pub(crate) fn response_format_to_openai(rf: &ResponseFormat) -> Value {
    let mut def = Map::new();
    def.insert("name".into(), Value::String(rf.name.clone()));
    if let Some(d) = &rf.description {
        def.insert("description".into(), Value::String(d.clone()));
    }
    def.insert("schema".into(), rf.schema.clone());
    if let Some(s) = rf.strict {
        def.insert("strict".into(), Value::Bool(s));
    }
    json!({"type": "json_schema", "json_schema": def})
}

/// A response format from the OpenAI `json_schema` form; `None` for other types.
pub(crate) fn response_format_from_openai(v: &Value) -> Option<ResponseFormat> {
    if str_of(v, "type").is_some_and(|t| t != "json_schema") {
        return None;
    }
    let def = v.get("json_schema")?;
    Some(ResponseFormat {
        name: str_of(def, "name").unwrap_or("response").to_string(),
        description: str_of(def, "description").map(str::to_string),
        schema: def
            .get("schema")
            .filter(|s| !s.is_null())
            .cloned()
            .unwrap_or_else(|| json!({})),
        strict: def.get("strict").and_then(Value::as_bool),
    })
}

/// A role name of a service, in our terms.
pub(crate) fn role_from(name: &str) -> Option<Role> {
    match name.to_ascii_lowercase().as_str() {
        "system" => Some(Role::System),
        "developer" => Some(Role::Developer),
        "user" | "human" => Some(Role::User),
        "assistant" | "ai" | "model" => Some(Role::Assistant),
        "tool" => Some(Role::Tool),
        _ => None,
    }
}

/// The role of message `i` (from 0) of an imported payload, from its role name.
pub(crate) fn message_role(i: usize, name: Option<&str>) -> Result<Role, String> {
    let name = name.ok_or(format!("message {} has no role", i + 1))?;
    role_from(name).ok_or(format!("message {} has the unknown role `{name}`", i + 1))
}

/// The text of an OpenAI-style `content`: the string, or the `text` of its parts joined by blank
/// lines (other parts have no text); nothing when it is missing.
pub(crate) fn openai_content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| str_of(p, "text"))
            .collect::<Vec<_>>()
            .join("\n\n"),
        _ => String::new(),
    }
}

/// Warns once for each field of `v` outside `known`: the prompt format has no place for it.
/// `what` names such a field in the warning (`field`, `version field`).
pub(crate) fn warn_unknown_fields(v: &Value, known: &[&str], what: &str, notes: &mut Notes) {
    for key in unknown_keys(v, known).keys() {
        notes.warn(format!(
            "the {what} `{key}` is not part of the prompt format; ignored"
        ));
    }
}

/// The text of a message's content: the text, or its text parts joined by blank lines.
pub(crate) fn content_text(content: &Option<Content>) -> String {
    match content {
        Some(Content::Text(t)) => t.clone(),
        Some(Content::Parts(parts)) => parts
            .iter()
            .filter_map(|p| p.text.as_deref())
            .collect::<Vec<_>>()
            .join("\n\n"),
        None => String::new(),
    }
}

/// Reports the parts of the file format no service holds (besides those the caller handles):
/// `examples` says whether the service holds few-shot examples; input details are reported except
/// for the inputs in `held` (which the service carries some other way).
/// Warns that the prompt's description and free-form metadata have no place in the target.
pub(crate) fn report_description_and_metadata(p: &Prompt, notes: &mut Notes) {
    if p.description.is_some() {
        notes.warn("the description cannot be held; left out");
    }
    let other_meta = plain_metadata(p);
    if !other_meta.is_empty() {
        let keys: Vec<&str> = other_meta.keys().map(String::as_str).collect();
        notes.warn(format!(
            "metadata ({}) cannot be held; left out",
            keys.join(", ")
        ));
    }
}

/// Warns that message `i` (from 0) names a participant the target cannot hold.
pub(crate) fn report_participant_name(
    item: &crate::model::MessageItem,
    i: usize,
    notes: &mut Notes,
) {
    if item.name.is_some() {
        notes.warn(format!(
            "message {} has a participant `name`, which cannot be held; left out",
            i + 1
        ));
    }
}

/// Warns that the history placeholder of message `i` (from 0) cannot be held.
pub(crate) fn report_history(name: &str, i: usize, notes: &mut Notes) {
    notes.warn(format!(
        "the history placeholder `{name}` (message {}) cannot be held; left out",
        i + 1
    ));
}

pub(crate) fn report_common(prompt: &Prompt, notes: &mut Notes, examples: bool, held: &[&str]) {
    let partials = crate::partials::included_by(prompt);
    if !partials.is_empty() {
        notes.warn(format!(
            "partials ({}) are not expanded: the service gets the `{{{{> name}}}}` tags as written \
             and has no prompts to fill them from (`prompt bundle` carries partials)",
            partials.join(", ")
        ));
    }
    if !prompt.labels.is_empty() {
        notes.warn(format!(
            "labels ({}) cannot be held; left out",
            prompt.labels.join(", ")
        ));
    }
    if !prompt.samples.is_empty() {
        let names: Vec<&str> = prompt.samples.keys().map(String::as_str).collect();
        notes.warn(format!(
            "samples ({}) cannot be held; left out",
            names.join(", ")
        ));
    }
    if !prompt.tests.is_empty() {
        let names: Vec<&str> = prompt.tests.iter().map(|t| t.name.as_str()).collect();
        notes.warn(format!(
            "tests ({}) cannot be held; left out",
            names.join(", ")
        ));
    }
    if prompt.escape != crate::template::Escape::None {
        notes.warn("`escape: html` cannot be held; values will be inserted as they are");
    }
    if !examples && !prompt.examples.is_empty() {
        notes.warn(format!(
            "{} few-shot example(s) cannot be held; left out",
            prompt.examples.len()
        ));
    }
    let detailed: Vec<&str> = prompt
        .inputs
        .iter()
        .filter(|(_, i)| i.description.is_some() || i.default.is_some() || i.allowed.is_some())
        .map(|(n, _)| n.as_str())
        .filter(|n| !held.contains(n))
        .collect();
    if !detailed.is_empty() {
        notes.warn(format!(
            "input descriptions, defaults and enums ({}) cannot be held; left out",
            detailed.join(", ")
        ));
    }
}

/// Warns when a service whose templates are mustache-like receives another template syntax.
pub(crate) fn report_mustache_only(prompt: &Prompt, notes: &mut Notes) {
    match prompt.template_format {
        Syntax::Mustache => {}
        Syntax::FString => notes.warn(
            "templates are mustache-like there: this prompt's f-string fields ({x}) are sent as \
             they are and will not be filled",
        ),
        Syntax::None => notes.warn(
            "templates are mustache-like there: this prompt's `template_format: none` cannot be \
             held, and any {{…}} in its text will be read as a variable",
        ),
        Syntax::Jinja2 => notes.warn(
            "templates are mustache-like there: this prompt's Jinja2 tags ({% … %}, filters) are \
             sent as they are and will not be run",
        ),
    }
}

/// The JSON type of a value as an input type.
pub(crate) fn input_type_of(v: &Value) -> InputType {
    match v {
        Value::Bool(_) => InputType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => InputType::Integer,
        Value::Number(_) => InputType::Number,
        Value::Array(_) => InputType::Array,
        Value::Object(_) => InputType::Object,
        _ => InputType::String,
    }
}

/// Makes an imported prompt pass `check`: declares every variable its templates use (in order of
/// first use; `{{#x}}` with fields inside is a list, else a flag), every history placeholder and
/// media part, and every example input; inputs the service declared that no template uses become
/// optional. Anthropic models get the `max_tokens` their API requires.
pub(crate) fn finish(prompt: &mut Prompt, notes: &mut Notes) {
    let syntax = prompt.template_format;
    let mut used: HashSet<String> = HashSet::new();
    let mut found: Vec<(String, Input)> = Vec::new();
    for field in prompt.template_texts() {
        let Ok(template) = Template::parse(syntax, field.text) else {
            continue;
        };
        // Names inside a section count as used (they may be fields of its items), but only
        // top-level names are declared.
        used.extend(
            template
                .variables()
                .iter()
                .filter_map(|u| u.root().map(str::to_string)),
        );
        found.extend(infer::inputs(&template, field.text));
    }
    for (_, name, kind) in prompt.structural_inputs() {
        used.insert(name.to_string());
        found.push((
            name.to_string(),
            Input {
                kind,
                ..Input::default()
            },
        ));
    }
    for (name, inferred) in found {
        let kind = inferred.kind;
        match prompt.inputs.get_mut(&name) {
            None => {
                prompt.inputs.insert(name, inferred);
            }
            // A structural use fixes the type the service may have named differently.
            Some(input)
                if matches!(
                    kind,
                    InputType::Messages | InputType::Image | InputType::Audio
                ) =>
            {
                input.kind = kind;
            }
            Some(_) => {}
        }
    }
    let mut example_inputs: IndexMap<String, InputType> = IndexMap::new();
    for example in &prompt.examples {
        for (k, v) in &example.input {
            example_inputs
                .entry(k.clone())
                .or_insert_with(|| input_type_of(v));
        }
    }
    for (name, kind) in example_inputs {
        prompt.inputs.entry(name).or_insert(Input {
            kind,
            required: Some(false),
            ..Input::default()
        });
    }
    for (name, input) in prompt.inputs.iter_mut() {
        if !used.contains(name) && input.is_required() {
            input.required = Some(false);
        }
    }
    if let Some(model) = &mut prompt.model {
        if model.provider == "anthropic" && !model.params.contains_key("max_tokens") {
            model.params.insert("max_tokens".into(), 1024.into());
            notes.warn(
                "anthropic requires max_tokens and the payload sets none: set to 1024 (as `prompt \
                 new` does)",
            );
        }
    }
}

/// Keeps a message our format cannot hold at all (a tool result) under `metadata.<service>.aside`,
/// with the position it takes among our messages, so that an export puts it back there.
pub(crate) fn set_aside(aside: &mut Vec<Value>, at: usize, message: &Value) {
    aside.push(json!({"at": at, "message": message}));
}

/// The messages kept aside at position `at` among ours.
pub(crate) fn aside_at(meta: &Map<String, Value>, at: usize) -> Vec<Value> {
    meta.get("aside")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("at").and_then(Value::as_u64) == Some(at as u64))
        .filter_map(|a| a.get("message").cloned())
        .collect()
}

/// Keys of a JSON object that are not in `known`, for keeping them under `metadata`.
pub(crate) fn unknown_keys(v: &Value, known: &[&str]) -> Map<String, Value> {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Map::new(),
    }
}

/// Environment names other registries commonly use for ours.
pub fn env_alias(name: &str) -> Option<&'static str> {
    match name {
        "prod" | "prd" => Some("production"),
        "stage" | "stg" => Some("staging"),
        "dev" => Some("development"),
        _ => None,
    }
}
