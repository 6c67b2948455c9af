//! Exit codes and hints, one row per documented case: 0 success, 1 failure (including failures of
//! the environment: no git identity, no `git` program, a detached HEAD), 2 a bad command line.
//!
//! Rows without a setup share one registry and must leave it exactly as they found it (a failed
//! command changes nothing); rows with a setup get a registry of their own. Two documented cases
//! live elsewhere because they need what a table does not give: a lock held by another process
//! needs a shortened wait (`PROMPT_LOCK_WAIT_MS`, in
//! `reliability::a_stale_index_lock_is_named_and_nothing_changes`), and a declined confirmation
//! needs a pseudo-terminal (`interactive`).

use std::path::Path;

use crate::common::{text_prompt, Run, TestRepo};

/// How a row runs `prompt`.
#[derive(Clone, Copy)]
enum How {
    /// In the registry, with the sealed environment.
    Plain,
    /// With neither `GIT_*_NAME`/`GIT_*_EMAIL` nor `user.name`/`user.email` set.
    NoIdentity,
    /// With a `PATH` on which there is no `git`.
    NoGit,
    /// In a folder that is not inside any git repository.
    Outside,
    /// With stdout read by nobody (`prompt … | head -1` after `head` has gone): the exit code is
    /// the command's own, as `${PIPESTATUS[0]}` would show it.
    ClosedStdout,
}

struct Row {
    /// The case, as the documentation names it.
    case: &'static str,
    setup: Option<fn(&TestRepo)>,
    how: How,
    args: &'static [&'static str],
    code: i32,
    /// Text that stderr holds after `error: ` (empty for rows that succeed).
    error: &'static str,
    /// The whole hint line after `hint: `; `None` asserts that there is no hint.
    hint: Option<&'static str>,
}

const fn row(case: &'static str, args: &'static [&'static str], code: i32) -> Row {
    Row {
        case,
        setup: None,
        how: How::Plain,
        args,
        code,
        error: "",
        hint: None,
    }
}

impl Row {
    const fn error(mut self, error: &'static str) -> Row {
        self.error = error;
        self
    }
    const fn hint(mut self, hint: &'static str) -> Row {
        self.hint = Some(hint);
        self
    }
    const fn setup(mut self, setup: fn(&TestRepo)) -> Row {
        self.setup = Some(setup);
        self
    }
    const fn how(mut self, how: How) -> Row {
        self.how = how;
        self
    }
}

/// The hint for a revision that does not exist.
const REVISION_HINT: &str =
    "`git branch -a` and `git tag` list revisions; a CI checkout may need `git fetch origin BRANCH` first";

/// A text prompt whose optional input no template uses: `check` warns and passes.
const POLITE: &str =
    "format: 1\ninputs:\n  name:\n    type: string\n  tone:\n    type: string\n    \
                      required: false\n    enum: [warm, dry]\ntemplate: 'Hello {{name}}'\n";

/// The registry every row starts from: `greet` at versions 1 and 2 with version 1 in `staging`,
/// and `polite`; everything committed.
fn registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.write_prompt("polite", POLITE);
    repo.prompt(&["commit", "-m", "first"]).success();
    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "second"]).success();
    repo.prompt(&["promote", "greet@1", "staging"]).success();
    repo
}

/// A bare remote `origin` that has everything this clone has.
fn with_remote(repo: &TestRepo) {
    repo.bare_origin();
    repo.prompt(&["push"]).success();
}

fn rows() -> Vec<Row> {
    vec![
        // 0: success, including the cases that look like failures.
        row("check with warnings only", &["check", "polite"], 0),
        row("diff with differences, no --exit-code", &["diff", "greet@1", "greet@2"], 0),
        row("init on an existing registry", &["init"], 0),
        row("a reader closing the pipe early", &["log", "greet"], 0).how(How::ClosedStdout),
        // 1: failures.
        row("validation errors", &["check", "broken"], 1)
            .setup(|r| r.write_prompt("broken", "format: 1\ntemplate: '{{#open}}'\n")),
        row("validation errors block commit", &["commit", "-m", "x"], 1)
            .setup(|r| r.write_prompt("broken", "format: 1\ntemplate: '{{#open}}'\n"))
            .error("1 prompt(s) failed validation")
            .hint("fix the problems above (`prompt check` lists them), or commit anyway with --no-verify"),
        row("breaking with check --against", &["check", "greet", "--against", "@staging"], 1)
            .setup(|r| {
                r.write_prompt(
                    "greet",
                    "format: 1\ninputs:\n  name:\n    type: string\n  title:\n    type: string\n\
                     template: '{{title}} {{name}}'\n",
                )
            }),
        row("a prompt that does not exist", &["show", "nosuch"], 1)
            .error("prompt `nosuch` not found")
            .hint("`prompt list` shows the prompts; `prompt new ID` creates one"),
        row("a prompt that does not exist, with a near name", &["show", "gret"], 1)
            .error("prompt `gret` not found")
            .hint("did you mean `greet`?"),
        row("a version that does not exist", &["show", "greet@9"], 1)
            .error("`greet@9` does not exist")
            .hint("`prompt log ID` lists the versions"),
        row("a revision that does not exist", &["show", "greet@nobranch"], 1)
            .error("`greet@nobranch` does not exist")
            .hint("`prompt log ID` lists the versions"),
        row("an environment the prompt is not promoted to", &["show", "greet@production"], 1)
            .error("`greet` is not promoted to production; it is promoted to: staging")
            .hint("`prompt env ID` shows where a prompt is promoted"),
        row("demote where the prompt is not promoted", &["demote", "greet", "development"], 1)
            .error("`greet` is not promoted to development")
            .hint("`prompt env ID` shows where a prompt is promoted"),
        row("env history where the prompt is not promoted", &["env", "history", "greet", "development"], 1)
            .error("`greet` is not promoted to development")
            .hint("`prompt env ID` shows where a prompt is promoted"),
        row("an environment that does not exist", &["promote", "greet@1", "prodution"], 1)
            .error("unknown environment `prodution`")
            .hint("environments are configured under `environments:` in .prompts.yaml"),
        row("check --against an environment that does not exist", &["check", "--against", "@prodution"], 1)
            .error("unknown environment `prodution`")
            .hint("environments are configured under `environments:` in .prompts.yaml"),
        row("check --against a revision that does not exist", &["check", "--against", "nobranch"], 1)
            .error("--against takes a git revision")
            .hint(REVISION_HINT),
        row("a diff range with a revision that does not exist", &["diff", "nobranch..HEAD"], 1)
            .error("`nobranch` is not a git revision")
            .hint(REVISION_HINT),
        row("a sample that does not exist", &["render", "greet", "--sample", "nosuch"], 1)
            .error("no sample `nosuch`"),
        row("a missing value in render", &["render", "greet"], 1)
            .error("missing value for `name`"),
        row("a wrong value in render", &["render", "polite", "--var", "name=Ada", "--var", "tone=loud"], 1)
            .error("not one of its allowed values"),
        row("a missing value in diff --rendered keeps the side", &["diff", "greet@1", "greet@2", "--rendered"], 1)
            .error("rendering greet@1: missing value for `name`"),
        row("nothing to commit", &["commit", "-m", "x"], 1).error("nothing to commit"),
        row("an empty commit message", &["commit", "-m", " "], 1)
            .setup(|r| r.write_prompt("greet", &text_prompt("Hey")))
            .error("aborting the commit: the message is empty"),
        row("differences with diff --exit-code", &["diff", "greet@1", "greet@2", "--exit-code"], 1),
        row("not in a git repository", &["list"], 1)
            .how(How::Outside)
            .error("not inside a git repository")
            .hint("run `prompt init` to create a registry here, or pass --repo DIR (or set PROMPT_REPO)"),
        row("environment tags moved on the remote", &["push"], 1)
            .setup(|r| {
                with_remote(r);
                let other = r.sibling("other");
                let remote = r.sibling("remote.git");
                let parent = r.root().parent().unwrap().to_path_buf();
                r.git_in(&parent, &["clone", "-q", remote.to_str().unwrap(), other.to_str().unwrap()]);
                r.prompt_in(&other, &["promote", "greet@1", "development"]).success();
                r.prompt_in(&other, &["push"]).success();
                r.prompt(&["promote", "greet@2", "development"]).success();
            })
            .error("environment tags moved on origin")
            .hint("run `prompt pull` to see the remote's promotions, then promote again if yours should win"),
        row("a push the remote rejected", &["push"], 1)
            .setup(|r| {
                with_remote(r);
                reject_all_pushes(&r.sibling("remote.git"));
                r.prompt(&["promote", "greet@2", "development"]).success();
            })
            .error("origin rejected the push"),
        row("an existing prompt for new", &["new", "greet", "--text", "Hi"], 1)
            .error("already exists")
            .hint("edit the file, or choose another id"),
        // 1: the environment, not the command line, is wrong.
        row("a removal refused without --force", &["rm", "greet"], 1)
            .error("`greet` is promoted to staging: demote it first"),
        row("no git identity", &["commit", "-m", "x"], 1)
            .setup(|r| r.write_prompt("greet", &text_prompt("Hey")))
            .how(How::NoIdentity)
            .error("git does not know who you are: user.email is not set"),
        row("no git program for push", &["push"], 1)
            .setup(with_remote)
            .how(How::NoGit)
            .error("cannot run `git` (needed for push and pull)"),
        row("a detached HEAD for push", &["push"], 1)
            .setup(|r| {
                with_remote(r);
                r.git(&["checkout", "-q", "--detach", "HEAD"]);
            })
            .error("HEAD is detached: check out a branch to push or pull"),
        row("an environment tag that is a symbolic reference", &["env", "history", "greet", "development"], 1)
            .setup(|r| {
                r.git(&["symbolic-ref", "refs/tags/greet@development", "refs/heads/main"]);
            })
            .error("the environment tag `greet@development` is broken: it is a symbolic reference"),
        // 2: a bad command line.
        row("an unknown command", &["frobnicate"], 2).error("unrecognized subcommand"),
        row("an unknown flag", &["list", "--frobnicate"], 2).error("unexpected argument"),
        row("a missing argument", &["show"], 2).error("required arguments were not provided"),
        row("an invalid id", &["show", "Bad"], 2).error("invalid prompt id `Bad`"),
        row("an invalid environment name", &["promote", "greet@1", "Prod"], 2)
            .error("invalid environment name `Prod`"),
        row("an invalid reference: version 0", &["show", "greet@0"], 2)
            .error("`greet@0` is not a valid reference"),
        row("an invalid reference: empty selector", &["show", "greet@"], 2)
            .error("`greet@` is not a valid reference"),
        row("an unknown remote", &["push", "nowhere"], 2).error("`nowhere` is not a remote"),
        row("a missing -m where no editor can open", &["commit"], 2)
            .setup(|r| r.write_prompt("greet", &text_prompt("Hey")))
            .error("-m MESSAGE"),
        row("new without content off a terminal", &["new", "x"], 2).error("--text"),
        row("a production change without --yes off a terminal", &["promote", "greet@2", "production"], 2)
            .error("production changes need confirmation: pass --yes"),
        row("an import payload that needs --id", &["import", "PHOENIX_VERSIONS", "--from", "phoenix", "--history"], 2)
            .error("pass --id ID"),
        row("a range with a second argument", &["diff", "HEAD~1..HEAD", "greet"], 2),
        row("a value without NAME=", &["render", "greet", "--var", "name"], 2)
            .error("--var `name`: expected NAME=VALUE"),
    ]
}

/// A remote whose hook refuses every push.
fn reject_all_pushes(remote: &Path) {
    let hook = remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Runs one row in `repo`.
fn run(repo: &TestRepo, row: &Row) -> Run {
    let fixture = format!(
        "{}/tests/fixtures/interchange/phoenix-versions.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let args: Vec<&str> = row
        .args
        .iter()
        .map(|a| {
            if *a == "PHOENIX_VERSIONS" {
                fixture.as_str()
            } else {
                a
            }
        })
        .collect();
    let bin = env!("CARGO_BIN_EXE_prompt");
    let output = match row.how {
        How::Plain => return repo.prompt(&args),
        How::Outside => {
            let outside = repo.sibling("outside");
            std::fs::create_dir_all(&outside).unwrap();
            return repo.prompt_in(&outside, &args);
        }
        How::NoIdentity => repo
            .command(bin, &repo.root())
            .args(&args)
            .env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .env_remove("GIT_COMMITTER_NAME")
            .env_remove("GIT_COMMITTER_EMAIL")
            // git's answer, on any machine: no guess from the host name.
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "user.useConfigOnly")
            .env("GIT_CONFIG_VALUE_0", "true")
            .output(),
        How::NoGit => {
            let empty = repo.sibling("empty-path");
            std::fs::create_dir_all(&empty).unwrap();
            repo.command(bin, &repo.root())
                .args(&args)
                .env("PATH", &empty)
                .output()
        }
        How::ClosedStdout => {
            // `true` has exited long before `prompt` writes, so the write finds no reader.
            let code_file = repo.sibling("exit-code");
            let script = "(sleep 0.3; \"$0\" \"$@\"; echo $? > \"$EXIT_CODE_FILE\") | true";
            let out = repo
                .command("sh", &repo.root())
                .args(["-c", script, bin])
                .args(&args)
                .env("EXIT_CODE_FILE", &code_file)
                .output()
                .expect("run sh");
            let code = std::fs::read_to_string(&code_file).expect("the pipeline wrote the code");
            return Run {
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                code: code.trim().parse().expect("an exit code"),
            };
        }
    };
    let out = output.expect("run prompt");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Checks a row's outcome; returns what is wrong, if anything.
fn judge(row: &Row, out: &Run) -> Option<String> {
    let mut wrong = Vec::new();
    if out.code != row.code {
        wrong.push(format!("exit {} (expected {})", out.code, row.code));
    }
    if row.code == 0 {
        if out.stderr.contains("error:") {
            wrong.push("an error on success".into());
        }
    } else if !row.error.is_empty()
        && !out
            .stderr
            .lines()
            .any(|l| l.starts_with("error: ") && l.contains(row.error))
    {
        wrong.push(format!("no `error: ` line holds {:?}", row.error));
    }
    let hint = out.stderr.lines().find_map(|l| l.strip_prefix("hint: "));
    if hint != row.hint {
        wrong.push(format!("hint {hint:?} (expected {:?})", row.hint));
    }
    if out.stderr.contains("panicked") {
        wrong.push("a panic".into());
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "{} (`prompt {}`): {}\nstderr:\n{}",
            row.case,
            row.args.join(" "),
            wrong.join("; "),
            out.stderr
        )
    })
}

/// What a failed command must not change: the branch, the tags and the working tree.
fn state(repo: &TestRepo) -> String {
    repo.git(&["status", "--porcelain", "--untracked-files=all"]) + &repo.git(&["show-ref"])
}

#[test]
fn every_documented_exit_code_and_hint() {
    let shared = registry();
    let before = state(&shared);
    let mut failures = Vec::new();
    for row in rows() {
        let out = match row.setup {
            None => {
                let out = run(&shared, &row);
                let after = state(&shared);
                if after != before {
                    failures.push(format!("{}: changed the registry:\n{after}", row.case));
                }
                out
            }
            Some(setup) => {
                let repo = registry();
                setup(&repo);
                run(&repo, &row)
            }
        };
        failures.extend(judge(&row, &out));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
