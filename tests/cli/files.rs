//! `prompt mv`, `cp` and `rm`: history, versions and environments follow a move; nothing is
//! overwritten.

use crate::common::{text_prompt, TestRepo};

fn repo_with_versions() -> TestRepo {
    let repo = TestRepo::new();
    for text in ["One", "Two"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", &format!("Say {text}")])
            .success();
    }
    repo.prompt(&["promote", "greet@1", "production", "--yes", "-m", "launch"])
        .success();
    repo
}

#[test]
fn mv_keeps_history_versions_and_environments() {
    let repo = repo_with_versions();
    repo.prompt(&["mv", "greet", "team/hello", "--yes"])
        .success()
        .stdout_has("greet → team/hello (")
        .stdout_has("environments moved: production");
    assert!(!repo.root().join("prompts/greet.prompt.yaml").exists());
    assert!(repo.read("prompts/team/hello.prompt.yaml").contains("Two"));
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "?? .prompts.schema.json\n?? .prompts.yaml\n"
    );

    // Versions continue across the move; the move itself is not a version.
    let log = repo.prompt(&["log", "team/hello"]).success().stdout;
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].starts_with("@2  ") && lines[1].starts_with("@1  "),
        "{log}"
    );
    assert!(lines[1].contains("(production)"), "{log}");
    repo.prompt(&["show", "team/hello@1"])
        .success()
        .stdout_has("One");
    repo.prompt(&["show", "team/hello@production"])
        .success()
        .stdout_has("One");
    repo.prompt(&["render", "team/hello@production", "--var", "name=Al"])
        .success()
        .stdout_has("One Al");
    repo.prompt(&["env", "history", "team/hello", "production"])
        .success()
        .stdout_has("launch");
    repo.prompt(&["show", "greet@production"]).code(1);
    repo.prompt(&["log", "greet"])
        .success()
        .stderr_has("greet was moved away in");
    let list = repo.prompt(&["list"]).success().stdout;
    assert_eq!(list, "team/hello\ttext\t-\t2\tproduction@1\n");
    let registry_log = repo.prompt(&["log"]).success().stdout;
    assert!(
        registry_log
            .lines()
            .nth(1)
            .unwrap()
            .contains("greet → team/hello"),
        "{registry_log}"
    );
    assert!(registry_log.contains("team/hello@2"), "{registry_log}");
    assert_eq!(repo.git(&["tag", "-l"]), "team/hello@production\n");

    // An edit after the move is version 3.
    repo.write_prompt("team/hello", &text_prompt("Three"));
    repo.prompt(&["commit", "-m", "Say Three"])
        .success()
        .stdout_has("team/hello: version 3");
    repo.prompt(&["promote", "team/hello", "production", "--yes"])
        .success()
        .stdout_has(", was version 1)");
    // Plain git sees an ordinary rename.
    let stat = repo.git(&["show", "--stat", "--format=%B", "-M", "HEAD~1"]);
    assert!(stat.contains("Prompt-Moved-From: greet"), "{stat}");
}

#[test]
fn mv_refuses_to_overwrite_or_mix_edits() {
    let repo = repo_with_versions();
    repo.write_prompt("other", &text_prompt("O"));
    repo.prompt(&["mv", "greet", "other", "--yes"])
        .code(1)
        .stderr_has("already exists");
    repo.write_prompt("greet", &text_prompt("Edited"));
    repo.prompt(&["mv", "greet", "renamed", "--yes"])
        .code(1)
        .stderr_has("uncommitted changes");
    assert!(repo.root().join("prompts/greet.prompt.yaml").exists());
    repo.prompt(&["mv", "nope", "x"])
        .code(1)
        .stderr_has("not found");
    repo.prompt(&["mv", "greet", "Bad"]).code(2);
    // An uncommitted prompt just moves on disk.
    repo.prompt(&["mv", "other", "folder/other"])
        .success()
        .stdout_has("not committed yet");
}

#[test]
fn cp_records_the_source_and_never_overwrites() {
    let repo = repo_with_versions();
    repo.prompt(&["cp", "greet@production", "greet-v2"])
        .success()
        .stderr_has("from greet@1 (");
    let text = repo.read("prompts/greet-v2.prompt.yaml");
    assert!(
        text.contains("copied_from: greet@1 (") && text.contains("One"),
        "{text}"
    );
    repo.prompt(&["check", "greet-v2"]).success();
    repo.prompt(&["cp", "greet", "greet-v2"])
        .code(1)
        .stderr_has("already exists");
}

#[test]
fn rm_keeps_history_and_refuses_while_promoted() {
    let repo = repo_with_versions();
    repo.prompt(&["rm", "greet"])
        .code(1)
        .stderr_has("`greet` is promoted to production: demote it first");
    assert!(repo.root().join("prompts/greet.prompt.yaml").exists());
    repo.prompt(&["rm", "greet", "--force", "--yes", "-m", "Retire greet"])
        .success()
        .stdout_has("greet: removed (");
    assert!(!repo.root().join("prompts/greet.prompt.yaml").exists());
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "Retire greet\n");
    // History and the environment stay readable.
    repo.prompt(&["show", "greet@2"])
        .success()
        .stdout_has("Two");
    repo.prompt(&["show", "greet@production"])
        .success()
        .stdout_has("One");
    repo.prompt(&["log", "greet"]).success().stdout_has("@2");
}

#[test]
fn removals_show_in_log() {
    let repo = repo_with_versions();
    repo.prompt(&["rm", "greet", "--force", "--yes"]).success();
    repo.prompt(&["log", "greet"])
        .success()
        .stderr_has("greet was removed in ")
        .stdout_has("@2");
    let registry = repo.prompt(&["log", "-n", "1"]).success().stdout;
    assert!(
        registry.contains("Remove greet") && registry.contains("greet removed"),
        "{registry}"
    );
    let json = repo.prompt(&["log", "--json", "-n", "1"]).success().json();
    assert_eq!(json[0]["removed"][0], "greet");
    let env = repo.prompt(&["env", "--json"]).success().json();
    assert_eq!(env[0]["working"], "removed");
}
