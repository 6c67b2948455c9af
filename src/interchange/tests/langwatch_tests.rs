//! LangWatch: create requests, version rows, demonstrations, parameters.

use super::*;

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
