//! Bifrost: prompts with folders and serialized messages, tool calls and results.

use super::*;

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
