//! Where each key and value of a prompt file sits, for messages that point into the file.
//!
//! The loader records one small entry per node while it reads the file's events (a position, a
//! style, and for keys the key's text in one shared buffer); the lookup tables by path are built
//! from them the first time a position is asked for. Most reads (`list`, `show`, `diff`) never
//! ask, so they never pay for a `String` path per node.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::Location;

/// How a scalar was written, which decides how a position inside its text maps to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
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

/// One recorded node, in document order.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// A mapping key: its text is `names[start..end]`.
    Key { at: Location, start: u32, end: u32 },
    /// A scalar value.
    Scalar(NodeSpan),
    /// The start of a mapping (`true`) or a sequence.
    Open { at: Location, map: bool },
    /// The end of the innermost open collection.
    Close,
}

#[derive(Debug, Clone, Default)]
struct Tables {
    keys: HashMap<String, Location>,
    values: HashMap<String, NodeSpan>,
}

/// Where each key and value of a YAML document sits. Paths join keys and sequence indexes with dots:
/// `messages.2.content`, `inputs.ticket.type`; the document itself is the empty path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    entries: Vec<Entry>,
    names: String,
    tables: OnceLock<Tables>,
}

impl SpanIndex {
    pub(crate) fn with_capacity(nodes: usize) -> SpanIndex {
        SpanIndex {
            entries: Vec::with_capacity(nodes),
            // Key texts are short: a few bytes per node.
            names: String::with_capacity(nodes * 6),
            ..SpanIndex::default()
        }
    }

    pub(crate) fn push_key(&mut self, at: Location, name: &str) {
        let start = self.names.len() as u32;
        self.names.push_str(name);
        let end = self.names.len() as u32;
        self.entries.push(Entry::Key { at, start, end });
    }

    pub(crate) fn push_scalar(&mut self, at: Location, style: Style) {
        self.entries.push(Entry::Scalar(NodeSpan { at, style }));
    }

    pub(crate) fn push_open(&mut self, at: Location, map: bool) {
        self.entries.push(Entry::Open { at, map });
    }

    pub(crate) fn push_close(&mut self) {
        self.entries.push(Entry::Close);
    }

    /// The text of the key at `start..end` of the shared buffer.
    pub(crate) fn name(&self, start: u32, end: u32) -> &str {
        &self.names[start as usize..end as usize]
    }

    /// The end offset of the key texts recorded so far (for `name` ranges).
    pub(crate) fn names_len(&self) -> u32 {
        self.names.len() as u32
    }

    fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| self.build())
    }

    /// Replays the entries into tables by path.
    fn build(&self) -> Tables {
        enum Frame {
            Map {
                path: String,
                key: Option<(u32, u32)>,
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
                let mut path = String::with_capacity(parent.len() + 1 + key.len());
                path.push_str(parent);
                path.push('.');
                path.push_str(key);
                path
            }
        }
        let mut t = Tables::default();
        let mut stack: Vec<Frame> = Vec::new();
        for entry in &self.entries {
            let (at, style, opens) = match *entry {
                Entry::Key { at, start, end } => {
                    if let Some(Frame::Map { path, key }) = stack.last_mut() {
                        t.keys.insert(child(path, self.name(start, end)), at);
                        *key = Some((start, end));
                    }
                    continue;
                }
                Entry::Close => {
                    stack.pop();
                    continue;
                }
                Entry::Scalar(span) => (span.at, span.style, None),
                Entry::Open { at, map } => (at, Style::Plain, Some(map)),
            };
            let path = match stack.last_mut() {
                Some(Frame::Map { path, key }) => {
                    let (start, end) = key.take().unwrap_or_default();
                    child(path, self.name(start, end))
                }
                Some(Frame::Seq { path, next }) => {
                    *next += 1;
                    child(path, &(*next - 1).to_string())
                }
                None => String::new(),
            };
            t.values.insert(path.clone(), NodeSpan { at, style });
            match opens {
                Some(true) => stack.push(Frame::Map { path, key: None }),
                Some(false) => stack.push(Frame::Seq { path, next: 0 }),
                None => {}
            }
        }
        t
    }

    /// The position of the key of `path`, else of its value, else of the nearest parent that is known.
    pub fn key(&self, path: &str) -> Location {
        let t = self.tables();
        let mut p = path;
        loop {
            if let Some(at) = t.keys.get(p) {
                return *at;
            }
            if let Some(span) = t.values.get(p) {
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
        match self.tables().values.get(path) {
            Some(span) => span.at,
            None => self.key(path),
        }
    }

    /// Maps a 1-based line and column inside the text of the scalar at `path` to the file.
    pub fn in_text(&self, path: &str, line: usize, column: usize) -> Location {
        let Some(span) = self.tables().values.get(path) else {
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

#[cfg(test)]
impl SpanIndex {
    /// An index whose tables are given (the differential tests' copy of the old eager index).
    pub(crate) fn prebuilt(
        keys: HashMap<String, Location>,
        values: HashMap<String, (Location, Style)>,
    ) -> SpanIndex {
        let values = values
            .into_iter()
            .map(|(path, (at, style))| (path, NodeSpan { at, style }))
            .collect();
        let index = SpanIndex::default();
        let _ = index.tables.set(Tables { keys, values });
        index
    }

    /// Every key and value position by path, sorted, for comparing two indexes.
    pub(crate) fn dump(&self) -> Vec<(String, bool, Location, Option<Style>)> {
        let t = self.tables();
        let mut out: Vec<_> = t
            .keys
            .iter()
            .map(|(p, at)| (p.clone(), true, *at, None))
            .chain(
                t.values
                    .iter()
                    .map(|(p, s)| (p.clone(), false, s.at, Some(s.style))),
            )
            .collect();
        out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        out
    }
}
