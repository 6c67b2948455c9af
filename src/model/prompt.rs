//! The format-1 prompt file (contract §3) as serde types.
//!
//! Field order here is the canonical key order of a written file. Every struct denies unknown keys;
//! free-form data (`metadata`, params, JSON Schemas, sample values) is kept as ordered JSON values.
//! Rules that serde cannot express (exactly one of `messages`/`template`, message shapes) live in
//! `model::load`, where positions are known.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The template language (`template_format`) and the escaping of `{{x}}` (`escape`) are the
/// template layer's own types; the file format names them with the same words.
pub use crate::template::{Escape, Syntax};

/// The only file format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// One prompt file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    /// File format version; must be 1.
    pub format: u32,
    /// Display name; the id comes from the path.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "text::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub labels: Vec<String>,
    /// Free-form, never interpreted.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub metadata: IndexMap<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "is_default"
    )]
    pub template_format: Syntax,
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "is_default"
    )]
    pub escape: Escape,
    /// Declared variables, in the order written.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub inputs: IndexMap<String, Input>,
    /// A chat prompt's messages (exactly one of `messages` and `template`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MessageItem>>,
    /// A text prompt's template.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub template: Option<String>,
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tools: Vec<Tool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub examples: Vec<Example>,
    /// Named input sets for trying the prompt (`render --sample NAME`).
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub samples: IndexMap<String, IndexMap<String, Value>>,
    /// Test cases for `prompt test` (contract §14). They change nothing the prompt renders.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tests: Vec<crate::model::test_case::TestCase>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// How fields are read so that `check` and the JSON Schema (`model::schema`) say the same thing
/// about a file: a field declared as text takes a string and nothing else (`name: 123` and
/// `name: 1.10` are numbers to YAML and to every JSON tool, so they are refused rather than kept
/// as "123" and "1.10"), and an optional field written with no value (`labels:`, `name: ~`)
/// counts as absent, which the schema says by allowing `null` for every optional field.
pub(crate) mod text {
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, Visitor};

    /// A string and only a string: read with `deserialize_any`, so that a YAML number, boolean
    /// or null arrives typed and is refused, where `deserialize_str` would take its text.
    struct Text(String);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
            struct Only;
            impl Visitor<'_> for Only {
                type Value = Text;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string (quote it to keep it as text)")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                    Ok(Text(v.to_string()))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                    Ok(Text(v))
                }
            }
            d.deserialize_any(Only)
        }
    }

    pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Text::deserialize(d).map(|t| t.0)
    }

    pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Text>::deserialize(d)?.map(|t| t.0))
    }

    pub(super) fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let items = Option::<Vec<Text>>::deserialize(d)?.unwrap_or_default();
        Ok(items.into_iter().map(|t| t.0).collect())
    }

    /// No value (`~` or nothing) is the field's default, as if the key were not written.
    pub(crate) fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }
}

/// Which model the prompt is written for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// openai, azure_openai, anthropic, google, deepseek, xai, ollama, aws, or another name.
    #[serde(deserialize_with = "text::required")]
    pub provider: String,
    #[serde(deserialize_with = "text::required")]
    pub name: String,
    /// Invocation parameters, passed through to the provider request.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub params: IndexMap<String, Value>,
}

/// A declared variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Input {
    #[serde(rename = "type", default, deserialize_with = "text::or_default")]
    pub kind: InputType,
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Whether a value must be given; defaults to true unless a default is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// A JSON Schema the value of an `object` or `array` input must satisfy (contract §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
}

impl Input {
    /// A required string input, as `new` declares for variables it finds.
    pub fn string() -> Input {
        Input::default()
    }

    /// Whether rendering fails without a value for this input.
    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(self.default.is_none())
    }
}

/// The type of an input's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputType {
    #[default]
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Image,
    Audio,
    Messages,
}

impl InputType {
    /// The name used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::Number => "number",
            InputType::Integer => "integer",
            InputType::Boolean => "boolean",
            InputType::Array => "array",
            InputType::Object => "object",
            InputType::Image => "image",
            InputType::Audio => "audio",
            InputType::Messages => "messages",
        }
    }

    /// The type's name with an article, for messages: `an integer`, `a list of messages`.
    pub fn with_article(self) -> &'static str {
        match self {
            InputType::String => "a string",
            InputType::Number => "a number",
            InputType::Integer => "an integer",
            InputType::Boolean => "a boolean",
            InputType::Array => "an array",
            InputType::Object => "an object",
            InputType::Image => "an image (URL or file path)",
            InputType::Audio => "an audio file (URL or file path)",
            InputType::Messages => "a list of messages",
        }
    }

    /// Whether `value` is of this type (images and audio are given as a URL or path string).
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            InputType::String | InputType::Image | InputType::Audio => value.is_string(),
            InputType::Number => value.is_number(),
            InputType::Integer => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            InputType::Boolean => value.is_boolean(),
            InputType::Array | InputType::Messages => value.is_array(),
            InputType::Object => value.is_object(),
        }
    }
}

/// One entry of `messages`: a message, or a placeholder where a `messages` input is spliced in.
///
/// Written as one struct with optional fields so that serde reports unknown keys with a position;
/// `model::load` checks that exactly one shape is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MessageItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Optional participant name, passed to providers that support it.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// The input (of type `messages`) spliced in at this place.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub history: Option<String>,
}

impl MessageItem {
    /// A message with text content.
    pub fn text(role: Role, text: impl Into<String>) -> MessageItem {
        MessageItem {
            role: Some(role),
            content: Some(Content::Text(text.into())),
            ..MessageItem::default()
        }
    }
}

/// Who speaks a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    Developer,
    User,
    Assistant,
    Tool,
}

impl Role {
    /// The name used in the file and in provider requests.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::Developer => "developer",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }
}

/// A message's content: text, or a list of parts (text, image, audio).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Content {
    Text(String),
    Parts(Vec<Part>),
}

/// One part of a multi-part content. Exactly one field is set (checked in `model::load`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Part {
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<String>,
    /// The name of an input of type `image`.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<String>,
    /// The name of an input of type `audio`.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio: Option<String>,
}

/// A function tool the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    #[serde(deserialize_with = "text::required")]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// JSON Schema of the arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// Whether and which tool the model must call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ToolChoice {
    Mode(ToolChoiceMode),
    Named {
        /// The tool that must be called.
        name: String,
    },
}

/// `auto`, `none` or `required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoiceMode {
    Auto,
    None,
    Required,
}

/// Structured output: the JSON Schema the answer must follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ResponseFormat {
    #[serde(deserialize_with = "text::required")]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    pub schema: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// A few-shot demonstration: input values and the expected answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub input: IndexMap<String, Value>,
    pub output: Value,
}

/// Whether a prompt is a chat (messages) or a text (template) prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Chat,
    Text,
}

impl Kind {
    /// `chat` or `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chat => "chat",
            Kind::Text => "text",
        }
    }
}

/// A piece of template text in a prompt, with where it lives, so that checks can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextField<'a> {
    /// The YAML path of the field, e.g. `messages.2.content` (see `model::load::SpanIndex`).
    pub path: String,
    pub text: &'a str,
}

impl Prompt {
    /// Chat when it has messages, else text.
    pub fn kind(&self) -> Kind {
        if self.messages.is_some() {
            Kind::Chat
        } else {
            Kind::Text
        }
    }

    /// `provider/name` of the model, when one is set.
    pub fn model_label(&self) -> Option<String> {
        self.model
            .as_ref()
            .map(|m| format!("{}/{}", m.provider, m.name))
    }

    /// Every template text of the prompt, in file order: the template or each message's text.
    pub fn template_texts(&self) -> Vec<TextField<'_>> {
        let mut out = Vec::new();
        if let Some(t) = &self.template {
            out.push(TextField {
                path: "template".into(),
                text: t,
            });
        }
        for (i, item) in self.messages.iter().flatten().enumerate() {
            match &item.content {
                Some(Content::Text(t)) => out.push(TextField {
                    path: format!("messages.{i}.content"),
                    text: t,
                }),
                Some(Content::Parts(parts)) => {
                    for (j, part) in parts.iter().enumerate() {
                        if let Some(t) = &part.text {
                            out.push(TextField {
                                path: format!("messages.{i}.content.{j}.text"),
                                text: t,
                            });
                        }
                    }
                }
                None => {}
            }
        }
        out
    }

    /// The inputs that message items name outside templates: history placeholders and media parts,
    /// each with its YAML path and the type it must have.
    pub fn structural_inputs(&self) -> Vec<(String, &str, InputType)> {
        let mut out = Vec::new();
        for (i, item) in self.messages.iter().flatten().enumerate() {
            if let Some(h) = &item.history {
                out.push((
                    format!("messages.{i}.history"),
                    h.as_str(),
                    InputType::Messages,
                ));
            }
            if let Some(Content::Parts(parts)) = &item.content {
                for (j, part) in parts.iter().enumerate() {
                    if let Some(name) = &part.image {
                        out.push((
                            format!("messages.{i}.content.{j}.image"),
                            name,
                            InputType::Image,
                        ));
                    }
                    if let Some(name) = &part.audio {
                        out.push((
                            format!("messages.{i}.content.{j}.audio"),
                            name,
                            InputType::Audio,
                        ));
                    }
                }
            }
        }
        out
    }
}
