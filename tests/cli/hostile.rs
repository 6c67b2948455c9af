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
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb", bomb.into_bytes(), ":5:"),
        ("deep", deep.into_bytes(), "recursion limit exceeded"),
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
    repo.prompt(&["commit", "-m", "on a detached head"])
        .success()
        .stdout_has("greet: version 3");
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
    repo.prompt_in(&shallow, &["log", "greet"])
        .success()
        .stderr_has("shallow clone");
    repo.prompt_in(&shallow, &["list"])
        .success()
        .stderr_has("shallow clone");
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
