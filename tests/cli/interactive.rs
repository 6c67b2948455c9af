//! Interactive flows, run in a pseudo-terminal (`script` from util-linux): `new` asks for what the
//! flags did not give, `commit` lets you pick prompts and write the message, and production moves
//! ask for confirmation. Off a terminal the same commands never ask (tested elsewhere).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{text_prompt, Run, TestRepo};

/// What `prompt ARGS` prints on a pseudo-terminal `cols` columns wide; `None` when `script`
/// (util-linux) is not installed.
fn at_width(repo: &TestRepo, cols: usize, args: &[&str]) -> Option<String> {
    let line = format!(
        "stty cols {cols} rows 30; {} {}",
        env!("CARGO_BIN_EXE_prompt"),
        args.join(" ")
    );
    let Ok(out) = repo
        .command("script", &repo.root())
        .args(["-qfec", &line, "/dev/null"])
        .env("TERM", "xterm")
        .output()
    else {
        eprintln!("skipping: `script` (util-linux) is not installed");
        return None;
    };
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `prompt ARGS` on a pseudo-terminal, typing `keys` one group at a time, with `editor` as
/// the editor. `None` when `script` is not installed.
fn on_terminal(repo: &TestRepo, args: &[&str], keys: &[&str], editor: &str) -> Option<Run> {
    let steps: Vec<(&str, &str)> = keys.iter().map(|k| ("", *k)).collect();
    on_terminal_when(repo, args, &steps, editor)
}

/// `on_terminal`, each key typed once the program has drawn its question and, when the step names
/// a text, once that text has appeared (for a question that comes after an editor, whose run
/// can pause the output longer than a question's drawing does).
fn on_terminal_when(
    repo: &TestRepo,
    args: &[&str],
    steps: &[(&str, &str)],
    editor: &str,
) -> Option<Run> {
    let script_ok = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !script_ok {
        eprintln!("skipping: `script` (util-linux) is not installed");
        return None;
    }
    let line = std::iter::once(env!("CARGO_BIN_EXE_prompt").to_string())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = repo
        .command("script", &repo.root())
        .args(["-qfec", &line, "/dev/null"])
        .env("GIT_EDITOR", editor)
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = Collector::start(child.stdout.take().unwrap());
    let stderr = Collector::start(child.stderr.take().unwrap());
    // Each key is typed once the program has drawn its question: new output has appeared since
    // the last key and then nothing more for a moment. A key that draws nothing costs the
    // timeout, never a failure.
    let mut seen = 0;
    for (text, k) in steps {
        if !text.is_empty() {
            stdout.wait_for_text(seen, text);
        }
        seen = stdout.wait_for_quiet(seen);
        // A program that ended early (a failure the test then reports) takes no more keys.
        if stdin
            .write_all(k.as_bytes())
            .and_then(|()| stdin.flush())
            .is_err()
        {
            break;
        }
    }
    // Keep the terminal open until the program is done with the last key (closing `script`'s
    // input early would hang up on it).
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(stdin);
    let status = child.wait().unwrap();
    Some(Run {
        stdout: stdout.finish(),
        stderr: stderr.finish(),
        code: status.code().unwrap_or(-1),
    })
}

/// Output of a child read on a thread as it comes, so a test can wait for the program to draw.
struct Collector {
    bytes: Arc<Mutex<Vec<u8>>>,
    thread: std::thread::JoinHandle<()>,
}

impl Collector {
    fn start(mut from: impl Read + Send + 'static) -> Collector {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&bytes);
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = from.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Collector { bytes, thread }
    }

    fn len(&self) -> usize {
        self.bytes.lock().unwrap().len()
    }

    /// Waits until there is output beyond `seen` and it has been still for 50 ms (at most 5 s);
    /// returns the length then.
    fn wait_for_quiet(&self, seen: usize) -> usize {
        let started = Instant::now();
        let mut last = self.len();
        let mut still_since = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
            let now = self.len();
            if now != last {
                last = now;
                still_since = Instant::now();
            } else if now > seen && still_since.elapsed() >= Duration::from_millis(50) {
                break;
            }
        }
        last
    }

    /// Waits until `text` appears after the first `seen` bytes (at most 10 s).
    fn wait_for_text(&self, seen: usize, text: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let bytes = self.bytes.lock().unwrap();
            let tail = String::from_utf8_lossy(&bytes[seen.min(bytes.len())..]).into_owned();
            drop(bytes);
            if tail.contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn finish(self) -> String {
        self.thread.join().unwrap();
        let bytes = self.bytes.lock().unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// An editor that writes the given texts, one per call.
fn fake_editor(repo: &TestRepo, texts: &[&str]) -> String {
    let dir = repo.sibling("editor");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("text{}", i + 1)), t).unwrap();
    }
    let counter = dir.join("count");
    write_script(
        &dir,
        &format!(
            "n=$(cat '{c}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{c}'\ncat '{d}/text'$n > \"$1\"\n",
            c = counter.display(),
            d = dir.display()
        ),
    )
}

/// Writes an executable `edit.sh` with `body` in `dir`; returns its path.
fn write_script(dir: &std::path::Path, body: &str) -> String {
    let script = dir.join("edit.sh");
    std::fs::write(&script, format!("#!/bin/sh\n{body}")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    script.display().to_string()
}

#[test]
fn new_asks_for_what_the_flags_did_not_give() {
    let repo = TestRepo::new();
    let editor = fake_editor(
        &repo,
        &["You help with {{topic}}.\n", "Tell me about {{topic}}.\n"],
    );
    // Enter three times: chat, the default provider, the default model; then two editors.
    let Some(out) = on_terminal(&repo, &["new", "help/topic"], &["\r", "\r", "\r"], &editor) else {
        return;
    };
    assert_eq!(out.code, 0, "{}", out.stdout);
    let text = repo.read("prompts/help/topic.prompt.yaml");
    assert!(
        text.contains("provider: openai") && text.contains("name: gpt-4o-mini"),
        "{text}"
    );
    assert!(
        text.contains("  - role: system\n    content: |\n      You help with {{topic}}.\n"),
        "{text}"
    );
    assert!(text.contains("  topic:\n    type: string\n"), "{text}");
    repo.prompt(&["check", "help/topic"]).success();
}

#[test]
fn commit_lets_you_pick_prompts_and_write_the_message() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.write_prompt("b", &text_prompt("B"));
    let editor = fake_editor(&repo, &["Only b, picked by hand\n\n# a comment line\n"]);
    // Space unticks the first (a), enter confirms; then the editor writes the message.
    let Some(out) = on_terminal(&repo, &["commit"], &[" ", "\r"], &editor) else {
        return;
    };
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%B"]),
        "Only b, picked by hand\n\n"
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "prompts/b.prompt.yaml\n"
    );
}

#[test]
fn production_asks_for_confirmation_on_a_terminal() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "a"]).success();
    let Some(no) = on_terminal(&repo, &["promote", "a", "production"], &["n\r"], "true") else {
        return;
    };
    assert_eq!(no.code, 1, "{}", no.stdout);
    assert!(no.stdout.contains("not confirmed"), "{}", no.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "");
    // A key alone never acts: `y` without Enter, then Ctrl-C, changes nothing.
    let key = on_terminal(
        &repo,
        &["promote", "a", "production"],
        &["y", "\x03"],
        "true",
    )
    .unwrap();
    assert_eq!(key.code, 130, "{}", key.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "");
    // An answer that is neither yes nor no asks again.
    let again = on_terminal(
        &repo,
        &["promote", "a", "production"],
        &["yep\r", "N\r"],
        "true",
    )
    .unwrap();
    assert_eq!(again.code, 1, "{}", again.stdout);
    assert!(again.stdout.contains("answer y or yes"), "{}", again.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "");
    // `yes` typed at once, Enter included, is one answer: the whole line is read.
    let yes = on_terminal(&repo, &["promote", "a", "production"], &["yes\r"], "true").unwrap();
    assert_eq!(yes.code, 0, "{}", yes.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "a@production\n");
    let y = on_terminal(&repo, &["demote", "a", "production"], &["Y\r"], "true").unwrap();
    assert_eq!(y.code, 0, "{}", y.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "");
}

#[test]
fn long_log_goes_through_the_pager_on_a_terminal() {
    let repo = TestRepo::new();
    for text in ["One", "Two"] {
        repo.write_prompt("a", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    let paged = repo.sibling("paged.txt");
    let pager = format!("cat > '{}'", paged.display());
    let run = |args: &[&str]| {
        let line = std::iter::once(env!("CARGO_BIN_EXE_prompt").to_string())
            .chain(args.iter().map(|a| a.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        repo.command("script", &repo.root())
            .args(["-qfec", &line, "/dev/null"])
            .env("GIT_PAGER", &pager)
            .output()
    };
    if run(&["--version"]).is_err() {
        eprintln!("skipping: `script` (util-linux) is not installed");
        return;
    }
    run(&["log", "a"]).unwrap();
    let text = std::fs::read_to_string(&paged).unwrap_or_default();
    assert!(text.contains("@2") && text.contains("@1"), "{text:?}");
    std::fs::remove_file(&paged).unwrap();
    let out = run(&["--no-pager", "log", "a"]).unwrap();
    assert!(!paged.exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("@2"));
    // Piped output never pages.
    repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .env("GIT_PAGER", &pager)
        .args(["log", "a"])
        .output()
        .unwrap();
    assert!(!paged.exists());
}

/// An editor that writes `text` above what it was given (so the help block below the scissors
/// line stays, as when a person types at the top), and keeps a copy of what it was given.
fn typing_editor(repo: &TestRepo, text: &str) -> String {
    let dir = repo.sibling("typing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("text"), text).unwrap();
    write_script(
        &dir,
        &format!(
            "cp \"$1\" '{d}/given'\n{{ cat '{d}/text'; cat \"$1\"; }} > '{d}/out'\n\
             cat '{d}/out' > \"$1\"\n",
            d = dir.display()
        ),
    )
}

#[test]
fn new_keeps_markdown_headings_and_drops_only_the_help_below_the_scissors() {
    let repo = TestRepo::new();
    let editor = typing_editor(
        &repo,
        "# Role\nYou sort {{ticket}}.\n\n# Rules\n- Be brief.\n",
    );
    // Down arrow picks "text", then the default provider and model.
    let Some(out) = on_terminal(
        &repo,
        &["new", "triage"],
        &["\x1b[B", "\r", "\r", "\r"],
        &editor,
    ) else {
        return;
    };
    assert_eq!(out.code, 0, "{}", out.stdout);
    let given = std::fs::read_to_string(repo.sibling("typing").join("given")).unwrap();
    assert!(
        given.contains("# ------------------------ >8 ------------------------\n"),
        "{given}"
    );
    let text = repo.read("prompts/triage.prompt.yaml");
    assert!(
        text.contains(
            "template: |\n  # Role\n  You sort {{ticket}}.\n\n  # Rules\n  - Be brief.\n"
        ),
        "{text}"
    );
    assert!(
        !text.contains(">8") && !text.contains("Do not modify"),
        "{text}"
    );
    repo.prompt(&["check", "triage"]).success();
}

/// The last cursor command in `screen` shows the cursor (or none was ever hidden).
fn cursor_shown(screen: &str) -> bool {
    match (screen.rfind("\x1b[?25l"), screen.rfind("\x1b[?25h")) {
        (Some(hidden), Some(shown)) => shown > hidden,
        (Some(_), None) => false,
        _ => true,
    }
}

#[test]
fn ctrl_c_at_any_question_restores_the_terminal_and_exits_130_changing_nothing() {
    let repo = TestRepo::new();
    // The kind picker of `new`.
    let Some(out) = on_terminal(&repo, &["new", "x"], &["\x03"], "true") else {
        return;
    };
    assert_eq!(out.code, 130, "{:?}", out.stdout);
    assert!(cursor_shown(&out.stdout), "{:?}", out.stdout);
    assert!(!out.stdout.contains("error:"), "{:?}", out.stdout);
    assert!(!repo.root().join("prompts/x.prompt.yaml").exists());

    // A text question of `new`.
    let out = on_terminal(&repo, &["new", "x"], &["\r", "\x03"], "true").unwrap();
    assert_eq!(out.code, 130, "{:?}", out.stdout);
    assert!(cursor_shown(&out.stdout), "{:?}", out.stdout);
    assert!(!repo.root().join("prompts/x.prompt.yaml").exists());

    // The commit picker.
    repo.write_prompt("a", &text_prompt("A"));
    repo.write_prompt("b", &text_prompt("B"));
    let before = repo.git(&["rev-list", "--all", "--count"]);
    let out = on_terminal(&repo, &["commit"], &["\x03"], "true").unwrap();
    assert_eq!(out.code, 130, "{:?}", out.stdout);
    // The ticked list stays on screen: the last line says that nothing was committed.
    let last = out.stdout.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.contains("interrupted: nothing was changed"),
        "{:?}",
        out.stdout
    );
    assert!(cursor_shown(&out.stdout), "{:?}", out.stdout);
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), before);

    // The production confirmation.
    repo.prompt(&["commit", "-m", "a and b"]).success();
    let out = on_terminal(&repo, &["promote", "a", "production"], &["\x03"], "true").unwrap();
    assert_eq!(out.code, 130, "{:?}", out.stdout);
    assert!(cursor_shown(&out.stdout), "{:?}", out.stdout);
    assert_eq!(repo.git(&["tag", "-l"]), "");
}

/// A registry with one prompt whose id and model name are long (`customer-support/refund-reply`,
/// `anthropic/claude-sonnet-4-5-20250929`), not yet committed: what table-width tests lay out.
fn repo_with_a_long_id_and_model() -> TestRepo {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "customer-support/refund-reply",
        "--provider",
        "anthropic",
        "--model",
        "claude-sonnet-4-5-20250929",
        "--text",
        "Refund {{order}}",
    ])
    .success();
    repo
}

#[test]
fn tables_at_80_columns_keep_ids_and_models_whole_without_rules_between_rows() {
    let repo = repo_with_a_long_id_and_model();
    repo.write_prompt("triage", &text_prompt("T"));
    repo.prompt(&["commit", "-m", "both"]).success();
    for command in ["list", "env"] {
        let Some(text) = at_width(&repo, 80, &[command]) else {
            return;
        };
        assert!(
            text.contains("customer-support/refund-reply "),
            "{command}:\n{text}"
        );
        if command == "list" {
            assert!(
                text.contains("anthropic/claude-sonnet-4-5-20250929"),
                "{text}"
            );
        } else {
            assert!(text.contains("production"), "{text}");
        }
        for l in text.lines() {
            assert!(console_width(l) <= 80, "{command}: too wide: {l:?}");
        }
        // One rule above and below, one under the header: none between rows.
        let rules = text
            .lines()
            .filter(|l| l.contains("──") || l.contains("══"))
            .count();
        assert_eq!(rules, 3, "{command}:\n{text}");
    }
}

fn console_width(line: &str) -> usize {
    line.trim_end_matches('\r').chars().count()
}

#[test]
fn the_commit_picker_lists_prompts_by_id() {
    let repo = TestRepo::new();
    repo.write_prompt("triage-v2", &text_prompt("Two"));
    repo.write_prompt("triage", &text_prompt("One"));
    let Some(out) = on_terminal(&repo, &["commit"], &["\x03"], "true") else {
        return;
    };
    assert_eq!(out.code, 130, "{:?}", out.stdout);
    let first = out.stdout.find("triage (").expect("triage listed");
    let second = out.stdout.find("triage-v2 (").expect("triage-v2 listed");
    assert!(first < second, "{:?}", out.stdout);
}

#[test]
fn a_narrow_terminal_says_which_columns_it_left_out() {
    let repo = repo_with_a_long_id_and_model();
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.prompt(&["promote", "customer-support/refund-reply", "staging"])
        .success();
    for command in ["list", "env"] {
        let Some(text) = at_width(&repo, 50, &[command]) else {
            return;
        };
        for l in text.lines() {
            assert!(console_width(l) <= 50, "{command}: too wide: {l:?}");
        }
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("columns hidden (") || joined.contains("column hidden ("),
            "{command}: no note of hidden columns:\n{text}"
        );
        assert!(
            joined.contains("widen the terminal or use --json"),
            "{text}"
        );
    }
}

#[test]
fn log_wraps_a_long_list_of_prompts_at_the_terminal_width() {
    let repo = TestRepo::new();
    for i in 0..12 {
        repo.write_prompt(&format!("some-folder/prompt-number-{i}"), &text_prompt("T"));
    }
    repo.prompt(&["commit", "-m", "many"]).success();
    let Some(text) = at_width(&repo, 60, &["--no-pager", "log"]) else {
        return;
    };
    let listed: Vec<&str> = text.lines().filter(|l| l.starts_with("    ")).collect();
    assert!(listed.len() > 2, "{text}");
    for l in &listed {
        assert!(console_width(l) <= 60, "too wide: {l:?}");
    }
    assert_eq!(text.matches("@1").count(), 12, "{text}");
    // Off a terminal, one line per commit, as scripts read it.
    let plain = repo.prompt(&["log"]).success();
    assert_eq!(plain.stdout.lines().count(), 2, "{}", plain.stdout);
}

/// An editor that keeps a copy of what it was given on its Nth call (`given{N}`) and writes the
/// Nth text above the scissors line it was given; a text `FAIL` makes that call exit 1 instead,
/// as an editor quit with an error (`:cq`) does, and `INT` sends SIGINT to the terminal's
/// process group, as Ctrl-C does while an editor that leaves signals on (`code --wait`) runs.
fn recording_editor(repo: &TestRepo, name: &str, texts: &[&str]) -> (String, std::path::PathBuf) {
    let dir = repo.sibling(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("text{}", i + 1)), t).unwrap();
    }
    let script = write_script(
        &dir,
        &format!(
            "n=$(cat '{d}/count' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{d}/count'\n\
             cp \"$1\" '{d}/given'$n\n\
             if [ \"$(cat '{d}/text'$n)\" = FAIL ]; then exit 1; fi\n\
             if [ \"$(cat '{d}/text'$n)\" = INT ]; then kill -INT 0; sleep 5; fi\n\
             {{ cat '{d}/text'$n; sed -n '/^# -* >8 -*$/,$p' \"$1\"; }} > '{d}/out'\n\
             cat '{d}/out' > \"$1\"\n",
            d = dir.display()
        ),
    );
    (script, dir)
}

#[test]
fn new_reports_a_template_error_as_soon_as_the_text_is_written_and_opens_it_again() {
    let repo = TestRepo::new();
    let (editor, given) = recording_editor(
        &repo,
        "fixing",
        &[
            "You help with {{topic}.\n",
            "You help with {{topic}}.\n",
            "Tell me about {{topic}}.\n",
        ],
    );
    // Chat, the default provider and model; then "edit it again" at the error.
    let Some(out) = on_terminal_when(
        &repo,
        &["new", "help/topic"],
        &[("", "\r"), ("", "\r"), ("", "\r"), ("What next", "\r")],
        &editor,
    ) else {
        return;
    };
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("the system message has an error at line 1, column 15"),
        "{}",
        out.stdout
    );
    // The second editor was the system message again, with the typo and the error under it:
    // the user message was not asked before the error was shown.
    let second = std::fs::read_to_string(given.join("given2")).unwrap();
    assert!(second.starts_with("You help with {{topic}.\n"), "{second}");
    assert!(
        second.contains("# Error: the system message has an error at line 1, column 15"),
        "{second}"
    );
    let third = std::fs::read_to_string(given.join("given3")).unwrap();
    assert!(third.contains("Write the user message"), "{third}");
    let text = repo.read("prompts/help/topic.prompt.yaml");
    assert!(
        text.contains("content: |\n      You help with {{topic}}.\n"),
        "{text}"
    );
    assert!(
        text.contains("content: |\n      Tell me about {{topic}}.\n"),
        "{text}"
    );
    repo.prompt(&["check", "help/topic"]).success();
    // Nothing is left behind once the prompt exists.
    assert!(!repo.root().join(".git/prompt-new").exists());
}

#[test]
fn abandoning_new_keeps_the_texts_says_where_and_creates_nothing() {
    let repo = TestRepo::new();
    let kept = repo.root().join(".git/prompt-new/help/topic");
    let status = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
    let (editor, _) = recording_editor(
        &repo,
        "abandon",
        &["You help with {{topic}}.\n", "Tell me about {{topic.\n"],
    );
    // Chat, defaults; at the error in the user message, the second choice: abandon.
    let Some(out) = on_terminal_when(
        &repo,
        &["new", "help/topic"],
        &[
            ("", "\r"),
            ("", "\r"),
            ("", "\r"),
            ("What next", "\x1b[B"),
            ("", "\r"),
        ],
        &editor,
    ) else {
        return;
    };
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(!repo.root().join("prompts/help/topic.prompt.yaml").exists());
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=all"]),
        status
    );
    let said = out.stdout.replace("\r\n", "\n");
    assert!(
        said.contains(&format!("what you wrote is kept in {}/", kept.display())),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(kept.join("system.txt")).unwrap(),
        "You help with {{topic}}.\n"
    );
    assert_eq!(
        std::fs::read_to_string(kept.join("user.txt")).unwrap(),
        "Tell me about {{topic.\n"
    );

    // Ctrl-C at the same question keeps them too, and says where.
    std::fs::remove_dir_all(repo.sibling("abandon")).unwrap();
    let (editor, _) = recording_editor(&repo, "abandon", &["", "Still {{topic.\n"]);
    let out = on_terminal_when(
        &repo,
        &["new", "help/topic"],
        &[("", "\r"), ("", "\r"), ("", "\r"), ("What next", "\x03")],
        &editor,
    )
    .unwrap();
    assert_eq!(out.code, 130, "{}", out.stdout);
    assert!(
        out.stdout.contains("what you wrote is kept in"),
        "{}",
        out.stdout
    );
    assert!(!repo.root().join("prompts/help/topic.prompt.yaml").exists());
    // The next run started from the kept texts: the editor opened on them.
    let given = std::fs::read_to_string(repo.sibling("abandon").join("given1")).unwrap();
    assert!(given.starts_with("You help with {{topic}}.\n"), "{given}");
    assert!(out
        .stdout
        .contains("starting from what an earlier run kept"));
    // (The editor above wrote an empty system message: that text is skipped and dropped.)
    assert!(!kept.join("system.txt").exists());
    assert_eq!(
        std::fs::read_to_string(kept.join("user.txt")).unwrap(),
        "Still {{topic.\n"
    );

    // An editor that fails keeps what was written before it.
    std::fs::remove_dir_all(repo.sibling("abandon")).unwrap();
    let (editor, _) = recording_editor(&repo, "abandon", &["You help.\n", "FAIL"]);
    let out = on_terminal(&repo, &["new", "help/topic"], &["\r", "\r", "\r"], &editor).unwrap();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("failed (exit status: 1)"),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(kept.join("system.txt")).unwrap(),
        "You help.\n"
    );
    assert!(!repo.root().join("prompts/help/topic.prompt.yaml").exists());

    // Ctrl-C while the editor runs: the signal ends `prompt` too, and it still says where.
    std::fs::remove_dir_all(repo.sibling("abandon")).unwrap();
    let (editor, _) = recording_editor(&repo, "interrupted", &["You help.\n", "INT"]);
    let int = on_terminal(&repo, &["new", "help/topic"], &["\r", "\r", "\r"], &editor).unwrap();
    assert_eq!(int.code, 130, "{}", int.stdout);
    assert!(
        int.stdout.contains("interrupted: nothing was changed"),
        "{}",
        int.stdout
    );
    assert!(
        int.stdout.contains("what you wrote is kept in"),
        "{}",
        int.stdout
    );
    assert!(!repo.root().join("prompts/help/topic.prompt.yaml").exists());

    // The command it prints creates the prompt from the files once they are fixed.
    std::fs::write(kept.join("user.txt"), "Tell me about {{topic}}.\n").unwrap();
    let said = out.stdout.replace("\r\n", "\n");
    let resume = said
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("prompt new help/topic --"))
        .unwrap_or_else(|| panic!("no command to resume in {said}"));
    assert!(resume.contains("--user"), "{resume}");
    let line = resume.replacen("prompt", env!("CARGO_BIN_EXE_prompt"), 1);
    let ran = repo
        .command("sh", &repo.root())
        .args(["-c", &line])
        .output()
        .unwrap();
    assert!(ran.status.success(), "{ran:?}");
    let text = repo.read("prompts/help/topic.prompt.yaml");
    assert!(text.contains("content: You help.\n"), "{text}");
    assert!(
        text.contains("content: Tell me about {{topic}}.\n"),
        "{text}"
    );
    repo.prompt(&["check", "help/topic"]).success();
    assert!(!repo.root().join(".git/prompt-new").exists());
}

#[test]
fn bundle_on_a_terminal_without_an_output_asks_for_one() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "a"]).success();
    let Some(out) = on_terminal(&repo, &["bundle", "--env", "staging"], &[], "true") else {
        return;
    };
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("pass -o FILE"), "{}", out.stdout);
}
