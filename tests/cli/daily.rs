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

#[test]
fn yaml_mistakes_come_with_a_hint() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "typo",
        "format: 1\nmessage:\n  - role: user\n    content: hi\n",
    );
    repo.write_prompt(
        "indent",
        "format: 1\nmessages:\n  - role: user\n   content: hi\n",
    );
    let out = repo.prompt(&["check"]).code(1);
    assert!(
        out.stdout
            .contains("unknown field `message` (did you mean `messages`?)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("check the indentation"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_diff_driver_is_recorded_by_absolute_path_and_shows_parse_errors() {
    let repo = TestRepo::new();
    repo.prompt(&["init", "--diff-driver"]).success();
    let textconv = repo.git(&["config", "diff.prompt.textconv"]);
    let bin = std::fs::canonicalize(env!("CARGO_BIN_EXE_prompt")).unwrap();
    assert_eq!(textconv, format!("'{}' diff --textconv\n", bin.display()));
    repo.write_prompt("a", "format: 1\ntemplate: |\n  hi\n");
    repo.prompt(&["commit", "-m", "one"]).success();
    // A one-space slip: the file no longer parses. PATH holds git but not prompt.
    repo.write_prompt("a", "format: 1\ntemplate: |\n  hi\n there\n");
    let out = repo
        .command("git", &repo.root())
        .args(["diff"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("+!! not a valid prompt file: line 4"),
        "{text}"
    );
    assert!(text.contains("+ there"), "{text}");
}

#[test]
fn hints_point_at_what_exists() {
    let repo = TestRepo::new();
    repo.write_prompt("a/b", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "one"]).success();
    let out = repo.prompt(&["diff", "a/b@1", "a/nope@1"]).code(1);
    assert!(
        !out.stderr.contains("prompt commit a/nope"),
        "{}",
        out.stderr
    );
    out.stderr_has("`a/nope`").stderr_has("hint:");
    let out = repo.prompt(&["check", "--against", "nobranch"]).code(1);
    assert!(!out.stderr.contains("prompt log ID"), "{}", out.stderr);
    out.stderr_has("`nobranch` is not a git revision")
        .stderr_has("hint: `git branch -a`");
}

#[test]
fn pull_quiet_prints_nothing_on_success() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.prompt(&["promote", "a@1", "staging"]).success();
    let remote = repo.bare_origin();
    repo.prompt(&["push", "origin"]).success();
    let clone = repo.sibling("clone");
    repo.git(&[
        "clone",
        "-q",
        remote.to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    repo.prompt(&["promote", "a@1", "development"]).success();
    repo.prompt(&["push", "origin"]).success();
    let out = repo.prompt_in(&clone, &["pull", "-q"]).success();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert!(repo
        .git_in(&clone, &["tag", "-l"])
        .contains("a@development"));
}
