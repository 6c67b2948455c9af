//! `prompt show` and `prompt list`.

use crate::common::{text_prompt, TestRepo};

#[test]
fn list_shows_kind_model_versions_and_environments() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "support/summarize",
        "--provider",
        "openai",
        "--model",
        "gpt-4o",
        "--user",
        "{{t}}",
    ])
    .success();
    repo.write_prompt("greet", &text_prompt("Hi"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "two"]).success();
    repo.write_prompt("draft", &text_prompt("D"));
    repo.git(&["tag", "-a", "greet@production", "-m", "promote", "HEAD~1"]);

    let out = repo.prompt(&["list"]).success();
    assert_eq!(
        out.stdout,
        "draft\ttext\t-\t-\t\ngreet\ttext\t-\t2\tproduction@1\nsupport/summarize\tchat\topenai/gpt-4o\t1\t\n"
    );
    let json = repo.prompt(&["list", "--json"]).success().json();
    assert_eq!(json[1]["id"], "greet");
    assert_eq!(json[1]["versions"], 2);
    assert_eq!(json[1]["environments"]["production"], 1);
    assert_eq!(json[2]["model"], "openai/gpt-4o");

    repo.prompt(&["list", "--env", "production"])
        .success()
        .stdout_has("greet")
        .code(0);
    let only = repo.prompt(&["list", "--env", "production"]).success();
    assert_eq!(only.stdout.lines().count(), 1);
    repo.prompt(&["list", "--env", "prodution"])
        .code(1)
        .stderr_has("unknown environment `prodution`");
}

#[test]
fn list_reports_broken_files_without_failing() {
    let repo = TestRepo::new();
    repo.write_prompt("broken", "format: 1\ntemplate: [\n");
    let json = repo.prompt(&["list", "--json"]).success().json();
    assert!(json[0]["error"].as_str().unwrap().contains("YAML syntax"));
}

#[test]
fn show_prints_the_file_or_json_and_reports_broken_yaml() {
    let repo = TestRepo::new();
    let text = text_prompt("Hi");
    repo.write_prompt("greet", &text);
    assert_eq!(repo.prompt(&["show", "greet"]).success().stdout, text);
    let json = repo.prompt(&["show", "greet", "--json"]).success().json();
    assert_eq!(json["id"], "greet");
    assert_eq!(json["commit"], serde_json::Value::Null);
    assert_eq!(json["prompt"]["template"], "Hi {{name}}\n");

    repo.write_prompt("bad", "format: 1\ntemplate: hi\nmodle: x\n");
    repo.prompt(&["show", "bad", "--json"])
        .code(1)
        .stderr_has("prompts/bad.prompt.yaml:3:1: unknown field `modle`");
}
