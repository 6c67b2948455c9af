//! `prompt check`: every rule points at the file, line and column of the mistake.

use crate::common::{text_prompt, TestRepo};

#[test]
fn a_clean_registry_passes() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("Hi"));
    repo.prompt(&["check"])
        .success()
        .stderr_has("checked 1 prompt: 0 error(s), 0 warning(s)");
}

#[test]
fn points_at_the_exact_line_of_template_mistakes() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "support/reply",
        "format: 1
inputs:
  ticket:
    type: string
  unused:
    type: string
  maybe:
    type: string
    required: false
messages:
  - role: system
    content: |
      You answer tickets.
      Customer tier: {{tier}}
  - role: user
    content: |
      {{ticket}}
",
    );
    // A template that does not parse: its inputs cannot be judged unused.
    repo.write_prompt(
        "support/broken",
        "format: 1\ninputs:\n  ticket:\n    type: string\ntemplate: |\n  {{ticket}}\n  {{#open}}\n",
    );
    let out = repo.prompt(&["check"]).code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "prompts/support/broken.prompt.yaml:7:3: error[template-syntax]: unclosed section `{{#open}}`: no closing tag `/open` follows",
            "prompts/support/reply.prompt.yaml:5:3: error[unused-input]: input `unused` is required but no template uses it",
            "prompts/support/reply.prompt.yaml:7:3: warning[unused-input]: optional input `maybe` is never used",
            "prompts/support/reply.prompt.yaml:14:22: error[undeclared-variable]: variable `tier` is used but not declared in `inputs`",
        ],
        "{}",
        out.stdout
    );
    out.stderr_has("checked 2 prompts: 3 error(s), 1 warning(s)");
}

#[test]
fn schema_errors_have_positions() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "typo",
        "format: 1\ntemplate: hi\nmodel:\n  provider: openai\n  nmae: gpt\n",
    );
    repo.write_prompt("dup", "format: 1\ntemplate: hi\ntemplate: again\n");
    repo.write_prompt("yaml", "format: 1\ntemplate: 'unterminated\n");
    let out = repo.prompt(&["check"]).code(1);
    assert!(
        out.stdout
            .contains("prompts/typo.prompt.yaml:5:3: error[schema]: model: unknown field `nmae`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("prompts/dup.prompt.yaml:3:1: error[schema]: duplicate key `template`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("prompts/yaml.prompt.yaml:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("error[schema]: YAML syntax"),
        "{}",
        out.stdout
    );
}

#[test]
fn partials_must_exist_be_text_and_not_cycle() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "shared/header",
        "format: 1\ninputs:\n  who:\n    type: string\ntemplate: |\n  Dear {{who}},\n",
    );
    repo.write_prompt(
        "letter",
        "format: 1\ninputs:\n  who:\n    type: string\ntemplate: |\n  {{> shared/header}}\n  Thanks.\n",
    );
    repo.prompt(&["check"]).success();
    repo.write_prompt("missing", "format: 1\ntemplate: |\n  {{> shared/nope}}\n");
    repo.write_prompt("loop/a", "format: 1\ntemplate: |\n  {{> loop/b}}\n");
    repo.write_prompt("loop/b", "format: 1\ntemplate: |\n  {{> loop/a}}\n");
    let out = repo.prompt(&["check", "missing", "loop/a"]).code(1);
    assert!(
        out.stdout.contains(
            "prompts/missing.prompt.yaml:3:3: error[partial]: partial `shared/nope` does not exist"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("partials include each other: loop/b → loop/a → loop/b"),
        "{}",
        out.stdout
    );
    // A variable used in a partial must be declared by the including prompt.
    repo.write_prompt("letter2", "format: 1\ntemplate: |\n  {{> shared/header}}\n");
    repo.prompt(&["check", "letter2"])
        .code(1)
        .stdout_has("3:3: error[undeclared-variable]: variable `who`");
}

#[test]
fn provider_input_and_schema_rules() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "r",
        "format: 1
model:
  provider: anthropic
  name: claude
inputs:
  level:
    type: integer
    default: high
  history:
    type: string
messages:
  - history: history
  - role: user
    content: '{{level}}'
tools:
  - name: lookup
    parameters: {type: objekt}
tool_choice: {name: other}
samples:
  s1: {level: 2, nope: 1}
",
    );
    let out = repo.prompt(&["check", "--format", "json"]).code(1);
    let json = out.json();
    let found: Vec<(u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (2, "provider".to_string()),
            (8, "input-type".to_string()),
            (12, "input-type".to_string()),
            (17, "json-schema".to_string()),
            (18, "provider".to_string()),
            (20, "input-type".to_string()),
        ],
        "{}",
        out.stdout
    );
    assert_eq!(json["errors"], 6);
}

#[test]
fn secrets_are_errors_shown_redacted_and_can_be_allowed() {
    let repo = TestRepo::new();
    let key = format!("sk-proj-{}", "Ab3d".repeat(10));
    repo.write_prompt(
        "leak",
        &format!("format: 1\ntemplate: |\n  Use key {key} please\n"),
    );
    let out = repo.prompt(&["check"]).code(1);
    assert!(out.stdout.contains("prompts/leak.prompt.yaml:3:11: error[secret]: this looks like an OpenAI project API key (sk-proj-Ab3d…)"), "{}", out.stdout);
    assert!(!out.stdout.contains(&key));
    repo.prompt(&["commit", "-m", "leak"])
        .code(1)
        .stderr_has("error[secret]");
    // The fingerprint allows exactly this value, on the command line or in the config.
    let fingerprint = out
        .stdout
        .split("--allow-secret ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches(')')
        .to_string();
    assert_eq!(fingerprint.len(), 16, "{fingerprint}");
    repo.prompt(&["check", "--allow-secret", &fingerprint])
        .success();
    repo.prompt(&["check", "--allow-secret", "0000000000000000"])
        .code(1);
    let config = repo.read(".prompts.yaml");
    repo.write(
        ".prompts.yaml",
        &format!("{config}allowed_secrets: [{fingerprint}]\n"),
    );
    repo.prompt(&["check"]).success();
    repo.prompt(&["commit", "-m", "not a real key"]).success();

    // A key with no known shape is still caught by how random it looks.
    repo.write_prompt(
        "partner",
        "format: 1\ntemplate: |\n  Call with X-Api-Key: Zx9Qm2Lp7Vt4Rk8Wn3Bc6Hd1Jf5Gs0Ay\n",
    );
    let out = repo.prompt(&["check", "partner"]).code(1);
    assert!(
        out.stdout.contains("prompts/partner.prompt.yaml:3:24: error[secret]: this looks like a random token (possibly a key) (Zx9Qm2…)"),
        "{}",
        out.stdout
    );
    repo.prompt(&["commit", "partner", "-m", "partner key"])
        .code(1)
        .stderr_has("error[secret]");
}

#[test]
fn github_format_and_bad_file_names() {
    let repo = TestRepo::new();
    repo.write("prompts/Bad Name.prompt.yaml", &text_prompt("x"));
    repo.write_prompt("u", "format: 1\ntemplate: '{{x}}'\n");
    let out = repo.prompt(&["check", "--format", "github"]).code(1);
    assert!(
        out.stdout.contains(
            "::error file=prompts/Bad Name.prompt.yaml,line=1,col=1,title=id::invalid prompt id"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "::error file=prompts/u.prompt.yaml,line=2,col=12,title=undeclared-variable::"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn unknown_ids_are_reported() {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.prompt(&["check", "gret"])
        .code(1)
        .stderr_has("did you mean `greet`?");
    repo.prompt(&["check", "Bad"])
        .code(2)
        .stderr_has("invalid prompt id");
}

#[test]
fn against_reports_breaking_input_changes() {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.write_prompt("other", &text_prompt("Yo"));
    repo.prompt(&["commit", "-m", "v1"]).success();
    repo.prompt(&["promote", "greet", "production", "--yes"])
        .success();
    // A new required input breaks callers; other prompts and unpromoted ones are fine.
    repo.write_prompt(
        "greet",
        "format: 1\ninputs:\n  name:\n    type: string\n  title:\n    type: string\ntemplate: '{{title}} {{name}}'\n",
    );
    repo.write_prompt("other", "format: 1\ntemplate: 'Yo'\n");
    let out = repo
        .prompt(&["check", "greet", "--against", "@production"])
        .code(1);
    assert!(
        out.stdout.contains("prompts/greet.prompt.yaml:5:3: error[breaking]: against greet@production: input `title`"),
        "{}",
        out.stdout
    );
    repo.prompt(&["check", "--against", "HEAD"])
        .code(1)
        .stdout_has("other@HEAD: input `name`");
    repo.prompt(&["check", "greet", "--against", "@prodution"])
        .code(1)
        .stderr_has("unknown environment");
    repo.prompt(&["check", "--against", "nobranch"])
        .code(1)
        .stderr_has("--against takes a git revision");
    repo.prompt(&["check", "--against", "@staging"]).success();
    // A promoted prompt that is gone breaks its callers too.
    std::fs::remove_file(repo.root().join("prompts/greet.prompt.yaml")).unwrap();
    repo.prompt(&["check", "--against", "@production"])
        .code(1)
        .stdout_has("prompts/greet.prompt.yaml:1:1: error[breaking]: against greet@production: the prompt was removed");
}

#[test]
fn the_example_prompts_pass_check() {
    let repo = TestRepo::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/prompts");
    let mut copied = 0;
    let mut stack = vec![examples.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&examples).unwrap();
                repo.write(
                    &format!("prompts/{}", rel.display()),
                    &std::fs::read_to_string(&path).unwrap(),
                );
                copied += 1;
            }
        }
    }
    assert!(copied >= 4, "{copied} example prompts");
    repo.prompt(&["check"])
        .success()
        .stderr_has(" 0 error(s), 0 warning(s)");
}
