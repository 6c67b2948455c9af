//! What the binary's start-up guarantees (Rust's own start-up, `fn main`): closed standard
//! streams, a reader that stops early, exit codes, a stack overflow reported by name.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Stdio;

use crate::common::{text_prompt, Run, TestRepo};

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "greet"]);
    repo
}

/// Runs `prompt ARGS` with the standard stream `fd` closed (not redirected: closed).
fn with_closed(repo: &TestRepo, fd: i32, args: &[&str]) -> Run {
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    cmd.args(args);
    // SAFETY: `close` is async-signal-safe, as code between fork and exec must be.
    unsafe {
        cmd.pre_exec(move || {
            libc::close(fd);
            Ok(())
        });
    }
    Run::from(cmd.output().expect("run prompt"))
}

#[test]
fn a_closed_stdout_or_stdin_is_not_taken_by_a_file_the_command_opens() {
    let repo = repo();
    // With stdout closed, the first file opened would get descriptor 1 and the rendered text
    // would be written into it (a pack index, the config): it must go nowhere instead.
    let state = || {
        let config = std::fs::read(repo.root().join(".git/config")).unwrap();
        (
            repo.git(&["status", "--porcelain"]),
            repo.git(&["count-objects", "-v"]),
            config,
        )
    };
    let before = state();
    let run = with_closed(&repo, 1, &["render", "greet", "--var", "name=Ada"]).success();
    assert_eq!(run.stderr, "");
    assert_eq!(state(), before);
    with_closed(&repo, 1, &["render", "nope"])
        .code(1)
        .stderr_has("error: prompt `nope` not found");
    // Reading at a commit of a packed repository keeps the pack file open: with stdin closed,
    // `--batch -` would read the pack as its input. A closed stdin reads as empty.
    repo.git(&["gc", "-q"]);
    let run = with_closed(&repo, 0, &["render", "greet@main", "--batch", "-"]).success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly_not_by_a_signal() {
    let repo = repo();
    // Far more output than a pipe holds, so that writes meet the closed pipe.
    let lines: String = (0..20_000)
        .map(|i| format!("{{\"name\": \"n{i}\"}}\n"))
        .collect();
    repo.write("in.jsonl", &lines);
    let mut child = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args(["render", "greet", "--batch", "in.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run prompt");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // The read end is closed here, with most of the output unread.
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.signal(),
        None,
        "ended by a signal: {:?}",
        out.status
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(first.starts_with(b"{\"line\":1,"), "{first:?}");
}

#[test]
fn help_and_usage_errors_keep_their_exit_codes() {
    let repo = repo();
    let help = repo.prompt(&["--help"]).success();
    assert!(help.stdout.contains("Usage: prompt"), "{}", help.stdout);
    repo.prompt(&["render"])
        .code(2)
        .stderr_has("the following required arguments were not provided");
    repo.prompt(&["rendr", "greet"])
        .code(2)
        .stderr_has("tip: a similar subcommand exists: 'render'");
    let run = repo
        .prompt(&["render", "greet", "--var", "name=Ada"])
        .success();
    assert_eq!(run.stdout, "Hello Ada\n");
}

#[test]
fn a_working_tree_whose_git_folder_lives_elsewhere_is_the_registry() {
    // `git init --separate-git-dir` (as submodules do) leaves a `.git` file naming the git
    // folder: the registry is the working tree, as git sees it, not the git folder's parent.
    let repo = TestRepo::bare_git();
    let (tree, git_dir) = (repo.sibling("tree"), repo.sibling("tree.git"));
    let (tree_arg, git_dir_arg) = (tree.to_str().unwrap(), git_dir.to_str().unwrap());
    repo.git(&[
        "init",
        "-q",
        "-b",
        "main",
        "--separate-git-dir",
        git_dir_arg,
        tree_arg,
    ]);
    assert!(tree.join(".git").is_file());
    repo.prompt_in(&tree, &["init"])
        .success()
        .stderr_has(&format!("in {tree_arg}:"));
    let parent = tree.parent().unwrap();
    assert!(
        !parent.join(".prompts.yaml").exists(),
        "written outside the tree"
    );
    repo.prompt_in(&tree, &["new", "greet", "--text", "Hello {{name}}"])
        .success();
    repo.prompt_in(&tree, &["commit", "-m", "greet"]).success();
    let files = repo.git_in(&tree, &["log", "--format=%s", "--name-only"]);
    assert!(files.contains("prompts/greet.prompt.yaml"), "{files}");
    let sub = tree.join("prompts");
    let run = repo
        .prompt_in(&sub, &["render", "greet@1", "--var", "name=Ada"])
        .success();
    assert_eq!(run.stdout, "Hello Ada");
    let run = repo
        .prompt_in(&sub, &["--repo", tree_arg, "list"])
        .success();
    assert!(run.stdout.starts_with("greet\ttext"), "{}", run.stdout);
}

#[test]
fn a_stack_overflow_is_reported_by_name_not_a_bare_segfault() {
    // Entering at the C `main` (`#![no_main]`) skipped Rust's start-up: the main thread had no
    // name, no stack guard was known, and an overflow died of SIGSEGV with nothing said (and on
    // musl and the BSDs the command line itself was empty). A 16 KiB stack overflows in
    // argument parsing already.
    let repo = repo();
    let out = repo
        .command("sh", &repo.root())
        .args([
            "-c",
            "ulimit -s 16 && exec \"$0\" render greet --var name=Ada",
        ])
        .arg(env!("CARGO_BIN_EXE_prompt"))
        .output()
        .expect("run sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGABRT),
        "{:?}: {stderr}",
        out.status
    );
    assert!(stderr.contains("thread 'main'"), "{stderr}");
    assert!(stderr.contains("has overflowed its stack"), "{stderr}");
}
