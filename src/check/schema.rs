//! A structural check of JSON Schema documents (tool parameters, response schemas): the keywords a
//! provider reads must have the shapes the JSON Schema specification gives them.
//!
//! This is not a full meta-schema validation; it catches the mistakes people make in YAML
//! (`type: strng`, `required: id`, `properties` as a list) with the path of the mistake.

use serde_json::Value;

/// A problem, at a path below the schema's root (`.properties.id.type`, or empty for the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "object", "array", "null",
];
/// Keywords whose value is a schema.
const SCHEMA_KEYWORDS: [&str; 7] = [
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
];
/// Keywords whose value is a list of schemas.
const LIST_KEYWORDS: [&str; 4] = ["anyOf", "oneOf", "allOf", "prefixItems"];
/// Keywords whose value is a map of schemas.
const MAP_KEYWORDS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a non-negative integer.
const COUNT_KEYWORDS: [&str; 8] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
];
/// Keywords whose value is a number.
const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
/// Nesting beyond this is reported rather than followed.
const MAX_DEPTH: usize = 64;

/// The problems of `schema`, empty when it is well formed.
pub fn problems(schema: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    walk(schema, "", 0, &mut out);
    out
}

fn walk(schema: &Value, path: &str, depth: usize, out: &mut Vec<Problem>) {
    let mut problem = |p: &str, message: String| {
        out.push(Problem {
            path: p.to_string(),
            message,
        })
    };
    if depth > MAX_DEPTH {
        problem(
            path,
            format!("schema nested deeper than {MAX_DEPTH} levels"),
        );
        return;
    }
    let map = match schema {
        Value::Object(map) => map,
        Value::Bool(_) => return,
        _ => {
            problem(path, "a JSON Schema is an object (or true/false)".into());
            return;
        }
    };
    let mut nested: Vec<(String, &Value)> = Vec::new();
    for (key, value) in map {
        let here = format!("{path}.{key}");
        match key.as_str() {
            "type" => {
                let names: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    v => vec![v],
                };
                for name in names {
                    match name.as_str() {
                        Some(t) if TYPES.contains(&t) => {}
                        Some(t) => problem(
                            &here,
                            format!(
                                "unknown type `{t}`; JSON Schema types are {}",
                                TYPES.join(", ")
                            ),
                        ),
                        None => problem(&here, "`type` is a type name or a list of them".into()),
                    }
                }
            }
            "required"
                if !value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)) =>
            {
                problem(&here, "`required` is a list of property names".into());
            }
            "enum" if !value.is_array() => problem(&here, "`enum` is a list of values".into()),
            "items" => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        nested.push((format!("{here}.{i}"), item));
                    }
                }
                v => nested.push((here, v)),
            },
            "description" | "title" | "$ref" | "pattern" | "format" | "$schema" | "$id"
                if !value.is_string() =>
            {
                problem(&here, format!("`{key}` is a string"));
            }
            k if SCHEMA_KEYWORDS.contains(&k) => nested.push((here, value)),
            k if LIST_KEYWORDS.contains(&k) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        nested.push((format!("{here}.{i}"), item));
                    }
                }
                None => problem(&here, format!("`{key}` is a list of schemas")),
            },
            k if MAP_KEYWORDS.contains(&k) => match value.as_object() {
                Some(props) => {
                    for (name, sub) in props {
                        nested.push((format!("{here}.{name}"), sub));
                    }
                }
                None => problem(&here, format!("`{key}` maps names to schemas")),
            },
            k if COUNT_KEYWORDS.contains(&k) && value.as_u64().is_none() => {
                problem(&here, format!("`{key}` is a non-negative integer"));
            }
            k if NUMBER_KEYWORDS.contains(&k) && !value.is_number() => {
                problem(&here, format!("`{key}` is a number"));
            }
            _ => {}
        }
    }
    for (p, sub) in nested {
        walk(sub, &p, depth + 1, out);
    }
}

/// Why `value` does not satisfy the JSON Schema `schema` (contract §3: the `schema` of an object
/// or array input), naming the place inside the value; `None` when it does. A schema that does
/// not compile is reported by `check`; rendering does not judge values by it.
pub fn mismatch(schema: &Value, value: &Value) -> Option<String> {
    let validator = jsonschema::validator_for(schema).ok()?;
    let error = validator.iter_errors(value).next()?;
    let at = error.instance_path().to_string();
    Some(if at.is_empty() {
        error.to_string()
    } else {
        format!("at {at}: {error}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_ordinary_schemas() {
        let s = json!({
            "type": "object",
            "properties": {"id": {"type": "string", "description": "x"}, "n": {"type": ["integer", "null"], "minimum": 0}},
            "required": ["id"],
            "additionalProperties": false,
            "items": [{"type": "string"}],
            "anyOf": [true, {"enum": [1, 2]}]
        });
        assert_eq!(problems(&s), vec![]);
    }

    #[test]
    fn reports_mistakes_with_paths() {
        let s = json!({
            "type": "object",
            "properties": {"id": {"type": "strng"}, "tags": {"type": "array", "items": 3}},
            "required": "id",
            "minLength": -1
        });
        let found: Vec<(String, bool)> = problems(&s)
            .into_iter()
            .map(|p| (p.path, !p.message.is_empty()))
            .collect();
        assert_eq!(
            found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            vec![
                ".required",
                ".minLength",
                ".properties.id.type",
                ".properties.tags.items"
            ]
        );
        assert_eq!(problems(&json!("object")).len(), 1);
        assert_eq!(problems(&json!({"properties": []})).len(), 1);
    }

    #[test]
    fn mismatch_names_the_place_in_the_value() {
        let schema =
            json!({"properties": {"tier": {"enum": ["free", "pro"]}}, "required": ["name"]});
        assert_eq!(
            super::mismatch(&schema, &json!({"name": "A", "tier": "pro"})),
            None
        );
        let why = super::mismatch(&schema, &json!({"name": "A", "tier": "gold"})).unwrap();
        assert!(why.starts_with("at /tier: "), "{why}");
        let why = super::mismatch(&schema, &json!({})).unwrap();
        assert!(why.contains("\"name\" is a required property"), "{why}");
        // A schema that does not compile judges nothing (check reports it).
        assert_eq!(super::mismatch(&json!({"type": 5}), &json!(1)), None);
    }
}
