//! `check --format sarif`: SARIF 2.1.0 for GitHub code scanning, validated against the official
//! SARIF 2.1.0 JSON Schema (vendored in tests/fixtures/sarif/ with its licence and source).

use serde_json::Value;

use crate::common::TestRepo;

fn sarif_schema() -> Value {
    let path = format!(
        "{}/tests/fixtures/sarif/sarif-schema-2.1.0.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let validator = jsonschema::validator_for(&sarif_schema()).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{log:#}");
}

#[test]
fn sarif_has_rules_with_help_and_results_with_file_line_and_column() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "support/reply",
        "format: 1\ninputs:\n  extra: {type: string, required: false}\nmessages:\n  - role: user\n    content: |\n      Hello\n      {{name}}\n",
    );
    repo.write_prompt("ok", "format: 1\ntemplate: fine\n");
    let out = repo.prompt(&["check", "--format", "sarif"]).code(1);
    let log = out.json();
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "prompt");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"undeclared-variable") && ids.contains(&"schema"),
        "{ids:?}"
    );
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|h| !h.is_empty())));
    let results = run["results"].as_array().unwrap();
    let undeclared = results
        .iter()
        .find(|r| r["ruleId"] == "undeclared-variable")
        .expect("an undeclared-variable result");
    assert_eq!(undeclared["level"], "error");
    assert!(undeclared["message"]["text"]
        .as_str()
        .unwrap()
        .contains("name"));
    let location = &undeclared["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "prompts/support/reply.prompt.yaml"
    );
    assert_eq!(location["region"]["startLine"], 8);
    assert_eq!(location["region"]["startColumn"], 7);
    let index = undeclared["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "undeclared-variable");
    assert_eq!(rules[index]["name"], "UndeclaredVariable");
    for rule in rules {
        assert_ne!(
            rule["name"], rule["id"],
            "a name for people, not the id again: {rule}"
        );
    }
    let unused = results
        .iter()
        .find(|r| r["ruleId"] == "unused-input")
        .unwrap();
    assert_eq!(unused["level"], "warning");
    // The schema does catch a log that breaks it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn a_clean_registry_gives_a_valid_log_with_no_results() {
    let repo = TestRepo::new();
    repo.write_prompt("ok", "format: 1\ntemplate: fine\n");
    let out = repo.prompt(&["check", "--format", "sarif"]).success();
    let log = out.json();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}
