//! The f-string engine against Python's `str.format`: every case of the corpus that
//! tests/differential/gen_fstring.py generated with Python (tests/fixtures/fstring/corpus.json).
//! A case Python rendered must render to the same text; a case Python refused must be refused.

use std::path::PathBuf;

use serde_json::Value;

use super::Template;
use crate::template::RenderOptions;

#[test]
fn python_str_format_corpus() {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/fixtures/fstring/corpus.json",
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("f-string corpus {} missing: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let values = &doc["values"];
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap();
        let got = Template::parse(template)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t.render(values, &RenderOptions::default())
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
        "f-string corpus: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(cases.len() >= 600, "corpus too small: {}", cases.len());
    assert!(
        failures.is_empty(),
        "{}\n{} differences",
        failures.join("\n"),
        failures.len()
    );
}
