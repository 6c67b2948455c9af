//! Semantic diff of two prompts (contract §8): what changed, field by field, and which changes
//! break callers.
//!
//! Pure: `Prompt`s in, a serializable `PromptDiff` out; no git, no files, no printing. `report`
//! turns diffs of whole prompts (with ids and versions, from the CLI) into text, markdown or JSON,
//! and pairs the prompt files of two revisions (adds, removals, renames); `lines` and `values` do
//! the text and structural diffs underneath.
//!
//! Breaking changes are the ones that make a caller that worked before fail now: an input that
//! is new and required, an input removed (strict rendering rejects undeclared values), an input
//! that became required, changed its type or narrowed its allowed values, a chat prompt that
//! became a text prompt or back (the rendered shape changes), and a prompt removed.

pub mod format;
pub mod lines;
pub mod report;
pub mod values;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;
use similar::{Algorithm, DiffOp};

use crate::model::{Content, Input, MessageItem, Prompt};
pub use lines::{diff_lines, LineDiff};
pub use values::FieldChange;

/// What happened to a prompt, a message, an input or a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Modified,
    /// A prompt whose id changed (only in `report`).
    Renamed,
    Unchanged,
}

impl Change {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Modified => "modified",
            Change::Renamed => "renamed",
            Change::Unchanged => "unchanged",
        }
    }
}

/// Everything that differs between two states of a prompt; serialized as the `diff` member of an
/// entry in the JSON shape documented in `diff::report`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptDiff {
    /// `added` (no old side), `removed` (no new side), `modified` or `unchanged`.
    pub change: Change,
    /// Scalar and structural fields, in file order: `name`, `description`, `labels`, `metadata.*`,
    /// `model.provider`, `model.name`, `model.params.*`, `template_format`, `escape`, `kind`,
    /// `tool_choice*`, `response_format*`.
    pub fields: Vec<FieldChange>,
    /// Messages added, removed or changed, aligned by position and role.
    pub messages: Vec<MessageDiff>,
    /// The line diff of a text prompt's template.
    pub template: Option<LineDiff>,
    pub inputs: Vec<InputDiff>,
    /// Tools, matched by name.
    pub tools: Vec<ToolDiff>,
    pub examples: Option<ExamplesDiff>,
    pub samples: Option<SamplesDiff>,
    /// Test cases (`tests:`, contract §14) added, removed or changed, by name; left out of the
    /// JSON when none changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<SamplesDiff>,
    /// Why callers may fail, one sentence each; empty when nothing breaks.
    pub breaking: Vec<String>,
}

/// A message added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageDiff {
    pub change: Change,
    /// Position in the old `messages` list, from 0 (absent for an added message).
    pub old_index: Option<usize>,
    /// Position in the new `messages` list, from 0 (absent for a removed message).
    pub new_index: Option<usize>,
    /// `system`, `developer`, `user`, `assistant`, `tool`, or `history` for a placeholder.
    pub role: String,
    /// Changes to `name` and `history`.
    pub fields: Vec<FieldChange>,
    /// The line diff of the content (parts are shown one per line as text, `[image: x]`, `[audio: x]`).
    pub text: Option<LineDiff>,
}

/// An input added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputDiff {
    pub name: String,
    pub change: Change,
    pub old: Option<InputSpec>,
    pub new: Option<InputSpec>,
    /// For a changed input: `type`, `required`, `default`, `enum`, `description`.
    pub fields: Vec<FieldChange>,
    pub breaking: bool,
}

/// An input's declaration, with `required` made explicit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSpec {
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON Schema of an object or array input's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
}

impl From<&Input> for InputSpec {
    fn from(input: &Input) -> InputSpec {
        InputSpec {
            kind: input.kind.as_str().to_string(),
            required: input.is_required(),
            default: input.default.clone(),
            allowed: input.allowed.clone(),
            description: input.description.clone(),
            schema: input.schema.clone(),
        }
    }
}

impl InputSpec {
    /// `string, required` or `string, optional, default neutral, enum [neutral, warm]`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}, {}",
            self.kind,
            if self.required {
                "required"
            } else {
                "optional"
            }
        );
        if let Some(d) = &self.default {
            s.push_str(&format!(", default {}", values::show(d)));
        }
        if let Some(a) = &self.allowed {
            s.push_str(&format!(
                ", enum {}",
                values::show(&Value::Array(a.clone()))
            ));
        }
        s
    }
}

/// A tool added, removed or changed, matched by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDiff {
    pub name: String,
    pub change: Change,
    /// Paths inside the tool (`description`, `parameters.properties.id.type`, `strict`); for an
    /// added or removed tool, one change with an empty path holding the tool (without its name).
    pub fields: Vec<FieldChange>,
}

/// Few-shot examples, compared as a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamplesDiff {
    pub old_count: usize,
    pub new_count: usize,
    /// Positions (from 0) in the new list.
    pub added: Vec<usize>,
    /// Positions (from 0) in the old list.
    pub removed: Vec<usize>,
    /// Positions (from 0) in the new list of examples that replace one at the same place.
    pub changed: Vec<usize>,
}

/// Samples, compared by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SamplesDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl PromptDiff {
    /// True when both sides mean the same prompt.
    pub fn is_empty(&self) -> bool {
        self.change == Change::Unchanged
    }

    /// Why callers may fail, one sentence each.
    pub fn breaking(&self) -> &[String] {
        &self.breaking
    }
}

/// The semantic diff of two states of a prompt; `None` is a prompt that does not exist on that
/// side (added or removed).
pub fn diff(old: Option<&Prompt>, new: Option<&Prompt>) -> PromptDiff {
    let empty = Prompt::default();
    let change = match (old, new) {
        (None, None) => Change::Unchanged,
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Removed,
        (Some(_), Some(_)) => Change::Modified,
    };
    let (a, b) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let mut d = PromptDiff {
        change,
        fields: fields(a, b, old.is_some() && new.is_some()),
        messages: messages(
            a.messages.as_deref().unwrap_or_default(),
            b.messages.as_deref().unwrap_or_default(),
        ),
        template: match (&a.template, &b.template) {
            (None, None) => None,
            (x, y) => Some(diff_lines(
                x.as_deref().unwrap_or(""),
                y.as_deref().unwrap_or(""),
            ))
            .filter(|d| !d.is_empty()),
        },
        inputs: inputs(&a.inputs, &b.inputs, old.is_some() && new.is_some()),
        tools: tools(a, b),
        examples: examples(a, b),
        samples: samples(a, b),
        tests: tests(a, b),
        breaking: Vec::new(),
    };
    d.breaking = breaking_of(&d, old.is_some(), new.is_some());
    if d.change == Change::Modified && nothing_differs(&d) {
        d.change = Change::Unchanged;
    }
    d
}

/// Why callers of `old` may fail with `new` (`None`: the prompt does not exist there). For
/// `check --against REF`.
pub fn breaking_changes(old: Option<&Prompt>, new: Option<&Prompt>) -> Vec<String> {
    diff(old, new).breaking
}

fn nothing_differs(d: &PromptDiff) -> bool {
    d.fields.is_empty()
        && d.messages.is_empty()
        && d.template.is_none()
        && d.inputs.is_empty()
        && d.tools.is_empty()
        && d.examples.is_none()
        && d.samples.is_none()
        && d.tests.is_none()
}

fn breaking_of(d: &PromptDiff, had_old: bool, has_new: bool) -> Vec<String> {
    if !had_old {
        return Vec::new();
    }
    if !has_new {
        return vec!["the prompt was removed: references to it will fail".into()];
    }
    let mut out = Vec::new();
    if let Some(f) = d.fields.iter().find(|f| f.path == "kind") {
        out.push(format!(
            "the prompt changed from {} to {}: callers get a different rendered shape",
            values::show_opt(f.old.as_ref()),
            values::show_opt(f.new.as_ref())
        ));
    }
    for input in &d.inputs {
        let name = &input.name;
        match (&input.old, &input.new) {
            (None, Some(new)) if new.required => out.push(format!(
                "input `{name}` was added as required: callers that do not pass it will fail"
            )),
            (Some(_), None) => out.push(format!(
                "input `{name}` was removed: callers that pass it will fail"
            )),
            (Some(old), Some(new)) => {
                if new.required && !old.required {
                    out.push(format!(
                        "input `{name}` became required: callers that do not pass it will fail"
                    ));
                }
                if new.kind != old.kind {
                    out.push(format!(
                        "input `{name}` changed type from {} to {}: callers' values may no longer \
                         convert",
                        old.kind, new.kind
                    ));
                }
                if let Some(dropped) = narrowed(old.allowed.as_deref(), new.allowed.as_deref()) {
                    out.push(format!(
                        "input `{name}` no longer accepts {dropped}: callers that pass it will fail"
                    ));
                }
                if old.schema.is_none() && new.schema.is_some() {
                    out.push(format!(
                        "input `{name}` now has a schema: callers whose values do not satisfy it \
                         will fail"
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// The values an enum change stops accepting, shown as a list, if any.
fn narrowed(old: Option<&[Value]>, new: Option<&[Value]>) -> Option<String> {
    let new = new?;
    match old {
        None => Some(format!(
            "values outside {}",
            values::show(&Value::Array(new.to_vec()))
        )),
        Some(old) => {
            let dropped: Vec<Value> = old.iter().filter(|v| !new.contains(v)).cloned().collect();
            (!dropped.is_empty()).then(|| values::show(&Value::Array(dropped)))
        }
    }
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn fields(a: &Prompt, b: &Prompt, both: bool) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let opt = |v: &Option<String>| v.clone().map(Value::String);
    let field = |path: &str, x: Option<Value>, y: Option<Value>, out: &mut Vec<FieldChange>| {
        values::diff_values(path, x.as_ref(), y.as_ref(), out)
    };
    let list = |v: &[String]| (!v.is_empty()).then(|| to_value(&v));
    // Below `path`, key by key, without showing the empty map of a side that has none.
    let keyed = |path: &str,
                 x: Option<&IndexMap<String, Value>>,
                 y: Option<&IndexMap<String, Value>>,
                 out: &mut Vec<FieldChange>| {
        let empty = IndexMap::new();
        let (x, y) = (x.unwrap_or(&empty), y.unwrap_or(&empty));
        for (k, v) in x {
            values::diff_values(&values::join(path, k), Some(v), y.get(k), out);
        }
        for (k, v) in y {
            if !x.contains_key(k) {
                values::diff_values(&values::join(path, k), None, Some(v), out);
            }
        }
    };
    field("name", opt(&a.name), opt(&b.name), &mut out);
    field(
        "description",
        opt(&a.description),
        opt(&b.description),
        &mut out,
    );
    field("labels", list(&a.labels), list(&b.labels), &mut out);
    keyed("metadata", Some(&a.metadata), Some(&b.metadata), &mut out);
    let (ma, mb) = (a.model.as_ref(), b.model.as_ref());
    field(
        "model.provider",
        ma.map(|m| m.provider.clone().into()),
        mb.map(|m| m.provider.clone().into()),
        &mut out,
    );
    field(
        "model.name",
        ma.map(|m| m.name.clone().into()),
        mb.map(|m| m.name.clone().into()),
        &mut out,
    );
    keyed(
        "model.params",
        ma.map(|m| &m.params),
        mb.map(|m| &m.params),
        &mut out,
    );
    // Defaults are shown only when they change, and on an added or removed prompt only when set.
    let non_default = |v: Value, is_default: bool| (both || !is_default).then_some(v);
    field(
        "template_format",
        non_default(
            to_value(&a.template_format),
            a.template_format == Default::default(),
        ),
        non_default(
            to_value(&b.template_format),
            b.template_format == Default::default(),
        ),
        &mut out,
    );
    field(
        "escape",
        non_default(to_value(&a.escape), a.escape == Default::default()),
        non_default(to_value(&b.escape), b.escape == Default::default()),
        &mut out,
    );
    if both && a.kind() != b.kind() {
        field(
            "kind",
            Some(a.kind().as_str().into()),
            Some(b.kind().as_str().into()),
            &mut out,
        );
    }
    field(
        "tool_choice",
        a.tool_choice.as_ref().map(to_value),
        b.tool_choice.as_ref().map(to_value),
        &mut out,
    );
    field(
        "response_format",
        a.response_format.as_ref().map(to_value),
        b.response_format.as_ref().map(to_value),
        &mut out,
    );
    out
}

/// The alignment key of a message: its role, or `history` for a placeholder.
fn role_of(item: &MessageItem) -> String {
    match (&item.history, item.role) {
        (Some(_), _) => "history".into(),
        (None, Some(r)) => r.as_str().into(),
        (None, None) => "user".into(),
    }
}

/// A message's content as lines: the text, or each part on its own (media as `[image: x]`).
fn content_text(item: &MessageItem) -> String {
    match &item.content {
        None => String::new(),
        Some(Content::Text(t)) => t.clone(),
        Some(Content::Parts(parts)) => {
            let mut out = String::new();
            for part in parts {
                let piece = match (&part.text, &part.image, &part.audio) {
                    (Some(t), ..) => t.clone(),
                    (_, Some(i), _) => format!("[image: {i}]"),
                    (.., Some(a)) => format!("[audio: {a}]"),
                    _ => String::new(),
                };
                out.push_str(&piece);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            out
        }
    }
}

/// Aligns two message lists in two passes: identical messages first (so that an inserted message
/// does not shift every later one), then, inside each region that differs, by role, so that an
/// edited message pairs with the one it replaces.
fn messages(old: &[MessageItem], new: &[MessageItem]) -> Vec<MessageDiff> {
    aligned(old, new, false)
        .into_iter()
        .map(|(i, j)| message_diff(i.map(|i| (i, &old[i])), j.map(|j| (j, &new[j]))))
        .collect()
}

/// Issue 30 (`blame`): every message of two lists paired as `messages` aligns them (identical
/// messages first, then by role inside each region that differs): `(old index, new index)`, with
/// `None` on the side a message is missing from. Unchanged messages are included.
pub fn message_pairs(
    old: &[MessageItem],
    new: &[MessageItem],
) -> Vec<(Option<usize>, Option<usize>)> {
    aligned(old, new, true)
}

/// The alignment behind `messages` and `message_pairs`; `unchanged`: whether the identical
/// messages of the first pass are listed too.
fn aligned(
    old: &[MessageItem],
    new: &[MessageItem],
    unchanged: bool,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = Vec::new();
    let exact = |m: &MessageItem| serde_json::to_string(m).unwrap_or_default();
    for op in similar::capture_diff_slices_by_key(Algorithm::Patience, old, new, exact) {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { len, .. } = op {
            if unchanged {
                out.extend((0..len).map(|k| (Some(o.start + k), Some(n.start + k))));
            }
            continue;
        }
        let inner = similar::capture_diff_slices_by_key(
            Algorithm::Patience,
            &old[o.clone()],
            &new[n.clone()],
            role_of,
        );
        for op in inner {
            let (io, inn) = (op.old_range(), op.new_range());
            match op {
                DiffOp::Equal { len, .. } => out.extend(
                    (0..len).map(|k| (Some(o.start + io.start + k), Some(n.start + inn.start + k))),
                ),
                _ => {
                    out.extend(io.map(|i| (Some(o.start + i), None)));
                    out.extend(inn.map(|j| (None, Some(n.start + j))));
                }
            }
        }
    }
    out
}

fn message_diff(
    old: Option<(usize, &MessageItem)>,
    new: Option<(usize, &MessageItem)>,
) -> MessageDiff {
    let change = match (old, new) {
        (None, _) => Change::Added,
        (_, None) => Change::Removed,
        _ => Change::Modified,
    };
    let item = new.or(old).map(|(_, m)| m).expect("one side is present");
    let text_of = |side: Option<(usize, &MessageItem)>| side.map(|(_, m)| content_text(m));
    let (ta, tb) = (text_of(old), text_of(new));
    let mut fields = Vec::new();
    let name = |side: Option<(usize, &MessageItem)>| side.and_then(|(_, m)| m.name.clone());
    let history = |side: Option<(usize, &MessageItem)>| side.and_then(|(_, m)| m.history.clone());
    let both = old.is_some() && new.is_some();
    for (path, x, y) in [
        ("name", name(old), name(new)),
        ("history", history(old), history(new)),
    ] {
        if both || x.is_some() || y.is_some() {
            values::diff_values(
                path,
                x.map(Value::String).as_ref(),
                y.map(Value::String).as_ref(),
                &mut fields,
            );
        }
    }
    let text = diff_lines(ta.as_deref().unwrap_or(""), tb.as_deref().unwrap_or(""));
    MessageDiff {
        change,
        old_index: old.map(|(i, _)| i),
        new_index: new.map(|(i, _)| i),
        role: role_of(item),
        fields,
        text: (!text.is_empty()).then_some(text),
    }
}

fn inputs(
    old: &IndexMap<String, Input>,
    new: &IndexMap<String, Input>,
    both: bool,
) -> Vec<InputDiff> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = old.keys().collect();
    names.extend(new.keys().filter(|k| !old.contains_key(*k)));
    for name in names {
        let (a, b) = (
            old.get(name).map(InputSpec::from),
            new.get(name).map(InputSpec::from),
        );
        if a == b {
            continue;
        }
        let mut fields = Vec::new();
        if let (Some(a), Some(b)) = (&a, &b) {
            values::diff_values("", Some(&to_value(a)), Some(&to_value(b)), &mut fields);
        }
        let change = match (&a, &b) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ => Change::Modified,
        };
        // In a prompt added or removed as a whole, the prompt is the change, not its inputs.
        let breaking = both
            && match (&a, &b) {
                (None, Some(b)) => b.required,
                (Some(_), None) => true,
                (Some(a), Some(b)) => {
                    (b.required && !a.required)
                        || a.kind != b.kind
                        || narrowed(a.allowed.as_deref(), b.allowed.as_deref()).is_some()
                        || (a.schema.is_none() && b.schema.is_some())
                }
                (None, None) => false,
            };
        out.push(InputDiff {
            name: name.clone(),
            change,
            old: a,
            new: b,
            fields,
            breaking,
        });
    }
    out
}

fn tools(a: &Prompt, b: &Prompt) -> Vec<ToolDiff> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = a.tools.iter().map(|t| &t.name).collect();
    names.extend(
        b.tools
            .iter()
            .map(|t| &t.name)
            .filter(|n| !a.tools.iter().any(|t| &t.name == *n)),
    );
    for name in names {
        // The name is the key tools are matched by; the value shows the rest.
        let without_name = |t: &crate::model::Tool| {
            let mut v = to_value(t);
            if let Value::Object(m) = &mut v {
                m.shift_remove("name");
            }
            v
        };
        let x = a.tools.iter().find(|t| &t.name == name).map(without_name);
        let y = b.tools.iter().find(|t| &t.name == name).map(without_name);
        let change = match (&x, &y) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ => Change::Modified,
        };
        let mut fields = Vec::new();
        values::diff_values("", x.as_ref(), y.as_ref(), &mut fields);
        if !fields.is_empty() {
            out.push(ToolDiff {
                name: name.clone(),
                change,
                fields,
            });
        }
    }
    out
}

fn examples(a: &Prompt, b: &Prompt) -> Option<ExamplesDiff> {
    if a.examples == b.examples {
        return None;
    }
    let key = |e: &crate::model::Example| serde_json::to_string(e).unwrap_or_default();
    let mut d = ExamplesDiff {
        old_count: a.examples.len(),
        new_count: b.examples.len(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for op in
        similar::capture_diff_slices_by_key(Algorithm::Patience, &a.examples, &b.examples, key)
    {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { .. } => d.removed.extend(o),
            DiffOp::Insert { .. } => d.added.extend(n),
            DiffOp::Replace { .. } => {
                let paired = o.len().min(n.len());
                d.changed.extend(n.clone().take(paired));
                d.removed.extend(o.skip(paired));
                d.added.extend(n.skip(paired));
            }
        }
    }
    Some(d)
}

fn samples(a: &Prompt, b: &Prompt) -> Option<SamplesDiff> {
    let d = SamplesDiff {
        added: b
            .samples
            .keys()
            .filter(|k| !a.samples.contains_key(*k))
            .cloned()
            .collect(),
        removed: a
            .samples
            .keys()
            .filter(|k| !b.samples.contains_key(*k))
            .cloned()
            .collect(),
        changed: a
            .samples
            .iter()
            .filter(|(k, v)| b.samples.get(*k).is_some_and(|w| w != *v))
            .map(|(k, _)| k.clone())
            .collect(),
    };
    (!d.added.is_empty() || !d.removed.is_empty() || !d.changed.is_empty()).then_some(d)
}

/// Test cases by name: added, removed, changed.
fn tests(a: &Prompt, b: &Prompt) -> Option<SamplesDiff> {
    let find = |p: &'_ Prompt, name: &str| p.tests.iter().find(|t| t.name == name).cloned();
    let d = SamplesDiff {
        added: b
            .tests
            .iter()
            .filter(|t| find(a, &t.name).is_none())
            .map(|t| t.name.clone())
            .collect(),
        removed: a
            .tests
            .iter()
            .filter(|t| find(b, &t.name).is_none())
            .map(|t| t.name.clone())
            .collect(),
        changed: a
            .tests
            .iter()
            .filter(|t| find(b, &t.name).is_some_and(|u| &u != *t))
            .map(|t| t.name.clone())
            .collect(),
    };
    (!d.added.is_empty() || !d.removed.is_empty() || !d.changed.is_empty()).then_some(d)
}

#[cfg(test)]
mod tests;
