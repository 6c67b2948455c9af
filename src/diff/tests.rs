//! Unit tests of the semantic diff.

use super::*;
use crate::model::load;

fn prompt(yaml: &str) -> Prompt {
    load::parse(yaml).unwrap().prompt
}

const BASE: &str = "format: 1
name: Summarize
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0.2
inputs:
  ticket:
    type: string
  tone:
    type: string
    default: neutral
    enum: [neutral, warm]
messages:
  - role: system
    content: |
      You summarize tickets in a {{tone}} tone.
  - role: user
    content: |
      {{ticket}}
tools:
  - name: lookup_order
    parameters: {type: object, properties: {id: {type: string}}, required: [id]}
samples:
  short: {ticket: Refund please.}
";

fn paths(d: &PromptDiff) -> Vec<String> {
    d.fields.iter().map(|f| f.path.clone()).collect()
}

#[test]
fn identical_prompts_are_unchanged() {
    let p = prompt(BASE);
    let d = diff(Some(&p), Some(&p));
    assert!(d.is_empty());
    assert!(d.breaking().is_empty());
}

#[test]
fn a_param_only_change_is_one_field() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace("temperature: 0.2", "temperature: 0.7\n    top_p: 0.9"));
    let d = diff(Some(&a), Some(&b));
    assert_eq!(d.change, Change::Modified);
    assert_eq!(
        paths(&d),
        ["model.params.temperature", "model.params.top_p"]
    );
    assert_eq!(d.fields[1].old, None);
    assert!(d.messages.is_empty() && d.inputs.is_empty() && d.tools.is_empty());
    assert!(d.breaking.is_empty());
}

#[test]
fn scalar_fields_compare_key_by_key() {
    let a = prompt(BASE);
    let b = prompt(
        &BASE
            .replace(
                "name: Summarize\n",
                "name: Summarise\nlabels: [support]\nmetadata: {owner: x}\n",
            )
            .replace("provider: openai", "provider: anthropic")
            .replace("format: 1\n", "format: 1\nescape: html\n"),
    );
    let d = diff(Some(&a), Some(&b));
    assert_eq!(
        paths(&d),
        [
            "name",
            "labels",
            "metadata.owner",
            "model.provider",
            "escape"
        ]
    );
}

#[test]
fn an_inserted_message_does_not_change_the_later_ones() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace(
        "  - role: user\n",
        "  - role: assistant\n    content: Understood.\n  - role: user\n",
    ));
    let d = diff(Some(&a), Some(&b));
    assert_eq!(d.messages.len(), 1, "{:#?}", d.messages);
    let m = &d.messages[0];
    assert_eq!(
        (m.change, m.old_index, m.new_index),
        (Change::Added, None, Some(1))
    );
    assert_eq!(m.role, "assistant");
}

#[test]
fn an_edited_message_pairs_with_the_one_it_replaces() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace("in a {{tone}} tone", "in a {{tone}} voice"));
    let d = diff(Some(&a), Some(&b));
    assert_eq!(d.messages.len(), 1);
    let m = &d.messages[0];
    assert_eq!(
        (m.change, m.old_index, m.new_index),
        (Change::Modified, Some(0), Some(0))
    );
    let text = m.text.as_ref().unwrap();
    assert_eq!(text.counts(), (1, 1));
}

#[test]
fn a_role_change_is_a_removal_and_an_addition() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace("role: system", "role: developer"));
    let d = diff(Some(&a), Some(&b));
    let changes: Vec<(Change, &str)> = d
        .messages
        .iter()
        .map(|m| (m.change, m.role.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(Change::Removed, "system"), (Change::Added, "developer")]
    );
}

#[test]
fn a_new_required_input_is_breaking_and_an_optional_one_is_not() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace(
        "inputs:\n",
        "inputs:\n  customer: {type: string}\n  note: {type: string, required: false}\n",
    ));
    let d = diff(Some(&a), Some(&b));
    let flags: Vec<(&str, Change, bool)> = d
        .inputs
        .iter()
        .map(|i| (i.name.as_str(), i.change, i.breaking))
        .collect();
    assert_eq!(
        flags,
        [
            ("customer", Change::Added, true),
            ("note", Change::Added, false)
        ]
    );
    assert_eq!(d.breaking.len(), 1);
    assert!(d.breaking[0].contains("`customer` was added as required"));
    assert_eq!(breaking_changes(Some(&a), Some(&b)), d.breaking);
}

#[test]
fn removing_an_input_or_tightening_it_is_breaking() {
    let a = prompt(BASE);
    let removed = prompt(&BASE.replace(
        "  tone:\n    type: string\n    default: neutral\n    enum: [neutral, warm]\n",
        "",
    ));
    let d = diff(Some(&a), Some(&removed));
    assert!(d.breaking.iter().any(|b| b.contains("`tone` was removed")));

    let required = prompt(&BASE.replace("    default: neutral\n", ""));
    let d = diff(Some(&a), Some(&required));
    let tone = &d.inputs[0];
    let changed: Vec<&str> = tone.fields.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(changed, ["required", "default"]);
    assert!(d.breaking.iter().any(|b| b.contains("became required")));

    let retyped =
        prompt(&BASE.replace("  ticket:\n    type: string", "  ticket:\n    type: object"));
    assert!(breaking_changes(Some(&a), Some(&retyped))
        .iter()
        .any(|b| b.contains("changed type from string to object")));

    let narrowed = prompt(&BASE.replace("enum: [neutral, warm]", "enum: [neutral]"));
    assert!(breaking_changes(Some(&a), Some(&narrowed))
        .iter()
        .any(|b| b.contains("no longer accepts [warm]")));

    let widened = prompt(&BASE.replace("enum: [neutral, warm]", "enum: [neutral, warm, dry]"));
    assert!(breaking_changes(Some(&a), Some(&widened)).is_empty());
    let described = prompt(&BASE.replace("    default: neutral\n", "    default: warm\n"));
    assert!(breaking_changes(Some(&a), Some(&described)).is_empty());
}

#[test]
fn tools_are_compared_by_name_down_to_the_changed_path() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace("id: {type: string}", "id: {type: integer}"));
    let d = diff(Some(&a), Some(&b));
    assert_eq!(d.tools.len(), 1);
    assert_eq!(d.tools[0].change, Change::Modified);
    assert_eq!(d.tools[0].fields[0].path, "parameters.properties.id.type");
    let c = prompt(&BASE.replace("lookup_order", "find_order"));
    let renamed = diff(Some(&a), Some(&c));
    let names: Vec<(&str, Change)> = renamed
        .tools
        .iter()
        .map(|t| (t.name.as_str(), t.change))
        .collect();
    assert_eq!(
        names,
        [
            ("lookup_order", Change::Removed),
            ("find_order", Change::Added)
        ]
    );
}

#[test]
fn response_format_tool_choice_examples_and_samples() {
    let a = prompt(BASE);
    let b = prompt(&format!(
        "{}tool_choice: {{name: lookup_order}}\nresponse_format:\n  name: s\n  schema: {{type: object}}\nexamples:\n  - input: {{ticket: a}}\n    output: b\n",
        BASE.replace("samples:\n  short: {ticket: Refund please.}\n", "samples:\n  long: {ticket: Long.}\n")
    ));
    let d = diff(Some(&a), Some(&b));
    assert_eq!(paths(&d), ["tool_choice", "response_format"]);
    let x = d.examples.as_ref().unwrap();
    assert_eq!(
        (x.old_count, x.new_count, x.added.as_slice()),
        (0, 1, &[0][..])
    );
    let s = d.samples.as_ref().unwrap();
    assert_eq!(
        (s.added.as_slice(), s.removed.as_slice()),
        (&["long".to_string()][..], &["short".to_string()][..])
    );

    let c = prompt(&format!(
        "{}response_format:\n  name: s\n  schema: {{type: object, properties: {{x: {{type: string}}}}}}\n",
        BASE
    ));
    let e = prompt(&format!(
        "{}response_format:\n  name: s\n  schema: {{type: object, properties: {{x: {{type: number}}}}}}\n",
        BASE
    ));
    assert_eq!(
        paths(&diff(Some(&c), Some(&e))),
        ["response_format.schema.properties.x.type"]
    );
}

#[test]
fn a_chat_prompt_that_becomes_a_text_prompt_is_breaking() {
    let a = prompt("format: 1\nmessages:\n  - role: user\n    content: hi\n");
    let b = prompt("format: 1\ntemplate: hi\n");
    let d = diff(Some(&a), Some(&b));
    assert_eq!(paths(&d), ["kind"]);
    assert_eq!(d.messages.len(), 1);
    assert!(d.template.is_some());
    assert_eq!(d.breaking.len(), 1);
}

#[test]
fn added_and_removed_prompts() {
    let p = prompt(BASE);
    let added = diff(None, Some(&p));
    assert_eq!(added.change, Change::Added);
    assert!(added.breaking.is_empty(), "a new prompt has no callers yet");
    assert_eq!(paths(&added)[..3], ["name", "model.provider", "model.name"]);
    assert!(added
        .inputs
        .iter()
        .all(|i| i.change == Change::Added && !i.breaking));
    assert_eq!(added.messages.len(), 2);
    let removed = diff(Some(&p), None);
    assert_eq!(removed.change, Change::Removed);
    assert_eq!(removed.breaking.len(), 1);
}

#[test]
fn media_parts_and_history_placeholders_are_compared() {
    let a = prompt(
        "format: 1
inputs:
  past: {type: messages}
  photo: {type: image}
messages:
  - history: past
  - role: user
    content:
      - text: Describe this.
",
    );
    let b = prompt(
        "format: 1
inputs:
  chat: {type: messages}
  photo: {type: image}
messages:
  - history: chat
  - role: user
    content:
      - text: Describe this.
      - image: photo
",
    );
    let d = diff(Some(&a), Some(&b));
    assert_eq!(d.messages.len(), 2);
    assert_eq!(d.messages[0].role, "history");
    assert_eq!(d.messages[0].fields[0].path, "history");
    let text = d.messages[1].text.as_ref().unwrap();
    assert_eq!(text.hunks[0].lines.last().unwrap().text, "[image: photo]");
}

#[test]
fn the_json_shape_is_stable() {
    let a = prompt(BASE);
    let b = prompt(&BASE.replace("temperature: 0.2", "temperature: 0.5"));
    let v = serde_json::to_value(diff(Some(&a), Some(&b))).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "change": "modified",
            "fields": [{"path": "model.params.temperature", "old": 0.2, "new": 0.5}],
            "messages": [],
            "template": null,
            "inputs": [],
            "tools": [],
            "examples": null,
            "samples": null,
            "breaking": []
        })
    );
}
