//! The GitHub Action (action.yml): its shell steps (scripts/action/*.sh) run as the action runs
//! them, against a pull-request checkout of a scratch repository with a bare remote, and the
//! comment step against a stand-in for GitHub's API on 127.0.0.1 that records every call: the
//! review is posted once and updated in place the second time, found by its marker even past
//! the first page of comments.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use crate::common::{Run, TestRepo};

/// Whether bash, curl and jq are here (GitHub's runners have them); else the test says it skips,
/// unless PROMPT_REQUIRE_ACTION_TOOLS is set (`.ci/run` sets it), then it fails.
fn tools_ready() -> bool {
    let found = ["bash", "curl", "jq"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found {
        assert!(
            std::env::var_os("PROMPT_REQUIRE_ACTION_TOOLS").is_none(),
            "bash, curl and jq are needed for the action's scripts"
        );
        eprintln!("skipping: the action's scripts need bash, curl and jq");
    }
    found
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/action")
        .join(name)
}

/// Runs one of the action's scripts in `cwd` with the sealed environment plus `env`.
fn run_script(repo: &TestRepo, cwd: &Path, name: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = repo.command("bash", cwd);
    cmd.arg(script(name))
        .env("PROMPT", env!("CARGO_BIN_EXE_prompt"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run the script"))
}

const REPLY: &str = "format: 1
model:
  provider: openai
  name: gpt-4o
inputs:
  ticket:
    type: string
messages:
  - role: user
    content: \"Reply to {{ticket}}\"
samples:
  refund:
    ticket: I want my money back.
";

/// A repository whose `main` and `feature` are pushed to a bare remote, and a clone of that
/// remote checked out at `feature` as a pull-request job sees it (detached, only `feature`
/// fetched: the base comes from `origin` when the review asks for it).
fn pull_request_checkout() -> (TestRepo, PathBuf) {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "Registry"]);
    repo.write_prompt("support/reply", REPLY);
    repo.prompt(&["commit", "-m", "Reply prompt"]).success();
    let remote = repo.bare_origin();
    repo.git(&["push", "-q", "origin", "main"]);
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.write_prompt(
        "support/reply",
        &REPLY.replace("Reply to", "Reply kindly to"),
    );
    repo.prompt(&["commit", "-m", "Kinder replies"]).success();
    repo.git(&["push", "-q", "origin", "feature"]);
    let checkout = repo.sibling("checkout");
    repo.git(&[
        "clone",
        "-q",
        "--single-branch",
        "--branch",
        "feature",
        remote.to_str().unwrap(),
        checkout.to_str().unwrap(),
    ]);
    repo.git_in(&checkout, &["checkout", "-q", "--detach"]);
    (repo, checkout)
}

#[test]
fn the_check_test_and_review_steps_run_in_a_pull_request_checkout() {
    if !tools_ready() {
        return;
    }
    let (repo, checkout) = pull_request_checkout();
    let out = run_script(&repo, &checkout, "check.sh", &[]).success();
    assert_eq!(out.stdout, "", "no annotation when all is well");
    let sarif = std::fs::read_to_string(checkout.join("prompt-check.sarif")).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // No prompt has tests: the step says it skips.
    let out = run_script(&repo, &checkout, "tests.sh", &[]).success();
    assert!(
        out.stdout.contains("prompt test: skipped"),
        "{}",
        out.stdout
    );
    // The base branch is not in this checkout: the step fetches it, then reviews.
    let out = run_script(
        &repo,
        &checkout,
        "review.sh",
        &[("GITHUB_BASE_REF", "main")],
    )
    .success();
    assert!(
        out.stdout
            .contains("review of origin/main...HEAD written to prompt-review.md"),
        "{}",
        out.stdout
    );
    let review = std::fs::read_to_string(checkout.join("prompt-review.md")).unwrap();
    assert!(review.starts_with("<!-- prompt-review -->\n"), "{review}");
    assert!(
        review.contains("| `support/reply` | modified | no |"),
        "{review}"
    );
    assert!(
        review.contains("Reply kindly to I want my money back."),
        "{review}"
    );
    // Not a pull request and no base given: nothing to review.
    run_script(&repo, &checkout, "review.sh", &[])
        .success()
        .stdout_has("skipped");
    // A prompt with an error: an annotation at its line, the step fails, the SARIF is written.
    std::fs::write(
        checkout.join("prompts/support/reply.prompt.yaml"),
        REPLY.replace("{{ticket}}", "{{ticket}} {{customer}}"),
    )
    .unwrap();
    std::fs::remove_file(checkout.join("prompt-check.sarif")).unwrap();
    let out = run_script(&repo, &checkout, "check.sh", &[]).code(1);
    assert!(
        out.stdout
            .starts_with("::error file=prompts/support/reply.prompt.yaml,line="),
        "{}",
        out.stdout
    );
    assert!(checkout.join("prompt-check.sarif").exists());
}

/// What the stand-in for GitHub's API holds and was asked.
#[derive(Default)]
struct Api {
    /// Comments of pull request 7: id, body.
    comments: Vec<(u64, String)>,
    /// Every request: method, path with query, authorization header.
    calls: Vec<(String, String, String)>,
    next_id: u64,
}

/// A tiny HTTP/1.1 server for the comment endpoints of pull request 7 of `o/r`, on 127.0.0.1
/// port 0; returns its base URL. It serves until the test process ends.
fn fake_github(api: Arc<Mutex<Api>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let target = parts.next().unwrap_or_default().to_string();
            let mut headers = HashMap::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
            if headers.get("expect").is_some_and(|e| e.contains("100")) {
                let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            }
            let length: usize = headers
                .get("content-length")
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (status, answer) = handle(&api, &method, &target, &headers, &body);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    url
}

fn handle(
    api: &Mutex<Api>,
    method: &str,
    target: &str,
    headers: &HashMap<String, String>,
    body: &[u8],
) -> (&'static str, String) {
    let mut api = api.lock().unwrap();
    let auth = headers.get("authorization").cloned().unwrap_or_default();
    api.calls
        .push((method.to_string(), target.to_string(), auth.clone()));
    if auth != "Bearer test-token" {
        return (
            "401 Unauthorized",
            r#"{"message":"Bad credentials"}"#.into(),
        );
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let param = |name: &str| -> usize {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let body_of = |bytes: &[u8]| -> Option<String> {
        let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        v["body"].as_str().map(str::to_string)
    };
    let comment = |id: u64, body: &str| serde_json::json!({"id": id, "body": body}).to_string();
    match (method, path) {
        ("GET", "/repos/o/r/issues/7/comments") => {
            let (per_page, page) = (param("per_page").max(1), param("page").max(1));
            let list: Vec<serde_json::Value> = api
                .comments
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|(id, body)| serde_json::json!({"id": id, "body": body}))
                .collect();
            ("200 OK", serde_json::Value::Array(list).to_string())
        }
        ("POST", "/repos/o/r/issues/7/comments") => {
            let Some(text) = body_of(body) else {
                return ("422 Unprocessable Entity", "{}".into());
            };
            api.next_id += 1;
            let id = 1000 + api.next_id;
            api.comments.push((id, text.clone()));
            ("201 Created", comment(id, &text))
        }
        ("PATCH", p) if p.starts_with("/repos/o/r/issues/comments/") => {
            let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap_or(0);
            let Some(text) = body_of(body) else {
                return ("422 Unprocessable Entity", "{}".into());
            };
            match api.comments.iter_mut().find(|(i, _)| *i == id) {
                Some(c) => {
                    c.1 = text.clone();
                    ("200 OK", comment(id, &text))
                }
                None => ("404 Not Found", "{}".into()),
            }
        }
        _ => ("404 Not Found", r#"{"message":"Not Found"}"#.into()),
    }
}

#[test]
fn the_review_comment_is_created_once_then_updated_in_place() {
    if !tools_ready() {
        return;
    }
    let (repo, checkout) = pull_request_checkout();
    run_script(
        &repo,
        &checkout,
        "review.sh",
        &[("BASE_REF", "origin/main")],
    )
    .success();
    let api = Arc::new(Mutex::new(Api::default()));
    // A hundred comments by people first: the review's lands on the second page.
    for i in 0..100 {
        api.lock()
            .unwrap()
            .comments
            .push((i + 1, format!("Looks good {i}")));
    }
    let url = fake_github(api.clone());
    let env = [
        ("GITHUB_API_URL", url.as_str()),
        ("GITHUB_TOKEN", "test-token"),
        ("GITHUB_REPOSITORY", "o/r"),
        ("PR_NUMBER", "7"),
        ("REVIEW_FILE", "prompt-review.md"),
    ];
    let first = run_script(&repo, &checkout, "comment.sh", &env).success();
    assert!(
        first.stdout.contains("created review comment 1001 on #7"),
        "{}{}",
        first.stdout,
        first.stderr
    );
    // A new push: the review changes, and the same comment is updated.
    std::fs::write(
        checkout.join("prompts/support/reply.prompt.yaml"),
        REPLY.replace("Reply to", "Reply warmly to"),
    )
    .unwrap();
    repo.git_in(&checkout, &["commit", "-q", "-am", "Warmer"]);
    run_script(
        &repo,
        &checkout,
        "review.sh",
        &[("BASE_REF", "origin/main")],
    )
    .success();
    let second = run_script(&repo, &checkout, "comment.sh", &env).success();
    assert!(
        second.stdout.contains("updated review comment 1001 on #7"),
        "{}{}",
        second.stdout,
        second.stderr
    );
    let api = api.lock().unwrap();
    let calls: Vec<(&str, &str)> = api
        .calls
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=1"),
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=2"),
            ("POST", "/repos/o/r/issues/7/comments"),
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=1"),
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=2"),
            ("PATCH", "/repos/o/r/issues/comments/1001"),
        ]
    );
    assert!(api
        .calls
        .iter()
        .all(|(.., auth)| auth == "Bearer test-token"));
    let reviews: Vec<&(u64, String)> = api
        .comments
        .iter()
        .filter(|(_, b)| b.starts_with("<!-- prompt-review -->"))
        .collect();
    assert_eq!(reviews.len(), 1, "one sticky comment");
    let now = std::fs::read_to_string(checkout.join("prompt-review.md")).unwrap();
    assert_eq!(
        reviews[0].1, now,
        "the comment holds the latest review, byte for byte"
    );
    assert!(now.contains("Reply warmly to"));
    assert_eq!(api.comments.len(), 101, "people's comments are left alone");
}

#[test]
fn the_comment_step_fails_clearly() {
    if !tools_ready() {
        return;
    }
    let (repo, checkout) = pull_request_checkout();
    run_script(
        &repo,
        &checkout,
        "review.sh",
        &[("BASE_REF", "origin/main")],
    )
    .success();
    let api = Arc::new(Mutex::new(Api::default()));
    let url = fake_github(api.clone());
    // A token the API refuses: the step fails and says what the API said.
    let out = run_script(
        &repo,
        &checkout,
        "comment.sh",
        &[
            ("GITHUB_API_URL", url.as_str()),
            ("GITHUB_TOKEN", "wrong"),
            ("GITHUB_REPOSITORY", "o/r"),
            ("PR_NUMBER", "7"),
        ],
    );
    assert_ne!(out.code, 0);
    assert!(
        out.stdout.contains("Bad credentials") || out.stderr.contains("401"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(api.lock().unwrap().comments.is_empty());
    // No pull request number: named.
    run_script(
        &repo,
        &checkout,
        "comment.sh",
        &[("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", "o/r")],
    )
    .code(1)
    .stderr_has("PR_NUMBER is needed");
    // A file that is not a review is not posted.
    std::fs::write(checkout.join("other.md"), "hello\n").unwrap();
    run_script(
        &repo,
        &checkout,
        "comment.sh",
        &[
            ("GITHUB_API_URL", url.as_str()),
            ("GITHUB_TOKEN", "test-token"),
            ("GITHUB_REPOSITORY", "o/r"),
            ("PR_NUMBER", "7"),
            ("REVIEW_FILE", "other.md"),
        ],
    )
    .code(1)
    .stderr_has("does not start with the review marker");
}

/// The install step, both ways, without a real build: a release (a stand-in served through
/// curl's file:// support, checked by scripts/install.sh), and `cargo install` from the action's
/// folder (a stand-in `cargo` on PATH records how it is called).
#[test]
fn the_install_step_installs_a_release_or_builds_the_action_ref() {
    if !tools_ready() {
        return;
    }
    let target = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        _ => {
            eprintln!("skipping: no release stand-in for this platform");
            return;
        }
    };
    let repo = TestRepo::new();
    let dir = repo.sibling("install");
    // A release v9.9.9 with its checksum.
    let name = format!("prompt-v9.9.9-{target}");
    let stage = dir.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join("prompt"), "#!/bin/sh\necho prompt 9.9.9\n").unwrap();
    let release = dir.join("releases/v9.9.9");
    std::fs::create_dir_all(&release).unwrap();
    let archive = release.join(format!("{name}.tar.gz"));
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("stage"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    std::fs::write(release.join(format!("{name}.tar.gz.sha256")), sum.stdout).unwrap();
    let base = format!("file://{}", dir.join("releases").display());
    let root = dir.join("root");
    let github_path = dir.join("github_path");
    let env = |extra: &[(&str, String)]| -> Vec<(String, String)> {
        let mut v = vec![
            (
                "PROMPT_INSTALL_ROOT".to_string(),
                root.display().to_string(),
            ),
            ("GITHUB_PATH".to_string(), github_path.display().to_string()),
        ];
        v.extend(extra.iter().map(|(k, x)| (k.to_string(), x.clone())));
        v
    };
    let run = |vars: Vec<(String, String)>, path: &str| -> Run {
        let mut cmd = repo.command("bash", &dir);
        cmd.arg(script("install.sh")).env("PATH", path);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Run::from(cmd.output().unwrap())
    };
    let path = std::env::var("PATH").unwrap();
    let out = run(
        env(&[
            ("PROMPT_VERSION", "v9.9.9".into()),
            ("ACTION_REPOSITORY", "owner/prompt-registry".into()),
            ("PROMPT_RELEASE_BASE", base),
        ]),
        &path,
    )
    .success();
    assert!(out.stdout.contains("prompt 9.9.9"), "{}", out.stdout);
    assert!(root.join("bin/prompt").exists());
    let added = std::fs::read_to_string(&github_path).unwrap();
    assert_eq!(added.trim(), root.join("bin").display().to_string());
    // No version: `cargo install` of the action's own folder, locked, with the cached target.
    let fake = dir.join("fake-bin");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(
        fake.join("cargo"),
        "#!/bin/sh\necho \"$@\" > \"$CARGO_LOG\"\necho \"$CARGO_TARGET_DIR\" >> \"$CARGO_LOG\"\n\
         mkdir -p \"$PROMPT_INSTALL_ROOT/bin\"\n\
         printf '#!/bin/sh\\necho prompt built\\n' > \"$PROMPT_INSTALL_ROOT/bin/prompt\"\n\
         chmod +x \"$PROMPT_INSTALL_ROOT/bin/prompt\"\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(fake.join("cargo"))
        .status()
        .unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    let log = dir.join("cargo.log");
    let action = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        env(&[
            ("ACTION_PATH", action.display().to_string()),
            ("CARGO_LOG", log.display().to_string()),
            (
                "PROMPT_TARGET_DIR",
                dir.join("target").display().to_string(),
            ),
        ]),
        &format!("{}:{path}", fake.display()),
    )
    .success();
    assert!(out.stdout.contains("prompt built"), "{}", out.stdout);
    let called = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        called,
        format!(
            "install --quiet --locked --force --path {} --root {}\n{}\n",
            action.display(),
            root.display(),
            dir.join("target").display()
        )
    );
}
