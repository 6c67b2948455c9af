//! One prompt with tools, a response schema, a history and an image, rendered for every provider
//! and checked against the shape of each provider's published request.

use serde_json::{json, Value};

use crate::model::load;
use crate::render::{output, values, Format, Given, Prepared, Sources};

const PROMPT: &str = "format: 1
model:
  provider: openai
  name: gpt-4o
  params:
    temperature: 0.2
    max_tokens: 300
    stop: END
inputs:
  question:
    type: string
  photo:
    type: image
  past:
    type: messages
    required: false
messages:
  - role: system
    content: You look at photos.
  - history: past
  - role: user
    content:
      - text: '{{question}}'
      - image: photo
tools:
  - name: lookup
    description: Look a thing up.
    parameters: {type: object, properties: {q: {type: string}}, required: [q]}
tool_choice: {name: lookup}
response_format:
  name: answer
  schema: {type: object, properties: {answer: {type: string}}, required: [answer], additionalProperties: false}
  strict: true
";

fn body(format: Format, photo: &str) -> (Value, Vec<String>) {
    let prompt = load::parse(PROMPT).unwrap().prompt;
    let prepared = Prepared::new(&prompt, &crate::template::NoPartials, false).unwrap();
    let layer = [
        ("question".to_string(), Given::Text("What is it?".into())),
        ("photo".to_string(), Given::Text(photo.into())),
        (
            "past".to_string(),
            Given::Json(json!([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}])),
        ),
    ]
    .into_iter()
    .collect();
    let sources = Sources {
        layers: vec![layer],
        ..Sources::default()
    };
    let v = values::collect(&prompt, &sources).unwrap();
    let rendered = prepared.render(v).unwrap();
    output(&prompt, &rendered, format).unwrap()
}

fn png() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.png");
    std::fs::write(&path, b"\x89PNG").unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

#[test]
fn openai_body_validates_against_the_official_schema() {
    let (_dir, photo) = png();
    let (b, warnings) = body(Format::Openai, &photo);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(b["model"], "gpt-4o");
    assert_eq!(b["temperature"], 0.2);
    assert_eq!(
        b["messages"][0],
        json!({"role": "system", "content": "You look at photos."})
    );
    assert_eq!(b["messages"][1]["content"], "hi");
    let user = &b["messages"][3]["content"];
    assert_eq!(user[0], json!({"type": "text", "text": "What is it?"}));
    assert_eq!(
        user[1]["image_url"]["url"],
        "data:image/png;base64,iVBORw=="
    );
    assert_eq!(b["tools"][0]["type"], "function");
    assert_eq!(
        b["tools"][0]["function"]["parameters"]["required"],
        json!(["q"])
    );
    assert_eq!(
        b["tool_choice"],
        json!({"type": "function", "function": {"name": "lookup"}})
    );
    assert_eq!(b["response_format"]["type"], "json_schema");
    assert_eq!(b["response_format"]["json_schema"]["strict"], true);

    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/provider-schemas/openai-chat-completions.schema.json"
    );
    let Ok(text) = std::fs::read_to_string(schema_path) else {
        eprintln!("skipping OpenAI schema validation: {schema_path} not found");
        return;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&b)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does reject a wrong body, so the check above means something.
    let mut wrong = b.clone();
    wrong["messages"][0]["role"] = json!("narrator");
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn anthropic_body_splits_system_and_uses_input_schema() {
    let (_dir, photo) = png();
    let (b, warnings) = body(Format::Anthropic, &photo);
    assert_eq!(b["model"], "gpt-4o");
    assert_eq!(b["max_tokens"], 300);
    assert_eq!(b["system"], "You look at photos.");
    assert_eq!(b["stop_sequences"], json!(["END"]));
    assert_eq!(b["temperature"], 0.2);
    let roles: Vec<&str> = b["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user"]);
    let blocks = &b["messages"][2]["content"];
    assert_eq!(blocks[0], json!({"type": "text", "text": "What is it?"}));
    assert_eq!(
        blocks[1],
        json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw=="}})
    );
    assert_eq!(b["tools"][0]["input_schema"]["type"], "object");
    assert!(b["tools"][0].get("parameters").is_none());
    assert_eq!(b["tool_choice"], json!({"type": "tool", "name": "lookup"}));
    assert!(
        warnings.iter().any(|w| w.contains("response_format")),
        "{warnings:?}"
    );
    assert!(b.get("response_format").is_none());

    let (b, _) = body(Format::Anthropic, "https://x.test/cat.jpg");
    assert_eq!(
        b["messages"][2]["content"][1]["source"],
        json!({"type": "url", "url": "https://x.test/cat.jpg"})
    );
}

#[test]
fn gemini_body_uses_contents_parts_and_generation_config() {
    let (_dir, photo) = png();
    let (b, warnings) = body(Format::Gemini, &photo);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(b.get("model").is_none(), "the model is in the URL");
    assert_eq!(
        b["systemInstruction"],
        json!({"parts": [{"text": "You look at photos."}]})
    );
    let roles: Vec<&str> = b["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "model", "user"]);
    assert_eq!(
        b["contents"][2]["parts"][1],
        json!({"inlineData": {"mimeType": "image/png", "data": "iVBORw=="}})
    );
    assert_eq!(b["tools"][0]["functionDeclarations"][0]["name"], "lookup");
    assert_eq!(
        b["toolConfig"]["functionCallingConfig"],
        json!({"mode": "ANY", "allowedFunctionNames": ["lookup"]})
    );
    let gen = &b["generationConfig"];
    assert_eq!(gen["maxOutputTokens"], 300);
    assert_eq!(gen["stopSequences"], json!(["END"]));
    assert_eq!(gen["responseMimeType"], "application/json");
    assert_eq!(gen["responseJsonSchema"]["required"], json!(["answer"]));
}

#[test]
fn bedrock_body_uses_converse_blocks() {
    let (_dir, photo) = png();
    let (b, warnings) = body(Format::Bedrock, &photo);
    assert_eq!(b["system"], json!([{"text": "You look at photos."}]));
    assert_eq!(
        b["messages"][0],
        json!({"role": "user", "content": [{"text": "hi"}]})
    );
    assert_eq!(
        b["messages"][2]["content"][1],
        json!({"image": {"format": "png", "source": {"bytes": "iVBORw=="}}})
    );
    assert_eq!(
        b["inferenceConfig"],
        json!({"temperature": 0.2, "maxTokens": 300, "stopSequences": ["END"]})
    );
    assert_eq!(
        b["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["type"],
        "object"
    );
    assert_eq!(
        b["toolConfig"]["toolChoice"],
        json!({"tool": {"name": "lookup"}})
    );
    assert!(
        warnings.iter().any(|w| w.contains("response_format")),
        "{warnings:?}"
    );
}
