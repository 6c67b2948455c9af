//! `prompt test` (contract §14): tests in prompt files, recorded against a mock model API on
//! 127.0.0.1 (inside the test, no network), replayed with no connection at all.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{Run, TestRepo};
use crate::mock_llm::{openai_answer, MockServer, Reply, Seen};

const KEY: &str = "sk-test-DO-NOT-LEAK-1234567890";

/// `prompt ARGS` with extra environment variables.
fn prompt_env(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(args).output().unwrap())
}

/// The user message of an OpenAI or Anthropic body.
fn question(seen: &Seen) -> String {
    let messages = seen.body["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let last = messages.last().cloned().unwrap_or(Value::Null);
    match &last["content"] {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<String>(),
        _ => String::new(),
    }
}

/// Canned answers by the question asked.
fn answers(seen: &Seen) -> Reply {
    let q = question(seen);
    let word = q.split_whitespace().next().unwrap_or("");
    Reply::json(match word {
        "text" => openai_answer(Some("Route to billing."), &[]),
        "json" => openai_answer(Some("{\"team\": \"billing\"}"), &[]),
        "badjson" => openai_answer(Some("{\"other\": 1}"), &[]),
        "notjson" => openai_answer(Some("Sure! here it is"), &[]),
        "tool" => openai_answer(None, &[("lookup_order", "{\"id\": \"A1\"}")]),
        "badtool" => openai_answer(None, &[("lookup_order", "{\"id\": 7}")]),
        _ => openai_answer(Some("I do not know."), &[]),
    })
}

const HEAD: &str = "format: 1
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0
inputs:
  q:
    type: string
messages:
  - role: system
    content: Route support tickets.
  - role: user
    content: \"{{q}}\"
tools:
  - name: lookup_order
    description: Find an order.
    parameters: {type: object, properties: {id: {type: string}}, required: [id]}
response_format:
  name: route
  schema: {type: object, properties: {team: {type: string}}, required: [team]}
samples:
  refund:
    q: text please
";

fn passing() -> String {
    format!(
        "{HEAD}tests:
  - name: text answer
    sample: refund
    rendered:
      - contains: text please
      - not_contains: password
      - starts_with: \"[system]\"
      - regex: \"(?m)^\\\\[user\\\\]$\"
      - equals: \"[system]\\nRoute support tickets.\\n\\n[user]\\ntext please\"
    output:
      - contains: billing
      - not_contains: sales
      - equals: Route to billing.
      - regex: \"(?i)^route\"
      - starts_with: Route
  - name: json answer
    vars: {{q: json please}}
    output:
      - json_schema: true
      - json_schema: {{type: object, required: [team]}}
  - name: tool answer
    vars: {{q: tool please}}
    output:
      - tool_call: lookup_order
  - name: rendered only
    vars: {{q: anything}}
    rendered:
      - contains: anything
"
    )
}

fn failing() -> String {
    format!(
        "{HEAD}tests:
  - name: text answer
    sample: refund
    rendered:
      - contains: absent
      - not_contains: text
      - starts_with: \"[user]\"
      - regex: \"^text\"
      - equals: text please
    output:
      - contains: sales
      - not_contains: billing
      - equals: Route
      - regex: \"^billing\"
      - starts_with: billing
  - name: bad json
    vars: {{q: badjson please}}
    output:
      - json_schema: true
      - json_schema: {{type: object, required: [team]}}
  - name: not json
    vars: {{q: notjson please}}
    output:
      - json_schema: true
  - name: bad tool arguments
    vars: {{q: badtool please}}
    output:
      - tool_call: lookup_order
  - name: no tool call
    vars: {{q: text please}}
    output:
      - tool_call: lookup_order
"
    )
}

fn recordings(repo: &TestRepo) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo.root().join("prompts/.recordings")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn record_against_a_mock_then_replay_with_no_connection() {
    let repo = TestRepo::new();
    repo.write_prompt("support/triage", &passing());
    let server = MockServer::start(answers);
    let base = format!("{}/v1", server.url());
    let run = prompt_env(
        &repo,
        &["test", "--record", "--base-url", &base],
        &[("OPENAI_API_KEY", KEY)],
    )
    .success()
    .stderr_has(&format!("calling {base}/chat/completions"))
    .stdout_has("4 passed, 0 failed");
    assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        3,
        "three tests call the model; the rendered-only one does not"
    );
    for s in &seen {
        assert_eq!(s.path, "/v1/chat/completions");
        assert_eq!(
            s.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
    }
    assert!(server.stop() >= 3);

    // Three recordings, none holding the key or any header.
    let files = recordings(&repo);
    assert_eq!(files.len(), 3, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.contains(KEY), "the key leaked into {f:?}");
        assert!(!text.to_lowercase().contains("authorization"));
        assert!(text.contains("\n  \"request\": {"), "pretty JSON:\n{text}");
        let rec: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(rec["prompt"], "support/triage");
        assert!(rec["response"]["choices"].is_array());
        assert!(f.starts_with(repo.root().join("prompts/.recordings/support/triage")));
    }

    // Replay: the old port is closed, a sentinel listens on another; neither is contacted.
    let sentinel = MockServer::sentinel();
    let run = prompt_env(
        &repo,
        &[
            "test",
            "--replay",
            "--base-url",
            &sentinel.url(),
            "--format",
            "json",
        ],
        &[
            ("OPENAI_BASE_URL", &sentinel.url()),
            ("OPENAI_API_KEY", KEY),
        ],
    )
    .success()
    .stderr_has("no network");
    assert_eq!(
        run.json()["summary"],
        json!({"tests": 4, "passed": 4, "failed": 0})
    );
    assert_eq!(run.json()["mode"], "replay");
    // The default is replay too, in CI or not.
    prompt_env(&repo, &["test"], &[("CI", "true")]).success();
    prompt_env(&repo, &["test", "--base-url", &base], &[]).success();
    assert_eq!(sentinel.stop(), 0, "replay made a connection");
}

#[test]
fn the_key_is_sha256_of_the_canonical_body_and_repeat_index() {
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    let server = MockServer::start(answers);
    prompt_env(
        &repo,
        &[
            "test",
            "--record",
            "--base-url",
            &server.url(),
            "--repeat",
            "2",
            "triage",
        ],
        &[],
    )
    .success()
    .stdout_has("8 passed, 0 failed");
    let files = recordings(&repo);
    assert_eq!(files.len(), 6, "two runs of three model tests: {files:?}");
    for f in &files {
        let rec: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let canonical = prompt_registry::testing::recordings::canonical(&rec["request"]);
        // The documented key, computed by another tool: sha256sum.
        let mut child = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        write!(
            child.stdin.take().unwrap(),
            "{canonical}\n{}",
            rec["repeat"]
        )
        .unwrap();
        let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
        let hash = out.split_whitespace().next().unwrap();
        assert_eq!(f.file_stem().unwrap().to_str().unwrap(), hash);
        assert_eq!(rec["key"], hash);
    }
    // The request sent is the `render --format openai` body for the same values.
    let rendered = repo
        .prompt(&[
            "render", "triage", "--sample", "refund", "--format", "openai",
        ])
        .success()
        .json();
    let sent: Vec<Value> = server.seen().into_iter().map(|s| s.body).collect();
    assert!(sent.contains(&rendered), "{rendered}\nnot among\n{sent:#?}");
    let rendered = repo
        .prompt(&[
            "render",
            "triage",
            "--var",
            "q=tool please",
            "--format",
            "openai",
        ])
        .success()
        .json();
    assert!(sent.contains(&rendered));
    server.stop();

    // --model goes into the body, and so into the key: its recordings do not exist yet.
    let server = MockServer::start(answers);
    prompt_env(
        &repo,
        &[
            "test",
            "--live",
            "--base-url",
            &server.url(),
            "--model",
            "other-model",
        ],
        &[],
    )
    .success();
    assert!(server
        .seen()
        .iter()
        .all(|s| s.body["model"] == "other-model"));
    assert_eq!(recordings(&repo).len(), 6, "--live writes nothing");
    server.stop();
    let run = prompt_env(&repo, &["test", "--model", "other-model"], &[]).code(1);
    assert!(run
        .stdout
        .contains("no recording for test `json answer` of `triage` (key "));
}

#[test]
fn anthropic_prompts_use_the_messages_api() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "paper",
        "format: 1
model:
  provider: anthropic
  name: claude-sonnet-4-5
  params:
    max_tokens: 100
inputs:
  q:
    type: string
messages:
  - role: system
    content: Summarize.
  - role: user
    content: \"{{q}}\"
tests:
  - name: summary
    vars: {q: a paper}
    output:
      - contains: short
      - tool_call: cite
tools:
  - name: cite
    parameters: {type: object, required: [doi]}
",
    );
    let server = MockServer::start(|_| {
        Reply::json(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
            "content": [{"type": "text", "text": "A short summary."},
                        {"type": "tool_use", "id": "t1", "name": "cite", "input": {"doi": "10.1/x"}}],
            "stop_reason": "end_turn"
        }))
    });
    prompt_env(
        &repo,
        &["test", "--record"],
        &[
            ("ANTHROPIC_BASE_URL", &server.url()),
            ("ANTHROPIC_API_KEY", KEY),
            ("OPENAI_BASE_URL", "http://127.0.0.1:9"),
        ],
    )
    .success()
    .stderr_has(&format!("calling {}/v1/messages", server.url()));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v1/messages");
    assert_eq!(seen[0].header("x-api-key"), Some(KEY));
    assert_eq!(seen[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(seen[0].header("authorization"), None);
    let rendered = repo
        .prompt(&[
            "render",
            "paper",
            "--var",
            "q=a paper",
            "--format",
            "anthropic",
        ])
        .success()
        .json();
    assert_eq!(seen[0].body, rendered);
    server.stop();
    prompt_env(&repo, &["test"], &[]).success();
    for f in recordings(&repo) {
        assert!(!std::fs::read_to_string(f).unwrap().contains(KEY));
    }
}

#[test]
fn every_check_kind_fails_with_its_reason() {
    let repo = TestRepo::new();
    repo.write_prompt("good", &passing());
    repo.write_prompt("bad", &failing());
    let server = MockServer::start(answers);
    let run = prompt_env(
        &repo,
        &[
            "test",
            "--record",
            "--base-url",
            &server.url(),
            "--format",
            "json",
        ],
        &[],
    )
    .code(1);
    let report = run.json();
    assert_eq!(
        report["summary"],
        json!({"tests": 9, "passed": 4, "failed": 5})
    );
    let results = report["results"].as_array().unwrap();
    let of = |prompt: &str, test: &str| {
        results
            .iter()
            .find(|r| r["prompt"] == prompt && r["test"] == test)
            .unwrap_or_else(|| panic!("{prompt} {test}"))
            .clone()
    };
    // Every check of the failing text test failed, each with a reason; rendered and output.
    let text = of("bad", "text answer");
    let checks = text["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 10);
    for c in checks {
        assert_eq!(c["passed"], false, "{c}");
        assert!(
            c["message"].as_str().unwrap().starts_with("expected"),
            "{c}"
        );
    }
    let kinds: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap().split(' ').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "contains",
            "not_contains",
            "starts_with",
            "regex",
            "equals",
            "contains",
            "not_contains",
            "equals",
            "regex",
            "starts_with"
        ]
    );
    let good = of("good", "text answer");
    assert!(good["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["passed"] == true));
    let bad_json = of("bad", "bad json");
    assert!(bad_json["checks"][0]["message"]
        .as_str()
        .unwrap()
        .contains("does not fit the schema"));
    assert!(bad_json["checks"][1]["message"]
        .as_str()
        .unwrap()
        .contains("team"));
    assert!(of("bad", "not json")["checks"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not JSON"));
    assert!(of("bad", "bad tool arguments")["checks"][0]["message"]
        .as_str()
        .unwrap()
        .contains("do not fit its parameters"));
    assert!(of("bad", "no tool call")["checks"][0]["message"]
        .as_str()
        .unwrap()
        .contains("calls no tool"));
    for name in ["json answer", "tool answer", "rendered only"] {
        assert_eq!(of("good", name)["passed"], true);
    }
    // Text output: one line per test and the summary.
    server.stop();
    let run = repo.prompt(&["test"]).code(1);
    assert!(
        run.stdout
            .contains("FAIL bad :: no tool call — output tool_call lookup_order: expected a call"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ok   good :: json answer"));
    assert!(run.stdout.ends_with("4 passed, 5 failed\n"));
    // Only the passing prompt: exit 0.
    repo.prompt(&["test", "good"])
        .success()
        .stdout_has("4 passed, 0 failed");
}

#[test]
fn junit_parses_back_and_markdown_is_a_table() {
    use quick_xml::events::Event;
    let repo = TestRepo::new();
    repo.write_prompt("good", &passing());
    repo.write_prompt(
        "bad",
        &failing().replace("text answer", "text <&> \"answer\""),
    );
    let server = MockServer::start(answers);
    prompt_env(
        &repo,
        &["test", "--record", "--base-url", &server.url()],
        &[],
    )
    .code(1);
    server.stop();
    let run = repo.prompt(&["test", "--format", "junit"]).code(1);
    let mut reader = quick_xml::Reader::from_str(&run.stdout);
    let (mut suites, mut cases, mut failures) = (Vec::new(), Vec::new(), 0);
    let mut root_attrs = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"testsuites" => root_attrs = vec![attr("tests"), attr("failures")],
                    b"testsuite" => suites.push(attr("name").unwrap()),
                    b"testcase" => cases.push(attr("name").unwrap()),
                    b"failure" => {
                        failures += 1;
                        assert!(!attr("message").unwrap().is_empty());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(root_attrs, [Some("9".to_string()), Some("5".to_string())]);
    assert_eq!(suites, ["bad", "good"]);
    assert_eq!(cases.len(), 9);
    assert!(
        cases.contains(&"text <&> \"answer\"".to_string()),
        "{cases:?}"
    );
    assert_eq!(failures, 5);

    let md = repo
        .prompt(&["test", "--format", "markdown"])
        .code(1)
        .stdout;
    assert!(
        md.contains("| prompt | test | result | reason |\n|---|---|---|---|\n"),
        "{md}"
    );
    assert!(md.contains("| `good` | json answer | ✅ pass |  |"), "{md}");
    assert!(
        md.contains("| `bad` | no tool call | ❌ fail | output tool_call lookup_order"),
        "{md}"
    );
}

/// A test prompt whose one model test goes to `base`.
fn one_model_test(repo: &TestRepo) {
    repo.write_prompt("p", &format!("{HEAD}tests:\n  - name: t\n    sample: refund\n    output:\n      - contains: billing\n"));
}

#[test]
fn bad_endpoints_fail_the_test_with_a_reason() {
    let repo = TestRepo::new();
    one_model_test(&repo);
    let big = {
        let mut s = String::from("{\"pad\": \"");
        s.push_str(&"x".repeat(11 * 1024 * 1024));
        s.push_str("\"}");
        s.into_bytes()
    };
    type Case = (
        &'static str,
        Box<dyn Fn(&Seen) -> Reply + Send + Sync>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        ("html", Box::new(|_| Reply::raw(200, "text/html", b"<!DOCTYPE html><html>oops</html>".to_vec())), "not JSON"),
        ("401", Box::new(|_| Reply::raw(401, "application/json", br#"{"error": {"message": "Incorrect API key provided"}}"#.to_vec())), "answered HTTP 401 (check OPENAI_API_KEY and the base URL): \"Incorrect API key provided\""),
        ("malformed", Box::new(|_| Reply::raw(200, "application/json", b"{\"choices\": [".to_vec())), "not JSON"),
        ("not chat", Box::new(|_| Reply::json(json!({"hello": 1}))), "no `choices[0].message`"),
        ("too large", Box::new(move |_| Reply::raw(200, "application/json", big.clone())), "over 10 MiB: cut off at the cap"),
        ("busy", Box::new(|_| {
            let mut r = Reply::raw(503, "application/json", b"{}".to_vec());
            r.headers.push(("retry-after".into(), "0".into()));
            r
        }), "answered HTTP 503 after 3 attempts"),
        ("slow", Box::new(|_| {
            let mut r = Reply::json(openai_answer(Some("billing"), &[]));
            r.delay = Duration::from_secs(5);
            r
        }), "did not answer in time"),
    ];
    for (name, handler, want) in cases {
        let server = MockServer::start(handler);
        let started = Instant::now();
        let run = prompt_env(
            &repo,
            &[
                "test",
                "--record",
                "--base-url",
                &server.url(),
                "--timeout",
                "1",
            ],
            &[("OPENAI_API_KEY", KEY)],
        )
        .code(1);
        assert!(run.stdout.contains(want), "{name}: {}", run.stdout);
        assert!(run.stdout.contains("0 passed, 1 failed"), "{name}");
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{name} took {:?}",
            started.elapsed()
        );
        assert!(
            recordings(&repo).is_empty(),
            "{name}: a failed call was recorded"
        );
        if name == "busy" {
            assert_eq!(server.seen().len(), 3, "bounded retries");
        }
    }
    // Connection refused: a port that was just closed.
    let closed = MockServer::sentinel();
    let url = closed.url();
    closed.stop();
    prompt_env(&repo, &["test", "--live", "--base-url", &url], &[])
        .code(1)
        .stdout_has("refused the connection");
}

#[test]
fn changed_selects_prompts_through_a_partial() {
    let repo = TestRepo::new();
    repo.write_prompt("shared/sig", "format: 1\ntemplate: Bye\n");
    let with_test = |id: &str, body: &str| {
        repo.write_prompt(
            id,
            &format!("format: 1\ntemplate: |\n  {body}\ntests:\n  - name: says bye\n    rendered:\n      - contains: Bye\n"),
        )
    };
    with_test("mail", "Hi\n  {{> shared/sig}}");
    with_test("other", "Hello. Bye");
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.prompt(&["test", "--changed", "HEAD"])
        .success()
        .stdout_has("0 passed, 0 failed");
    repo.write_prompt("shared/sig", "format: 1\ntemplate: Cheers\n");
    let run = repo.prompt(&["test", "--changed", "HEAD"]).code(1);
    assert!(
        run.stdout.contains("FAIL mail :: says bye"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("other"), "{}", run.stdout);
    assert!(run.stdout.ends_with("0 passed, 1 failed\n"));
    repo.prompt(&["test", "--changed", "no-such-rev"]).code(1);
    // All prompts, without --changed: `other` still passes.
    repo.prompt(&["test", "other"]).success();
}

#[test]
fn prune_lists_then_removes_unused_recordings() {
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    let server = MockServer::start(answers);
    prompt_env(
        &repo,
        &["test", "--record", "--base-url", &server.url()],
        &[],
    )
    .success();
    server.stop();
    assert_eq!(recordings(&repo).len(), 3);
    repo.prompt(&["test", "--prune"])
        .success()
        .stderr_has("0 recording(s) unused");
    // The sample changes: its recording is no longer used; a stray file is not either.
    repo.write_prompt(
        "triage",
        &passing().replace("q: text please", "q: text now"),
    );
    repo.write("prompts/.recordings/gone/0000.json", "{}");
    let run = repo.prompt(&["test", "--prune"]).success();
    let listed: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(listed.len(), 2, "{}", run.stdout);
    assert!(listed.contains(&"prompts/.recordings/gone/0000.json"));
    assert_eq!(recordings(&repo).len(), 4, "--prune alone removes nothing");
    // A prompt mid-edit (it does not load) keeps its recordings.
    let good = repo.read("prompts/triage.prompt.yaml");
    repo.write_prompt("triage", "format: 1\ntemplate: [oops\n");
    let run = repo.prompt(&["test", "--prune"]).success();
    assert_eq!(run.stdout, "prompts/.recordings/gone/0000.json\n");
    repo.write_prompt("triage", &good);
    repo.prompt(&["test", "--prune", "--yes"])
        .success()
        .stdout_has("removed prompts/.recordings/gone/0000.json");
    assert_eq!(recordings(&repo).len(), 2);
    assert!(!repo.root().join("prompts/.recordings/gone").exists());
    repo.prompt(&["test", "json answer"]).code(2);
}

#[test]
fn recordings_are_never_prompts_and_check_reports_bad_tests() {
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    repo.write("prompts/.recordings/triage/abc.json", "{}");
    repo.write("prompts/.recordings/x.prompt.yaml", "not: a prompt\n");
    let list = repo.prompt(&["list", "--json"]).success().json();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    repo.prompt(&["check"])
        .success()
        .stderr_has("checked 1 prompt");
    // check: tests that cannot run are errors with positions, in every output format.
    repo.write_prompt(
        "triage",
        &format!("{HEAD}tests:\n  - name: a\n    sample: nope\n  - name: b\n    sample: refund\n    output:\n      - tool_call: find\n      - regex: \"(\"\n"),
    );
    let run = repo.prompt(&["check"]).code(1);
    assert!(
        run.stdout
            .contains("prompts/triage.prompt.yaml:27:13: error[test]: test `a`: no sample `nope`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(":31:20: error[test]: `tool_call`: no tool `find`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(":32:16: error[test]: `regex` does not compile"),
        "{}",
        run.stdout
    );
    let json = repo.prompt(&["check", "--format", "json"]).code(1).json();
    assert_eq!(json["diagnostics"][0]["rule"], "test");
    let sarif = repo.prompt(&["check", "--format", "sarif"]).code(1).json();
    assert!(sarif.to_string().contains("\"ruleId\":\"test\""));
}

#[test]
fn a_tests_only_edit_is_a_version_that_renders_the_same() {
    let repo = TestRepo::new();
    let base = HEAD.to_string();
    repo.write_prompt("triage", &base);
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.write_prompt("triage", &passing());
    repo.prompt(&["commit", "-m", "tests"])
        .success()
        .stdout_has("version 2");
    let one = repo
        .prompt(&["render", "triage@1", "--sample", "refund", "-f", "openai"])
        .success()
        .stdout;
    let two = repo
        .prompt(&["render", "triage@2", "--sample", "refund", "-f", "openai"])
        .success()
        .stdout;
    assert_eq!(one, two);
    repo.prompt(&["diff", "triage@1", "triage@2"])
        .success()
        .stdout_has("tests.text answer");
}

#[test]
fn usage_errors_exit_2() {
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    repo.prompt(&["test", "--record", "--live"]).code(2);
    repo.prompt(&["test", "--repeat", "0"]).code(2);
    repo.prompt(&["test", "--timeout", "0"]).code(2);
    repo.prompt(&["test", "--yes"]).code(2);
    repo.prompt(&["test", "--format", "xml"]).code(2);
    repo.prompt(&["test", "--live", "--base-url", "ftp://x"])
        .code(2)
        .stderr_has("http://");
    repo.prompt(&["test", "nope"]).code(1).stderr_has("nope");
}

#[test]
fn jobs_run_calls_in_parallel() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let server = {
        let (now, most) = (now.clone(), most.clone());
        MockServer::start(move |seen| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(500));
            now.fetch_sub(1, Ordering::SeqCst);
            answers(seen)
        })
    };
    prompt_env(
        &repo,
        &["test", "--live", "--jobs", "3", "--base-url", &server.url()],
        &[],
    )
    .success();
    assert!(most.load(Ordering::SeqCst) >= 2, "calls did not overlap");
    most.store(0, Ordering::SeqCst);
    prompt_env(
        &repo,
        &["test", "--live", "--jobs", "1", "--base-url", &server.url()],
        &[],
    )
    .success();
    assert_eq!(most.load(Ordering::SeqCst), 1, "--jobs 1 overlapped calls");
    server.stop();
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_recording_leaves_no_partial_recording() {
    let repo = TestRepo::new();
    repo.write_prompt("triage", &passing());
    let server = MockServer::start(|seen| {
        let mut r = answers(seen);
        if question(seen).starts_with("json") {
            r.delay = Duration::from_secs(20);
        }
        r
    });
    let mut child = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args([
            "test",
            "--record",
            "--jobs",
            "1",
            "--base-url",
            &server.url(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The calls go one at a time in file order: the slow second one is in flight once the
    // server has read two requests.
    assert!(server.wait_for_requests(2, Duration::from_secs(20)));
    // SAFETY: kill(2) on the pid of a child this test started and has not waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let files = recordings(&repo);
    assert!(files.len() <= 1, "only the finished answer: {files:?}");
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        assert!(!name.starts_with('.') && name.ends_with(".json"), "{name}");
        serde_json::from_str::<Value>(&std::fs::read_to_string(&f).unwrap()).unwrap();
    }
    drop(server);
}

#[test]
fn tests_that_send_the_same_request_share_one_call_and_recording() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "p",
        &format!(
            "{HEAD}tests:\n  - name: one\n    sample: refund\n    output:\n      - contains: billing\n  - name: two\n    vars: {{q: text please}}\n    output:\n      - starts_with: Route\n"
        ),
    );
    let server = MockServer::start(answers);
    prompt_env(
        &repo,
        &["test", "--record", "--base-url", &server.url()],
        &[],
    )
    .success()
    .stdout_has("2 passed, 0 failed");
    assert_eq!(server.seen().len(), 1);
    server.stop();
    assert_eq!(recordings(&repo).len(), 1);
    repo.prompt(&["test"])
        .success()
        .stdout_has("2 passed, 0 failed");
}
