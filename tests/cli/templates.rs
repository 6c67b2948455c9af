//! Template engines through the binary: the mustache spec's optional modules (inheritance and
//! dynamic names) with every partial and parent a prompt of the registry, and `check` on parents
//! and blocks.

use std::path::PathBuf;

use prompt_registry::model::PromptId;
use serde_json::Value;

use crate::common::TestRepo;

fn spec_suite(file: &str) -> Vec<Value> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/fixtures/mustache-spec",
        file,
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("mustache spec fixture {} missing: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["tests"].as_array().unwrap().clone()
}

/// A text prompt whose template is exactly `text` (a JSON string is a YAML double-quoted scalar,
/// so tabs, `\r\n` and a missing final newline survive).
fn prompt_file(text: &str) -> String {
    format!(
        "format: 1\nescape: html\ntemplate: {}\n",
        serde_json::to_string(text).unwrap()
    )
}

/// Runs one spec file through `prompt render --lenient --format json`, each test with its
/// partials as prompts of the registry; returns (passed, skipped because a partial name is not a
/// valid prompt id or the data is not an object of values). The tests share one registry (a new
/// repository per test cost two processes each): before each test the previous test's prompts are
/// deleted, so a partial one test defines is missing, as the spec wants, in the next.
fn run_through_cli(file: &str) -> (usize, usize) {
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    let repo = TestRepo::new();
    let prompts = repo.root().join("prompts");
    for test in spec_suite(file) {
        let partials = test["partials"].as_object().cloned().unwrap_or_default();
        if partials.keys().any(|name| PromptId::parse(name).is_err()) || !test["data"].is_object() {
            skipped += 1;
            continue;
        }
        if prompts.exists() {
            std::fs::remove_dir_all(&prompts).unwrap();
        }
        for (name, text) in &partials {
            repo.write_prompt(name, &prompt_file(text.as_str().unwrap()));
        }
        repo.write_prompt(
            "spec-main",
            &prompt_file(test["template"].as_str().unwrap()),
        );
        repo.write("data.json", &test["data"].to_string());
        let run = repo.prompt(&[
            "render",
            "spec-main",
            "--lenient",
            "--vars",
            "data.json",
            "--format",
            "json",
        ]);
        let expected = test["expected"].as_str().unwrap();
        let got = (run.code == 0).then(|| run.json()["text"].as_str().map(str::to_string));
        if got == Some(Some(expected.to_string())) {
            passed += 1;
        } else {
            failures.push(format!(
                "{file}: {}\n  expected: {expected:?}\n  stdout: {:?}\n  stderr: {:?}",
                test["name"], run.stdout, run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    (passed, skipped)
}

#[test]
fn mustache_core_spec_through_the_cli() {
    let mut counts = Vec::new();
    for file in [
        "comments.json",
        "delimiters.json",
        "interpolation.json",
        "inverted.json",
        "partials.json",
        "sections.json",
    ] {
        counts.push((file, run_through_cli(file)));
    }
    // Skipped: tests whose data is a bare value (a list, a string), which `--vars` cannot give.
    assert_eq!(
        counts,
        [
            ("comments.json", (12, 0)),
            ("delimiters.json", (14, 0)),
            ("interpolation.json", (37, 5)),
            ("inverted.json", (22, 0)),
            ("partials.json", (12, 0)),
            ("sections.json", (33, 1)),
        ]
    );
}

#[test]
fn mustache_inheritance_spec_through_the_cli() {
    let (passed, skipped) = run_through_cli("~inheritance.json");
    // `grandParent` is not a valid id (ids are lower-case): the two tests naming it are skipped.
    assert_eq!((passed, skipped), (25, 2));
}

#[test]
fn mustache_dynamic_names_spec_through_the_cli() {
    let (passed, skipped) = run_through_cli("~dynamic-names.json");
    assert_eq!((passed, skipped), (21, 0));
}

/// A base prompt with an overridable block, and a prompt that extends it.
fn base_and_child(repo: &TestRepo) {
    repo.write_prompt(
        "base/support",
        "format: 1
inputs:
  customer:
    type: string
template: |
  You help {{customer}}.
  {{$rules}}
    Be brief.
  {{/rules}}
  Thanks.
",
    );
    repo.write_prompt(
        "billing",
        "format: 1
inputs:
  customer:
    type: string
  plan:
    type: string
template: |
  {{<base/support}}
  {{$rules}}
  Only discuss the {{plan}} plan.
  {{/rules}}
  {{/base/support}}
",
    );
}

#[test]
fn a_child_prompt_overrides_a_block_of_its_base() {
    let repo = TestRepo::new();
    base_and_child(&repo);
    repo.prompt(&["check"])
        .success()
        .stderr_has("0 error(s), 0 warning(s)");
    let out = repo
        .prompt(&[
            "render",
            "billing",
            "--var",
            "customer=Ada",
            "--var",
            "plan=Pro",
        ])
        .success();
    assert_eq!(
        out.stdout,
        "You help Ada.\n  Only discuss the Pro plan.\nThanks.\n"
    );
    let base = repo
        .prompt(&["render", "base/support", "--var", "customer=Ada"])
        .success();
    assert_eq!(base.stdout, "You help Ada.\n  Be brief.\nThanks.\n");
    // Parents resolve at the same revision, like partials.
    repo.prompt(&["commit", "-m", "v1"]).success();
    repo.write_prompt(
        "base/support",
        "format: 1\ninputs:\n  customer:\n    type: string\ntemplate: 'Draft {{customer}} {{$rules}}{{/rules}}'\n",
    );
    let old = repo
        .prompt(&[
            "render",
            "billing@HEAD",
            "--var",
            "customer=Ada",
            "--var",
            "plan=Pro",
        ])
        .success();
    assert!(old.stdout.starts_with("You help Ada."), "{}", old.stdout);
}

#[test]
fn check_follows_parents_for_inputs_blocks_and_cycles() {
    let repo = TestRepo::new();
    base_and_child(&repo);
    // `customer` is used only by the parent: it counts as used; `tone` is used by the parent and
    // declared nowhere; `rulez` is a block the parent does not declare.
    repo.write_prompt(
        "base/support",
        "format: 1\ninputs:\n  customer:\n    type: string\ntemplate: |\n  {{customer}} {{tone}}\n  {{$rules}}x{{/rules}}\n",
    );
    repo.write_prompt(
        "billing",
        "format: 1
inputs:
  customer:
    type: string
  plan:
    type: string
template: |
  {{<base/support}}
  {{$rulez}}{{plan}}{{/rulez}}
  {{/base/support}}
",
    );
    repo.write_prompt("loop/a", "format: 1\ntemplate: '{{<loop/b}}{{/loop/b}}'\n");
    repo.write_prompt("loop/b", "format: 1\ntemplate: '{{<loop/a}}{{/loop/a}}'\n");
    repo.write_prompt(
        "orphan",
        "format: 1\ntemplate: '{{<base/gone}}{{/base/gone}}'\n",
    );
    let out = repo.prompt(&["check"]).code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines.contains(&"prompts/billing.prompt.yaml:8:3: error[undeclared-variable]: variable `tone` (in parent `base/support`) is used but not declared in `inputs`"),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(&"prompts/billing.prompt.yaml:9:3: warning[partial]: block `rulez` is not declared by parent `base/support` (nor by the templates it extends), so it is never rendered"),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(&"prompts/orphan.prompt.yaml:2:12: error[partial]: parent `base/gone` does not exist (no prompt `base/gone`)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("error[partial]: parents include each other: loop/b → loop/a → loop/b"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("input `customer`"), "{}", out.stdout);
}

#[test]
fn dynamic_partials_through_the_cli_are_strict_by_default() {
    let repo = TestRepo::new();
    repo.write_prompt("cards/short", "format: 1\ntemplate: 'Short: {{body}}'\n");
    repo.write_prompt(
        "card",
        "format: 1\ninputs:\n  style:\n    type: string\n  body:\n    type: string\ntemplate: '{{>*style}}'\n",
    );
    let out = repo
        .prompt(&[
            "render",
            "card",
            "--var",
            "style=cards/short",
            "--var",
            "body=Hi",
        ])
        .success();
    assert_eq!(out.stdout, "Short: Hi");
    repo.prompt(&[
        "render",
        "card",
        "--var",
        "style=cards/long",
        "--var",
        "body=Hi",
    ])
    .code(1)
    .stderr_has("cards/long");
}

const JINJA_CHAT: &str = "format: 1
template_format: jinja2
inputs:
  customer:
    type: object
  tickets:
    type: array
  tone:
    type: string
    default: warm
messages:
  - role: system
    content: |
      {% include 'shared/policy' %}
      Be {{ tone | upper }}.
  - role: user
    content: |
      {% for t in tickets -%}
      {{ loop.index }}. {{ t.title | truncate(20) }}{{ ' (last)' if loop.last }}
      {% endfor -%}
      Customer: {{ customer.name }} ({{ customer.plans | join(', ') }})
";

#[test]
fn a_jinja2_prompt_renders_as_python_jinja2_would() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "shared/policy",
        "format: 1\ntemplate: 'Never share passwords.'\n",
    );
    repo.write_prompt("support/jinja", JINJA_CHAT);
    repo.write(
        "vals.json",
        r#"{"customer": {"name": "Ada", "plans": ["pro", "team"]},
            "tickets": [{"title": "Refund for the order that never arrived"}, {"title": "Login"}]}"#,
    );
    repo.prompt(&["check"])
        .success()
        .stderr_has("0 error(s), 0 warning(s)");
    let out = repo
        .prompt(&[
            "render",
            "support/jinja",
            "--vars",
            "vals.json",
            "--format",
            "json",
        ])
        .success();
    let messages = &out.json()["messages"];
    assert_eq!(messages[0]["content"], "Never share passwords.\nBe WARM.");
    assert_eq!(
        messages[1]["content"],
        "1. Refund for the...\n2. Login (last)\nCustomer: Ada (pro, team)"
    );
    // Strict: an undefined value is an error that names it.
    repo.write("partial.json", r#"{"tickets": []}"#);
    repo.prompt(&["render", "support/jinja", "--vars", "partial.json"])
        .code(1)
        .stderr_has("customer");
    // An include that is not a prompt of the registry fails; nothing is read from disk.
    repo.write_prompt(
        "leak",
        "format: 1\ntemplate_format: jinja2\ntemplate: \"{% include '../../etc/passwd' %}\"\n",
    );
    repo.prompt(&["render", "leak"]).code(1);
}

#[test]
fn check_reports_jinja2_variables_at_their_line_in_the_yaml() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "j",
        "format: 1
template_format: jinja2
inputs:
  name:
    type: string
  unused:
    type: string
template: |
  Hello {{ name }}.
  {% set greeting = 'hi' %}{{ greeting }} {{ plan.tier }}
  {{ raw_text | default('none') }}
",
    );
    let out = repo.prompt(&["check"]).code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "prompts/j.prompt.yaml:6:3: error[unused-input]: input `unused` is required but no template uses it",
            "prompts/j.prompt.yaml:10:46: error[undeclared-variable]: variable `plan` is used but not declared in `inputs`",
            "prompts/j.prompt.yaml:11:6: error[undeclared-variable]: variable `raw_text` is used but not declared in `inputs`",
        ],
        "{}",
        out.stdout
    );
    repo.write_prompt(
        "bad",
        "format: 1\ntemplate_format: jinja2\ntemplate: |\n  ok\n  {% if %}\n",
    );
    repo.prompt(&["check", "bad"])
        .code(1)
        .stdout_has("prompts/bad.prompt.yaml:5:");
}

#[test]
fn new_infers_jinja2_inputs_and_diff_renders_them() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "j",
        "--template-format",
        "jinja2",
        "--text",
        "{% for t in tags %}{{ t }} {% endfor %}{{ name | upper }}",
    ])
    .success()
    .stderr_has("inputs: tags, name");
    let text = repo.read("prompts/j.prompt.yaml");
    assert!(text.contains("template_format: jinja2"), "{text}");
    repo.prompt(&["commit", "-m", "v1"]).success();
    repo.write_prompt(
        "j",
        &text.replace("{{ name | upper }}", "{{ name | lower }}"),
    );
    let out = repo
        .prompt(&[
            "diff",
            "j",
            "--rendered",
            "--var",
            "name=Ada",
            "--var",
            r#"tags=["x"]"#,
        ])
        .success();
    assert!(
        out.stdout.contains("ADA") && out.stdout.contains("ada"),
        "{}",
        out.stdout
    );
}

#[test]
fn bundles_carry_parents_and_jinja2_includes_like_partials() {
    let repo = TestRepo::new();
    base_and_child(&repo);
    repo.write_prompt(
        "shared/policy",
        "format: 1\ntemplate: 'Be kind. {% include \"shared/sign\" %}'\n",
    );
    repo.write_prompt("shared/sign", "format: 1\ntemplate: '-- Support'\n");
    repo.write_prompt(
        "j",
        "format: 1\ntemplate_format: jinja2\ntemplate: \"{% include 'shared/policy' %}\"\n",
    );
    repo.prompt(&["commit", "-m", "v1"]).success();
    for id in ["billing", "j"] {
        repo.prompt(&["promote", id, "production", "--yes"])
            .success();
    }
    let bundle = repo
        .prompt(&["bundle", "--env", "production", "-o", "-"])
        .success()
        .json();
    let parents: Vec<&String> = bundle["prompts"]["billing"]["partials"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(parents, ["base/support"]);
    let includes: Vec<&String> = bundle["prompts"]["j"]["partials"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(includes, ["shared/policy", "shared/sign"]);
    let out = repo.prompt(&["render", "j"]).success();
    assert_eq!(out.stdout, "Be kind. -- Support");
}
