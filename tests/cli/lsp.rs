//! `prompt lsp` (contract §16): the real binary spoken to over its stdio by a small LSP client
//! (Content-Length framing, a reader thread, waits with a deadline), in real registries; each
//! answer is held against what `check`, `render` and `diff` say for the same file.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::TestRepo;

const DEADLINE: Duration = Duration::from_secs(30);

/// A client of one `prompt lsp` process.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages read but not asked for yet.
    kept: Vec<Value>,
    next_id: i64,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Client {
    fn start(repo: &TestRepo, args: &[&str]) -> Client {
        Client::start_in(repo, &repo.root(), args)
    }

    fn start_in(repo: &TestRepo, cwd: &Path, args: &[&str]) -> Client {
        let mut child = repo
            .command(env!("CARGO_BIN_EXE_prompt"), cwd)
            .arg("lsp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start prompt lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                out.read_exact(&mut body).unwrap();
                let msg: Value = serde_json::from_slice(&body).expect("a JSON message");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            kept: Vec::new(),
            next_id: 0,
            stderr,
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, mut msg: Value) {
        msg["jsonrpc"] = json!("2.0");
        let body = serde_json::to_vec(&msg).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.write_raw(&framed);
    }

    fn request_id(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_id(method, params);
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// Sends a request and returns its result, failing on an error.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"method": method, "params": params}));
    }

    /// The first message (kept or new) that satisfies `pred`, within the deadline.
    #[track_caller]
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.kept.iter().position(&pred) {
            return self.kept.remove(i);
        }
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) if pred(&msg) => return msg,
                Ok(msg) => self.kept.push(msg),
                Err(_) => panic!(
                    "no such message within {DEADLINE:?}; got {:#?}\nstderr: {}",
                    self.kept,
                    self.stderr.lock().unwrap()
                ),
            }
        }
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.result(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    /// The diagnostics published for `uri` at `version`.
    #[track_caller]
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// `shutdown` then `exit`; the exit code.
    fn shutdown(mut self) -> (i32, String) {
        let result = self.result("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.finish()
    }

    /// Closes stdin and waits for the process (bounded); its exit code and stderr.
    fn finish(mut self) -> (i32, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("prompt lsp did not exit");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // The stderr thread ends when the process's stderr closes.
        let deadline = Instant::now() + DEADLINE;
        while std::sync::Arc::strong_count(&self.stderr) > 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let stderr = self.stderr.lock().unwrap().clone();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (status.code().unwrap_or(-1), stderr)
    }
}

fn uri(repo: &TestRepo, rel: &str) -> String {
    let path = repo.root().canonicalize().unwrap().join(rel);
    format!("file://{}", path.display())
}

fn range_start(d: &Value) -> (u64, u64) {
    let s = &d["range"]["start"];
    (
        s["line"].as_u64().unwrap(),
        s["character"].as_u64().unwrap(),
    )
}

/// The protocol position (UTF-16) of a 1-based line and character column in `text`.
fn utf16_position(text: &str, line: u64, column: u64) -> (u64, u64) {
    let l = text.split('\n').nth(line as usize - 1).unwrap_or("");
    let units: usize = l
        .chars()
        .take(column as usize - 1)
        .map(char::len_utf16)
        .sum();
    (line - 1, units as u64)
}

/// The protocol position (UTF-16) of the `nth` occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        .0;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

const HEAD: &str = "format: 1\ntemplate: |\n  Ticket for {{customer}}:\n";
const GREET: &str = "format: 1
inputs:
  customer:
    type: string
    description: Who wrote in.
  tone:
    type: string
    default: warm
    enum: [warm, neutral]
samples:
  short: {customer: Ada}
template: |
  {{> shared/head}}
  Answer {{customer}} in a {{tone}} tone. 😀 {{missing}}
";

fn registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("shared/head", HEAD);
    repo.write_prompt("greet", GREET);
    repo
}

#[test]
fn initialize_lists_capabilities_and_shutdown_exits_0() {
    let repo = registry();
    let mut c = Client::start(&repo, &[]);
    let result = c.initialize(json!({}));
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert!(caps["completionProvider"]["triggerCharacters"]
        .as_array()
        .unwrap()
        .contains(&json!("{")));
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    let commands = caps["executeCommandProvider"]["commands"]
        .as_array()
        .unwrap();
    assert!(commands.contains(&json!("prompt.render")));
    assert!(commands.contains(&json!("prompt.diff")));
    assert_eq!(result["serverInfo"]["name"], "prompt");
    let (code, _) = c.shutdown();
    assert_eq!(code, 0);

    // A client that offers UTF-8 positions gets them.
    let mut c = Client::start(&repo, &[]);
    let result = c.initialize(json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn diagnostics_on_open_equal_check_json() {
    let repo = registry();
    // A prompt with several findings: a secret, an unused required input, an undeclared
    // variable after a non-ASCII character, an enum default that does not fit.
    repo.write_prompt(
        "many",
        "format: 1\ninputs:\n  unused:\n    type: string\n  n:\n    type: integer\n    default: x\n\
         template: |\n  é😀 {{who}} {{n}} key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD\n",
    );
    let expected = repo.prompt(&["check", "--format", "json"]).json();
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    for id in ["greet", "many"] {
        let rel = format!("prompts/{id}.prompt.yaml");
        let text = repo.read(&rel);
        let u = uri(&repo, &rel);
        c.open(&u, &text);
        let got = c.diagnostics(&u, 1);
        let want: Vec<&Value> = expected["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"] == rel.as_str())
            .collect();
        assert!(!want.is_empty());
        assert_eq!(got.len(), want.len(), "{id}: {got:#?} against {want:#?}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g["message"], w["message"]);
            assert_eq!(g["code"], w["rule"]);
            assert_eq!(g["source"], "prompt");
            let severity = if w["severity"] == "error" { 1 } else { 2 };
            assert_eq!(g["severity"], severity);
            let want_at = utf16_position(
                &text,
                w["line"].as_u64().unwrap(),
                w["column"].as_u64().unwrap(),
            );
            assert_eq!(range_start(g), want_at, "{g}");
        }
    }
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn diagnostics_follow_the_unsaved_buffer_and_close_clears_them() {
    let repo = registry();
    let rel = "prompts/shared/head.prompt.yaml";
    let u = uri(&repo, rel);
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    // `customer` is undeclared in head on disk.
    c.open(&u, HEAD);
    let first = c.diagnostics(&u, 1);
    assert_eq!(first.len(), 1, "{first:?}");
    // Declare it in the buffer (an incremental edit), not on disk: the diagnostic goes.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                "text": "inputs:\n  customer:\n    type: string\n"
            }]
        }),
    );
    assert_eq!(c.diagnostics(&u, 2), Vec::<Value>::new());
    assert_eq!(repo.read(rel), HEAD, "the disk is not written");
    // A whole-text change that uses another undeclared variable.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": 3},
            "contentChanges": [{"text": "format: 1\ntemplate: Hi {{other}}\n"}]
        }),
    );
    let third = c.diagnostics(&u, 3);
    assert_eq!(third.len(), 1);
    assert_eq!(
        third[0]["message"],
        "variable `other` is used but not declared in `inputs`"
    );
    assert_eq!(range_start(&third[0]), (1, 13));
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    let cleared = c.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == u.as_str()
            && m["params"]["diagnostics"] == json!([])
            && m["params"].get("version").is_none_or(Value::is_null)
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn a_change_to_a_partial_rechecks_the_open_prompts_that_include_it() {
    let repo = registry();
    // top includes greet? No: a prompt including a partial through another one.
    repo.write_prompt(
        "shared/outer",
        "format: 1\ntemplate: |\n  {{> shared/head}}\n",
    );
    repo.write_prompt(
        "wrapped",
        "format: 1\ninputs:\n  customer:\n    type: string\ntemplate: |\n  {{> shared/outer}}\n",
    );
    let greet = uri(&repo, "prompts/greet.prompt.yaml");
    let wrapped = uri(&repo, "prompts/wrapped.prompt.yaml");
    let head = uri(&repo, "prompts/shared/head.prompt.yaml");
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    c.open(&greet, GREET);
    c.open(&wrapped, &repo.read("prompts/wrapped.prompt.yaml"));
    let before = c.diagnostics(&greet, 1);
    assert!(before
        .iter()
        .all(|d| !d["message"].as_str().unwrap().contains("`extra`")));
    assert_eq!(c.diagnostics(&wrapped, 1), Vec::<Value>::new());
    c.open(&head, HEAD);
    c.diagnostics(&head, 1);
    // The partial's buffer now uses `extra`: both includers are checked again against it.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": head, "version": 2},
            "contentChanges": [{"text": "format: 1\ntemplate: |\n  {{customer}} {{extra}}\n"}]
        }),
    );
    let wanted = |m: &Value, u: &str| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == u
            && m["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| {
                    d["message"]
                        .as_str()
                        .unwrap()
                        .contains("`extra` (in partial `shared/head`)")
                })
    };
    c.wait(|m| wanted(m, &greet));
    c.wait(|m| wanted(m, &wrapped));
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn hover_on_an_input_and_a_partial() {
    let repo = registry();
    let u = uri(&repo, "prompts/greet.prompt.yaml");
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    c.open(&u, GREET);
    let hover = c.result(
        "textDocument/hover",
        at(&u, position_of(GREET, "tone}}", 0)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("input `tone`"), "{text}");
    assert!(text.contains("`string`"), "{text}");
    assert!(text.contains("optional"), "{text}");
    assert!(text.contains("- type: string"), "{text}");
    assert!(text.contains("- required: false"), "{text}");
    assert!(text.contains("- default: warm"), "{text}");
    assert!(text.contains("- enum: warm, neutral"), "{text}");
    assert_eq!(hover["range"]["start"], position_of(GREET, "tone}}", 0));
    let hover = c.result(
        "textDocument/hover",
        at(&u, position_of(GREET, "customer}}", 0)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("required") && text.contains("Who wrote in."),
        "{text}"
    );
    // The partial: its text at the working tree, with its id.
    let hover = c.result(
        "textDocument/hover",
        at(&u, position_of(GREET, "shared/head", 0)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("partial `shared/head`"), "{text}");
    assert!(text.contains("Ticket for {{customer}}:"), "{text}");
    // Nothing to say on plain text.
    let none = c.result(
        "textDocument/hover",
        at(&u, position_of(GREET, "Answer", 0)),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn definition_of_a_partial_a_parent_a_block_and_an_input() {
    let repo = registry();
    repo.write_prompt(
        "base",
        "format: 1\ntemplate: |\n  Start\n  {{$body}}default{{/body}}\n",
    );
    let child = "format: 1\ntemplate: |\n  {{<base}}{{$body}}Mine{{/body}}{{/base}}\n";
    repo.write_prompt("child", child);
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    let greet = uri(&repo, "prompts/greet.prompt.yaml");
    c.open(&greet, GREET);
    // An input: its key under `inputs`.
    let def = c.result(
        "textDocument/definition",
        at(&greet, position_of(GREET, "tone}}", 0)),
    );
    assert_eq!(def["uri"], greet.as_str());
    assert_eq!(def["range"]["start"], position_of(GREET, "tone:", 0));
    // A partial: its file.
    let def = c.result(
        "textDocument/definition",
        at(&greet, position_of(GREET, "shared/head", 0)),
    );
    assert_eq!(def["uri"], uri(&repo, "prompts/shared/head.prompt.yaml"));
    assert_eq!(def["range"]["start"]["line"], 1);
    let child_uri = uri(&repo, "prompts/child.prompt.yaml");
    c.open(&child_uri, child);
    // A parent: its file.
    let def = c.result(
        "textDocument/definition",
        at(&child_uri, position_of(child, "base}}", 0)),
    );
    assert_eq!(def["uri"], uri(&repo, "prompts/base.prompt.yaml"));
    // A block: its declaration in the parent.
    let def = c.result(
        "textDocument/definition",
        at(&child_uri, position_of(child, "body}}Mine", 0)),
    );
    let base = repo.read("prompts/base.prompt.yaml");
    assert_eq!(def["uri"], uri(&repo, "prompts/base.prompt.yaml"));
    assert_eq!(
        def["range"]["start"],
        position_of(&base, "body}}default", 0)
    );
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn references_of_an_input_and_of_a_partial() {
    let repo = registry();
    repo.write_prompt(
        "other",
        "format: 1\ninputs:\n  customer:\n    type: string\ntemplate: |\n  x\n  {{> shared/head}}\n",
    );
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    let greet = uri(&repo, "prompts/greet.prompt.yaml");
    c.open(&greet, GREET);
    let refs = c.result(
        "textDocument/references",
        json!({
            "textDocument": {"uri": greet},
            "position": position_of(GREET, "customer}}", 0),
            "context": {"includeDeclaration": true}
        }),
    );
    let starts: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["range"]["start"])
        .collect();
    assert_eq!(
        starts,
        [
            &position_of(GREET, "customer:", 0),
            &position_of(GREET, "customer}}", 0)
        ]
    );
    // The partial: every prompt that includes it, at the include.
    let refs = c.result(
        "textDocument/references",
        json!({
            "textDocument": {"uri": greet},
            "position": position_of(GREET, "shared/head", 0),
            "context": {"includeDeclaration": false}
        }),
    );
    let mut found: Vec<(String, Value)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["uri"].as_str().unwrap().to_string(),
                r["range"]["start"].clone(),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let other = repo.read("prompts/other.prompt.yaml");
    assert_eq!(
        found,
        [
            (greet.clone(), position_of(GREET, "shared/head", 0)),
            (
                uri(&repo, "prompts/other.prompt.yaml"),
                position_of(&other, "shared/head", 0)
            ),
        ]
    );
    assert_eq!(c.shutdown().0, 0);
}

/// The labels of the completion items at the end of `needle` in `text`.
fn complete(c: &mut Client, u: &str, text: &str, needle: &str) -> Vec<String> {
    let mut p = position_of(text, needle, 0);
    p["character"] = json!(p["character"].as_u64().unwrap() + needle.encode_utf16().count() as u64);
    complete_at(c, u, p)
}

/// The labels of the completion items at a position.
fn complete_at(c: &mut Client, u: &str, p: Value) -> Vec<String> {
    let result = c.result("textDocument/completion", at(u, p));
    let items = match &result {
        Value::Array(items) => items.clone(),
        other => other["items"].as_array().cloned().unwrap_or_default(),
    };
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_in_each_context() {
    let repo = registry();
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    let edit = |c: &mut Client, id: &str, text: &str| -> String {
        let u = uri(&repo, &format!("prompts/{id}.prompt.yaml"));
        c.open(&u, text);
        u
    };
    // Mustache: input names inside `{{ }}`, prompt ids after `{{>` and `{{<`.
    let text = "format: 1\ninputs:\n  customer:\n    type: string\n  count:\n    type: integer\n\
                model:\n  provider: anth\n  name: x\ntemplate: |\n  Hi {{cu and {{> sha and {{<gr\n\
                # compare with greet@pro\n";
    let u = edit(&mut c, "typing", text);
    assert_eq!(complete(&mut c, &u, text, "{{cu"), ["customer"]);
    assert_eq!(complete(&mut c, &u, text, "{{> sha"), ["shared/head"]);
    assert_eq!(complete(&mut c, &u, text, "{{<gr"), ["greet"]);
    // Provider values, environment names after ID@.
    assert_eq!(complete(&mut c, &u, text, "provider: anth"), ["anthropic"]);
    assert_eq!(complete(&mut c, &u, text, "greet@pro"), ["production"]);
    // Top-level keys: those of the format not written yet.
    let keys = complete_at(&mut c, &u, json!({"line": 1, "character": 0}));
    assert!(keys.contains(&"description".to_string()), "{keys:?}");
    assert!(keys.contains(&"samples".to_string()), "{keys:?}");
    assert!(!keys.contains(&"inputs".to_string()), "{keys:?}");
    // Keys of a nested mapping: an input's, a message's.
    let text = "format: 1\ninputs:\n  topic:\n    type: string\n    desc\n\
                messages:\n  - role: user\n    cont\n";
    let u = edit(&mut c, "nested", text);
    assert_eq!(complete(&mut c, &u, text, "    desc"), ["description"]);
    assert_eq!(complete(&mut c, &u, text, "    cont"), ["content"]);
    // f-string: `{ }`.
    let text = "format: 1\ntemplate_format: f-string\ninputs:\n  topic:\n    type: string\n\
                template: |\n  About {to\n";
    let u = edit(&mut c, "fstr", text);
    assert_eq!(complete(&mut c, &u, text, "{to"), ["topic"]);
    // Jinja2: `{{ }}` and `{% %}`, and ids in an include.
    let text = "format: 1\ntemplate_format: jinja2\ninputs:\n  items:\n    type: array\n\
                template: |\n  {% for i in it %}{{ ite }}{% include 'shared/h\n";
    let u = edit(&mut c, "jinja", text);
    assert_eq!(complete(&mut c, &u, text, "{% for i in it"), ["items"]);
    assert_eq!(complete(&mut c, &u, text, "{{ ite"), ["items"]);
    assert_eq!(complete(&mut c, &u, text, "'shared/h"), ["shared/head"]);
    // The registry config: environments in protected_environments.
    let config =
        "environments: [development, staging, production]\nprotected_environments:\n  - st\n";
    let cu = uri(&repo, ".prompts.yaml");
    c.open(&cu, config);
    assert_eq!(complete(&mut c, &cu, config, "  - st"), ["staging"]);
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn render_and_diff_commands_equal_the_command_line() {
    let repo = registry();
    repo.write_prompt(
        "greet",
        &GREET.replace(" 😀 {{missing}}", "").replace(
            "template: |",
            "model:\n  provider: openai\n  name: gpt-4o-mini\ntemplate: |",
        ),
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "greet"]);
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success();
    let rel = "prompts/greet.prompt.yaml";
    let u = uri(&repo, rel);
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    let committed = repo.read(rel);
    // The buffer differs from the file: the commands read the buffer.
    let edited = committed.replace("Answer", "Please answer");
    c.open(&u, &edited);
    repo.write(rel, &edited);
    for (format, args) in [
        ("text", vec!["render", "greet", "--sample", "short"]),
        (
            "openai",
            vec!["render", "greet", "--sample", "short", "-f", "openai"],
        ),
        (
            "json",
            vec!["render", "greet", "--sample", "short", "-f", "json"],
        ),
    ] {
        let want = repo.prompt(&args).success().stdout;
        let got = c.result(
            "workspace/executeCommand",
            json!({"command": "prompt.render", "arguments": [u, "short", format]}),
        );
        assert_eq!(got.as_str().unwrap(), want, "{format}");
    }
    assert!(repo
        .prompt(&["render", "greet", "--sample", "short"])
        .stdout
        .contains("Please answer Ada"));
    // Diff against an environment: `prompt diff greet@production greet`.
    let want = repo
        .prompt(&["diff", "greet@production", "greet"])
        .success()
        .stdout;
    assert!(want.contains("Please answer"), "{want}");
    let got = c.result(
        "workspace/executeCommand",
        json!({"command": "prompt.diff", "arguments": [u, "production"]}),
    );
    assert_eq!(got.as_str().unwrap(), want);
    // No difference: empty text, as the command line prints nothing.
    repo.write(rel, &committed);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": committed}]}),
    );
    let got = c.result(
        "workspace/executeCommand",
        json!({"command": "prompt.diff", "arguments": [{"uri": u, "environment": "production"}]}),
    );
    assert_eq!(got, "");
    assert_eq!(
        repo.prompt(&["diff", "greet@production", "greet"]).stdout,
        ""
    );
    // Failures are errors with the reason: a missing value, an unknown environment, format.
    let missing = c.call(
        "workspace/executeCommand",
        json!({"command": "prompt.render", "arguments": [u]}),
    );
    assert!(missing["error"]["message"]
        .as_str()
        .unwrap()
        .contains("customer"));
    let unknown = c.call(
        "workspace/executeCommand",
        json!({"command": "prompt.diff", "arguments": [u, "nowhere"]}),
    );
    assert!(unknown.get("error").is_some(), "{unknown}");
    let bad = c.call(
        "workspace/executeCommand",
        json!({"command": "prompt.render", "arguments": [u, "short", "yaml"]}),
    );
    assert_eq!(bad["error"]["code"], -32602);
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn protocol_errors_unknown_methods_and_requests_before_initialize() {
    let repo = registry();
    let mut c = Client::start(&repo, &[]);
    let early = c.call("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    c.initialize(json!({}));
    let unknown = c.call("textDocument/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = c.call("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    // After shutdown, requests are refused; exit then exits 0.
    assert_eq!(c.result("shutdown", Value::Null), Value::Null);
    let late = c.call("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish().0, 0);
    // Exit without shutdown: 1.
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.finish().0, 1);
}

#[test]
fn bad_input_is_logged_and_the_server_goes_on() {
    let repo = registry();
    let log = repo.sibling("lsp.log");
    let mut c = Client::start(&repo, &["--log", log.to_str().unwrap()]);
    c.initialize(json!({}));
    // A body that is not UTF-8, then one that is not JSON: skipped, logged.
    c.write_raw(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
    c.write_raw(b"Content-Length: 7\r\n\r\n{nope!}");
    // Half-typed YAML: check's schema error, no crash.
    let half = uri(&repo, "prompts/half.prompt.yaml");
    c.open(
        &half,
        "format: 1\ninputs:\n  a:\n    type: [\ntemplate: |\n  {{",
    );
    let d = c.diagnostics(&half, 1);
    assert!(!d.is_empty());
    assert_eq!(d[0]["code"], "schema");
    // Requests on it answer (nothing to hover, some completion).
    let hover = c.call(
        "textDocument/hover",
        at(&half, json!({"line": 5, "character": 4})),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    // A file outside the registry root and one outside any repository: no diagnostics.
    let readme = uri(&repo, "README.md");
    c.open(&readme, "# {{x}}\n");
    assert_eq!(c.diagnostics(&readme, 1), Vec::<Value>::new());
    let outside = format!(
        "file://{}/x.prompt.yaml",
        repo.sibling("elsewhere").display()
    );
    c.open(&outside, "format: 1\ntemplate: {{x}}\n");
    assert_eq!(c.diagnostics(&outside, 1), Vec::<Value>::new());
    let none = c.result(
        "textDocument/hover",
        at(&outside, json!({"line": 1, "character": 13})),
    );
    assert_eq!(none, Value::Null);
    let untitled = "untitled:Untitled-1";
    c.open(untitled, "format: 1\n");
    assert_eq!(c.diagnostics(untitled, 1), Vec::<Value>::new());
    // A huge file (5 MB): check's size limit, and the server still answers.
    let huge_uri = uri(&repo, "prompts/huge.prompt.yaml");
    let huge = format!(
        "format: 1\ntemplate: |\n{}",
        "  0123456789abcdef\n".repeat(260_000)
    );
    c.open(&huge_uri, &huge);
    let d = c.diagnostics(&huge_uri, 1);
    assert_eq!(d.len(), 1);
    assert!(d[0]["message"].as_str().unwrap().contains("over the limit"));
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": huge_uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 2}},
                "text": "{{x}}"
            }]
        }),
    );
    c.diagnostics(&huge_uri, 2);
    let answer = c.call(
        "textDocument/hover",
        at(&huge_uri, json!({"line": 2, "character": 3})),
    );
    assert!(answer.get("error").is_none());
    assert_eq!(c.shutdown().0, 0);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("skipped a message that does not read"),
        "{logged}"
    );
    assert!(logged.contains("started"), "{logged}");
}

#[test]
fn a_client_that_disconnects_ends_the_server_without_a_panic() {
    let repo = registry();
    // Mid-session.
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    c.open(&uri(&repo, "prompts/greet.prompt.yaml"), GREET);
    let (code, stderr) = c.finish();
    assert_eq!(code, 1);
    assert!(stderr.contains("left without shutdown"), "{stderr}");
    // Before initialize, and mid-message.
    let c = Client::start(&repo, &[]);
    assert_eq!(c.finish().0, 1);
    let mut c = Client::start(&repo, &[]);
    c.write_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":");
    assert_eq!(c.finish().0, 1);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let repo = registry();
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    let u = uri(&repo, "prompts/greet.prompt.yaml");
    c.open(&u, GREET);
    let d = c.diagnostics(&u, 1);
    let missing = d
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("`missing`"))
        .unwrap();
    // Bytes before `{{missing}}` on its line: the emoji counts 4.
    let line = GREET.lines().nth(13).unwrap();
    assert_eq!(
        range_start(missing),
        (13, line.find("{{missing").unwrap() as u64)
    );
    // Hover in UTF-8 units too.
    let hover = c.result(
        "textDocument/hover",
        at(
            &u,
            json!({"line": 13, "character": line.find("missing").unwrap()}),
        ),
    );
    assert_eq!(hover, Value::Null, "an undeclared name has nothing to show");
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn jinja2_hover_and_definition() {
    let repo = registry();
    let text = "format: 1\ntemplate_format: jinja2\ninputs:\n  items:\n    type: array\n    \
                description: The lines.\ntemplate: |\n  {% for i in items %}{{ i | upper }}{% endfor %}\n  \
                {% include 'shared/head' %}\n";
    repo.write_prompt("jin", text);
    let u = uri(&repo, "prompts/jin.prompt.yaml");
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({}));
    c.open(&u, text);
    let hover = c.result(
        "textDocument/hover",
        at(&u, position_of(text, "items %}", 0)),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("input `items`") && shown.contains("`array`"),
        "{shown}"
    );
    let def = c.result(
        "textDocument/definition",
        at(&u, position_of(text, "shared/head", 0)),
    );
    assert_eq!(def["uri"], uri(&repo, "prompts/shared/head.prompt.yaml"));
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn files_changed_on_disk_are_watched_and_recheck_the_open_prompts() {
    let repo = registry();
    let mut c = Client::start(&repo, &[]);
    c.initialize(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}));
    // The server asks to watch prompt files and the config.
    let register = c.wait(|m| m["method"] == "client/registerCapability");
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/*.prompt.yaml");
    c.send(json!({"id": register["id"], "result": null}));
    let u = uri(&repo, "prompts/greet.prompt.yaml");
    c.open(&u, GREET);
    c.diagnostics(&u, 1);
    // The partial, not open, changes on disk: greet is checked again against it.
    repo.write_prompt(
        "shared/head",
        "format: 1\ntemplate: |\n  {{customer}} {{fresh}}\n",
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&repo, "prompts/shared/head.prompt.yaml"), "type": 2}]}),
    );
    c.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == u.as_str()
            && m["params"]["diagnostics"].to_string().contains("`fresh`")
    });
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn a_registry_with_its_own_root_and_a_file_opened_from_a_subfolder() {
    let repo = TestRepo::new();
    repo.write(".prompts.yaml", "root: llm/prompts\n");
    repo.write(
        "llm/prompts/a.prompt.yaml",
        "format: 1\ntemplate: Hi {{who}}\n",
    );
    repo.write("prompts/b.prompt.yaml", "format: 1\ntemplate: Hi {{who}}\n");
    let want = repo.prompt(&["check", "--format", "json"]).json();
    assert_eq!(want["checked"], 1);
    // Started in a subfolder, as editors often do.
    let mut c = Client::start_in(&repo, &repo.root().join("llm"), &[]);
    c.initialize(json!({}));
    let a = uri(&repo, "llm/prompts/a.prompt.yaml");
    c.open(&a, "format: 1\ntemplate: Hi {{who}}\n");
    let d = c.diagnostics(&a, 1);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["message"], want["diagnostics"][0]["message"]);
    // Outside the root: not a prompt of this registry.
    let b = uri(&repo, "prompts/b.prompt.yaml");
    c.open(&b, "format: 1\ntemplate: Hi {{who}}\n");
    assert_eq!(c.diagnostics(&b, 1), Vec::<Value>::new());
    assert_eq!(c.shutdown().0, 0);
}
