//! A small HTTP/1.1 client over `TcpStream` and a handle on a running `prompt serve`, for the
//! serve tests: requests are written by hand so that half requests and garbage can be sent too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestRepo;

/// A running `prompt serve`, killed when dropped (if it has not exited).
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `prompt serve --bind 127.0.0.1:0 ARGS` in `cwd` and reads the first stdout line.
    pub fn start_in(repo: &TestRepo, cwd: &Path, args: &[&str]) -> Server {
        let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), cwd);
        cmd.arg("serve");
        if !args.contains(&"--bind") {
            cmd.args(["--bind", "127.0.0.1:0"]);
        }
        let mut child = cmd
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start prompt serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(url) = line.trim_end().strip_prefix("listening on http://") else {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("first line {line:?}; stderr:\n{err}");
        };
        Server {
            child,
            addr: url.parse().expect("ADDR:PORT"),
        }
    }

    pub fn start(repo: &TestRepo, args: &[&str]) -> Server {
        Server::start_in(repo, &repo.root(), args)
    }

    pub fn get(&self, path: &str) -> Resp {
        request(self.addr, "GET", path, &[], b"")
    }

    pub fn post(&self, path: &str, body: &str) -> Resp {
        request(
            self.addr,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    /// Sends `signal` (a libc signal number) to the server.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on the pid of a child this test started and has not waited for.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// Waits for the server to exit (bounded) and returns its exit code.
    pub fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not exit within {within:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A response: status, headers (names lower-cased) and body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The `error.message` of an error body, asserting its shape.
    #[track_caller]
    pub fn error_message(&self) -> String {
        let v = self.json();
        assert!(v["error"]["code"].is_string(), "error shape: {v}");
        v["error"]["message"].as_str().expect("message").to_string()
    }
}

/// One request on a new connection (`Connection: close`), read to the end.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    parse(&raw)
}

/// Parses a whole response (content-length or chunked body).
pub fn parse(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + size]);
            rest = &rest[nl + 2 + size + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// Waits until `check` holds, polling every 20 ms, at most `within`; returns how long it took.
#[track_caller]
pub fn eventually(within: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < within {
        if check() {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{what}: not within {within:?}");
}

/// A registry with every engine, partials, a parent and a provider prompt, all promoted to
/// production at version 1; `greet` also has a version 2 (promoted to staging).
pub fn registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt(
        "greet",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: |\n  Hello {{name}}\nsamples:\n  short: {name: Sam}\n",
    );
    repo.write_prompt(
        "shared/footer",
        "format: 1\ninputs:\n  team:\n    type: string\ntemplate: \"-- {{team}}\"\n",
    );
    repo.write_prompt(
        "support/triage",
        "format: 1
model:
  provider: openai
  name: gpt-4o-mini
  params: {temperature: 0.2, max_tokens: 100}
inputs:
  ticket:
    type: string
  team:
    type: string
  urgent:
    type: boolean
    default: false
messages:
  - role: system
    content: |
      You triage tickets for {{team}}.{{#urgent}} Hurry.{{/urgent}}
  - role: user
    content: |
      {{ticket}}
      {{> shared/footer}}
",
    );
    repo.write_prompt(
        "fs",
        "format: 1\ntemplate_format: f-string\ninputs:\n  amount:\n    type: number\n  who:\n    type: string\ntemplate: \"Total: {amount:>10.2f} for {who!r}\"\n",
    );
    repo.write_prompt(
        "jj",
        "format: 1\ntemplate_format: jinja2\ninputs:\n  items:\n    type: array\n  team:\n    type: string\ntemplate: \"{% include 'shared/footer' %} / {{ items | join(', ') | upper }}\"\n",
    );
    repo.write_prompt(
        "base/layout",
        "format: 1\ntemplate: \"Start {{$body}}default{{/body}} End\"\n",
    );
    repo.write_prompt(
        "child",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: \"{{<base/layout}}{{$body}}Hi {{name}}{{/body}}{{/base/layout}}\"\n",
    );
    repo.prompt(&["commit", "-m", "first versions"]).success();
    for id in [
        "greet",
        "shared/footer",
        "support/triage",
        "fs",
        "jj",
        "base/layout",
        "child",
    ] {
        repo.prompt(&["promote", id, "production", "--yes"])
            .success();
    }
    repo.write_prompt(
        "greet",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: |\n  Hey {{name}}\nsamples:\n  short: {name: Sam}\n",
    );
    repo.prompt(&["commit", "-m", "greet v2"]).success();
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo
}

/// Render cases: (reference, format, values as JSON, sample, lenient).
pub fn render_cases() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
)> {
    let mut cases = vec![
        (
            "greet@production",
            "text",
            r#"{"name": "Ann"}"#,
            None,
            false,
        ),
        (
            "greet@production",
            "json",
            r#"{"name": "Ann"}"#,
            None,
            false,
        ),
        ("greet@production", "text", "{}", Some("short"), false),
        ("greet@production", "text", "{}", None, false),
        ("greet@production", "text", r#"{"nme": "Ann"}"#, None, false),
        ("greet@production", "text", r#"{"nme": "Ann"}"#, None, true),
        ("greet@production", "text", "{}", Some("long"), false),
        ("greet@production", "text", r#"{"name": 3}"#, None, false),
        (
            "fs@production",
            "text",
            r#"{"amount": 3.14159, "who": "O'Neil"}"#,
            None,
            false,
        ),
        (
            "fs@production",
            "json",
            r#"{"amount": "x", "who": "a"}"#,
            None,
            false,
        ),
        (
            "jj@production",
            "text",
            r#"{"items": ["a", "b"], "team": "ops"}"#,
            None,
            false,
        ),
        ("jj@production", "text", r#"{"items": ["a"]}"#, None, false),
        (
            "child@production",
            "text",
            r#"{"name": "Kim"}"#,
            None,
            false,
        ),
        (
            "child@production",
            "json",
            r#"{"name": "Kim"}"#,
            None,
            false,
        ),
        (
            "shared/footer@production",
            "text",
            r#"{"team": "t"}"#,
            None,
            false,
        ),
    ];
    for format in [
        "text",
        "json",
        "openai",
        "openai-responses",
        "anthropic",
        "gemini",
        "bedrock",
    ] {
        cases.push((
            "support/triage@production",
            format,
            r#"{"ticket": "It broke.\nTwice.", "team": "billing", "urgent": true}"#,
            None,
            false,
        ));
    }
    cases.push((
        "support/triage@production",
        "openai",
        r#"{"ticket": "x"}"#,
        None,
        false,
    ));
    cases
}
