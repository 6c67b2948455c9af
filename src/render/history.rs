//! History placeholders: an input of type `messages` spliced into a chat prompt.
//!
//! A history value is a list of `{role, content}` objects, as chat APIs take them: `content` is
//! text, or a list of parts (`{type: text, text}` / `{text}`, `{type: image_url, image_url: {url}}`
//! / `{image: URL}`). `name`, `tool_calls` and `tool_call_id` are passed through.

use serde_json::{Map, Value};

use super::media::{self, Kind};
use super::{Content, Message, Part, RenderError};
use crate::model::Role;

/// Fields of a history message besides `role` and `content` that are passed through.
const PASSED_THROUGH: [&str; 2] = ["tool_calls", "tool_call_id"];

/// Checks that `value` is a list of messages.
pub fn check_messages(name: &str, value: &Value) -> Result<(), RenderError> {
    to_messages(name, value).map(|_| ())
}

/// Converts a history value to messages.
pub fn to_messages(name: &str, value: &Value) -> Result<Vec<Message>, RenderError> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        _ => {
            return Err(RenderError::WrongType {
                name: name.to_string(),
                expected: "a list of messages",
                detail: "a history is a list of {role, content} objects".into(),
            })
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            message(name, item).map_err(|why| RenderError::Messages {
                name: name.to_string(),
                index,
                why,
            })
        })
        .collect()
}

fn message(name: &str, item: &Value) -> Result<Message, String> {
    let obj = item
        .as_object()
        .ok_or("a message is an object with `role` and `content`")?;
    let role = match obj.get("role").and_then(Value::as_str) {
        Some("system") => Role::System,
        Some("developer") => Role::Developer,
        Some("user") => Role::User,
        Some("assistant") => Role::Assistant,
        Some("tool") => Role::Tool,
        Some(other) => return Err(format!("unknown role `{other}`")),
        None => return Err("`role` is missing".into()),
    };
    let content = match obj.get("content") {
        None | Some(Value::Null) => Content::Text(String::new()),
        Some(Value::String(s)) => Content::Text(s.clone()),
        Some(Value::Array(parts)) => Content::Parts(
            parts
                .iter()
                .map(|p| part(name, p))
                .collect::<Result<Vec<_>, String>>()?,
        ),
        Some(_) => return Err("`content` is text or a list of parts".into()),
    };
    let mut extra = Map::new();
    for key in PASSED_THROUGH {
        if let Some(v) = obj.get(key) {
            extra.insert(key.to_string(), v.clone());
        }
    }
    Ok(Message {
        role,
        name: obj.get("name").and_then(Value::as_str).map(str::to_string),
        content,
        extra,
    })
}

fn part(name: &str, p: &Value) -> Result<Part, String> {
    let url_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("url").and_then(Value::as_str).map(str::to_string),
            _ => None,
        }
    };
    if let Some(t) = p.get("text").and_then(Value::as_str) {
        return Ok(Part::Text(t.to_string()));
    }
    let image = p
        .get("image")
        .or_else(|| p.get("image_url"))
        .and_then(url_of);
    if let Some(url) = image {
        let m =
            media::load(name, Some(&Value::String(url)), Kind::Image).map_err(|e| e.to_string())?;
        return Ok(Part::Image(m));
    }
    Err("a part is {type: text, text} or {type: image_url, image_url: {url}}".into())
}
