//! The `tests:` of a prompt file (contract §14): named cases with values and checks.
//!
//! A case names a sample or gives values (`vars`; defaults fill the rest), checks on the rendered
//! request (`rendered`, no model call) and checks on the model's answer (`output`). Each check is
//! a mapping with exactly one key; `model::load` enforces that with a position, `check` the rules
//! that need the rest of the prompt (a sample that exists, a declared tool, a schema to check
//! against, a regex that compiles). Tests change nothing a prompt renders.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::prompt::text;

/// One test case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// Unique within the prompt; reports and recordings name the test by it.
    #[serde(deserialize_with = "text::required")]
    pub name: String,
    /// A name from the prompt's `samples`.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub sample: Option<String>,
    /// Values (over the sample's, when both are given); defaults fill the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vars: Option<IndexMap<String, Value>>,
    /// Checks on the rendered request's text (`render --format text`): no model call.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub rendered: Vec<Check>,
    /// Checks on the model's answer.
    #[serde(
        default,
        deserialize_with = "text::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub output: Vec<Check>,
}

impl TestCase {
    /// Whether the test needs a model answer (it has `output` checks).
    pub fn calls_model(&self) -> bool {
        !self.output.is_empty()
    }
}

/// One check: a mapping with exactly one of these keys (checked by `model::load`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The text holds this.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub contains: Option<String>,
    /// The text does not hold this.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub not_contains: Option<String>,
    /// The text is this, once leading and trailing white space is trimmed on both sides.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub equals: Option<String>,
    /// The text matches this regular expression (Rust `regex` syntax, searched anywhere).
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub regex: Option<String>,
    /// The text starts with this.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub starts_with: Option<String>,
    /// The answer is JSON valid against the prompt's `response_format` schema (`true`) or this
    /// inline schema (an object). Answers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// The answer calls this declared tool with arguments valid for its `parameters`. Answers
    /// only.
    #[serde(
        default,
        deserialize_with = "text::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tool_call: Option<String>,
}

/// What one check asks, with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CheckKind<'a> {
    Contains(&'a str),
    NotContains(&'a str),
    Equals(&'a str),
    Regex(&'a str),
    StartsWith(&'a str),
    JsonSchema(&'a Value),
    ToolCall(&'a str),
}

impl CheckKind<'_> {
    /// The key the file writes.
    pub fn key(&self) -> &'static str {
        match self {
            CheckKind::Contains(_) => "contains",
            CheckKind::NotContains(_) => "not_contains",
            CheckKind::Equals(_) => "equals",
            CheckKind::Regex(_) => "regex",
            CheckKind::StartsWith(_) => "starts_with",
            CheckKind::JsonSchema(_) => "json_schema",
            CheckKind::ToolCall(_) => "tool_call",
        }
    }

    /// Whether it reads a model answer (and so is refused under `rendered`).
    pub fn answer_only(&self) -> bool {
        matches!(self, CheckKind::JsonSchema(_) | CheckKind::ToolCall(_))
    }
}

impl Check {
    /// Every key that has a value, in field order.
    pub fn kinds(&self) -> Vec<CheckKind<'_>> {
        let mut out = Vec::new();
        if let Some(v) = &self.contains {
            out.push(CheckKind::Contains(v));
        }
        if let Some(v) = &self.not_contains {
            out.push(CheckKind::NotContains(v));
        }
        if let Some(v) = &self.equals {
            out.push(CheckKind::Equals(v));
        }
        if let Some(v) = &self.regex {
            out.push(CheckKind::Regex(v));
        }
        if let Some(v) = &self.starts_with {
            out.push(CheckKind::StartsWith(v));
        }
        if let Some(v) = &self.json_schema {
            out.push(CheckKind::JsonSchema(v));
        }
        if let Some(v) = &self.tool_call {
            out.push(CheckKind::ToolCall(v));
        }
        out
    }

    /// The one thing this check asks (the loader has made sure there is exactly one).
    pub fn kind(&self) -> Option<CheckKind<'_>> {
        let kinds = self.kinds();
        (kinds.len() == 1).then(|| kinds[0])
    }

    /// A short label for reports: `contains "billing"`, `tool_call lookup_order`.
    pub fn label(&self) -> String {
        match self.kind() {
            Some(CheckKind::JsonSchema(v)) if v == &Value::Bool(true) => {
                "json_schema (response_format)".into()
            }
            Some(CheckKind::JsonSchema(_)) => "json_schema (inline)".into(),
            Some(CheckKind::ToolCall(t)) => format!("tool_call {t}"),
            Some(
                k @ (CheckKind::Contains(v)
                | CheckKind::NotContains(v)
                | CheckKind::Equals(v)
                | CheckKind::Regex(v)
                | CheckKind::StartsWith(v)),
            ) => {
                format!("{} {}", k.key(), Value::String(v.to_string()))
            }
            None => "(no check)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::load::{parse, to_yaml};

    const FILE: &str = "format: 1
inputs:
  q:
    type: string
template: |
  Answer {{q}}
samples:
  refund:
    q: Refund please.
tests:
  - name: refunds
    sample: refund
    rendered:
      - contains: Refund
    output:
      - regex: \"(?i)billing\"
      - json_schema: true
  - name: inline
    vars:
      q: hi
    output:
      - json_schema:
          type: object
      - tool_call: lookup
";

    #[test]
    fn tests_read_with_positions_and_write_back_the_same() {
        let loaded = parse(FILE).unwrap();
        let tests = &loaded.prompt.tests;
        assert_eq!(tests.len(), 2);
        assert_eq!(tests[0].sample.as_deref(), Some("refund"));
        assert_eq!(tests[0].output[0].regex.as_deref(), Some("(?i)billing"));
        assert_eq!(tests[1].output[1].kind().unwrap().key(), "tool_call");
        assert_eq!(loaded.spans.key("tests.1.output.1.tool_call").line, 24);
        let yaml = to_yaml(&loaded.prompt);
        assert_eq!(parse(&yaml).unwrap().prompt, loaded.prompt);
        assert!(yaml.ends_with("      - tool_call: lookup\n"), "{yaml}");
    }

    #[test]
    fn shape_errors_have_positions() {
        let head = "format: 1\ntemplate: hi\ntests:\n  - name: a\n";
        for (tail, line, want) in [
            ("    output:\n      - {}\n", 6, "exactly one of"),
            (
                "    output:\n      - contains: a\n        regex: b\n",
                6,
                "this one has 2",
            ),
            (
                "    rendered:\n      - tool_call: x\n",
                6,
                "put it under `output`",
            ),
            ("    output:\n      - json_schema: false\n", 6, "`true`"),
            (
                "    output:\n      - contain: a\n",
                6,
                "unknown field `contain`",
            ),
            ("    sampel: a\n", 5, "unknown field `sampel`"),
        ] {
            let err = parse(&format!("{head}{tail}")).unwrap_err();
            assert!(err.message.contains(want), "{tail}: {err:?}");
            assert_eq!(err.at.line, line, "{tail}: {err:?}");
        }
    }
}
