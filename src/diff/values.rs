//! Structural diffs of JSON values (params, metadata, tool schemas, response formats) as a list of
//! changed paths, and the compact one-line form values are shown in.
//!
//! Pure: values in, `FieldChange`s and strings out.

use serde::Serialize;
use serde_json::Value;

/// One changed value: `path: old → new`. An absent side means the key is not set there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Keys joined with `.`, e.g. `model.params.temperature`, `parameters.properties.id.type`;
    /// array items by index. Empty for the value itself.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// `a.b`; `b` when `a` is empty, `a` when `b` is.
pub fn join(path: &str, key: &str) -> String {
    match (path.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (_, true) => path.to_string(),
        _ => format!("{path}.{key}"),
    }
}

/// Adds the changes between `old` and `new` below `path` to `out`: objects key by key (old key
/// order, then new keys), arrays of equal length holding objects or arrays item by item, anything
/// else as one change.
pub fn diff_values(
    path: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<FieldChange>,
) {
    match (old, new) {
        (None, None) => {}
        (Some(a), Some(b)) if a == b => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (k, va) in a {
                diff_values(&join(path, k), Some(va), b.get(k), out);
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    diff_values(&join(path, k), None, Some(vb), out);
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.len() == b.len() && a.iter().chain(b).any(|v| v.is_object() || v.is_array()) =>
        {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff_values(&join(path, &i.to_string()), Some(va), Some(vb), out);
            }
        }
        _ => out.push(FieldChange {
            path: path.to_string(),
            old: old.cloned(),
            new: new.cloned(),
        }),
    }
}

/// A value on one line: strings bare when that is unambiguous (else JSON-quoted), lists and maps
/// in flow style (`[a, b]`, `{k: v}`), numbers and booleans as JSON.
pub fn show(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

/// `(none)` for an absent value, else `show`.
pub fn show_opt(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_string(), show)
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(&show_str(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(v, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&show_str(k));
                out.push_str(": ");
                write_value(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A string bare when it reads back unambiguously, else JSON-quoted.
fn show_str(s: &str) -> String {
    let ambiguous = s.is_empty()
        || s != s.trim()
        || s.chars().any(|c| c.is_control())
        || s.contains(" → ")
        || s.contains(", ")
        || s.contains(": ")
        || s.starts_with(['[', '{', '"', '('])
        || matches!(s, "true" | "false" | "null")
        || s.parse::<f64>().is_ok();
    if ambiguous {
        Value::String(s.to_string()).to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(old: Value, new: Value) -> Vec<String> {
        let mut out = Vec::new();
        diff_values("", Some(&old), Some(&new), &mut out);
        out.iter()
            .map(|c| {
                format!(
                    "{}: {} → {}",
                    c.path,
                    show_opt(c.old.as_ref()),
                    show_opt(c.new.as_ref())
                )
            })
            .collect()
    }

    #[test]
    fn lists_changed_paths_of_a_schema() {
        let old =
            json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
        let new = json!({"type": "object", "properties": {"id": {"type": "integer"}, "q": {"type": "string"}}, "required": ["id", "q"]});
        assert_eq!(
            changes(old, new),
            [
                "properties.id.type: string → integer",
                "properties.q: (none) → {type: string}",
                "required: [id] → [id, q]",
            ]
        );
    }

    #[test]
    fn arrays_of_objects_of_equal_length_are_compared_item_by_item() {
        assert_eq!(
            changes(json!([{"a": 1}, {"a": 2}]), json!([{"a": 1}, {"a": 3}])),
            ["1.a: 2 → 3"]
        );
        assert_eq!(changes(json!([1]), json!([1, 2])), [": [1] → [1, 2]"]);
    }

    #[test]
    fn shows_strings_bare_unless_ambiguous() {
        assert_eq!(show(&json!("gpt-4o")), "gpt-4o");
        assert_eq!(show(&json!("Summarize a ticket")), "Summarize a ticket");
        assert_eq!(show(&json!("0.5")), "\"0.5\"");
        assert_eq!(show(&json!("")), "\"\"");
        assert_eq!(show(&json!("a\nb")), "\"a\\nb\"");
        assert_eq!(show(&json!(0.5)), "0.5");
        assert_eq!(show(&json!({"name": "x"})), "{name: x}");
    }
}
