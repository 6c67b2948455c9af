//! `prompt serve` (contract §13): the real server on 127.0.0.1 port 0, driven over loopback as
//! clients drive it: every endpoint, the CLI's bytes, ETags, tokens, bad input, promotions during
//! renders, watching, SIGHUP, SIGTERM and events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::TestRepo;
use crate::serve_client::{eventually, registry, render_cases, request, Server};

/// The `error: …` line of a CLI run's stderr, without the prefix.
fn cli_error(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or_else(|| panic!("no error line in {stderr}"))
        .to_string()
}

fn cli_hint(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .map(str::to_string)
}

#[test]
fn render_answers_exactly_what_prompt_render_prints() {
    let repo = registry();
    let server = Server::start(&repo, &[]);
    for (i, (reference, format, values, sample, lenient)) in render_cases().into_iter().enumerate()
    {
        let vals = format!("vals-{i}.json");
        repo.write(&vals, values);
        let mut args = vec!["render", reference, "--vars", vals.as_str(), "-f", format];
        if let Some(s) = sample {
            args.extend(["--sample", s]);
        }
        if lenient {
            args.push("--lenient");
        }
        let cli = repo.prompt(&args);
        let mut body = serde_json::json!({
            "vars": serde_json::from_str::<serde_json::Value>(values).unwrap(),
            "format": format,
            "lenient": lenient,
        });
        if let Some(s) = sample {
            body["sample"] = s.into();
        }
        let resp = server.post(&format!("/v1/render/{reference}"), &body.to_string());
        if cli.code == 0 {
            assert_eq!(resp.status, 200, "case {i} {args:?}: {}", resp.text());
            assert_eq!(resp.text(), cli.stdout, "case {i} {args:?}");
            let ct = resp.header("content-type").unwrap();
            if format == "text" {
                assert!(ct.starts_with("text/plain"), "{ct}");
            } else {
                assert_eq!(ct, "application/json");
            }
            assert_eq!(resp.header("x-prompt-version"), Some("1"));
            assert_eq!(resp.header("x-prompt-sha256").unwrap().len(), 64);
            assert_eq!(resp.header("x-prompt-commit").unwrap().len(), 40);
        } else {
            assert_eq!(resp.status, 400, "case {i} {args:?}: {}", resp.text());
            assert_eq!(resp.error_message(), cli_error(&cli.stderr), "case {i}");
        }
    }
    // References read from git on demand: a version, latest, a revision.
    for (r, vals) in [
        ("greet@1", "Hello"),
        ("greet@2", "Hey"),
        ("greet@latest", "Hey"),
        ("greet@HEAD~1", "Hello"),
    ] {
        let resp = server.post(&format!("/v1/render/{r}"), r#"{"vars": {"name": "Ann"}}"#);
        assert_eq!(resp.status, 200, "{r}: {}", resp.text());
        let cli = repo.prompt(&["render", r, "--var", "name=Ann"]).success();
        assert_eq!(resp.text(), cli.stdout);
        assert!(resp.text().starts_with(vals));
    }
    // Percent-encoded and raw slashes name the same prompt.
    let raw = server.post(
        "/v1/render/support/triage@production",
        r#"{"vars": {"ticket": "t", "team": "x"}}"#,
    );
    let encoded = server.post(
        "/v1/render/support%2Ftriage%40production",
        r#"{"vars": {"ticket": "t", "team": "x"}}"#,
    );
    assert_eq!(raw.status, 200);
    assert_eq!(raw.body, encoded.body);
    let lower = server.post(
        "/v1/render/support%2ftriage@production",
        r#"{"vars": {"ticket": "t", "team": "x"}}"#,
    );
    assert_eq!(lower.body, raw.body);
}

#[test]
fn health_environments_and_prompts_with_etags() {
    let repo = registry();
    let server = Server::start(&repo, &[]);
    let health = server.get("/v1/health");
    assert_eq!(health.status, 200);
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        health.json(),
        serde_json::json!({"ok": true, "commit": head.trim()})
    );

    // An environment is its bundle, byte for byte; the ETag is the digest.
    let env = server.get("/v1/environments/production");
    assert_eq!(env.status, 200);
    let bundle = repo
        .prompt(&["bundle", "--env", "production", "-o", "-"])
        .success();
    assert_eq!(env.text(), bundle.stdout);
    let digest = bundle.json()["digest"].as_str().unwrap().to_string();
    assert_eq!(env.header("etag"), Some(format!("\"{digest}\"").as_str()));
    let again = request(
        server.addr,
        "GET",
        "/v1/environments/production",
        &[("If-None-Match", &format!("\"{digest}\""))],
        b"",
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let stale = request(
        server.addr,
        "GET",
        "/v1/environments/production",
        &[("If-None-Match", "\"abc\"")],
        b"",
    );
    assert_eq!(stale.status, 200);
    let unknown = server.get("/v1/environments/prodution");
    assert_eq!(unknown.status, 404);
    let cli = repo
        .prompt(&["bundle", "--env", "prodution", "-o", "-"])
        .code(1);
    assert_eq!(unknown.error_message(), cli_error(&cli.stderr));
    assert_eq!(
        unknown.json()["error"]["hint"].as_str(),
        cli_hint(&cli.stderr).as_deref()
    );

    // A prompt is what `show --json` prints, with its headers.
    for (path, reference) in [
        (
            "/v1/prompts/support/triage@production",
            "support/triage@production",
        ),
        (
            "/v1/prompts/support%2Ftriage@production",
            "support/triage@production",
        ),
        ("/v1/prompts/greet@staging", "greet@staging"),
        ("/v1/prompts/greet@1", "greet@1"),
        ("/v1/prompts/greet@latest", "greet@latest"),
    ] {
        let resp = server.get(path);
        assert_eq!(resp.status, 200, "{path}: {}", resp.text());
        let cli = repo.prompt(&["show", reference, "--json"]).success();
        assert_eq!(resp.json(), cli.json(), "{path}");
        let shown = cli.json();
        assert_eq!(
            resp.header("x-prompt-version").map(str::to_string),
            shown["version"].as_u64().map(|v| v.to_string())
        );
        assert_eq!(resp.header("x-prompt-commit"), shown["commit"].as_str());
        let sha = resp.header("x-prompt-sha256").unwrap().to_string();
        assert_eq!(resp.header("etag"), Some(format!("\"{sha}\"").as_str()));
        let cached = request(
            server.addr,
            "GET",
            path,
            &[("If-None-Match", &format!("\"{sha}\""))],
            b"",
        );
        assert_eq!(cached.status, 304, "{path}");
    }
}

#[test]
fn a_draft_has_no_version_header() {
    let repo = registry();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write_prompt("greet", &crate::common::text_prompt("Draft"));
    repo.prompt(&["commit", "-m", "draft"]).success();
    repo.prompt(&["promote", "greet@HEAD", "development"])
        .success();
    let server = Server::start(&repo, &[]);
    let resp = server.get("/v1/prompts/greet@development");
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("x-prompt-version"), None);
    assert!(resp.json()["draft"].is_object());
    assert_eq!(
        resp.json(),
        repo.prompt(&["show", "greet@development", "--json"])
            .success()
            .json()
    );
    let r = server.post("/v1/render/greet@development", r#"{"vars": {"name": "x"}}"#);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-prompt-version"), None);
    assert!(r.header("x-prompt-commit").is_some());
}

#[test]
fn bad_input_is_400_413_or_404_and_the_server_keeps_serving() {
    let repo = registry();
    let server = Server::start(&repo, &["--max-body", "200", "--timeout", "1"]);
    for path in [
        "/v1/prompts/..@production",
        "/v1/prompts/%2e%2e@production",
        "/v1/prompts/%2E%2E%2Fetc%2Fpasswd",
        "/v1/prompts/greet%00@production",
        "/v1/prompts/greet%zz",
        "/v1/prompts/%ff%fe",
        "/v1/prompts/Greet@production",
        "/v1/prompts/greet@",
    ] {
        let resp = server.get(path);
        assert_eq!(resp.status, 400, "{path}: {}", resp.text());
        resp.error_message();
    }
    let long = format!("/v1/prompts/{}@production", "a".repeat(600));
    assert_eq!(server.get(&long).status, 400);
    let long = format!("/v1/render/{}@production", "a/".repeat(300));
    assert_eq!(server.post(&long, "{}").status, 400);
    // 413 over the cap, by Content-Length.
    let big = format!(r#"{{"vars": {{"name": "{}"}}}}"#, "x".repeat(300));
    let resp = server.post("/v1/render/greet@production", &big);
    assert_eq!(resp.status, 413);
    assert!(resp.error_message().contains("200 bytes"));
    // Bodies that are not a render request.
    for body in [
        "[1]",
        "{\"vars\": 3}",
        "{\"format\": \"xml\"}",
        "{\"extra\": 1}",
        "not json",
    ] {
        let resp = server.post("/v1/render/greet@production", body);
        assert_eq!(resp.status, 400, "{body}: {}", resp.text());
        resp.error_message();
    }
    // 404 with the CLI's message and hint.
    for (path, args) in [
        (
            "/v1/render/gret@production",
            vec!["render", "gret@production"],
        ),
        ("/v1/render/greet@7", vec!["render", "greet@7"]),
        (
            "/v1/render/greet@development",
            vec!["render", "greet@development"],
        ),
        (
            "/v1/render/greet@nobranch",
            vec!["render", "greet@nobranch"],
        ),
    ] {
        let resp = server.post(path, r#"{"vars": {"name": "a"}}"#);
        assert_eq!(resp.status, 404, "{path}: {}", resp.text());
        let cli = repo.prompt(&args).code(1);
        assert_eq!(resp.error_message(), cli_error(&cli.stderr), "{path}");
        assert_eq!(
            resp.json()["error"]["hint"].as_str(),
            cli_hint(&cli.stderr).as_deref(),
            "{path}"
        );
    }
    let resp = server.get("/v1/nothing");
    assert_eq!(resp.status, 404);
    resp.error_message();
    // A local file as an image is not read by the server.
    // Garbage, half a request and nothing at all: each connection is closed, and the server
    // still answers the next client.
    let closed_within = |send: &[u8]| {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(send).unwrap();
        let start = std::time::Instant::now();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        assert!(
            start.elapsed() < Duration::from_secs(8),
            "{:?} kept open",
            String::from_utf8_lossy(send)
        );
        buf
    };
    let garbage = closed_within(b"\x16\x03\x01\x02\x00 hello\r\n\r\n");
    assert!(
        garbage.is_empty() || garbage.starts_with(b"HTTP/1.1 400"),
        "{garbage:?}"
    );
    closed_within(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n");
    closed_within(b"");
    let slow_body = closed_within(
        b"POST /v1/render/greet@production HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"vars\"",
    );
    assert!(
        slow_body.is_empty() || slow_body.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&slow_body)
    );
    assert_eq!(server.get("/v1/health").status, 200);
}

#[test]
fn a_token_is_required_off_loopback_and_checked() {
    let repo = registry();
    repo.prompt(&["serve", "--bind", "0.0.0.0:0"])
        .code(2)
        .stderr_has("--token-file");
    repo.prompt(&["serve", "--bind", "nonsense"]).code(2);
    repo.write("token.txt", "s3cret-token\n");
    let server = Server::start(&repo, &["--bind", "0.0.0.0:0", "--token-file", "token.txt"]);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", server.addr.port()).parse().unwrap();
    let none = request(addr, "GET", "/v1/health", &[], b"");
    assert_eq!(none.status, 401);
    none.error_message();
    let wrong = request(
        addr,
        "GET",
        "/v1/health",
        &[("Authorization", "Bearer s3cret-tokeN")],
        b"",
    );
    assert_eq!(wrong.status, 401);
    let right = request(
        addr,
        "GET",
        "/v1/health",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    );
    assert_eq!(right.status, 200);
    let render = request(
        addr,
        "POST",
        "/v1/render/greet@production",
        &[("Authorization", "Bearer s3cret-token")],
        br#"{"vars": {"name": "a"}}"#,
    );
    assert_eq!(render.text(), "Hello a\n");
    // On loopback a token file is honoured too.
    let local = Server::start(&repo, &["--token-file", "token.txt"]);
    assert_eq!(local.get("/v1/health").status, 401);
}

#[test]
fn promotions_during_renders_never_mix_versions() {
    let repo = registry();
    let server = Server::start(&repo, &[]);
    let addr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::new()));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let r = request(
                        addr,
                        "POST",
                        "/v1/render/greet@production",
                        &[],
                        br#"{"vars": {"name": "x"}}"#,
                    );
                    assert_eq!(r.status, 200, "{}", r.text());
                    let version = r.header("x-prompt-version").unwrap().to_string();
                    let expected = if version == "1" {
                        "Hello x\n"
                    } else {
                        "Hey x\n"
                    };
                    assert_eq!(r.text(), expected, "version {version}");
                    seen.lock().unwrap().insert(version);
                    n += 1;
                }
                n
            })
        })
        .collect();
    for round in 0..6 {
        let target = if round % 2 == 0 { "greet@2" } else { "greet@1" };
        repo.prompt(&["promote", target, "production", "--yes"])
            .success();
        let want = if round % 2 == 0 { "2" } else { "1" };
        eventually(Duration::from_secs(3), "the promotion is served", || {
            server
                .post("/v1/render/greet@production", r#"{"vars": {"name": "x"}}"#)
                .header("x-prompt-version")
                == Some(want)
        });
    }
    stop.store(true, Ordering::Relaxed);
    let total: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(total > 0);
    assert_eq!(seen.lock().unwrap().len(), 2, "both versions were served");
}

#[test]
fn watch_sees_tags_and_commits_within_a_second_and_sighup_reloads() {
    let repo = registry();
    let server = Server::start(&repo, &[]);
    repo.prompt(&["promote", "greet@2", "production", "--yes"])
        .success();
    let took = eventually(Duration::from_secs(3), "the moved tag is served", || {
        server
            .get("/v1/prompts/greet@production")
            .header("x-prompt-version")
            == Some("2")
    });
    assert!(took < Duration::from_secs(1), "seen after {took:?}");
    // A new commit: the health commit follows HEAD.
    repo.write("notes.txt", "x\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let took = eventually(Duration::from_secs(3), "the commit is seen", || {
        server.get("/v1/health").json()["commit"] == head.as_str()
    });
    assert!(took < Duration::from_secs(1), "seen after {took:?}");

    // Without --watch, only SIGHUP reloads.
    let fixed = Server::start(&repo, &["--no-watch"]);
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        fixed
            .get("/v1/prompts/greet@production")
            .header("x-prompt-version"),
        Some("2")
    );
    fixed.signal(libc::SIGHUP);
    eventually(Duration::from_secs(3), "SIGHUP reloads", || {
        fixed
            .get("/v1/prompts/greet@production")
            .header("x-prompt-version")
            == Some("1")
    });
}

#[test]
fn sigterm_drains_the_request_in_flight_and_exits_0() {
    let repo = registry();
    let mut server = Server::start(&repo, &["--timeout", "20"]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let body = br#"{"vars": {"name": "drain"}}"#;
    // `Expect: 100-continue`: the server says `100 Continue` when the handler starts reading the
    // body, so the request is known to be in flight before the signal comes.
    let head = format!(
        "POST /v1/render/greet@production HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 100"), "{line}");
    reader.read_line(&mut line).unwrap();
    server.signal(libc::SIGTERM);
    // The server stops accepting new clients ...
    eventually(Duration::from_secs(5), "the listener is closed", || {
        TcpStream::connect(server.addr).is_err()
    });
    // ... and finishes the one in flight.
    s.write_all(&body[..5]).unwrap();
    s.write_all(&body[5..]).unwrap();
    let mut raw = Vec::new();
    reader.read_to_end(&mut raw).unwrap();
    let resp = crate::serve_client::parse(&raw);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "Hello drain\n");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    // Ctrl-C (SIGINT) stops it the same way, with an open event stream too.
    let mut other = Server::start(&repo, &[]);
    let _events = open_events(&other);
    other.signal(libc::SIGINT);
    assert_eq!(other.wait_exit(Duration::from_secs(10)), Some(0));
}

/// Reads SSE `data:` lines of `promotion` events until `n` have arrived.
fn read_events(reader: &mut BufReader<TcpStream>, n: usize) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut event = String::new();
    let mut line = String::new();
    while out.len() < n {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream ended");
        let l = line.trim_end();
        if let Some(e) = l.strip_prefix("event: ") {
            event = e.to_string();
        } else if let Some(d) = l.strip_prefix("data: ") {
            if event == "promotion" {
                out.push(serde_json::from_str(d).unwrap());
            }
        }
    }
    out
}

fn open_events(server: &Server) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.to_ascii_lowercase().starts_with("content-type") {
            assert!(line.contains("text/event-stream"), "{line}");
        }
        if line == "\r\n" {
            break;
        }
    }
    reader
}

#[test]
fn events_announce_promotions_and_prompts_changed_through_a_partial() {
    let repo = registry();
    let server = Server::start(&repo, &[]);
    let mut events = open_events(&server);
    let commit = |r: &str| {
        repo.git(&["rev-parse", &format!("{r}^{{commit}}")])
            .trim()
            .to_string()
    };
    let v1 = commit("greet@production");
    repo.prompt(&["promote", "greet@2", "production", "--yes"])
        .success();
    let got = read_events(&mut events, 1);
    assert_eq!(
        got[0],
        serde_json::json!({"id": "greet", "environment": "production",
            "from": {"version": 1, "commit": v1}, "to": {"version": 2, "commit": commit("greet@production")}})
    );
    // A change to the partial alone gives support/triage a new version; promoting it is an
    // event for the includer whose own file did not change.
    repo.write_prompt(
        "shared/footer",
        "format: 1\ninputs:\n  team:\n    type: string\ntemplate: \"-- the {{team}} team\"\n",
    );
    repo.prompt(&["commit", "-m", "footer v2"]).success();
    let before = commit("support/triage@production");
    repo.prompt(&["promote", "support/triage@2", "production", "--yes"])
        .success();
    let got = read_events(&mut events, 1);
    assert_eq!(got[0]["id"], "support/triage");
    assert_eq!(
        got[0]["from"],
        serde_json::json!({"version": 1, "commit": before})
    );
    assert_eq!(got[0]["to"]["version"], 2);
    let r = server.post(
        "/v1/render/support/triage@production",
        r#"{"vars": {"ticket": "t", "team": "ops"}}"#,
    );
    assert!(r.text().contains("-- the ops team"), "{}", r.text());
}

#[test]
fn a_broken_tag_is_503_and_the_rest_is_served() {
    let repo = registry();
    let blob = repo.git(&["hash-object", "-w", "prompts/fs.prompt.yaml"]);
    repo.git(&["update-ref", "refs/tags/fs@staging", blob.trim()]);
    let server = Server::start(&repo, &[]);
    let broken = server.post(
        "/v1/render/fs@staging",
        r#"{"vars": {"amount": 1, "who": "a"}}"#,
    );
    assert_eq!(broken.status, 503, "{}", broken.text());
    assert!(broken.error_message().contains("fs@staging"));
    assert_eq!(server.get("/v1/prompts/fs@staging").status, 503);
    let fine = server.post("/v1/render/greet@staging", r#"{"vars": {"name": "a"}}"#);
    assert_eq!(fine.status, 200);
    assert_eq!(server.get("/v1/environments/staging").status, 200);
    assert_eq!(server.get("/v1/prompts/fs@production").status, 200);
}

#[test]
fn a_damaged_history_cache_changes_no_answer() {
    let repo = registry();
    // Fill the caches, then damage them.
    repo.prompt(&["log", "greet"]).success();
    repo.prompt(&["env"]).success();
    let git_dir = repo.root().join(".git");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&git_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("prompt-history") {
            if path.is_dir() {
                for f in std::fs::read_dir(&path).unwrap() {
                    std::fs::write(f.unwrap().path(), "garbage\n\0\0 not a cache").unwrap();
                    damaged += 1;
                }
            } else {
                std::fs::write(&path, "garbage\n\0\0 not a cache").unwrap();
                damaged += 1;
            }
        }
    }
    assert!(damaged > 0, "no cache file found to damage");
    let server = Server::start(&repo, &[]);
    for (r, v) in [
        ("greet@production", "1"),
        ("greet@staging", "2"),
        ("greet@2", "2"),
    ] {
        let resp = server.post(&format!("/v1/render/{r}"), r#"{"vars": {"name": "a"}}"#);
        assert_eq!(resp.status, 200, "{r}: {}", resp.text());
        assert_eq!(resp.header("x-prompt-version"), Some(v), "{r}");
    }
    assert_eq!(server.get("/v1/environments/production").status, 200);
}

#[test]
fn a_bundle_is_served_without_git() {
    let repo = registry();
    let dir = repo.sibling("nogit-serve");
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("prod.json");
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .success();
    let server = Server::start_in(&repo, &dir, &["--bundle", "prod.json"]);
    let r = server.post(
        "/v1/render/support%2Ftriage@production",
        r#"{"vars": {"ticket": "t", "team": "ops"}, "format": "anthropic"}"#,
    );
    let cli = repo
        .prompt(&[
            "render",
            "support/triage@production",
            "--var",
            "ticket=t",
            "--var",
            "team=ops",
            "-f",
            "anthropic",
        ])
        .success();
    assert_eq!(r.text(), cli.stdout);
    let env = server.get("/v1/environments/production");
    assert_eq!(env.text(), std::fs::read_to_string(&bundle).unwrap());
    let missing = server.post("/v1/render/greet@3", "{}");
    assert_eq!(missing.status, 404);
    assert!(missing
        .error_message()
        .contains("it holds greet@production (version 1"));
    assert_eq!(server.get("/v1/environments/staging").status, 404);
    let health = server.get("/v1/health").json();
    assert_eq!(health["ok"], true);
    // A changed bundle is refused at start.
    std::fs::write(
        dir.join("bad.json"),
        std::fs::read_to_string(&bundle)
            .unwrap()
            .replace("Hello", "Bye"),
    )
    .unwrap();
    repo.prompt_in(
        &dir,
        &["serve", "--bundle", "bad.json", "--bind", "127.0.0.1:0"],
    )
    .code(1)
    .stderr_has("does not match its digest");
}

#[test]
fn media_values_must_be_urls() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "see",
        "format: 1\nmodel: {provider: openai, name: gpt-4o}\ninputs:\n  pic:\n    type: image\nmessages:\n  - role: user\n    content:\n      - text: Look\n      - image: pic\n",
    );
    repo.prompt(&["commit", "-m", "see"]).success();
    repo.prompt(&["promote", "see", "production", "--yes"])
        .success();
    let server = Server::start(&repo, &[]);
    let r = server.post(
        "/v1/render/see@production",
        r#"{"vars": {"pic": "/etc/passwd"}, "format": "openai"}"#,
    );
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("must be a URL"));
    let r = server.post(
        "/v1/render/see@production",
        r#"{"vars": {"pic": "https://example.com/a.png"}, "format": "openai"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}
