//! Hover, go to definition and references: what the name under the cursor is (an input, a
//! partial, a parent, a block) and where it is declared or used.

use lsp_types::{Hover, HoverContents, Location as LspLocation, MarkupContent, MarkupKind, Range};

use crate::error::Location;
use crate::model::{Input, PromptId};
use crate::partials::{PartialLookup, PartialSource};
use crate::template::Syntax;

use super::analysis::{self, Analysis, RefKind};
use super::text::{self, Encoding};
use super::workspace::Overlay;

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An input: a use in a template, its declaration under `inputs`, or a history or media
    /// part naming it.
    Input(String),
    /// Another prompt, included as a partial (`parent: false`) or extended as a parent.
    Prompt { id: String, parent: bool },
    /// A block given inside a parent tag (`{{<parent}}{{$name}}…`).
    Block { name: String, parent: String },
}

/// The file being looked at.
pub struct View<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub enc: Encoding,
}

impl View<'_> {
    fn range(&self, start: Location, end: Location) -> Range {
        range_in(self.text, start, end, self.enc)
    }
}

fn range_in(text: &str, start: Location, end: Location, enc: Encoding) -> Range {
    Range {
        start: text::position_of_location(text, start.line, start.column, enc),
        end: text::position_of_location(text, end.line, end.column, enc),
    }
}

/// The name under a file position, with its start and end in the file.
pub fn subject_at(view: &View, at: Location) -> Option<(Subject, Location, Location)> {
    let analysis = view.analysis;
    if let Some((field, offset)) = analysis.field_at(at) {
        let refs = analysis::refs(analysis.syntax, &field.text);
        if let Some(r) = analysis::ref_at(&refs, offset) {
            let subject = match r.kind {
                RefKind::Input => Subject::Input(r.name.clone()),
                RefKind::Partial | RefKind::Parent => Subject::Prompt {
                    id: r.name.clone(),
                    parent: r.kind == RefKind::Parent,
                },
                RefKind::Block => Subject::Block {
                    name: r.name.clone(),
                    parent: r.in_parent.clone()?,
                },
            };
            return Some((
                subject,
                field.location_at(r.start),
                field.location_at(r.end),
            ));
        }
        return None;
    }
    // A declaration under `inputs`, or a history or media part naming an input.
    let loaded = analysis.loaded.as_ref()?;
    for name in loaded.prompt.inputs.keys() {
        let key = loaded.spans.key(&format!("inputs.{name}"));
        let end = Location {
            line: key.line,
            column: key.column + name.chars().count(),
        };
        if key.line == at.line && key.column <= at.column && at.column <= end.column {
            return Some((Subject::Input(name.clone()), key, end));
        }
    }
    for (path, name, _) in loaded.prompt.structural_inputs() {
        let start = loaded.spans.value(&path);
        let end = Location {
            line: start.line,
            column: start.column + name.chars().count(),
        };
        if start.line == at.line && start.column <= at.column && at.column <= end.column {
            return Some((Subject::Input(name.to_string()), start, end));
        }
    }
    None
}

/// Hover text for the name under the cursor.
pub fn hover(view: &View, at: Location, overlay: &Overlay) -> Option<Hover> {
    let (subject, start, end) = subject_at(view, at)?;
    let value = match &subject {
        Subject::Input(name) => {
            let loaded = view.analysis.loaded.as_ref()?;
            let input = loaded.prompt.inputs.get(name)?;
            describe_input(name, input)
        }
        Subject::Prompt { id, parent } => {
            let what = if *parent { "parent" } else { "partial" };
            let file = PromptId::parse(id)
                .map(|i| overlay.reg.path_of(&i))
                .unwrap_or_default();
            match overlay.lookup(id) {
                PartialLookup::Text(t) => {
                    let fence = fence_for(&t);
                    format!("**{what} `{id}`** ({file}, working tree)\n\n{fence}\n{t}\n{fence}")
                }
                PartialLookup::Missing => format!("**{what} `{id}`**: no such prompt"),
                PartialLookup::NotText => {
                    format!("**{what} `{id}`** ({file}): a chat prompt, which cannot be included")
                }
                PartialLookup::BadName(why) => format!("**{what} `{id}`**: not an id ({why})"),
                PartialLookup::Invalid => {
                    format!("**{what} `{id}`** ({file}): does not load (`prompt check {id}`)")
                }
            }
        }
        Subject::Block { name, parent } => {
            format!("**block `{name}`** of parent `{parent}`")
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(view.range(start, end)),
    })
}

/// A code fence longer than any run of backticks in `text`, so that the text cannot close it.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// An input's declaration, in words: type, whether required, description, default, enum.
pub fn describe_input(name: &str, input: &Input) -> String {
    let required = if input.is_required() {
        "required"
    } else {
        "optional"
    };
    let mut out = format!("**input `{name}`**: `{}`, {required}", input.kind.as_str());
    if let Some(d) = &input.description {
        out.push_str(&format!("\n\n{d}"));
    }
    // The declaration as written, one field a line.
    out.push_str(&format!(
        "\n\n- type: {}\n- required: {}",
        input.kind.as_str(),
        input.is_required()
    ));
    if let Some(default) = &input.default {
        out.push_str(&format!("\n- default: {}", shown(default)));
    }
    if let Some(allowed) = &input.allowed {
        let values: Vec<String> = allowed.iter().map(shown).collect();
        out.push_str(&format!("\n- enum: {}", values.join(", ")));
    }
    out
}

/// A value as a reader writes it: a string without quotes, anything else as JSON.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Where the name under the cursor is declared: an input under `inputs`, a partial's or
/// parent's file (at its `template`), a block in the parent that declares it.
pub fn definition(
    view: &View,
    uri: &lsp_types::Uri,
    at: Location,
    overlay: &Overlay,
) -> Option<LspLocation> {
    let (subject, _, _) = subject_at(view, at)?;
    match subject {
        Subject::Input(name) => {
            let loaded = view.analysis.loaded.as_ref()?;
            loaded.prompt.inputs.get(&name)?;
            let key = loaded.spans.key(&format!("inputs.{name}"));
            let end = Location {
                line: key.line,
                column: key.column + name.chars().count(),
            };
            Some(LspLocation::new(uri.clone(), view.range(key, end)))
        }
        Subject::Prompt { id, .. } => {
            let text = overlay.file_text(&id)?;
            let analysis = Analysis::new(&text);
            let at = match &analysis.loaded {
                Some(l) => l.spans.key("template"),
                None => Location { line: 1, column: 1 },
            };
            Some(LspLocation::new(
                prompt_uri(overlay, &id)?,
                range_in(&text, at, at, view.enc),
            ))
        }
        Subject::Block { name, parent } => {
            // The parent, then the parents it extends, breadth first.
            let mut queue = vec![parent];
            let mut seen: Vec<String> = Vec::new();
            while let Some(id) = queue.pop() {
                if seen.contains(&id) || seen.len() > 64 {
                    continue;
                }
                seen.push(id.clone());
                let Some(text) = overlay.file_text(&id) else {
                    continue;
                };
                let analysis = Analysis::new(&text);
                for field in &analysis.fields {
                    let refs = analysis::refs(Syntax::Mustache, &field.text);
                    if let Some(r) = refs
                        .iter()
                        .find(|r| r.kind == RefKind::Block && r.name == name)
                    {
                        let range = range_in(
                            &text,
                            field.location_at(r.start),
                            field.location_at(r.end),
                            view.enc,
                        );
                        return Some(LspLocation::new(prompt_uri(overlay, &id)?, range));
                    }
                    queue.extend(
                        refs.into_iter()
                            .filter(|r| matches!(r.kind, RefKind::Parent | RefKind::Partial))
                            .map(|r| r.name),
                    );
                }
            }
            None
        }
    }
}

/// The `file:` URI of a prompt's file in the working tree.
pub fn prompt_uri(overlay: &Overlay, id: &str) -> Option<lsp_types::Uri> {
    let id = PromptId::parse(id).ok()?;
    let path = overlay.reg.workdir()?.join(overlay.reg.path_of(&id));
    text::uri_of_path(&path)
}

/// The places that name what is under the cursor: an input's uses in this file (and its
/// declaration when asked), or the prompts that include a partial or parent, at each include.
/// On no name at all in a prompt file, the prompts that include this one.
pub fn references(
    view: &View,
    uri: &lsp_types::Uri,
    at: Location,
    this_id: Option<&str>,
    declaration: bool,
    overlay: &Overlay,
) -> Vec<LspLocation> {
    let subject = subject_at(view, at).map(|(s, _, _)| s);
    match subject {
        Some(Subject::Input(name)) => input_references(view, uri, &name, declaration),
        Some(Subject::Prompt { id, .. }) => includes_of(&id, overlay, view.enc),
        Some(Subject::Block { .. }) => Vec::new(),
        None => match this_id {
            Some(id) => includes_of(id, overlay, view.enc),
            None => Vec::new(),
        },
    }
}

fn input_references(
    view: &View,
    uri: &lsp_types::Uri,
    name: &str,
    declaration: bool,
) -> Vec<LspLocation> {
    let mut out = Vec::new();
    let Some(loaded) = view.analysis.loaded.as_ref() else {
        return out;
    };
    let at = |start: Location, end: Location| LspLocation::new(uri.clone(), view.range(start, end));
    if declaration && loaded.prompt.inputs.contains_key(name) {
        let key = loaded.spans.key(&format!("inputs.{name}"));
        out.push(at(
            key,
            Location {
                line: key.line,
                column: key.column + name.chars().count(),
            },
        ));
    }
    for field in &view.analysis.fields {
        for r in analysis::refs(view.analysis.syntax, &field.text) {
            if r.kind == RefKind::Input && r.name == name {
                out.push(at(field.location_at(r.start), field.location_at(r.end)));
            }
        }
    }
    for (path, used, _) in loaded.prompt.structural_inputs() {
        if used == name {
            let start = loaded.spans.value(&path);
            out.push(at(
                start,
                Location {
                    line: start.line,
                    column: start.column + name.chars().count(),
                },
            ));
        }
    }
    out
}

/// Every include of prompt `id` (as a partial or a parent) in the registry's prompts, open
/// buffers first.
pub fn includes_of(id: &str, overlay: &Overlay, enc: Encoding) -> Vec<LspLocation> {
    let mut out = Vec::new();
    for other in overlay.ids() {
        let Some(text) = overlay.file_text(&other) else {
            continue;
        };
        // Most files never name it: they are not parsed.
        if !text.contains(id) {
            continue;
        }
        let analysis = Analysis::new(&text);
        let Some(uri) = prompt_uri(overlay, &other) else {
            continue;
        };
        for field in &analysis.fields {
            for r in analysis::refs(analysis.syntax, &field.text) {
                if matches!(r.kind, RefKind::Partial | RefKind::Parent) && r.name == id {
                    out.push(LspLocation::new(
                        uri.clone(),
                        range_in(
                            &text,
                            field.location_at(r.start),
                            field.location_at(r.end),
                            enc,
                        ),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{registry, write};
    use std::collections::HashMap;

    const CHILD: &str =
        "format: 1\ninputs:\n  who:\n    type: string\n    description: The reader.\n\
template: |\n  {{<base}}{{$body}}Hi {{who}}{{/body}}{{/base}}\n  {{> shared/tail}}\n";

    fn view<'a>(text: &'a str, analysis: &'a Analysis) -> View<'a> {
        View {
            text,
            analysis,
            enc: Encoding::Utf16,
        }
    }

    fn loc(text: &str, needle: &str) -> Location {
        let offset = text.find(needle).unwrap();
        let line = text[..offset].matches('\n').count() + 1;
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Location {
            line,
            column: text[start..offset].chars().count() + 1,
        }
    }

    #[test]
    fn subjects_under_the_cursor() {
        let a = Analysis::new(CHILD);
        let v = view(CHILD, &a);
        let (s, start, end) = subject_at(&v, loc(CHILD, "who}}")).unwrap();
        assert_eq!(s, Subject::Input("who".into()));
        assert_eq!((start, end.column - start.column), (loc(CHILD, "who}}"), 3));
        assert_eq!(
            subject_at(&v, loc(CHILD, "who:")).unwrap().0,
            Subject::Input("who".into())
        );
        assert_eq!(
            subject_at(&v, loc(CHILD, "base}}")).unwrap().0,
            Subject::Prompt {
                id: "base".into(),
                parent: true
            }
        );
        assert_eq!(
            subject_at(&v, loc(CHILD, "body}}Hi")).unwrap().0,
            Subject::Block {
                name: "body".into(),
                parent: "base".into()
            }
        );
        assert_eq!(
            subject_at(&v, loc(CHILD, "shared/tail")).unwrap().0,
            Subject::Prompt {
                id: "shared/tail".into(),
                parent: false
            }
        );
        assert_eq!(subject_at(&v, loc(CHILD, "Hi ")), None);
        assert_eq!(subject_at(&v, loc(CHILD, "format")), None);
    }

    #[test]
    fn hover_definition_and_references_against_a_registry() {
        let (dir, reg) = registry();
        write(
            dir.path(),
            "base",
            "format: 1\ntemplate: |\n  A\n  {{$body}}x{{/body}}\n",
        );
        write(dir.path(), "shared/tail", "format: 1\ntemplate: Bye ```\n");
        write(dir.path(), "child", CHILD);
        let overlay = Overlay::new(&reg, HashMap::new());
        let a = Analysis::new(CHILD);
        let v = view(CHILD, &a);
        let uri: lsp_types::Uri = "file:///x/prompts/child.prompt.yaml".parse().unwrap();
        let hover = hover(&v, loc(CHILD, "who}}"), &overlay).unwrap();
        let HoverContents::Markup(m) = hover.contents else {
            panic!()
        };
        assert_eq!(
            m.value,
            "**input `who`**: `string`, required\n\nThe reader.\n\n- type: string\n- required: true"
        );
        let hover = super::hover(&v, loc(CHILD, "shared/tail"), &overlay).unwrap();
        let HoverContents::Markup(m) = hover.contents else {
            panic!()
        };
        // The partial's text holds three backticks: the fence is longer.
        assert!(m.value.contains("````\nBye ```\n````"), "{}", m.value);
        let def = definition(&v, &uri, loc(CHILD, "body}}Hi"), &overlay).unwrap();
        assert!(def.uri.as_str().ends_with("/prompts/base.prompt.yaml"));
        assert_eq!(def.range.start, lsp_types::Position::new(3, 5));
        let def = definition(&v, &uri, loc(CHILD, "who}}"), &overlay).unwrap();
        assert_eq!(def.range.start, lsp_types::Position::new(2, 2));
        let refs = references(&v, &uri, loc(CHILD, "who:"), Some("child"), false, &overlay);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].range.start, lsp_types::Position::new(6, 25));
        // Nowhere in particular: who includes this prompt (nobody), and who includes the tail.
        assert!(references(
            &v,
            &uri,
            loc(CHILD, "format"),
            Some("child"),
            true,
            &overlay
        )
        .is_empty());
        let tail = references(&v, &uri, loc(CHILD, "shared/tail"), None, true, &overlay);
        assert_eq!(tail.len(), 1);
        assert!(tail[0].uri.as_str().ends_with("/prompts/child.prompt.yaml"));
    }
}
