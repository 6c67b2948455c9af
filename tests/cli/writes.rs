//! Writes you can trust (contract §12, §5): every commit, move and promotion is exact, agrees with
//! the real `git`, and survives odd repository states: split and sparse indexes, merges and rebases
//! in progress, symbolic links, ignored files, time zones, protected environments, bare
//! repositories. Signal and concurrency loops are in `tests/cli/signals.rs`.

use crate::common::{text_prompt, Run, TestRepo};

/// A registry whose config is committed, so that history starts with it.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml", ".prompts.schema.json"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo
}

/// The index and `git status` agree with `HEAD` for every prompt file.
#[track_caller]
fn index_agrees_with_head(repo: &TestRepo) {
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
}

#[test]
fn a_file_over_the_size_limit_is_refused_never_cut() {
    let repo = repo();
    repo.write_prompt("big", &text_prompt("small"));
    repo.prompt(&["commit", "-m", "small"]).success();
    let line = format!("  {}\n", "x".repeat(70));
    let big = format!("format: 1\ntemplate: |\n{}", line.repeat(30_000));
    assert!(big.len() > 2_000_000);
    repo.write_prompt("big", &big);
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.prompt(&["commit", "big", "--no-verify", "-m", "big"])
        .code(1)
        .stderr_has("larger than the 1048576 bytes a prompt file may have")
        .stderr_has("nothing was committed");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // The file is untouched, and what is committed is still the small version whole.
    assert_eq!(repo.read("prompts/big.prompt.yaml"), big);
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/big.prompt.yaml"]),
        text_prompt("small")
    );
}

/// Commits, then checks that a later unrelated plain `git commit` keeps the prompt.
fn commit_then_plain_git_commit(repo: &TestRepo) {
    repo.write_prompt("a", &text_prompt("One"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.write_prompt("a", &text_prompt("Two"));
    let out = repo.prompt(&["commit", "-m", "two"]).success();
    assert!(!out.stderr.contains("index"), "{}", out.stderr);
    index_agrees_with_head(repo);
    repo.write("notes.txt", "unrelated\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/a.prompt.yaml"]),
        text_prompt("Two")
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "notes.txt\n"
    );
    let log = repo.prompt(&["log", "a", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
}

#[test]
fn a_split_index_is_updated_like_git_updates_it() {
    let repo = repo();
    repo.git(&["config", "core.splitIndex", "true"]);
    repo.git(&["update-index", "--split-index"]);
    let shared = std::fs::read_dir(repo.root().join(".git"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."));
    assert!(shared, "git wrote no shared index");
    commit_then_plain_git_commit(&repo);
}

#[test]
fn index_version_4_skip_hash_and_untracked_cache_are_kept_in_step() {
    for (key, value) in [
        ("index.version", "4"),
        ("index.skipHash", "true"),
        ("core.untrackedCache", "true"),
    ] {
        let repo = repo();
        repo.git(&["config", key, value]);
        // Rewrite the index in that format before prompt reads it.
        repo.git(&["update-index", "--index-version", "4"]);
        repo.git(&["status", "--porcelain"]);
        commit_then_plain_git_commit(&repo);
        repo.git(&["fsck", "--strict", "--no-progress"]);
    }
}

#[test]
fn a_sparse_index_is_updated_and_prompts_outside_the_cone_stay() {
    let repo = repo();
    repo.write_prompt("in/a", &text_prompt("In"));
    repo.write_prompt("out/b", &text_prompt("Out"));
    repo.prompt(&["commit", "-m", "both"]).success();
    repo.git(&["sparse-checkout", "set", "--cone", "prompts/in"]);
    repo.git(&["config", "index.sparse", "true"]);
    repo.git(&["sparse-checkout", "reapply"]);
    assert!(!repo.root().join("prompts/out").exists());
    assert!(
        repo.git(&["ls-files", "--sparse"])
            .contains("prompts/out/\n"),
        "the index is not sparse"
    );
    repo.write_prompt("in/a", &text_prompt("In again"));
    repo.prompt(&["commit", "-m", "in"])
        .success()
        .stdout_has("in/a: version 2");
    // The prompt outside the cone is not taken as deleted.
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "prompts/in/a.prompt.yaml\n"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.write("prompts/in/notes.txt", "x\n");
    repo.git(&["add", "prompts/in/notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/in/a.prompt.yaml"]),
        text_prompt("In again")
    );
    repo.git(&["sparse-checkout", "disable"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[cfg(unix)]
fn symlink(target: &str, link: &std::path::Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
#[test]
fn a_tracked_symlinked_prompt_is_left_alone() {
    let repo = repo();
    repo.write_prompt("real", &text_prompt("Real"));
    repo.prompt(&["commit", "-m", "real"]).success();
    symlink(
        "real.prompt.yaml",
        &repo.root().join("prompts/alias.prompt.yaml"),
    );
    repo.git(&["add", "prompts/alias.prompt.yaml"]);
    repo.git(&["commit", "-q", "-m", "alias"]);
    repo.write_prompt("real", &text_prompt("Real 2"));
    let out = repo
        .prompt(&["commit", "-m", "edit"])
        .success()
        .stderr_has("prompts/alias.prompt.yaml is a symbolic link: prompt leaves it alone");
    assert!(!out.stdout.contains("alias"), "{}", out.stdout);
    assert_eq!(
        repo.git(&["ls-tree", "HEAD", "prompts/alias.prompt.yaml"])
            .split_whitespace()
            .next(),
        Some("120000")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.prompt(&["show", "alias"])
        .code(1)
        .stderr_has("prompts/alias.prompt.yaml is a symbolic link");
}

#[cfg(unix)]
#[test]
fn symlinked_folders_and_files_are_never_followed_or_written_through() {
    let repo = repo();
    repo.write_prompt("real", &text_prompt("Real"));
    repo.prompt(&["commit", "-m", "real"]).success();
    let outside = repo.sibling("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("y.prompt.yaml"), text_prompt("Secret")).unwrap();
    symlink(outside.to_str().unwrap(), &repo.root().join("prompts/ext"));
    symlink(
        outside.join("y.prompt.yaml").to_str().unwrap(),
        &repo.root().join("prompts/file.prompt.yaml"),
    );
    for args in [
        &["show", "ext/y"][..],
        &["render", "ext/y", "--var", "name=x"],
        &["show", "file"],
        &["new", "ext/z", "--text", "Hi"],
        &["mv", "real", "ext/moved"],
        &["rm", "file"],
    ] {
        repo.prompt(args)
            .code(1)
            .stderr_has("is a symbolic link: prompt never follows, writes through or deletes");
    }
    assert!(!outside.join("z.prompt.yaml").exists());
    assert!(!outside.join("moved.prompt.yaml").exists());
    assert!(repo.root().join("prompts/real.prompt.yaml").exists());
    assert!(outside.join("y.prompt.yaml").exists());
    // Every listing command reports them the same way.
    for args in [&["check"][..], &["list"]] {
        repo.prompt(args)
            .success()
            .stderr_has("prompts/ext is a symbolic link: prompt leaves it alone")
            .stderr_has("prompts/file.prompt.yaml is a symbolic link: prompt leaves it alone");
    }
    repo.prompt(&["commit", "-m", "all"])
        .code(1)
        .stderr_has("nothing to commit");
    assert_eq!(
        repo.git(&["ls-files", "prompts"]),
        "prompts/real.prompt.yaml\n"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_registry_root_is_outside_the_repository() {
    let repo = TestRepo::bare_git();
    let outside = repo.sibling("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.prompt.yaml"), text_prompt("Outside")).unwrap();
    symlink(outside.to_str().unwrap(), &repo.root().join("prompts"));
    repo.write(".prompts.yaml", "root: prompts\n");
    repo.prompt(&["commit", "-m", "all"])
        .code(1)
        .stderr_has("prompts is a symbolic link: prompt leaves it alone")
        .stderr_has("nothing to commit");
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), "0\n");
    // git agrees: it will not add a path beyond a symbolic link.
    let out = repo
        .command("git", &repo.root())
        .args(["add", "prompts/x.prompt.yaml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    repo.prompt(&["new", "y", "--text", "Hi"])
        .code(1)
        .stderr_has("prompts is a symbolic link");
    assert!(!outside.join("y.prompt.yaml").exists());
}

#[test]
fn ignored_prompt_files_are_not_committed() {
    let repo = repo();
    repo.write(".gitignore", "prompts/scratch/\n");
    repo.write_prompt("scratch/try", &text_prompt("Draft"));
    repo.write_prompt("kept", &text_prompt("Kept"));
    let out = repo.prompt(&["commit", "-m", "all"]).success();
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "prompts/kept.prompt.yaml\n"
    );
    repo.prompt(&["commit", "-m", "again"])
        .code(1)
        .stderr_has("nothing to commit");
    // git sees nothing either: the ignored file is not untracked work.
    assert_eq!(repo.git(&["status", "--porcelain", "--", "prompts"]), "");
}

/// Sets up a conflicted merge of `prompts/a.prompt.yaml`.
fn conflicted(repo: &TestRepo) {
    repo.write_prompt("a", &text_prompt("Base"));
    repo.prompt(&["commit", "-m", "base"]).success();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write_prompt("a", &text_prompt("Feature"));
    repo.prompt(&["commit", "-m", "feature"]).success();
    repo.git(&["checkout", "-q", "main"]);
    repo.write_prompt("a", &text_prompt("Main"));
    repo.prompt(&["commit", "-m", "main"]).success();
}

#[track_caller]
fn refuses_mid_operation(repo: &TestRepo, finish: &str, abort: &str) {
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write_prompt("a", &text_prompt("Resolved"));
    for args in [
        &["commit", "-m", "resolved"][..],
        &["mv", "a", "b"],
        &["rm", "a", "--force"],
    ] {
        repo.prompt(args)
            .code(1)
            .stderr_has("in progress")
            .stderr_has(finish)
            .stderr_has(abort)
            .stderr_has("nothing was changed");
    }
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.read("prompts/a.prompt.yaml"), text_prompt("Resolved"));
}

#[test]
fn a_merge_in_progress_is_left_for_git_to_finish() {
    let repo = repo();
    conflicted(&repo);
    let out = repo
        .command("git", &repo.root())
        .args(["merge", "feature"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the merge should conflict");
    refuses_mid_operation(&repo, "git commit", "git merge --abort");
    assert!(repo.root().join(".git/MERGE_HEAD").exists());
    // Finishing as the message says makes the merge commit with both parents.
    repo.git(&["add", "prompts/a.prompt.yaml"]);
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%p"]).split(' ').count(),
        2
    );
}

#[test]
fn rebase_cherry_pick_and_revert_in_progress_are_refused() {
    let repo = repo();
    conflicted(&repo);
    for (start, finish, abort) in [
        (
            &["rebase", "feature"][..],
            "git rebase --continue",
            "git rebase --abort",
        ),
        (
            &["cherry-pick", "feature"],
            "git cherry-pick --continue",
            "git cherry-pick --abort",
        ),
    ] {
        let out = repo
            .command("git", &repo.root())
            .args(start)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{start:?} should conflict");
        refuses_mid_operation(&repo, finish, abort);
        let mut args = vec![start[0]];
        args.push("--abort");
        repo.git(&args);
    }
    // A revert of an older version conflicts with the newest one.
    repo.write_prompt("a", &text_prompt("Newest"));
    repo.prompt(&["commit", "-m", "newest"]).success();
    let out = repo
        .command("git", &repo.root())
        .args(["revert", "--no-edit", "HEAD~1"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the revert should conflict");
    refuses_mid_operation(&repo, "git revert --continue", "git revert --abort");
}

#[test]
fn commit_dates_carry_the_local_time_zone_as_git_does() {
    let repo = repo();
    // A zone without summer time, so the offset is known: -03:30 all year.
    let run = |program: &str, args: &[&str], tz: &str, date: Option<&str>| {
        let mut cmd = repo.command(program, &repo.root());
        cmd.env("TZ", tz)
            .env_remove("GIT_AUTHOR_DATE")
            .env_remove("GIT_COMMITTER_DATE");
        if let Some(d) = date {
            cmd.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
        }
        let out = cmd.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let offsets = |repo: &TestRepo| repo.git(&["log", "-1", "--format=%ai|%ci"]);
    let prompt = env!("CARGO_BIN_EXE_prompt");
    for (tz, date, want) in [
        ("Asia/Kolkata", None, "+0530"),
        (
            "Europe/Paris",
            Some("2024-07-31 12:00:00"),
            "2024-07-31 12:00:00 +0200",
        ),
        (
            "Europe/Paris",
            Some("2024-01-31T12:00:00"),
            "2024-01-31 12:00:00 +0100",
        ),
        (
            "Europe/Paris",
            Some("@1700000000"),
            "2023-11-14 23:13:20 +0100",
        ),
        (
            "America/Los_Angeles",
            Some("2024-07-31 12:00:00 +0000"),
            "+0000",
        ),
    ] {
        repo.write_prompt("a", &text_prompt(&format!("{tz} {date:?}")));
        run(prompt, &["commit", "-m", "by prompt"], tz, date);
        let ours = offsets(&repo);
        repo.write("notes.txt", &format!("{tz} {date:?}\n"));
        repo.git(&["add", "notes.txt"]);
        run("git", &["commit", "-q", "-m", "by git"], tz, date);
        let theirs = offsets(&repo);
        assert!(ours.contains(want), "{tz} {date:?}: {ours}");
        // Same zone as git's own commit (the times differ only for `now`).
        let zone = |s: &str| {
            s.trim()
                .split('|')
                .map(|d| d[20..].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(zone(&ours), zone(&theirs), "{tz} {date:?}");
    }
}

#[test]
fn mv_checks_every_tag_before_committing() {
    let repo = repo();
    repo.write_prompt("x", &text_prompt("X"));
    repo.write_prompt("y", &text_prompt("Y"));
    repo.prompt(&["commit", "-m", "both"]).success();
    repo.prompt(&["promote", "x", "staging"]).success();
    repo.prompt(&["promote", "y", "staging"]).success();
    repo.prompt(&["rm", "x", "--force"]).success();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let tags = repo.git(&["show-ref", "--tags"]);
    repo.prompt(&["mv", "y", "x"])
        .code(1)
        .stderr_has("the tag x@staging already exists")
        .stderr_has("nothing was changed")
        .stderr_has("prompt demote x ENV");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["show-ref", "--tags"]), tags);
    assert!(repo.root().join("prompts/y.prompt.yaml").exists());
    assert!(!repo.root().join("prompts/x.prompt.yaml").exists());
    // Once the stale tag is gone, the move takes its tags with it.
    let promoted = repo.git(&["rev-parse", "y@staging^{commit}"]);
    repo.prompt(&["demote", "x", "staging"]).success();
    repo.prompt(&["mv", "y", "x"])
        .success()
        .stdout_has("environments moved: staging");
    assert_eq!(repo.git(&["tag", "-l"]), "x@staging\n");
    assert_eq!(repo.git(&["rev-parse", "x@staging^{commit}"]), promoted);
}

/// Runs prompt with a terminal-less stdin and asserts it refused for want of `--yes`.
#[track_caller]
fn needs_yes(run: Run) {
    run.code(2)
        .stderr_has("changes need confirmation: pass --yes")
        .stderr_has("nothing was changed");
}

#[test]
fn every_path_that_moves_a_protected_environment_needs_yes() {
    let repo = repo();
    repo.write(
        ".prompts.yaml",
        "root: prompts\nenvironments: [staging, live]\nprotected_environments: [live]\n",
    );
    repo.git(&["commit", "-q", "-am", "protect live"]);
    for text in ["One", "Two"] {
        repo.write_prompt("p", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    // Unprotected environments move freely.
    repo.prompt(&["promote", "p@1", "staging"]).success();
    needs_yes(repo.prompt(&["promote", "p@1", "live"]));
    assert_eq!(repo.git(&["tag", "-l"]), "p@staging\n");
    repo.prompt(&["promote", "p@1", "live", "--yes"]).success();
    needs_yes(repo.prompt(&["promote", "p@2", "live"]));
    needs_yes(repo.prompt(&["demote", "p", "live"]));
    needs_yes(repo.prompt(&["mv", "p", "q"]));
    needs_yes(repo.prompt(&["rm", "p", "--force"]));
    assert_eq!(repo.git(&["tag", "-l"]), "p@live\np@staging\n");
    assert!(repo.root().join("prompts/p.prompt.yaml").exists());
    repo.prompt(&["mv", "p", "q", "--yes"])
        .success()
        .stdout_has("environments moved: staging, live");
    repo.prompt(&["demote", "q", "staging"]).success();
    repo.prompt(&["demote", "q", "live", "--yes"]).success();
}

#[test]
fn import_history_asks_before_creating_or_moving_production() {
    let repo = repo();
    let file = format!(
        "{}/tests/fixtures/interchange/phoenix-versions.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let args = [
        "import",
        &file,
        "--from",
        "phoenix",
        "--history",
        "--id",
        "t",
    ];
    needs_yes(repo.prompt(&args));
    assert_eq!(repo.git(&["tag", "-l"]), "");
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1\n");
    let mut yes = args.to_vec();
    yes.push("--yes");
    repo.prompt(&yes)
        .success()
        .stdout_has("t@production: version 3");
    // Again on top, with --force: production would move, so it asks again.
    let mut force = args.to_vec();
    force.push("--force");
    let before = repo.git(&["rev-parse", "t@production"]);
    needs_yes(repo.prompt(&force));
    assert_eq!(repo.git(&["rev-parse", "t@production"]), before);
}

#[test]
fn a_bare_repository_moves_tags_but_refuses_working_tree_writes() {
    let repo = repo();
    repo.write_prompt("p", &text_prompt("One"));
    repo.prompt(&["commit", "-m", "one"]).success();
    let bare = repo.sibling("server.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    repo.prompt_in(&bare, &["promote", "p@1", "staging"])
        .success()
        .stdout_has("p@staging: version 1");
    needs_yes(repo.prompt_in(&bare, &["promote", "p@1", "production"]));
    repo.prompt_in(&bare, &["promote", "p@1", "production", "--yes"])
        .success();
    repo.prompt_in(&bare, &["demote", "p", "staging"]).success();
    for args in [
        &["commit", "-m", "x"][..],
        &["mv", "p", "q"],
        &["rm", "p"],
        &["new", "q", "--text", "Hi"],
    ] {
        repo.prompt_in(&bare, args)
            .code(1)
            .stderr_has("this is a bare repository");
    }
    repo.git_in(&bare, &["fsck", "--strict", "--no-progress"]);
    repo.prompt(&["promote", "--help"])
        .success()
        .stdout_has("bare repository");
}

#[test]
fn init_in_a_subfolder_says_where_it_wrote() {
    let repo = TestRepo::bare_git();
    let sub = repo.root().join("backend");
    std::fs::create_dir_all(&sub).unwrap();
    let root = repo.root().canonicalize().unwrap();
    let out = repo.prompt_in(&sub, &["init"]).success();
    assert!(
        out.stderr.contains(&format!(
            "initialised a prompt registry in {}",
            root.display()
        )) && out.stderr.contains("created .prompts.yaml, prompts/")
            && out.stderr.contains("is inside that repository"),
        "{}",
        out.stderr
    );
    assert!(repo.root().join(".prompts.yaml").exists());
    assert!(!sub.join(".prompts.yaml").exists());
}

/// A FIFO where a prompt file would be is not a file: reading it must neither wait for a writer
/// nor take it for a prompt.
#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_prompt_is_not_read() {
    let repo = repo();
    repo.write_prompt("real", &text_prompt("Real"));
    let fifo = repo.root().join("prompts/pipe.prompt.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = repo.prompt(&["list"]).success();
    assert!(!out.stdout.contains("pipe"), "{}", out.stdout);
    repo.prompt(&["show", "pipe"]).code(1).stderr_has("pipe");
    repo.prompt(&["show", "real"]).success();
}
