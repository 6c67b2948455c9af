//! `prompt init` and `prompt new`.

use crate::common::TestRepo;

#[test]
fn init_creates_config_and_root_and_is_idempotent() {
    let repo = TestRepo::bare_git();
    repo.prompt(&["init"])
        .success()
        .stderr_has("created .prompts.yaml, prompts/");
    assert!(repo.read(".prompts.yaml").contains("root: prompts"));
    assert!(repo.root().join("prompts").is_dir());
    repo.prompt(&["init"])
        .success()
        .stderr_has("already a prompt registry");
}

#[test]
fn init_outside_a_repository_runs_git_init() {
    let repo = TestRepo::bare_git();
    let dir = repo.root().join("sub/project");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(repo.root().join(".git")).unwrap();
    repo.prompt_in(&dir, &["init"])
        .success()
        .stderr_has("a git repository");
    assert!(dir.join(".git").is_dir());
    assert!(dir.join(".prompts.yaml").is_file());
}

#[test]
fn new_declares_variables_and_never_overwrites() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "support/summarize",
        "--provider",
        "openai",
        "--model",
        "gpt-4o-mini",
        "--system",
        "Summarize in a {{tone}} tone.{{#vip}} Be extra kind.{{/vip}}",
        "--user",
        "{{#items}}- {{title}}\n{{/items}}{{ticket}}",
    ])
    .success()
    .stderr_has("inputs: tone, vip, items, ticket");
    let text = repo.read("prompts/support/summarize.prompt.yaml");
    assert!(
        text.starts_with(
            "# yaml-language-server: $schema=../../.prompts.schema.json\nformat: 1\nmodel:\n  \
             provider: openai\n  name: gpt-4o-mini\n"
        ),
        "{text}"
    );
    assert!(text.contains("  vip:\n    type: boolean\n"), "{text}");
    assert!(text.contains("  items:\n    type: array\n"), "{text}");
    assert!(
        !text.contains("title:"),
        "fields of items are not inputs:\n{text}"
    );
    repo.prompt(&["check"]).success();

    repo.prompt(&["new", "support/summarize", "--text", "other"])
        .code(1)
        .stderr_has("already exists");
    assert_eq!(repo.read("prompts/support/summarize.prompt.yaml"), text);
}

#[test]
fn new_rejects_bad_ids_before_touching_anything() {
    let repo = TestRepo::new();
    for bad in ["../escape", "Upper", "a//b", "/abs", "a b", ".git"] {
        repo.prompt(&["new", bad, "--text", "hi"])
            .code(2)
            .stderr_has("invalid prompt id")
            .stderr_has("[a-z0-9]([a-z0-9_-]*[a-z0-9])?");
    }
    assert!(!repo.root().join("escape.prompt.yaml").exists());
    assert_eq!(
        std::fs::read_dir(repo.root().join("prompts"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn new_without_content_names_the_flags() {
    let repo = TestRepo::new();
    repo.prompt(&["new", "x"])
        .code(2)
        .stderr_has("--text")
        .stderr_has("--system");
    repo.prompt(&["new", "x", "--text", "{{#open}}"])
        .code(2)
        .stderr_has("--text: line 1, column 1");
}

#[test]
fn new_adds_max_tokens_for_anthropic() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "a",
        "--provider",
        "anthropic",
        "--model",
        "claude-sonnet-4-5",
        "--user",
        "hi",
    ])
    .success();
    assert!(repo
        .read("prompts/a.prompt.yaml")
        .contains("max_tokens: 1024"));
    repo.prompt(&["check", "a"]).success();
}

#[test]
fn init_can_install_the_git_diff_driver() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.png binary");
    repo.prompt(&["init", "--diff-driver"])
        .success()
        .stderr_has("set up the prompt diff driver: .gitattributes, diff.prompt.textconv");
    assert_eq!(
        repo.read(".gitattributes"),
        "*.png binary\n*.prompt.yaml diff=prompt\n"
    );
    // The binary by its absolute path, so that git finds it without `prompt` on PATH.
    let bin = std::fs::canonicalize(env!("CARGO_BIN_EXE_prompt")).unwrap();
    assert_eq!(
        repo.git(&["config", "diff.prompt.textconv"]),
        format!("'{}' diff --textconv\n", bin.display())
    );
    repo.prompt(&["init", "--diff-driver"])
        .success()
        .stderr_has("already set up");
    // Plain git diff now shows the readable form (with `prompt` on PATH).
    repo.write_prompt("a", "format: 1\nmodel: {provider: openai, name: gpt-4o, params: {temperature: 0.1}}\ntemplate: hi\n");
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.write_prompt("a", "format: 1\nmodel: {provider: openai, name: gpt-4o, params: {temperature: 0.9}}\ntemplate: hi\n");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_prompt"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = repo
        .command("git", &repo.root())
        .env("PATH", path)
        .args(["diff"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("-model.params.temperature: 0.1")
            && text.contains("+model.params.temperature: 0.9"),
        "{text}"
    );
}
