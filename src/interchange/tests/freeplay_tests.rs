//! Freeplay: history and media slots, template versions and environments, placeholders.

use super::*;

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
