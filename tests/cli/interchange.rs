//! `prompt import`, `prompt export` and `prompt bundle` (contract §10): each service's payloads (in
//! `tests/fixtures/interchange/`, written from the services' API documentation) imported, checked,
//! rendered and exported back; history, environments, `--force`, and the bundle shape.

use serde_json::{json, Value};

use crate::common::{text_prompt, TestRepo};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/interchange/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// A registry whose config is committed, so that history starts with it.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo
}

/// Commit subjects of the file's history, oldest first.
fn subjects(repo: &TestRepo, path: &str) -> Vec<String> {
    let log = repo.git(&["log", "--reverse", "--format=%s", "--", path]);
    log.lines().map(str::to_string).collect()
}

#[test]
fn phoenix_create_request_imports_checks_renders_and_exports_back() {
    let repo = repo();
    let file = fixture("phoenix-create.json");
    let out = repo
        .prompt(&["import", &file, "--from", "phoenix", "--history"])
        .success();
    assert!(
        out.stdout.starts_with("support-summarize: version 1 ("),
        "{}",
        out.stdout
    );
    assert_eq!(
        subjects(&repo, "prompts/support-summarize.prompt.yaml"),
        ["Shorter summaries, with the order lookup tool"]
    );
    repo.prompt(&["check"]).success();
    let yaml = repo.read("prompts/support-summarize.prompt.yaml");
    assert!(
        yaml.contains("provider: openai\n  name: gpt-4o-mini"),
        "{yaml}"
    );
    assert!(yaml.contains("tool_choice: auto"), "{yaml}");
    repo.prompt(&[
        "render",
        "support-summarize",
        "--var",
        "tone=calm",
        "--var",
        "ticket_id=42",
        "--var",
        "ticket=My order is late.",
        "--format",
        "openai",
    ])
    .success()
    .stdout_has("\"max_completion_tokens\": 400")
    .stdout_has("Ticket #42:\\nMy order is late.");
    let out = repo
        .prompt(&["export", "support-summarize@latest", "--to", "phoenix"])
        .success()
        .stderr_has("POST /v1/prompts");
    assert_eq!(out.json(), fixture_json("phoenix-create.json"));
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn phoenix_version_history_becomes_commits_and_environment_tags() {
    let repo = repo();
    let file = fixture("phoenix-versions.json");
    repo.prompt(&["import", &file, "--from", "phoenix", "--history"])
        .code(2)
        .stderr_has("does not name its prompt (a list of versions): pass --id ID");
    let out = repo
        .prompt(&[
            "import",
            &file,
            "--from",
            "phoenix",
            "--history",
            "--yes",
            "--id",
            "support/triage",
        ])
        .success()
        .stderr_has("the tag `canary` of support/triage")
        .stderr_has("not an environment of this registry")
        .stderr_has("tool call or tool result parts: kept under metadata.phoenix");
    assert!(
        out.stdout.starts_with("support/triage: versions 1 ("),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("support/triage@staging: version 2\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("support/triage@production: version 3\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        subjects(&repo, "prompts/support/triage.prompt.yaml"),
        [
            "First triage prompt",
            "Move to a chat template",
            "Show the agent how to call the order tool"
        ]
    );
    let tags = repo.git(&["tag", "-l"]);
    assert_eq!(tags, "support/triage@production\nsupport/triage@staging\n");
    repo.prompt(&["log", "support/triage"])
        .success()
        .stdout_has("Move to a chat template (staging)");
    repo.prompt(&["check"]).success();
    repo.prompt(&["render", "support/triage@1", "--var", "ticket=Refund?"])
        .success()
        .stdout_has("account or other:\nRefund?");
    repo.prompt(&["render", "support/triage@production", "--var", "ticket=Hi"])
        .success();
    let exported = repo
        .prompt(&["export", "support/triage@production", "--to", "phoenix"])
        .success()
        .json();
    let want = &fixture_json("phoenix-versions.json")["data"][0];
    for key in [
        "description",
        "model_provider",
        "model_name",
        "template",
        "template_format",
        "invocation_parameters",
        "tools",
    ] {
        assert_eq!(exported["version"][key], want[key], "{key}");
    }
    assert_eq!(exported["prompt"]["name"], "support-triage");
}

#[test]
fn langwatch_create_request_writes_the_working_tree_only() {
    let repo = repo();
    let file = fixture("langwatch-create.json");
    let out = repo
        .prompt(&["import", &file, "--from", "langwatch"])
        .success()
        .stderr_has("prompt commit");
    assert_eq!(
        out.stdout,
        "support/reply-draft: wrote prompts/support/reply-draft.prompt.yaml\n"
    );
    assert_eq!(repo.git(&["log", "--format=%s"]), "registry config\n");
    repo.prompt(&["check", "support/reply-draft"]).success();
    repo.prompt(&[
        "render",
        "support/reply-draft",
        "--var",
        "company=Acme",
        "--var",
        "customer_name=Ana",
        "--var",
        "message=Hello?",
        "--format",
        "json",
    ])
    .success()
    .stdout_has("Where is my parcel? It has been a week.")
    .stdout_has("Customer: Ana\\nMessage: Hello?");
    let out = repo
        .prompt(&["export", "support/reply-draft", "--to", "langwatch"])
        .success()
        .stderr_has("POST /api/prompts");
    assert_eq!(out.json(), fixture_json("langwatch-create.json"));
    // The one warning: LangWatch's create request defines no `demonstrations`.
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: langwatch: the create request (LangWatch's PostApiPromptsBody) has no \
          `demonstrations`: they are sent, but a server that follows its schema ignores them"
        ]
    );
}

#[test]
fn langwatch_versions_keep_messages_and_skip_the_latest_tag() {
    let repo = repo();
    let file = fixture("langwatch-versions.json");
    let out = repo
        .prompt(&["import", &file, "--from", "langwatch", "--history", "--yes"])
        .success();
    assert!(!out.stderr.contains("latest"), "{}", out.stderr);
    assert!(
        out.stdout.contains("sales/lead-score@staging: version 1\n")
            && out
                .stdout
                .contains("sales/lead-score@production: version 2\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        subjects(&repo, "prompts/sales/lead-score.prompt.yaml"),
        ["First lead scoring prompt", "Score as structured output"]
    );
    repo.prompt(&["check"]).success();
    repo.prompt(&[
        "render",
        "sales/lead-score@production",
        "--var",
        "company=Initech",
        "--var",
        "employees=120",
        "--var",
        "notes=Asked for a demo",
        "--format",
        "anthropic",
    ])
    .success()
    .stdout_has("\"max_tokens\": 300");
    let out = repo
        .prompt(&["export", "sales/lead-score@production", "--to", "langwatch"])
        .success()
        .stderr_has(
            "has no `responseFormat`: the schema is sent as the json_schema output `lead_score`",
        );
    let exported = out.json();
    let row = &fixture_json("langwatch-versions.json")[0];
    for key in [
        "model",
        "temperature",
        "maxTokens",
        "prompt",
        "inputs",
        "outputs",
        "commitMessage",
    ] {
        assert_eq!(exported[key], row[key], "{key}");
    }
    assert!(exported.get("responseFormat").is_none());
    assert_eq!(exported["messages"], json!([row["messages"][1]]));
}

#[test]
fn freeplay_history_placeholder_and_media_slot_round_trip() {
    let repo = repo();
    let file = fixture("freeplay-create.json");
    repo.prompt(&[
        "import",
        &file,
        "--from",
        "freeplay",
        "--history",
        "--id",
        "shop/assistant",
    ])
    .success()
    .stdout_has("shop/assistant@staging: version 1");
    let yaml = repo.read("prompts/shop/assistant.prompt.yaml");
    assert!(yaml.contains("- history: history"), "{yaml}");
    assert!(yaml.contains("- image: product_photo"), "{yaml}");
    repo.prompt(&["check"]).success();
    repo.write(
        "values.json",
        r#"{"store_name": "Nordhaus", "question": "Is this waterproof?",
            "product_photo": "https://example.com/jacket.jpg",
            "history": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}"#,
    );
    repo.prompt(&[
        "render",
        "shop/assistant",
        "--vars",
        "values.json",
        "--format",
        "anthropic",
    ])
    .success()
    .stdout_has("https://example.com/jacket.jpg")
    .stdout_has("\"Hello!\"");
    let exported = repo
        .prompt(&["export", "shop/assistant@staging", "--to", "freeplay"])
        .success()
        .stderr_has("prompt-templates/name/shop%2Fassistant/versions")
        .stderr_has("create_version has no output_schema")
        .json();
    let want = fixture_json("freeplay-create.json");
    for key in [
        "template_messages",
        "model",
        "provider",
        "llm_parameters",
        "tool_schema",
        "output_schema",
        "version_description",
        "environments",
    ] {
        assert_eq!(exported[key], want[key], "{key}");
    }
}

#[test]
fn freeplay_environment_aliases_are_reported() {
    let repo = repo();
    let file = fixture("freeplay-versions.json");
    let out = repo
        .prompt(&["import", &file, "--from", "freeplay", "--history", "--yes"])
        .success()
        .stderr_has("the tag `prod` of order-status (v2) is read as the environment `production`")
        .stderr_has("the tag `dev` of order-status (v1) is read as the environment `development`");
    assert!(
        out.stdout.contains("order-status@production: version 2"),
        "{}",
        out.stdout
    );
    assert_eq!(
        subjects(&repo, "prompts/order-status.prompt.yaml"),
        [
            "First order status prompt",
            "Ask for the order number first"
        ]
    );
    repo.prompt(&["check"]).success();
    let exported = repo
        .prompt(&["export", "order-status@production", "--to", "freeplay"])
        .success()
        .stderr_has(
            "POST /api/v2/projects/0c9d5e7a-8b1f-4a2c-9d3e-4f5a6b7c8d9e/prompt-templates/name/\
             Order%20Status/versions",
        )
        .json();
    let want = &fixture_json("freeplay-versions.json")["data"][0];
    assert_eq!(exported["template_messages"], want["content"]);
    assert_eq!(exported["llm_parameters"], want["metadata"]["params"]);
    assert_eq!(exported["environments"], json!(["production"]));
}

#[test]
fn bifrost_folder_and_every_version() {
    let repo = repo();
    let file = fixture("bifrost-prompt.json");
    let out = repo
        .prompt(&["import", &file, "--from", "bifrost", "--history"])
        .success();
    assert!(
        out.stdout
            .starts_with("customer-support/refund-reply: versions 1 ("),
        "{}",
        out.stdout
    );
    assert_eq!(
        subjects(&repo, "prompts/customer-support/refund-reply.prompt.yaml"),
        [
            "First refund reply prompt",
            "Check the receipt photo and use the refund policy tool"
        ]
    );
    repo.prompt(&["check"]).success();
    repo.prompt(&[
        "render",
        "customer-support/refund-reply",
        "--var",
        "store=Acme",
        "--var",
        "request=Refund my blender",
        "--format",
        "openai",
    ])
    .success()
    .stdout_has("https://cdn.example.com/receipts/sample-receipt.png")
    .stdout_has("\"refund_policy\"");
    let out = repo
        .prompt(&[
            "export",
            "customer-support/refund-reply@latest",
            "--to",
            "bifrost",
        ])
        .success()
        .stderr_has("POST /api/prompt-repo/prompts/4f6c2a1e-8d3b-4b7a-9c2e-1a5d7e9f0b3c/versions");
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let exported = out.json();
    let want = &fixture_json("bifrost-prompt.json")["prompt"]["versions"][0];
    for key in ["model_params", "provider", "model", "commit_message"] {
        assert_eq!(exported[key], want[key], "{key}");
    }
    let payloads: Vec<Value> = want["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"]["payload"].clone())
        .collect();
    assert_eq!(exported["messages"], Value::Array(payloads));
    assert_eq!(exported["folder"], "Customer Support");
}

#[test]
fn bifrost_version_body_round_trips() {
    let repo = repo();
    let file = fixture("bifrost-version.json");
    repo.prompt(&[
        "import",
        &file,
        "--from",
        "bifrost",
        "--id",
        "sales/call-summary",
    ])
    .success();
    repo.prompt(&["check"]).success();
    let mut exported = repo
        .prompt(&["export", "sales/call-summary", "--to", "bifrost"])
        .success()
        .json();
    let body = exported.as_object_mut().unwrap();
    assert_eq!(body.remove("name"), Some(json!("call-summary")));
    assert_eq!(body.remove("folder"), Some(json!("sales")));
    assert_eq!(body.remove("commit_message"), Some(json!("")));
    let mut want = fixture_json("bifrost-version.json");
    want.as_object_mut().unwrap().remove("commit_message");
    assert_eq!(exported, want);
}

#[test]
fn import_never_overwrites_without_force() {
    let repo = repo();
    let file = fixture("langwatch-create.json");
    repo.prompt(&["import", &file, "--from", "langwatch"])
        .success();
    let path = "prompts/support/reply-draft.prompt.yaml";
    repo.write(path, &text_prompt("Edited by hand"));
    repo.prompt(&["import", &file, "--from", "langwatch"])
        .code(1)
        .stderr_has(
            "`support/reply-draft` exists (prompts/support/reply-draft.prompt.yaml): pass --force",
        );
    assert_eq!(repo.read(path), text_prompt("Edited by hand"));
    // Committed but deleted from the working tree still counts as existing.
    repo.prompt(&["commit", "-m", "hand edit"]).success();
    std::fs::remove_file(repo.root().join(path)).unwrap();
    repo.prompt(&["import", &file, "--from", "langwatch"])
        .code(1)
        .stderr_has("pass --force");
    repo.prompt(&["import", &file, "--from", "langwatch", "--force"])
        .success();
    assert!(repo.read(path).contains("You draft replies"));
    // With --history the versions go on top of the existing history.
    repo.prompt(&[
        "import",
        &fixture("langwatch-create.json"),
        "--from",
        "langwatch",
        "--force",
        "--history",
    ])
    .success()
    .stdout_has("support/reply-draft: version 2 (");
}

#[test]
fn payloads_that_do_not_fit_change_nothing() {
    let repo = repo();
    repo.write("broken.json", "{\n  \"handle\": ,\n}\n");
    repo.prompt(&["import", "broken.json", "--from", "langwatch"])
        .code(1)
        .stderr_has("error: broken.json:2:");
    let phoenix = fixture("phoenix-create.json");
    repo.prompt(&["import", &phoenix, "--from", "bifrost"])
        .code(1)
        .stderr_has("not a bifrost prompt payload");
    // A payload whose prompt would not pass `check` (here: a key in the text) writes nothing.
    repo.write(
        "secret.json",
        r#"{"handle": "leaky", "prompt": "Use key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"}"#,
    );
    repo.prompt(&["import", "secret.json", "--from", "langwatch", "--history"])
        .code(1)
        .stderr_has("secret")
        .stderr_has("1 prompt(s) failed validation");
    assert!(!repo.root().join("prompts/leaky.prompt.yaml").exists());
    assert_eq!(repo.git(&["log", "--format=%s"]), "registry config\n");
    repo.prompt(&["import", "missing.json", "--from", "phoenix"])
        .code(1)
        .stderr_has("missing.json");
}

#[test]
fn stdin_payloads_are_read() {
    let repo = repo();
    let out = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args(["import", "-", "--from", "bifrost", "--id", "crm/summary"])
        .stdin(std::fs::File::open(fixture("bifrost-version.json")).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo
        .read("prompts/crm/summary.prompt.yaml")
        .contains("provider: aws"));
}

#[test]
fn export_reports_what_a_service_cannot_hold() {
    let repo = repo();
    repo.write_prompt(
        "vision/describe",
        "format: 1
labels: [vision]
model:
  provider: openai
  name: gpt-4o
  params:
    temperature: 0.1
    logit_bias: {}
inputs:
  conversation:
    type: messages
  photo:
    type: image
messages:
  - role: system
    content: Describe images.
  - history: conversation
  - role: user
    content:
      - text: What is this?
      - image: photo
tools:
  - name: zoom
    parameters: {type: object, properties: {}}
samples:
  cat: {conversation: [], photo: cat.jpg}
",
    );
    repo.prompt(&["check"]).success();
    repo.prompt(&["export", "vision/describe", "--to", "phoenix"])
        .success()
        .stderr_has(
            "warning: phoenix: the history placeholder `conversation` (message 2) cannot be held",
        )
        .stderr_has("warning: phoenix: the media part `photo` of message 3 cannot be held")
        .stderr_has("model.params.logit_bias is not an invocation parameter Phoenix accepts")
        .stderr_has("labels (vision) cannot be held")
        .stderr_has("samples (cat) cannot be held");
    let langwatch = repo
        .prompt(&["export", "vision/describe", "--to", "langwatch"])
        .success()
        .stderr_has("warning: langwatch: tools (zoom) cannot be held");
    // Parameters besides temperature and maxTokens travel in the free-form `parameters`.
    assert!(
        !langwatch.stderr.contains("logit_bias"),
        "{}",
        langwatch.stderr
    );
    assert_eq!(langwatch.json()["parameters"]["logit_bias"], json!({}));
    let freeplay = repo
        .prompt(&["export", "vision/describe", "--to", "freeplay"])
        .success()
        .stderr_has("becomes Freeplay's `history`")
        .json();
    assert_eq!(freeplay["template_messages"][1], json!({"kind": "history"}));
    repo.prompt(&["export", "vision/describe", "--to", "bifrost"])
        .success()
        .stderr_has("the image input `photo` is sent as the URL `{{photo}}`");
    // Quiet keeps warnings (they report a loss) and drops the endpoint line.
    let out = repo
        .prompt(&["-q", "export", "vision/describe", "--to", "phoenix"])
        .success();
    assert!(out.stderr.contains("warning:") && !out.stderr.contains("POST"));
}

#[test]
fn export_says_partials_are_not_expanded() {
    let repo = TestRepo::new();
    repo.write_prompt("shared/tone", "format: 1\ntemplate: Be brief.\n");
    repo.write_prompt(
        "support/answer",
        "format: 1\nmodel: {provider: openai, name: gpt-4o}\ninputs:\n  question: {type: string}\nmessages:\n  - role: system\n    content: \"{{> shared/tone}} Answer {{question}}.\"\n",
    );
    repo.prompt(&["check"]).success();
    for service in ["phoenix", "langwatch", "freeplay", "bifrost"] {
        repo.prompt(&["export", "support/answer", "--to", service])
            .success()
            .stderr_has(&format!(
                "warning: {service}: partials (shared/tone) are not expanded"
            ));
    }
}

#[test]
fn export_needs_a_model_for_phoenix_and_freeplay() {
    let repo = repo();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.prompt(&["export", "greet", "--to", "phoenix"])
        .code(1)
        .stderr_has("Phoenix needs a model");
    repo.prompt(&["export", "greet", "--to", "freeplay"])
        .code(1)
        .stderr_has("Freeplay needs a model");
    let out = repo
        .prompt(&["export", "greet", "--to", "langwatch"])
        .success()
        .stderr_has("the text template is sent as one user message");
    assert_eq!(out.json()["messages"][0]["content"], "Hello {{name}}\n");
    repo.prompt(&["export", "greet@3", "--to", "phoenix"])
        .code(1)
        .stderr_has("greet@3");
    repo.prompt(&["export", "greet", "--to", "nowhere"])
        .code(2)
        .stderr_has("possible values");
}

/// A registry with three prompts, two promoted to production (one including a partial).
fn promoted() -> TestRepo {
    let repo = repo();
    repo.write_prompt(
        "shared/footer",
        "format: 1\ntemplate: \"-- {{team}}\"\ninputs:\n  team:\n    type: string\n",
    );
    repo.write_prompt(
        "support/reply",
        "format: 1\ninputs:\n  name:\n    type: string\n  team:\n    type: string\ntemplate: |\n  Hi {{name}}\n  {{> shared/footer}}\n",
    );
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "first versions"]).success();
    repo.write_prompt("greet", &text_prompt("Hey"));
    repo.prompt(&["commit", "-m", "greet v2"]).success();
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success();
    repo.prompt(&["promote", "support/reply", "production", "--yes"])
        .success();
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo
}

#[test]
fn bundle_has_every_promoted_prompt_at_its_version() {
    let repo = promoted();
    repo.prompt(&["bundle", "--env", "production", "-o", "out/prod.json"])
        .code(1)
        .stderr_has("out");
    std::fs::create_dir_all(repo.root().join("out")).unwrap();
    repo.prompt(&["bundle", "--env", "production", "-o", "out/prod.json"])
        .success()
        .stderr_has("wrote 2 prompt(s) promoted to production to out/prod.json");
    let bundle: Value = serde_json::from_str(&repo.read("out/prod.json")).unwrap();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let first = repo.git(&["rev-parse", "HEAD~1"]);
    assert_eq!(bundle["format"], 1);
    assert_eq!(bundle["environment"], "production");
    assert_eq!(bundle["generated_from"], head.trim());
    let ids: Vec<&String> = bundle["prompts"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["greet", "support/reply"], "sorted by id");
    let greet = &bundle["prompts"]["greet"];
    assert_eq!(greet["id"], "greet");
    assert_eq!(greet["version"], 1);
    assert_eq!(greet["commit"], first.trim());
    assert_eq!(greet["prompt"]["template"], "Hello {{name}}\n");
    assert!(greet.get("partials").is_none());
    let reply = &bundle["prompts"]["support/reply"];
    assert_eq!(reply["version"], 1);
    assert_eq!(reply["partials"], json!({"shared/footer": "-- {{team}}"}));
    assert_eq!(reply["prompt"]["inputs"]["team"]["type"], "string");
    // `-o -` writes stdout; the staging bundle has the other version.
    let staging = repo
        .prompt(&["bundle", "--env", "staging", "-o", "-"])
        .success()
        .json();
    assert_eq!(staging["prompts"]["greet"]["version"], 2);
    assert_eq!(staging["prompts"].as_object().unwrap().len(), 1);
}

#[test]
fn bundle_takes_the_prompts_of_a_revision() {
    let repo = promoted();
    repo.git(&["rm", "-q", "prompts/greet.prompt.yaml"]);
    repo.git(&["commit", "-q", "-m", "retire greet"]);
    let now = repo
        .prompt(&["bundle", "--env", "production", "-o", "-"])
        .success()
        .stderr_has("greet is promoted to production but is not at")
        .json();
    assert_eq!(now["prompts"].as_object().unwrap().len(), 1);
    let before = repo
        .prompt(&[
            "bundle",
            "--env",
            "production",
            "-o",
            "-",
            "--ref",
            "HEAD~1",
        ])
        .success()
        .json();
    assert_eq!(before["prompts"].as_object().unwrap().len(), 2);
    assert_eq!(
        before["generated_from"],
        repo.git(&["rev-parse", "HEAD~1"]).trim()
    );
    repo.prompt(&["bundle", "--env", "development", "-o", "-"])
        .success()
        .stderr_has("the bundle is empty");
    repo.prompt(&["bundle", "--env", "prodution", "-o", "-"])
        .code(1)
        .stderr_has("unknown environment `prodution`");
    repo.prompt(&["bundle", "--env", "production", "-o", "-", "--ref", "nope"])
        .code(1)
        .stderr_has("`nope` does not exist");
    let empty = TestRepo::new();
    empty
        .prompt(&["bundle", "--env", "production", "-o", "-"])
        .code(1)
        .stderr_has("no commits yet");
}

#[test]
fn a_gemini_prompt_goes_to_phoenix_as_google_and_comes_back_with_a_warning() {
    let repo = repo();
    repo.write_prompt(
        "geo",
        "format: 1
model: {provider: gemini, name: gemini-2.5-flash, params: {temperature: 0.2, max_tokens: 64, seed: 1}}
template: Where is it?
",
    );
    let out = repo
        .prompt(&["export", "geo", "--to", "phoenix"])
        .success()
        .stderr_has("model.provider `gemini` is sent as `GOOGLE`, which reads back as `google`")
        .stderr_has("model.params.seed is not an invocation parameter Phoenix accepts for google");
    let body = out.json();
    assert_eq!(body["version"]["model_provider"], "GOOGLE");
    assert_eq!(
        body["version"]["invocation_parameters"],
        json!({"type": "google", "google": {"temperature": 0.2, "max_output_tokens": 64}})
    );
    repo.write("geo.json", &out.stdout);
    repo.prompt(&["import", "geo.json", "--from", "phoenix", "--force"])
        .success();
    let yaml = repo.read("prompts/geo.prompt.yaml");
    assert!(yaml.contains("provider: google"), "{yaml}");
    assert!(yaml.contains("max_output_tokens: 64"), "{yaml}");
    repo.prompt(&["check"]).success();
    // The imported prompt renders for Gemini with the parameter under Gemini's name.
    let gemini = repo
        .prompt(&["render", "geo", "-f", "gemini"])
        .success()
        .json();
    assert_eq!(gemini["generationConfig"]["maxOutputTokens"], 64);
}
