//! Unit tests of the service mappings: each way on the fixtures written from the services' API
//! documentation (`tests/fixtures/interchange/`), round trips, per-provider invocation
//! parameters, and what a service cannot hold.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::*;
use crate::check::{self, Severity};
use crate::model::{
    load, Content, Example, Input, InputType, MessageItem, Model, Part, Role, TemplateFormat, Tool,
    ToolChoice, ToolChoiceMode,
};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/interchange/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_payload(&text, name).unwrap()
}

/// Imports and asserts that every version is a valid prompt file (as `check` sees it).
fn import_ok(service: Service, payload: &Value) -> Imported {
    let imported = import(service, payload, "payload.json").unwrap();
    for p in &imported.prompts {
        for v in &p.versions {
            let yaml = load::to_yaml(&v.prompt);
            let errors: Vec<_> = check::check_file(
                "x.prompt.yaml",
                "x.prompt.yaml",
                yaml.as_bytes(),
                &HashMap::<String, String>::new(),
            )
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
            assert!(errors.is_empty(), "{errors:?}\n{yaml}");
            assert_eq!(load::parse(&yaml).unwrap().prompt, v.prompt, "{yaml}");
        }
    }
    imported
}

fn export_version(service: Service, imported: &Imported, index: usize) -> Exported {
    let p = &imported.prompts[0];
    let id =
        p.id.clone()
            .unwrap_or_else(|| PromptId::parse("x").unwrap());
    let v = &p.versions[index];
    export(
        service,
        &ExportInput {
            id: &id,
            prompt: &v.prompt,
            message: v.message.as_deref(),
            environments: &[],
            default_model: None,
        },
    )
    .unwrap()
}

fn simple(id: &str, prompt: &Prompt, service: Service) -> Exported {
    let id = PromptId::parse(id).unwrap();
    export(
        service,
        &ExportInput {
            id: &id,
            prompt,
            message: None,
            environments: &[],
            default_model: None,
        },
    )
    .unwrap()
}

fn chat(messages: Vec<MessageItem>) -> Prompt {
    let mut p = Prompt {
        format: 1,
        model: Some(Model {
            provider: "openai".into(),
            name: "gpt-4o-mini".into(),
            params: IndexMap::new(),
        }),
        messages: Some(messages),
        ..Prompt::default()
    };
    let mut notes = common::Notes::new(Service::Phoenix);
    common::finish(&mut p, &mut notes);
    p
}

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
    assert_eq!(first.template_format, TemplateFormat::FString);
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
fn langwatch_create_request_round_trips() {
    let payload = fixture("langwatch-create.json");
    let imported = import_ok(Service::Langwatch, &payload);
    let p = &imported.prompts[0];
    assert_eq!(p.id.as_ref().unwrap().as_str(), "support/reply-draft");
    let prompt = &p.versions[0].prompt;
    let messages = prompt.messages.as_ref().unwrap();
    assert_eq!(messages[0].role, Some(Role::System));
    assert_eq!(prompt.examples.len(), 2);
    assert_eq!(prompt.examples[0].input["customer_name"], json!("Dana"));
    assert!(prompt.examples[1]
        .output
        .as_str()
        .unwrap()
        .starts_with("Hi Lee"));
    assert_eq!(
        prompt.model.as_ref().unwrap().params["max_tokens"],
        json!(600)
    );
    let out = export_version(Service::Langwatch, &imported, 0);
    assert_eq!(out.body, payload);
    assert_eq!(
        out.warnings,
        ["langwatch: the create request (LangWatch's PostApiPromptsBody) has no `demonstrations`: \
          they are sent, but a server that follows its schema ignores them"]
    );
}

#[test]
fn langwatch_version_rows_group_and_map_outputs() {
    let payload = fixture("langwatch-versions.json");
    let imported = import_ok(Service::Langwatch, &payload);
    assert_eq!(imported.prompts.len(), 1);
    let p = &imported.prompts[0];
    assert_eq!(p.id.as_ref().unwrap().as_str(), "sales/lead-score");
    assert_eq!(
        p.versions[0].message.as_deref(),
        Some("First lead scoring prompt")
    );
    assert_eq!(p.versions[0].tags, ["staging"]);
    assert_eq!(
        p.versions[1].tags,
        ["production"],
        "`latest` is no environment"
    );
    let v2 = &p.versions[1].prompt;
    assert_eq!(v2.name.as_deref(), Some("Lead scoring"));
    // The system prompt the response repeats as the first message appears once.
    assert_eq!(v2.messages.as_ref().unwrap().len(), 2);
    assert_eq!(v2.inputs["employees"].kind, InputType::Number);
    assert_eq!(v2.response_format.as_ref().unwrap().name, "lead_score");
    assert_eq!(v2.model.as_ref().unwrap().provider, "anthropic");
    let out = export_version(Service::Langwatch, &imported, 1);
    let row = &payload[0];
    for key in [
        "model",
        "temperature",
        "maxTokens",
        "prompt",
        "inputs",
        "outputs",
    ] {
        assert_eq!(out.body[key], row[key], "{key}");
    }
    // The create request has no `responseFormat`: the outputs carry the schema, with a warning.
    assert!(out.body.get("responseFormat").is_none());
    assert!(
        out.warnings.iter().any(|w| w.contains(
            "has no `responseFormat`: the schema is sent as the json_schema output `lead_score`"
        )),
        "{:?}",
        out.warnings
    );
    assert_eq!(out.body["messages"], json!([row["messages"][1]]));
    assert_eq!(out.body["commitMessage"], "Score as structured output");
}

#[test]
fn langwatch_demonstrations_by_row_are_read_too() {
    let payload = json!({
        "handle": "faq",
        "prompt": "Answer {{question}}.",
        "inputs": [{"identifier": "question", "type": "str"}, {"identifier": "stars", "type": "float"}],
        "outputs": [{"identifier": "answer", "type": "str"}],
        "demonstrations": {
            "columns": [
                {"id": "question", "name": "Question", "type": "string"},
                {"id": "stars", "name": "Stars", "type": "number"},
                {"id": "answer", "name": "Answer", "type": "string"}
            ],
            "rows": [{"id": "r1", "question": "Open on Sunday?", "stars": "4.5", "answer": "No."}]
        }
    });
    let imported = import_ok(Service::Langwatch, &payload);
    let prompt = &imported.prompts[0].versions[0].prompt;
    assert_eq!(
        prompt.examples[0].input["question"],
        json!("Open on Sunday?")
    );
    assert_eq!(
        prompt.examples[0].input["stars"],
        json!(4.5),
        "typed as the input"
    );
    assert_eq!(prompt.examples[0].output, json!("No."));
    assert_eq!(
        prompt.inputs["stars"].required,
        Some(false),
        "declared but unused"
    );
}

#[test]
fn langwatch_reports_tools_and_flattens_deep_ids() {
    let mut p = chat(vec![MessageItem::text(Role::User, "Hi {{name}}")]);
    p.tools.push(Tool {
        name: "lookup".into(),
        ..Tool::default()
    });
    let out = simple("a/b/c", &p, Service::Langwatch);
    assert_eq!(out.body["handle"], "a/b-c");
    let all = out.warnings.join("\n");
    assert!(all.contains("tools (lookup) cannot be held"), "{all}");
    assert!(all.contains("at most one `/`"), "{all}");
    assert_eq!(
        out.body["inputs"],
        json!([{"identifier": "name", "type": "str"}])
    );
    assert_eq!(out.body["model"], "openai/gpt-4o-mini");
}

#[test]
fn freeplay_history_and_media_slots_map_to_placeholders_and_parts() {
    let payload = fixture("freeplay-create.json");
    let imported = import_ok(Service::Freeplay, &payload);
    let p = &imported.prompts[0];
    assert!(p.id.is_none(), "a create request names no template");
    assert_eq!(p.versions[0].tags, ["staging"]);
    let prompt = &p.versions[0].prompt;
    let messages = prompt.messages.as_ref().unwrap();
    assert_eq!(messages[1].history.as_deref(), Some("history"));
    assert_eq!(prompt.inputs["history"].kind, InputType::Messages);
    assert_eq!(prompt.inputs["product_photo"].kind, InputType::Image);
    assert_eq!(
        messages[2].content,
        Some(Content::Parts(vec![
            Part {
                text: Some("{{question}}".into()),
                ..Part::default()
            },
            Part {
                image: Some("product_photo".into()),
                ..Part::default()
            }
        ]))
    );
    assert_eq!(
        prompt.tool_choice,
        Some(ToolChoice::Mode(ToolChoiceMode::Auto))
    );
    assert_eq!(
        prompt.response_format.as_ref().unwrap().name,
        "shopping_answer"
    );
    let out = export_version(Service::Freeplay, &imported, 0);
    for key in [
        "template_messages",
        "model",
        "provider",
        "llm_parameters",
        "tool_schema",
        "output_schema",
        "version_description",
    ] {
        assert_eq!(out.body[key], payload[key], "{key}");
    }
    assert_eq!(
        out.warnings,
        ["freeplay: the Freeplay SDK's create_version has no output_schema: it is in this body, \
          but a version created through the SDK loses it"]
    );
}

#[test]
fn freeplay_template_versions_keep_ids_and_environments() {
    let payload = fixture("freeplay-versions.json");
    let imported = import_ok(Service::Freeplay, &payload);
    let p = &imported.prompts[0];
    assert_eq!(p.id.as_ref().unwrap().as_str(), "order-status");
    assert_eq!(
        p.versions[0].message.as_deref(),
        Some("First order status prompt")
    );
    assert_eq!(p.versions[0].tags, ["dev"]);
    assert_eq!(p.versions[1].tags, ["prod"], "`latest` is no environment");
    let v2 = &p.versions[1].prompt;
    assert_eq!(v2.name.as_deref(), Some("Order Status"));
    assert_eq!(v2.model.as_ref().unwrap().name, "gpt-4o");
    let out = export_version(Service::Freeplay, &imported, 1);
    assert_eq!(
        out.endpoint,
        "POST /api/v2/projects/0c9d5e7a-8b1f-4a2c-9d3e-4f5a6b7c8d9e/prompt-templates/name/\
         Order%20Status/versions"
    );
    assert_eq!(out.body["template_messages"], payload["data"][0]["content"]);
    assert_eq!(
        out.body["llm_parameters"],
        payload["data"][0]["metadata"]["params"]
    );
    assert_eq!(out.body["tool_schema"], payload["data"][0]["tool_schema"]);
}

#[test]
fn freeplay_odd_placeholders_and_wrapped_schemas_come_back() {
    let payload = json!({
        "prompt_template_name": "Voice Notes",
        "metadata": {"provider": "vertex", "model": "gemini-1.5-pro", "params": {}},
        "content": [{"role": "user", "content": "Transcribe.", "media_slots": [
            {"type": "audio", "placeholder_name": "some-audio"},
            {"type": "file", "placeholder_name": "contract"}
        ]}],
        "output_schema": {"name": "transcript", "schema": {"type": "object"}, "strict": true}
    });
    let imported = import_ok(Service::Freeplay, &payload);
    let prompt = &imported.prompts[0].versions[0].prompt;
    assert_eq!(prompt.model.as_ref().unwrap().provider, "google");
    assert_eq!(prompt.inputs["some_audio"].kind, InputType::Audio);
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.contains("file slot `contract`")));
    let out = export_version(Service::Freeplay, &imported, 0);
    assert_eq!(out.body["provider"], "vertex");
    assert_eq!(out.body["template_messages"], payload["content"]);
    assert_eq!(out.body["output_schema"], payload["output_schema"]);
}

#[test]
fn bifrost_prompt_with_folder_and_serialized_messages() {
    let payload = fixture("bifrost-prompt.json");
    let imported = import_ok(Service::Bifrost, &payload);
    let p = &imported.prompts[0];
    assert_eq!(
        p.id.as_ref().unwrap().as_str(),
        "customer-support/refund-reply"
    );
    assert_eq!(p.versions.len(), 2);
    assert_eq!(
        p.versions[0].message.as_deref(),
        Some("First refund reply prompt")
    );
    let v1 = &p.versions[0].prompt;
    assert_eq!(v1.messages.as_ref().unwrap()[1].role, Some(Role::Assistant));
    let v2 = &p.versions[1].prompt;
    assert_eq!(v2.name.as_deref(), Some("Refund Reply"));
    assert_eq!(v2.tools[0].name, "refund_policy");
    assert_eq!(v2.response_format.as_ref().unwrap().strict, Some(true));
    let photo = &v2.inputs["image_1"];
    assert_eq!(photo.kind, InputType::Image);
    assert_eq!(
        photo.default,
        Some(json!("https://cdn.example.com/receipts/sample-receipt.png"))
    );
    let out = export_version(Service::Bifrost, &imported, 1);
    let want = &payload["prompt"]["versions"][0];
    assert_eq!(out.body["model_params"], want["model_params"]);
    assert_eq!(out.body["provider"], "openai");
    assert_eq!(out.body["model"], "gpt-4o");
    assert_eq!(out.body["folder"], "Customer Support");
    assert_eq!(out.body["name"], "Refund Reply");
    let payloads: Vec<Value> = want["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"]["payload"].clone())
        .collect();
    assert_eq!(out.body["messages"], Value::Array(payloads));
    assert_eq!(
        out.endpoint,
        "POST /api/prompt-repo/prompts/4f6c2a1e-8d3b-4b7a-9c2e-1a5d7e9f0b3c/versions"
    );
}

#[test]
fn bifrost_create_body_round_trips() {
    let payload = fixture("bifrost-version.json");
    let imported = import_ok(Service::Bifrost, &payload);
    let p = &imported.prompts[0];
    assert!(p.id.is_none());
    let model = p.versions[0].prompt.model.as_ref().unwrap();
    assert_eq!(model.provider, "aws");
    let out = export_version(Service::Bifrost, &imported, 0);
    let mut body = out.body.clone();
    body.as_object_mut().unwrap().remove("name");
    assert_eq!(body, payload);
}

#[test]
fn imported_prompts_declare_inputs_and_anthropic_max_tokens() {
    let payload = json!({
        "template_messages": [{"role": "user", "content": "{{#items}}- {{name}}\n{{/items}}{{^brief}}Explain.{{/brief}}"}],
        "model": "claude-3-5-haiku-20241022",
        "provider": "anthropic",
        "llm_parameters": {}
    });
    let imported = import_ok(Service::Freeplay, &payload);
    let prompt = &imported.prompts[0].versions[0].prompt;
    assert_eq!(prompt.inputs["items"].kind, InputType::Array);
    assert_eq!(prompt.inputs["brief"].kind, InputType::Boolean);
    assert!(!prompt.inputs.contains_key("name"), "a field of the items");
    assert_eq!(
        prompt.model.as_ref().unwrap().params["max_tokens"],
        json!(1024)
    );
    assert!(imported.warnings.iter().any(|w| w.contains("max_tokens")));
}

#[test]
fn payloads_of_another_shape_are_refused() {
    for service in Service::ALL {
        let err = import(service, &json!({"hello": "world"}), "x.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("not a {} prompt payload", service.name())),
            "{err}"
        );
    }
    let err = parse_payload("{\n  \"a\": ,\n}", "bad.json")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("bad.json:2:"), "{err}");
}

#[test]
fn every_service_warns_on_other_template_syntaxes() {
    let mut p = chat(vec![MessageItem::text(Role::User, "Hi {name}")]);
    p.template_format = TemplateFormat::FString;
    p.inputs.insert("name".into(), Input::string());
    for service in [Service::Langwatch, Service::Freeplay, Service::Bifrost] {
        let out = simple("hi", &p, service);
        assert!(
            out.warnings.iter().any(|w| w.contains("f-string")),
            "{service:?}: {:?}",
            out.warnings
        );
    }
    let out = simple("hi", &p, Service::Phoenix);
    assert_eq!(out.body["version"]["template_format"], "F_STRING");
}

#[test]
fn bifrost_tool_calls_and_results_are_kept_aside_and_put_back() {
    let payload = json!({
        "name": "Order Bot",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "model_params": {},
        "messages": [
            {"role": "user", "content": "Where is A-17?"},
            {"role": "assistant", "content": "Checking.", "tool_calls": [
                {"type": "function", "id": "call_1", "function": {"name": "get_order", "arguments": "{\"id\":\"A-17\"}"}}
            ]},
            {"role": "tool", "content": "{\"status\":\"shipped\"}", "tool_call_id": "call_1"},
            {"role": "user", "content": "{{question}}"}
        ]
    });
    let imported = import_ok(Service::Bifrost, &payload);
    let prompt = &imported.prompts[0].versions[0].prompt;
    let roles: Vec<_> = prompt
        .messages
        .as_ref()
        .unwrap()
        .iter()
        .map(|m| m.role.unwrap())
        .collect();
    assert_eq!(
        roles,
        [Role::User, Role::Assistant, Role::User],
        "the tool result is aside"
    );
    assert!(imported.warnings.iter().any(|w| w.contains("tool result")));
    let out = export_version(Service::Bifrost, &imported, 0);
    assert_eq!(out.body["messages"], payload["messages"]);
    assert_eq!(out.body["name"], "Order Bot");
}

#[test]
fn provider_names_come_back_as_the_service_wrote_them() {
    let payload = json!({
        "handle": "geo",
        "model": "vertex_ai/gemini-1.5-pro",
        "prompt": "Where is {{place}}?"
    });
    let imported = import_ok(Service::Langwatch, &payload);
    let model = imported.prompts[0].versions[0]
        .prompt
        .model
        .clone()
        .unwrap();
    assert_eq!(
        (model.provider.as_str(), model.name.as_str()),
        ("google", "gemini-1.5-pro")
    );
    let out = export_version(Service::Langwatch, &imported, 0);
    assert_eq!(out.body["model"], "vertex_ai/gemini-1.5-pro");
    // Written fresh, google is litellm's gemini.
    let mut p = imported.prompts[0].versions[0].prompt.clone();
    p.metadata.clear();
    assert_eq!(
        simple("geo", &p, Service::Langwatch).body["model"],
        "gemini/gemini-1.5-pro"
    );
    assert_eq!(
        simple("geo", &p, Service::Bifrost).body["provider"],
        "gemini"
    );
    assert_eq!(
        simple("geo", &p, Service::Freeplay).body["provider"],
        "gemini"
    );
    assert_eq!(
        simple("geo", &p, Service::Phoenix).body["version"]["model_provider"],
        "GOOGLE"
    );
}

/// Prompts for the round trips: one per feature a registry may or may not hold.
const ROUND_TRIP: &[(&str, &str)] = &[
    (
        "text",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {temperature: 0.2, max_tokens: 100}}
inputs: {ticket: {type: string}}
template: 'Summarize: {{ticket}}'
",
    ),
    (
        "chat",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {temperature: 0.2, max_tokens: 100}}
inputs: {q: {type: string}}
messages:
  - {role: system, content: You are terse.}
  - {role: user, content: Hello.}
  - {role: assistant, content: Hi.}
  - {role: user, content: '{{q}}'}
",
    ),
    (
        "tools",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {max_tokens: 100}}
messages:
  - {role: user, content: Find order 7.}
tools:
  - name: lookup
    description: Find an order.
    parameters: {type: object, properties: {id: {type: string}}, required: [id]}
tool_choice: {name: lookup}
",
    ),
    (
        "response-format",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {max_tokens: 100}}
messages:
  - {role: user, content: Rate it.}
response_format:
  name: output
  schema: {type: object, properties: {stars: {type: integer}}, required: [stars]}
",
    ),
    (
        "examples",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {max_tokens: 100}}
inputs: {q: {type: string}}
messages:
  - {role: system, content: Translate to French.}
  - {role: user, content: '{{q}}'}
examples:
  - input: {q: cat}
    output: chat
",
    ),
    (
        "params",
        "format: 1
model:
  provider: openai
  name: gpt-4o-mini
  params: {temperature: 0.2, top_p: 0.9, max_tokens: 100, stop: [END], seed: 7, presence_penalty: 0.1, frequency_penalty: 0.2}
messages:
  - {role: user, content: Hi.}
",
    ),
    (
        "gemini",
        "format: 1
model: {provider: gemini, name: gemini-2.5-flash, params: {temperature: 0.2, max_output_tokens: 100, top_k: 5}}
template: Hi.
",
    ),
    (
        "bedrock",
        "format: 1
model: {provider: bedrock, name: anthropic.claude-3-haiku, params: {max_tokens: 100, stop_sequences: [END]}}
template: Hi.
",
    ),
    (
        "history-and-image",
        "format: 1
model: {provider: openai, name: gpt-4o-mini, params: {max_tokens: 100}}
inputs: {history: {type: messages}, photo: {type: image}}
messages:
  - {role: system, content: Describe images.}
  - history: history
  - role: user
    content: [{text: What is this?}, {image: photo}]
",
    ),
];

const SERVICES: [Service; 4] = [
    Service::Phoenix,
    Service::Langwatch,
    Service::Freeplay,
    Service::Bifrost,
];

/// The top-level fields in which two prompts differ.
fn differing_fields(a: &Prompt, b: &Prompt) -> Vec<String> {
    let (Value::Object(a), Value::Object(b)) = (
        serde_json::to_value(a).unwrap(),
        serde_json::to_value(b).unwrap(),
    ) else {
        panic!("prompts serialize as objects")
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => format!("{k}: {x} -> {y}"),
            (x, y) => format!(
                "{k}: {} -> {}",
                x.map_or("none".into(), Value::to_string),
                y.map_or("none".into(), Value::to_string)
            ),
        })
        .collect()
}

/// Export -> import for every registry and every prompt of the corpus: the prompt comes back
/// identical, or the export or the import warned about each difference. The whole table (what
/// each format warns about, and what comes back changed) is pinned in a snapshot.
#[test]
fn every_registry_round_trips_the_corpus_and_warns_about_the_rest() {
    let mut report = String::new();
    let mut identical = Vec::new();
    for (name, yaml) in ROUND_TRIP {
        let prompt = load::parse(yaml).unwrap().prompt;
        report.push_str(&format!("{name}\n"));
        for service in SERVICES {
            let out = simple("rt", &prompt, service);
            let imported = import(service, &out.body, "rt.json").unwrap();
            let back = &imported.prompts[0].versions[0].prompt;
            report.push_str(&format!("  {}:\n", service.name()));
            for w in &out.warnings {
                report.push_str(&format!("    export warning: {w}\n"));
            }
            for w in &imported.warnings {
                report.push_str(&format!("    import warning: {w}\n"));
            }
            let diff = differing_fields(&prompt, back);
            if diff.is_empty() {
                report.push_str("    round trip: identical\n");
                identical.push((*name, service));
            } else {
                assert!(
                    !out.warnings.is_empty() || !imported.warnings.is_empty(),
                    "{name} through {}: changed without a warning: {diff:?}",
                    service.name()
                );
                for d in diff {
                    report.push_str(&format!("    round trip changes {d}\n"));
                }
            }
        }
    }
    // What each registry can hold comes back unchanged.
    for want in [
        ("text", Service::Phoenix),
        ("chat", Service::Phoenix),
        ("tools", Service::Phoenix),
        ("params", Service::Phoenix),
        ("chat", Service::Langwatch),
        ("params", Service::Langwatch),
        ("examples", Service::Langwatch),
        ("response-format", Service::Langwatch),
        ("chat", Service::Freeplay),
        ("tools", Service::Freeplay),
        ("params", Service::Freeplay),
        ("history-and-image", Service::Freeplay),
        ("chat", Service::Bifrost),
        ("params", Service::Bifrost),
    ] {
        assert!(identical.contains(&want), "{want:?}\n{report}");
    }
    insta::assert_snapshot!(report);
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

#[test]
fn langwatch_import_keeps_every_parameter() {
    let payload = json!({
        "handle": "p",
        "model": "openai/gpt-4o",
        "prompt": "Hi.",
        "parameters": {"stop": ["END"], "top_p": 0.5, "custom": {"a": 1}}
    });
    let imported = import_ok(Service::Langwatch, &payload);
    let params = &imported.prompts[0].versions[0]
        .prompt
        .model
        .as_ref()
        .unwrap()
        .params;
    assert_eq!(params["stop"], json!(["END"]));
    assert_eq!(params["custom"], json!({"a": 1}));
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);

    // Without a model the parameters cannot be model.params: kept, with a warning, and sent back.
    let payload = json!({"handle": "p", "prompt": "Hi.", "parameters": {"seed": 3}});
    let imported = import_ok(Service::Langwatch, &payload);
    assert_eq!(
        imported.warnings,
        [
            "langwatch: a version without a `model` has parameters (seed): kept under \
          metadata.langwatch (model.params needs a model)"
        ]
    );
    let out = export_version(Service::Langwatch, &imported, 0);
    assert_eq!(out.body["parameters"], json!({"seed": 3}));
}

#[test]
fn freeplay_import_keeps_the_version_id_and_environment() {
    let payload = json!({
        "prompt_template_id": "t-1",
        "prompt_template_version_id": "v-9",
        "prompt_template_name": "greet",
        "environment": "prod",
        "project_id": "p-1",
        "format_version": 2,
        "metadata": {"provider": "openai", "model": "gpt-4o", "params": {"temperature": 0.1}},
        "content": [{"role": "user", "content": "Hi."}]
    });
    let imported = import_ok(Service::Freeplay, &payload);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let meta = &imported.prompts[0].versions[0].prompt.metadata["freeplay"];
    assert_eq!(meta["version_id"], "v-9");
    assert_eq!(meta["environment"], "prod");
    let out = export_version(Service::Freeplay, &imported, 0);
    assert_eq!(
        out.endpoint,
        "POST /api/v2/projects/p-1/prompt-templates/name/greet/versions"
    );
}

/// A validator for a vendored registry definition; a missing file fails.
fn registry_validator(name: &str) -> jsonschema::Validator {
    let path = format!(
        "{}/tests/fixtures/provider-schemas/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the vendored definition {path} is missing: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn first_errors(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect()
}

/// Every Freeplay export of the round-trip corpus (and of the fixture) is what the SDK's
/// `create_version` sends with its own dataclasses, once the key it cannot pass (`output_schema`,
/// always warned about) is set aside.
#[test]
fn freeplay_exports_validate_against_the_sdks_create_version_payload() {
    let validator = registry_validator("freeplay-create-version.schema.json");
    let mut exports: Vec<(String, Exported)> = ROUND_TRIP
        .iter()
        .map(|(name, yaml)| {
            let prompt = load::parse(yaml).unwrap().prompt;
            (name.to_string(), simple("rt", &prompt, Service::Freeplay))
        })
        .collect();
    let imported = import_ok(Service::Freeplay, &fixture("freeplay-create.json"));
    exports.push((
        "fixture".into(),
        export_version(Service::Freeplay, &imported, 0),
    ));
    for (name, out) in &exports {
        let mut body = out.body.clone();
        if body
            .as_object_mut()
            .unwrap()
            .remove("output_schema")
            .is_some()
        {
            assert!(
                out.warnings.iter().any(|w| w.contains("no output_schema")),
                "{name}: {:?}",
                out.warnings
            );
        }
        let errors = first_errors(&validator, &body);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{body:#}");
    }
    // A tool without a description used to fail the SDK's ToolSchema.
    let mut wrong = exports[2].1.body.clone();
    wrong["tool_schema"][0]
        .as_object_mut()
        .unwrap()
        .remove("description");
    assert!(!validator.is_valid(&wrong));
}

/// Every Phoenix export of the round-trip corpus (and of the fixture) validates against
/// `arize-phoenix-client`'s own `CreatePromptRequestBody`, closed to unknown keys (vendored in
/// tests/fixtures/provider-schemas as JSON Schema).
#[test]
fn phoenix_exports_validate_against_the_clients_create_request_type() {
    let validator = registry_validator("phoenix-create-prompt-request.schema.json");
    let mut bodies: Vec<(String, Value)> = ROUND_TRIP
        .iter()
        .map(|(name, yaml)| {
            let prompt = load::parse(yaml).unwrap().prompt;
            (
                name.to_string(),
                simple("rt", &prompt, Service::Phoenix).body,
            )
        })
        .collect();
    let imported = import_ok(Service::Phoenix, &fixture("phoenix-create.json"));
    bodies.push((
        "fixture".into(),
        export_version(Service::Phoenix, &imported, 0).body,
    ));
    for (name, body) in &bodies {
        let errors = first_errors(&validator, body);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{body:#}");
    }
    // What main wrote before this change (GEMINI, and google's parameters under `gemini`) fails.
    let mut wrong = bodies[6].1.clone();
    wrong["version"]["model_provider"] = json!("GEMINI");
    assert!(!validator.is_valid(&wrong));
    let mut wrong = bodies[6].1.clone();
    wrong["version"]["invocation_parameters"]["google"]["seed"] = json!(1);
    assert!(!validator.is_valid(&wrong), "unknown parameters fail");
}
