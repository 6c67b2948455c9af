//! Reading and writing prompt files: bytes in, a checked `Prompt` with positions out; a `Prompt` in,
//! canonical YAML out.
//!
//! Reading runs in three passes. The raw bytes are checked (size cap, UTF-8, NUL bytes) and
//! normalised (BOM, CRLF). An event pass (saphyr-parser) builds the `SpanIndex` — where every key and
//! value sits — and rejects what serde would accept silently or dangerously: duplicate keys, aliases,
//! custom tags, several documents, absurd nesting. Then serde builds the typed `Prompt`, and the
//! shape rules serde cannot express are checked with positions from the index.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::error::Location;
pub use crate::model::load_error::LoadError;
use crate::model::prompt::{Content, Prompt, FORMAT_VERSION};

/// Largest prompt file read, in bytes. Prompts are text for a model; anything larger is a mistake.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest nesting of YAML collections accepted.
const MAX_DEPTH: usize = 64;

/// A prompt read from a file, with the positions of its parts.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub prompt: Prompt,
    pub spans: SpanIndex,
}

/// How a scalar was written, which decides how a position inside its text maps to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `|` or `>` block.
    Block,
    /// Quoted: one character of quote before the text.
    Quoted,
    /// Plain scalars, and collections.
    Plain,
}

#[derive(Debug, Clone, Copy)]
struct NodeSpan {
    at: Location,
    style: Style,
}

/// Where each key and value of a YAML document sits. Paths join keys and sequence indexes with dots:
/// `messages.2.content`, `inputs.ticket.type`; the document itself is the empty path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    keys: HashMap<String, Location>,
    values: HashMap<String, NodeSpan>,
}

impl SpanIndex {
    /// The position of the key of `path`, else of its value, else of the nearest parent that is known.
    pub fn key(&self, path: &str) -> Location {
        let mut p = path;
        loop {
            if let Some(at) = self.keys.get(p) {
                return *at;
            }
            if let Some(span) = self.values.get(p) {
                return span.at;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return Location { line: 1, column: 1 },
            }
        }
    }

    /// The position of the value at `path` (falling back like `key`).
    pub fn value(&self, path: &str) -> Location {
        match self.values.get(path) {
            Some(span) => span.at,
            None => self.key(path),
        }
    }

    /// Maps a 1-based line and column inside the text of the scalar at `path` to the file.
    pub fn in_text(&self, path: &str, line: usize, column: usize) -> Location {
        let Some(span) = self.values.get(path) else {
            return self.key(path);
        };
        match span.style {
            // The scalar's span starts at its first content character.
            Style::Block => Location {
                line: span.at.line + line - 1,
                column: span.at.column + column - 1,
            },
            Style::Quoted if line == 1 => Location {
                line: span.at.line,
                column: span.at.column + column,
            },
            Style::Plain if line == 1 => Location {
                line: span.at.line,
                column: span.at.column + column - 1,
            },
            // Folded or multi-line flow text: lines do not map one to one; the start is honest.
            _ => span.at,
        }
    }
}

/// Checks and normalises raw file bytes: UTF-8, no NUL, within the size cap, BOM and CRLF removed.
pub fn decode(bytes: &[u8]) -> Result<String, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::new(
            Location { line: 1, column: 1 },
            format!(
                "file is {} bytes, over the limit of {} bytes for a prompt",
                bytes.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = location_of_byte(bytes, e.valid_up_to());
            return Err(LoadError::new(
                at,
                "invalid UTF-8 (prompt files are UTF-8 text)",
            ));
        }
    };
    if let Some(i) = text.find('\0') {
        return Err(LoadError::new(
            location_of_byte(bytes, i),
            "NUL byte in file (prompt files are text)",
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

fn location_of_byte(bytes: &[u8], offset: usize) -> Location {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Location { line, column }
}

/// Parses a prompt file's text.
pub fn parse(text: &str) -> Result<Loaded, LoadError> {
    crate::model::nesting::check_nesting(text)?;
    let spans = index(text)?;
    let prompt: Prompt = serde_yaml::from_str(text).map_err(|e| serde_error(&e))?;
    check_shape(&prompt, &spans)?;
    Ok(Loaded { prompt, spans })
}

/// Reads and parses raw bytes (`decode` then `parse`).
pub fn parse_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
    parse(&decode(bytes)?)
}

/// Turns a serde_yaml error into a position and a message without the position repeated.
pub fn serde_error(e: &serde_yaml::Error) -> LoadError {
    let at = e
        .location()
        .map_or(Location { line: 1, column: 1 }, |l| Location {
            line: l.line(),
            column: l.column(),
        });
    let mut message = e.to_string();
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    if let Some(better) = unknown_field_hint(&message) {
        message = better;
    }
    LoadError::new(at, message)
}

/// serde's "unknown field `message`, expected one of `format`, …" with the likely key first:
/// "unknown field `message` (did you mean `messages`?); expected one of …".
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let closest = candidates
        .iter()
        .map(|c| (strsim::levenshtein(field, c), *c))
        .filter(|(d, c)| *d <= 2.max(field.len() / 4) && *d < c.len())
        .min()?
        .1;
    Some(format!(
        "unknown field `{field}` (did you mean `{closest}`?){}",
        expected
            .strip_prefix(',')
            .map(|e| format!(";{e}"))
            .unwrap_or_default()
    ))
}

/// The parser's words for a syntax error, with what usually causes them in a prompt file.
fn syntax_message(info: &str) -> String {
    let hint = if info.contains("expect ':'")
        || info.contains("expected '-'")
        || info.contains("mapping values are not allowed")
        || info.contains("did not find expected key")
        || info.contains("indentation")
    {
        "; check the indentation here and on the line above: keys of one mapping start in the \
         same column, list items (`- role: …`) line up, and a block of text (`content: |`) is \
         indented further than its key"
    } else if info.contains("tab") {
        "; YAML indents with spaces, not tabs"
    } else {
        ""
    };
    format!("YAML syntax: {info}{hint}")
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: HashSet<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The event pass: positions of every node, and the rejections serde would not make.
fn index(text: &str) -> Result<SpanIndex, LoadError> {
    let mut spans = SpanIndex::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            LoadError::new(
                Location {
                    line: m.line(),
                    column: m.col() + 1,
                },
                syntax_message(e.info()),
            )
        })?;
        let at = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let (is_node, tag) =
            match &event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(LoadError::new(
                            at,
                            "a second YAML document (`---`): a prompt file holds exactly one",
                        ));
                    }
                    continue;
                }
                Event::Alias(_) => return Err(LoadError::new(
                    at,
                    "YAML aliases (`*name`) are not allowed in prompt files: write the value out",
                )),
                Event::Scalar(_, _, _, tag)
                | Event::SequenceStart(_, tag)
                | Event::MappingStart(_, tag) => (true, tag.clone()),
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    continue;
                }
                _ => continue,
            };
        debug_assert!(is_node);
        if let Some(tag) = tag {
            // Only the core schema's own types: `!!python/object` is "core" by handle but asks a
            // loader to build something.
            const CORE: [&str; 7] = ["str", "int", "float", "bool", "null", "map", "seq"];
            if !tag.is_yaml_core_schema() || !CORE.contains(&tag.suffix.as_str()) {
                return Err(LoadError::new(
                    at,
                    format!(
                        "the YAML tag `{}{}` is not allowed in prompt files",
                        tag.handle, tag.suffix
                    ),
                ));
            }
        }
        // Is this node a mapping key, or a value at some path?
        let path = match stack.last_mut() {
            Some(Frame::Map { path, key, seen }) if key.is_none() => {
                let Event::Scalar(name, ..) = &event else {
                    return Err(LoadError::new(at, "mapping keys must be plain text"));
                };
                let name = name.to_string();
                if !seen.insert(name.clone()) {
                    return Err(LoadError::new(
                        at,
                        format!("duplicate key `{}`", crate::model::id::printable(&name)),
                    ));
                }
                spans.keys.insert(child(path, &name), at);
                *key = Some(name);
                continue;
            }
            Some(Frame::Map { path, key, .. }) => child(path, &key.take().unwrap_or_default()),
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                child(path, &(*next - 1).to_string())
            }
            None => String::new(),
        };
        let style = match &event {
            Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, ..) => Style::Block,
            Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..) => {
                Style::Quoted
            }
            _ => Style::Plain,
        };
        spans.values.insert(path.clone(), NodeSpan { at, style });
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError::new(
                        at,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        seen: HashSet::new(),
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            _ => {}
        }
    }
    Ok(spans)
}

/// The rules serde cannot express: format version, exactly one body, message and part shapes.
fn check_shape(prompt: &Prompt, spans: &SpanIndex) -> Result<(), LoadError> {
    if prompt.format != FORMAT_VERSION {
        return Err(LoadError::new(
            spans.value("format"),
            format!(
                "format {} is not supported: this version of prompt reads format {}",
                prompt.format, FORMAT_VERSION
            ),
        ));
    }
    match (&prompt.messages, &prompt.template) {
        (Some(_), Some(_)) => {
            return Err(LoadError::new(
                spans.key("template"),
                "a prompt has either `messages` (chat) or `template` (text), not both",
            ))
        }
        (None, None) => {
            return Err(LoadError::new(
                Location { line: 1, column: 1 },
                "a prompt needs `messages` (chat) or `template` (text)",
            ))
        }
        _ => {}
    }
    for (i, item) in prompt.messages.iter().flatten().enumerate() {
        let path = format!("messages.{i}");
        match (&item.history, &item.role, &item.content) {
            (Some(_), None, None) if item.name.is_none() => {}
            (Some(_), ..) => {
                return Err(LoadError::new(
                    spans.value(&path),
                    "a history placeholder has only the key `history`",
                ))
            }
            (None, Some(_), Some(content)) => {
                if let Content::Parts(parts) = content {
                    for (j, part) in parts.iter().enumerate() {
                        let set = [&part.text, &part.image, &part.audio]
                            .iter()
                            .filter(|f| f.is_some())
                            .count();
                        if set != 1 {
                            return Err(LoadError::new(
                                spans.value(&format!("{path}.content.{j}")),
                                "a content part has exactly one of `text`, `image`, `audio`",
                            ));
                        }
                    }
                }
            }
            (None, None, _) => {
                return Err(LoadError::new(
                    spans.value(&path),
                    "a message needs `role` and `content` (or is a `history: INPUT` placeholder)",
                ))
            }
            (None, Some(_), None) => {
                return Err(LoadError::new(
                    spans.value(&path),
                    "a message needs `content`",
                ))
            }
        }
    }
    Ok(())
}

/// Writes a prompt as canonical YAML: keys in SPEC order, multi-line text as `|` blocks, no trailing
/// whitespace, LF line endings, a final newline.
pub fn to_yaml(prompt: &Prompt) -> String {
    let mut p = prompt.clone();
    tidy_texts(&mut p);
    let value = serde_json::to_value(&p).unwrap_or_default();
    crate::model::emit::to_yaml(&value)
}

/// Trailing whitespace on any line would make the writer fall back to a quoted one-line string,
/// which diffs badly; it carries no meaning for a model, so it goes.
fn tidy_texts(p: &mut Prompt) {
    fn tidy(s: &mut String) {
        if s.lines().any(|l| l.ends_with([' ', '\t'])) {
            let trailing_newline = s.ends_with('\n');
            let mut t = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            if trailing_newline {
                t.push('\n');
            }
            *s = t;
        }
    }
    if let Some(t) = &mut p.template {
        tidy(t);
    }
    if let Some(d) = &mut p.description {
        tidy(d);
    }
    for item in p.messages.iter_mut().flatten() {
        match &mut item.content {
            Some(Content::Text(t)) => tidy(t),
            Some(Content::Parts(parts)) => parts
                .iter_mut()
                .filter_map(|x| x.text.as_mut())
                .for_each(tidy),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::prompt::{MessageItem, Model, Role};

    const CHAT: &str = "format: 1
description: Summarize.
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0.2
inputs:
  ticket:
    type: string
messages:
  - role: system
    content: |
      You summarize tickets.
      Be brief about {{ticket}}.
  - history: conversation
  - role: user
    content: \"{{ticket}}\"
";

    #[test]
    fn parses_a_chat_prompt_with_positions() {
        let loaded = parse(CHAT).unwrap();
        let p = &loaded.prompt;
        assert_eq!(p.messages.as_ref().unwrap().len(), 3);
        assert_eq!(p.model.as_ref().unwrap().params["temperature"], 0.2);
        // `{{ticket}}` is on line 2, column 10 of the block that starts on file line 13.
        assert_eq!(
            loaded.spans.in_text("messages.0.content", 2, 10),
            Location {
                line: 15,
                column: 16
            }
        );
        // Inside a quoted scalar, one column for the quote.
        assert_eq!(
            loaded.spans.in_text("messages.2.content", 1, 1),
            Location {
                line: 18,
                column: 15
            }
        );
        assert_eq!(
            loaded.spans.key("inputs.ticket"),
            Location { line: 9, column: 3 }
        );
    }

    #[test]
    fn unknown_keys_have_positions() {
        let err = parse("format: 1\ntemplate: hi\ntemprature: 1\n").unwrap_err();
        assert_eq!(err.at.line, 3);
        assert!(
            err.message.contains("unknown field `temprature`"),
            "{}",
            err.message
        );
        let err = parse("format: 1\nmessages:\n  - role: user\n    contnt: x\n").unwrap_err();
        assert_eq!(err.at.line, 4, "{err:?}");
    }

    #[test]
    fn rejects_what_serde_would_accept() {
        let cases = [
            (
                "format: 1\ntemplate: a\ntemplate: b\n",
                3,
                "duplicate key `template`",
            ),
            (
                "format: 1\ntemplate: a\ninputs:\n  x: {}\n  x: {}\n",
                5,
                "duplicate key `x`",
            ),
            (
                "format: 1\ntemplate: &a hi\ndescription: *a\n",
                3,
                "aliases",
            ),
            ("format: 1\ntemplate: !custom hi\n", 2, "tag"),
            (
                "format: 1\ntemplate: a\n---\nformat: 1\n",
                3,
                "second YAML document",
            ),
            ("format: 2\ntemplate: a\n", 1, "format 2"),
            ("format: 1\n", 1, "needs `messages`"),
            ("format: 1\ntemplate: a\nmessages: []\n", 2, "not both"),
            (
                "format: 1\nmessages:\n  - role: user\n",
                3,
                "needs `content`",
            ),
            (
                "format: 1\nmessages:\n  - history: h\n    role: user\n",
                3,
                "only the key",
            ),
            (
                "format: 1\nmessages:\n  - role: user\n    content:\n      - {text: a, image: b}\n",
                5,
                "exactly one",
            ),
            ("format: 1\ntemplate: [unclosed\n", 3, "YAML syntax"),
        ];
        for (text, line, want) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(want), "{text:?}: {err:?}");
            assert_eq!(err.at.line, line, "{text:?}: {err:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!(
            "format: 1\ntemplate: a\nmetadata: {}{}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(parse(&text).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn decode_checks_bytes() {
        assert_eq!(decode(b"\xef\xbb\xbfformat: 1\r\n").unwrap(), "format: 1\n");
        let err = decode(b"format: 1\ntemplate: \xff\n").unwrap_err();
        assert_eq!(
            err.at,
            Location {
                line: 2,
                column: 11
            }
        );
        assert!(decode(b"a\0b").unwrap_err().message.contains("NUL"));
        assert!(decode(&vec![b'a'; MAX_FILE_BYTES + 1])
            .unwrap_err()
            .message
            .contains("limit"));
    }

    #[test]
    fn writes_canonical_yaml_that_reads_back() {
        let p = Prompt {
            format: 1,
            description: Some("Two\nlines".into()),
            model: Some(Model {
                provider: "openai".into(),
                name: "gpt-4o".into(),
                ..Model::default()
            }),
            messages: Some(vec![
                MessageItem::text(Role::System, "Line one   \nLine two\n"),
                MessageItem::text(Role::User, "{{question}}"),
            ]),
            ..Prompt::default()
        };
        let yaml = to_yaml(&p);
        assert!(
            yaml.contains("    content: |\n      Line one\n      Line two\n"),
            "{yaml}"
        );
        assert!(!yaml.lines().any(|l| l.ends_with(' ')), "{yaml}");
        let back = parse(&yaml).unwrap().prompt;
        assert_eq!(back.description.as_deref(), Some("Two\nlines"));
        assert_eq!(back.template_texts()[0].text, "Line one\nLine two\n");
        let keys: Vec<&str> = yaml.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(keys[0], "format: 1");
        assert!(keys[1].starts_with("description"), "{yaml}");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_bytes(&bytes);
        }

        #[test]
        fn yaml_like_text_never_panics(s in "(format: 1\n)?([a-z_]{1,8}: ?(\\[|\\{|'|\"|\\||>|-|&a|\\*a|!t)?[ a-z{}:#\n-]{0,20}\n){0,8}") {
            let _ = parse(&s);
        }

        #[test]
        fn written_prompts_read_back(template in "\\PC{0,60}", description in "[ -~\n]{0,40}") {
            let p = Prompt {
                format: 1,
                description: Some(description),
                template: Some(template),
                ..Prompt::default()
            };
            let text = to_yaml(&p);
            let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
            // Trailing spaces on lines are tidied away on purpose; everything else survives.
            let tidy = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            prop_assert_eq!(tidy(back.prompt.template.as_deref().unwrap()), tidy(p.template.as_deref().unwrap()));
        }
    }
}
