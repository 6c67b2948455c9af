//! Values from the command line: `--var NAME=VALUE` pairs and `--vars FILE` (YAML or JSON), as
//! the layers `render::values::collect` converts to the declared input types (contract §9).

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::Error;
use crate::model::{load, nesting};
use crate::render::Given;

/// `NAME=VALUE` pairs in order: `NAME=@FILE` names a file (its text, or for image and audio
/// inputs the file itself), `NAME=@@…` is the literal text `@…`. A pair without `=` is a usage
/// error.
pub fn parse_vars(pairs: &[String]) -> Result<IndexMap<String, Given>, Error> {
    let mut out = IndexMap::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Error::Usage(format!(
                "--var `{pair}`: expected NAME=VALUE (or NAME=@FILE)"
            )));
        };
        let given = match value.strip_prefix('@') {
            Some(rest) if rest.starts_with('@') => Given::Text(rest.to_string()),
            Some(path) => Given::File(path.to_string()),
            None => Given::Text(value.to_string()),
        };
        out.insert(name.to_string(), given);
    }
    Ok(out)
}

/// Reads a YAML or JSON mapping of input names to values from `path` (`-` is stdin; `batch` is
/// the `--batch` file, which cannot read stdin as well). An empty file gives no values.
pub fn read_vars_file(path: &Path, batch: Option<&Path>) -> Result<IndexMap<String, Given>, Error> {
    let stdin = path.as_os_str() == "-";
    if stdin && batch.is_some_and(|b| b.as_os_str() == "-") {
        return Err(Error::Usage(
            "--vars - and --batch - cannot both read stdin".into(),
        ));
    }
    let text = if stdin {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::io("stdin", e))?
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?
    };
    parse_vars_text(path, &text)
}

/// The values in `text`, read from `path` (named in errors).
fn parse_vars_text(path: &Path, text: &str) -> Result<IndexMap<String, Given>, Error> {
    let parse_error = |e: load::LoadError| Error::Parse {
        file: path.display().to_string(),
        at: e.at,
        message: e.message,
    };
    // JSON is read as JSON: YAML refuses escapes JSON allows (a surrogate pair such as
    // `"\ud83d\udc4b"`, which Python's json.dumps writes for every emoji). A `.json` file is
    // JSON only; other text that starts like a JSON object is tried as JSON first (a YAML flow
    // mapping such as `{a: 1}` is not JSON, and falls through to YAML).
    let is_json_file = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let looks_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let json = if is_json_file || looks_json {
        nesting::check_nesting(text).map_err(parse_error)?;
        match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
            Ok(v) => Some(v),
            Err(e) if is_json_file && !text.trim().is_empty() => {
                return Err(Error::Parse {
                    file: path.display().to_string(),
                    at: crate::error::Location {
                        line: e.line(),
                        column: e.column(),
                    },
                    message: e.to_string(),
                })
            }
            Err(_) => None,
        }
    } else {
        None
    };
    let value: Value = match json {
        Some(v) => v,
        None => {
            nesting::check_nesting(text).map_err(parse_error)?;
            serde_yaml::from_str(text).map_err(|e| parse_error(load::serde_error(&e)))?
        }
    };
    match value {
        Value::Object(map) => Ok(map.into_iter().map(|(k, v)| (k, Given::Json(v))).collect()),
        Value::Null => Ok(IndexMap::new()),
        _ => Err(Error::Usage(format!(
            "{}: values must be a mapping of input names to values",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_text_files_or_escaped_at_signs_in_order() {
        let pairs = ["b=two=2", "a=@notes.txt", "c=@@handle", "d="].map(String::from);
        let values = parse_vars(&pairs).unwrap();
        let got: Vec<(&str, &Given)> = values.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            got,
            [
                ("b", &Given::Text("two=2".into())),
                ("a", &Given::File("notes.txt".into())),
                ("c", &Given::Text("@handle".into())),
                ("d", &Given::Text(String::new())),
            ]
        );
        let err = parse_vars(&["nameonly".into()]).unwrap_err();
        assert!(matches!(&err, Error::Usage(m) if m.contains("`nameonly`: expected NAME=VALUE")));
    }

    #[test]
    fn a_values_file_is_a_mapping_of_typed_values() {
        let path = Path::new("values.yaml");
        let values = parse_vars_text(path, "n: 3\ntags: [a, b]\nname: Ann\n").unwrap();
        assert_eq!(values["n"], Given::Json(serde_json::json!(3)));
        assert_eq!(values["tags"], Given::Json(serde_json::json!(["a", "b"])));
        assert_eq!(values.get_index(2).unwrap().0, "name");
        assert!(parse_vars_text(path, "").unwrap().is_empty());
        let err = parse_vars_text(path, "- a\n- b\n").unwrap_err();
        assert!(matches!(&err, Error::Usage(m) if m.starts_with("values.yaml: values must be")));
        let err = parse_vars_text(path, "a: [1, 2\n").unwrap_err();
        assert!(
            matches!(&err, Error::Parse { file, .. } if file == "values.yaml"),
            "{err:?}"
        );
    }

    #[test]
    fn json_is_read_as_json() {
        // Python's json.dumps({"name": "👋"}) escapes the emoji as a surrogate pair.
        let text = r#"{"name": "\ud83d\udc4b", "n": 1.0, "tags": ["a"]}"#;
        for name in ["values.json", "values.txt", "-"] {
            let values = parse_vars_text(Path::new(name), text).unwrap();
            assert_eq!(
                values["name"],
                Given::Json(serde_json::json!("👋")),
                "{name}"
            );
            assert_eq!(values["tags"], Given::Json(serde_json::json!(["a"])));
        }
        // A YAML flow mapping is still YAML outside a .json file.
        let values = parse_vars_text(Path::new("v.yaml"), "{a: 1, b: x}").unwrap();
        assert_eq!(values["b"], Given::Json(serde_json::json!("x")));
        let err = parse_vars_text(Path::new("v.json"), "{\"a\": 1,\n}").unwrap_err();
        assert!(
            matches!(&err, Error::Parse { file, at, .. } if file == "v.json" && at.line == 2),
            "{err:?}"
        );
        assert!(parse_vars_text(Path::new("v.json"), "").unwrap().is_empty());
    }

    #[test]
    fn stdin_cannot_be_both_the_values_and_the_batch() {
        let dash = Path::new("-");
        let err = read_vars_file(dash, Some(dash)).unwrap_err();
        assert!(matches!(&err, Error::Usage(m) if m.contains("cannot both read stdin")));
        let err = read_vars_file(Path::new("/nonexistent/values.yaml"), None).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
    }
}
