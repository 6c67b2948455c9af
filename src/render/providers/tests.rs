//! Provider request bodies, checked against the providers' own published definitions (vendored
//! in tests/fixtures/provider-schemas with their licences): every prompt of a corpus covering
//! text, chat, tools with each tool_choice, response_format, images by URL and by file, history,
//! examples and the common parameters is rendered in every provider format, and each body is
//! validated against the OpenAI schema, the Anthropic Messages create schema (closed at the top
//! level) and botocore's Converse model. The warnings are pinned in a snapshot.

use serde_json::{json, Value};

use crate::model::load;
use crate::render::{output, values, Given, Prepared, RenderFormat, Sources};

/// Reads a vendored definition; a missing one fails the test (never skips).
fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/provider-schemas/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the vendored definition {path} is missing: {e}"));
    serde_json::from_str(&text).expect("the vendored definition is JSON")
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&fixture(name)).expect("the schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, body: &Value) -> Vec<String> {
    v.iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A small walker over botocore's service model: validates `value` against shape `name` as the
/// REST JSON protocol carries it (structure members and `required`, unions with exactly one
/// member set, lists, maps, string enums and lengths, numbers and their ranges, base64 blobs,
/// documents as any JSON). Members bound to the URL or headers must not be in the body.
fn walk(model: &Value, name: &str, value: &Value, path: &str, errors: &mut Vec<String>) {
    let shape = &model["shapes"][name];
    let mut fail = |why: String| errors.push(format!("{path}: {why} (shape {name})"));
    let range = |n: f64, fail: &mut dyn FnMut(String)| {
        if let Some(min) = shape["min"].as_f64().filter(|m| n < *m) {
            fail(format!("{n} is below the minimum {min}"));
        }
        if let Some(max) = shape["max"].as_f64().filter(|m| n > *m) {
            fail(format!("{n} is above the maximum {max}"));
        }
    };
    match shape["type"].as_str() {
        Some("structure") if shape["document"] == true => {}
        Some("structure") => {
            let Some(obj) = value.as_object() else {
                return fail(format!("expected an object, got {value}"));
            };
            let members = shape["members"]
                .as_object()
                .expect("a structure has members");
            for key in obj.keys() {
                match members.get(key) {
                    None => fail(format!("`{key}` is not a member")),
                    Some(m) if m.get("location").is_some() => fail(format!(
                        "`{key}` travels in the {}, not the body",
                        m["location"]
                    )),
                    Some(_) => {}
                }
            }
            for req in shape["required"].as_array().into_iter().flatten() {
                let req = req.as_str().unwrap();
                if members[req].get("location").is_none() && !obj.contains_key(req) {
                    fail(format!("required member `{req}` is missing"));
                }
            }
            if shape["union"] == true && obj.len() != 1 {
                fail(format!(
                    "a union sets exactly one member, not {}",
                    obj.len()
                ));
            }
            for (key, v) in obj {
                if let Some(m) = members.get(key) {
                    let inner = m["shape"].as_str().unwrap();
                    walk(model, inner, v, &format!("{path}.{key}"), errors);
                }
            }
        }
        Some("list") => {
            let Some(items) = value.as_array() else {
                return fail(format!("expected a list, got {value}"));
            };
            range(items.len() as f64, &mut fail);
            let inner = shape["member"]["shape"].as_str().unwrap();
            for (i, v) in items.iter().enumerate() {
                walk(model, inner, v, &format!("{path}[{i}]"), errors);
            }
        }
        Some("map") => {
            let Some(obj) = value.as_object() else {
                return fail(format!("expected a map, got {value}"));
            };
            let (k, v) = (
                shape["key"]["shape"].as_str().unwrap(),
                shape["value"]["shape"].as_str().unwrap(),
            );
            for (key, item) in obj {
                walk(
                    model,
                    k,
                    &Value::String(key.clone()),
                    &format!("{path}<key>"),
                    errors,
                );
                walk(model, v, item, &format!("{path}.{key}"), errors);
            }
        }
        Some("string") => {
            let Some(s) = value.as_str() else {
                return fail(format!("expected a string, got {value}"));
            };
            if let Some(allowed) = shape["enum"].as_array() {
                if !allowed.iter().any(|a| a == s) {
                    fail(format!("`{s}` is not one of {allowed:?}"));
                }
            }
            range(s.chars().count() as f64, &mut fail);
        }
        Some("integer") | Some("long") => match value.as_i64() {
            Some(n) => range(n as f64, &mut fail),
            None => fail(format!("expected an integer, got {value}")),
        },
        Some("float") | Some("double") => match value.as_f64() {
            Some(n) => range(n, &mut fail),
            None => fail(format!("expected a number, got {value}")),
        },
        Some("boolean") if !value.is_boolean() => fail(format!("expected a boolean, got {value}")),
        Some("boolean") => {}
        Some("blob") => {
            let ok = value.as_str().is_some_and(|s| {
                !s.is_empty()
                    && s.len() % 4 == 0
                    && s.trim_end_matches('=')
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            });
            if !ok {
                fail(format!("expected base64 text, got {value}"));
            }
        }
        Some("timestamp") if !(value.is_string() || value.is_number()) => {
            fail(format!("expected a timestamp, got {value}"))
        }
        Some("timestamp") => {}
        other => fail(format!("unknown shape type {other:?}")),
    }
}

/// The Responses definition as a validator. OpenAPI picks a `oneOf` branch by its
/// `discriminator` (`type`), where JSON Schema's `oneOf` wants exactly one branch to match: a
/// message item with a list of parts matches both `EasyInputMessage` and `InputMessage`, which
/// the API reads as one message. So a `oneOf` with a discriminator is read as `anyOf`.
fn responses_validator() -> jsonschema::Validator {
    fn rewrite(v: &mut Value) {
        match v {
            Value::Object(o) => {
                if o.contains_key("discriminator") {
                    if let Some(branches) = o.remove("oneOf") {
                        o.insert("anyOf".into(), branches);
                    }
                }
                o.values_mut().for_each(rewrite);
            }
            Value::Array(a) => a.iter_mut().for_each(rewrite),
            _ => {}
        }
    }
    let mut schema = fixture("openai-responses-create.schema.json");
    rewrite(&mut schema);
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// Keys of a Responses body that `CreateResponse` does not define (its object schemas are open,
/// so the JSON Schema alone would let an unknown top-level key through).
fn undefined_top_level_keys(body: &Value) -> Vec<String> {
    let schema = fixture("openai-responses-create.schema.json");
    fn names(defs: &Value, name: &str, out: &mut Vec<String>) {
        let s = &defs[name];
        for part in s["allOf"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![s.clone()])
        {
            match part["$ref"].as_str() {
                Some(r) => names(defs, r.rsplit('/').next().unwrap(), out),
                None => out.extend(
                    part["properties"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone()),
                ),
            }
        }
    }
    let mut defined = Vec::new();
    names(&schema["$defs"], "CreateResponse", &mut defined);
    body.as_object()
        .unwrap()
        .keys()
        .filter(|k| !defined.contains(k))
        .map(|k| format!("`{k}` is not a CreateResponse field"))
        .collect()
}

fn converse_errors(model: &Value, body: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    walk(model, "ConverseRequest", body, "$", &mut errors);
    errors
}

/// The corpus directory (shared with tests/sdk/check_sdks.py).
fn corpus_dir() -> String {
    format!(
        "{}/tests/fixtures/render-corpus",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The cases of the corpus, from its `cases.json`; a missing file fails the test.
fn cases() -> Vec<Value> {
    let path = format!("{}/cases.json", corpus_dir());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the render corpus {path} is missing: {e}"));
    let Value::Array(list) = serde_json::from_str(&text).expect("cases.json is JSON") else {
        panic!("cases.json is a list")
    };
    list
}

/// Renders corpus case `name` in `format`; `@PNG` in its values is the local file `png`.
fn render_corpus(
    name: &str,
    format: RenderFormat,
    png: &str,
) -> Result<(Value, Vec<String>), String> {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no corpus case {name}"));
    let file = format!(
        "{}/{}.prompt.yaml",
        corpus_dir(),
        case["prompt"].as_str().unwrap()
    );
    let mut yaml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    if let Some(choice) = case["tool_choice"].as_str() {
        yaml = yaml.replace("tool_choice: auto", &format!("tool_choice: {choice}"));
    }
    let prompt = load::parse(&yaml).unwrap().prompt;
    let prepared = Prepared::new(&prompt, &crate::template::NoPartials, false).unwrap();
    let values = case.get("values").cloned().unwrap_or_else(|| json!({}));
    let Value::Object(given) =
        serde_json::from_str(&values.to_string().replace("@PNG", png)).unwrap()
    else {
        panic!("values are an object")
    };
    let sources = Sources {
        layers: vec![given
            .into_iter()
            .map(|(k, v)| (k, Given::Json(v)))
            .collect()],
        ..Sources::default()
    };
    let v = values::collect(&prompt, &sources).unwrap();
    let rendered = prepared.render(v).unwrap();
    output(&prompt, &rendered, format).map_err(|e| e.to_string())
}

fn png() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.png");
    std::fs::write(&path, b"\x89PNG").unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

const FORMATS: [(RenderFormat, &str); 5] = [
    (RenderFormat::Openai, "openai"),
    (RenderFormat::OpenaiResponses, "openai-responses"),
    (RenderFormat::Anthropic, "anthropic"),
    (RenderFormat::Gemini, "gemini"),
    (RenderFormat::Bedrock, "bedrock"),
];

/// Every corpus body validates against its provider's definition; the warnings and refusals
/// are pinned in a snapshot (the list docs/providers.md describes).
#[test]
fn every_corpus_body_follows_the_providers_definition() {
    let (_dir, photo) = png();
    let openai = validator("openai-chat-completions.schema.json");
    let responses = responses_validator();
    let anthropic = validator("anthropic-messages-create.schema.json");
    let bedrock = fixture("bedrock-runtime-service-2.json");
    let mut report = String::new();
    let mut failures = Vec::new();
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        report.push_str(&format!("{name}\n"));
        for (format, label) in FORMATS {
            let (body, warnings) = match render_corpus(name, format, &photo) {
                Ok(b) => b,
                Err(e) => {
                    report.push_str(&format!("  {label}: refused: {e}\n"));
                    continue;
                }
            };
            let errors = match format {
                RenderFormat::Openai => schema_errors(&openai, &body),
                RenderFormat::OpenaiResponses => {
                    let mut e = schema_errors(&responses, &body);
                    e.extend(undefined_top_level_keys(&body));
                    e
                }
                RenderFormat::Anthropic => schema_errors(&anthropic, &body),
                RenderFormat::Bedrock => converse_errors(&bedrock, &body),
                _ => Vec::new(),
            };
            if !errors.is_empty() {
                failures.push(format!("{name} as {label}: {errors:#?}\n{body:#}"));
            }
            let checked = match format {
                RenderFormat::Gemini => "rendered (no vendored definition; tests/sdk checks it)",
                _ => "valid",
            };
            report.push_str(&format!("  {label}: {checked}\n"));
            for w in warnings {
                report.push_str(&format!("    warning: {w}\n"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    insta::assert_snapshot!(report.replace(&photo, "<cat.png>"));
}

/// The definitions reject what they should, so passing them means something.
#[test]
fn the_definitions_reject_wrong_bodies() {
    let (_dir, photo) = png();
    let (b, _) = render_corpus("chat", RenderFormat::Openai, &photo).unwrap();
    let mut wrong = b.clone();
    wrong["messages"][0]["role"] = json!("narrator");
    assert!(!validator("openai-chat-completions.schema.json").is_valid(&wrong));

    let anthropic = validator("anthropic-messages-create.schema.json");
    let (b, _) = render_corpus("chat", RenderFormat::Anthropic, &photo).unwrap();
    assert!(anthropic.is_valid(&b));
    for (key, value) in [
        ("temperature", json!(0.2)),
        ("top_k", json!(3)),
        ("response_format", json!({})),
    ] {
        let mut wrong = b.clone();
        wrong[key] = value;
        assert!(
            !anthropic.is_valid(&wrong),
            "{key} is not in the Messages definition"
        );
    }

    let model = fixture("bedrock-runtime-service-2.json");
    let (b, _) = render_corpus("image-file", RenderFormat::Bedrock, &photo).unwrap();
    assert!(converse_errors(&model, &b).is_empty());
    let cases = [
        ("/messages/0/role", json!("narrator"), "is not one of"),
        (
            "/messages/0/content/1/image/format",
            json!("bmp"),
            "is not one of",
        ),
        (
            "/messages/0/content/1/image/source/bytes",
            json!("not base64!"),
            "base64",
        ),
        ("/inferenceConfig/maxTokens", json!(0), "below the minimum"),
    ];
    for (pointer, value, why) in cases {
        let mut wrong = b.clone();
        *wrong.pointer_mut(pointer).unwrap() = value;
        let errors = converse_errors(&model, &wrong);
        assert!(
            errors.iter().any(|e| e.contains(why)),
            "{pointer}: {errors:?}"
        );
    }
    let mut wrong = b.clone();
    wrong["modelId"] = json!("m-1");
    wrong["temperature"] = json!(0.1);
    wrong["messages"][0]["content"][1]["image"]["source"]["s3Location"] =
        json!({"uri": "s3://b/k"});
    let errors = converse_errors(&model, &wrong).join("\n");
    assert!(
        errors.contains("`modelId` travels in the \"uri\""),
        "{errors}"
    );
    assert!(errors.contains("`temperature` is not a member"), "{errors}");
    assert!(
        errors.contains("a union sets exactly one member"),
        "{errors}"
    );
    let mut wrong = b.clone();
    wrong["messages"][0]
        .as_object_mut()
        .unwrap()
        .remove("content");
    assert!(converse_errors(&model, &wrong)
        .iter()
        .any(|e| e.contains("required member `content`")));
}

#[test]
fn openai_body_carries_messages_tools_and_json_schema() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("image-file", RenderFormat::Openai, &photo).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        b["messages"][0]["content"][1],
        json!({"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}})
    );
    let (b, _) = render_corpus("tools-named", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["tools"][0]["function"]["strict"], true);
    assert_eq!(
        b["tool_choice"],
        json!({"type": "function", "function": {"name": "lookup"}})
    );
    let (b, warnings) = render_corpus("response-format", RenderFormat::Openai, &photo).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(b["response_format"]["type"], "json_schema");
    assert_eq!(b["response_format"]["json_schema"]["name"], "rating");
    assert_eq!(b["response_format"]["json_schema"]["strict"], true);
    let (b, warnings) = render_corpus("params-common", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["stop"], "END");
    assert!(b.get("top_k").is_none());
    assert_eq!(
        warnings,
        ["openai: left out parameters the request does not define: top_k"]
    );
    let (b, warnings) = render_corpus("params-google-names", RenderFormat::Openai, &photo).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(b["max_tokens"], 64);
    assert_eq!(b["stop"], json!(["END", "STOP"]));
    assert_eq!(b["top_p"], 0.8);
    assert_eq!(b["n"], 1);
}

#[test]
fn anthropic_body_has_native_structured_output_and_no_sampling_parameters() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("response-format", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(
        b["output_config"],
        json!({"format": {"type": "json_schema", "schema": {"type": "object", "properties": {"stars": {"type": "integer"}}, "required": ["stars"], "additionalProperties": false}}})
    );
    assert!(b.get("response_format").is_none());
    assert_eq!(
        warnings,
        ["anthropic: response_format description and strict has no place in the request; left out"]
    );
    let (b, warnings) = render_corpus("params-common", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(b["max_tokens"], 64);
    assert_eq!(b["stop_sequences"], json!(["END"]));
    for key in ["temperature", "top_p", "top_k", "seed"] {
        assert!(b.get(key).is_none(), "{key}");
    }
    assert_eq!(
        warnings,
        ["anthropic: left out parameters the request does not define: temperature, top_p, top_k, \
          seed, presence_penalty, frequency_penalty"]
    );
    let (b, _) = render_corpus("chat", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(b["system"], "You are terse.\n\nAnswer in English.");
    let (b, _) = render_corpus("image-url", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(
        b["messages"][0]["content"][1]["source"],
        json!({"type": "url", "url": "https://x.test/cat.png"})
    );
    let (b, _) = render_corpus("tools-required", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(b["tool_choice"], json!({"type": "any"}));
    assert_eq!(b["tools"][0]["strict"], true);
    assert_eq!(
        b["tools"][1]["input_schema"],
        json!({"type": "object", "properties": {}})
    );
}

#[test]
fn gemini_body_uses_contents_parts_and_generation_config() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("response-format", RenderFormat::Gemini, &photo).unwrap();
    assert!(b.get("model").is_none(), "the model is in the URL");
    let gen = &b["generationConfig"];
    assert_eq!(gen["maxOutputTokens"], 50);
    assert_eq!(gen["responseMimeType"], "application/json");
    assert_eq!(gen["responseJsonSchema"]["required"], json!(["stars"]));
    assert_eq!(
        warnings,
        ["gemini: response_format description and strict has no place in the request; left out"]
    );
    let (b, _) = render_corpus("image-file", RenderFormat::Gemini, &photo).unwrap();
    assert_eq!(
        b["contents"][0]["parts"][1],
        json!({"inlineData": {"mimeType": "image/png", "data": "iVBORw=="}})
    );
    let (b, _) = render_corpus("tools-named", RenderFormat::Gemini, &photo).unwrap();
    assert_eq!(
        b["toolConfig"]["functionCallingConfig"],
        json!({"mode": "ANY", "allowedFunctionNames": ["lookup"]})
    );
    let (b, warnings) = render_corpus("params-common", RenderFormat::Gemini, &photo).unwrap();
    assert_eq!(
        b["generationConfig"],
        json!({"temperature": 0.5, "topP": 0.9, "topK": 40, "maxOutputTokens": 64,
               "stopSequences": ["END"], "seed": 7, "presencePenalty": 0.1, "frequencyPenalty": 0.2})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn bedrock_body_uses_converse_blocks_and_output_config() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("response-format", RenderFormat::Bedrock, &photo).unwrap();
    let format = &b["outputConfig"]["textFormat"];
    assert_eq!(format["type"], "json_schema");
    let schema = &format["structure"]["jsonSchema"];
    assert_eq!(schema["name"], "rating");
    assert_eq!(schema["description"], "A rating from 1 to 5.");
    let text = schema["schema"]
        .as_str()
        .expect("Converse takes the schema as JSON text");
    let parsed: Value = serde_json::from_str(text).unwrap();
    assert_eq!(parsed["required"], json!(["stars"]));
    assert_eq!(
        warnings,
        ["bedrock: response_format strict has no place in the request; left out"]
    );
    let (b, _) = render_corpus("image-file", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(
        b["messages"][0]["content"][1],
        json!({"image": {"format": "png", "source": {"bytes": "iVBORw=="}}})
    );
    let (b, warnings) = render_corpus("params-common", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(
        b["inferenceConfig"],
        json!({"temperature": 0.5, "topP": 0.9, "maxTokens": 64, "stopSequences": ["END"]})
    );
    assert_eq!(
        b["additionalModelRequestFields"],
        json!({"top_k": 40, "seed": 7, "presence_penalty": 0.1, "frequency_penalty": 0.2})
    );
    assert!(
        warnings[0].contains("additionalModelRequestFields"),
        "{warnings:?}"
    );
    assert!(warnings[0].ends_with("top_k, seed, presence_penalty, frequency_penalty"));
    let (b, _) = render_corpus("tools-named", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(
        b["toolConfig"]["toolChoice"],
        json!({"tool": {"name": "lookup"}})
    );
    assert_eq!(b["toolConfig"]["tools"][0]["toolSpec"]["strict"], true);
}

#[test]
fn examples_come_before_the_history_in_every_body() {
    let (_dir, photo) = png();
    let (b, _) = render_corpus("examples", RenderFormat::Openai, &photo).unwrap();
    let texts: Vec<&str> = b["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Translate to French.",
            "cat",
            "chat",
            "dog",
            "chien",
            "hi",
            "salut",
            "bird"
        ]
    );
    let (b, _) = render_corpus("examples", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(b["messages"][0], json!({"role": "user", "content": "cat"}));
    assert_eq!(b["messages"][4], json!({"role": "user", "content": "hi"}));
}

#[test]
fn history_tool_calls_and_results_become_each_providers_blocks() {
    let (_dir, photo) = png();
    let (b, _) = render_corpus("history", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(
        b["messages"][1]["content"],
        json!([{"type": "tool_use", "id": "call_1", "name": "lookup", "input": {"q": "cat"}}])
    );
    assert_eq!(
        b["messages"][2]["content"],
        json!([{"type": "tool_result", "tool_use_id": "call_1", "content": "a cat"}])
    );
    let (b, _) = render_corpus("history", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(
        b["messages"][1]["content"],
        json!([{"toolUse": {"toolUseId": "call_1", "name": "lookup", "input": {"q": "cat"}}}])
    );
    // The tool result and the next user text are one user turn: Converse wants turns to alternate.
    let roles: Vec<&str> = b["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user", "assistant", "user"]);
    assert_eq!(
        b["messages"][2]["content"][0],
        json!({"toolResult": {"toolUseId": "call_1", "content": [{"text": "a cat"}]}})
    );
    let (b, _) = render_corpus("history", RenderFormat::Gemini, &photo).unwrap();
    assert_eq!(
        b["contents"][1]["parts"],
        json!([{"functionCall": {"id": "call_1", "name": "lookup", "args": {"q": "cat"}}}])
    );
    assert_eq!(
        b["contents"][2]["parts"],
        json!([{"functionResponse": {"name": "lookup", "id": "call_1", "response": {"output": "a cat"}}}])
    );
}

/// One assistant turn with three calls: every provider answers them in the single next turn
/// (Anthropic: one user message of three tool_result blocks; Gemini: one content of three
/// functionResponse parts; Bedrock: one user turn), and OpenAI keeps three tool messages.
#[test]
fn parallel_tool_results_are_one_turn() {
    let (_dir, photo) = png();
    let (b, _) = render_corpus("parallel-tools", RenderFormat::Anthropic, &photo).unwrap();
    let roles: Vec<&str> = b["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user", "user"]);
    let ids: Vec<&str> = b["messages"][2]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tool_use_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["call_a", "call_b", "call_c"]);
    assert_eq!(b["messages"][1]["content"].as_array().unwrap().len(), 3);

    let (b, _) = render_corpus("parallel-tools", RenderFormat::Gemini, &photo).unwrap();
    let contents = b["contents"].as_array().unwrap();
    assert_eq!(contents.len(), 4, "{b:#}");
    assert_eq!(contents[1]["parts"].as_array().unwrap().len(), 3);
    let answered: Vec<(&str, &str)> = contents[2]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let r = &p["functionResponse"];
            (r["id"].as_str().unwrap(), r["name"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        answered,
        [
            ("call_a", "lookup"),
            ("call_b", "lookup"),
            ("call_c", "lookup")
        ]
    );
    assert_eq!(
        contents[3]["parts"],
        json!([{"text": "Which is cheapest?"}])
    );

    let (b, _) = render_corpus("parallel-tools", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(b["messages"][2]["content"].as_array().unwrap().len(), 4);
    let (b, _) = render_corpus("parallel-tools", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["messages"].as_array().unwrap().len(), 7);
}

/// Reasoning models take `max_completion_tokens` and refuse the sampling parameters; the two
/// names of the cap are one parameter for every other provider.
#[test]
fn reasoning_models_get_their_cap_name_and_no_sampling_parameters() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("reasoning-model", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["max_completion_tokens"], 300);
    for key in ["max_tokens", "temperature", "top_p"] {
        assert!(b.get(key).is_none(), "{key}: {b:#}");
    }
    assert_eq!(b["reasoning_effort"], "low");
    assert_eq!(b["seed"], 7);
    assert_eq!(
        warnings,
        ["openai: `gpt-5-mini` is a reasoning model, which does not take temperature, top_p; left out"]
    );
    let (b, warnings) = render_corpus("reasoning-cap", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["max_completion_tokens"], 500);
    assert!(warnings.is_empty(), "{warnings:?}");
    let (b, warnings) = render_corpus("reasoning-cap", RenderFormat::Anthropic, &photo).unwrap();
    assert_eq!(b["max_tokens"], 500);
    assert!(warnings.is_empty(), "{warnings:?}");
    let (b, _) = render_corpus("reasoning-cap", RenderFormat::Gemini, &photo).unwrap();
    assert_eq!(b["generationConfig"]["maxOutputTokens"], 500);
    let (b, _) = render_corpus("reasoning-cap", RenderFormat::Bedrock, &photo).unwrap();
    assert_eq!(b["inferenceConfig"]["maxTokens"], 500);
    // Other models get `max_tokens`, whichever name the prompt used.
    let (b, _) = render_corpus("params-common", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(b["max_tokens"], 64);

    use crate::model::params::is_reasoning_model;
    for yes in [
        "o1",
        "o1-mini",
        "o3",
        "o3-pro",
        "o4-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5.1",
        "openai/o3",
    ] {
        assert!(is_reasoning_model(yes), "{yes}");
    }
    for no in [
        "gpt-4o",
        "gpt-4.1-mini",
        "gpt-5-chat-latest",
        "o10",
        "gpt-50",
        "llama-3",
        "omni",
    ] {
        assert!(!is_reasoning_model(no), "{no}");
    }
}

/// No provider's system prompt holds an image: it moves to the first user message, with a
/// warning, in every body (never an `image_url` part in a system message, never dropped).
#[test]
fn an_image_in_a_system_message_moves_to_the_first_user_message() {
    let (_dir, photo) = png();
    for (format, label) in FORMATS {
        let (b, warnings) = render_corpus("system-image", format, &photo).unwrap();
        assert_eq!(
            warnings,
            [format!(
                "{label}: a system message cannot hold an image or audio; moved to the first user \
                 message after it"
            )]
        );
        let text = b.to_string();
        assert!(
            text.contains("iVBORw=="),
            "{label}: the image is gone: {b:#}"
        );
        let user = match format {
            RenderFormat::Openai => {
                assert_eq!(
                    b["messages"][0]["content"],
                    json!([{"type": "text", "text": "You answer questions about this logo:"}])
                );
                b["messages"][1]["content"].clone()
            }
            RenderFormat::OpenaiResponses => b["input"][1]["content"].clone(),
            RenderFormat::Gemini => b["contents"][0]["parts"].clone(),
            _ => b["messages"][0]["content"].clone(),
        };
        assert_eq!(user.as_array().unwrap().len(), 2, "{label}: {b:#}");
        assert!(user[0].to_string().contains("iVBORw=="), "{label}: {user}");
        assert!(
            user[1].to_string().contains("What colour is it?"),
            "{label}: {user}"
        );
    }
}

/// The Responses body: input items, flattened tools, `text.format`, `max_output_tokens`,
/// `reasoning.effort`; the definition rejects what it should.
#[test]
fn openai_responses_body_uses_input_items_and_text_format() {
    let (_dir, photo) = png();
    let v = responses_validator();
    let (b, warnings) =
        render_corpus("response-format", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(b["max_output_tokens"], 50);
    assert_eq!(
        b["text"]["format"],
        json!({"type": "json_schema", "name": "rating", "description": "A rating from 1 to 5.",
               "schema": {"type": "object", "properties": {"stars": {"type": "integer"}}, "required": ["stars"], "additionalProperties": false},
               "strict": true})
    );
    assert_eq!(
        b["input"][0],
        json!({"role": "system", "content": "Reply in JSON."})
    );
    let (b, _) = render_corpus("tools-named", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert_eq!(
        b["tools"][1],
        json!({"type": "function", "name": "ping", "parameters": {"type": "object", "properties": {}}, "strict": false})
    );
    assert_eq!(
        b["tool_choice"],
        json!({"type": "function", "name": "lookup"})
    );
    let (b, _) = render_corpus("parallel-tools", RenderFormat::OpenaiResponses, &photo).unwrap();
    let kinds: Vec<String> = b["input"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["type"]
                .as_str()
                .or(i["role"].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "system",
            "user",
            "function_call",
            "function_call",
            "function_call",
            "function_call_output",
            "function_call_output",
            "function_call_output",
            "user"
        ]
    );
    assert_eq!(b["input"][2]["arguments"], "{\"q\":\"cat\"}");
    let (b, _) = render_corpus("image-file", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert_eq!(
        b["input"][0]["content"][1],
        json!({"type": "input_image", "image_url": "data:image/png;base64,iVBORw==", "detail": "auto"})
    );
    let (b, warnings) =
        render_corpus("reasoning-model", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert_eq!(b["reasoning"], json!({"effort": "low"}));
    assert_eq!(b["max_output_tokens"], 300);
    assert!(b.get("temperature").is_none());
    assert!(
        warnings.iter().any(|w| w.contains("reasoning model")),
        "{warnings:?}"
    );
    let (_, warnings) =
        render_corpus("params-common", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert!(warnings[0].contains("stop"), "{warnings:?}");

    let (b, _) = render_corpus("chat", RenderFormat::OpenaiResponses, &photo).unwrap();
    assert!(v.is_valid(&b));
    for (pointer, value) in [
        ("/input/0/role", json!("narrator")),
        ("/max_output_tokens", json!("many")),
    ] {
        let mut wrong = b.clone();
        *wrong.pointer_mut(pointer).unwrap() = value;
        assert!(!v.is_valid(&wrong), "{pointer}");
    }
    let mut wrong = b.clone();
    wrong["max_tokens"] = json!(5);
    assert_eq!(
        undefined_top_level_keys(&wrong),
        ["`max_tokens` is not a CreateResponse field"]
    );
}

/// `response_mime_type` is a `GenerationConfig` member; `safetySettings` is a top-level field of
/// `generateContent`, which `model.params` reaches by its name (the documented place for
/// provider-only top-level fields); other providers leave it out with a warning.
#[test]
fn gemini_takes_response_mime_type_and_top_level_safety_settings() {
    let (_dir, photo) = png();
    let (b, warnings) = render_corpus("gemini-safety", RenderFormat::Gemini, &photo).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        b["generationConfig"],
        json!({"maxOutputTokens": 100, "responseMimeType": "text/x.enum"})
    );
    assert_eq!(
        b["safetySettings"][1],
        json!({"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold": "BLOCK_MEDIUM_AND_ABOVE"})
    );
    let (_, warnings) = render_corpus("gemini-safety", RenderFormat::Openai, &photo).unwrap();
    assert_eq!(
        warnings,
        ["openai: left out parameters the request does not define: response_mime_type, safetySettings"]
    );
}
