//! `prompt log`, versions and references, including versions made with plain git.

use crate::common::{text_prompt, TestRepo};

/// A repository with three versions of `greet`: two by `prompt commit`, one by `git commit`, and an
/// unrelated commit in between.
fn three_versions() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "First greeting"]).success();
    repo.write("notes.txt", "unrelated\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "Unrelated"]);
    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "Second greeting"]).success();
    repo.write_prompt("greet", &text_prompt("Hey"));
    repo.git(&["commit", "-q", "-am", "Third greeting, by plain git"]);
    repo
}

#[test]
fn log_lists_versions_newest_first_including_plain_git_commits() {
    let repo = three_versions();
    let out = repo.prompt(&["log", "greet"]).success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("@3  ") && lines[0].ends_with("Third greeting, by plain git"));
    assert!(lines[1].starts_with("@2  ") && lines[1].contains("Ada Author"));
    assert!(lines[2].starts_with("@1  ") && lines[2].ends_with("First greeting"));
    assert!(lines[2].contains("  2023-11-14 22:1"), "{}", lines[2]);

    let json = repo.prompt(&["log", "greet", "--json"]).success().json();
    let versions: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, vec![3, 2, 1]);
    assert_eq!(json[0]["message"], "Third greeting, by plain git");
    assert_eq!(json[0]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(json[0]["email"], "ada@example.com");

    repo.prompt(&["log", "greet", "-n", "1"])
        .success()
        .stdout_has("@3");
}

#[test]
fn every_reference_form_reads_the_right_version() {
    let repo = three_versions();
    repo.write_prompt("greet", &text_prompt("Draft"));
    let show = |r: &str| repo.prompt(&["show", r]).success().stdout;
    assert!(show("greet").contains("Draft"));
    assert!(show("greet@1").contains("Hello"));
    assert!(show("greet@2").contains("Hi "));
    assert!(show("greet@3").contains("Hey"));
    assert!(show("greet@latest").contains("Hey"));
    assert!(show("greet@HEAD~1").contains("Hi "));
    assert!(show("greet@main~3").contains("Hello"));
    let first = repo.git(&["rev-list", "--max-parents=0", "HEAD"]);
    assert!(show(&format!("greet@{}", &first[..7])).contains("Hello"));

    let json = repo
        .prompt(&["show", "greet@HEAD~1", "--json"])
        .success()
        .json();
    assert_eq!(json["version"], 2);
    assert_eq!(json["prompt"]["inputs"]["name"]["type"], "string");
}

#[test]
fn unknown_references_say_what_exists() {
    let repo = three_versions();
    repo.prompt(&["show", "greet@9"])
        .code(1)
        .stderr_has("`greet@9` does not exist")
        .stderr_has("has 3 versions (@1 to @3)");
    repo.prompt(&["show", "greet@production"])
        .code(1)
        .stderr_has("not promoted to production");
    repo.prompt(&["show", "greet@nosuchbranch"])
        .code(1)
        .stderr_has("neither a version number, `latest`, an environment (development, staging, production) nor a git revision");
    repo.prompt(&["show", "gret"])
        .code(1)
        .stderr_has("did you mean `greet`?");
    repo.prompt(&["show", "greet@0"])
        .code(2)
        .stderr_has("numbered from 1");
    repo.prompt(&["log", "nope"])
        .code(1)
        .stderr_has("prompt `nope` not found");
}

#[test]
fn log_without_id_lists_registry_commits() {
    let repo = three_versions();
    repo.write_prompt("other", &text_prompt("O"));
    repo.write_prompt("greet", &text_prompt("Yo"));
    repo.prompt(&["commit", "-m", "Both"]).success();
    let out = repo.prompt(&["log"]).success();
    let first = out.stdout.lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("Both") && first.contains("greet@4 other@1"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Unrelated"), "{}", out.stdout);
    let json = repo.prompt(&["log", "--json"]).success().json();
    assert_eq!(json.as_array().unwrap().len(), 4);
    assert_eq!(json[0]["prompts"][0]["id"], "greet");
}

#[test]
fn log_of_an_uncommitted_prompt_and_an_empty_repository() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["log", "a"])
        .success()
        .stderr_has("no committed versions yet");
    repo.prompt(&["log"]).success();
    repo.prompt(&["show", "a@latest"])
        .code(1)
        .stderr_has("no committed versions yet");
}

#[test]
fn works_from_subdirectories_with_repo_flag_and_env_var() {
    let repo = three_versions();
    let sub = repo.root().join("prompts");
    repo.prompt_in(&sub, &["log", "greet"])
        .success()
        .stdout_has("@3");
    let elsewhere = repo.root().parent().unwrap().to_path_buf();
    let root = repo.root();
    repo.prompt_in(
        &elsewhere,
        &["--repo", root.to_str().unwrap(), "log", "greet"],
    )
    .success()
    .stdout_has("@3");
    let out = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &elsewhere)
        .env("PROMPT_REPO", &root)
        .args(["show", "greet@1"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Hello"));
    repo.prompt_in(&elsewhere, &["list"])
        .code(1)
        .stderr_has("not inside a git repository")
        .stderr_has("prompt init");
}

#[test]
fn linked_worktrees_have_their_own_working_tree() {
    let repo = three_versions();
    let wt = repo.root().with_file_name("wt");
    repo.git(&["worktree", "add", "-q", "-b", "other", wt.to_str().unwrap()]);
    std::fs::write(
        wt.join("prompts/greet.prompt.yaml"),
        text_prompt("From worktree"),
    )
    .unwrap();
    // The worktree's branch is not the release line: its commit is a draft there.
    repo.prompt_in(&wt, &["commit", "-m", "In worktree"])
        .success()
        .stdout_has("greet: draft on branch other");
    repo.prompt_in(&wt, &["show", "greet@other"])
        .success()
        .stdout_has("From worktree");
    repo.prompt_in(&wt, &["show", "greet@latest"])
        .success()
        .stdout_has("Hey");
    // The main checkout's branch did not move.
    repo.prompt(&["show", "greet@latest"])
        .success()
        .stdout_has("Hey");
}

#[test]
fn closed_stdout_is_not_an_error() {
    let repo = three_versions();
    let mut child = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args(["log", "greet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_history_cache_never_changes_an_answer() {
    let repo = three_versions();
    repo.write_prompt("other", &text_prompt("O"));
    repo.prompt(&["commit", "-m", "other"]).success();
    repo.prompt(&["mv", "greet", "team/greet"]).success();
    repo.write_prompt("team/greet", &text_prompt("Moved and edited"));
    repo.prompt(&["commit", "-m", "edit after move"]).success();
    repo.prompt(&["rm", "other"]).success();
    repo.write_prompt("other", &text_prompt("Back"));
    repo.prompt(&["commit", "-m", "other is back"]).success();
    repo.prompt(&["promote", "team/greet@2", "staging"])
        .success();

    let answers = |no_cache: bool| -> Vec<String> {
        let run = |args: &[&str]| {
            let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
            if no_cache {
                cmd.env("PROMPT_NO_CACHE", "1");
            }
            let out = cmd.args(args).output().unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        vec![
            run(&["log", "team/greet", "--json"]),
            run(&["log", "other", "--json"]),
            run(&["log", "--json"]),
            run(&["list", "--json"]),
            run(&["env", "--json"]),
            run(&["show", "team/greet@1"]),
            run(&["show", "team/greet@staging", "--json"]),
        ]
    };
    let cache = repo.root().join(".git/prompt-history-v4");
    let _ = std::fs::remove_file(&cache);
    let walked = answers(true);
    assert!(!cache.exists(), "PROMPT_NO_CACHE writes no cache");
    let built = answers(false);
    assert!(cache.exists());
    assert_eq!(walked, built);
    assert!(walked[0].contains("\"version\": 4"), "{}", walked[0]);
    // Warm, extended after HEAD moves, and rebuilt when damaged: always the same answers.
    assert_eq!(answers(false), walked);
    repo.write_prompt("other", &text_prompt("Again"));
    repo.prompt(&["commit", "-m", "other again"]).success();
    let moved_on = answers(true);
    assert_eq!(answers(false), moved_on);
    std::fs::write(&cache, "prompt-history-v4\nroot\tprompts\ntip\tnot-hex\n").unwrap();
    assert_eq!(answers(false), moved_on);
    repo.git(&["reset", "-q", "--hard", "HEAD~2"]);
    assert_eq!(answers(false), answers(true));
}

/// `a` and `c` committed on `main`, then a `feature` branch checked out.
fn two_prompts_on_a_feature_branch() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.write_prompt("c", &text_prompt("Bye"));
    repo.prompt(&["commit", "-m", "Add a and c"]).success();
    repo.write_prompt("a", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "Shorter a"]).success();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo
}

/// `log --json`'s entries on the release line: what `main` shows, whatever branch is checked out.
fn release_entries(log: &serde_json::Value) -> Vec<serde_json::Value> {
    let entries = log.as_array().unwrap();
    entries
        .iter()
        .filter(|e| e.get("draft").is_none())
        .cloned()
        .collect()
}

#[test]
fn a_draft_that_only_removes_a_prompt_is_listed_with_the_removal() {
    let repo = two_prompts_on_a_feature_branch();
    let on_main = repo.prompt(&["log", "--json"]).success().json();
    let main_text = repo.prompt(&["log"]).success().stdout;
    repo.prompt(&["rm", "c", "--yes"]).success();
    let removal = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    let text = repo.prompt(&["log"]).success().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with(&removal[..7]) && lines[0].ends_with("Remove c [draft on feature]"),
        "{text}"
    );
    assert_eq!(lines[1], "    c removed", "{text}");
    // The release line's entries follow, as on `main`.
    assert_eq!(lines[2..].join("\n") + "\n", main_text, "{text}");

    let json = repo.prompt(&["log", "--json"]).success().json();
    assert_eq!(json[0]["draft"], true);
    assert_eq!(json[0]["branch"], "feature");
    assert_eq!(json[0]["commit"], removal.as_str());
    assert_eq!(json[0]["prompts"], serde_json::json!([]));
    assert_eq!(json[0]["removed"], serde_json::json!(["c"]));
    assert_eq!(json[0]["moved"], serde_json::json!([]));
    assert_eq!(release_entries(&json), release_entries(&on_main));
    assert_eq!(json.as_array().unwrap().len(), 3);
}

#[test]
fn a_draft_move_shows_as_a_move_not_an_addition() {
    let repo = two_prompts_on_a_feature_branch();
    let on_main = repo.prompt(&["log", "--json"]).success().json();
    let main_text = repo.prompt(&["log"]).success().stdout;
    // A draft edit, then a move of the same prompt: the edit is named as the prompt is at HEAD,
    // as on the release line.
    repo.write_prompt("a", &text_prompt("Hey"));
    repo.prompt(&["commit", "-m", "Warmer a"]).success();
    repo.prompt(&["mv", "a", "b", "--yes"]).success();

    let text = repo.prompt(&["log"]).success().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with("Move a to b [draft on feature]"),
        "{text}"
    );
    assert_eq!(lines[1], "    a → b", "{text}");
    assert!(lines[2].ends_with("Warmer a [draft on feature]"), "{text}");
    assert_eq!(lines[3], "    b (draft)", "{text}");
    assert_eq!(lines[4..].join("\n") + "\n", main_text, "{text}");

    let json = repo.prompt(&["log", "--json"]).success().json();
    assert_eq!(json[0]["draft"], true);
    assert_eq!(json[0]["prompts"], serde_json::json!([]));
    assert_eq!(json[0]["removed"], serde_json::json!([]));
    assert_eq!(
        json[0]["moved"],
        serde_json::json!([{"from": "a", "to": "b"}])
    );
    assert_eq!(
        json[1]["prompts"],
        serde_json::json!([{"id": "b", "version": null}])
    );
    assert_eq!(release_entries(&json), release_entries(&on_main));
    assert_eq!(json.as_array().unwrap().len(), 4);
}
