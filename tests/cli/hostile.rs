//! Hostile input: every file is a clear error naming the file (and line where there is one),
//! quickly, and nothing panics or hangs. Hostile templates and values are contained.

use std::time::{Duration, Instant};

use crate::common::{text_prompt, TestRepo};

/// Runs `check` on one hostile file and returns stdout, asserting exit 1 and no panic.
fn check_one(repo: &TestRepo, id: &str, bytes: &[u8]) -> String {
    let path = repo.root().join(format!("prompts/{id}.prompt.yaml"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let started = Instant::now();
    let out = repo.prompt(&["check", id]).code(1);
    // Not a benchmark: a generous bound that only a hang or an explosion would exceed.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{id} took {:?}",
        started.elapsed()
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out.stdout
}

#[test]
fn hostile_yaml_is_a_clear_error() {
    let repo = TestRepo::new();
    let bomb = {
        let mut s = String::from(
            "format: 1\ntemplate: x\nmetadata:\n  a: &a [x, x, x, x, x, x, x, x, x]\n",
        );
        for (i, prev) in ('b'..='j').zip('a'..) {
            s.push_str(&format!("  {i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        s
    };
    let deep = format!(
        "format: 1\ntemplate: x\nmetadata: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let huge = format!(
        "format: 1\ntemplate: |\n{}",
        "  line of text\n".repeat(100_000)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> =
        vec![
        ("bomb", bomb.into_bytes(), ":5:"),
        ("deep", deep.into_bytes(), ":3:110: error[schema]: nesting deeper than 100 levels"),
        ("huge", huge.into_bytes(), "over the limit of 1048576 bytes"),
        (
            "utf8",
            b"format: 1\ntemplate: caf\xe9\n".to_vec(),
            ":2:14: error[schema]: invalid UTF-8",
        ),
        (
            "nulbyte",
            b"format: 1\ntemplate: a\0b\n".to_vec(),
            ":2:12: error[schema]: NUL byte",
        ),
        (
            "docs",
            b"format: 1\ntemplate: a\n---\nformat: 1\n".to_vec(),
            ":3:1: error[schema]: a second YAML document",
        ),
        (
            "tag",
            b"format: 1\ntemplate: !!python/object:os.system x\n".to_vec(),
            ":2:11: error[schema]: the YAML tag",
        ),
        (
            "dupinput",
            b"format: 1\ninputs:\n  a: {type: string}\n  a: {type: number}\ntemplate: '{{a}}'\n"
                .to_vec(),
            ":4:3: error[schema]: duplicate key `a`",
        ),
        ("notamap", b"- just\n- a list\n".to_vec(), "error[schema]"),
        ("empty", b"".to_vec(), "error[schema]"),
    ];
    for (id, bytes, want) in cases {
        let out = check_one(&repo, id, &bytes);
        assert!(
            out.contains(&format!("prompts/{id}.prompt.yaml")),
            "{id}: {out}"
        );
        assert!(out.contains(want), "{id}: wanted {want:?} in\n{out}");
        std::fs::remove_file(repo.root().join(format!("prompts/{id}.prompt.yaml"))).unwrap();
    }
}

#[test]
fn crlf_and_bom_render_like_lf() {
    let repo = TestRepo::new();
    let lf = text_prompt("Hello");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    repo.write_prompt("lf", &lf);
    repo.write_prompt("crlf", &crlf);
    repo.prompt(&["check"]).success();
    let a = repo
        .prompt(&["render", "lf", "--var", "name=A"])
        .success()
        .stdout;
    let b = repo
        .prompt(&["render", "crlf", "--var", "name=A"])
        .success()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn hostile_templates_are_contained() {
    let repo = TestRepo::new();
    // A partial that includes itself: check names the cycle; render stops at the depth limit.
    repo.write_prompt("self", "format: 1\ntemplate: 'x{{> self}}'\n");
    repo.prompt(&["check", "self"])
        .code(1)
        .stdout_has("partials include each other: self → self");
    repo.prompt(&["render", "self"]).code(1).stderr_has("self");
    // Partial names are prompt ids: no path escapes.
    repo.write_prompt("escape", "format: 1\ntemplate: '{{> ../../etc/passwd}}'\n");
    repo.prompt(&["check", "escape"])
        .code(1)
        .stdout_has("is not a prompt id");
    repo.prompt(&["render", "escape", "--lenient"]).success();
    // Nested sections over a long list: the output cap stops it.
    repo.write_prompt(
        "boom",
        "format: 1\ninputs:\n  l: {type: array}\ntemplate: '{{#l}}{{#l}}{{#l}}{{#l}}xxxxxxxxxxxxxxxx{{/l}}{{/l}}{{/l}}{{/l}}'\n",
    );
    let list = format!("l=[{}]", vec!["1"; 200].join(","));
    let started = Instant::now();
    repo.prompt(&["render", "boom", "--var", &list])
        .code(1)
        .stderr_has("output");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Values are never rendered again.
    repo.write_prompt("v", &text_prompt("Hi"));
    repo.prompt(&["render", "v", "--var", "name={{#x}}{{> self}}{{/x}}"])
        .success()
        .stdout_has("Hi {{#x}}{{> self}}{{/x}}");
}

#[test]
fn hostile_names_never_touch_the_filesystem() {
    let repo = TestRepo::new();
    for bad in [
        "../x",
        "/etc/passwd",
        ".git/config",
        "a.lock",
        "x@{-1}",
        "CON",
        "con",
        "a\tb",
        "ａ",
        "a/../b",
    ] {
        for args in [
            vec!["show", bad],
            vec!["new", bad, "--text", "x"],
            vec!["log", bad],
        ] {
            let out = repo.prompt(&args);
            assert_ne!(out.code, 0, "{args:?}");
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        }
    }
    for bad in ["Prod", "latest", "a@{", "..", "x y"] {
        repo.prompt(&["promote", "a", bad]).code(2);
    }
    assert!(!repo.root().join("x.prompt.yaml").exists());
    assert_eq!(
        std::fs::read_dir(repo.root().join("prompts"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn repository_states_get_clear_messages() {
    let repo = TestRepo::new();
    for text in ["One", "Two", "Three"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    // Detached HEAD: reading works, and a commit moves HEAD itself.
    repo.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    repo.prompt(&["log", "greet"]).success().stdout_has("@2");
    repo.write_prompt("greet", &text_prompt("Detached"));
    // A commit on a detached HEAD is a draft on no branch, with a warning.
    repo.prompt(&["commit", "-m", "on a detached head"])
        .success()
        .stdout_has("greet: draft on no branch")
        .stderr_has("HEAD is detached");
    repo.prompt(&["push"])
        .code(1)
        .stderr_has("HEAD is detached");
    // A shallow clone says its history is incomplete.
    let shallow = repo.sibling("shallow");
    let url = format!("file://{}", repo.root().display());
    repo.git(&["checkout", "-q", "main"]);
    repo.git_in(
        repo.root().parent().unwrap(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    // A shallow clone cannot count versions: what needs numbers says so, with the fix.
    repo.prompt_in(&shallow, &["log", "greet"])
        .code(1)
        .stderr_has("shallow clone")
        .stderr_has("git fetch --unshallow");
    repo.prompt_in(&shallow, &["list"])
        .success()
        .stderr_has("shallow clone")
        .stderr_has("fetch-depth: 0");
}

#[test]
fn unreadable_repositories_say_why() {
    let repo = TestRepo::new();
    let reftable = repo.sibling("reftable");
    let made = repo
        .command("git", repo.root().parent().unwrap())
        .args([
            "init",
            "-q",
            "--ref-format=reftable",
            reftable.to_str().unwrap(),
        ])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        repo.prompt_in(&reftable, &["list"])
            .code(1)
            .stderr_has("reftable");
    } else {
        eprintln!("skipping reftable: this git cannot create one");
    }
    // Owned by another user: only testable as root, where chown works.
    let foreign = repo.sibling("foreign");
    repo.git_in(
        repo.root().parent().unwrap(),
        &["init", "-q", foreign.to_str().unwrap()],
    );
    let chowned = std::process::Command::new("chown")
        .args(["-R", "nobody", foreign.to_str().unwrap()])
        .status()
        .is_ok_and(|s| s.success());
    if chowned {
        repo.prompt_in(&foreign, &["list"])
            .code(1)
            .stderr_has("safe.directory");
    } else {
        eprintln!("skipping ownership: cannot chown here");
    }
}

/// `n` opening brackets, then `n` closing ones: `size` bytes of the deepest nesting.
fn brackets(size: usize) -> String {
    format!("{}{}", "[".repeat(size / 2), "]".repeat(size / 2))
}

#[test]
fn deep_nesting_is_refused_quickly_in_every_input() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "p",
        "format: 1\ninputs:\n  xs:\n    type: array\ntemplate: '{{#xs}}.{{/xs}}'\n",
    );
    let limit = "nesting deeper than 100 levels";
    for kb in [40, 80, 160] {
        let deep = brackets(kb * 1024);
        let timed = |what: &str, run: &dyn Fn() -> crate::common::Run| {
            let started = Instant::now();
            let out = run();
            let took = started.elapsed();
            // The quadratic parse took seconds at 40 KB; a linear one is milliseconds.
            assert!(
                took < Duration::from_secs(3),
                "{what} {kb} KB took {took:?}"
            );
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
            out
        };
        repo.write("vars.yaml", &format!("xs: {deep}\n"));
        timed("--vars", &|| {
            repo.prompt(&["render", "p", "--vars", "vars.yaml"])
        })
        .code(1)
        .stderr_has(&format!("vars.yaml:1:104: {limit}"));
        // Through a file: a command-line argument is limited to 128 KiB.
        repo.write("deep.json", &deep);
        timed("--var JSON", &|| {
            repo.prompt(&["render", "p", "--var", "xs=@deep.json"])
        })
        .code(1)
        .stderr_has(limit);
        repo.write("batch.jsonl", &format!("{{\"xs\": {deep}}}\n"));
        let out = timed("--batch", &|| {
            repo.prompt(&["render", "p", "--batch", "batch.jsonl", "-f", "json"])
        })
        .code(1);
        assert!(out.stdout.contains(limit), "{}", out.stdout);
        repo.write(
            "payload.json",
            &format!("{{\"name\": \"x\", \"deep\": {deep}}}"),
        );
        timed("import", &|| {
            repo.prompt(&["import", "payload.json", "--from", "phoenix"])
        })
        .code(1)
        .stderr_has(&format!("payload.json:1:{}: {limit}", 23 + 99));
        repo.write(
            "deep.prompt",
            &format!("---\nmodel: x\nconfig: {deep}\n---\nHello\n"),
        );
        timed("dotprompt front matter", &|| {
            repo.prompt(&["import", "deep.prompt", "--from", "dotprompt"])
        })
        .code(1)
        .stderr_has(&format!("the front matter, line 2: {limit}"));
        repo.write_prompt(
            "deep",
            &format!("format: 1\ntemplate: x\nmetadata: {deep}\n"),
        );
        timed("prompt file", &|| repo.prompt(&["check", "deep"]))
            .code(1)
            .stdout_has(&format!("deep.prompt.yaml:3:110: error[schema]: {limit}"));
        std::fs::remove_file(repo.root().join("prompts/deep.prompt.yaml")).unwrap();
        let config = repo.read(".prompts.yaml");
        repo.write(".prompts.yaml", &format!("{config}x_deep: {deep}\n"));
        timed(".prompts.yaml", &|| repo.prompt(&["list"]))
            .code(1)
            .stderr_has(limit);
        repo.write(".prompts.yaml", &config);
    }
    // Below the limit, nesting is data like any other.
    let nested = format!("{}1{}", "[".repeat(60), "]".repeat(60));
    repo.prompt(&["render", "p", "--var", &format!("xs={nested}")])
        .success();
}

/// Forty AWS-style secret access keys: 30 bytes of SHA-1 output each, in base64 (40 characters,
/// `/` and `+` included), the same on every run.
fn aws_keys() -> Vec<String> {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..40)
        .map(|i| {
            let digest = |s: String| sha1_smol::Sha1::from(s).digest().bytes();
            let mut raw = digest(format!("key {i}")).to_vec();
            raw.extend_from_slice(&digest(format!("more {i}"))[..10]);
            raw.chunks(3)
                .flat_map(|c| {
                    let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
                    [18, 12, 6, 0].map(|shift| BASE64[((n >> shift) & 63) as usize] as char)
                })
                .collect()
        })
        .collect()
}

#[test]
fn check_finds_every_labelled_aws_secret_key() {
    let repo = TestRepo::new();
    let keys = aws_keys();
    let labels = [
        "aws_secret_access_key=",
        "AWS_SECRET_ACCESS_KEY: ",
        "secret_access_key = ",
    ];
    let mut template = String::new();
    for (i, key) in keys.iter().enumerate() {
        template.push_str(&format!("  {}{key}\n", labels[i % labels.len()]));
    }
    repo.write_prompt("leaky", &format!("format: 1\ntemplate: |\n{template}"));
    let out = repo.prompt(&["check", "leaky"]).code(1);
    let found = out
        .stdout
        .lines()
        .filter(|l| l.contains("an AWS secret access key"))
        .count();
    assert_eq!(found, 40, "{}", out.stdout);
    for key in &keys {
        assert!(
            !out.stdout.contains(&key[4..]),
            "a key is echoed: {}",
            out.stdout
        );
    }
}

#[test]
fn render_errors_never_echo_a_secret() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "p",
        "format: 1\ninputs:\n  n:\n    type: integer\n  tone:\n    type: string\n    enum: [a, b]\n\
         template: '{{n}} {{tone}}'\n",
    );
    let token = format!("ghp_{}", "Zx9Qm2Lp7Vt4".repeat(3));
    let key_id = "AKIAZ7QW3ERT5YUI9OPA";
    for (var, value) in [
        ("n", token.as_str()),
        ("tone", token.as_str()),
        ("n", key_id),
    ] {
        let assignment = format!("{var}={value}");
        let other = if var == "n" { "tone=a" } else { "n=1" };
        let out = repo
            .prompt(&["render", "p", "--var", &assignment, "--var", other])
            .code(1)
            .stderr_has("characters that looks like")
            .stderr_has("redacted");
        assert!(!out.stderr.contains(&value[6..]), "{}", out.stderr);
        let line = if var == "n" {
            format!("{{\"n\": \"{value}\", \"tone\": \"a\"}}\n")
        } else {
            format!("{{\"n\": 1, \"tone\": \"{value}\"}}\n")
        };
        repo.write("batch.jsonl", &line);
        let out = repo
            .prompt(&["render", "p", "--batch", "batch.jsonl", "-f", "json"])
            .code(1);
        assert!(out.stdout.contains("redacted"), "{}", out.stdout);
        assert!(!out.stdout.contains(&value[6..]), "{}", out.stdout);
        assert!(!out.stderr.contains(&value[6..]), "{}", out.stderr);
    }
    // Ordinary values are still shown, so that a typo can be seen.
    repo.prompt(&["render", "p", "--var", "n=twelve", "--var", "tone=a"])
        .code(1)
        .stderr_has("`twelve` is not a whole number");
}

#[test]
fn control_characters_from_files_never_reach_the_terminal_raw() {
    let repo = TestRepo::new();
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "-m", "registry"]);
    let title = "\\e]0;owned\\a";
    let clear = "\\e[2J\\e[H";
    repo.write_prompt(
        "p",
        &format!(
            "format: 1\nname: \"x{clear}\"\nmodel:\n  provider: \"{title}\"\n  name: \"{clear}\"\n\
             template: \"one{clear}\"\n"
        ),
    );
    repo.prompt(&["commit", "-m", "first\u{1b}]0;title\u{7}"])
        .success();
    repo.write_prompt(
        "p",
        &format!(
            "format: 1\nmodel:\n  provider: \"{title}\"\n  name: m\ntemplate: \"two{clear}\"\n"
        ),
    );
    repo.prompt(&["commit", "-m", "second"]).success();
    repo.prompt(&["promote", "p@1", "staging", "-m", "note\u{1b}[2J"])
        .success();
    // A file whose name is not an id, reported by `check` and `list`.
    repo.write(
        "prompts/bad\u{1b}[2J.prompt.yaml",
        "format: 1\ntemplate: x\n",
    );
    repo.write("batch.jsonl", "{\"\\u001b]0;owned\\u0007\": 1}\n");
    // Each command, and whether it shows something of the escaped text.
    let runs: [(&[&str], bool); 9] = [
        (&["render", "p@1", "--batch", "batch.jsonl"], true),
        (&["list"], true),
        (&["env"], false),
        (&["log", "p"], true),
        (&["log"], true),
        (&["diff", "p@1", "p@2"], true),
        (&["check"], true),
        (&["env", "history", "p", "staging"], true),
        (&["show", "p@1", "--json"], true),
    ];
    for (args, shown) in runs {
        let out = repo.prompt(args);
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{args:?} {stream} has a raw control character:\n{text}"
            );
        }
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            !shown || all.contains("\\u{1b}") || all.contains("\\u001b"),
            "{args:?} shows nothing of the escape:\n{all}"
        );
    }
}

#[test]
fn deep_long_keys_check_in_memory_linear_in_the_file() {
    // Issue 24 item 14: 60 nested 1,000-character keys, then a flow mapping of many short
    // keys. The position table stored every node's whole path (60 KB each here): 3.4 GB for
    // this 512 KiB file. Under a 1 GiB address-space limit it must check, positions right.
    let repo = TestRepo::new();
    let mut text = String::from("format: 1\ntemplate: \"hi {{\"\nmetadata:\n");
    for level in 0..59u8 {
        let key = char::from(b'a' + level % 26).to_string().repeat(1000);
        text.push_str(&format!("{}{key}:\n", "  ".repeat(usize::from(level) + 1)));
    }
    text.push_str(&format!("{}{{", "  ".repeat(60)));
    let mut i = 0;
    while text.len() < 512 << 10 {
        text.push_str(&format!("k{i}: {i}, "));
        i += 1;
    }
    text.push_str("end: 0}\n");
    repo.write_prompt("deep", &text);
    let out = repo
        .command("sh", &repo.root())
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" check deep"])
        .arg(env!("CARGO_BIN_EXE_prompt"))
        .output()
        .expect("run sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("prompts/deep.prompt.yaml:2:15: error[template-syntax]: unclosed tag"),
        "{stdout}\n{stderr}"
    );
}
