//! Environments: promote, rollback, demote, env, env history; push and pull with a remote.

use crate::common::{text_prompt, TestRepo};

/// A registry with `greet` at versions 1 to 3.
fn three_versions() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    for text in ["Hello", "Hi", "Hey"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", &format!("Say {text}")])
            .success();
    }
    repo
}

#[test]
fn promote_rollback_and_history() {
    let repo = three_versions();
    repo.prompt(&[
        "promote",
        "greet@2",
        "production",
        "--yes",
        "-m",
        "first launch",
    ])
    .success()
    .stdout_has("greet@production: version 2 (");
    repo.prompt(&[
        "promote",
        "greet@latest",
        "production",
        "--yes",
        "-m",
        "roll forward",
    ])
    .success()
    .stdout_has("version 3")
    .stdout_has(", was version 2)");
    repo.prompt(&[
        "promote",
        "greet@1",
        "production",
        "--yes",
        "-m",
        "rollback: too casual",
    ])
    .success()
    .stdout_has(", was version 3)");
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success()
        .stderr_has("already at version 1");

    let out = repo
        .prompt(&["env", "history", "greet", "production"])
        .success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(
        lines[0].starts_with("@1  ")
            && lines[0].contains("Ada Author <ada@example.com>  (was @3)  rollback: too casual"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("@3  ") && lines[1].ends_with("roll forward"));
    assert!(lines[2].starts_with("@2  ") && lines[2].ends_with("first launch"));
    let json = repo
        .prompt(&["env", "history", "greet", "production", "--json"])
        .success()
        .json();
    assert_eq!(json[0]["version"], 1);
    assert_eq!(json[0]["previous"], 3);
    assert_eq!(json[2]["note"], "first launch");

    // The tag is an ordinary annotated git tag, readable by git.
    let message = repo.git(&[
        "tag",
        "-l",
        "--format=%(contents:subject)",
        "greet@production",
    ]);
    assert_eq!(
        message,
        "Promote greet to production: version 1 (was version 3)\n"
    );

    // References, log and render see it.
    repo.prompt(&["show", "greet@production"])
        .success()
        .stdout_has("Hello");
    repo.prompt(&["render", "greet@production", "--var", "name=Bo"])
        .success()
        .stdout_has("Hello Bo");
    repo.prompt(&["log", "greet"])
        .success()
        .stdout_has("Say Hello (production)");
}

#[test]
fn env_table_shows_versions_and_drift() {
    let repo = three_versions();
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo.prompt(&["promote", "greet", "production", "--yes"])
        .success();
    repo.write_prompt("greet", &text_prompt("Draft"));
    repo.write_prompt("fresh", &text_prompt("New"));
    let out = repo.prompt(&["env"]).success();
    assert_eq!(
        out.stdout,
        "fresh\t-\tnew\t-\t-\t-\ngreet\t3\tmodified\t-\t2 (behind)\t3\n"
    );
    let json = repo.prompt(&["env", "greet", "--json"]).success().json();
    assert_eq!(json[0]["environments"]["staging"]["behind"], true);
    assert_eq!(json[0]["working"], "modified");
    repo.prompt(&["promote", "greet", "development"])
        .success()
        .stderr_has("uncommitted changes; promoting the latest committed version (3)");
}

#[test]
fn unknown_environments_and_bad_references_are_refused() {
    let repo = three_versions();
    repo.prompt(&["promote", "greet@2", "prodution"])
        .code(1)
        .stderr_has(
            "unknown environment `prodution` (did you mean `production`?); this registry has: \
             development, staging, production",
        );
    repo.prompt(&["promote", "greet@2", "Prod"])
        .code(2)
        .stderr_has("[a-z][a-z0-9_-]*");
    repo.prompt(&["promote", "greet@9", "staging"])
        .code(1)
        .stderr_has("has 3 versions");
    repo.prompt(&["promote", "nope", "staging"])
        .code(1)
        .stderr_has("no committed versions");
    assert_eq!(repo.git(&["tag", "-l"]), "");
    repo.prompt(&["demote", "greet", "staging"])
        .code(1)
        .stderr_has("not promoted to staging");
}

#[test]
fn demote_removes_the_tag() {
    let repo = three_versions();
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo.prompt(&["demote", "greet", "staging"])
        .success()
        .stdout_has("greet@staging: removed (was version 2)");
    assert_eq!(repo.git(&["tag", "-l"]), "");
    repo.prompt(&["show", "greet@staging"])
        .code(1)
        .stderr_has("not promoted to staging");
}

#[test]
fn a_tag_made_with_plain_git_is_an_environment() {
    let repo = three_versions();
    repo.git(&["tag", "-a", "greet@staging", "-m", "by hand", "HEAD~1"]);
    let json = repo
        .prompt(&["env", "history", "greet", "staging", "--json"])
        .success()
        .json();
    assert_eq!(json[0]["version"], 2);
    assert_eq!(json[0]["note"], "by hand");
    repo.prompt(&["promote", "greet@3", "staging"])
        .success()
        .stdout_has(", was version 2)");
}

/// A bare remote and two clones of it, both with the registry.
struct Team {
    repo: TestRepo,
    remote: std::path::PathBuf,
    other: std::path::PathBuf,
}

fn team() -> Team {
    let repo = three_versions();
    let remote = repo.bare_origin();
    let other = repo.sibling("other");
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    repo.git_in(
        repo.root().parent().unwrap(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    Team {
        repo,
        remote,
        other,
    }
}

#[test]
fn two_clones_share_promotions_and_rollbacks() {
    let Team {
        repo,
        remote,
        other,
    } = team();
    repo.prompt(&["promote", "greet@3", "production", "--yes", "-m", "launch"])
        .success();
    repo.prompt(&["push"])
        .success()
        .stdout_has("greet@production: version 3");
    assert!(repo
        .git_in(&remote, &["tag", "-l"])
        .contains("greet@production"));

    // The other clone sees it, rolls back, pushes.
    repo.prompt_in(&other, &["pull"])
        .success()
        .stdout_has("greet@production: version 3");
    repo.prompt_in(&other, &["show", "greet@production"])
        .success()
        .stdout_has("Hey");
    repo.prompt_in(
        &other,
        &[
            "promote",
            "greet@1",
            "production",
            "--yes",
            "-m",
            "rollback",
        ],
    )
    .success();
    repo.prompt_in(&other, &["push"])
        .success()
        .stdout_has("greet@production: version 1");

    // The first clone picks up the moved tag (plain `git fetch` would refuse to clobber it).
    repo.prompt(&["pull"])
        .success()
        .stdout_has("greet@production: version 1");
    let history = repo
        .prompt(&["env", "history", "greet", "production"])
        .success()
        .stdout;
    assert!(
        history.starts_with("@1  ") && history.contains("rollback") && history.contains("launch"),
        "{history}"
    );

    // New commits travel with pull's fast-forward.
    std::fs::write(other.join("prompts/greet.prompt.yaml"), text_prompt("Yo")).unwrap();
    repo.prompt_in(&other, &["commit", "-m", "Say Yo"])
        .success();
    repo.prompt_in(&other, &["push"])
        .success()
        .stdout_has("main: pushed to origin");
    repo.prompt(&["pull"]).success().stdout_has("main: ");
    repo.prompt(&["log", "greet", "-n", "1"])
        .success()
        .stdout_has("@4")
        .stdout_has("Say Yo");
    repo.prompt(&["pull"])
        .success()
        .stderr_has("already up to date");
}

#[test]
fn a_divergent_promotion_is_refused_on_push_and_changes_nothing() {
    let Team {
        repo,
        remote,
        other,
    } = team();
    repo.prompt(&["promote", "greet@2", "production", "--yes"])
        .success();
    repo.prompt(&["push"]).success();
    repo.prompt_in(&other, &["pull"]).success();
    // Both promote without seeing each other's move.
    repo.prompt(&["promote", "greet@3", "production", "--yes", "-m", "mine"])
        .success();
    repo.prompt_in(
        &other,
        &["promote", "greet@1", "production", "--yes", "-m", "theirs"],
    )
    .success();
    repo.prompt_in(&other, &["push"]).success();
    let before = repo.git_in(&remote, &["rev-parse", "refs/tags/greet@production"]);
    repo.prompt(&["push"])
        .code(1)
        .stderr_has("nothing was pushed")
        .stderr_has("greet@production: yours version 3")
        .stderr_has("origin has version 1")
        .stderr_has("prompt pull");
    assert_eq!(
        repo.git_in(&remote, &["rev-parse", "refs/tags/greet@production"]),
        before
    );
    // Pull takes the shared promotion and says which unpushed one it replaced.
    repo.prompt(&["pull"])
        .success()
        .stdout_has("greet@production: version 1")
        .stderr_has("your unpushed promotion (version 3 (");
    repo.prompt(&["show", "greet@production"])
        .success()
        .stdout_has("Hello");
    // Promoting again builds on the shared tag: the push goes through and keeps both records.
    repo.prompt(&[
        "promote",
        "greet@3",
        "production",
        "--yes",
        "-m",
        "mine again",
    ])
    .success();
    repo.prompt(&["push"]).success();
    let history = repo
        .prompt(&["env", "history", "greet", "production"])
        .success()
        .stdout;
    assert!(
        history.contains("mine again") && history.contains("theirs"),
        "{history}"
    );
}

#[test]
fn pull_refuses_when_the_branch_cannot_fast_forward() {
    let Team { repo, other, .. } = team();
    std::fs::write(
        other.join("prompts/greet.prompt.yaml"),
        text_prompt("Theirs"),
    )
    .unwrap();
    repo.prompt_in(&other, &["commit", "-m", "theirs"])
        .success();
    repo.prompt_in(&other, &["push"]).success();
    repo.write_prompt("greet", &text_prompt("Mine"));
    repo.prompt(&["commit", "-m", "mine"]).success();
    repo.prompt(&["pull"])
        .code(1)
        .stderr_has("cannot fast-forward main");
    repo.prompt(&["push"]).code(1).stderr_has("rejected");
    repo.prompt(&["push", "nowhere"])
        .code(2)
        .stderr_has("`nowhere` is not a remote");
}

#[test]
fn remote_hooks_rejecting_a_tag_are_errors_naming_the_ref() {
    let Team { repo, remote, .. } = team();
    let hook = remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\nwhile read old new ref; do case \"$ref\" in *@production) echo \"protected: $ref\" >&2; exit 1;; esac; done\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.prompt(&["promote", "greet@2", "production", "--yes"])
        .success();
    repo.prompt(&["push"])
        .code(1)
        .stderr_has("origin rejected the push")
        .stderr_has("refs/tags/greet@production");
    assert_eq!(repo.git_in(&remote, &["tag", "-l"]), "");
}

#[test]
fn push_and_pull_through_git_daemon() {
    let repo = three_versions();
    let base = repo.sibling("served");
    std::fs::create_dir_all(&base).unwrap();
    let remote = base.join("reg.git");
    repo.git_in(
        &base,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let daemon = repo
        .command("git", &base)
        .args([
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--enable=receive-pack",
            "--listen=127.0.0.1",
            &format!("--port={port}"),
            &format!("--base-path={}", base.display()),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut daemon) = daemon else {
        eprintln!("skipping: `git daemon` is not installed");
        return;
    };
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    // Wait until it listens (or give up: not installed or not startable).
    let up = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    if !up || daemon.try_wait().ok().flatten().is_some() {
        eprintln!("skipping: `git daemon` did not start");
        return;
    }
    let _guard = Kill(daemon);
    let url = format!("git://127.0.0.1:{port}/reg.git");
    repo.git(&["remote", "add", "origin", &url]);
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    repo.prompt(&["promote", "greet@2", "staging", "-m", "over the wire"])
        .success();
    repo.prompt(&["push"])
        .success()
        .stdout_has("greet@staging: version 2");
    let other = repo.sibling("other");
    repo.git_in(
        repo.root().parent().unwrap(),
        &["clone", "-q", &url, other.to_str().unwrap()],
    );
    // A fresh clone already has the tags; promoting on top of one is not a divergence.
    repo.prompt_in(&other, &["pull"]).success();
    repo.prompt_in(&other, &["env", "history", "greet", "staging"])
        .success()
        .stdout_has("over the wire");
    repo.prompt_in(
        &other,
        &["promote", "greet@3", "staging", "-m", "from the clone"],
    )
    .success();
    repo.prompt_in(&other, &["push"])
        .success()
        .stdout_has("greet@staging: version 3");
    repo.prompt(&["pull"])
        .success()
        .stdout_has("greet@staging: version 3");
}

#[test]
fn clones_that_both_build_on_a_cloned_tag_diverge() {
    let Team { repo, remote, .. } = team();
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success();
    repo.prompt(&["push"]).success();
    // Two fresh clones: they have the tag but never pulled through `prompt`.
    let a = repo.sibling("a");
    let b = repo.sibling("b");
    for dir in [&a, &b] {
        repo.git_in(
            repo.root().parent().unwrap(),
            &[
                "clone",
                "-q",
                remote.to_str().unwrap(),
                dir.to_str().unwrap(),
            ],
        );
    }
    repo.prompt_in(&a, &["promote", "greet@2", "production", "--yes"])
        .success();
    repo.prompt_in(&b, &["promote", "greet@3", "production", "--yes"])
        .success();
    repo.prompt_in(&a, &["push"]).success();
    repo.prompt_in(&b, &["push"])
        .code(1)
        .stderr_has("greet@production: yours version 3");
}

#[test]
fn production_needs_yes_off_a_terminal() {
    let repo = three_versions();
    repo.prompt(&["promote", "greet@2", "production"])
        .code(2)
        .stderr_has("production changes need confirmation: pass --yes");
    assert_eq!(repo.git(&["tag", "-l"]), "");
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo.prompt(&["promote", "greet@2", "production", "--yes"])
        .success();
    repo.prompt(&["demote", "greet", "production"])
        .code(2)
        .stderr_has("--yes");
    repo.prompt(&["demote", "greet", "production", "-y"])
        .success();
}
