//! Unit tests of the service mappings: each way on the fixtures written from the services' API
//! documentation (`tests/fixtures/interchange/`), round trips, per-provider invocation
//! parameters, and what a service cannot hold. The tests of one service are in its own file;
//! this one holds the shared helpers and the tests across services.

mod bifrost_tests;
mod freeplay_tests;
mod langwatch_tests;
mod phoenix_tests;
mod schemas;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::*;
use crate::check::{self, Severity};
use crate::model::{
    load, Content, Example, Input, InputType, MessageItem, Model, Part, Role, Syntax, Tool,
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
    p.template_format = Syntax::FString;
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
