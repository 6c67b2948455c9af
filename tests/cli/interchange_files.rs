//! Prompt files other tools keep in git (dotprompt, Prompty) and Langfuse (contract §10): imported,
//! checked, and rendered to the same message texts the source tool's own renderer gives.
//!
//! The expected outputs (`cases.expected.json` beside each fixture folder) were produced by the
//! tools themselves (Google's `dotprompt` package, Microsoft's `prompty` runtime, Langfuse's
//! Python client) with `tests/interchange/run.sh`; this test needs neither Node nor Python.

use serde_json::{json, Value};

use crate::common::TestRepo;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/interchange/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read_json(name: &str) -> Value {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Asserts that a written prompt file contains every needle.
fn has(yaml: &str, needles: &[&str]) {
    for needle in needles {
        assert!(yaml.contains(needle), "{needle:?} in:\n{yaml}");
    }
}

/// Role, text and media of each message, as `render --format json` gives them.
fn rendered_messages(out: &Value) -> Vec<(String, String, Vec<String>)> {
    if let Some(text) = out["text"].as_str() {
        return vec![("text".into(), text.to_string(), Vec::new())];
    }
    out["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let role = m["role"].as_str().unwrap().to_string();
            match &m["content"] {
                Value::String(s) => (role, s.clone(), Vec::new()),
                Value::Array(parts) => {
                    let text: String = parts.iter().filter_map(|p| p["text"].as_str()).collect();
                    let media = parts
                        .iter()
                        .filter_map(|p| p["url"].as_str().map(str::to_string))
                        .collect();
                    (role, text, media)
                }
                other => panic!("content {other}"),
            }
        })
        .collect()
}

/// Renders each case of `folder/cases.json` and compares with what the tool gave, both sides
/// passed through `ends` (what the tool does to the ends of a message after rendering, which a
/// template cannot say: Prompty strips line breaks; dotprompt keeps the ones around its role
/// markers, which the import drops, so there white space at both ends is compared trimmed).
fn compare_cases(
    repo: &TestRepo,
    folder: &str,
    roles: &[(&str, &str)],
    media_key: &str,
    ends: fn(&str) -> &str,
) {
    let cases = read_json(&format!("{folder}/cases.json"));
    let expected = read_json(&format!("{folder}/cases.expected.json"));
    let cases = cases.as_array().unwrap();
    assert_eq!(
        cases.len(),
        expected.as_array().unwrap().len(),
        "{folder}: run tests/interchange/run.sh"
    );
    for (case, want) in cases.iter().zip(expected.as_array().unwrap()) {
        let name = case["name"].as_str().unwrap();
        assert_eq!(want["name"], case["name"]);
        let mut values = case["input"].clone();
        for thread in case["threads"].as_array().into_iter().flatten() {
            values[thread.as_str().unwrap()] =
                json!([{"role": "user", "content": "<history message>"}]);
        }
        if case.get("history").is_some() {
            let slot = case["placeholder"].as_str().unwrap_or("history");
            values[slot] = case["history"].clone();
        }
        let vars = repo.root().join(format!("{name}.vars.json"));
        std::fs::write(&vars, values.to_string()).unwrap();
        let out = repo
            .prompt(&[
                "render",
                case["id"].as_str().unwrap(),
                "--vars",
                vars.to_str().unwrap(),
                "--format",
                "json",
            ])
            .success();
        std::fs::remove_file(&vars).unwrap();
        let got = rendered_messages(&out.json());
        let want: Vec<(String, String, Vec<String>)> = want["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let role = m["role"].as_str().unwrap();
                let role = roles
                    .iter()
                    .find(|(t, _)| *t == role)
                    .map_or(role, |(_, o)| o);
                let media = m[media_key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect();
                (
                    role.to_string(),
                    m["text"].as_str().unwrap().to_string(),
                    media,
                )
            })
            .collect();
        let norm = |v: Vec<(String, String, Vec<String>)>| -> Vec<(String, String, Vec<String>)> {
            v.into_iter()
                .map(|(r, t, m)| (r, ends(&t).to_string(), m))
                .collect()
        };
        assert_eq!(norm(got), norm(want), "case {name}");
    }
}

#[test]
fn dotprompt_folder_imports_checks_and_renders_as_dotprompt_does() {
    let repo = TestRepo::new();
    let out = repo
        .prompt(&["import", &fixture("dotprompt"), "--from", "dotprompt"])
        .success();
    assert!(
        out.stdout
            .contains("greeting: wrote prompts/greeting.prompt.yaml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("header: wrote prompts/header.prompt.yaml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("vision/describe: wrote"),
        "{}",
        out.stdout
    );
    repo.prompt(&["check"]).success();
    let yaml = repo.read("prompts/greeting.prompt.yaml");
    assert!(
        yaml.contains("provider: gemini\n  name: gemini-2.0-flash"),
        "{yaml}"
    );
    has(
        &yaml,
        &[
            "max_tokens: 256",
            "top_k: 20",
            "{{#vip}}",
            "{{^vip}}",
            "- I like {{.}}.",
        ],
    );
    let yaml = repo.read("prompts/vision/describe.prompt.yaml");
    has(
        &yaml,
        &["- history: history", "- image: photo", "response_format:"],
    );
    compare_cases(
        &repo,
        "dotprompt",
        &[("model", "assistant")],
        "media",
        str::trim,
    );
}

/// Imports each file of `folder` and expects an error that names the construct; nothing written.
fn assert_refused(from: &str, folder: &str, cases: &[(&str, &str)]) {
    let repo = TestRepo::new();
    for (file, named) in cases {
        let path = fixture(&format!("{folder}/{file}"));
        repo.prompt(&["import", &path, "--from", from])
            .code(1)
            .stderr_has("error: ")
            .stderr_has(named);
    }
    assert_eq!(
        std::fs::read_dir(repo.root().join("prompts"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn dotprompt_constructs_without_a_mustache_equivalent_are_refused_by_name() {
    assert_refused(
        "dotprompt",
        "dotprompt-refused",
        &[
            ("helper.prompt", "the helper `json`"),
            ("index.prompt", "`@index`"),
            ("if-list.prompt", "`{{#if items}}` on an array"),
        ],
    );
}

#[test]
fn dotprompt_export_writes_a_file_that_imports_back_to_the_same_prompt() {
    let repo = TestRepo::new();
    repo.prompt(&["import", &fixture("dotprompt"), "--from", "dotprompt"])
        .success();
    let out = repo
        .prompt(&["export", "greeting", "--to", "dotprompt"])
        .success();
    let file = out.stdout.clone();
    assert!(file.starts_with("---\n"), "{file}");
    assert!(file.contains("model: googleai/gemini-2.0-flash"), "{file}");
    assert!(file.contains("maxOutputTokens: 256"), "{file}");
    assert!(file.contains("{{role \"system\"}}"), "{file}");
    assert!(file.contains("{{#if vip}}"), "{file}");
    assert!(file.contains("{{#each hobbies}}"), "{file}");
    assert!(file.contains("{{this}}"), "{file}");
    assert!(file.contains("style?(enum, how to greet)"), "{file}");
    // -o writes the same file; importing it gives the same prompt file back.
    let other = TestRepo::new();
    let path = other.root().join("greeting.prompt");
    repo.prompt(&[
        "export",
        "greeting",
        "--to",
        "dotprompt",
        "-o",
        path.to_str().unwrap(),
    ])
    .success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file);
    other
        .prompt(&["import", path.to_str().unwrap(), "--from", "dotprompt"])
        .success();
    assert_eq!(
        other.read("prompts/greeting.prompt.yaml"),
        repo.read("prompts/greeting.prompt.yaml")
    );
    // What dotprompt cannot hold is a warning that names it.
    repo.write_prompt(
        "tooled",
        "format: 1\nlabels: [a]\nmodel: {provider: openai, name: gpt-4o}\ntools:\n  - name: lookup\n    parameters: {type: object}\nmessages:\n  - role: user\n    content: hi\n",
    );
    repo.prompt(&["export", "tooled", "--to", "dotprompt"])
        .success()
        .stderr_has("warning: dotprompt: tools (lookup) are written by name")
        .stderr_has("labels (a) cannot be held");
}

#[test]
fn prompty_files_import_check_and_render_as_prompty_does() {
    let repo = TestRepo::new();
    repo.prompt(&["import", &fixture("prompty"), "--from", "prompty"])
        .success()
        .stderr_has("connection settings are kept under metadata.prompty.model");
    repo.prompt(&["check"]).success();
    let yaml = repo.read("prompts/chat-basic.prompt.yaml");
    has(
        &yaml,
        &[
            "name: Support triage",
            "labels:\n  - support\n  - triage",
            "max_tokens: 300",
            "seed: 7",
            "response_format:",
        ],
    );
    let yaml = repo.read("prompts/jinja-loop.prompt.yaml");
    has(
        &yaml,
        &[
            "- history: conversation",
            "template_format: jinja2",
            "{% for item in items %}",
            "{{ item.name }} x{{ item.count }}",
        ],
    );
    let yaml = repo.read("prompts/legacy/basic-v1.prompt.yaml");
    assert!(
        yaml.contains("provider: azure_openai\n  name: gpt-35-turbo"),
        "{yaml}"
    );
    compare_cases(&repo, "prompty", &[], "images", |t| t.trim_matches('\n'));
}

#[test]
fn prompty_export_writes_a_v2_file_that_imports_back() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "import",
        &fixture("prompty/chat-basic.prompty"),
        "--from",
        "prompty",
    ])
    .success();
    let out = repo
        .prompt(&["export", "chat-basic", "--to", "prompty"])
        .success();
    let file = out.stdout.clone();
    for needle in [
        "id: gpt-4o-mini",
        "maxOutputTokens: 300",
        "kind: mustache",
        "- name: ticket\n  kind: string",
        "system:\nYou sort tickets for {{customer}}.",
        "user:\n{{ticket}}",
    ] {
        assert!(file.contains(needle), "{needle} in {file}");
    }
    let other = TestRepo::new();
    let path = other.root().join("chat-basic.prompty");
    std::fs::write(&path, &file).unwrap();
    other
        .prompt(&["import", path.to_str().unwrap(), "--from", "prompty"])
        .success();
    other.prompt(&["check"]).success();
    let vars = json!({"customer": "Ann", "ticket": "Hi", "vip": true}).to_string();
    std::fs::write(repo.root().join("v.json"), &vars).unwrap();
    std::fs::write(other.root().join("v.json"), &vars).unwrap();
    let a = repo
        .prompt(&[
            "render",
            "chat-basic",
            "--vars",
            "v.json",
            "--format",
            "json",
        ])
        .success();
    let b = other
        .prompt(&[
            "render",
            "chat-basic",
            "--vars",
            "v.json",
            "--format",
            "json",
        ])
        .success();
    assert_eq!(a.json(), b.json());
}

/// A registry whose config is committed, so that history starts with it.
fn committed_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo
}

#[test]
fn langfuse_versions_import_with_history_labels_and_render_as_langfuse_compiles() {
    let repo = committed_repo();
    let out = repo
        .prompt(&[
            "import",
            &fixture("langfuse/support-summarize-versions.json"),
            "--from",
            "langfuse",
            "--history",
            "--yes",
        ])
        .success()
        .stderr_has("config names no provider: `openai` taken from the model name `gpt-4o-mini`");
    assert!(
        out.stdout.contains("support/summarize: versions 1 ("),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("support/summarize@staging: version 1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("support/summarize@production: version 2"),
        "{}",
        out.stdout
    );
    let log = repo.git(&[
        "log",
        "--reverse",
        "--format=%s",
        "--",
        "prompts/support/summarize.prompt.yaml",
    ]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "First summarizer",
            "Tone, a word limit and the conversation so far"
        ]
    );
    repo.prompt(&[
        "import",
        &fixture("langfuse/welcome-text.json"),
        "--from",
        "langfuse",
    ])
    .success()
    .stderr_has("environments (production) are created only with --history");
    repo.prompt(&["check"]).success();
    let yaml = repo.read("prompts/support/summarize.prompt.yaml");
    has(
        &yaml,
        &[
            "labels:\n  - support",
            "- history: conversation",
            "max_tokens: 400",
            "response_format:\n  name: summary",
        ],
    );
    let yaml = repo.read("prompts/welcome-email.prompt.yaml");
    assert!(yaml.contains("provider: anthropic"), "{yaml}");
    compare_cases(&repo, "langfuse", &[], "media", |t| t);
}

#[test]
fn langfuse_export_is_the_create_body_with_environments_as_labels() {
    let repo = committed_repo();
    repo.prompt(&[
        "import",
        &fixture("langfuse/support-summarize-versions.json"),
        "--from",
        "langfuse",
        "--history",
        "--yes",
    ])
    .success();
    let out = repo
        .prompt(&["export", "support/summarize@production", "--to", "langfuse"])
        .success()
        .stderr_has("POST /api/public/v2/prompts");
    let body = out.json();
    assert_eq!(body["name"], "support/summarize");
    assert_eq!(body["type"], "chat");
    assert_eq!(body["labels"], json!(["production"]));
    assert_eq!(body["tags"], json!(["support"]));
    assert_eq!(
        body["commitMessage"],
        "Tone, a word limit and the conversation so far"
    );
    assert_eq!(
        body["prompt"][1],
        json!({"type": "placeholder", "name": "conversation"})
    );
    assert_eq!(
        body["prompt"][2],
        json!({"type": "chatmessage", "role": "user", "content": "Ticket #{{ticket_id}}:\n{{ticket}}"})
    );
    assert_eq!(body["config"]["model"], "gpt-4o-mini");
    assert_eq!(body["config"]["max_tokens"], 400);
    assert_eq!(
        body["config"]["response_format"]["json_schema"]["name"],
        "summary"
    );
    // Sections have no Langfuse equivalent: exported with a warning that names the tag.
    repo.write_prompt(
        "flagged",
        "format: 1\ninputs:\n  vip: {type: boolean}\ntemplate: \"{{#vip}}Dear VIP{{/vip}}\"\n",
    );
    repo.prompt(&["export", "flagged", "--to", "langfuse"])
        .success()
        .stderr_has("warning: langfuse: `{{#vip}}` is not a plain variable");
}

#[test]
fn langfuse_text_that_mustache_reads_differently_is_refused() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "import",
        &fixture("langfuse/refused-section.json"),
        "--from",
        "langfuse",
    ])
    .code(1)
    .stderr_has("error: ")
    .stderr_has("`{{#vip}}` is not a plain variable");
    assert!(!repo.root().join("prompts/conditional.prompt.yaml").exists());
}
