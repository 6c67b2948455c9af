//! The Jinja2 engine against Python's `jinja2`: every case of the corpus that
//! tests/differential/gen_jinja2.py generated with Python (tests/fixtures/jinja2/corpus.json).
//! A case Python rendered must render to the same text; a case Python refused must be refused.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::Template;
use crate::template::{Escape, RenderOptions};

#[test]
fn python_jinja2_corpus() {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/fixtures/jinja2/corpus.json",
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("jinja2 corpus {} missing: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let values = &doc["values"];
    let includes: HashMap<String, String> = doc["includes"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap();
        let opts = RenderOptions {
            strict: case.get("lenient").is_none(),
            escape: if case.get("escape").is_some() {
                Escape::Html
            } else {
                Escape::None
            },
            ..Default::default()
        };
        let got = Template::parse(template)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t.render(values, &includes, &opts)
                    .map_err(|e| e.to_string())
            });
        match (case.get("expected").and_then(Value::as_str), &got) {
            (Some(want), Ok(text)) if text == want => {}
            (None, Err(_)) => {}
            (want, _) => failures.push(format!(
                "{template:?}: python {}, engine {got:?}",
                want.map_or_else(|| format!("raised {}", case["error"]), |w| format!("{w:?}"))
            )),
        }
    }
    println!(
        "jinja2 corpus: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{}\n{} differences",
        failures.join("\n"),
        failures.len()
    );
}
