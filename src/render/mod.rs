//! Rendering (contract §9): a prompt and values in, text, messages or a provider request body out.
//!
//! `Prepared` parses every template of a prompt and resolves its partials once, so that a batch of
//! many value sets pays for parsing once. Values come from `values`; history placeholders and media
//! parts are turned into messages and parts here; `providers` shapes the result into request bodies.

pub mod history;
pub mod media;
pub mod providers;
pub mod values;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{Content as SourceContent, MessageItem, Prompt, Role};
use crate::template::{self, PartialResolver, Partials, RenderOptions, Template};

pub use media::{Media, MediaSource};
pub use values::{Given, Sources};

/// Why a prompt could not be rendered. Each names what the user has to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    #[error("no sample `{name}`; known samples: {}", list_or_none(known))]
    UnknownSample { name: String, known: Vec<String> },
    #[error(
        "`{name}` is not an input of this prompt (inputs: {}); pass --lenient to allow it",
        list_or_none(declared)
    )]
    UnknownVariable { name: String, declared: Vec<String> },
    #[error("`{name}` must be {expected}: {detail}")]
    WrongType {
        name: String,
        expected: &'static str,
        detail: String,
    },
    #[error("`{name}` is {value}, which is not one of its allowed values: {}", allowed.join(", "))]
    NotAllowed {
        name: String,
        value: String,
        allowed: Vec<String>,
    },
    #[error("`{name}` does not match its schema: {detail}")]
    SchemaMismatch { name: String, detail: String },
    #[error("missing value for {}: pass --var NAME=VALUE, --vars FILE or --sample NAME", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))]
    MissingValues { names: Vec<String> },
    #[error("cannot read `{path}` for `{name}`: {why}")]
    ValueFile {
        name: String,
        path: String,
        why: String,
    },
    #[error("{field}: {error}")]
    Template {
        field: String,
        error: template::RenderError,
    },
    #[error("{field}: {error}")]
    Syntax {
        field: String,
        error: template::ParseError,
    },
    #[error("`{name}` item {index}: {why}")]
    Messages {
        name: String,
        index: usize,
        why: String,
    },
    #[error("`{name}`: {why}")]
    Media { name: String, why: String },
    #[error("{provider}: {message}")]
    Provider { provider: String, message: String },
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// A rendered prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum Rendered {
    Text(String),
    Chat(Vec<Message>),
}

/// A rendered chat message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub name: Option<String>,
    pub content: Content,
    /// Provider fields a history message carried (`tool_calls`, `tool_call_id`), passed through.
    pub extra: Map<String, Value>,
}

/// A rendered message's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text(String),
    Parts(Vec<Part>),
}

impl Content {
    /// The text of the content: its text parts joined.
    pub fn text(&self) -> String {
        match self {
            Content::Text(t) => t.clone(),
            Content::Parts(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    Part::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(""),
        }
    }
}

/// One part of a multi-part content.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Image(Media),
    Audio(Media),
}

/// A prompt with its templates parsed and partials resolved, ready to render many times.
pub struct Prepared<'p> {
    prompt: &'p Prompt,
    /// One per template text, in `Prompt::template_texts` order, by YAML path.
    texts: Vec<(String, Template, Partials)>,
    /// Asked for the partials known only while rendering (dynamic names, `{{>*name}}`).
    resolver: &'p dyn PartialResolver,
    options: RenderOptions,
}

impl<'p> Prepared<'p> {
    /// Parses the prompt's templates and loads the partials they reach from `partials`.
    pub fn new(
        prompt: &'p Prompt,
        partials: &'p dyn PartialResolver,
        lenient: bool,
    ) -> Result<Prepared<'p>, RenderError> {
        let syntax = prompt.template_format;
        let mut texts = Vec::new();
        for field in prompt.template_texts() {
            let t = Template::parse(syntax, field.text).map_err(|error| RenderError::Syntax {
                field: field.path.clone(),
                error,
            })?;
            let p = t.prepare_partials(partials);
            texts.push((field.path, t, p));
        }
        Ok(Prepared {
            prompt,
            texts,
            resolver: partials,
            options: RenderOptions {
                escape: prompt.escape,
                strict: !lenient,
                ..RenderOptions::default()
            },
        })
    }

    /// The prompt being rendered.
    pub fn prompt(&self) -> &Prompt {
        self.prompt
    }

    fn text(&self, path: &str, ctx: &Value) -> Result<String, RenderError> {
        let (_, t, p) = self
            .texts
            .iter()
            .find(|(f, ..)| f == path)
            .expect("every template text was prepared");
        t.render_prepared_with(ctx, p, self.resolver, &self.options)
            .map_err(|error| RenderError::Template {
                field: path.to_string(),
                error,
            })
    }

    /// Renders with `values` (from `values::collect`).
    pub fn render(&self, values: Map<String, Value>) -> Result<Rendered, RenderError> {
        let ctx = Value::Object(values);
        let Some(items) = &self.prompt.messages else {
            return Ok(Rendered::Text(self.text("template", &ctx)?));
        };
        let Value::Object(values) = &ctx else {
            unreachable!("built as an object above")
        };
        // Few-shot examples go after the leading system messages and before the history and
        // the other messages (contract §9); each is the last user message rendered with the
        // example's own values only (declared defaults fill the rest, nothing from this call).
        let lead = items
            .iter()
            .take_while(|m| {
                m.history.is_none() && matches!(m.role, Some(Role::System | Role::Developer))
            })
            .count();
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i == lead {
                out.extend(self.examples(items)?);
            }
            if let Some(name) = &item.history {
                let value = values.get(name).unwrap_or(&Value::Null);
                out.extend(history::to_messages(name, value)?);
                continue;
            }
            out.push(self.message(i, item, &ctx, values)?);
        }
        if lead == items.len() {
            out.extend(self.examples(items)?);
        }
        Ok(Rendered::Chat(out))
    }

    /// The examples as user/assistant pairs: the last user message of the prompt rendered with
    /// each example's values, then its output as the assistant's answer.
    fn examples(&self, items: &[MessageItem]) -> Result<Vec<Message>, RenderError> {
        let Some(i) = items
            .iter()
            .rposition(|m| m.history.is_none() && m.role.unwrap_or(Role::User) == Role::User)
        else {
            return Ok(Vec::new());
        };
        let mut shots = Vec::new();
        for example in &self.prompt.examples {
            let mut with: Map<String, Value> = self
                .prompt
                .inputs
                .iter()
                .filter_map(|(name, input)| {
                    // Undefined to Jinja2 without a default (as in `values::collect`).
                    let value = match &input.default {
                        Some(d) => d.clone(),
                        None if self.prompt.template_format == template::Syntax::Jinja2 => {
                            return None
                        }
                        None => Value::Null,
                    };
                    Some((name.clone(), value))
                })
                .collect();
            for (k, v) in &example.input {
                with.insert(k.clone(), v.clone());
            }
            let ctx = Value::Object(with.clone());
            shots.push(self.message(i, &items[i], &ctx, &with)?);
            let answer = match &example.output {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            shots.push(Message {
                role: Role::Assistant,
                name: None,
                content: Content::Text(answer),
                extra: Map::new(),
            });
        }
        Ok(shots)
    }

    fn message(
        &self,
        i: usize,
        item: &MessageItem,
        ctx: &Value,
        values: &Map<String, Value>,
    ) -> Result<Message, RenderError> {
        let content = match &item.content {
            Some(SourceContent::Text(_)) | None => {
                Content::Text(self.text(&format!("messages.{i}.content"), ctx)?)
            }
            Some(SourceContent::Parts(parts)) => {
                let mut out = Vec::new();
                for (j, part) in parts.iter().enumerate() {
                    if part.text.is_some() {
                        out.push(Part::Text(
                            self.text(&format!("messages.{i}.content.{j}.text"), ctx)?,
                        ));
                    } else if let Some((name, kind)) = part
                        .image
                        .as_ref()
                        .map(|n| (n, media::Kind::Image))
                        .or_else(|| part.audio.as_ref().map(|n| (n, media::Kind::Audio)))
                    {
                        // A media input without a value (optional, or --lenient) leaves its
                        // part out (contract §9); a required one was reported missing before.
                        let value = values.get(name).filter(|v| !v.is_null());
                        if value.is_none() {
                            continue;
                        }
                        let m = media::load(name, value, kind)?;
                        out.push(match kind {
                            media::Kind::Image => Part::Image(m),
                            media::Kind::Audio => Part::Audio(m),
                        });
                    }
                }
                Content::Parts(out)
            }
        };
        Ok(Message {
            role: item.role.unwrap_or(Role::User),
            name: item.name.clone(),
            content,
            extra: Map::new(),
        })
    }
}

/// The `json` output: `{"text": …}` or `{"messages": […]}` with parts as typed objects.
pub fn to_json(rendered: &Rendered) -> Value {
    match rendered {
        Rendered::Text(t) => serde_json::json!({ "text": t }),
        Rendered::Chat(messages) => {
            let list: Vec<Value> = messages
                .iter()
                .map(|m| {
                    let mut obj = Map::new();
                    obj.insert("role".into(), m.role.as_str().into());
                    if let Some(n) = &m.name {
                        obj.insert("name".into(), n.clone().into());
                    }
                    obj.insert(
                        "content".into(),
                        match &m.content {
                            Content::Text(t) => Value::String(t.clone()),
                            Content::Parts(parts) => parts.iter().map(part_json).collect(),
                        },
                    );
                    for (k, v) in &m.extra {
                        obj.insert(k.clone(), v.clone());
                    }
                    Value::Object(obj)
                })
                .collect();
            serde_json::json!({ "messages": list })
        }
    }
}

fn part_json(part: &Part) -> Value {
    let media = |kind: &str, m: &Media| {
        let mut obj = Map::new();
        obj.insert("type".into(), kind.into());
        match &m.source {
            MediaSource::Url(u) => {
                obj.insert("url".into(), u.clone().into());
            }
            MediaSource::Inline { data, .. } => {
                obj.insert("data".into(), data.clone().into());
            }
        }
        obj.insert("media_type".into(), m.mime.clone().into());
        Value::Object(obj)
    };
    match part {
        Part::Text(t) => serde_json::json!({"type": "text", "text": t}),
        Part::Image(m) => media("image", m),
        Part::Audio(m) => media("audio", m),
    }
}

/// The `text` output: a text prompt's text; a chat prompt's messages as `[role]` blocks.
pub fn to_text(rendered: &Rendered) -> String {
    match rendered {
        Rendered::Text(t) => t.clone(),
        Rendered::Chat(messages) => {
            let mut out = String::new();
            for (i, m) in messages.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&format!("[{}]\n", m.role.as_str()));
                match &m.content {
                    Content::Text(t) => out.push_str(t),
                    Content::Parts(parts) => {
                        for p in parts {
                            match p {
                                Part::Text(t) => out.push_str(t),
                                Part::Image(m) => {
                                    out.push_str(&format!("[image: {}]\n", m.describe()))
                                }
                                Part::Audio(m) => {
                                    out.push_str(&format!("[audio: {}]\n", m.describe()))
                                }
                            }
                        }
                    }
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            out
        }
    }
}

/// The output formats of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RenderFormat {
    Text,
    Json,
    Openai,
    /// OpenAI's Responses API (`--format openai-responses`).
    #[serde(rename = "openai-responses")]
    OpenaiResponses,
    Anthropic,
    Gemini,
    Bedrock,
}

impl RenderFormat {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [RenderFormat; 7] = [
        RenderFormat::Text,
        RenderFormat::Json,
        RenderFormat::Openai,
        RenderFormat::OpenaiResponses,
        RenderFormat::Anthropic,
        RenderFormat::Gemini,
        RenderFormat::Bedrock,
    ];

    /// Its name, as `--format` and the server's `"format"` take it.
    pub fn name(self) -> &'static str {
        match self {
            RenderFormat::Text => "text",
            RenderFormat::Json => "json",
            RenderFormat::Openai => "openai",
            RenderFormat::OpenaiResponses => "openai-responses",
            RenderFormat::Anthropic => "anthropic",
            RenderFormat::Gemini => "gemini",
            RenderFormat::Bedrock => "bedrock",
        }
    }

    /// The format of that name.
    pub fn named(name: &str) -> Option<RenderFormat> {
        RenderFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Shapes a rendered prompt in `format`. Text is returned as a JSON string for `text`.
/// The second value lists what the format could not hold (reported on stderr, never dropped
/// silently).
pub fn output(
    prompt: &Prompt,
    rendered: &Rendered,
    format: RenderFormat,
) -> Result<(Value, Vec<String>), RenderError> {
    match format {
        RenderFormat::Text => Ok((Value::String(to_text(rendered)), Vec::new())),
        RenderFormat::Json => Ok((to_json(rendered), Vec::new())),
        RenderFormat::Openai => providers::openai::body(prompt, rendered),
        RenderFormat::OpenaiResponses => providers::openai_responses::body(prompt, rendered),
        RenderFormat::Anthropic => providers::anthropic::body(prompt, rendered),
        RenderFormat::Gemini => providers::gemini::body(prompt, rendered),
        RenderFormat::Bedrock => providers::bedrock::body(prompt, rendered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load;
    use std::collections::HashMap;

    fn render(yaml: &str, values: Value) -> Result<Rendered, RenderError> {
        let prompt = load::parse(yaml).unwrap().prompt;
        let partials: HashMap<String, String> =
            [("sig".to_string(), "-- {{who}}".to_string())].into();
        let prepared = Prepared::new(&prompt, &partials, false)?;
        let Value::Object(map) = values else { panic!() };
        prepared.render(map)
    }

    #[test]
    fn text_prompt_with_partial() {
        let r = render(
            "format: 1\ntemplate: |\n  Hi {{name}}\n  {{> sig}}\n",
            serde_json::json!({"name": "<Ann>", "who": "Bo"}),
        )
        .unwrap();
        assert_eq!(r, Rendered::Text("Hi <Ann>\n-- Bo".into()));
    }

    #[test]
    fn examples_go_after_the_system_messages_and_before_the_history() {
        let yaml = "format: 1
messages:
  - role: system
    content: Be brief.
  - history: past
  - role: user
    content: '{{q}}'
examples:
  - input: {q: '2+2'}
    output: '4'
";
        let r = render(
            yaml,
            serde_json::json!({"q": "3+3", "past": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}),
        )
        .unwrap();
        let Rendered::Chat(m) = &r else { panic!() };
        let texts: Vec<(&str, String)> = m
            .iter()
            .map(|m| (m.role.as_str(), m.content.text()))
            .collect();
        assert_eq!(
            texts,
            [
                ("system", "Be brief.".to_string()),
                ("user", "2+2".into()),
                ("assistant", "4".into()),
                ("user", "hi".into()),
                ("assistant", "hello".into()),
                ("user", "3+3".into()),
            ]
        );
        assert_eq!(
            to_text(&r).lines().take(3).collect::<Vec<_>>(),
            ["[system]", "Be brief.", ""]
        );
    }

    #[test]
    fn examples_carry_only_their_own_values_and_optional_media_is_left_out() {
        let yaml = "format: 1
inputs:
  q: {type: string}
  tone: {type: string, default: calm}
  photo: {type: image, required: false}
messages:
  - role: user
    content:
      - text: '{{tone}}: {{q}}'
      - image: photo
examples:
  - input: {q: 'old'}
    output: 'seen'
";
        let r = render(
            yaml,
            serde_json::json!({"q": "new", "tone": "loud", "photo": "https://x.test/a.png"}),
        )
        .unwrap();
        let Rendered::Chat(m) = &r else { panic!() };
        assert_eq!(m.len(), 3);
        // The example's turn has its own text, the declared default, and no live image.
        assert_eq!(
            m[0].content,
            Content::Parts(vec![Part::Text("calm: old".into())])
        );
        assert_eq!(m[1].content.text(), "seen");
        let Content::Parts(live) = &m[2].content else {
            panic!()
        };
        assert_eq!(live.len(), 2);
        assert!(matches!(live[1], Part::Image(_)));

        // No value for the optional image: its part is left out, no error.
        let r = render(
            yaml,
            serde_json::json!({"q": "new", "tone": "loud", "photo": null}),
        )
        .unwrap();
        let Rendered::Chat(m) = &r else { panic!() };
        assert_eq!(
            m[2].content,
            Content::Parts(vec![Part::Text("loud: new".into())])
        );
    }

    #[test]
    fn errors_name_the_field() {
        let err = render("format: 1\ntemplate: '{{nope}}'\n", serde_json::json!({})).unwrap_err();
        assert!(err.to_string().starts_with("template: "), "{err}");
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
