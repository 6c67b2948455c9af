//! Evaluating one check of a test against a text (the rendered request, or the answer's text)
//! or against the whole answer (`json_schema`, `tool_call`). A failure says what was expected
//! and what was there, cut to a readable length.

use serde_json::Value;

use super::answer::{cut, Answer};
use crate::model::{CheckKind, Prompt};

/// How much of a text a failure message quotes.
const QUOTE: usize = 200;

/// Evaluates a text check (`contains`, `not_contains`, `equals`, `regex`, `starts_with`).
pub fn on_text(kind: CheckKind<'_>, text: &str) -> Result<(), String> {
    let shown = || Value::String(cut(text, QUOTE)).to_string();
    match kind {
        CheckKind::Contains(want) if !text.contains(want) => Err(format!(
            "expected the text to contain {}; it is {}",
            quoted(want),
            shown()
        )),
        CheckKind::NotContains(bad) if text.contains(bad) => Err(format!(
            "expected the text not to contain {}; it is {}",
            quoted(bad),
            shown()
        )),
        CheckKind::Equals(want) if text.trim() != want.trim() => Err(format!(
            "expected the text to equal {}; it is {}",
            quoted(want),
            shown()
        )),
        CheckKind::StartsWith(want) if !text.starts_with(want) => Err(format!(
            "expected the text to start with {}; it is {}",
            quoted(want),
            shown()
        )),
        CheckKind::Regex(pattern) => {
            let re = regex::Regex::new(pattern)
                .map_err(|e| format!("`regex` {} does not compile: {e}", quoted(pattern)))?;
            if re.is_match(text) {
                Ok(())
            } else {
                Err(format!(
                    "expected the text to match {}; it is {}",
                    quoted(pattern),
                    shown()
                ))
            }
        }
        CheckKind::JsonSchema(_) | CheckKind::ToolCall(_) => {
            Err(format!("`{}` checks a model's answer", kind.key()))
        }
        _ => Ok(()),
    }
}

/// Evaluates an output check against the answer.
pub fn on_answer(kind: CheckKind<'_>, answer: &Answer, prompt: &Prompt) -> Result<(), String> {
    match kind {
        CheckKind::JsonSchema(schema) => {
            let schema = match schema {
                Value::Bool(true) => match &prompt.response_format {
                    Some(rf) => &rf.schema,
                    None => return Err("the prompt has no `response_format` to check".into()),
                },
                other => other,
            };
            let value: Value = serde_json::from_str(answer.text.trim()).map_err(|e| {
                format!(
                    "expected JSON; the answer is not JSON ({e}): {}",
                    Value::String(cut(&answer.text, QUOTE))
                )
            })?;
            valid(schema, &value)
                .map_err(|why| format!("the answer does not fit the schema: {why}"))
        }
        CheckKind::ToolCall(name) => {
            let calls: Vec<_> = answer
                .tool_calls
                .iter()
                .filter(|c| c.name == name)
                .collect();
            if calls.is_empty() {
                let made: Vec<String> = answer
                    .tool_calls
                    .iter()
                    .map(|c| format!("`{}`", c.name))
                    .collect();
                return Err(if made.is_empty() {
                    format!("expected a call of `{name}`; the answer calls no tool")
                } else {
                    format!(
                        "expected a call of `{name}`; the answer calls {}",
                        made.join(", ")
                    )
                });
            }
            let parameters = prompt
                .tools
                .iter()
                .find(|t| t.name == name)
                .and_then(|t| t.parameters.as_ref());
            let mut last = String::new();
            for call in calls {
                let Some(args) = &call.arguments else {
                    last = format!(
                        "`{name}` was called with arguments that are not JSON: {}",
                        Value::String(cut(&call.raw, QUOTE))
                    );
                    continue;
                };
                match parameters.map(|p| valid(p, args)).unwrap_or(Ok(())) {
                    Ok(()) => return Ok(()),
                    Err(why) => {
                        last = format!(
                        "`{name}` was called with arguments that do not fit its parameters: {why}"
                    )
                    }
                }
            }
            Err(last)
        }
        text_kind => on_text(text_kind, &answer.text),
    }
}

/// Whether `value` is valid against `schema`; the first problems otherwise.
fn valid(schema: &Value, value: &Value) -> Result<(), String> {
    let validator = jsonschema::validator_for(schema)
        .map_err(|e| format!("the schema is not a valid JSON Schema: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn quoted(s: &str) -> String {
    Value::String(cut(s, QUOTE)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::answer::ToolCall;
    use serde_json::json;

    #[test]
    fn text_checks_pass_and_fail() {
        let t = "Route to billing.\n";
        assert!(on_text(CheckKind::Contains("billing"), t).is_ok());
        assert!(on_text(CheckKind::Contains("sales"), t)
            .unwrap_err()
            .contains("to contain \"sales\""));
        assert!(on_text(CheckKind::NotContains("sales"), t).is_ok());
        assert!(on_text(CheckKind::NotContains("billing"), t).is_err());
        assert!(on_text(CheckKind::Equals("Route to billing."), t).is_ok());
        assert!(on_text(CheckKind::Equals("Route"), t).is_err());
        assert!(on_text(CheckKind::StartsWith("Route"), t).is_ok());
        assert!(on_text(CheckKind::StartsWith("billing"), t).is_err());
        assert!(on_text(CheckKind::Regex("(?i)^route"), t).is_ok());
        assert!(on_text(CheckKind::Regex("^billing"), t).is_err());
        assert!(on_text(CheckKind::Regex("(a"), t)
            .unwrap_err()
            .contains("does not compile"));
    }

    #[test]
    fn schema_and_tool_checks() {
        let prompt = crate::model::load::parse(
            "format: 1\ntemplate: x\ntools:\n  - name: f\n    parameters: {type: object, required: [id]}\nresponse_format:\n  name: r\n  schema: {type: object, required: [a]}\n",
        )
        .unwrap()
        .prompt;
        let answer = |text: &str, calls: Vec<ToolCall>| Answer {
            text: text.into(),
            tool_calls: calls,
        };
        let yes = json!(true);
        assert!(on_answer(
            CheckKind::JsonSchema(&yes),
            &answer("{\"a\": 1}", vec![]),
            &prompt
        )
        .is_ok());
        assert!(
            on_answer(CheckKind::JsonSchema(&yes), &answer("{}", vec![]), &prompt)
                .unwrap_err()
                .contains("does not fit")
        );
        assert!(on_answer(
            CheckKind::JsonSchema(&yes),
            &answer("nope", vec![]),
            &prompt
        )
        .unwrap_err()
        .contains("not JSON"));
        let inline = json!({"type": "array"});
        assert!(on_answer(
            CheckKind::JsonSchema(&inline),
            &answer("[1]", vec![]),
            &prompt
        )
        .is_ok());
        let call = |args: Option<Value>| ToolCall {
            name: "f".into(),
            raw: args.as_ref().map(Value::to_string).unwrap_or("{".into()),
            arguments: args,
        };
        assert!(on_answer(
            CheckKind::ToolCall("f"),
            &answer("", vec![call(Some(json!({"id": 1})))]),
            &prompt
        )
        .is_ok());
        assert!(on_answer(
            CheckKind::ToolCall("f"),
            &answer("", vec![call(Some(json!({})))]),
            &prompt
        )
        .unwrap_err()
        .contains("do not fit"));
        assert!(on_answer(
            CheckKind::ToolCall("f"),
            &answer("", vec![call(None)]),
            &prompt
        )
        .unwrap_err()
        .contains("not JSON"));
        assert!(
            on_answer(CheckKind::ToolCall("f"), &answer("", vec![]), &prompt)
                .unwrap_err()
                .contains("calls no tool")
        );
    }
}
