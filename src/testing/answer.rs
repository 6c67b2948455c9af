//! The model's answer in a response body: its text and the tools it calls, for the two APIs
//! `prompt test` speaks (OpenAI Chat Completions, Anthropic Messages).

use serde_json::Value;

/// Which API a prompt's test calls, by its `model.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Api {
    /// OpenAI-compatible Chat Completions (`POST {base}/chat/completions`): every provider but
    /// Anthropic (Ollama, vLLM, LiteLLM and most gateways speak it).
    #[serde(rename = "openai-chat-completions")]
    OpenAi,
    /// Anthropic Messages (`POST {base}/v1/messages`) for `provider: anthropic`.
    #[serde(rename = "anthropic-messages")]
    Anthropic,
}

impl Api {
    /// The API for a prompt.
    pub fn of(prompt: &crate::model::Prompt) -> Api {
        match prompt.model.as_ref().map(|m| m.provider.as_str()) {
            Some("anthropic") => Api::Anthropic,
            _ => Api::OpenAi,
        }
    }

    /// The name recordings and JSON output use.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::OpenAi => "openai-chat-completions",
            Api::Anthropic => "anthropic-messages",
        }
    }

    /// The `render --format` whose body this API takes.
    pub fn render_format(self) -> crate::render::RenderFormat {
        match self {
            Api::OpenAi => crate::render::RenderFormat::Openai,
            Api::Anthropic => crate::render::RenderFormat::Anthropic,
        }
    }
}

/// A tool call in an answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ToolCall {
    pub name: String,
    /// The arguments as JSON (OpenAI sends them as a JSON string; it is parsed here). `None`
    /// when the string is not JSON.
    pub arguments: Option<Value>,
    /// The arguments as sent, for messages.
    pub raw: String,
}

/// What the model answered.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Answer {
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
}

/// The answer in a response body, or why there is none.
pub fn parse(api: Api, body: &Value) -> Result<Answer, String> {
    if let Some(error) = body.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| error.to_string());
        return Err(format!("the API answered an error: {}", cut(&message, 300)));
    }
    match api {
        Api::OpenAi => openai(body),
        Api::Anthropic => anthropic(body),
    }
}

fn openai(body: &Value) -> Result<Answer, String> {
    let message = body
        .pointer("/choices/0/message")
        .ok_or("the response has no `choices[0].message` (not a Chat Completions answer)")?;
    let text = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    };
    let mut tool_calls = Vec::new();
    for call in message
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let function = call.get("function").unwrap_or(call);
        let name = function
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let (raw, arguments) = match function.get("arguments") {
            Some(Value::String(s)) => (s.clone(), serde_json::from_str(s).ok()),
            Some(other) => (other.to_string(), Some(other.clone())),
            None => (String::new(), None),
        };
        tool_calls.push(ToolCall {
            name,
            arguments,
            raw,
        });
    }
    Ok(Answer { text, tool_calls })
}

fn anthropic(body: &Value) -> Result<Answer, String> {
    let blocks = body
        .get("content")
        .and_then(Value::as_array)
        .ok_or("the response has no `content` list (not a Messages answer)")?;
    let mut answer = Answer::default();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => {
                answer
                    .text
                    .push_str(block.get("text").and_then(Value::as_str).unwrap_or(""));
            }
            Some("tool_use") => {
                let input = block.get("input").cloned().unwrap_or(Value::Null);
                answer.tool_calls.push(ToolCall {
                    name: block
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    raw: input.to_string(),
                    arguments: Some(input),
                });
            }
            _ => {}
        }
    }
    Ok(answer)
}

/// At most `max` characters of `text`, with `…` when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_shapes_give_text_and_tool_calls() {
        let a = parse(
            Api::OpenAi,
            &json!({"choices": [{"message": {"content": "hi", "tool_calls": [
                {"type": "function", "function": {"name": "f", "arguments": "{\"id\":\"1\"}"}}
            ]}}]}),
        )
        .unwrap();
        assert_eq!(a.text, "hi");
        assert_eq!(a.tool_calls[0].arguments, Some(json!({"id": "1"})));
        let b = parse(
            Api::Anthropic,
            &json!({"content": [{"type": "text", "text": "a"}, {"type": "tool_use", "name": "f", "input": {"id": 2}}, {"type": "text", "text": "b"}]}),
        )
        .unwrap();
        assert_eq!(b.text, "ab");
        assert_eq!(b.tool_calls[0].name, "f");
        let e = parse(Api::OpenAi, &json!({"error": {"message": "bad key"}})).unwrap_err();
        assert!(e.contains("bad key"), "{e}");
        assert!(parse(Api::OpenAi, &json!({"x": 1})).is_err());
    }
}
