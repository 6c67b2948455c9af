//! The JSON Schema (draft 2020-12) of the prompt file format, for editors and other tools.
//!
//! The schema is built here from the same definitions `check` loads a file with: the key list and
//! key order of every object are the fields of the serde types in `model::prompt` (in declaration
//! order, which is also the order files are written in), and every enumeration (`role`, input
//! `type`, `template_format`, `escape`, `tool_choice`) is the variant list of the Rust enum. A
//! field added to a type without a schema entry, or an entry left for a field that is gone, stops
//! the build of the schema (and every test that prints it). What the entries say follows the
//! loader's reading rules: text fields take strings only, an optional key with no value counts as
//! absent (so `null` is allowed for each), and the shape rules of `model::load` (messages or
//! template, a message or a history placeholder, one field per content part) are written out as
//! schema shapes. `schema/prompt.schema.json` in the repository is a copy, kept equal by a test;
//! refresh it with `prompt schema -o schema/prompt.schema.json`.
//!
//! What a JSON Schema validator cannot see, because it reads the data after YAML is resolved,
//! `check` still refuses: aliases and anchors, custom tags, duplicate keys, several documents. A
//! JSON Schema also counts `1.0` as the integer 1, so `format: 1.0` passes the schema while
//! `check` asks for `format: 1`. Rules about templates and inputs are `check`'s alone.
//!
//! Editors find the schema through a `# yaml-language-server: $schema=…` line at the top of a
//! prompt file, which the YAML language server reads in VS Code, Neovim and every other client
//! with no settings: the path is relative to the prompt file and names `SCHEMA_FILE` at the
//! repository root, which `init` and `new` write.

use std::sync::OnceLock;

use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::{json, Map, Value};

use crate::model::test_case::{Check, TestCase};

use crate::model::prompt::{
    Escape, Example, Input, InputType, MessageItem, Model, Part, Prompt, ResponseFormat, Role,
    Syntax, Tool, ToolChoiceMode,
};

/// Where a registry keeps its copy of the schema, relative to the repository root.
pub const SCHEMA_FILE: &str = ".prompts.schema.json";

/// The schema's text (pretty JSON with a final newline), as `prompt schema` prints it.
pub fn json_schema() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = serde_json::to_string_pretty(&schema()).expect("the schema is JSON");
        text.push('\n');
        text
    })
}

/// The first line of a prompt file at `path` (relative to the repository root) that points the
/// YAML language server at the schema.
pub fn modeline(path: &str) -> String {
    let depth = path.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}{SCHEMA_FILE}\n",
        "../".repeat(depth)
    )
}

const DESCRIPTION: &str =
    "One prompt of a git-backed prompt registry (`<root>/<id>.prompt.yaml`). \
Keys are written in the order below; unknown keys are an error except under `metadata`. A prompt \
has `messages` (chat) or `template` (text), not both. A key written with no value (`labels:` or \
`~`) counts as absent. Text fields take strings only: quote a value that YAML reads as a number or \
a boolean (`name: '1.10'`). `prompt check` also refuses what a JSON Schema cannot see, because it \
reads the data after YAML is resolved: aliases and anchors, custom tags, duplicate keys, several \
documents, and `format: 1.0` (a JSON Schema counts it as 1); and it checks the templates and \
inputs. `prompt schema` prints this schema.";

/// The whole schema.
pub fn schema() -> Value {
    let mut root = object::<Prompt>(
        &["format"],
        vec![
            (
                "format",
                json!({
                    "const": crate::model::prompt::FORMAT_VERSION,
                    "description": "File format version; this build reads and writes 1."
                }),
            ),
            (
                "name",
                optional(
                    json!({"type": "string", "description": "Optional display name; the id comes from the path."}),
                ),
            ),
            ("description", optional(json!({"type": "string"}))),
            (
                "labels",
                optional(json!({
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Optional categories."
                })),
            ),
            (
                "metadata",
                optional(json!({
                    "type": "object",
                    "description": "Free-form, never interpreted (other tools' fields are kept under metadata.<tool>)."
                })),
            ),
            ("model", optional(model())),
            (
                "template_format",
                optional(json!({
                    "enum": variants::<Syntax>(),
                    "default": "mustache",
                    "description": "The template language of every text in the prompt."
                })),
            ),
            (
                "escape",
                optional(json!({
                    "enum": variants::<Escape>(),
                    "default": "none",
                    "description": "What {{x}} does to a value."
                })),
            ),
            (
                "inputs",
                optional(json!({
                    "type": "object",
                    "description": "Declared variables; order is kept.",
                    "additionalProperties": {"$ref": "#/$defs/input"}
                })),
            ),
            (
                "messages",
                optional(json!({
                    "type": "array",
                    "description": "A chat prompt's messages.",
                    "items": {"$ref": "#/$defs/messageItem"}
                })),
            ),
            (
                "template",
                optional(json!({"type": "string", "description": "A text prompt's template."})),
            ),
            (
                "tools",
                optional(json!({"type": "array", "items": {"$ref": "#/$defs/tool"}})),
            ),
            (
                "tool_choice",
                optional(json!({
                    "oneOf": [
                        {"enum": variants::<ToolChoiceMode>()},
                        {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}}
                        }
                    ]
                })),
            ),
            ("response_format", optional(response_format())),
            (
                "examples",
                optional(json!({
                    "type": "array",
                    "description": "Few-shot demonstrations, rendered as user/assistant pairs after the system messages.",
                    "items": example()
                })),
            ),
            (
                "samples",
                optional(json!({
                    "type": "object",
                    "description": "Named input sets for trying the prompt (`render --sample NAME`).",
                    "additionalProperties": {"type": "object"}
                })),
            ),
            (
                "tests",
                optional(json!({
                    "type": "array",
                    "description": "Test cases for `prompt test`: values, checks on the rendered request and on the model's answer.",
                    "items": {"$ref": "#/$defs/test"}
                })),
            ),
        ],
    );
    // `model::load`'s rule: exactly one of `messages` and `template` (a key with no value is
    // absent). Written as two shapes with titles that name the mistake, not one opaque `oneOf`.
    let body = json!({
        "anyOf": [
            {"title": "chat prompt: messages", "required": ["messages"], "properties": {"messages": {"type": "array"}}},
            {"title": "text prompt: template", "required": ["template"], "properties": {"template": {"type": "string"}}}
        ],
        "not": {
            "title": "messages and template together: a prompt has one or the other, not both",
            "required": ["messages", "template"],
            "properties": {"messages": {"type": "array"}, "template": {"type": "string"}}
        }
    });
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    out.insert("title".into(), json!("prompt file (format 1)"));
    out.insert("description".into(), json!(DESCRIPTION));
    out.append(root.as_object_mut().expect("an object"));
    for (key, value) in body.as_object().expect("an object") {
        out.insert(key.clone(), value.clone());
    }
    out.insert(
        "$defs".into(),
        json!({
            "input": input(),
            "messageItem": message_item(),
            "part": part(),
            "tool": tool(),
            "test": test_case(),
            "check": check(false),
            "outputCheck": check(true)
        }),
    );
    Value::Object(out)
}

fn model() -> Value {
    let providers = [
        "openai",
        "azure_openai",
        "anthropic",
        "google",
        "gemini",
        "deepseek",
        "xai",
        "ollama",
        "aws",
    ];
    object::<Model>(
        &["provider", "name"],
        vec![
            (
                "provider",
                json!({
                    "type": "string",
                    "description": format!("{}, or another name.", providers.join(", ")),
                    "examples": providers
                }),
            ),
            (
                "name",
                json!({"type": "string", "description": "The provider's model name."}),
            ),
            (
                "params",
                optional(json!({
                    "type": "object",
                    "description": "Invocation parameters, passed through to the provider request (temperature, max_tokens, …)."
                })),
            ),
        ],
    )
}

fn input() -> Value {
    object::<Input>(
        &[],
        vec![
            (
                "type",
                optional(json!({"enum": variants::<InputType>(), "default": "string"})),
            ),
            ("description", optional(json!({"type": "string"}))),
            (
                "required",
                optional(json!({
                    "type": "boolean",
                    "description": "Defaults to true unless a default is given."
                })),
            ),
            ("default", json!(true)),
            ("enum", optional(json!({"type": "array"}))),
            (
                "schema",
                optional(json!({
                    "type": "object",
                    "description": "A JSON Schema for the value of an object or array input: values are checked against it."
                })),
            ),
        ],
    )
}

/// A message or a history placeholder. The loader reads both as one struct and then asks for one
/// shape (`model::load`); a key with no value is absent there, so each shape allows it as null.
fn message_item() -> Value {
    let content = json!({
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"$ref": "#/$defs/part"}}
        ]
    });
    let mut item = object::<MessageItem>(
        &[],
        vec![
            ("role", optional(json!({"enum": variants::<Role>()}))),
            (
                "name",
                optional(json!({"type": "string", "description": "Optional participant name."})),
            ),
            ("content", optional(content.clone())),
            (
                "history",
                optional(json!({
                    "type": "string",
                    "description": "The input (of type messages) spliced in here."
                })),
            ),
        ],
    );
    item["oneOf"] = json!([
        {
            "title": "message: role and content",
            "required": ["role", "content"],
            "properties": {
                "role": {"enum": variants::<Role>()},
                "content": content,
                "history": {"type": "null"}
            }
        },
        {
            "title": "history placeholder: only the key history",
            "required": ["history"],
            "properties": {
                "history": {"type": "string"},
                "role": {"type": "null"},
                "name": {"type": "null"},
                "content": {"type": "null"}
            }
        }
    ]);
    item
}

/// One content part: exactly one of its fields has a value.
fn part() -> Value {
    let fields = names::<Part>();
    let mut part = object::<Part>(
        &[],
        vec![
            ("text", optional(json!({"type": "string"}))),
            (
                "image",
                optional(
                    json!({"type": "string", "description": "The name of an input of type image."}),
                ),
            ),
            (
                "audio",
                optional(
                    json!({"type": "string", "description": "The name of an input of type audio."}),
                ),
            ),
        ],
    );
    part["oneOf"] = fields
        .iter()
        .map(|f| {
            let mut only = Map::new();
            only.insert(f.to_string(), json!({"type": "string"}));
            json!({"title": format!("a {f} part"), "required": [f], "properties": only})
        })
        .collect();
    part
}

fn tool() -> Value {
    object::<Tool>(
        &["name"],
        vec![
            ("name", json!({"type": "string"})),
            ("description", optional(json!({"type": "string"}))),
            (
                "parameters",
                optional(json!({"type": "object", "description": "JSON Schema of the arguments."})),
            ),
            ("strict", optional(json!({"type": "boolean"}))),
        ],
    )
}

fn response_format() -> Value {
    object::<ResponseFormat>(
        &["name", "schema"],
        vec![
            ("name", json!({"type": "string"})),
            ("description", optional(json!({"type": "string"}))),
            (
                "schema",
                json!({"type": "object", "description": "The JSON Schema the answer must follow."}),
            ),
            ("strict", optional(json!({"type": "boolean"}))),
        ],
    )
}

fn test_case() -> Value {
    object::<TestCase>(
        &["name"],
        vec![
            (
                "name",
                json!({"type": "string", "description": "Unique within the prompt."}),
            ),
            (
                "sample",
                optional(json!({"type": "string", "description": "A name from `samples`."})),
            ),
            (
                "vars",
                optional(json!({
                    "type": "object",
                    "description": "Values (over the sample's); defaults fill the rest."
                })),
            ),
            (
                "rendered",
                optional(json!({
                    "type": "array",
                    "description": "Checks on the rendered request's text (`render --format text`), no model call.",
                    "items": {"$ref": "#/$defs/check"}
                })),
            ),
            (
                "output",
                optional(json!({
                    "type": "array",
                    "description": "Checks on the model's answer.",
                    "items": {"$ref": "#/$defs/outputCheck"}
                })),
            ),
        ],
    )
}

/// A check: exactly one key. `answer`: the answer-only kinds (`json_schema`, `tool_call`) too.
fn check(answer: bool) -> Value {
    let text = |d: &str| json!({"type": "string", "description": d});
    let mut fields = vec![
        ("contains", text("The text holds this.")),
        ("not_contains", text("The text does not hold this.")),
        (
            "equals",
            text("The text is this (leading and trailing white space aside)."),
        ),
        (
            "regex",
            text("The text matches this regular expression (searched anywhere)."),
        ),
        ("starts_with", text("The text starts with this.")),
        (
            "json_schema",
            json!({
                "oneOf": [{"const": true}, {"type": "object"}],
                "description": "The answer is JSON valid against response_format's schema (true) or this schema."
            }),
        ),
        (
            "tool_call",
            text("The answer calls this declared tool with arguments valid for its parameters."),
        ),
    ];
    if !answer {
        // Present in the type, refused by the loader under `rendered`.
        for (_, v) in fields.iter_mut().skip(5) {
            *v = json!(false);
        }
    }
    let mut out = object::<Check>(&[], fields);
    out["minProperties"] = json!(1);
    out["maxProperties"] = json!(1);
    out
}

fn example() -> Value {
    object::<Example>(
        &["input", "output"],
        vec![
            ("input", json!({"type": "object"})),
            ("output", json!(true)),
        ],
    )
}

/// A closed object whose properties are the serde fields of `T`, in their order, each described
/// by its entry in `described`. Panics when a field has no entry or an entry no field: the type
/// and the schema have drifted apart.
fn object<T: DeserializeOwned>(required: &[&str], mut described: Vec<(&str, Value)>) -> Value {
    let mut properties = Map::new();
    for field in names::<T>() {
        let at = described
            .iter()
            .position(|(name, _)| name == field)
            .unwrap_or_else(|| {
                panic!(
                    "the schema does not describe `{field}` of {}",
                    std::any::type_name::<T>()
                )
            });
        properties.insert(field.to_string(), described.remove(at).1);
    }
    assert!(
        described.is_empty(),
        "the schema describes fields {} does not have: {:?}",
        std::any::type_name::<T>(),
        described.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for name in required {
        assert!(properties.contains_key(*name), "required `{name}`");
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    out.insert("properties".into(), Value::Object(properties));
    Value::Object(out)
}

/// An optional key: the loader takes no value (`key:`, `key: ~`) as the key left out.
fn optional(mut schema: Value) -> Value {
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        schema["type"] = json!([kind, "null"]);
    } else if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    } else if let Some(shapes) = schema.get_mut("oneOf").and_then(Value::as_array_mut) {
        shapes.push(json!({"type": "null"}));
    } else {
        panic!("no way to allow null in {schema}");
    }
    schema
}

/// The variant names of a serde enum, as the file writes them.
fn variants<T: DeserializeOwned>() -> Vec<&'static str> {
    names::<T>().to_vec()
}

/// The field names of a serde struct (in declaration order) or the variant names of a serde enum,
/// as serde's derive hands them to a deserializer.
fn names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names = Names(None);
    let _ = T::deserialize(&mut names);
    names
        .0
        .unwrap_or_else(|| panic!("{} is not a struct or an enum", std::any::type_name::<T>()))
}

/// A deserializer that only records the names a derived `Deserialize` asks for, then stops.
struct Names(Option<&'static [&'static str]>);

impl<'de> de::Deserializer<'de> for &mut Names {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(fields);
        Err(de::Error::custom("names only"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(variants);
        Err(de::Error::custom("names only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_and_the_modeline_climbs_to_the_root() {
        let v: serde_json::Value = serde_json::from_str(json_schema()).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(
            modeline("prompts/support/summarize.prompt.yaml"),
            "# yaml-language-server: $schema=../../.prompts.schema.json\n"
        );
        assert_eq!(
            modeline("x.prompt.yaml"),
            "# yaml-language-server: $schema=.prompts.schema.json\n"
        );
    }

    #[test]
    fn keys_their_order_and_enumerations_are_the_serde_types() {
        let s = schema();
        let keys: Vec<&str> = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, names::<Prompt>());
        assert_eq!(keys.first(), Some(&"format"));
        assert_eq!(
            s["$defs"]["input"]["properties"]["type"]["enum"],
            json!([
                "string", "number", "integer", "boolean", "array", "object", "image", "audio",
                "messages", null
            ])
        );
        assert_eq!(
            s["properties"]["template_format"]["enum"],
            json!(["mustache", "f-string", "jinja2", "none", null])
        );
        assert_eq!(
            s["$defs"]["messageItem"]["oneOf"][0]["properties"]["role"]["enum"],
            json!(["system", "developer", "user", "assistant", "tool"])
        );
        let missing: Result<Prompt, _> = serde_json::from_value(json!({}));
        assert!(missing.unwrap_err().to_string().contains("format"));
    }
}
