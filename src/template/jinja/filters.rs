//! Filters whose text Python's Jinja2 fixes to the byte, where the engine's own differ: `tojson`
//! (Jinja2's `htmlsafe_json_dumps`: `json.dumps` with sorted keys, ASCII only, and `< > & '`
//! escaped) and `pprint` (`pprint.pformat`: `repr` with dictionaries sorted by key). Chat
//! templates embed tool schemas with `tojson`, so its bytes are what a model sees.

use minijinja::value::{Kwargs, Value as JValue};
use serde_json::{Map, Value};

use crate::template::python;

/// `tojson(value, indent=None)`.
pub(super) fn tojson(
    value: &JValue,
    indent: Option<usize>,
    kwargs: Kwargs,
) -> Result<JValue, minijinja::Error> {
    let indent = match indent {
        Some(i) => Some(i),
        None => kwargs.get::<Option<usize>>("indent")?,
    };
    kwargs.assert_all_used()?;
    let json = serde_json::to_value(value).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("tojson: {e}"),
        )
    })?;
    let mut out = String::new();
    write_json(&json, indent, 0, &mut out);
    Ok(JValue::from_safe_string(out))
}

/// `pprint(value)`: Python's `pprint.pformat`, which sorts dictionaries by key. Values whose
/// text is longer than 80 columns are written on one line (pformat would wrap them).
pub(super) fn pprint(value: &JValue) -> Result<String, minijinja::Error> {
    let json = serde_json::to_value(value).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("pprint: {e}"),
        )
    })?;
    Ok(python::repr(&sorted(&json)))
}

/// `v` with every object's keys in sorted order (as Python sorts `str` keys: by code point,
/// which is UTF-8 byte order).
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&o[k])))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// `json.dumps(v, sort_keys=True, indent=indent)` (separators `, ` and `: `, or `,` at line
/// ends when indented), then Jinja2's HTML-safe replacements.
fn write_json(v: &Value, indent: Option<usize>, level: usize, out: &mut String) {
    let newline = |out: &mut String, level: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', n * level));
        }
    };
    let separator = if indent.is_some() { "," } else { ", " };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
            Some(x) => out.push_str(&python::float_repr(x)),
            None => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(s, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                newline(out, level + 1);
                write_json(item, indent, level + 1, out);
            }
            newline(out, level);
            out.push(']');
        }
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                newline(out, level + 1);
                write_string(k, out);
                out.push_str(": ");
                write_json(&o[k], indent, level + 1, out);
            }
            newline(out, level);
            out.push('}');
        }
    }
}

/// A JSON string as Python writes it with `ensure_ascii` (every non-ASCII character as `\uXXXX`,
/// astral ones as a surrogate pair, lower-case hex), with `< > & '` escaped as Jinja2 does.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\'' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumps(v: Value, indent: Option<usize>) -> String {
        let mut out = String::new();
        write_json(&v, indent, 0, &mut out);
        out
    }

    /// Outputs of Python 3.11's Jinja2 3.1.6 (`{{ x | tojson }}`, `{{ x | pprint }}`).
    #[test]
    fn tojson_and_pprint_write_what_jinja2_writes() {
        let x = serde_json::json!({"b": 1, "a": "é<'>&", "c": [1, {"z": 0, "y": null}]});
        assert_eq!(
            dumps(x.clone(), None),
            r#"{"a": "\u00e9\u003c\u0027\u003e\u0026", "b": 1, "c": [1, {"y": null, "z": 0}]}"#
        );
        assert_eq!(
            dumps(
                serde_json::json!({"b": 1, "a": "x", "e": [], "f": {}}),
                Some(2)
            ),
            "{\n  \"a\": \"x\",\n  \"b\": 1,\n  \"e\": [],\n  \"f\": {}\n}"
        );
        assert_eq!(
            dumps(serde_json::json!(["👋", 1.0, 2.5, "a\"b\\\n"]), None),
            r#"["\ud83d\udc4b", 1.0, 2.5, "a\"b\\\n"]"#
        );
        assert_eq!(
            python::repr(&sorted(&serde_json::json!({"b": 1, "a": "é", "c": [1, 2]}))),
            "{'a': 'é', 'b': 1, 'c': [1, 2]}"
        );
    }
}
