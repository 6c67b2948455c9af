//! Values for rendering (contract §9): defaults, samples, `--vars` files and `--var` flags,
//! converted to the declared types and checked. Strict by default: unknown names, wrong types and
//! missing required values are errors that name the input.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::RenderError;
use crate::model::{Input, InputType, Prompt};
use crate::template::Syntax;

/// A value as given on the command line, before conversion to the input's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// `--var k=v`: text, converted to the declared type.
    Text(String),
    /// `--var k=@path`: a file; its text for most types, its path for images and audio.
    File(String),
    /// From a `--vars` file, a sample or a batch line: already typed.
    Json(Value),
}

/// Where values come from, lowest precedence first: defaults, then `sample`, then `layers` in order
/// (a `--vars` file, then `--var` flags, then a batch line).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub sample: Option<String>,
    pub layers: Vec<IndexMap<String, Given>>,
    /// Accept undeclared names and leave missing values empty (`--lenient`).
    pub lenient: bool,
}

/// The largest file `--var k=@path` reads, in bytes.
const MAX_VALUE_FILE: u64 = 16 * 1024 * 1024;

/// Builds the rendering context for `prompt` from `sources`.
pub fn collect(prompt: &Prompt, sources: &Sources) -> Result<Map<String, Value>, RenderError> {
    collect_with(prompt, sources, Map::new())
}

/// `collect` with one more layer on top of `sources`, already typed (a `--batch` line's JSON
/// object): its names and values are moved into the context rather than copied, which matters
/// when a batch renders a hundred thousand lines.
pub fn collect_with(
    prompt: &Prompt,
    sources: &Sources,
    last: Map<String, Value>,
) -> Result<Map<String, Value>, RenderError> {
    let mut values: Map<String, Value> = Map::with_capacity(prompt.inputs.len());
    for (name, input) in &prompt.inputs {
        if let Some(d) = &input.default {
            values.insert(name.clone(), d.clone());
        }
    }
    if let Some(sample) = &sources.sample {
        let Some(set) = prompt.samples.get(sample) else {
            return Err(RenderError::UnknownSample {
                name: sample.clone(),
                known: prompt.samples.keys().cloned().collect(),
            });
        };
        for (k, v) in set {
            values.insert(k.clone(), v.clone());
        }
    }
    for layer in &sources.layers {
        for (name, given) in layer {
            let value = match prompt.inputs.get(name) {
                Some(input) => convert(name, input, given)?,
                None if sources.lenient => untyped(name, given)?,
                None => return Err(unknown(prompt, name.clone())),
            };
            values.insert(name.clone(), value);
        }
    }
    for (name, value) in last {
        // A JSON value is taken as it is: `check` below tests it against the declared type.
        if !prompt.inputs.contains_key(&name) && !sources.lenient {
            return Err(unknown(prompt, name));
        }
        values.insert(name, value);
    }
    let mut missing = Vec::new();
    for (name, input) in &prompt.inputs {
        match values.get(name) {
            Some(v) => check(name, input, v)?,
            None if input.is_required() && !sources.lenient => missing.push(name.clone()),
            // An optional input without a value is undefined to Jinja2, as in Python: so
            // `default()` and `is defined` see it, and strict mode refuses a bare use.
            None if prompt.template_format == Syntax::Jinja2 => {}
            // Elsewhere it renders as empty text and a false section.
            None => {
                values.insert(name.clone(), Value::Null);
            }
        }
    }
    if !missing.is_empty() {
        return Err(RenderError::MissingValues { names: missing });
    }
    Ok(values)
}

fn unknown(prompt: &Prompt, name: String) -> RenderError {
    RenderError::UnknownVariable {
        name,
        declared: prompt.inputs.keys().cloned().collect(),
    }
}

/// Converts a given value to the declared type.
fn convert(name: &str, input: &Input, given: &Given) -> Result<Value, RenderError> {
    let ty = input.kind;
    let text = match given {
        Given::Json(v) => return Ok(v.clone()),
        Given::File(path) if matches!(ty, InputType::Image | InputType::Audio) => {
            return Ok(Value::String(path.clone()))
        }
        Given::File(path) => read_value_file(name, path)?,
        Given::Text(t) => t.clone(),
    };
    let wrong = |why: &str| RenderError::WrongType {
        name: name.to_string(),
        expected: ty.with_article(),
        detail: why.to_string(),
    };
    Ok(match ty {
        InputType::String | InputType::Image | InputType::Audio => Value::String(text),
        InputType::Integer => {
            let t = text.trim();
            match t.parse::<i64>() {
                Ok(n) => Value::from(n),
                // Digits only, but too many for a 64-bit integer: say so, not "not a number".
                Err(e)
                    if matches!(
                        e.kind(),
                        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                    ) =>
                {
                    return Err(wrong(&format!(
                        "{} is out of range (whole numbers from {} to {})",
                        shown(&text),
                        i64::MIN,
                        i64::MAX
                    )))
                }
                Err(_) => return Err(wrong(&format!("{} is not a whole number", shown(&text)))),
            }
        }
        InputType::Number => {
            let t = text.trim();
            match t.parse::<i64>() {
                Ok(i) => Value::from(i),
                Err(_) => t
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| wrong(&format!("{} is not a number", shown(&text))))?,
            }
        }
        InputType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(wrong(&format!("{} is not true or false", shown(&text)))),
        },
        InputType::Array | InputType::Object | InputType::Messages => {
            crate::model::nesting::check_nesting(&text)
                .map_err(|e| wrong(&format!("the value is not usable JSON ({})", e.message)))?;
            serde_json::from_str(&text)
                .map_err(|e| wrong(&format!("the value is not JSON ({e})")))?
        }
    })
}

/// A value for an undeclared name (`--lenient`): text stays text.
fn untyped(name: &str, given: &Given) -> Result<Value, RenderError> {
    Ok(match given {
        Given::Json(v) => v.clone(),
        Given::Text(t) => Value::String(t.clone()),
        Given::File(path) => Value::String(read_value_file(name, path)?),
    })
}

fn read_value_file(name: &str, path: &str) -> Result<String, RenderError> {
    use std::io::Read;
    let fail = |why: String| RenderError::ValueFile {
        name: name.to_string(),
        path: path.to_string(),
        why,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_VALUE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_VALUE_FILE {
        return Err(fail(format!("larger than {MAX_VALUE_FILE} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".into()))
}

/// Checks a typed value against the input's type and enum.
fn check(name: &str, input: &Input, value: &Value) -> Result<(), RenderError> {
    if value.is_null() && !input.is_required() {
        return Ok(());
    }
    if !input.kind.accepts(value) {
        return Err(RenderError::WrongType {
            name: name.to_string(),
            expected: input.kind.with_article(),
            detail: format!("got {}", describe(value)),
        });
    }
    if let Some(allowed) = &input.allowed {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(|v| v.to_string()).collect();
            return Err(RenderError::NotAllowed {
                name: name.to_string(),
                value: shown(&value.to_string()),
                allowed: list,
            });
        }
    }
    if input.kind == InputType::Messages {
        super::history::check_messages(name, value)?;
    }
    if let Some(schema) = &input.schema {
        if let Some(detail) = crate::check::schema::mismatch(schema, value) {
            return Err(RenderError::SchemaMismatch {
                name: name.to_string(),
                detail,
            });
        }
    }
    Ok(())
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(s) => format!("the text {}", shown(s)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// A value as messages show it: quoted, cut after 40 characters; and when it matches a secret
/// rule, not at all: its length, its kind and a redacted start (contract §12).
fn shown(s: &str) -> String {
    if let Some(redacted) = crate::check::secrets::redacted_value(s) {
        return redacted;
    }
    let text = crate::model::controls::escape_line(s);
    if text.chars().count() > 40 {
        format!("`{}…`", text.chars().take(40).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load;

    fn prompt() -> Prompt {
        load::parse(
            "format: 1
inputs:
  name: {type: string}
  n: {type: integer, default: 3}
  x: {type: number, required: false}
  on: {type: boolean, required: false}
  tags: {type: array, required: false}
  tone: {type: string, enum: [warm, dry], default: warm}
template: '{{name}}{{n}}{{x}}{{on}}{{tags}}{{tone}}'
samples:
  s: {name: Sam, n: 7}
",
        )
        .unwrap()
        .prompt
    }

    fn layer(pairs: &[(&str, &str)]) -> IndexMap<String, Given> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Given::Text(v.to_string())))
            .collect()
    }

    #[test]
    fn converts_text_to_declared_types_with_precedence() {
        let p = prompt();
        let sources = Sources {
            sample: Some("s".into()),
            layers: vec![
                layer(&[("x", "2.5"), ("on", "yes"), ("tags", "[1,2]")]),
                layer(&[("n", "9")]),
            ],
            lenient: false,
        };
        let v = collect(&p, &sources).unwrap();
        assert_eq!(
            Value::Object(v),
            serde_json::json!({
                "n": 9, "tone": "warm", "name": "Sam", "x": 2.5, "on": true, "tags": [1, 2]
            })
        );
    }

    #[test]
    fn strict_errors_name_the_input() {
        let p = prompt();
        let err = |layers: Vec<IndexMap<String, Given>>| {
            collect(
                &p,
                &Sources {
                    layers,
                    ..Sources::default()
                },
            )
            .unwrap_err()
            .to_string()
        };
        assert!(err(vec![]).contains("missing value for `name`"));
        assert!(err(vec![layer(&[("name", "a"), ("nme", "b")])]).contains("`nme` is not an input"));
        assert!(err(vec![layer(&[("name", "a"), ("n", "x")])]).contains("`n` must be an integer"));
        assert!(err(vec![layer(&[("name", "a"), ("tone", "loud")])]).contains("warm"));
        let bad_sample = collect(
            &p,
            &Sources {
                sample: Some("nope".into()),
                ..Sources::default()
            },
        );
        assert!(bad_sample
            .unwrap_err()
            .to_string()
            .contains("known samples: s"));
    }

    #[test]
    fn lenient_accepts_unknown_and_missing() {
        let p = prompt();
        let v = collect(
            &p,
            &Sources {
                layers: vec![layer(&[("extra", "1")])],
                lenient: true,
                ..Sources::default()
            },
        )
        .unwrap();
        assert_eq!(v["extra"], "1");
        assert_eq!(v["name"], Value::Null, "missing values render empty");
    }
}
