//! Completion, from the text before the cursor on its line (which works mid-edit, when the file
//! does not parse):
//!
//! - inside an open template tag (`{{ }}` for mustache, `{ }` for f-string, `{{ }}` and
//!   `{% %}` for Jinja2): the declared input names;
//! - after `{{>` or `{{<` (and in a Jinja2 `include`, `extends` or `import`): prompt ids;
//! - at the start of a top-level line: the prompt file's keys not written yet (from the
//!   format's JSON Schema, `model::schema`); inside a mapping (an input, `model`, a message, a
//!   content part, a tool), that mapping's keys, found by walking the schema along the keys
//!   and list items above the cursor;
//! - after `provider:`, `template_format:`, `escape:` and an input's `type:`: their values;
//! - after `ID@` anywhere (a reference written in a comment or a description; the id of a
//!   prompt of the registry, or any id with a folder), and in
//!   `.prompts.yaml`'s `protected_environments`: the registry's environment names. A prompt
//!   file has no field that holds an environment (environments are git tags), so these are the
//!   places one is written.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Position, Range, TextEdit,
};
use serde_json::Value;

use super::analysis::{self, Analysis, TagContext};
use super::navigate::describe_input;

/// What completion knows about the file and its registry.
pub struct Sources<'a> {
    /// The text of the cursor's line up to the cursor.
    pub before: &'a str,
    pub text: &'a str,
    pub analysis: &'a Analysis,
    /// Every prompt id of the registry (with open buffers).
    pub ids: Vec<String>,
    /// The registry's environment names.
    pub environments: Vec<String>,
    /// The file is the registry config (`.prompts.yaml`), not a prompt.
    pub config_file: bool,
    /// The cursor, and the encoding its character counts in.
    pub cursor: Position,
    pub enc: super::text::Encoding,
}

/// The completion items at the cursor.
pub fn complete(s: &Sources) -> Vec<CompletionItem> {
    if let Some(items) = environments(s) {
        return items;
    }
    if s.config_file {
        return Vec::new();
    }
    if let Some(context) = analysis::tag_context(s.analysis.syntax, s.before) {
        return match context {
            TagContext::Input(typed) => inputs(s, &typed),
            TagContext::PromptId(typed) => s
                .ids
                .iter()
                .filter(|id| id.starts_with(typed.as_str()))
                .map(|id| item(id, CompletionItemKind::FILE, None, s.edit(&typed, id)))
                .collect(),
        };
    }
    let trimmed = s.before.trim_start();
    let indent = s.before.len() - trimmed.len();
    if indent == 0 && trimmed.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return top_level_keys(s, trimmed);
    }
    let (item_start, key_typed) = match trimmed.strip_prefix("- ") {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if key_typed
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
    {
        return nested_keys(s, indent, item_start, key_typed);
    }
    if let Some((key, value)) = trimmed.split_once(':') {
        let value = value.trim_start();
        if value.contains(char::is_whitespace) {
            return Vec::new();
        }
        let values: Vec<String> = match (indent, key.trim_start_matches("- ")) {
            (1.., "provider") => providers(),
            (0, "template_format") => ["mustache", "f-string", "jinja2", "none"]
                .map(String::from)
                .to_vec(),
            (0, "escape") => ["none", "html"].map(String::from).to_vec(),
            (1.., "type") => [
                "string", "number", "integer", "boolean", "array", "object", "image", "audio",
                "messages",
            ]
            .map(String::from)
            .to_vec(),
            _ => return Vec::new(),
        };
        return values
            .iter()
            .filter(|v| v.starts_with(value))
            .map(|v| item(v, CompletionItemKind::VALUE, None, s.edit(value, v)))
            .collect();
    }
    Vec::new()
}

impl Sources<'_> {
    /// An edit replacing the word typed so far with `new`.
    fn edit(&self, typed: &str, new: &str) -> Option<CompletionTextEdit> {
        // The typed word ends at the cursor.
        let units = super::text::position_of(typed, typed.len(), self.enc).character;
        let start = Position {
            line: self.cursor.line,
            character: self.cursor.character.saturating_sub(units),
        };
        Some(CompletionTextEdit::Edit(TextEdit {
            range: Range {
                start,
                end: self.cursor,
            },
            new_text: new.to_string(),
        }))
    }
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    doc: Option<String>,
    edit: Option<CompletionTextEdit>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        documentation: doc.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        text_edit: edit,
        ..Default::default()
    }
}

fn inputs(s: &Sources, typed: &str) -> Vec<CompletionItem> {
    let declared = s.analysis.loaded.as_ref().map(|l| &l.prompt.inputs);
    s.analysis
        .input_names(s.text)
        .into_iter()
        .filter(|name| name.starts_with(typed))
        .map(|name| {
            let input = declared.and_then(|d| d.get(&name));
            let mut it = item(
                &name,
                CompletionItemKind::VARIABLE,
                input.map(|i| describe_input(&name, i)),
                s.edit(typed, &name),
            );
            it.detail = input.map(|i| i.kind.as_str().to_string());
            it
        })
        .collect()
}

fn top_level_keys(s: &Sources, typed: &str) -> Vec<CompletionItem> {
    let schema = crate::model::schema::schema();
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return Vec::new();
    };
    let written: Vec<&str> = s
        .text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect();
    properties
        .iter()
        .filter(|(key, _)| key.starts_with(typed) && !written.contains(&key.as_str()))
        .map(|(key, schema)| {
            let mut it = item(
                key,
                CompletionItemKind::PROPERTY,
                first_description(schema),
                s.edit(typed, &format!("{key}: ")),
            );
            it.insert_text = Some(format!("{key}: "));
            it
        })
        .collect()
}

/// The keys of the mapping the cursor's line is in (an input's, `model`'s, a message's, a
/// content part's, a tool's …), from the schema, less those already written beside it.
fn nested_keys(s: &Sources, indent: usize, item_start: bool, typed: &str) -> Vec<CompletionItem> {
    let line = s.cursor.line as usize;
    let above: Vec<&str> = s.text.split('\n').take(line).collect();
    let column = indent + if item_start { 2 } else { 0 };
    let mut chain = parents(&above, column, item_start);
    chain.reverse();
    let schema = crate::model::schema::schema();
    let Some(node) = chain
        .iter()
        .try_fold(&schema, |node, part| schema_child(&schema, node, part))
    else {
        return Vec::new();
    };
    let written = siblings(s.text, line, column);
    property_schemas(&schema, node)
        .into_iter()
        .filter(|(key, _)| key.starts_with(typed) && !written.contains(key))
        .map(|(key, node)| {
            let mut it = item(
                &key,
                CompletionItemKind::PROPERTY,
                first_description(node),
                s.edit(typed, &format!("{key}: ")),
            );
            it.insert_text = Some(format!("{key}: "));
            it
        })
        .collect()
}

/// Indentation, whether the line starts a list item (`- `), and the key's column and text.
fn key_line(line: &str) -> Option<(usize, bool, usize, &str)> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let indent = line.len() - trimmed.len();
    let (item, rest) = match trimmed
        .strip_prefix("- ")
        .or(trimmed.strip_prefix('-').filter(|r| r.is_empty()))
    {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    };
    let key = rest.split_once(':').map_or("", |(k, _)| k.trim());
    let column = indent + (trimmed.len() - rest.len());
    Some((indent, item, column, key))
}

/// The keys (and `-` for a list item) that hold a key at `column`, innermost first, read from
/// the lines above it.
fn parents(above: &[&str], column: usize, item_start: bool) -> Vec<String> {
    let mut chain = Vec::new();
    let mut want = column;
    // A line starting an item (`- key`) at the cursor: the list's owner comes next.
    let mut owner_at = item_start.then_some(column - 2);
    if item_start {
        chain.push("-".to_string());
    }
    for line in above.iter().rev() {
        let Some((indent, item, key_column, key)) = key_line(line) else {
            continue;
        };
        if let Some(dash) = owner_at {
            // The list's owner: a key at the dash's column or left of it.
            if key_column <= dash && !item {
                chain.push(key.to_string());
                want = key_column;
                owner_at = None;
            }
            continue;
        }
        if key_column < want && !item {
            chain.push(key.to_string());
            want = key_column;
        } else if item && indent < want {
            // Inside this list item: the item, then its list's owner.
            chain.push("-".to_string());
            owner_at = Some(indent);
            want = indent;
        }
        if want == 0 {
            break;
        }
    }
    chain
}

/// The keys written at `column` in the same mapping as line `line`.
fn siblings(text: &str, line: usize, column: usize) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    let mut scan = |range: &mut dyn Iterator<Item = usize>| {
        for i in range {
            let Some((indent, item, key_column, key)) = lines.get(i).and_then(|l| key_line(l))
            else {
                continue;
            };
            if key_column < column || (item && indent < column) {
                if item && key_column == column {
                    out.push(key.to_string());
                }
                break;
            }
            if key_column == column {
                out.push(key.to_string());
            }
        }
    };
    scan(&mut (0..line).rev());
    scan(&mut (line + 1..lines.len()));
    out
}

/// `node` with a `$ref` followed (within the schema's `$defs`).
fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/$defs/")
            .and_then(|name| schema.get("$defs")?.get(name))
            .unwrap_or(node),
        None => node,
    }
}

/// The node and its `anyOf`/`oneOf`/`allOf` branches.
fn branches<'a>(schema: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = resolve(schema, node);
    let mut out = vec![node];
    for k in ["anyOf", "oneOf", "allOf"] {
        for b in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            out.push(resolve(schema, b));
        }
    }
    out
}

/// The schema of `part` below `node`: a property, a map's value, or a list's item (`-`).
fn schema_child<'a>(schema: &'a Value, node: &'a Value, part: &str) -> Option<&'a Value> {
    let all = branches(schema, node);
    if part == "-" {
        return all
            .iter()
            .find_map(|b| b.get("items"))
            .map(|n| resolve(schema, n));
    }
    all.iter()
        .find_map(|b| b.get("properties").and_then(|p| p.get(part)))
        .or_else(|| {
            all.iter()
                .find_map(|b| b.get("additionalProperties").filter(|a| a.is_object()))
        })
        .map(|n| resolve(schema, n))
}

/// The properties a node allows, each once, with its schema.
fn property_schemas<'a>(schema: &'a Value, node: &'a Value) -> Vec<(String, &'a Value)> {
    let mut out: Vec<(String, &Value)> = Vec::new();
    for b in branches(schema, node) {
        if let Some(Value::Object(props)) = b.get("properties") {
            for (k, v) in props {
                if !out.iter().any(|(o, _)| o == k) {
                    out.push((k.clone(), v));
                }
            }
        }
    }
    out
}

/// The first `description` in a schema's tree (an optional key wraps its schema).
fn first_description(schema: &Value) -> Option<String> {
    match schema {
        Value::Object(map) => map
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| map.values().find_map(first_description)),
        Value::Array(items) => items.iter().find_map(first_description),
        _ => None,
    }
}

/// The provider names the schema offers (`model.provider`'s examples).
fn providers() -> Vec<String> {
    fn find(v: &Value) -> Option<Vec<String>> {
        match v {
            Value::Object(map) => {
                if let Some(examples) = map
                    .get("provider")
                    .and_then(|p| p.get("examples"))
                    .and_then(Value::as_array)
                {
                    return Some(
                        examples
                            .iter()
                            .filter_map(|e| e.as_str().map(str::to_string))
                            .collect(),
                    );
                }
                map.values().find_map(find)
            }
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    find(&crate::model::schema::schema()).unwrap_or_default()
}

/// Environment names after `ID@`, or as an item of `protected_environments` in the config.
fn environments(s: &Sources) -> Option<Vec<CompletionItem>> {
    let typed = match s.before.rfind('@') {
        Some(at) => {
            let id = s.before[..at]
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || "/_-".contains(c)))
                .next()
                .unwrap_or("");
            let typed = &s.before[at + 1..];
            // A prompt id of the registry, or at least one written with a folder (the file
            // may be new): not an e-mail address's name.
            let valid = (s.ids.iter().any(|known| known == id)
                || (id.contains('/') && crate::model::PromptId::parse(id).is_ok()))
                && typed
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            valid.then_some(typed)?
        }
        None if s.config_file => {
            let item = s.before.trim_start().strip_prefix("- ")?;
            let key = s.text[..s.text.len().min(line_offset(s.text, s.cursor.line))]
                .lines()
                .rev()
                .find(|l| !l.starts_with([' ', '\t', '-']) && !l.trim().is_empty())?;
            if !key.starts_with("protected_environments:") {
                return None;
            }
            item
        }
        None => return None,
    };
    Some(
        s.environments
            .iter()
            .filter(|e| e.starts_with(typed))
            .map(|e| item(e, CompletionItemKind::ENUM_MEMBER, None, s.edit(typed, e)))
            .collect(),
    )
}

fn line_offset(text: &str, line: u32) -> usize {
    super::text::line_start(text, line).unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(before: &str, text: &str, config: bool) -> Vec<String> {
        let analysis = Analysis::new(text);
        let line = text[..text.find(before).unwrap_or(0)].matches('\n').count() as u32;
        let s = Sources {
            before,
            text,
            analysis: &analysis,
            ids: vec!["shared/head".into(), "greet".into()],
            environments: vec!["staging".into(), "production".into()],
            config_file: config,
            cursor: Position::new(line, before.encode_utf16().count() as u32),
            enc: crate::lsp::text::Encoding::Utf16,
        };
        complete(&s).into_iter().map(|i| i.label).collect()
    }

    const FILE: &str = "format: 1\ninputs:\n  name:\n    type: string\n  nick:\n    type: string\n\
                        template: |\n  Hi {{n\n";

    #[test]
    fn each_context() {
        assert_eq!(labels("  Hi {{n", FILE, false), ["name", "nick"]);
        assert_eq!(labels("  Hi {{> sh", FILE, false), ["shared/head"]);
        let keys = labels("mo", FILE, false);
        assert_eq!(keys, ["model"]);
        assert!(!labels("", FILE, false).contains(&"inputs".to_string()));
        assert!(labels("  provider: an", FILE, false).contains(&"anthropic".to_string()));
        assert_eq!(labels("template_format: j", FILE, false), ["jinja2"]);
        assert_eq!(labels("# see greet@pro", FILE, false), ["production"]);
        assert_eq!(labels("# mail me@", FILE, false).len(), 0);
        assert_eq!(labels("# see team/new@sta", FILE, false), ["staging"]);
        // Keys of the mapping the cursor is in.
        let nested = "format: 1\ninputs:\n  name:\n    type: string\n    de\nmodel:\n  pro\n\
                      messages:\n  - role: user\n    con\n  - hi\ntemplate: |\n  Ans\n";
        assert_eq!(labels("    de", nested, false), ["description", "default"]);
        assert_eq!(labels("  pro", nested, false), ["provider"]);
        assert_eq!(labels("    con", nested, false), ["content"]);
        assert_eq!(labels("  - hi", nested, false), ["history"]);
        assert_eq!(labels("  Ans", nested, false), Vec::<String>::new());
        let config = "environments: [staging, production]\nprotected_environments:\n  - st";
        assert_eq!(labels("  - st", config, true), ["staging"]);
    }
}
