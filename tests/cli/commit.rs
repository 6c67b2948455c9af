//! `prompt commit`.

use crate::common::{text_prompt, TestRepo};

#[test]
fn commits_changed_prompts_with_version_numbers() {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.write_prompt("team/bye", &text_prompt("Bye"));
    let out = repo.prompt(&["commit", "-m", "Add two prompts"]).success();
    assert!(out.stdout.contains("greet: version 1 ("), "{}", out.stdout);
    assert!(
        out.stdout.contains("team/bye: version 1 ("),
        "{}",
        out.stdout
    );

    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.prompt(&["commit", "greet", "-m", "Shorter"])
        .success()
        .stdout_has("greet: version 2 (");
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "Shorter\n");
    // The committed files are clean in git's eyes.
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
}

#[test]
fn works_in_an_empty_repository_on_any_branch_name() {
    let repo = TestRepo::new();
    repo.git(&["checkout", "-q", "-b", "feature/x"]);
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "first"])
        .success()
        .stdout_has("a: version 1");
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]),
        "feature/x\n"
    );
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn leaves_unrelated_staged_changes_alone() {
    let repo = TestRepo::new();
    repo.write("README.md", "v1\n");
    repo.git(&["add", "README.md"]);
    repo.git(&["commit", "-q", "-m", "readme"]);
    repo.write("README.md", "v2 staged\n");
    repo.git(&["add", "README.md"]);
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "prompt only"]).success();
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "prompts/a.prompt.yaml\n");
    // README is still staged, with its content.
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]),
        "README.md\n"
    );
    assert_eq!(repo.git(&["show", ":README.md"]), "v2 staged\n");
}

#[test]
fn refuses_invalid_prompts_unless_no_verify() {
    let repo = TestRepo::new();
    repo.write_prompt("bad", "format: 1\ntemplate: |\n  Hello {{who}}\n");
    let out = repo.prompt(&["commit", "-m", "x"]).code(1);
    assert!(
        out.stderr
            .contains("prompts/bad.prompt.yaml:3:9: error[undeclared-variable]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 prompt(s) failed validation"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--no-verify"), "{}", out.stderr);
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), "0\n");
    repo.prompt(&["commit", "-m", "anyway", "--no-verify"])
        .success()
        .stdout_has("bad: version 1");
}

#[test]
fn nothing_to_commit_and_missing_message_are_errors() {
    let repo = TestRepo::new();
    repo.prompt(&["commit", "-m", "x"])
        .code(1)
        .stderr_has("nothing to commit");
    repo.write_prompt("a", &text_prompt("A"));
    // No terminal: no editor, and the error names the flag.
    repo.prompt(&["commit"]).code(2).stderr_has("-m MESSAGE");
    repo.prompt(&["commit", "nope", "-m", "x"])
        .code(1)
        .stderr_has("prompt `nope` not found");
    repo.prompt(&["commit", "-m", "   "])
        .code(1)
        .stderr_has("empty");
}

#[test]
fn commits_a_deleted_prompt() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "add"]).success();
    std::fs::remove_file(repo.root().join("prompts/a.prompt.yaml")).unwrap();
    repo.prompt(&["commit", "-m", "remove"])
        .success()
        .stdout_has("a: removed");
    assert_eq!(repo.git(&["ls-files", "prompts"]), "");
}

#[test]
fn bare_repositories_are_read_only() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "add"]).success();
    let bare = repo.root().with_file_name("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    repo.prompt_in(&bare, &["commit", "-m", "x"])
        .code(1)
        .stderr_has("bare repository");
    repo.prompt_in(&bare, &["show", "a"])
        .success()
        .stdout_has("template:");
    repo.prompt_in(&bare, &["list"])
        .success()
        .stdout_has("a\ttext");
    repo.prompt_in(&bare, &["log", "a"])
        .success()
        .stdout_has("@1");
}
