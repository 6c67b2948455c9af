//! Interrupted and concurrent writes, in loops (contract §12): a SIGTERM either lets the commit
//! finish (exit 0, saying so) or changes nothing (exit 130), never leaves a lock or a stale index;
//! a SIGKILL never corrupts the repository; concurrent commits of one change make exactly one
//! commit, claimed by exactly one process. Each loop prints its figures (`cargo test --
//! --nocapture`).

use std::process::{Child, Stdio};
use std::time::Duration;

use crate::common::{text_prompt, TestRepo};

/// A registry with one committed prompt `a`.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo.write_prompt("a", &text_prompt("v0"));
    repo.prompt(&["commit", "-m", "v0"]).success();
    repo
}

fn spawn(repo: &TestRepo, args: &[&str], failpoint: Option<&str>) -> Child {
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    if let Some(f) = failpoint {
        cmd.env("PROMPT_FAILPOINT", f);
    }
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `prompt ARGS` paused at the failpoint `point` and returns once it is there: the command
/// creates a file when it reaches the point (`PROMPT_FAILPOINT_READY`), so no guessed delay
/// decides what the test tests.
fn spawn_ready(repo: &TestRepo, args: &[&str], point: &str) -> Child {
    let ready = repo.sibling(&format!(
        "ready-{point}-{}",
        args.join("-").replace('/', "_")
    ));
    let _ = std::fs::remove_file(&ready);
    let child = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .env("PROMPT_FAILPOINT", point)
        .env("PROMPT_FAILPOINT_READY", &ready)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{args:?} never reached {point}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn signal(child: &Child, name: &str) {
    let number = match name {
        "TERM" => libc::SIGTERM,
        "KILL" => libc::SIGKILL,
        "INT" => libc::SIGINT,
        other => panic!("no signal {other}"),
    };
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the pid of a child this test started and has not yet waited for.
    assert_eq!(unsafe { libc::kill(pid, number) }, 0);
}

/// Edits `a`, starts `prompt commit`, and sends it `signal` at a point of its life that depends on
/// `round` (its start, its reads, its write); returns its output and whether `HEAD` moved.
fn edit_and_signal(repo: &TestRepo, round: u64, name: &str) -> (std::process::Output, bool) {
    let before = head(repo);
    repo.write_prompt("a", &text_prompt(&format!("v{round}")));
    let child = spawn(repo, &["commit", "-m", &format!("v{round}")], None);
    std::thread::sleep(Duration::from_micros((round * 977) % 40_000));
    signal(&child, name);
    let out = child.wait_with_output().unwrap();
    let moved = head(repo) != before;
    (out, moved)
}

fn head(repo: &TestRepo) -> String {
    repo.git(&["rev-parse", "HEAD"])
}

fn locks(repo: &TestRepo) -> Vec<String> {
    let git_dir = repo.root().join(".git");
    let mut out = Vec::new();
    for dir in [git_dir.clone(), git_dir.join("refs/heads")] {
        for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".lock") || name.ends_with(".tmp") {
                out.push(name);
            }
        }
    }
    out
}

/// Whether the index disagrees with both `HEAD` and the working tree for a prompt: an index left
/// behind by a commit, which a later plain `git commit` would turn into a revert.
fn stale_index(repo: &TestRepo) -> bool {
    staged(repo) && unstaged(repo)
}

/// Whether a prompt in the working tree differs from the index.
fn unstaged(repo: &TestRepo) -> bool {
    !repo
        .git(&["diff", "--name-only", "--", "prompts"])
        .is_empty()
}

/// Whether a prompt is staged (the index differs from `HEAD`).
fn staged(repo: &TestRepo) -> bool {
    !repo
        .git(&["diff", "--cached", "--name-only", "--", "prompts"])
        .is_empty()
}

#[derive(Debug, Default)]
struct Figures {
    iterations: usize,
    commits_made: usize,
    commits_claimed: usize,
    interrupted: usize,
    stale_indexes: usize,
    staged_not_committed: usize,
    leftover_locks: usize,
    phantom: usize,
    lost: usize,
}

#[test]
fn sigterm_at_the_commit_point_finishes_or_changes_nothing() {
    let repo = repo();
    // Deterministic: just before the branch moves, nothing is committed; just after, the commit
    // is finished and reported.
    repo.write_prompt("a", &text_prompt("before"));
    let before = head(&repo);
    let child = spawn_ready(&repo, &["commit", "-m", "before"], "before-ref");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(head(&repo), before);
    assert!(locks(&repo).is_empty(), "{:?}", locks(&repo));
    assert!(!stale_index(&repo));

    let child = spawn_ready(&repo, &["commit", "-m", "after"], "after-ref");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("a: version 2 ("), "{stdout}");
    assert!(
        stderr.contains("interrupted after the write was made"),
        "{stderr}"
    );
    assert_ne!(head(&repo), before);
    assert!(locks(&repo).is_empty(), "{:?}", locks(&repo));
    assert!(!stale_index(&repo));
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
}

#[test]
fn a_branch_moved_by_git_meanwhile_is_committed_onto() {
    let repo = repo();
    repo.write("notes.txt", "x\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    let notes = head(&repo);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.write_prompt("a", &text_prompt("raced"));
    let child = spawn_ready(&repo, &["commit", "-m", "raced"], "before-ref:1500");
    // The branch moves under it without the index lock, as a fetch or `git update-ref` would.
    repo.git(&["update-ref", "refs/heads/main", notes.trim()]);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), notes);
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "prompts/a.prompt.yaml\n"
    );
    assert!(!stale_index(&repo) && !staged(&repo));
    assert!(locks(&repo).is_empty(), "{:?}", locks(&repo));
}

#[test]
fn sigterm_at_random_points_loses_nothing_and_claims_nothing_false() {
    let repo = repo();
    let mut f = Figures::default();
    let started = std::time::Instant::now();
    for round in 1..=60u64 {
        f.iterations += 1;
        let (out, moved) = edit_and_signal(&repo, round, "TERM");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        f.commits_made += usize::from(moved);
        let claimed = stdout.contains("a: version");
        f.commits_claimed += usize::from(claimed);
        match out.status.code() {
            Some(0) => {
                if !moved || !claimed {
                    f.phantom += 1;
                }
            }
            // 130: interrupted, nothing changed; no code: the signal came before the handler was
            // installed (the process had not started its work).
            Some(130) | None => {
                f.interrupted += 1;
                if moved || claimed {
                    f.lost += 1;
                }
            }
            other => panic!("round {round}: exit {other:?}"),
        }
        let staged = staged(&repo);
        f.stale_indexes += usize::from(staged && unstaged(&repo));
        f.staged_not_committed += usize::from(staged);
        let left = locks(&repo);
        f.leftover_locks += left.len();
        assert!(left.is_empty(), "round {round}: {left:?}");
    }
    repo.git(&["fsck", "--strict", "--no-progress"]);
    println!("SIGTERM loop: {f:?} in {:?}", started.elapsed());
    assert_eq!(f.commits_made, f.commits_claimed, "{f:?}");
    assert_eq!((f.phantom, f.lost), (0, 0), "{f:?}");
    assert_eq!(
        (f.stale_indexes, f.staged_not_committed, f.leftover_locks),
        (0, 0, 0),
        "{f:?}"
    );
    let log = repo.prompt(&["log", "a", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), f.commits_made + 1);
}

#[test]
fn sigkill_at_random_points_never_corrupts_or_reverts() {
    let repo = repo();
    let mut f = Figures::default();
    let started = std::time::Instant::now();
    for round in 1..=60u64 {
        f.iterations += 1;
        let (out, moved) = edit_and_signal(&repo, round, "KILL");
        f.commits_made += usize::from(moved);
        f.commits_claimed += usize::from(String::from_utf8_lossy(&out.stdout).contains("version"));
        let staged = staged(&repo);
        f.stale_indexes += usize::from(staged && unstaged(&repo));
        // A SIGKILL cannot clean up: a lock it left is stale, as after a killed git.
        let left = locks(&repo);
        f.leftover_locks += left.len();
        for l in left {
            let _ = std::fs::remove_file(repo.root().join(".git").join(l));
        }
        if staged {
            // Killed between staging and moving the branch: the prompt is staged with its
            // working-tree content, as `git add` leaves it. Unstage, so rounds stay independent.
            f.staged_not_committed += 1;
            assert_eq!(repo.git(&["diff", "--name-only", "--", "prompts"]), "");
            repo.git(&["reset", "-q", "--", "prompts"]);
        }
        // Rounds only add commits, so damage from any round is still there for a later check.
        if round % 20 == 0 {
            repo.git(&["fsck", "--strict", "--no-progress"]);
        }
    }
    println!("SIGKILL loop: {f:?} in {:?}", started.elapsed());
    // Whatever landed is a version; nothing landed that was not committed whole.
    let log = repo.prompt(&["log", "a", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), f.commits_made + 1);
    assert!(f.commits_claimed <= f.commits_made, "{f:?}");
    assert_eq!(f.stale_indexes, 0, "{f:?}");
}

#[test]
fn concurrent_commits_of_one_change_make_one_commit_claimed_once() {
    let repo = repo();
    const PROCESSES: usize = 6;
    let started = std::time::Instant::now();
    let mut made_per_run = Vec::new();
    for round in 1..=50u64 {
        repo.write_prompt("a", &text_prompt(&format!("v{round}")));
        let before: usize = repo
            .git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap();
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| spawn(&repo, &["commit", "a", "-m", &format!("v{round}")], None))
            .collect();
        let mut claimed = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            match out.status.code() {
                Some(0) => claimed.push(stdout),
                Some(1) => assert!(stderr.contains("nothing to commit"), "{stderr}"),
                other => panic!("exit {other:?}: {stderr}"),
            }
        }
        let after: usize = repo
            .git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap();
        made_per_run.push(after - before);
        assert_eq!(after - before, 1, "round {round}");
        assert_eq!(claimed.len(), 1, "round {round}: {claimed:?}");
        let short = repo.git(&["rev-parse", "--short=7", "HEAD"]);
        assert_eq!(
            claimed[0],
            format!("a: version {} ({})\n", round + 1, short.trim())
        );
        assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
    }
    println!(
        "concurrent same-change commits ({PROCESSES} processes x 50 runs): commits made per run \
         {made_per_run:?} in {:?}",
        started.elapsed()
    );
    repo.git(&["fsck", "--strict", "--no-progress"]);
}

#[test]
fn concurrent_commit_all_over_many_edits_makes_one_commit_without_empty_ones() {
    let repo = repo();
    const PROMPTS: usize = 12;
    for i in 0..PROMPTS {
        repo.write_prompt(&format!("p{i:02}"), &text_prompt(&format!("P{i}")));
    }
    let children: Vec<_> = (0..PROMPTS)
        .map(|i| spawn(&repo, &["commit", "-m", &format!("all {i}")], None))
        .collect();
    let mut winners = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => winners += 1,
            Some(1) => assert!(stderr.contains("nothing to commit"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert_eq!(winners, 1);
    // registry config, v0, and the one commit with every prompt.
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "3\n");
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.lines().count(), PROMPTS);
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
}

/// The state a write must leave when it is interrupted before its commit point: everything that
/// the tests look at, compared before and after.
fn snapshot(repo: &TestRepo) -> (String, String, String, Vec<String>) {
    (
        head(repo),
        repo.git(&["status", "--porcelain", "--untracked-files=all"]),
        repo.git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
        locks(repo),
    )
}

/// Runs `args` to `point`, sends `name`, and asserts exit 130 with nothing changed.
#[track_caller]
fn interrupted_changes_nothing(repo: &TestRepo, args: &[&str], point: &str, name: &str) {
    let before = snapshot(repo);
    let files = repo.git(&["ls-files", "-s"]);
    let child = spawn_ready(repo, args, point);
    signal(&child, name);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{args:?} at {point}, SIG{name}: {stderr}"
    );
    assert!(
        stderr.contains("interrupted; nothing was changed"),
        "{stderr}"
    );
    assert_eq!(snapshot(repo), before, "{args:?} at {point}, SIG{name}");
    assert_eq!(repo.git(&["ls-files", "-s"]), files);
}

/// A registry with `a` committed and promoted to staging.
fn promoted() -> TestRepo {
    let repo = repo();
    repo.prompt(&["promote", "a@1", "staging"]).success();
    repo
}

#[test]
fn mv_and_rm_interrupted_before_the_commit_point_put_the_file_back() {
    // Issue 24 item 13: `mv` renamed and `rm` deleted the file before committing, and the signal
    // handler exited at once: exit 130 with the working tree changed.
    let repo = promoted();
    let text = repo.read("prompts/a.prompt.yaml");
    for name in ["TERM", "INT"] {
        interrupted_changes_nothing(&repo, &["mv", "a", "b"], "before-ref", name);
        interrupted_changes_nothing(&repo, &["rm", "a", "--force"], "before-ref", name);
        assert_eq!(repo.read("prompts/a.prompt.yaml"), text);
        assert!(!repo.root().join("prompts/b.prompt.yaml").exists());
    }
    repo.git(&["fsck", "--strict", "--no-progress"]);
}

#[test]
fn a_write_waiting_for_another_process_lock_stops_and_leaves_that_lock_alone() {
    // Another process (git, an editor integration) holds .git/index.lock: the write waits for
    // it. Interrupted while waiting, it puts back what it changed and never removes the lock
    // that is not its own.
    let repo = promoted();
    let lock = repo.root().join(".git/index.lock");
    std::fs::write(&lock, "held by someone else").unwrap();
    for args in [
        &["mv", "a", "b"][..],
        &["rm", "a", "--force"][..],
        &["commit", "-m", "edit"][..],
    ] {
        if args[0] == "commit" {
            repo.write_prompt("a", &text_prompt("edited"));
        }
        let before = (head(&repo), repo.git(&["status", "--porcelain"]));
        let child = spawn_ready(&repo, args, "wait-index-lock");
        signal(&child, "INT");
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{args:?}: {stderr}");
        assert_eq!((head(&repo), repo.git(&["status", "--porcelain"])), before);
        assert_eq!(
            std::fs::read_to_string(&lock).unwrap(),
            "held by someone else",
            "{args:?} removed another process's lock"
        );
    }
    std::fs::remove_file(&lock).unwrap();
}

#[test]
fn promote_and_demote_finish_after_the_tag_moved_and_change_nothing_before() {
    let repo = promoted();
    repo.write_prompt("a", &text_prompt("v1"));
    repo.prompt(&["commit", "-m", "v1"]).success();
    for name in ["TERM", "INT"] {
        interrupted_changes_nothing(&repo, &["promote", "a@2", "staging"], "before-tag", name);
        interrupted_changes_nothing(&repo, &["demote", "a", "staging"], "before-tag", name);
    }
    let tag =
        |repo: &TestRepo| repo.git(&["for-each-ref", "--format=%(refname)", "refs/tags/a@staging"]);
    // After the tag moved: the command finishes, exits 0 and says it was interrupted.
    for (args, present) in [
        (&["promote", "a@2", "staging"][..], true),
        (&["demote", "a", "staging"][..], false),
    ] {
        let child = spawn_ready(&repo, args, "after-tag");
        signal(&child, "TERM");
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.contains("interrupted after the write was made"),
            "{stderr}"
        );
        assert_eq!(tag(&repo).is_empty(), !present, "{args:?}");
        assert!(locks(&repo).is_empty());
    }
}

#[test]
fn mv_interrupted_after_its_commit_renames_every_tag() {
    // The tags are renamed after the commit point: a signal then waits for them.
    let repo = promoted();
    let child = spawn_ready(&repo, &["mv", "a", "b"], "after-ref");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("interrupted after the write was made"),
        "{stderr}"
    );
    let tags = repo.git(&["tag", "--list"]);
    assert_eq!(tags, "b@staging\n");
    assert!(repo.root().join("prompts/b.prompt.yaml").exists());
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
}
