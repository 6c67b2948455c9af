//! Reading and writing prompt files: bytes in, a checked `Prompt` with positions out; a `Prompt` in,
//! canonical YAML out.
//!
//! Reading parses the YAML once. The raw bytes are checked (size cap, UTF-8, NUL bytes) and
//! normalised (BOM, CRLF). An event pass (saphyr-parser) records every node with its position
//! (`SpanIndex`) and rejects what serde would accept silently or dangerously: duplicate keys,
//! aliases, custom tags, several documents, absurd nesting. The typed `Prompt` is then built from
//! those same events (`model::events`), typed exactly as serde_yaml_ng types them; only when that
//! is not sure (a type error, a tag, a rare number form) does serde_yaml_ng read the text, so
//! errors keep its words and positions. Last, the shape rules serde cannot express are checked
//! with positions from the index.

use std::collections::HashSet;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::error::Location;
use crate::model::events::{self, Ev};
pub use crate::model::load_error::LoadError;
use crate::model::prompt::{Content, Prompt, FORMAT_VERSION};
pub use crate::model::spans::SpanIndex;
use crate::model::spans::Style;

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
    parse_unhinted(text, true).map_err(|e| quote_hint(text, e))
}

/// The loader, with the `Prompt` built from the event pass (`fast`) or by serde_yaml_ng from
/// the text. Either way serde_yaml_ng has the last word: the event pass only builds what it is
/// sure serde_yaml_ng would build, and otherwise (any type error, a tag, a rare number form)
/// serde_yaml_ng reads the text, so every error and its position are serde_yaml_ng's.
fn parse_unhinted(text: &str, fast: bool) -> Result<Loaded, LoadError> {
    crate::model::nesting::check_nesting(text)?;
    let Read {
        events,
        spans,
        unsure,
    } = read_events(text)?;
    let built = if fast {
        build_from_events(text, events, unsure)
    } else {
        None
    };
    let prompt = match built {
        Some(prompt) => prompt,
        None => serde_yaml::from_str(text).map_err(|e| serde_error(&e))?,
    };
    check_shape(&prompt, &spans)?;
    Ok(Loaded { prompt, spans })
}

/// The `Prompt` from the event pass's events, when they surely give what serde_yaml_ng would.
fn build_from_events(text: &str, events: Vec<Ev<'_>>, unsure: bool) -> Option<Prompt> {
    if unsure || libyaml_reads_differently(text) {
        return None;
    }
    events::from_events(events).ok()
}

/// Whether `text` has something that libyaml (under serde_yaml_ng) and saphyr-parser read
/// differently, found by the differential tests, so that only serde_yaml_ng's reading is today's:
/// a directive line (`%YAML 1.3`, `%FOO`: libyaml refuses what saphyr-parser lets by); a character
/// YAML does not allow (C0 and C1 controls but tab, LF and CR; DEL; U+FFFE, U+FFFF), which libyaml
/// refuses; NEL, LS and PS (U+0085, U+2028, U+2029), line breaks to libyaml (YAML 1.1) but
/// ordinary characters to saphyr-parser (1.2); a byte order mark inside the text (the one at the
/// start is gone by now), which the two skip in different places; a tab anywhere, since libyaml
/// refuses tabs in places saphyr-parser takes them as white space (a line's indentation, after
/// `- `, a tab-only line in a block scalar) and the places are many; a `:` right before `,?[]{}`,
/// which ends a key in a flow collection for saphyr-parser (`{a:}`) and is an error for libyaml.
fn libyaml_reads_differently(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F;
    bytes.first() == Some(&b'%')
        || memchr::memmem::find(bytes, b"\n%").is_some()
        || bytes.iter().fold(false, |found, b| found | control(*b))
        || memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).any(|i| {
            let next = |n: usize| bytes.get(i + n).copied();
            match bytes[i] {
                0xC2 => matches!(next(1), Some(0x80..=0x9F)),
                0xE2 => next(1) == Some(0x80) && matches!(next(2), Some(0xA8 | 0xA9)),
                _ => matches!(
                    (next(1), next(2)),
                    (Some(0xBF), Some(0xBE | 0xBF)) | (Some(0xBB), Some(0xBF))
                ),
            }
        })
        || memchr::memchr(b'\t', bytes).is_some()
        || memchr::memchr_iter(b':', bytes).any(|i| {
            matches!(
                bytes.get(i + 1),
                Some(b',' | b'?' | b'[' | b']' | b'{' | b'}')
            )
        })
}

/// Today's two-parser read (event pass, then serde_yaml_ng from the text): the oracle of the
/// differential tests.
#[cfg(test)]
pub(crate) fn parse_two_pass(text: &str) -> Result<Loaded, LoadError> {
    parse_unhinted(text, false)
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
    LoadError::new(at, plain_type_names(&message))
}

/// serde names Rust types ("expected u32"); a prompt file's reader thinks in YAML values.
fn plain_type_names(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, plain) in [
        ("expected u8", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected usize", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
    ] {
        if let Some(head) = out.strip_suffix(rust) {
            out = format!("{head}{plain}");
        }
    }
    if out.starts_with("format: ") && out.ends_with("expected a whole number") {
        out.push_str(" (the format version: `format: 1`)");
    }
    out
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

/// The two commonest YAML mistakes in a prompt file, said as what to do: a plain value that starts
/// with `{{` or `{%` (YAML reads `{` as the start of a mapping) and a plain value that holds `: `
/// (YAML reads it as a key). When the error's line is `key: value` of either kind, the message
/// says "quote it" and shows the line quoted; other errors are left as they are.
fn quote_hint(text: &str, e: LoadError) -> LoadError {
    let key_error = e.message.starts_with("mapping keys must be plain text");
    let value_error = e.message.contains("mapping values are not allowed");
    if !key_error && !value_error {
        return e;
    }
    let Some(line) = text.lines().nth(e.at.line.saturating_sub(1)) else {
        return e;
    };
    let Some((head, value)) = plain_key_value(line) else {
        return e;
    };
    let template_start = value.starts_with("{{") || value.starts_with("{%");
    if !template_start && !value.contains(": ") {
        return e;
    }
    let quoted = if value.contains('"') || value.contains('\\') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    };
    let why = if template_start {
        "a value that starts with `{` is read by YAML as a mapping"
    } else {
        "`: ` inside a plain value is read by YAML as a new key"
    };
    // The indentation advice does not fit this mistake: say this one instead.
    let words = e
        .message
        .split("; check the indentation")
        .next()
        .unwrap_or_default();
    let message = format!(
        "{words}; {why}: quote it, `{head}{quoted}` (or write the text as a block, `{head}|`, on \
         the lines below)"
    );
    LoadError::new(e.at, message)
}

/// `("  - content: ", "Text: {{x}}")` for a line `  - content: Text: {{x}}` whose value is plain
/// (not quoted, not a block or flow collection written on purpose).
fn plain_key_value(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
    let key_end = body.find(": ")?;
    let key = &body[..key_end];
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let value = body[key_end + 2..].trim();
    if value.is_empty() || value.starts_with(['"', '\'', '|', '>', '[', '&', '*', '!', '#']) {
        return None;
    }
    let head_len = line.len() - body.len() + key_end + 2;
    Some((&line[..head_len], value))
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

/// An open collection, as the event pass tracks it.
enum Open {
    Map {
        /// Where this mapping's keys start in the pass's list of key ranges.
        keys_from: usize,
        /// Whether the next node is a key (else the value of the last key).
        expects_key: bool,
        /// The keys by name, once the mapping has too many to compare one by one.
        seen: Option<HashSet<String>>,
    },
    Seq,
}

/// Up to this many keys, a mapping's keys are compared one by one for duplicates.
const SCAN_KEYS: usize = 16;

/// What the event pass read: the nodes for `events::from_events`, their positions, and whether
/// the typing is left to serde_yaml_ng: a node carries a tag (`!!str`), a key is longer than
/// libyaml's limit for an implicit key (1,024 characters), spans lines or is empty and plain, or a
/// block scalar may run to the end of a file that has no final line break.
struct Read<'a> {
    events: Vec<Ev<'a>>,
    spans: SpanIndex,
    unsure: bool,
}

/// Where an event starts in the file (1-based line and column).
fn position(span: &saphyr_parser::Span) -> Location {
    Location {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// The event pass's refusals of one event, in the order it makes them: a second document, an
/// alias, a tag outside the core schema's own types (`documents` counts the documents seen).
fn refuse(event: &Event<'_>, at: Location, documents: &mut usize) -> Result<(), LoadError> {
    let tag = match event {
        Event::DocumentStart(_) => {
            *documents += 1;
            if *documents > 1 {
                return Err(LoadError::new(
                    at,
                    "a second YAML document (`---`): a prompt file holds exactly one",
                ));
            }
            return Ok(());
        }
        Event::Alias(_) => {
            return Err(LoadError::new(
                at,
                "YAML aliases (`*name`) are not allowed in prompt files: write the value out",
            ))
        }
        Event::Scalar(_, _, _, tag)
        | Event::SequenceStart(_, tag)
        | Event::MappingStart(_, tag) => tag,
        _ => return Ok(()),
    };
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
    Ok(())
}

fn parse_error(e: &saphyr_parser::ScanError) -> LoadError {
    let m = e.marker();
    LoadError::new(
        Location {
            line: m.line(),
            column: m.col() + 1,
        },
        syntax_message(e.info()),
    )
}

/// Whether a plain scalar starts as YAML forbids (`|x`, `,x` and `-` alone in a flow
/// collection): saphyr-parser lets some of these by where libyaml refuses them.
fn starts_like_an_indicator(plain: &str) -> bool {
    let mut chars = plain.chars();
    match chars.next() {
        Some('|' | '>' | '!' | '&' | '*' | '%' | '@' | '`' | '\'' | '"' | '#') => true,
        Some(',' | '[' | ']' | '{' | '}') => true,
        Some('-' | '?' | ':') => matches!(
            chars.next(),
            None | Some(' ' | '\t' | ',' | '[' | ']' | '{' | '}')
        ),
        _ => false,
    }
}

/// The position table of `text`, whatever its shape (for the table's own tests).
#[cfg(test)]
pub(crate) fn spans_of(text: &str) -> Result<SpanIndex, LoadError> {
    read_events(text).map(|read| read.spans)
}

/// The event pass: every node with its position, and the rejections serde would not make.
fn read_events(text: &str) -> Result<Read<'_>, LoadError> {
    // About one node per 12 bytes in typical prompt files.
    let mut read = Read {
        events: Vec::with_capacity(text.len() / 12 + 8),
        spans: SpanIndex::with_capacity(text.len() / 12 + 8),
        unsure: false,
    };
    let spans = &mut read.spans;
    let mut stack: Vec<Open> = Vec::with_capacity(8);
    // The name ranges (in `spans`) of the keys of every open mapping, innermost last.
    let mut keys: Vec<(usize, usize)> = Vec::with_capacity(32);
    let mut documents = 0;
    let mut blocks = false;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| parse_error(&e))?;
        let at = position(&span);
        refuse(&event, at, &mut documents)?;
        match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, tag)
            | Event::MappingStart(_, tag) => read.unsure |= tag.is_some(),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Open::Map { keys_from, .. }) = stack.pop() {
                    keys.truncate(keys_from);
                }
                spans.push_close();
                read.events.push(if matches!(event, Event::SequenceEnd) {
                    Ev::SeqEnd
                } else {
                    Ev::MapEnd
                });
                continue;
            }
            _ => continue,
        }
        // A mapping key?
        if let Some(Open::Map {
            keys_from,
            expects_key: expects_key @ true,
            seen,
        }) = stack.last_mut()
        {
            let Event::Scalar(name, style, ..) = event else {
                return Err(LoadError::new(at, "mapping keys must be plain text"));
            };
            let duplicate = match seen {
                Some(seen) => !seen.insert(name.to_string()),
                None => keys[*keys_from..]
                    .iter()
                    .any(|&(start, end)| spans.name(start, end) == name),
            };
            if duplicate {
                return Err(LoadError::new(
                    at,
                    format!("duplicate key `{}`", crate::model::id::printable(&name)),
                ));
            }
            // An empty plain key (`: x`) libyaml refuses where it is implicit; `? ` makes it
            // explicit, which both accept: the pass does not tell the two apart.
            if span.end.index() - span.start.index() > 1000
                || span.end.line() != span.start.line()
                || (name.is_empty() && style == ScalarStyle::Plain)
                || (style == ScalarStyle::Plain && starts_like_an_indicator(&name))
            {
                read.unsure = true;
            }
            let start = spans.names_len();
            spans.push_key(at, &name);
            keys.push((start, spans.names_len()));
            if seen.is_none() && keys.len() - *keys_from > SCAN_KEYS {
                let names = keys[*keys_from..].iter();
                *seen = Some(names.map(|&(s, e)| spans.name(s, e).to_string()).collect());
            }
            *expects_key = false;
            read.events.push(Ev::Scalar(name, style));
            continue;
        }
        if let Some(Open::Map { expects_key, .. }) = stack.last_mut() {
            *expects_key = true;
        }
        match event {
            Event::Scalar(value, style, ..) => {
                blocks |= matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                read.unsure |= style == ScalarStyle::Plain && starts_like_an_indicator(&value);
                spans.push_scalar(
                    at,
                    match style {
                        ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                        ScalarStyle::Plain => Style::Plain,
                    },
                );
                read.events.push(Ev::Scalar(value, style));
            }
            _ => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError::new(
                        at,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let map = matches!(event, Event::MappingStart(..));
                spans.push_open(at, map);
                stack.push(if map {
                    read.events.push(Ev::MapStart);
                    Open::Map {
                        keys_from: keys.len(),
                        expects_key: true,
                        seen: None,
                    }
                } else {
                    read.events.push(Ev::SeqStart);
                    Open::Seq
                });
            }
        }
    }
    // A block scalar that runs to the end of a file without a final line break: libyaml ends
    // its text without one, saphyr-parser with one.
    if blocks && !text.ends_with(['\n', '\r']) {
        read.unsure = true;
    }
    Ok(read)
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
    check_tests_shape(prompt, spans)
}

/// The shape of `tests` (contract §14): each check has exactly one key, the answer-only checks
/// stay under `output`, and `json_schema` is `true` or a schema object.
fn check_tests_shape(prompt: &Prompt, spans: &SpanIndex) -> Result<(), LoadError> {
    const KEYS: &str =
        "`contains`, `not_contains`, `equals`, `regex`, `starts_with`, `json_schema`, `tool_call`";
    for (i, test) in prompt.tests.iter().enumerate() {
        for (list, checks) in [("rendered", &test.rendered), ("output", &test.output)] {
            for (j, check) in checks.iter().enumerate() {
                let path = format!("tests.{i}.{list}.{j}");
                let kinds = check.kinds();
                if kinds.len() != 1 {
                    return Err(LoadError::new(
                        spans.value(&path),
                        format!(
                            "a check has exactly one of {KEYS} (this one has {})",
                            kinds.len()
                        ),
                    ));
                }
                let kind = kinds[0];
                if list == "rendered" && kind.answer_only() {
                    return Err(LoadError::new(
                        spans.key(&format!("{path}.{}", kind.key())),
                        format!(
                            "`{}` checks the model's answer: put it under `output`, not `rendered`",
                            kind.key()
                        ),
                    ));
                }
                if let crate::model::CheckKind::JsonSchema(v) = kind {
                    if !(v == &serde_json::Value::Bool(true) || v.is_object()) {
                        return Err(LoadError::new(
                            spans.value(&format!("{path}.json_schema")),
                            "`json_schema` is `true` (the prompt's `response_format` schema) or \
                             an inline JSON Schema object",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Writes a prompt as canonical YAML: keys in SPEC order, multi-line text as `|` blocks, LF line
/// endings, a final newline. Text is written exactly: one whose lines end in spaces (a markdown
/// hard break, an import's own text) is a quoted scalar, which a block cannot hold safely.
pub fn to_yaml(prompt: &Prompt) -> String {
    let value = serde_json::to_value(prompt).unwrap_or_default();
    crate::model::emit::to_yaml(&value)
}

#[cfg(test)]
#[path = "load_differential.rs"]
mod differential;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::prompt::{MessageItem, Model, Role};

    #[test]
    fn the_two_commonest_mistakes_say_quote_it() {
        let head = "format: 1\ninputs:\n  x:\n    type: string\n";
        let err = parse(&format!("{head}template: {{{{x}}}} and more\n")).unwrap_err();
        assert!(
            err.message.contains(
                "quote it, `template: \"{{x}} and more\"` (or write the text as a block, \
                 `template: |`"
            ),
            "{}",
            err.message
        );
        let err = parse(&format!(
            "{head}messages:\n  - role: user\n    content: Text: {{{{x}}}}\n"
        ))
        .unwrap_err();
        assert_eq!(err.at.line, 7);
        assert!(
            err.message
                .contains("quote it, `    content: \"Text: {{x}}\"`"),
            "{}",
            err.message
        );
        // A value with a double quote inside is single-quoted, quotes doubled.
        let err = parse(&format!("{head}template: {{{{x}}}} said \"it's\"\n")).unwrap_err();
        assert!(
            err.message.contains(r#"`template: '{{x}} said "it''s"'`"#),
            "{}",
            err.message
        );
        // Other errors keep their words.
        let err = parse("format: 1\ntemplate: [a\n").unwrap_err();
        assert!(!err.message.contains("quote it"), "{}", err.message);
    }

    #[test]
    fn type_errors_name_yaml_values_not_rust_types() {
        let err = parse("format: 1.0\ntemplate: hi\n").unwrap_err();
        assert_eq!(
            err.message,
            "format: invalid type: floating point `1.0`, expected a whole number (the format \
             version: `format: 1`)"
        );
        assert!(!err.message.contains("u32"), "{}", err.message);
    }

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
        // Trailing spaces are text: kept exactly, in a quoted scalar (a block cannot hold them).
        assert!(
            yaml.contains("    content: \"Line one   \\nLine two\\n\"\n"),
            "{yaml}"
        );
        let back = parse(&yaml).unwrap().prompt;
        assert_eq!(back.description.as_deref(), Some("Two\nlines"));
        assert_eq!(back.template_texts()[0].text, "Line one   \nLine two\n");
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
            // Every character survives, trailing spaces on lines included.
            prop_assert_eq!(back.prompt.template, p.template);
            prop_assert_eq!(back.prompt.description, p.description);
        }
    }
}
