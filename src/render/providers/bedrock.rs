//! Amazon Bedrock `Converse` (`POST /model/{modelId}/converse`): `messages[].content[]` blocks,
//! `system` blocks, `inferenceConfig`, `toolConfig.tools[].toolSpec.inputSchema.json`. The model id is
//! part of the URL; parameters Converse does not name go to `additionalModelRequestFields`.

use serde_json::{json, Map, Value};

use super::{
    map_params, messages, params, parts, split_system, tool_call_id, tool_calls, tool_declaration,
    unheld_response_fields, Body,
};
use crate::model::{Prompt, Role, ToolChoice, ToolChoiceMode};
use crate::render::{MediaSource, Part, RenderError, Rendered};

/// `InferenceConfiguration` members, by canonical name (see `EQUIVALENTS`). Other parameters
/// go to `additionalModelRequestFields`, the Converse field for model-specific ones, with a
/// warning that names them (the model, not Converse, decides whether it takes them).
const PARAMS: &[(&str, &str)] = &[
    ("max_tokens", "maxTokens"),
    ("temperature", "temperature"),
    ("top_p", "topP"),
    ("stop", "stopSequences"),
];

/// The request body.
pub fn body(prompt: &Prompt, rendered: &Rendered) -> Result<Body, RenderError> {
    let provider_error = |message: String| RenderError::Provider {
        provider: "bedrock".into(),
        message,
    };
    let mut warnings = Vec::new();
    let mut body = Map::new();
    let (system, conversation) = split_system(messages(rendered, "bedrock", &mut warnings));
    let mut list = Vec::new();
    for m in conversation {
        let role = match m.role {
            Role::Assistant => "assistant",
            _ => "user",
        };
        let mut blocks = Vec::new();
        if m.role == Role::Tool {
            let result = json!({"toolResult": {
                "toolUseId": tool_call_id(&m),
                "content": [{"text": m.content.text()}],
            }});
            push_turn(&mut list, "user", vec![result]);
            continue;
        }
        for p in parts(&m.content) {
            blocks.push(match p {
                Part::Text(t) if t.is_empty() => continue,
                Part::Text(t) => json!({"text": t}),
                Part::Image(media) => {
                    let format = match media.format() {
                        "jpg" => "jpeg",
                        f => f,
                    }
                    .to_string();
                    let source = match (&media.source, media.base64()) {
                        (_, Some(data)) => json!({"bytes": data}),
                        (MediaSource::Url(u), None) if u.starts_with("s3://") => {
                            json!({"s3Location": {"uri": u}})
                        }
                        (MediaSource::Url(u), None) => {
                            return Err(provider_error(format!(
                                "images must be local files or s3:// locations, not `{u}`"
                            )))
                        }
                        (MediaSource::Inline { .. }, None) => unreachable!("inline media has data"),
                    };
                    json!({"image": {"format": format, "source": source}})
                }
                Part::Audio(_) => {
                    return Err(provider_error("Converse does not take audio input".into()))
                }
            });
        }
        for call in tool_calls(&m) {
            blocks.push(json!({"toolUse": {
                "toolUseId": call.id, "name": call.name, "input": call.input,
            }}));
        }
        push_turn(&mut list, role, blocks);
    }
    body.insert("messages".into(), Value::Array(list));
    if let Some(s) = system {
        body.insert("system".into(), json!([{"text": s}]));
    }
    let mut inference = Map::new();
    let all = params(prompt);
    let unknown = map_params("bedrock", &all, PARAMS, &mut inference, &mut warnings);
    if !inference.is_empty() {
        body.insert("inferenceConfig".into(), Value::Object(inference));
    }
    if !unknown.is_empty() {
        let extra: Map<String, Value> = unknown
            .iter()
            .map(|k| (k.clone(), all[k].clone()))
            .collect();
        body.insert("additionalModelRequestFields".into(), Value::Object(extra));
        warnings.push(format!(
            "bedrock: parameters Converse's inferenceConfig does not define were sent in \
             additionalModelRequestFields (the model must accept them): {}",
            unknown.join(", ")
        ));
    }
    if !prompt.tools.is_empty() {
        let tools: Vec<Value> = prompt
            .tools
            .iter()
            .map(|t| {
                let mut spec = tool_declaration(t, "inputSchema", true);
                let schema = spec.remove("inputSchema").unwrap_or_default();
                spec.insert("inputSchema".into(), json!({ "json": schema }));
                if let Some(strict) = t.strict {
                    spec.insert("strict".into(), strict.into());
                }
                json!({ "toolSpec": spec })
            })
            .collect();
        let mut config = Map::new();
        config.insert("tools".into(), Value::Array(tools));
        match &prompt.tool_choice {
            Some(ToolChoice::Mode(ToolChoiceMode::Auto)) => {
                config.insert("toolChoice".into(), json!({"auto": {}}));
            }
            Some(ToolChoice::Mode(ToolChoiceMode::Required)) => {
                config.insert("toolChoice".into(), json!({"any": {}}));
            }
            Some(ToolChoice::Named { name }) => {
                config.insert("toolChoice".into(), json!({"tool": {"name": name}}));
            }
            Some(ToolChoice::Mode(ToolChoiceMode::None)) => warnings.push(
                "bedrock: Converse has no tool_choice `none`; the tools were sent without a choice"
                    .into(),
            ),
            None => {}
        }
        body.insert("toolConfig".into(), Value::Object(config));
    }
    if let Some(rf) = &prompt.response_format {
        // Native structured output; Converse takes the schema as JSON text.
        let mut schema = Map::new();
        schema.insert("schema".into(), rf.schema.to_string().into());
        schema.insert("name".into(), rf.name.clone().into());
        if let Some(d) = &rf.description {
            schema.insert("description".into(), d.clone().into());
        }
        body.insert(
            "outputConfig".into(),
            json!({"textFormat": {"type": "json_schema", "structure": {"jsonSchema": schema}}}),
        );
        warnings.extend(unheld_response_fields("bedrock", rf, true));
    }
    Ok((Value::Object(body), warnings))
}

/// Appends a turn, joining it to the previous one when the role is the same: Converse wants
/// user and assistant turns to alternate (a tool result and the next user text are one turn).
fn push_turn(list: &mut Vec<Value>, role: &str, blocks: Vec<Value>) {
    if let Some(last) = list.last_mut().filter(|l| l["role"] == role) {
        if let Some(content) = last["content"].as_array_mut() {
            content.extend(blocks);
            return;
        }
    }
    list.push(json!({"role": role, "content": blocks}));
}
