//! `prompt blame ID [REF]`: the commit that last changed each field, message and input, with
//! versions made by `prompt commit` and by plain `git commit`, through a `prompt mv`, drafts on
//! a branch and uncommitted changes.

use crate::common::TestRepo;

const V1: &str = "format: 1
description: Answer a question.
model:
  provider: openai
  name: gpt-4o
inputs:
  question:
    type: string
messages:
  - role: system
    content: Be brief.
  - role: user
    content: \"{{question}}\"
";

/// v1 by `prompt commit`; v2 (description) and v3 (a message inserted first) by plain `git
/// commit` with another author; a `prompt mv` (not a version); a draft on a branch (an input).
fn history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("faq/answer", V1);
    repo.prompt(&["commit", "-m", "Answer prompt"]).success();
    let v2 = V1.replace("Answer a question.", "Answer a customer's question.");
    repo.write_prompt("faq/answer", &v2);
    repo.git(&[
        "commit",
        "-q",
        "-a",
        "--author",
        "Bea Builder <bea@example.com>",
        "-m",
        "Say who asks",
    ]);
    let v3 = v2.replace(
        "messages:\n",
        "messages:\n  - role: developer\n    content: Cite the FAQ.\n",
    );
    repo.write_prompt("faq/answer", &v3);
    repo.git(&["commit", "-q", "-am", "Cite the FAQ\n\nA longer body."]);
    repo.prompt(&["mv", "faq/answer", "support/answer"])
        .success();
    repo.git(&["switch", "-q", "-c", "feature"]);
    let draft = v3.replace(
        "    type: string\n",
        "    type: string\n    description: The question as asked.\n",
    );
    repo.write_prompt("support/answer", &draft);
    repo.prompt(&["commit", "-m", "Describe the question"])
        .success();
    repo
}

#[test]
fn blame_follows_plain_git_commits_moves_and_drafts() {
    let repo = history();
    let out = repo.prompt(&["blame", "support/answer"]).success();
    let line = |part: &str| -> String {
        out.stdout
            .lines()
            .find(|l| l.contains(&format!("  {part}  ")) || l.contains(&format!("  {part} ")))
            .unwrap_or_else(|| panic!("no {part}:\n{}", out.stdout))
            .to_string()
    };
    assert!(line("format").starts_with("@1 "), "{}", out.stdout);
    assert!(line("format").ends_with("Answer prompt"));
    assert!(line("description").starts_with("@2 "), "{}", out.stdout);
    assert!(line("description").contains("Bea Builder"));
    assert!(line("description").ends_with("Say who asks"));
    assert!(line("messages[0] developer").starts_with("@3 "));
    assert!(line("messages[0] developer").ends_with("Cite the FAQ"));
    // The messages that moved down keep the commit that wrote them.
    assert!(line("messages[1] system").starts_with("@1 "));
    assert!(line("messages[2] user").starts_with("@1 "));
    assert!(
        line("inputs.question").starts_with("draft "),
        "{}",
        out.stdout
    );
    assert!(line("model").starts_with("@1 "));
    // Columns are aligned: every line has the part at the same column.
    let columns: Vec<usize> = out
        .stdout
        .lines()
        .map(|l| l.find("  format").or(l.find("  description")).unwrap_or(0))
        .filter(|&c| c > 0)
        .collect();
    assert_eq!(columns.len(), 2);
    assert_eq!(columns[0], columns[1], "{}", out.stdout);
    insta::assert_snapshot!("blame_text", out.stdout);
}

#[test]
fn blame_json_and_an_older_reference() {
    let repo = history();
    let json = repo
        .prompt(&["blame", "support/answer", "--json"])
        .success()
        .json();
    assert_eq!(json["id"], "support/answer");
    let parts = json["parts"].as_array().unwrap();
    let part = |name: &str| {
        parts
            .iter()
            .find(|p| p["part"] == name)
            .unwrap_or_else(|| panic!("no {name}: {parts:#?}"))
    };
    let d = part("description");
    assert_eq!(d["kind"], "field");
    assert_eq!(d["version"], 2);
    assert_eq!(d["draft"], false);
    assert_eq!(d["author"], "Bea Builder");
    assert_eq!(d["email"], "bea@example.com");
    assert_eq!(d["subject"], "Say who asks");
    assert!(d["date"].as_str().unwrap().starts_with("2023-11-1"));
    let q = part("inputs.question");
    assert_eq!(q["kind"], "input");
    assert_eq!(q["name"], "question");
    assert_eq!(q["draft"], true);
    assert!(q["version"].is_null());
    let m = part("messages[1]");
    assert_eq!(
        (m["kind"].clone(), m["role"].clone(), m["index"].clone()),
        ("message".into(), "system".into(), 1.into())
    );
    assert_eq!(m["version"], 1);
    // As of version 2 (the file had its old name then): no developer message yet.
    let json = repo
        .prompt(&["blame", "support/answer", "2", "--json"])
        .success()
        .json();
    let parts = json["parts"].as_array().unwrap();
    assert!(parts.iter().all(|p| p["role"] != "developer"), "{parts:#?}");
    assert_eq!(
        parts.iter().find(|p| p["part"] == "description").unwrap()["version"],
        2
    );
    // As of the release branch: the draft's input description is not there.
    let json = repo
        .prompt(&["blame", "support/answer", "main", "--json"])
        .success()
        .json();
    let q = json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["part"] == "inputs.question")
        .unwrap()
        .clone();
    assert_eq!(q["version"], 1);
    // As of an environment: what staging runs.
    repo.prompt(&["promote", "support/answer@2", "staging"])
        .success();
    let out = repo
        .prompt(&["blame", "support/answer", "staging"])
        .success();
    assert!(!out.stdout.contains("developer"), "{}", out.stdout);
    assert!(out.stdout.contains("Say who asks"), "{}", out.stdout);
    repo.prompt(&["blame", "support/answer", "production"])
        .code(1)
        .stderr_has("not promoted");
}

#[test]
fn uncommitted_changes_and_unknown_prompts() {
    let repo = history();
    let text = repo.read("prompts/support/answer.prompt.yaml");
    repo.write_prompt(
        "support/answer",
        &text.replace("Be brief.", "Be very brief."),
    );
    let out = repo.prompt(&["blame", "support/answer"]).success();
    let system = out
        .stdout
        .lines()
        .find(|l| l.contains("messages[1] system"))
        .unwrap();
    assert!(
        system.starts_with("working  0000000  Not Committed Yet"),
        "{system}"
    );
    repo.prompt(&["blame", "support/nope"])
        .code(1)
        .stderr_has("not found");
    repo.prompt(&["blame", "support/answer", "99"]).code(1);
    repo.prompt(&["blame", "Bad Id"]).code(2);
}
