//! Phoenix: create requests, version lists, invocation parameters per provider, provider names.

use super::*;

#[test]
fn phoenix_create_request_round_trips() {
    let payload = fixture("phoenix-create.json");
    let imported = import_ok(Service::Phoenix, &payload);
    let p = &imported.prompts[0];
    assert_eq!(p.id.as_ref().unwrap().as_str(), "support-summarize");
    let v = &p.versions[0];
    assert_eq!(
        v.message.as_deref(),
        Some("Shorter summaries, with the order lookup tool")
    );
    let prompt = &v.prompt;
    let model = prompt.model.as_ref().unwrap();
    assert_eq!(
        (model.provider.as_str(), model.name.as_str()),
        ("openai", "gpt-4o-mini")
    );
    assert_eq!(model.params["max_completion_tokens"], json!(400));
    assert_eq!(
        prompt.inputs.keys().collect::<Vec<_>>(),
        ["tone", "ticket_id", "ticket"]
    );
    assert_eq!(
        prompt.tool_choice,
        Some(ToolChoice::Mode(ToolChoiceMode::Auto))
    );
    assert_eq!(
        prompt.response_format.as_ref().unwrap().name,
        "ticket_summary"
    );
    assert_eq!(prompt.metadata["owner"], json!("support-team"));
    assert!(prompt.name.is_none(), "the name is the id");
    let out = export_version(Service::Phoenix, &imported, 0);
    assert_eq!(out.body, payload);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.endpoint, "POST /v1/prompts");
}

#[test]
fn phoenix_version_lists_are_read_oldest_first_with_parts_kept() {
    let payload = fixture("phoenix-versions.json");
    let imported = import_ok(Service::Phoenix, &payload);
    let p = &imported.prompts[0];
    assert!(p.id.is_none(), "a version list names no prompt");
    let messages: Vec<_> = p
        .versions
        .iter()
        .map(|v| v.message.clone().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "First triage prompt",
            "Move to a chat template",
            "Show the agent how to call the order tool"
        ]
    );
    let first = &p.versions[0].prompt;
    assert_eq!(first.template_format, Syntax::FString);
    assert!(first.template.as_deref().unwrap().contains("{ticket}"));
    assert_eq!(first.inputs.keys().collect::<Vec<_>>(), ["ticket"]);
    assert_eq!(p.versions[1].tags, ["staging", "canary"]);
    assert_eq!(p.versions[2].tags, ["production"]);
    let last = &p.versions[2].prompt;
    assert_eq!(
        last.tool_choice,
        Some(ToolChoice::Named {
            name: "lookup_order".into()
        })
    );
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.contains("tool call or tool result parts")));
    // Exported again, the newest version gives back its messages whole, the `ai` role included.
    let out = export_version(Service::Phoenix, &imported, 2);
    let want = &payload["data"][0];
    assert_eq!(out.body["version"]["template"], want["template"]);
    assert_eq!(
        out.body["version"]["invocation_parameters"],
        want["invocation_parameters"]
    );
    assert_eq!(out.body["version"]["tools"], want["tools"]);
}

#[test]
fn phoenix_version_ids_decode() {
    assert_eq!(
        phoenix::version_number("UHJvbXB0VmVyc2lvbjoxNQ=="),
        Some(15)
    );
    assert_eq!(phoenix::version_number("UHJvbXB0OjQ="), None, "a prompt id");
    assert_eq!(phoenix::version_number("not base64!"), None);
}

#[test]
fn phoenix_invocation_parameters_per_provider() {
    let params: IndexMap<String, Value> = [
        ("temperature", json!(0.3)),
        ("max_tokens", json!(100)),
        ("stop", json!("END")),
        ("logit_bias", json!({})),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut notes = Vec::new();
    let openai = phoenix::invocation_parameters("openai", &params, &mut notes);
    assert_eq!(
        openai,
        json!({"type": "openai", "openai": {"temperature": 0.3, "max_tokens": 100, "stop": ["END"]}})
    );
    assert!(notes[0].contains("logit_bias"), "{notes:?}");
    let mut notes = Vec::new();
    let google = phoenix::invocation_parameters("google", &params, &mut notes);
    assert_eq!(
        google,
        json!({"type": "google", "google": {"temperature": 0.3, "max_output_tokens": 100, "stop_sequences": ["END"]}})
    );
    let anthropic = phoenix::invocation_parameters("anthropic", &params, &mut notes);
    assert_eq!(
        anthropic["anthropic"],
        json!({"temperature": 0.3, "max_tokens": 100, "stop_sequences": ["END"]})
    );
    let aws = phoenix::invocation_parameters("aws", &params, &mut notes);
    assert_eq!(aws["type"], "aws");
    assert_eq!(aws["aws"]["stop_sequences"], json!(["END"]));
    let azure = phoenix::invocation_parameters("azure_openai", &params, &mut notes);
    assert_eq!(azure["azure_openai"]["max_tokens"], json!(100));
    // A provider Phoenix does not know gets the parameters as they are.
    let other = phoenix::invocation_parameters("mistral", &params, &mut notes);
    assert_eq!(other["mistral"]["logit_bias"], json!({}));
}

#[test]
fn phoenix_reports_what_it_cannot_hold() {
    let mut p = chat(vec![
        MessageItem::text(Role::System, "Be brief."),
        MessageItem {
            history: Some("conversation".into()),
            ..MessageItem::default()
        },
        MessageItem {
            role: Some(Role::User),
            content: Some(Content::Parts(vec![
                Part {
                    text: Some("What is this?".into()),
                    ..Part::default()
                },
                Part {
                    image: Some("photo".into()),
                    ..Part::default()
                },
            ])),
            ..MessageItem::default()
        },
    ]);
    p.labels = vec!["vision".into()];
    p.samples.insert("one".into(), IndexMap::new());
    p.tests.push(crate::model::TestCase {
        name: "says cat".into(),
        ..Default::default()
    });
    p.examples.push(Example {
        input: IndexMap::new(),
        output: json!("A cat."),
    });
    let out = simple("vision/describe", &p, Service::Phoenix);
    let all = out.warnings.join("\n");
    for needle in [
        "history placeholder `conversation`",
        "media part `photo`",
        "labels (vision)",
        "samples (one)",
        "tests (says cat)",
        "few-shot example",
    ] {
        assert!(all.contains(needle), "{needle}: {all}");
    }
    assert_eq!(out.body["prompt"]["name"], "vision-describe");
    let messages = out.body["version"]["template"]["messages"]
        .as_array()
        .unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(
        messages[1]["content"],
        json!([{"type": "text", "text": "What is this?"}])
    );
}

#[test]
fn phoenix_needs_a_model() {
    let mut p = chat(vec![MessageItem::text(Role::User, "Hi")]);
    p.model = None;
    let id = PromptId::parse("hi").unwrap();
    let input = ExportInput {
        id: &id,
        prompt: &p,
        message: None,
        environments: &[],
        default_model: None,
    };
    let err = export(Service::Phoenix, &input).unwrap_err().to_string();
    assert!(err.contains("Phoenix needs a model"), "{err}");
    let with_default = ExportInput {
        default_model: Some(("anthropic", "claude-3-5-haiku-20241022")),
        ..input
    };
    let out = export(Service::Phoenix, &with_default).unwrap();
    assert_eq!(out.body["version"]["model_provider"], "ANTHROPIC");
    assert!(out.warnings.iter().any(|w| w.contains("registry default")));
}

#[test]
fn phoenix_maps_gemini_and_bedrock_to_its_provider_names() {
    let gemini = load::parse(ROUND_TRIP[6].1).unwrap().prompt;
    let out = simple("g", &gemini, Service::Phoenix);
    assert_eq!(out.body["version"]["model_provider"], "GOOGLE");
    assert_eq!(
        out.body["version"]["invocation_parameters"],
        json!({"type": "google", "google": {"temperature": 0.2, "max_output_tokens": 100, "top_k": 5}})
    );
    assert_eq!(
        out.warnings,
        ["phoenix: model.provider `gemini` is sent as `GOOGLE`, which reads back as `google`"]
    );
    let bedrock = load::parse(ROUND_TRIP[7].1).unwrap().prompt;
    let out = simple("b", &bedrock, Service::Phoenix);
    assert_eq!(out.body["version"]["model_provider"], "AWS");
    assert_eq!(
        out.body["version"]["invocation_parameters"],
        json!({"type": "aws", "aws": {"max_tokens": 100, "stop_sequences": ["END"]}})
    );
    // Well-known equivalents are renamed for the provider, the rest named in a warning.
    let mut params = IndexMap::new();
    params.insert("max_tokens".to_string(), json!(10));
    params.insert("stop".to_string(), json!("END"));
    params.insert("seed".to_string(), json!(1));
    let mut notes = Vec::new();
    let google = phoenix::invocation_parameters("google", &params, &mut notes);
    assert_eq!(
        google,
        json!({"type": "google", "google": {"max_output_tokens": 10, "stop_sequences": ["END"]}})
    );
    assert_eq!(
        notes,
        ["model.params.seed is not an invocation parameter Phoenix accepts for google; left out"]
    );
    assert_eq!(phoenix::provider_name("bedrock"), "aws");
    assert_eq!(phoenix::provider_name("zai"), "zai");
}
