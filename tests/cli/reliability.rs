//! Concurrency and failure: nothing is lost, nothing is corrupted.

use crate::common::{text_prompt, Run, TestRepo};

#[test]
fn concurrent_commits_all_land_and_the_index_stays_consistent() {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "config"]);
    const WRITERS: usize = 16;
    for i in 0..WRITERS {
        repo.write_prompt(&format!("p{i:02}"), &text_prompt(&format!("Prompt {i}")));
    }
    // Start every writer before waiting for any.
    let children: Vec<_> = (0..WRITERS)
        .map(|i| {
            repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
                .args(["commit", &format!("p{i:02}"), "-m", &format!("Add p{i:02}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut failures = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if !out.status.success() || stderr.contains("warning") {
            failures.push(stderr);
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every commit is on the branch, each with its own prompt.
    assert_eq!(
        repo.git(&["rev-list", "--count", "HEAD"]),
        format!("{}\n", WRITERS + 1)
    );
    for i in 0..WRITERS {
        let id = format!("p{i:02}");
        repo.prompt(&["log", &id])
            .success()
            .stdout_has(&format!("Add {id}"));
    }
    repo.git(&["fsck", "--strict", "--no-progress"]);
    // The index agrees with HEAD for every prompt.
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
}

#[test]
fn a_stale_index_lock_is_named_and_nothing_changes() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.write(".git/index.lock", "");
    // A debug build waits PROMPT_LOCK_WAIT_MS instead of git's five seconds before giving up.
    let started = std::time::Instant::now();
    let out = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .env("PROMPT_LOCK_WAIT_MS", "500")
        .args(["commit", "-m", "x"])
        .output()
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(500),
        "gave up before the wait: {waited:?}"
    );
    Run::from(out)
        .code(1)
        .stderr_has("index.lock is locked by another process")
        .stderr_has("the lock file is stale");
    assert!(
        repo.root().join(".git/index.lock").exists(),
        "someone else's lock is left alone"
    );
    std::fs::remove_file(repo.root().join(".git/index.lock")).unwrap();
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), "0\n");
    repo.prompt(&["commit", "-m", "x"]).success();
    assert!(
        !repo.root().join(".git/index.lock").exists(),
        "our own lock is removed"
    );
}

#[test]
fn concurrent_promotions_of_one_environment_never_lose_a_record() {
    let repo = TestRepo::new();
    for text in ["One", "Two", "Three"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    const PROMOTERS: usize = 8;
    let children: Vec<_> = (0..PROMOTERS)
        .map(|i| {
            repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
                .args([
                    "promote",
                    &format!("greet@{}", i % 3 + 1),
                    "staging",
                    "-m",
                    &format!("p{i}"),
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut won = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => won += 1,
            Some(1) => assert!(
                stderr.contains("changed while this command ran") || stderr.contains("already at"),
                "{stderr}"
            ),
            other => panic!("unexpected exit {other:?}: {stderr}"),
        }
    }
    assert!(won >= 1);
    // Every successful promotion that moved the tag is in the history chain, none lost.
    let history = repo
        .prompt(&["env", "history", "greet", "staging", "--json"])
        .success()
        .json();
    let records = history.as_array().unwrap().len();
    assert!(
        records >= 1 && records <= won,
        "{records} records for {won} successes"
    );
    repo.git(&["fsck", "--strict", "--no-progress"]);
}

#[test]
fn ctrl_c_removes_the_lock_it_holds_and_changes_nothing() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    let mut child = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .env("PROMPT_FAILPOINT", "hold-index-lock")
        .args(["commit", "-m", "interrupted"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = repo.root().join(".git/index.lock");
    let held = (0..200).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(25));
        lock.exists()
    });
    assert!(held, "the command never took the lock");
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!lock.exists(), "the interrupted command removed its lock");
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), "0\n");
    repo.prompt(&["commit", "-m", "now"]).success();
}

#[test]
fn killed_at_random_points_the_repository_stays_consistent() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("v0"));
    repo.prompt(&["commit", "-m", "v0"]).success();
    let mut landed = 1;
    for round in 1..=12u64 {
        repo.write_prompt("a", &text_prompt(&format!("v{round}")));
        let mut child = repo
            .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
            .args(["commit", "-m", &format!("v{round}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the command's life (a few milliseconds to a few tens).
        std::thread::sleep(std::time::Duration::from_millis((round * 7) % 40));
        let _ = child.kill();
        let _ = child.wait();
        // A SIGKILL cannot clean up: a lock it left is stale, as after a killed git.
        let _ = std::fs::remove_file(repo.root().join(".git/index.lock"));
        repo.git(&["fsck", "--strict", "--no-progress"]);
        let count: usize = repo
            .git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap();
        assert!(
            count == landed || count == landed + 1,
            "round {round}: {count} commits"
        );
        landed = count;
        // Whatever landed is a readable version with its own message.
        let log = repo.prompt(&["log", "a", "--json"]).success().json();
        assert_eq!(log.as_array().unwrap().len(), landed);
    }
    // Promotions killed midway leave the tag at the old or the new version.
    for round in 0..8u64 {
        let before = repo.git(&["tag", "-l"]);
        let mut child = repo
            .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
            .args(["promote", &format!("a@{}", round % 3 + 1), "staging"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis((round * 5) % 25));
        let _ = child.kill();
        let _ = child.wait();
        repo.git(&["fsck", "--strict", "--no-progress"]);
        let after = repo.git(&["tag", "-l"]);
        assert!(
            after.is_empty() || after == "a@staging\n",
            "{before} -> {after}"
        );
        if !after.is_empty() {
            repo.prompt(&["env", "history", "a", "staging"]).success();
        }
    }
}
