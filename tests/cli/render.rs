//! `prompt render`: values, strictness, partials at the same revision, formats, batch.

use crate::common::TestRepo;

const SUMMARIZE: &str = "format: 1
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0.2
inputs:
  ticket:
    type: string
  tone:
    type: string
    default: neutral
    enum: [neutral, warm]
  count:
    type: integer
    required: false
messages:
  - role: system
    content: |
      Summarize in a {{tone}} tone.{{#count}} Use {{count}} bullets.{{/count}}
  - role: user
    content: |
      {{ticket}}
samples:
  short:
    ticket: Refund please.
";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("support/summarize", SUMMARIZE);
    repo
}

#[test]
fn renders_text_with_values_defaults_and_samples() {
    let repo = repo();
    let out = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--var",
            "ticket=My <order> {{x}} is late",
            "--var",
            "count=3",
        ])
        .success();
    assert_eq!(
        out.stdout,
        "[system]\nSummarize in a neutral tone. Use 3 bullets.\n\n[user]\nMy <order> {{x}} is late\n"
    );
    repo.prompt(&[
        "render",
        "support/summarize",
        "--sample",
        "short",
        "--var",
        "tone=warm",
    ])
    .success()
    .stdout_has("in a warm tone.\n\n[user]\nRefund please.");
}

#[test]
fn strict_errors_name_what_is_wrong() {
    let repo = repo();
    repo.prompt(&["render", "support/summarize"])
        .code(1)
        .stderr_has("error: missing value for `ticket`");
    repo.prompt(&[
        "render",
        "support/summarize",
        "--var",
        "ticket=x",
        "--var",
        "tikcet=y",
    ])
    .code(1)
    .stderr_has("`tikcet` is not an input of this prompt (inputs: ticket, tone, count)");
    repo.prompt(&[
        "render",
        "support/summarize",
        "--var",
        "ticket=x",
        "--var",
        "count=many",
    ])
    .code(1)
    .stderr_has("`count` must be an integer: `many` is not a whole number");
    repo.prompt(&[
        "render",
        "support/summarize",
        "--var",
        "ticket=x",
        "--var",
        "tone=angry",
    ])
    .code(1)
    .stderr_has("not one of its allowed values");
    repo.prompt(&["render", "support/summarize", "--var", "ticket"])
        .code(2)
        .stderr_has("NAME=VALUE");
    repo.prompt(&["render", "support/summarize", "--sample", "long"])
        .code(1)
        .stderr_has("known samples: short");

    repo.write_prompt("t", "format: 1\ntemplate: |\n  Hi {{who}}\n");
    repo.prompt(&["render", "t"])
        .code(1)
        .stderr_has("template: missing variable `who` (used at line 1, column 4)");
    assert_eq!(
        repo.prompt(&["render", "t", "--lenient"]).success().stdout,
        "Hi \n"
    );
    assert_eq!(
        repo.prompt(&["render", "t", "--lenient", "--var", "who=Bo"])
            .success()
            .stdout,
        "Hi Bo\n"
    );
}

#[test]
fn values_from_files_and_stdin() {
    let repo = repo();
    repo.write("ticket.txt", "From a file\n");
    repo.write("vals.yaml", "ticket: From YAML\ncount: 2\n");
    repo.prompt(&["render", "support/summarize", "--var", "ticket=@ticket.txt"])
        .success()
        .stdout_has("[user]\nFrom a file\n");
    repo.prompt(&["render", "support/summarize", "--vars", "vals.yaml"])
        .success()
        .stdout_has("Use 2 bullets.");
    let out = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args(["render", "support/summarize", "--vars", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"{\"ticket\": \"From stdin\"}")?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("From stdin"));
    repo.prompt(&[
        "render",
        "support/summarize",
        "--var",
        "ticket=@missing.txt",
    ])
    .code(1)
    .stderr_has("cannot read `missing.txt` for `ticket`");
}

#[test]
fn partials_are_read_at_the_same_revision() {
    let repo = TestRepo::new();
    repo.write_prompt("shared/sig", "format: 1\ntemplate: '-- Team v1'\n");
    repo.write_prompt(
        "mail",
        "format: 1\ntemplate: |\n  Hello\n  {{> shared/sig}}\n",
    );
    repo.prompt(&["commit", "-m", "v1"]).success();
    repo.write_prompt("shared/sig", "format: 1\ntemplate: '-- Team v2'\n");
    repo.prompt(&["commit", "-m", "v2"]).success();
    repo.write_prompt("shared/sig", "format: 1\ntemplate: '-- Team draft'\n");
    assert_eq!(
        repo.prompt(&["render", "mail@1"]).success().stdout,
        "Hello\n-- Team v1"
    );
    // A version pins its partials as they were in its own commit, and a commit that changes a
    // partial is a version of the prompts that include it (contract §4): `mail@2` is v2's.
    assert_eq!(
        repo.prompt(&["render", "mail@latest"]).success().stdout,
        "Hello\n-- Team v2"
    );
    assert_eq!(
        repo.prompt(&["render", "mail@2"]).success().stdout,
        "Hello\n-- Team v2"
    );
    assert_eq!(
        repo.prompt(&["render", "mail@HEAD"]).success().stdout,
        "Hello\n-- Team v2"
    );
    assert_eq!(
        repo.prompt(&["render", "mail"]).success().stdout,
        "Hello\n-- Team draft"
    );
    repo.write_prompt("mail", "format: 1\ntemplate: '{{> shared/gone}}'\n");
    repo.prompt(&["render", "mail"])
        .code(1)
        .stderr_has("shared/gone");
}

#[test]
fn json_and_provider_formats() {
    let repo = repo();
    let json = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--sample",
            "short",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(
        json["messages"][1],
        serde_json::json!({"role": "user", "content": "Refund please.\n"})
    );
    let body = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--sample",
            "short",
            "-f",
            "openai",
        ])
        .success()
        .json();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["temperature"], 0.2);
    repo.prompt(&[
        "render",
        "support/summarize",
        "--sample",
        "short",
        "-f",
        "anthropic",
    ])
    .code(1)
    .stderr_has("anthropic: `max_tokens` is required");
    let gemini = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--sample",
            "short",
            "-f",
            "gemini",
        ])
        .success()
        .json();
    assert_eq!(gemini["generationConfig"]["temperature"], 0.2);
    repo.prompt(&["render", "support/summarize", "-f", "cohere"])
        .code(2);
}

#[test]
fn text_prompt_f_string_and_none_formats() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "py",
        "format: 1\ntemplate_format: f-string\ninputs:\n  user:\n    type: object\ntemplate: 'Hi {user[name]}, you have {user.n:>3} {{new}} items'\n",
    );
    repo.prompt(&["check", "py"]).success();
    assert_eq!(
        repo.prompt(&[
            "render",
            "py",
            "--var",
            "user={\"name\": \"Ann\", \"n\": 5}"
        ])
        .success()
        .stdout,
        "Hi Ann, you have   5 {new} items"
    );
    repo.write_prompt(
        "raw",
        "format: 1\ntemplate_format: none\ntemplate: 'Keep {{this}} as is'\n",
    );
    assert_eq!(
        repo.prompt(&["render", "raw"]).success().stdout,
        "Keep {{this}} as is"
    );
}

#[test]
fn batch_renders_one_line_per_line_and_reports_failures_by_line() {
    let repo = repo();
    repo.write(
        "in.jsonl",
        "{\"ticket\": \"a\"}\n{\"ticket\": 5}\n\n{\"ticket\": \"c\", \"tone\": \"warm\"}\nnot json\n",
    );
    let out = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--batch",
            "in.jsonl",
            "-f",
            "json",
        ])
        .code(1);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One output line per input line, blank ones included, each with its line number.
    assert_eq!(lines.len(), 5);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["line"], i + 1, "{l}");
    }
    assert_eq!(lines[0]["output"]["messages"][1]["content"], "a\n");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("`ticket` must be a string"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("blank line"));
    assert!(lines[3]["output"]["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("warm"));
    assert!(lines[4]["error"].as_str().unwrap().starts_with("not JSON"));
    out.stderr_has("error: line 2:")
        .stderr_has("error: line 3: blank line")
        .stderr_has("error: line 5: not JSON");

    let out = repo
        .prompt(&[
            "render",
            "support/summarize",
            "--batch",
            "in.jsonl",
            "--fail-fast",
            "-f",
            "openai",
        ])
        .code(1);
    assert_eq!(out.stdout.lines().count(), 2);
    repo.write("ok.jsonl", "{\"ticket\": \"a\"}\n{\"ticket\": \"b\"}\n");
    let out = repo
        .prompt(&["render", "support/summarize", "--batch", "ok.jsonl"])
        .success();
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(
        out.stdout.starts_with("{\"line\":1,\"output\":\""),
        "text format writes JSON strings: {}",
        out.stdout
    );
}

#[test]
fn batch_reads_crlf_and_an_unterminated_last_line_and_refuses_deep_lines() {
    let repo = repo();
    let nested = |depth: usize| format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let text = format!(
        "{{\"ticket\": \"a\"}}\r\n{{\"ticket\": {}}}\r\n{{\"ticket\": \"b\", \"tone\": {}}}\n\r\n\
         {{\"ticket\": \"c\"}}",
        nested(101),
        nested(3)
    );
    repo.write("in.jsonl", &text);
    let out = repo
        .prompt(&["render", "support/summarize", "--batch", "in.jsonl"])
        .code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // Line 2 is refused by the depth limit; line 3 (shallow) passes it and fails on its type.
    let starts = [
        "{\"line\":1,\"output\":\"",
        "{\"line\":2,\"error\":\"column ",
        "{\"line\":3,\"error\":\"`tone` ",
        "{\"line\":4,\"error\":\"blank line",
        "{\"line\":5,\"output\":\"",
    ];
    assert_eq!(lines.len(), starts.len(), "{}", out.stdout);
    for (line, start) in lines.iter().zip(starts) {
        assert!(line.starts_with(start), "{line} should start with {start}");
    }
    assert!(
        lines[1].contains("nesting deeper than 100 levels"),
        "{}",
        lines[1]
    );
    assert!(lines[4].ends_with(r#"[user]\nc\n"}"#), "{}", lines[4]);
    assert!(out.stdout.ends_with("}\n"));
    out.stderr_has("error: line 2: column ")
        .stderr_has("error: line 4: blank line");
}

#[test]
fn media_parts_and_history() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "vision",
        "format: 1
model: {provider: anthropic, name: claude-sonnet-4-5, params: {max_tokens: 100}}
inputs:
  photo: {type: image}
  chat: {type: messages, required: false}
messages:
  - history: chat
  - role: user
    content:
      - text: Describe this.
      - image: photo
",
    );
    repo.write("cat.png", "\u{89}PNG");
    let body = repo
        .prompt(&[
            "render",
            "vision",
            "--var",
            "photo=@cat.png",
            "--var",
            "chat=[{\"role\": \"user\", \"content\": \"hi\"}]",
            "-f",
            "anthropic",
        ])
        .success()
        .json();
    assert_eq!(
        body["messages"][0],
        serde_json::json!({"role": "user", "content": "hi"})
    );
    assert_eq!(
        body["messages"][1]["content"][1]["source"]["media_type"],
        "image/png"
    );
    repo.prompt(&["render", "vision", "--var", "photo=x.bmp"])
        .code(1)
        .stderr_has("unknown file type");
    repo.prompt(&[
        "render",
        "vision",
        "--var",
        "photo=a.png",
        "--var",
        "chat=[{\"content\": \"x\"}]",
    ])
    .code(1)
    .stderr_has("`chat` item 0: `role` is missing");
}

#[test]
fn provider_bodies_warn_about_what_they_leave_out() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "rate",
        "format: 1
model:
  provider: google
  name: gemini-2.5-flash
  params: {temperature: 0.1, maxOutputTokens: 64, stop_sequences: [END], top_k: 5}
messages:
  - {role: user, content: Rate it.}
response_format:
  name: rating
  schema: {type: object, properties: {stars: {type: integer}}, required: [stars]}
",
    );
    let out = repo
        .prompt(&["render", "rate", "-f", "anthropic"])
        .success();
    let body = out.json();
    assert_eq!(body["max_tokens"], 64);
    assert_eq!(body["stop_sequences"], serde_json::json!(["END"]));
    assert_eq!(
        body["output_config"]["format"]["schema"]["required"],
        serde_json::json!(["stars"])
    );
    assert!(body.get("temperature").is_none());
    out.stderr_has(
        "anthropic: left out parameters the request does not define: temperature, top_k",
    );

    let out = repo.prompt(&["render", "rate", "-f", "openai"]).success();
    let body = out.json();
    assert_eq!(body["max_tokens"], 64);
    assert_eq!(body["stop"], serde_json::json!(["END"]));
    assert!(body.get("top_k").is_none());
    out.stderr_has("openai: left out parameters the request does not define: top_k");

    let out = repo.prompt(&["render", "rate", "-f", "bedrock"]).success();
    let body = out.json();
    assert_eq!(body["outputConfig"]["textFormat"]["type"], "json_schema");
    assert_eq!(
        body["outputConfig"]["textFormat"]["structure"]["jsonSchema"]["schema"],
        r#"{"type":"object","properties":{"stars":{"type":"integer"}},"required":["stars"]}"#
    );
    out.stderr_has("additionalModelRequestFields (the model must accept them): top_k");

    let out = repo.prompt(&["render", "rate", "-f", "gemini"]).success();
    assert_eq!(out.json()["generationConfig"]["topK"], 5);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn examples_and_optional_media() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "look",
        "format: 1
model: {provider: openai, name: gpt-4o}
inputs:
  q: {type: string}
  photo: {type: image, required: false}
  past: {type: messages, required: false}
messages:
  - {role: system, content: Be brief.}
  - history: past
  - role: user
    content: [{text: '{{q}}'}, {image: photo}]
examples:
  - {input: {q: 'What is 2+2?'}, output: '4'}
",
    );
    let body = repo
        .prompt(&[
            "render",
            "look",
            "--var",
            "q=What is it?",
            "--var",
            "photo=https://x.test/cat.png",
            "--var",
            r#"past=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]"#,
            "-f",
            "openai",
        ])
        .success()
        .json();
    let messages = body["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["system", "user", "assistant", "user", "assistant", "user"]
    );
    // The example's turn carries its own text and not the live image.
    assert_eq!(
        messages[1]["content"],
        serde_json::json!([{"type": "text", "text": "What is 2+2?"}])
    );
    assert_eq!(messages[3]["content"], "hi");
    assert_eq!(
        messages[5]["content"][1]["image_url"]["url"],
        "https://x.test/cat.png"
    );

    for extra in [&[][..], &["--lenient"][..]] {
        let mut args = vec!["render", "look", "--var", "q=Hi", "-f", "json"];
        args.extend_from_slice(extra);
        let out = repo.prompt(&args).success();
        assert_eq!(
            out.json()["messages"][3]["content"],
            serde_json::json!([{"type": "text", "text": "Hi"}])
        );
        assert!(out.stderr.is_empty(), "{}", out.stderr);
    }
}
