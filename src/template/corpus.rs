//! Differential corpora (tests only): cases whose expected output a reference implementation
//! produced, stored under tests/fixtures so that `cargo test` needs neither Python nor network.

use std::path::PathBuf;

use serde_json::Value;

/// Reads a fixture below tests/fixtures; a missing file fails the test (a corpus that silently
/// skips proves nothing).
pub(crate) fn fixture(rel: &str) -> Value {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/fixtures", rel]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {} missing: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs every case of `doc["cases"]` through `render` and fails listing each difference: a case
/// with `expected` must render to exactly that text, a case with `error` (the reference refused
/// it) must be refused. Prints the pass count.
pub(crate) fn compare(suite: &str, doc: &Value, render: impl Fn(&Value) -> Result<String, String>) {
    let cases = doc["cases"].as_array().expect("a `cases` list");
    let mut failures = Vec::new();
    for case in cases {
        let got = render(case);
        match (case.get("expected").and_then(Value::as_str), &got) {
            (Some(want), Ok(text)) if text == want => {}
            (None, Err(_)) => {}
            (want, _) => failures.push(format!(
                "{:?}: reference {}, engine {got:?}",
                case["template"].as_str().unwrap_or_default(),
                want.map_or_else(|| format!("raised {}", case["error"]), |w| format!("{w:?}"))
            )),
        }
    }
    println!(
        "{suite}: {} passed, {} failed",
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
