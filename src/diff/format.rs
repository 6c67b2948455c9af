//! A `Report` as text (for a terminal or a pipe) or markdown (for a pull-request comment), and a
//! prompt file as the normalised listing git shows through a textconv diff driver.
//!
//! Pure: returns strings. How marks look is the caller's `Paint` (the CLI's colours); `Plain`
//! writes a plain unified diff (markdown always uses it, so a `diff` block shows no markers), and
//! `WordMarks` writes changed words as `[-old-]` / `{+new+}`, as `git diff --word-diff` does.

use serde_json::Value;

use super::lines::{LineDiff, LineTag};
use super::report::{Entry, Report};
use super::values::{join, show, show_opt};
use super::{content_text, role_of, Change, InputDiff, MessageDiff, PromptDiff};
use crate::model::Prompt;

/// What a piece of output is, so that a `Paint` can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A prompt's header line.
    Title,
    /// A removed line or old value.
    Removed,
    /// An added line or new value.
    Added,
    /// The changed words inside a removed line.
    RemovedWord,
    /// The changed words inside an added line.
    AddedWord,
    /// `@@ … @@` lines.
    Hunk,
    /// Breaking-change marks.
    Breaking,
    /// Remarks about the diff itself.
    Note,
}

/// Styles marked output.
pub trait Paint {
    /// `text` styled as `mark`.
    fn paint(&self, mark: Mark, text: &str) -> String;
}

/// No colour and no marks: a plain unified diff.
pub struct Plain;

impl Paint for Plain {
    fn paint(&self, _mark: Mark, text: &str) -> String {
        text.to_string()
    }
}

/// No colour: changed words as `[-old-]` and `{+new+}`, everything else as is.
pub struct WordMarks;

impl Paint for WordMarks {
    fn paint(&self, mark: Mark, text: &str) -> String {
        match mark {
            Mark::RemovedWord => format!("[-{text}-]"),
            Mark::AddedWord => format!("{{+{text}+}}"),
            _ => text.to_string(),
        }
    }
}

/// The report for a terminal or a pipe: per prompt a header, breaking changes, then each change
/// as `key: old → new` or a line diff; prompts separated by a blank line.
pub fn to_text(report: &Report, paint: &dyn Paint) -> String {
    let mut out = String::new();
    for (i, entry) in report.prompts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut w = Writer::new(Layout::Terminal, paint, entry);
        w.title(entry);
        for reason in &entry.breaking {
            let text = format!("{} {reason}", paint.paint(Mark::Breaking, "breaking:"));
            w.line(1, &text);
        }
        w.body(entry);
        out.push_str(&w.out);
    }
    out
}

/// The report for a pull-request comment: a summary table of the changed prompts (change,
/// versions, breaking), then a collapsible section per prompt with its diff in a `diff` block.
pub fn to_markdown(report: &Report) -> String {
    if report.prompts.is_empty() {
        return String::new();
    }
    let mut out = String::from("### Prompt changes");
    if let Some(r) = &report.range {
        let dots = if r.merge_base { "..." } else { ".." };
        out.push_str(&format!(" in `{}{dots}{}`", r.old, r.new));
    }
    out.push_str("\n\n| prompt | change | versions | breaking |\n| --- | --- | --- | --- |\n");
    for e in &report.prompts {
        let prompt = match &e.old_id {
            Some(old) => format!("`{old}` → `{}`", e.id),
            None => format!("`{}`", e.id),
        };
        let change = if e.formatting_only {
            "formatting only"
        } else {
            e.change.as_str()
        };
        let breaking = if e.breaking.is_empty() {
            "no"
        } else {
            "**yes**"
        };
        out.push_str(&format!(
            "| {prompt} | {change} | {} | {breaking} |\n",
            versions(e)
        ));
    }
    for e in &report.prompts {
        let mut w = Writer::new(Layout::Patch, &Plain, e);
        w.body(e);
        let summary = match &e.old_id {
            Some(old) => format!("<code>{old}</code> → <code>{}</code>", e.id),
            None => format!("<code>{}</code>", e.id),
        };
        let flag = if e.breaking.is_empty() {
            ""
        } else {
            ", breaking"
        };
        out.push_str(&format!(
            "\n<details><summary>{summary}: {}{flag} ({})</summary>\n\n",
            e.change.as_str(),
            versions(e)
        ));
        if !e.breaking.is_empty() {
            out.push_str("**Breaking changes:**\n\n");
            for reason in &e.breaking {
                out.push_str(&format!("- {reason}\n"));
            }
            out.push('\n');
        }
        if w.out.is_empty() {
            out.push_str("_No content changes._\n");
        } else {
            let fence = "`".repeat(longest_backtick_run(&w.out).max(2) + 1);
            out.push_str(&format!("{fence}diff\n{}{fence}\n", w.out));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// Issue 30 (`review`): one entry's diff as the lines of a `diff` code block, as `to_markdown`
/// writes it inside a prompt's section (empty when the content did not change).
pub fn patch_of(entry: &Entry) -> String {
    let mut w = Writer::new(Layout::Patch, &Plain, entry);
    w.body(entry);
    w.out
}

fn versions(e: &Entry) -> String {
    let label =
        |s: &Option<super::report::Side>| s.as_ref().map_or("—".to_string(), |s| s.label());
    format!("{} → {}", label(&e.old), label(&e.new))
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `key: old → new`, indented under a header.
    Terminal,
    /// Every line starts at column 0 with `-`, `+`, ` ` or `@@`, for a `diff` code block.
    Patch,
}

struct Writer<'a> {
    out: String,
    layout: Layout,
    paint: &'a dyn Paint,
    /// `Added` or `Removed` when the whole prompt is: values are then shown alone, not as
    /// `(none) → value`.
    whole: Option<Change>,
}

impl<'a> Writer<'a> {
    fn new(layout: Layout, paint: &'a dyn Paint, entry: &Entry) -> Writer<'a> {
        Writer {
            out: String::new(),
            layout,
            paint,
            whole: matches!(entry.change, Change::Added | Change::Removed).then_some(entry.change),
        }
    }

    fn line(&mut self, indent: usize, text: &str) {
        if self.layout == Layout::Terminal && !text.is_empty() {
            self.out.push_str(&"  ".repeat(indent));
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn title(&mut self, e: &Entry) {
        let title = match (&e.old_id, e.change) {
            (Some(old), Change::Renamed) => format!("{}: renamed from {old}", e.id),
            (Some(old), change) => format!("{old} → {}: {}", e.id, change.as_str()),
            (None, change) => format!("{}: {}", e.id, change.as_str()),
        };
        let sides = match (&e.old, &e.new) {
            (Some(a), Some(b)) => format!("{} → {}", a.label(), b.label()),
            (Some(s), None) | (None, Some(s)) => s.label(),
            (None, None) => String::new(),
        };
        let text = format!("{} ({sides})", self.paint.paint(Mark::Title, &title));
        self.line(0, &text);
    }

    fn note(&mut self, indent: usize, text: &str) {
        let text = self.paint.paint(Mark::Note, text);
        self.line(indent, &text);
    }

    fn body(&mut self, e: &Entry) {
        if e.formatting_only {
            self.note(1, "only formatting or comments changed");
        }
        if let Some(u) = &e.unparsed {
            self.note(1, &format!("{}; comparing lines instead", u.error));
            self.lines(2, &u.lines, "file");
            return;
        }
        if let Some(r) = &e.rendered {
            if self.layout == Layout::Terminal && !r.is_empty() {
                self.line(1, "rendered text:");
            }
            self.lines(2, r, "rendered text");
            return;
        }
        if let Some(d) = &e.diff {
            self.semantic(d);
        }
    }

    fn semantic(&mut self, d: &PromptDiff) {
        let late =
            |path: &str| path.starts_with("tool_choice") || path.starts_with("response_format");
        for f in d.fields.iter().filter(|f| !late(&f.path)) {
            self.field(1, &f.path, f.old.as_ref(), f.new.as_ref(), false);
        }
        for input in &d.inputs {
            self.input(input);
        }
        for m in &d.messages {
            self.message(m);
        }
        if let Some(t) = &d.template {
            if self.layout == Layout::Terminal {
                self.line(1, "template:");
            }
            self.lines(2, t, "template");
        }
        for tool in &d.tools {
            for f in &tool.fields {
                let path = join(&format!("tools.{}", tool.name), &f.path);
                self.field(1, &path, f.old.as_ref(), f.new.as_ref(), false);
            }
        }
        for f in d.fields.iter().filter(|f| late(&f.path)) {
            self.field(1, &f.path, f.old.as_ref(), f.new.as_ref(), false);
        }
        if let Some(x) = &d.examples {
            let mut parts = Vec::new();
            let list = |what: &str, items: &[usize]| {
                let names: Vec<String> = items.iter().map(|i| format!("examples.{i}")).collect();
                format!("{what} {}", names.join(", "))
            };
            for (what, items) in [
                ("added", &x.added),
                ("changed", &x.changed),
                ("removed", &x.removed),
            ] {
                if !items.is_empty() && self.whole.is_none() {
                    parts.push(list(what, items));
                }
            }
            let counts = match self.whole {
                Some(Change::Added) => x.new_count.to_string(),
                Some(_) => x.old_count.to_string(),
                None => format!("{} → {}", x.old_count, x.new_count),
            };
            let detail = if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join("; "))
            };
            self.line(1, &format!("examples: {counts}{detail}"));
        }
        for (key, s) in [("samples", &d.samples), ("tests", &d.tests)] {
            let Some(s) = s else { continue };
            for (names, what, sign) in [
                (&s.added, "added", "+"),
                (&s.removed, "removed", "-"),
                (&s.changed, "changed", ""),
            ] {
                for name in names {
                    let text = match (self.layout, self.whole, sign) {
                        (Layout::Patch, _, "") | (Layout::Terminal, None, _) => {
                            format!("{key}.{name}: {what}")
                        }
                        (Layout::Patch, ..) => format!("{sign}{key}.{name}"),
                        (Layout::Terminal, Some(_), _) => format!("{key}.{name}"),
                    };
                    let mark = match sign {
                        "+" => Mark::Added,
                        "-" => Mark::Removed,
                        _ => Mark::Note,
                    };
                    let text = self.paint.paint(mark, &text);
                    self.line(1, &text);
                }
            }
        }
    }

    fn breaking_mark(&self) -> String {
        format!(" {}", self.paint.paint(Mark::Breaking, "(breaking)"))
    }

    fn input(&mut self, input: &InputDiff) {
        let path = format!("inputs.{}", input.name);
        let suffix = if input.breaking {
            self.breaking_mark()
        } else {
            String::new()
        };
        match (&input.old, &input.new, self.layout) {
            (None, Some(new), Layout::Terminal) => {
                let value = self.paint.paint(Mark::Added, &new.summary());
                let text = match self.whole {
                    Some(_) => format!("{path}: {value}"),
                    None => format!("{path}: added ({value}){suffix}"),
                };
                self.line(1, &text);
            }
            (Some(old), None, Layout::Terminal) => {
                let value = self.paint.paint(Mark::Removed, &old.summary());
                let text = match self.whole {
                    Some(_) => format!("{path}: {value}"),
                    None => format!("{path}: removed ({value}){suffix}"),
                };
                self.line(1, &text);
            }
            (None, Some(new), Layout::Patch) => {
                self.line(1, &format!("+{path}: {}{suffix}", new.summary()))
            }
            (Some(old), None, Layout::Patch) => {
                self.line(1, &format!("-{path}: {}{suffix}", old.summary()))
            }
            _ => {
                for f in &input.fields {
                    let breaks =
                        input.breaking && matches!(f.path.as_str(), "type" | "required" | "enum");
                    self.field(
                        1,
                        &join(&path, &f.path),
                        f.old.as_ref(),
                        f.new.as_ref(),
                        breaks,
                    );
                }
            }
        }
    }

    fn message(&mut self, m: &MessageDiff) {
        let index = match (m.old_index, m.new_index) {
            (Some(a), Some(b)) if a != b => format!("messages.{a} → messages.{b}"),
            (_, Some(i)) | (Some(i), None) => format!("messages.{i}"),
            (None, None) => "messages".to_string(),
        };
        let label = format!("{index} ({})", m.role);
        let what = match (self.whole, m.change) {
            (None, Change::Added | Change::Removed) => format!(" {}", m.change.as_str()),
            _ => String::new(),
        };
        match self.layout {
            Layout::Terminal => self.line(1, &format!("{label}:{what}")),
            Layout::Patch if !m.fields.is_empty() || m.text.is_none() => {
                let text = self
                    .paint
                    .paint(Mark::Hunk, &format!("@@ {label}{what} @@"));
                self.line(1, &text);
            }
            Layout::Patch => {}
        }
        for f in &m.fields {
            self.field(2, &f.path, f.old.as_ref(), f.new.as_ref(), false);
        }
        if let Some(t) = &m.text {
            self.lines(2, t, &format!("{label}{what}"));
        }
    }

    /// `path: old → new`, or a line diff under `path:` when a side is multi-line text.
    fn field(
        &mut self,
        indent: usize,
        path: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        breaks: bool,
    ) {
        fn text_of(v: Option<&Value>) -> Option<&str> {
            match v {
                None => Some(""),
                Some(Value::String(s)) => Some(s.as_str()),
                Some(_) => None,
            }
        }
        let multiline = [old, new]
            .iter()
            .any(|v| matches!(v, Some(Value::String(s)) if s.trim_end().contains('\n')));
        if let (true, Some(a), Some(b)) = (multiline, text_of(old), text_of(new)) {
            if self.layout == Layout::Terminal {
                self.line(indent, &format!("{path}:"));
            }
            self.lines(indent + 1, &super::diff_lines(a, b), path);
            return;
        }
        let suffix = if breaks {
            self.breaking_mark()
        } else {
            String::new()
        };
        match self.layout {
            Layout::Terminal => {
                let text = match (self.whole, old, new) {
                    (Some(Change::Added), _, Some(v)) => {
                        format!("{path}: {}", self.paint.paint(Mark::Added, &show(v)))
                    }
                    (Some(Change::Removed), Some(v), _) => {
                        format!("{path}: {}", self.paint.paint(Mark::Removed, &show(v)))
                    }
                    _ => format!(
                        "{path}: {} → {}",
                        self.paint.paint(Mark::Removed, &show_opt(old)),
                        self.paint.paint(Mark::Added, &show_opt(new))
                    ),
                };
                self.line(indent, &format!("{text}{suffix}"));
            }
            Layout::Patch => {
                if let Some(v) = old {
                    let tail = if new.is_none() { suffix.as_str() } else { "" };
                    self.line(indent, &format!("-{path}: {}{tail}", show(v)));
                }
                if let Some(v) = new {
                    self.line(indent, &format!("+{path}: {}{suffix}", show(v)));
                }
            }
        }
    }

    /// A line diff: `@@` headers (left out when a whole text is added or removed), then lines
    /// marked `-`, `+` or ` `, with changed words marked inside changed lines.
    fn lines(&mut self, indent: usize, d: &LineDiff, label: &str) {
        let whole = d.hunks.len() == 1
            && d.hunks[0].lines.iter().all(|l| l.tag != LineTag::Context)
            && (d.hunks[0].old_lines == 0 || d.hunks[0].new_lines == 0);
        let patch = self.layout == Layout::Patch;
        if whole && patch {
            let text = self.paint.paint(Mark::Hunk, &format!("@@ {label} @@"));
            self.line(indent, &text);
        }
        for h in &d.hunks {
            if !whole {
                // As unified diffs write them: a count of 1 is left out.
                let span = |start: usize, len: usize| match len {
                    1 => start.to_string(),
                    _ => format!("{start},{len}"),
                };
                let mut header = format!(
                    "@@ -{} +{} @@",
                    span(h.old_start, h.old_lines),
                    span(h.new_start, h.new_lines)
                );
                if patch {
                    header.push(' ');
                    header.push_str(label);
                }
                let text = self.paint.paint(Mark::Hunk, &header);
                self.line(indent, &text);
            }
            for l in &h.lines {
                let (sign, mark, word) = match l.tag {
                    LineTag::Context => {
                        let text = format!(" {}", l.text);
                        self.line(indent, text.trim_end());
                        continue;
                    }
                    LineTag::Removed => ("-", Mark::Removed, Mark::RemovedWord),
                    LineTag::Added => ("+", Mark::Added, Mark::AddedWord),
                };
                let mut text = self.paint.paint(mark, sign);
                if l.segments.is_empty() {
                    text.push_str(&self.paint.paint(mark, &l.text));
                } else {
                    for s in &l.segments {
                        text.push_str(
                            &self
                                .paint
                                .paint(if s.changed { word } else { mark }, &s.text),
                        );
                    }
                }
                self.line(indent, &text);
            }
        }
        if d.newline_only {
            self.note(indent, "(only the newline at the end differs)");
        }
    }
}

/// A file that does not parse, as git's textconv shows it: one line naming the parse error, then
/// the file as it is, so that a diff shows both the mistake and the changed lines.
pub fn unparsed_textconv(error: &str, text: &str) -> String {
    let mut out = format!("!! not a valid prompt file: {error}\n");
    out.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A prompt file as git's textconv shows it: one `path: value` line per setting (tools, response
/// formats, examples and samples down to their leaves), each message's text indented under a
/// `messages.N (role):` line, so that a plain `git diff` shows which setting or which message a
/// changed line belongs to.
pub fn textconv(prompt: &Prompt) -> String {
    let mut out = String::new();
    let Ok(Value::Object(map)) = serde_json::to_value(prompt) else {
        return out;
    };
    for (key, value) in &map {
        match key.as_str() {
            "format" => {}
            "inputs" => {
                for (name, input) in &prompt.inputs {
                    let spec = super::InputSpec::from(input);
                    out.push_str(&format!("inputs.{name}: {}\n", spec.summary()));
                    if let Some(d) = &spec.description {
                        leaf(
                            &format!("inputs.{name}.description"),
                            &Value::String(d.clone()),
                            &mut out,
                        );
                    }
                }
            }
            "messages" => {
                for (i, item) in prompt.messages.iter().flatten().enumerate() {
                    match &item.history {
                        Some(h) => out.push_str(&format!("messages.{i}: history {h}\n")),
                        None => {
                            out.push_str(&format!("messages.{i} ({}):\n", role_of(item)));
                            if let Some(n) = &item.name {
                                out.push_str(&format!("  name: {n}\n"));
                            }
                            indented(&content_text(item), &mut out);
                        }
                    }
                }
            }
            "template" => {
                out.push_str("template:\n");
                indented(prompt.template.as_deref().unwrap_or(""), &mut out);
            }
            "tools" => {
                for tool in &prompt.tools {
                    if let Ok(Value::Object(t)) = serde_json::to_value(tool) {
                        for (k, v) in t.iter().filter(|(k, _)| *k != "name") {
                            leaves(&format!("tools.{}.{k}", tool.name), v, &mut out);
                        }
                        if t.len() == 1 {
                            out.push_str(&format!("tools.{}\n", tool.name));
                        }
                    }
                }
            }
            _ => leaves(key, value, &mut out),
        }
    }
    out
}

/// Each leaf of `value` below `path` on its own line; lists of plain values stay on one line.
fn leaves(path: &str, value: &Value, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(&join(path, k), v, out);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            for (i, v) in items.iter().enumerate() {
                leaves(&join(path, &i.to_string()), v, out);
            }
        }
        _ => leaf(path, value, out),
    }
}

fn leaf(path: &str, value: &Value, out: &mut String) {
    match value {
        Value::String(s) if s.trim_end().contains('\n') => {
            out.push_str(&format!("{path}:\n"));
            indented(s, out);
        }
        _ => out.push_str(&format!("{path}: {}\n", show(value))),
    }
}

fn indented(text: &str, out: &mut String) {
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("  {line}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::report::{Entry, Side, Source};
    use crate::model::load;

    fn source(text: &str, version: usize) -> Source {
        Source {
            side: Side {
                reference: format!("greet@{version}"),
                version: Some(version),
                commit: Some("abcdef0123".into()),
                environment: None,
            },
            file: "prompts/greet.prompt.yaml".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    const OLD: &str = "format: 1
model: {provider: openai, name: gpt-4o, params: {temperature: 0.2}}
inputs:
  name: {type: string}
messages:
  - role: system
    content: |
      You are a terse assistant.
      Answer in English.
  - role: user
    content: 'Hi {{name}}'
";

    fn report(old: &str, new: &str) -> Report {
        Report {
            range: None,
            prompts: Entry::compare(
                "greet",
                None,
                false,
                Some(&source(old, 1)),
                Some(&source(new, 2)),
            )
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn text_shows_fields_as_old_to_new_and_marks_changed_words_when_asked() {
        let new = OLD
            .replace("temperature: 0.2", "temperature: 0.5")
            .replace("a terse", "a friendly");
        let r = report(OLD, &new);
        assert_eq!(
            to_text(&r, &Plain),
            "greet: modified (@1 → @2)
  model.params.temperature: 0.2 → 0.5
  messages.0 (system):
    @@ -1,2 +1,2 @@
    -You are a terse assistant.
    +You are a friendly assistant.
     Answer in English.
"
        );
        let text = to_text(&r, &WordMarks);
        assert_eq!(
            text,
            "greet: modified (@1 → @2)
  model.params.temperature: 0.2 → 0.5
  messages.0 (system):
    @@ -1,2 +1,2 @@
    -You are a [-terse-] assistant.
    +You are a {+friendly+} assistant.
     Answer in English.
"
        );
    }

    #[test]
    fn markdown_has_a_table_and_a_diff_block_per_prompt() {
        let new = OLD
            .replace("inputs:\n", "inputs:\n  customer: {type: string}\n")
            .replace("a terse", "a friendly");
        let md = to_markdown(&report(OLD, &new));
        assert!(
            md.contains("-You are a terse assistant.\n+You are a friendly assistant.\n"),
            "{md}"
        );
        assert!(
            !md.contains("[-") && !md.contains("{+"),
            "no word marks: {md}"
        );
        assert!(
            md.contains("| `greet` | modified | @1 → @2 | **yes** |"),
            "{md}"
        );
        assert!(
            md.contains("```diff\n+inputs.customer: string, required (breaking)\n@@"),
            "{md}"
        );
        assert!(
            md.contains("<details><summary><code>greet</code>: modified, breaking"),
            "{md}"
        );
    }

    const FULL: &str = "format: 1
description: |
  Looks up orders.
  Two lines.
inputs:
  id: {type: string}
  tone: {type: string, default: neutral, enum: [neutral, warm]}
messages:
  - role: system
    content: Find orders.
  - history: past
  - role: user
    content: '{{id}}'
tools:
  - name: lookup_order
    parameters: {type: object, properties: {id: {type: string}}}
tool_choice: auto
response_format:
  name: summary
  schema: {type: object}
examples:
  - input: {id: '1'}
    output: Found.
samples:
  short: {id: '1'}
  gone: {id: '2'}
";

    #[test]
    fn every_section_in_text_and_markdown() {
        let new = FULL
            .replace("Two lines.", "Three lines.")
            .replace("id: {type: string}\n", "id: {type: integer}\n")
            .replace("default: neutral, enum", "enum")
            .replace(
                "properties: {id: {type: string}}",
                "properties: {id: {type: integer}}",
            )
            .replace("tool_choice: auto", "tool_choice: {name: lookup_order}")
            .replace("  gone: {id: '2'}", "  new: {id: '3'}")
            .replace("short: {id: '1'}", "short: {id: '9'}")
            .replace("output: Found.", "output: Found it.");
        let r = report(FULL, &new);
        assert_eq!(
            to_text(&r, &Plain),
            "greet: modified (@1 → @2)
  breaking: input `id` changed type from string to integer: callers' values may no longer convert
  breaking: input `tone` became required: callers that do not pass it will fail
  description:
    @@ -1,2 +1,2 @@
     Looks up orders.
    -Two lines.
    +Three lines.
  inputs.id.type: string → integer (breaking)
  inputs.tone.required: false → true (breaking)
  inputs.tone.default: neutral → (none)
  tools.lookup_order.parameters.properties.id.type: string → integer
  tool_choice: auto → {name: lookup_order}
  examples: 1 → 1 (changed examples.0)
  samples.new: added
  samples.gone: removed
  samples.short: changed
"
        );
        let md = to_markdown(&r);
        assert!(
            md.contains(
                "-tool_choice: auto\n+tool_choice: {name: lookup_order}\n\
                 examples: 1 → 1 (changed examples.0)\n+samples.new\n-samples.gone\n\
                 samples.short: changed\n```"
            ),
            "{md}"
        );
    }

    #[test]
    fn a_whole_added_prompt_shows_values_alone() {
        let r = Report {
            range: None,
            prompts: Entry::compare("greet", None, false, None, Some(&source(FULL, 1)))
                .into_iter()
                .collect(),
        };
        assert_eq!(
            to_text(&r, &Plain),
            "greet: added (@1)
  description:
    +Looks up orders.
    +Two lines.
  inputs.id: string, required
  inputs.tone: string, optional, default neutral, enum [neutral, warm]
  messages.0 (system):
    +Find orders.
  messages.1 (history):
    history: past
  messages.2 (user):
    +{{id}}
  tools.lookup_order: {parameters: {type: object, properties: {id: {type: string}}}}
  tool_choice: auto
  response_format: {name: summary, schema: {type: object}}
  examples: 1
  samples.short
  samples.gone
"
        );
    }

    #[test]
    fn textconv_lists_settings_and_indents_texts() {
        let p = load::parse(OLD).unwrap().prompt;
        assert_eq!(
            textconv(&p),
            "model.provider: openai
model.name: gpt-4o
model.params.temperature: 0.2
inputs.name: string, required
messages.0 (system):
  You are a terse assistant.
  Answer in English.
messages.1 (user):
  Hi {{name}}
"
        );
    }
}
