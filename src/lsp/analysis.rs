//! What is where in a prompt file: its template texts and where each sits in the file, and the
//! names written inside their tags (inputs, partials, parents, blocks).
//!
//! Positions inside a template come back to the file the way `check` maps them
//! (`SpanIndex::in_text`): exact for block scalars (`|`, line by line at the block's
//! indentation) and for text on one line (plain or quoted); the start of the scalar otherwise.
//! The names inside tags are found by a small scanner of each syntax's tag delimiters (the
//! engines give a tag's start, not where each name in it is): it reads default mustache
//! delimiters (`{{ }}`), f-string fields and Jinja2 expressions and statements. Everything here
//! works on text that does not parse too: the editor is mid-edit most of the time.

use crate::error::Location;
use crate::model::load::{self, Loaded};
use crate::template::{Pos, Syntax};

/// One template text of the file and where it is.
#[derive(Debug, Clone)]
pub struct Field {
    pub text: String,
    /// Where the text's first character is in the file.
    pub origin: Location,
    /// A block scalar: each line of the text is a line of the file at the same indentation.
    pub block: bool,
}

impl Field {
    /// The template position of a file position, when it is inside this text.
    pub fn pos_of(&self, at: Location) -> Option<Pos> {
        let lines = self.text.split('\n').count().max(1);
        if self.block {
            let last = self.origin.line + lines - 1;
            if at.line < self.origin.line || at.line > last {
                return None;
            }
            let line = at.line - self.origin.line + 1;
            let col = at.column.checked_sub(self.origin.column)? + 1;
            let length = self.text.split('\n').nth(line - 1)?.chars().count();
            (col <= length + 1).then_some(Pos::new(line, col))
        } else {
            if at.line != self.origin.line {
                return None;
            }
            let col = at.column.checked_sub(self.origin.column)? + 1;
            let first = self.text.split('\n').next()?.chars().count();
            (col <= first + 1).then_some(Pos::new(1, col))
        }
    }

    /// The file position of a template position.
    pub fn location_of(&self, pos: Pos) -> Location {
        if self.block {
            Location {
                line: self.origin.line + pos.line - 1,
                column: self.origin.column + pos.col - 1,
            }
        } else if pos.line == 1 {
            Location {
                line: self.origin.line,
                column: self.origin.column + pos.col - 1,
            }
        } else {
            self.origin
        }
    }

    /// The file position of a byte offset in the text.
    pub fn location_at(&self, offset: usize) -> Location {
        self.location_of(pos_at(&self.text, offset))
    }
}

/// A parsed prompt file, as far as it parses.
pub struct Analysis {
    pub loaded: Option<Loaded>,
    pub fields: Vec<Field>,
    pub syntax: Syntax,
}

impl Analysis {
    pub fn new(text: &str) -> Analysis {
        // A file over the size limit is one `check` error; it is not parsed on every request.
        let parsed = match text.len() > load::MAX_FILE_BYTES {
            true => None,
            false => load::parse(text).ok(),
        };
        let Some(loaded) = parsed else {
            return Analysis {
                loaded: None,
                fields: Vec::new(),
                syntax: syntax_written(text),
            };
        };
        let fields = loaded
            .prompt
            .template_texts()
            .into_iter()
            .map(|f| {
                let origin = loaded.spans.in_text(&f.path, 1, 1);
                let second = loaded.spans.in_text(&f.path, 2, 1);
                Field {
                    block: second.line == origin.line + 1,
                    text: f.text.to_string(),
                    origin,
                }
            })
            .collect();
        Analysis {
            syntax: loaded.prompt.template_format,
            fields,
            loaded: Some(loaded),
        }
    }

    /// The template text at a file position, and the byte offset in it.
    pub fn field_at(&self, at: Location) -> Option<(&Field, usize)> {
        self.fields
            .iter()
            .find_map(|f| f.pos_of(at).map(|p| (f, offset_at(&f.text, p))))
    }

    /// The names of the declared inputs: the loaded prompt's, or those written under `inputs:`
    /// in a file that does not parse.
    pub fn input_names(&self, text: &str) -> Vec<String> {
        match &self.loaded {
            Some(l) => l.prompt.inputs.keys().cloned().collect(),
            None => inputs_written(text),
        }
    }
}

/// `template_format` as written, for a file that does not parse.
fn syntax_written(text: &str) -> Syntax {
    text.lines()
        .find_map(|l| l.strip_prefix("template_format:"))
        .and_then(|v| Syntax::from_name(v.split('#').next().unwrap_or("").trim()))
        .unwrap_or_default()
}

/// The keys one level below a top-level `inputs:` line.
fn inputs_written(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut indent = None;
    for line in text.lines() {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() && !line.starts_with('#') {
            inside = line.trim_end() == "inputs:";
            indent = None;
            continue;
        }
        if !inside || line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let depth = line.len() - line.trim_start().len();
        let level = *indent.get_or_insert(depth);
        if depth == level {
            if let Some((key, _)) = line.trim().split_once(':') {
                out.push(key.trim().to_string());
            }
        }
    }
    out
}

/// The byte offset of a template position in `text` (clamped to its line).
pub fn offset_at(text: &str, pos: Pos) -> usize {
    let mut start = 0;
    for _ in 1..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = text[start..].split('\n').next().unwrap_or("");
    start
        + line
            .char_indices()
            .nth(pos.col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

/// The template position of a byte offset in `text`.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos::new(line, before[start..].chars().count() + 1)
}

/// What a name inside a tag refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A value looked up in the context: an input when declared (the first part of a path).
    Input,
    /// Another prompt included (`{{> id}}`, `{% include 'id' %}`).
    Partial,
    /// A parent (`{{< id}}`, `{% extends 'id' %}`).
    Parent,
    /// A block (`{{$name}}`).
    Block,
}

/// A name written in a tag, with its byte range in the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub kind: RefKind,
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// For a block: the start of the innermost parent tag (`{{<`) it is given inside.
    pub in_parent: Option<String>,
    /// The whole tag the name is the subject of (`{{> id}}`, `{x!r}`), for a cursor on its
    /// delimiters; the name's own range where a tag holds several names (Jinja2).
    pub tag: (usize, usize),
}

/// The names written in the tags of a template.
pub fn refs(syntax: Syntax, text: &str) -> Vec<Ref> {
    match syntax {
        Syntax::Mustache => mustache_refs(text),
        Syntax::FString => fstring_refs(text),
        Syntax::Jinja2 => jinja_refs(text),
        Syntax::None => Vec::new(),
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The leading identifier of `s` at `base`: its range.
fn ident_at(s: &str, base: usize) -> Option<(usize, usize)> {
    let first = s.chars().next()?;
    if !is_ident_start(first) {
        return None;
    }
    let len = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
    Some((base, base + len))
}

fn mustache_refs(text: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    // The sections, parents and blocks open around the current position, innermost last.
    let mut open_tags: Vec<(String, RefKind)> = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let open = at + i;
        let Some(j) = text[open + 2..].find("}}") else {
            break;
        };
        let close = open + 2 + j;
        let body = &text[open + 2..close];
        at = close + 2;
        let lead = body.len() - body.trim_start().len();
        let sigil = body.trim_start().chars().next().unwrap_or(' ');
        let (kind, skip, opens) = match sigil {
            '>' => (RefKind::Partial, 1, false),
            '<' => (RefKind::Parent, 1, true),
            '$' => (RefKind::Block, 1, true),
            '#' | '^' => (RefKind::Input, 1, true),
            '&' | '{' => (RefKind::Input, 1, false),
            // A closing tag names what it closes: an input for a section.
            '/' => (RefKind::Input, 1, false),
            '!' | '=' => continue,
            _ => (RefKind::Input, 0, false),
        };
        let name_from = open + 2 + lead + skip;
        let raw = &text[name_from..close];
        let raw = raw.strip_suffix('}').unwrap_or(raw);
        let name_start = name_from + (raw.len() - raw.trim_start().len());
        let name = raw.trim();
        if sigil == '/' {
            match open_tags.iter().rposition(|(n, _)| n == name) {
                Some(k) => {
                    let (_, closed) = open_tags.remove(k);
                    open_tags.truncate(k);
                    if closed != RefKind::Input {
                        continue;
                    }
                }
                None => continue,
            }
        }
        if opens {
            open_tags.push((name.to_string(), kind));
        }
        let (start, end) = match kind {
            RefKind::Input => match ident_at(name, name_start) {
                Some(range) => range,
                None => continue,
            },
            _ if name.is_empty() || name.starts_with('*') => continue,
            _ => (name_start, name_start + name.len()),
        };
        let in_parent = match kind {
            RefKind::Block => open_tags
                .iter()
                .rev()
                .skip(1)
                .find(|(_, k)| *k == RefKind::Parent)
                .map(|(n, _)| n.clone()),
            _ => None,
        };
        out.push(Ref {
            kind,
            name: text[start..end].to_string(),
            start,
            end,
            in_parent,
            tag: (open, close + 2),
        });
    }
    out
}

fn fstring_refs(text: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let body = &text[i + 1..];
                let next = text[i..].find('}').map_or(bytes.len(), |j| i + j + 1);
                if let Some((s, e)) = ident_at(body, i + 1) {
                    out.push(Ref {
                        kind: RefKind::Input,
                        name: text[s..e].to_string(),
                        start: s,
                        end: e,
                        in_parent: None,
                        tag: (i, next),
                    });
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

/// Words of Jinja2's own that are never context values.
const JINJA_WORDS: &[&str] = &[
    "for",
    "in",
    "if",
    "elif",
    "else",
    "endif",
    "endfor",
    "set",
    "endset",
    "not",
    "and",
    "or",
    "is",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "loop",
    "block",
    "endblock",
    "extends",
    "include",
    "import",
    "from",
    "as",
    "with",
    "without",
    "context",
    "macro",
    "endmacro",
    "call",
    "endcall",
    "filter",
    "endfilter",
    "raw",
    "endraw",
    "recursive",
    "ignore",
    "missing",
    "super",
    "self",
    "varargs",
    "kwargs",
    "caller",
];

fn jinja_refs(text: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find('{') {
        let open = at + i;
        let close_with = match text[open + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                at = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let close = text[body_start..]
            .find(close_with)
            .map_or(text.len(), |j| body_start + j);
        at = (close + 2).min(text.len()).max(open + 1);
        if close_with == "#}" {
            continue;
        }
        let body = &text[body_start..close];
        let statement = body.trim_start_matches(['-', '+', ' ', '\t', '\n']);
        let keyword = statement.split_whitespace().next().unwrap_or("");
        if close_with == "%}" && matches!(keyword, "include" | "extends" | "import" | "from") {
            if let Some((s, e)) = first_string(body, body_start) {
                out.push(Ref {
                    kind: if keyword == "extends" {
                        RefKind::Parent
                    } else {
                        RefKind::Partial
                    },
                    name: text[s..e].to_string(),
                    start: s,
                    end: e,
                    in_parent: None,
                    tag: (s, e),
                });
            }
            continue;
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut last_sign = ' ';
        let mut iter = body.char_indices().peekable();
        while let Some((k, c)) = iter.next() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                prev = c;
                continue;
            }
            if c == '"' || c == '\'' {
                quote = Some(c);
            } else if is_ident_start(c) && !is_ident(prev) && prev != '.' {
                let (s, e) = ident_at(&body[k..], body_start + k).expect("starts an identifier");
                let word = &text[s..e];
                while iter.peek().is_some_and(|(n, _)| body_start + n < e) {
                    iter.next();
                }
                if last_sign != '|' && !JINJA_WORDS.contains(&word) {
                    out.push(Ref {
                        kind: RefKind::Input,
                        name: word.to_string(),
                        start: s,
                        end: e,
                        in_parent: None,
                        tag: (s, e),
                    });
                }
                prev = 'a';
                last_sign = 'a';
                continue;
            }
            if !c.is_whitespace() {
                last_sign = c;
            }
            prev = c;
        }
    }
    out
}

/// The first quoted string's content range in `body` (starting at `base` in the text).
fn first_string(body: &str, base: usize) -> Option<(usize, usize)> {
    let q = body.find(['"', '\''])?;
    let quote = body[q..].chars().next()?;
    let end = body[q + 1..].find(quote)?;
    Some((base + q + 1, base + q + 1 + end))
}

/// The name under `offset` (inside or just after it).
/// The name under `offset`: inside or just after a name, else anywhere in the tag whose
/// subject it is (on `{{>` or the closing `}}`).
pub fn ref_at(refs: &[Ref], offset: usize) -> Option<&Ref> {
    refs.iter()
        .find(|r| r.start <= offset && offset <= r.end)
        .or_else(|| refs.iter().find(|r| r.tag.0 <= offset && offset < r.tag.1))
}

/// What the text before the cursor asks to complete inside a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagContext {
    /// An input name (in `{{ }}`, `{ }`, `{% %}`), with the word typed so far.
    Input(String),
    /// A prompt id (after `{{>`, `{{<`, or in a Jinja2 include, extends or import).
    PromptId(String),
}

/// Whether `before` (the text of the line up to the cursor) ends inside an open tag.
pub fn tag_context(syntax: Syntax, before: &str) -> Option<TagContext> {
    let word_start = before
        .rfind(|c: char| !is_ident(c) && c != '/' && c != '-')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let typed = |from: usize| before[from.max(word_start)..].to_string();
    match syntax {
        Syntax::Mustache => {
            let open = before.rfind("{{")?;
            if before[open..].contains("}}") {
                return None;
            }
            let body = before[open + 2..].trim_start();
            match body.chars().next() {
                Some('>') | Some('<') => Some(TagContext::PromptId(body[1..].trim().to_string())),
                Some('!') | Some('=') | Some('$') => None,
                _ => {
                    let word = typed(open + 2);
                    let word = word
                        .trim_start_matches(['#', '^', '/', '&', '{'])
                        .to_string();
                    (!word.contains('.')).then_some(TagContext::Input(word))
                }
            }
        }
        Syntax::Jinja2 => {
            let open = before
                .rfind("{{")
                .into_iter()
                .chain(before.rfind("{%"))
                .max()?;
            let body = &before[open + 2..];
            if body.contains("}}") || body.contains("%}") {
                return None;
            }
            let statement = body.trim_start_matches(['-', '+', ' ']);
            let keyword = statement.split_whitespace().next().unwrap_or("");
            if before[open..].starts_with("{%")
                && matches!(keyword, "include" | "extends" | "import" | "from")
            {
                let q = body.rfind(['"', '\''])?;
                return Some(TagContext::PromptId(body[q + 1..].to_string()));
            }
            let word = typed(open + 2);
            (!word.contains(['/', '-'])).then_some(TagContext::Input(word))
        }
        Syntax::FString => {
            let bytes = before.as_bytes();
            let open = before.rfind('{')?;
            if open > 0 && bytes[open - 1] == b'{' || before[open..].contains('}') {
                return None;
            }
            let word = typed(open + 1);
            (!word.contains(['/', '-'])).then_some(TagContext::Input(word))
        }
        Syntax::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(refs: &[Ref]) -> Vec<(RefKind, &str)> {
        refs.iter().map(|r| (r.kind, r.name.as_str())).collect()
    }

    #[test]
    fn mustache_names_with_their_ranges() {
        let text = "Hi {{ name }}{{#items}}{{.}}{{/items}}{{> shared/x }}{{<base}}{{$b}}x{{/b}}{{/base}}{{! c}}";
        let refs = refs(Syntax::Mustache, text);
        assert_eq!(
            names(&refs),
            [
                (RefKind::Input, "name"),
                (RefKind::Input, "items"),
                (RefKind::Input, "items"),
                (RefKind::Partial, "shared/x"),
                (RefKind::Parent, "base"),
                (RefKind::Block, "b"),
            ]
        );
        assert_eq!(&text[refs[0].start..refs[0].end], "name");
        assert_eq!(&text[refs[3].start..refs[3].end], "shared/x");
        assert_eq!(refs[5].in_parent.as_deref(), Some("base"));
        assert_eq!(ref_at(&refs, refs[0].end).unwrap().name, "name");
        // On the delimiters of a tag: its subject.
        assert_eq!(ref_at(&refs, refs[3].start - 2).unwrap().name, "shared/x");
        assert_eq!(ref_at(&refs, 3).unwrap().name, "name");
        assert_eq!(ref_at(&refs, 1), None);
    }

    #[test]
    fn jinja_and_fstring_names() {
        let text = "{% for t in tickets %}{{ t.body | upper }}{{ user.name }}{% endfor %}\
                    {% include 'shared/x' %}{% if 'lit' in mode %}{% endif %}";
        let got = refs(Syntax::Jinja2, text);
        assert_eq!(
            names(&got),
            [
                (RefKind::Input, "t"),
                (RefKind::Input, "tickets"),
                (RefKind::Input, "t"),
                (RefKind::Input, "user"),
                (RefKind::Partial, "shared/x"),
                (RefKind::Input, "mode"),
            ]
        );
        let f = refs(Syntax::FString, "{{literal}} {a.b} {c[0]!r:>10}");
        assert_eq!(names(&f), [(RefKind::Input, "a"), (RefKind::Input, "c")]);
    }

    #[test]
    fn fields_map_block_and_plain_scalars_both_ways() {
        let file = "format: 1\ninputs:\n  who:\n    type: string\ntemplate: |\n  Hi\n  {{who}}!\n";
        let a = Analysis::new(file);
        let f = &a.fields[0];
        assert!(f.block);
        assert_eq!(f.origin, Location { line: 6, column: 3 });
        let (field, offset) = a.field_at(Location { line: 7, column: 5 }).unwrap();
        assert_eq!(&field.text[offset..offset + 3], "who");
        assert_eq!(f.location_at(offset), Location { line: 7, column: 5 });
        assert!(a.field_at(Location { line: 2, column: 1 }).is_none());
        let plain = Analysis::new("format: 1\ntemplate: Hi {{x}}\n");
        assert!(!plain.fields[0].block);
        let (_, offset) = plain
            .field_at(Location {
                line: 2,
                column: 16,
            })
            .unwrap();
        assert_eq!(offset, 5);
        assert_eq!(a.input_names(file), ["who"]);
    }

    #[test]
    fn inputs_and_syntax_of_a_file_that_does_not_parse() {
        let text = "format: 1\ntemplate_format: jinja2\ninputs:\n  a:\n    type: string\n  b: {}\n\
                    template: |\n  {{ \nbroken: [\n";
        let a = Analysis::new(text);
        assert!(a.loaded.is_none());
        assert_eq!(a.syntax, Syntax::Jinja2);
        assert_eq!(a.input_names(text), ["a", "b"]);
    }

    #[test]
    fn tag_contexts() {
        use TagContext::*;
        let m = Syntax::Mustache;
        assert_eq!(tag_context(m, "  Hi {{na"), Some(Input("na".into())));
        assert_eq!(tag_context(m, "  {{#"), Some(Input(String::new())));
        assert_eq!(tag_context(m, "{{> sha"), Some(PromptId("sha".into())));
        assert_eq!(tag_context(m, "{{<"), Some(PromptId(String::new())));
        assert_eq!(tag_context(m, "{{x}} y"), None);
        assert_eq!(tag_context(m, "{{! comment"), None);
        let j = Syntax::Jinja2;
        assert_eq!(tag_context(j, "{% if us"), Some(Input("us".into())));
        assert_eq!(tag_context(j, "{{ a | "), Some(Input(String::new())));
        assert_eq!(
            tag_context(j, "{% include 'sh"),
            Some(PromptId("sh".into()))
        );
        let f = Syntax::FString;
        assert_eq!(tag_context(f, "x {na"), Some(Input("na".into())));
        assert_eq!(tag_context(f, "x {{na"), None);
        assert_eq!(tag_context(Syntax::None, "{{"), None);
    }
}
