//! `prompt diff`: semantic diffs between references, against the working tree and across git
//! ranges, in text, markdown and JSON; `--rendered`; exit codes; the textconv driver.

use crate::common::TestRepo;

/// A chat prompt with a long system message.
const SUMMARIZE: &str = "format: 1
name: Summarize a support ticket
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0.2
    max_tokens: 400
inputs:
  ticket:
    type: string
  tone:
    type: string
    default: neutral
    enum: [neutral, warm]
messages:
  - role: system
    content: |
      You summarize support tickets for the agent on duty.
      Read the whole ticket before you write anything.
      Keep the summary under five sentences.
      Mention the customer's mood in a {{tone}} tone.
      Never invent order numbers, dates or amounts.
      Quote the ticket's own words for any promise made.
      Flag legal threats and safety issues at the top.
      Name the product and the plan when the ticket gives them.
      Say which language the ticket is written in.
      Leave out greetings, signatures and disclaimers.
      Do not guess the customer's gender.
      Use plain words; avoid internal jargon.
      End with the next step for the agent.
  - role: user
    content: |
      {{ticket}}
";

/// A text prompt that is renamed.
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

/// A prompt that is deleted.
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
";

/// A prompt that gains a required input.
const REPLY: &str = "format: 1
inputs:
  ticket:
    type: string
messages:
  - role: system
    content: You draft replies to support tickets. Be kind and brief.
  - role: user
    content: |
      {{ticket}}
";

/// A repository with the four prompts committed, then one commit per kind of change on top:
/// a word changed inside a long message, a param-only change, a rename (git mv, with a small
/// edit), a deletion, and a new required input.
fn changed_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("support/summarize", SUMMARIZE);
    repo.write_prompt("support/route", ROUTE);
    repo.write_prompt("sales/pitch", PITCH);
    repo.write_prompt("support/reply", REPLY);
    repo.prompt(&["commit", "-m", "Add the support prompts"])
        .success();
    repo.git(&["tag", "base"]);

    repo.write_prompt(
        "support/summarize",
        &SUMMARIZE.replace("in a {{tone}} tone", "in a calm, {{tone}} voice"),
    );
    repo.prompt(&["commit", "-m", "Calmer summaries"]).success();

    repo.write_prompt(
        "support/summarize",
        &SUMMARIZE
            .replace("in a {{tone}} tone", "in a calm, {{tone}} voice")
            .replace("temperature: 0.2", "temperature: 0.5"),
    );
    repo.prompt(&["commit", "-m", "Warmer temperature"])
        .success();

    repo.git(&[
        "mv",
        "prompts/support/route.prompt.yaml",
        "prompts/support/triage.prompt.yaml",
    ]);
    repo.write_prompt(
        "support/triage",
        &ROUTE.replace("Pick the queue", "Pick the support queue"),
    );
    repo.git(&["rm", "-q", "prompts/sales/pitch.prompt.yaml"]);
    repo.write_prompt(
        "support/reply",
        &REPLY
            .replace("inputs:\n", "inputs:\n  customer:\n    type: string\n")
            .replace(
                "Be kind and brief.",
                "Be kind and brief. Address {{customer}} by name.",
            ),
    );
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "Rename route, drop pitch, personal replies",
    ]);
    repo
}

/// Replaces every commit id (full and short) with a placeholder, for stable snapshots.
fn redact(repo: &TestRepo, text: &str) -> String {
    let mut out = text.to_string();
    for (i, full) in repo.git(&["rev-list", "--all"]).lines().enumerate() {
        out = out.replace(full, &format!("<commit {i}>"));
        out = out.replace(&full[..7], &format!("<short {i}>"));
    }
    out
}

#[test]
fn range_in_text_covers_renames_deletions_and_changes() {
    let repo = changed_repo();
    let out = repo.prompt(&["diff", "base..HEAD"]).success();
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!("range_text", out.stdout);
}

#[test]
fn range_in_markdown_is_a_table_and_a_section_per_prompt() {
    let repo = changed_repo();
    let out = repo
        .prompt(&["diff", "base..HEAD", "--format", "markdown"])
        .success();
    insta::assert_snapshot!("range_markdown", out.stdout);
}

#[test]
fn range_in_json_has_the_documented_shape() {
    let repo = changed_repo();
    let out = repo
        .prompt(&["diff", "base...main", "--format", "json"])
        .success();
    let json = out.json();
    assert_eq!(json["range"]["merge_base"], true);
    let changes: Vec<(&str, &str)> = json["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("sales/pitch", "removed"),
            ("support/reply", "modified"),
            ("support/summarize", "modified"),
            ("support/triage", "renamed"),
        ]
    );
    insta::assert_snapshot!("range_json", redact(&repo, &out.stdout));
}

#[test]
fn a_text_change_in_a_long_message_shows_the_line_with_context_and_marked_words() {
    let repo = changed_repo();
    let out = repo
        .prompt(&["diff", "support/summarize@1", "support/summarize@2"])
        .success();
    insta::assert_snapshot!("long_message_text", out.stdout);
    // Only the changed line and three lines of context on each side.
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("     "))
            .count(),
        6
    );

    let colour = repo
        .prompt(&[
            "diff",
            "support/summarize@1",
            "support/summarize@2",
            "--color",
            "always",
        ])
        .success();
    assert!(
        colour.stdout.contains("\u{1b}[7mvoice."),
        "changed words are highlighted: {:?}",
        colour.stdout
    );
    assert!(!colour.stdout.contains("{+"), "no word marks with colour");
}

#[test]
fn a_param_only_change_is_one_line() {
    let repo = changed_repo();
    let out = repo
        .prompt(&["diff", "support/summarize@2", "support/summarize@3"])
        .success();
    insta::assert_snapshot!("param_only_text", out.stdout);
    let md = repo
        .prompt(&[
            "diff",
            "support/summarize@2",
            "support/summarize@latest",
            "--format",
            "markdown",
        ])
        .success();
    insta::assert_snapshot!("param_only_markdown", md.stdout);
}

#[test]
fn a_new_required_input_is_breaking_in_every_format() {
    let repo = changed_repo();
    let out = repo
        .prompt(&["diff", "support/reply@base", "support/reply@HEAD"])
        .success();
    insta::assert_snapshot!("required_input_text", out.stdout);
    let json = repo
        .prompt(&[
            "diff",
            "support/reply@base",
            "support/reply@HEAD",
            "--format",
            "json",
        ])
        .success()
        .json();
    let entry = &json["prompts"][0];
    assert_eq!(
        entry["breaking"][0],
        "input `customer` was added as required: callers that do not pass it will fail"
    );
    assert_eq!(entry["diff"]["inputs"][0]["name"], "customer");
    assert_eq!(entry["diff"]["inputs"][0]["breaking"], true);
    assert_eq!(entry["old"]["version"], 1);
    assert_eq!(entry["new"]["version"], 2);
}

#[test]
fn diff_id_compares_the_latest_version_with_the_working_tree() {
    let repo = changed_repo();
    assert_eq!(repo.prompt(&["diff", "support/summarize"]).stdout, "");
    repo.write_prompt(
        "support/summarize",
        &SUMMARIZE
            .replace("in a {{tone}} tone", "in a calm, {{tone}} voice")
            .replace("temperature: 0.2", "temperature: 0.5")
            .replace("max_tokens: 400", "max_tokens: 500"),
    );
    let out = repo.prompt(&["diff", "support/summarize"]).success();
    assert_eq!(
        out.stdout,
        "support/summarize: modified (@3 → working tree)\n  model.params.max_tokens: 400 → 500\n"
    );

    // A prompt never committed is added; a deleted file is removed.
    repo.write_prompt("draft", "format: 1\ntemplate: Hi\n");
    repo.prompt(&["diff", "draft"])
        .success()
        .stdout_has("draft: added (working tree)\n  template:\n    +Hi\n");
    std::fs::remove_file(repo.root().join("prompts/support/reply.prompt.yaml")).unwrap();
    repo.prompt(&["diff", "support/reply"])
        .success()
        .stdout_has("support/reply: removed (@2)\n  breaking: the prompt was removed");
}

#[test]
fn identical_sides_print_nothing_and_exit_code_reports_differences() {
    let repo = changed_repo();
    for args in [
        &["diff", "support/summarize@3", "support/summarize@latest"][..],
        &[
            "diff",
            "support/summarize@3",
            "support/summarize@latest",
            "--exit-code",
        ],
        &[
            "diff",
            "support/summarize",
            "--format",
            "markdown",
            "--exit-code",
        ],
    ] {
        let out = repo.prompt(args).code(0);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str()),
            ("", ""),
            "{args:?}"
        );
    }
    repo.prompt(&["diff", "HEAD..HEAD", "--format", "json"])
        .success()
        .stdout_has("\"prompts\": []");

    repo.prompt(&["diff", "base..HEAD", "--exit-code"])
        .code(1)
        .stdout_has("support/triage: renamed from support/route");
    repo.prompt(&[
        "diff",
        "support/summarize@1",
        "support/summarize@2",
        "--exit-code",
        "--format",
        "json",
    ])
    .code(1);
}

#[test]
fn rendered_compares_output_and_ignores_values_a_side_does_not_declare() {
    let repo = changed_repo();
    let out = repo
        .prompt(&[
            "diff",
            "support/reply@1",
            "support/reply@2",
            "--rendered",
            "--var",
            "ticket=My parcel is late.",
            "--var",
            "customer=Ada",
        ])
        .success();
    insta::assert_snapshot!("rendered_text", out.stdout);

    // The new side requires `customer`: strict rendering names it and the side.
    repo.prompt(&[
        "diff",
        "support/reply@1",
        "support/reply@2",
        "--rendered",
        "--var",
        "ticket=x",
    ])
    .code(1)
    .stderr_has("error: rendering support/reply@2: missing value for `customer`");

    // Same rendered text: nothing to show.
    let same = repo
        .prompt(&[
            "diff",
            "support/summarize@2",
            "support/summarize@3",
            "--rendered",
            "--var",
            "ticket=x",
        ])
        .success();
    assert_eq!(same.stdout, "");
}

#[test]
fn bad_usage_exits_2_and_unknown_references_exit_1() {
    let repo = changed_repo();
    repo.prompt(&["diff", "base..HEAD..main"])
        .code(2)
        .stderr_has("error: `base..HEAD..main` is not a valid range");
    repo.prompt(&["diff", "base..HEAD", "support/reply"])
        .code(2)
        .stderr_has("a range takes no second argument");
    repo.prompt(&["diff", "support/reply", "--var", "a=b"])
        .code(2);
    repo.prompt(&["diff", "base..HEAD", "--rendered"])
        .code(2)
        .stderr_has("--rendered compares one prompt");
    repo.prompt(&["diff", "Bad Id"])
        .code(2)
        .stderr_has("invalid prompt id");
    repo.prompt(&["diff", "support/reply@9", "support/reply"])
        .code(1)
        .stderr_has("error: `support/reply@9` does not exist: `support/reply` has 2 versions");
    repo.prompt(&["diff", "nosuch..HEAD"])
        .code(1)
        .stderr_has("error: `nosuch` is not a git revision");
    repo.prompt(&["diff", "support/reply@nosuch"])
        .code(1)
        .stderr_has("neither a version number");
    repo.prompt(&["diff", "support/nope"])
        .code(1)
        .stderr_has("error: prompt `support/nope` not found");
}

#[test]
fn textconv_makes_plain_git_diff_readable() {
    let repo = changed_repo();
    let bin = env!("CARGO_BIN_EXE_prompt");
    repo.write(".gitattributes", "*.prompt.yaml diff=prompt\n");
    repo.git(&[
        "config",
        "diff.prompt.textconv",
        &format!("{bin} diff --textconv"),
    ]);
    let shown = repo.prompt(&[
        "diff",
        "--textconv",
        "prompts/support/summarize.prompt.yaml",
    ]);
    insta::assert_snapshot!("textconv", shown.success().stdout);
    let git = repo.git(&[
        "diff",
        "base",
        "HEAD",
        "--",
        "prompts/support/summarize.prompt.yaml",
    ]);
    let hunks: String = git
        .lines()
        .skip_while(|l| !l.starts_with("@@"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("git_diff_with_textconv", hunks);

    // A file that is not a valid prompt is shown as it is.
    repo.write("broken.prompt.yaml", "format: [\n");
    repo.prompt(&["diff", "--textconv", "broken.prompt.yaml"])
        .success()
        .stdout_has("format: [\n");
}

#[test]
fn environments_are_references_like_any_other() {
    let repo = changed_repo();
    repo.prompt(&["promote", "support/summarize@1", "production", "--yes"])
        .success();
    let out = repo
        .prompt(&[
            "diff",
            "support/summarize@production",
            "support/summarize@latest",
        ])
        .success();
    assert!(
        out.stdout
            .starts_with("support/summarize: modified (production @1 → @3)\n"),
        "{}",
        out.stdout
    );
    let json = repo
        .prompt(&[
            "diff",
            "support/summarize@production",
            "support/summarize",
            "--format",
            "json",
        ])
        .success()
        .json();
    let entry = &json["prompts"][0];
    assert_eq!(entry["old"]["environment"], "production");
    assert_eq!(entry["old"]["reference"], "support/summarize@production");
    assert_eq!(entry["new"]["commit"], serde_json::Value::Null);
    repo.prompt(&["diff", "support/reply@staging", "support/reply"])
        .code(1)
        .stderr_has("is not promoted to staging");
}
