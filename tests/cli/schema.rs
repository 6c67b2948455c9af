//! `prompt schema` and `schema/prompt.schema.json`: every example and fixture prompt (and every
//! file an import of the interchange fixtures writes) is valid against it, and files that
//! `check` rejects for schema reasons are rejected by the schema too.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::TestRepo;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(manifest().join("schema/prompt.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn yaml_as_json(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every `*.prompt.yaml` below `dir`.
fn prompt_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            prompt_files(&path, out);
        } else if path.to_string_lossy().ends_with(".prompt.yaml") {
            out.push(path);
        }
    }
}

#[test]
fn prompt_schema_prints_the_schema_in_the_repository_and_editors_are_pointed_at_it() {
    let repo = TestRepo::new();
    let out = repo.prompt(&["schema"]).success();
    assert_eq!(out.json(), schema());
    // init wrote the copy editors read; new points each file at it, relative to the file.
    assert_eq!(
        serde_json::from_str::<Value>(&repo.read(".prompts.schema.json")).unwrap(),
        schema()
    );
    repo.prompt(&[
        "new",
        "support/greet",
        "--provider",
        "openai",
        "--model",
        "gpt-4o",
        "--user",
        "Hi {{name}}",
    ])
    .success();
    let text = repo.read("prompts/support/greet.prompt.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../.prompts.schema.json\n"),
        "{text}"
    );
    let path = repo.root().join("prompts/support/greet.prompt.yaml");
    let target = path.parent().unwrap().join("../../.prompts.schema.json");
    assert!(
        target.exists(),
        "the modeline's path resolves from the file"
    );
    repo.prompt(&["check"]).success();
    let written = repo.root().join("copy.json");
    repo.prompt(&["schema", "-o", written.to_str().unwrap()])
        .success();
    assert_eq!(
        std::fs::read_to_string(written).unwrap(),
        repo.read(".prompts.schema.json")
    );
}

#[test]
fn every_example_fixture_and_imported_prompt_is_valid_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let mut files = Vec::new();
    prompt_files(&manifest().join("examples"), &mut files);
    prompt_files(&manifest().join("tests/fixtures"), &mut files);
    // What imports of the interchange fixtures write is validated too.
    let repo = TestRepo::new();
    let fixtures = manifest().join("tests/fixtures/interchange");
    for (file, from, id) in [
        ("dotprompt", "dotprompt", None),
        ("prompty", "prompty", None),
        ("langfuse/support-summarize-versions.json", "langfuse", None),
        ("langfuse/welcome-text.json", "langfuse", None),
        ("phoenix-create.json", "phoenix", None),
        ("langwatch-create.json", "langwatch", None),
        (
            "freeplay-create.json",
            "freeplay",
            Some("freeplay/imported"),
        ),
        ("bifrost-version.json", "bifrost", Some("bifrost/imported")),
    ] {
        let path = fixtures.join(file);
        let mut args = vec!["import", path.to_str().unwrap(), "--from", from, "--force"];
        if let Some(id) = id {
            args.extend(["--id", id]);
        }
        repo.prompt(&args).success();
    }
    prompt_files(&repo.root().join("prompts"), &mut files);
    assert!(files.len() >= 15, "{files:?}");
    for path in &files {
        let instance = yaml_as_json(&std::fs::read_to_string(path).unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

#[test]
fn files_check_rejects_for_schema_reasons_are_rejected_by_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let bad = [
        ("unknown-key", "format: 1\ntemplate: hi\ntemprature: 1\n"),
        ("format-2", "format: 2\ntemplate: hi\n"),
        ("no-format", "template: hi\n"),
        (
            "both-bodies",
            "format: 1\ntemplate: hi\nmessages:\n  - role: user\n    content: hi\n",
        ),
        ("no-body", "format: 1\nname: x\n"),
        (
            "bad-role",
            "format: 1\nmessages:\n  - role: robot\n    content: hi\n",
        ),
        ("no-content", "format: 1\nmessages:\n  - role: user\n"),
        (
            "history-with-role",
            "format: 1\nmessages:\n  - history: h\n    role: user\n",
        ),
        (
            "two-keys-part",
            "format: 1\nmessages:\n  - role: user\n    content:\n      - {text: a, image: b}\n",
        ),
        (
            "model-without-name",
            "format: 1\nmodel: {provider: openai}\ntemplate: hi\n",
        ),
        (
            "bad-input-type",
            "format: 1\ninputs:\n  x: {type: text}\ntemplate: '{{x}}'\n",
        ),
        (
            "unknown-input-key",
            "format: 1\ninputs:\n  x: {typ: string}\ntemplate: '{{x}}'\n",
        ),
        (
            "bad-tool-choice",
            "format: 1\ntemplate: hi\ntool_choice: sometimes\n",
        ),
        ("bad-escape", "format: 1\ntemplate: hi\nescape: xml\n"),
        (
            "labels-not-list",
            "format: 1\ntemplate: hi\nlabels: support\n",
        ),
        (
            "response-format-without-schema",
            "format: 1\ntemplate: hi\nresponse_format: {name: x}\n",
        ),
    ];
    let repo = TestRepo::new();
    for (name, text) in bad {
        repo.write_prompt(name, text);
    }
    let out = repo.prompt(&["check", "--json"]).code(1);
    let report = out.json();
    for (name, text) in bad {
        let file = format!("prompts/{name}.prompt.yaml");
        let rules: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"] == file.as_str())
            .filter_map(|d| d["rule"].as_str())
            .collect();
        assert!(rules.contains(&"schema"), "{name}: check gave {rules:?}");
        let instance = yaml_as_json(text);
        assert!(
            !validator.is_valid(&instance),
            "{name}: check rejects it, the JSON Schema accepts it"
        );
    }
}

/// check-jsonschema's folder, when `tests/schema/run.sh install` has filled it (`.ci/run` does);
/// `None` (the test then says it skips) elsewhere, unless PROMPT_REQUIRE_SCHEMA_VALIDATOR is set,
/// as `.ci/run` sets it, so that CI cannot pass without it.
fn schema_validator() -> Option<PathBuf> {
    let tools = std::env::var_os("PROMPT_SCHEMA_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/prompt-schema-tools"));
    if tools.join("venv/bin/check-jsonschema").exists() {
        return Some(tools);
    }
    assert!(
        std::env::var_os("PROMPT_REQUIRE_SCHEMA_VALIDATOR").is_none(),
        "check-jsonschema is not installed in {}: run tests/schema/run.sh install",
        tools.display()
    );
    eprintln!("skipping: check-jsonschema not installed (tests/schema/run.sh install)");
    None
}

/// The corpus files that `check` refuses and a JSON Schema validator cannot, with why. Every
/// other file gets the same verdict from both.
const CHECK_ONLY: [(&str, &str); 3] = [
    (
        "bad/alias.yaml",
        "a validator reads the data after YAML has resolved the alias",
    ),
    (
        "bad/format-decimal.yaml",
        "JSON Schema counts 1.0 as the integer 1",
    ),
    (
        "bad/template-unclosed-section.yaml",
        "template syntax is check's alone",
    ),
];

#[test]
fn check_and_a_real_json_schema_validator_agree_on_the_corpus() {
    let Some(tools) = schema_validator() else {
        return;
    };
    let corpus = manifest().join("tests/fixtures/schema-corpus");
    let repo = TestRepo::new();
    // (corpus name, id in the repository)
    let mut files = Vec::new();
    for kind in ["good", "bad"] {
        let mut names: Vec<String> = std::fs::read_dir(corpus.join(kind))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(corpus.join(kind).join(&name)).unwrap();
            let id = format!("{kind}-{}", name.trim_end_matches(".yaml"));
            repo.write_prompt(&id, &text);
            files.push((format!("{kind}/{name}"), id));
        }
    }
    assert!(files.len() >= 30, "{files:?}");
    for (name, _) in CHECK_ONLY {
        assert!(
            files.iter().any(|(n, _)| n == name),
            "{name} is in the corpus"
        );
    }

    let report = repo.prompt(&["check", "--json"]).code(1).json();
    let refused_by_check = |id: &str| {
        let file = format!("prompts/{id}.prompt.yaml");
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["file"] == file.as_str() && d["severity"] == "error")
    };

    // The schema the registry's editors read (`init` wrote what `prompt schema` prints).
    let paths: Vec<String> = files
        .iter()
        .map(|(_, id)| {
            let path = repo.root().join(format!("prompts/{id}.prompt.yaml"));
            path.to_string_lossy().into_owned()
        })
        .collect();
    let out = std::process::Command::new("bash")
        .arg(manifest().join("tests/schema/run.sh"))
        .arg("validate")
        .arg(repo.root().join(".prompts.schema.json"))
        .args(&paths)
        .env("PROMPT_SCHEMA_TOOLS", &tools)
        .output()
        .expect("run tests/schema/run.sh");
    let validated: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let schema_errors = |path: &str| -> Vec<String> {
        ["errors", "parse_errors"]
            .iter()
            .flat_map(|k| validated[k].as_array().cloned().unwrap_or_default())
            .filter(|e| e["filename"] == path)
            .map(|e| format!("{} {}", e["path"], e["message"]))
            .collect()
    };

    let mut disagreements = Vec::new();
    for ((name, id), path) in files.iter().zip(&paths) {
        let check_refuses = refused_by_check(id);
        let errors = schema_errors(path);
        let schema_refuses = !errors.is_empty();
        let good = name.starts_with("good/");
        let check_only = CHECK_ONLY.iter().any(|(n, _)| n == name);
        let want = (!good, !good && !check_only);
        if (check_refuses, schema_refuses) != want {
            disagreements.push(format!(
                "{name}: check {}, schema {} {errors:?}",
                if check_refuses { "refuses" } else { "accepts" },
                if schema_refuses { "refuses" } else { "accepts" },
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "check and the JSON Schema disagree:\n{}",
        disagreements.join("\n")
    );

    // Both sides name the mistake of a file with messages and template.
    let both = paths
        .iter()
        .zip(&files)
        .find(|(_, (n, _))| n == "bad/messages-and-template.yaml")
        .unwrap()
        .0;
    let errors = schema_errors(both).join("\n");
    assert!(
        errors.contains("messages and template together"),
        "{errors}"
    );
    // A number where text is declared is refused with the fix.
    let name_number = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "prompts/bad-name-number.prompt.yaml")
        .unwrap();
    assert_eq!(name_number["line"], 2, "{name_number}");
    let message = name_number["message"].as_str().unwrap();
    assert!(
        message.contains("expected a string (quote it to keep it as text)"),
        "{message}"
    );
}

#[test]
fn the_schema_in_the_repository_is_what_prompt_schema_prints() {
    let repo = TestRepo::new();
    let out = repo.prompt(&["schema"]).success();
    let file = std::fs::read_to_string(manifest().join("schema/prompt.schema.json")).unwrap();
    assert!(
        out.stdout == file,
        "schema/prompt.schema.json is stale: run `prompt schema -o schema/prompt.schema.json`"
    );
}
