//! `prompt review BASE..HEAD`: the pull-request report on real repositories with a base and a
//! feature branch: a partial shared by several prompts, a breaking input, a model change, a
//! rename, an added and a removed prompt, a prompt that does not parse on one side; golden
//! markdown, the JSON shape, exact token counts, the comment size cap, and bad input.

use crate::common::TestRepo;

const HEADER: &str = "format: 1
description: The line every support prompt starts with.
template: |
  Support desk, ticket follows.
";

const REPLY: &str = "format: 1
model:
  provider: openai
  name: gpt-4o
inputs:
  ticket:
    type: string
messages:
  - role: system
    content: You draft replies to support tickets. Be kind and brief.
  - role: user
    content: |
      {{> shared/header}}
      {{ticket}}
samples:
  refund:
    ticket: I want my money back.
";

const SUMMARIZE: &str = "format: 1
model:
  provider: openai
  name: gpt-4o-mini
inputs:
  ticket:
    type: string
messages:
  - role: system
    content: Summarize the ticket in one sentence.
  - role: user
    content: |
      {{> shared/header}}
      {{ticket}}
samples:
  late:
    ticket: My parcel is two weeks late.
";

/// Includes the partial and does not change itself: it changes through it.
const ESCALATE: &str = "format: 1
inputs:
  ticket:
    type: string
template: |
  {{> shared/header}}
  Escalate if urgent: {{ticket}}
";

const ROUTE: &str = "format: 1
description: Pick the queue for a ticket.
inputs:
  ticket:
    type: string
template: |
  Choose one queue for this ticket: billing, shipping, technical or other.
  Answer with the queue name only.

  Ticket:
  {{ticket}}
";

const PITCH: &str = "format: 1
model:
  provider: anthropic
  name: claude-sonnet-4
  params:
    max_tokens: 300
inputs:
  product:
    type: string
messages:
  - role: user
    content: Write a two-line pitch for {{product}}.
samples:
  pen:
    product: a pen
";

const TAGLINE: &str = "format: 1
messages:
  - role: user
    content: Write a tagline.
";

const NOTES: &str = "format: 1
template: Notes for the team.
";

/// `main` with every prompt committed (reply promoted to production, summarize to staging), and
/// the branch `feature` changing them all, as a pull request would.
fn pull_request() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("shared/header", HEADER);
    repo.write_prompt("support/reply", REPLY);
    repo.write_prompt("support/summarize", SUMMARIZE);
    repo.write_prompt("support/escalate", ESCALATE);
    repo.write_prompt("support/route", ROUTE);
    repo.write_prompt("sales/pitch", PITCH);
    repo.write_prompt("team/notes", NOTES);
    repo.prompt(&["commit", "-m", "Support prompts"]).success();
    repo.prompt(&["promote", "support/reply@1", "production", "--yes"])
        .success();
    repo.prompt(&["promote", "support/summarize@1", "staging"])
        .success();
    repo.git(&["switch", "-q", "-c", "feature"]);
    // The shared partial: every includer changes through it.
    repo.write_prompt(
        "shared/header",
        &HEADER.replace("ticket follows", "new ticket below"),
    );
    // A breaking input: a new required input.
    repo.write_prompt(
        "support/reply",
        &REPLY
            .replace("inputs:\n", "inputs:\n  customer:\n    type: string\n")
            .replace(
                "Be kind and brief.",
                "Be kind and brief. Greet {{customer}}.",
            )
            .replace(
                "    ticket: I want",
                "    customer: Ann\n    ticket: I want",
            ),
    );
    // A model change.
    repo.write_prompt(
        "support/summarize",
        &SUMMARIZE.replace("gpt-4o-mini", "gpt-4.1"),
    );
    repo.prompt(&["commit", "-m", "Friendlier support prompts"])
        .success();
    repo.prompt(&["mv", "support/route", "support/triage"])
        .success();
    repo.prompt(&["rm", "sales/pitch"]).success();
    repo.write_prompt("sales/tagline", TAGLINE);
    repo.prompt(&["commit", "-m", "Taglines"]).success();
    // A prompt that does not parse on the head side, committed with plain git.
    repo.write_prompt("team/notes", "format: 1\ntemplate: [unclosed\n");
    repo.git(&["commit", "-q", "-am", "Broken notes"]);
    repo
}

#[test]
fn the_markdown_report_covers_every_kind_of_change() {
    let repo = pull_request();
    let out = repo.prompt(&["review", "main..feature"]).success();
    assert_eq!(out.stderr, "");
    assert!(out.stdout.starts_with("<!-- prompt-review -->\n"));
    insta::assert_snapshot!("review_markdown", out.stdout);
}

#[test]
fn the_json_report_has_every_part() {
    let repo = pull_request();
    let out = repo
        .prompt(&["review", "main..feature", "--format", "json"])
        .success();
    let json = out.json();
    assert_eq!(json["marker"], "<!-- prompt-review -->");
    assert_eq!(json["range"]["old"], "main");
    let prompts = json["prompts"].as_array().unwrap();
    let entry = |id: &str| {
        prompts
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {prompts:#?}"))
    };
    let changes: Vec<(String, String, bool)> = prompts
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["change"].as_str().unwrap().to_string(),
                p["breaking"].as_bool().unwrap(),
            )
        })
        .collect();
    let want = [
        ("sales/pitch", "removed", true),
        ("sales/tagline", "added", false),
        ("shared/header", "modified", false),
        ("support/escalate", "through", false),
        ("support/reply", "modified", true),
        ("support/summarize", "modified", false),
        ("support/triage", "renamed", true),
        ("team/notes", "modified", false),
    ];
    let want: Vec<(String, String, bool)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(changes, want);
    assert_eq!(json["summary"]["changed"], 8);
    assert_eq!(json["summary"]["through"], 1);
    assert_eq!(json["summary"]["breaking"], 3);
    // The partial: who changes through it; and they name it.
    assert_eq!(
        entry("shared/header")["changes_through"],
        serde_json::json!(["support/escalate", "support/reply", "support/summarize"])
    );
    assert_eq!(
        entry("support/escalate")["through"],
        serde_json::json!(["shared/header"])
    );
    assert!(entry("support/escalate")["diff"].is_null());
    assert_eq!(entry("support/triage")["old_id"], "support/route");
    // The breaking input, from the semantic diff.
    let reply = entry("support/reply");
    let reasons = reply["diff"]["breaking"].as_array().unwrap();
    assert!(
        reasons[0].as_str().unwrap().contains("customer"),
        "{reasons:?}"
    );
    // Environments: production runs the base version of reply.
    assert_eq!(
        reply["environments"],
        serde_json::json!([{"name": "production", "commit": reply["environments"][0]["commit"],
                            "version": 1, "base": true}])
    );
    assert_eq!(
        entry("support/summarize")["environments"][0]["name"],
        "staging"
    );
    // Renders per sample with token counts; the model change switches the counter's model.
    let pair = &entry("support/summarize")["renders"][0];
    assert_eq!(pair["sample"], "late");
    assert_eq!(pair["changed"], true);
    assert!(pair["old"]["text"]
        .as_str()
        .unwrap()
        .contains("Support desk, ticket follows.\nMy parcel is two weeks late."));
    assert!(pair["new"]["text"]
        .as_str()
        .unwrap()
        .contains("new ticket below"));
    assert_eq!(pair["old"]["tokens"]["model"], "openai/gpt-4o-mini");
    assert_eq!(pair["new"]["tokens"]["model"], "openai/gpt-4.1");
    assert_eq!(pair["new"]["tokens"]["exact"], true);
    assert_eq!(pair["new"]["tokens"]["encoding"], "o200k_base");
    // Anthropic: an estimate, labelled so.
    let pitch = &entry("sales/pitch")["renders"][0];
    assert!(pitch["new"].is_null());
    assert_eq!(pitch["old"]["tokens"]["exact"], false);
    // The side that does not parse says so; the other side still renders.
    let notes = &entry("team/notes");
    assert!(notes["diff"]["unparsed"]["error"]
        .as_str()
        .unwrap()
        .contains("team/notes.prompt.yaml"));
    let render = &notes["renders"][0];
    assert!(render["new"]["error"]
        .as_str()
        .unwrap()
        .contains("does not parse"));
    assert_eq!(render["old"]["text"], "Notes for the team.");
    // None of these prompts has tests on either side: no tests part.
    assert!(prompts.iter().all(|p| p.get("tests").is_none()));
}

/// One chat prompt whose two messages say `system` and `user`, for exact counts.
fn counted(provider: &str, model: &str, system: &str, user: &str) -> String {
    format!(
        "format: 1\nmodel:\n  provider: {provider}\n  name: {model}\n  params:\n    max_tokens: 100\nmessages:\n  - role: system\n    content: \"{system}\"\n  - role: user\n    content: \"{user}\"\n"
    )
}

#[test]
fn token_counts_are_exact_for_openai_encodings() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &counted("openai", "gpt-4o", "x", "x"));
    repo.write_prompt("b", &counted("openai", "gpt-3.5-turbo", "x", "x"));
    repo.write_prompt("c", &counted("anthropic", "claude-sonnet-4", "x", "x"));
    repo.prompt(&["commit", "-m", "base"]).success();
    repo.git(&["tag", "base"]);
    repo.write_prompt(
        "a",
        &counted("openai", "gpt-4o", "hello world", "tiktoken is great!"),
    );
    repo.write_prompt(
        "b",
        &counted(
            "openai",
            "gpt-3.5-turbo",
            "hello world",
            "tiktoken is great!",
        ),
    );
    repo.write_prompt(
        "c",
        &counted("anthropic", "claude-sonnet-4", "hello world", "hi"),
    );
    repo.prompt(&["commit", "-m", "counted"]).success();
    let json = repo
        .prompt(&["review", "base..HEAD", "--json"])
        .success()
        .json();
    let tokens = |i: usize, side: &str| json["prompts"][i]["renders"][0][side]["tokens"].clone();
    // "hello world" is 2 tokens in both encodings; "tiktoken is great!" 6 in cl100k_base.
    let a = tokens(0, "new");
    assert_eq!(a["encoding"], "o200k_base");
    assert_eq!(a["exact"], true);
    assert_eq!(a["messages"][0]["tokens"], 2);
    assert_eq!(a["messages"][0]["role"], "system");
    let b = tokens(1, "new");
    assert_eq!(b["encoding"], "cl100k_base");
    assert_eq!(b["messages"][0]["tokens"], 2);
    assert_eq!(b["messages"][1]["tokens"], 6);
    assert_eq!(b["total"], 8);
    assert_eq!(tokens(1, "old")["total"], 2);
    let c = tokens(2, "new");
    assert_eq!(c["exact"], false);
    assert_eq!(c["messages"][0]["tokens"], 2);
    let md = repo.prompt(&["review", "base..HEAD"]).success().stdout;
    assert!(md.contains("| 2 user | 1 → 6 (+5) |"), "{md}");
    assert!(
        md.contains("exact, cl100k_base, openai/gpt-3.5-turbo"),
        "{md}"
    );
    assert!(
        md.contains("estimated (o200k_base), anthropic/claude-sonnet-4"),
        "{md}"
    );
}

#[test]
fn a_big_change_is_cut_to_the_comment_limit_and_json_keeps_everything() {
    let repo = TestRepo::new();
    let prompt = |i: usize, text: &str| {
        format!(
            "format: 1\nmodel:\n  provider: openai\n  name: gpt-4o\nmessages:\n  - role: user\n    content: \"{text} {i}\"\n"
        )
    };
    for i in 0..300 {
        repo.write_prompt(&format!("many/p{i:03}"), &prompt(i, "Say hello."));
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "base"]);
    repo.git(&["tag", "base"]);
    let long = "All work and no play makes a dull prompt. ".repeat(300);
    for i in 0..300 {
        repo.write_prompt(&format!("many/p{i:03}"), &prompt(i, &long));
    }
    repo.git(&["commit", "-q", "-am", "long"]);
    let md = repo.prompt(&["review", "base..HEAD"]).success().stdout;
    assert!(
        md.chars().count() < 65_536,
        "{} characters",
        md.chars().count()
    );
    assert!(md.starts_with("<!-- prompt-review -->\n"));
    assert!(
        md.contains("Cut to fit GitHub's 65536-character comment limit"),
        "{md}"
    );
    assert!(md.contains("left out"), "sections summarised: {md}");
    // The summary table is whole.
    for i in 0..300 {
        assert!(
            md.contains(&format!("| `many/p{i:03}` | modified | no |")),
            "row {i}"
        );
    }
    let json = repo
        .prompt(&["review", "base..HEAD", "--format", "json"])
        .success()
        .json();
    let prompts = json["prompts"].as_array().unwrap();
    assert_eq!(prompts.len(), 300);
    let text = prompts[299]["renders"][0]["new"]["text"].as_str().unwrap();
    assert!(text.contains(&long), "JSON is uncut");
}

#[test]
fn one_huge_render_is_cut_and_the_rest_stays() {
    let repo = TestRepo::new();
    repo.write_prompt("big", "format: 1\ntemplate: small\n");
    repo.write_prompt("small", "format: 1\ntemplate: one\n");
    repo.prompt(&["commit", "-m", "base"]).success();
    repo.git(&["tag", "base"]);
    let huge = "word ".repeat(40_000);
    repo.write_prompt("big", &format!("format: 1\ntemplate: \"{huge}\"\n"));
    repo.write_prompt("small", "format: 1\ntemplate: two\n");
    repo.prompt(&["commit", "-m", "huge"]).success();
    let md = repo.prompt(&["review", "base..HEAD"]).success().stdout;
    assert!(md.chars().count() < 65_536);
    assert!(md.contains("Cut to fit"), "{md}");
    assert!(
        md.contains("render of `big`"),
        "the note names what was cut: {md}"
    );
    // The small prompt's parts are all there.
    assert!(md.contains("-one\n+two"), "{md}");
}

#[test]
fn bad_ranges_say_what_to_do() {
    let repo = TestRepo::new();
    repo.write_prompt("a", NOTES);
    repo.prompt(&["commit", "-m", "base"]).success();
    repo.prompt(&["review", "nobranch..HEAD"])
        .code(1)
        .stderr_has("error: `nobranch` is not a git revision")
        .stderr_has("hint: `git branch -a` and `git tag` list revisions");
    repo.prompt(&["review", "HEAD"])
        .code(2)
        .stderr_has("is not a range");
    repo.prompt(&["review", "a..b..c"]).code(2);
    // Nothing changed: the marker and a sentence, so the sticky comment says so.
    let out = repo.prompt(&["review", "HEAD..HEAD"]).success();
    assert_eq!(
        out.stdout,
        "<!-- prompt-review -->\n### Prompt review: `HEAD..HEAD`\n\nNo prompt changed.\n"
    );
}

#[test]
fn a_shallow_checkout_without_the_base_says_how_to_fetch_it() {
    let repo = pull_request();
    let clone = repo.sibling("shallow");
    let url = format!("file://{}", repo.root().display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "feature",
        &url,
        clone.to_str().unwrap(),
    ]);
    let out = repo
        .prompt_in(&clone, &["review", "origin/main..HEAD"])
        .code(1);
    assert!(
        out.stderr.contains("`origin/main` is not a git revision"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("git fetch --unshallow"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("fetch-depth: 0"), "{}", out.stderr);
    // With the base's tip fetched but not the history between: no merge base in this clone.
    repo.git_in(
        &clone,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    let out = repo
        .prompt_in(&clone, &["review", "origin/main...HEAD"])
        .code(1);
    assert!(
        out.stderr.contains("git fetch --unshallow"),
        "{}",
        out.stderr
    );
    // Two revisions it holds: the report is made.
    repo.prompt_in(&clone, &["review", "origin/main..HEAD"])
        .success()
        .stdout_has("<!-- prompt-review -->");
}

#[test]
fn binary_and_huge_files_are_reported_not_read() {
    let repo = TestRepo::new();
    repo.write_prompt("bin", NOTES);
    repo.write_prompt("huge", NOTES);
    repo.prompt(&["commit", "-m", "base"]).success();
    repo.git(&["tag", "base"]);
    std::fs::write(
        repo.root().join("prompts/bin.prompt.yaml"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    let huge = format!(
        "format: 1\ntemplate: |\n{}",
        "  line of text\n".repeat(200_000)
    );
    repo.write_prompt("huge", &huge);
    repo.git(&["commit", "-q", "-am", "binary and huge"]);
    let json = repo
        .prompt(&["review", "base..HEAD", "--json"])
        .success()
        .json();
    let error = |i: usize| json["prompts"][i]["diff"]["unparsed"]["error"].clone();
    assert!(error(0).as_str().unwrap().contains("binary"), "{json:#}");
    assert!(error(1).as_str().unwrap().contains("too large"), "{json:#}");
    assert!(json["prompts"][1]["renders"][0]["new"]["error"]
        .as_str()
        .unwrap()
        .contains("too large"));
    let md = repo.prompt(&["review", "base..HEAD"]).success().stdout;
    assert!(md.contains("Not read as a prompt: binary file"), "{md}");
}

/// A prompt with a rendered check and a model check, recorded on `main` against a mock model
/// API on 127.0.0.1; the branch sends it elsewhere, so the rendered check fails and the model
/// check has no recording for the new request. The review replays both sides, offline.
#[test]
fn test_results_before_and_after_come_from_the_recordings_of_each_side() {
    use crate::mock_llm::{openai_answer, MockServer, Reply};
    let billing = "format: 1
model: {provider: openai, name: gpt-4o-mini}
inputs:
  q: {type: string}
messages:
  - role: user
    content: 'Route to billing: {{q}}'
samples:
  refund: {q: my money back}
tests:
  - name: mentions billing
    sample: refund
    rendered:
      - contains: billing
  - name: answers billing
    sample: refund
    output:
      - contains: billing
";
    let repo = TestRepo::new();
    repo.write_prompt("support/route", billing);
    repo.prompt(&["commit", "-m", "Routing"]).success();
    let server = MockServer::start(|_| Reply::json(openai_answer(Some("Route to billing."), &[])));
    let mut record = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    record
        .args([
            "test",
            "--record",
            "--base-url",
            &format!("{}/v1", server.url()),
        ])
        .env("OPENAI_API_KEY", "sk-test");
    let out = record.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.stop(), 1, "one model call for the one model check");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "Recordings"]);
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.write_prompt(
        "support/route",
        &billing.replace("Route to billing", "Route to sales"),
    );
    repo.prompt(&["commit", "-m", "Route to sales"]).success();

    let json = repo
        .prompt(&["review", "main..feature", "--format", "json"])
        .success();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let cases = &report["prompts"][0]["tests"]["cases"];
    assert_eq!(cases[0]["name"], "mentions billing");
    assert_eq!(cases[0]["before"], "passed");
    assert_eq!(cases[0]["after"], "failed");
    assert!(
        cases[0]["detail"].as_str().unwrap().contains("billing"),
        "{cases}"
    );
    assert_eq!(cases[1]["name"], "answers billing");
    assert_eq!(cases[1]["before"], "passed");
    assert_eq!(cases[1]["after"], "no_recording");

    let md = repo.prompt(&["review", "main..feature"]).success();
    assert!(
        md.stdout.contains("| test | before | after | why |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("| mentions billing | passed | **failed** |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("| answers billing | passed | no recording |"),
        "{}",
        md.stdout
    );

    // A prompt without tests on either side has no tests part.
    let plain = pull_request()
        .prompt(&["review", "main..feature", "--format", "json"])
        .success();
    assert!(!plain.stdout.contains("\"tests\""));
}
