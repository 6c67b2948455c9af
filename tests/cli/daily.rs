//! The daily loop of issue 16: everything pending in one `prompt diff`, markdown and plain text
//! without word markers, calm tables, YAML hints, `--batch` line numbers, the diff driver's
//! recorded path, and hints that point at something that exists.

use crate::common::{text_prompt, TestRepo};

/// A registry with three committed prompts, then one modified, one deleted, one renamed and one
/// new prompt in the working tree.
fn pending_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("a/edit", &text_prompt("Hello"));
    repo.write_prompt("a/gone", &text_prompt("Going away"));
    repo.write_prompt(
        "a/old-name",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: |\n  A long template that \
         stays the same\n  across the rename, line by line.\n  {{name}}\n",
    );
    repo.prompt(&["commit", "-m", "first"]).success();
    repo.write_prompt("a/edit", &text_prompt("Hello there"));
    std::fs::remove_file(repo.root().join("prompts/a/gone.prompt.yaml")).unwrap();
    std::fs::rename(
        repo.root().join("prompts/a/old-name.prompt.yaml"),
        repo.root().join("prompts/a/new-name.prompt.yaml"),
    )
    .unwrap();
    repo.write_prompt(
        "a/fresh",
        "format: 1\nmodel:\n  provider: anthropic\n  name: claude-sonnet-4\n  params:\n    \
         max_tokens: 300\nmessages:\n  - role: system\n    content: Entirely different words.\n",
    );
    repo
}

#[test]
fn diff_alone_shows_every_pending_change_against_head() {
    let repo = pending_repo();
    let out = repo.prompt(&["diff", "--json"]).success();
    let json = out.json();
    let changes: Vec<(&str, &str)> = json["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("a/edit", "modified"),
            ("a/fresh", "added"),
            ("a/gone", "removed"),
            ("a/new-name", "renamed"),
        ]
    );
    let text = repo.prompt(&["diff"]).success();
    assert!(
        text.stdout.contains("a/edit: modified (@1 → working tree)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("-Hello {{name}}\n"), "{}", text.stdout);
    assert!(
        text.stdout.contains("+Hello there {{name}}\n"),
        "{}",
        text.stdout
    );
    assert_eq!(text.stderr, "");
    repo.prompt(&["diff", "--exit-code"]).code(1);

    // Once committed, nothing is pending: no output, exit 0 even with --exit-code.
    repo.prompt(&["commit", "-m", "all"]).success();
    let clean = repo.prompt(&["diff", "--exit-code"]).success();
    assert_eq!((clean.stdout.as_str(), clean.stderr.as_str()), ("", ""));
}

#[test]
fn diff_alone_before_the_first_commit_shows_every_prompt_as_added() {
    let repo = TestRepo::new();
    repo.write_prompt("first", &text_prompt("Hi"));
    let out = repo.prompt(&["diff", "--json"]).success();
    assert_eq!(out.json()["prompts"][0]["change"], "added");
}

#[test]
fn an_empty_range_says_why_it_is_empty() {
    let repo = pending_repo();
    let out = repo.prompt(&["diff", "HEAD.."]).success();
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("`prompt diff` alone shows uncommitted changes"),
        "{}",
        out.stderr
    );
}

#[test]
fn markdown_and_plain_text_hold_no_word_markers_unless_asked() {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Say your hello"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.write_prompt("greet", &text_prompt("Say two hello"));
    let md = repo.prompt(&["diff", "--format", "markdown"]).success();
    assert!(md.stdout.contains("```diff\n"), "{}", md.stdout);
    assert!(
        md.stdout
            .contains("-Say your hello {{name}}\n+Say two hello {{name}}\n"),
        "{}",
        md.stdout
    );
    assert!(
        !md.stdout.contains("[-") && !md.stdout.contains("{+"),
        "{}",
        md.stdout
    );

    let plain = repo.prompt(&["diff", "--color", "never"]).success();
    assert!(
        plain.stdout.contains("    -Say your hello {{name}}\n"),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains("[-your-]"), "{}", plain.stdout);

    let marked = repo
        .prompt(&["diff", "--color", "never", "--word-diff"])
        .success();
    assert!(
        marked.stdout.contains("-Say [-your-] hello"),
        "{}",
        marked.stdout
    );
    assert!(
        marked.stdout.contains("+Say {+two+} hello"),
        "{}",
        marked.stdout
    );
}
