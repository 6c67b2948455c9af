//! Export bodies validated against the request definitions vendored from the services' SDKs.

use super::*;

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
