//! Where each key and value of a prompt file sits, for messages that point into the file.
//!
//! The loader records one small entry per node while it reads the file's events (a position, a
//! style, and for keys the key's text in one shared buffer); the table by path is built from them
//! the first time a position is asked for. Most reads (`list`, `show`, `diff`) never ask. The
//! table is every node's path written into one buffer, a list of rows, and an open-addressing
//! index of the rows by path: three allocations per file, where two maps of `String` paths made
//! one per node (and hashed each with SipHash).

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

/// A node's path (`paths[start..end]`), whether it is a key, and where it sits.
#[derive(Debug, Clone, Copy)]
struct Row {
    start: u32,
    end: u32,
    key: bool,
    span: NodeSpan,
}

/// Every node by path (keys and values apart).
#[derive(Debug, Clone, Default)]
struct Tables {
    paths: String,
    rows: Vec<Row>,
    /// Open addressing over `rows`: a row's index plus one, 0 for a free slot; a power of two
    /// at least twice the rows, so probes stay short.
    slots: Vec<u32>,
}

/// FNV-1a over the path, and whether it is a key: paths are short, the hash needs no key.
fn hash(path: &str, key: bool) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(key);
    for b in path.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h as usize
}

impl Tables {
    fn path(&self, row: &Row) -> &str {
        &self.paths[row.start as usize..row.end as usize]
    }

    /// The slot that holds (`path`, `key`), or the free slot where it would go.
    fn slot(&self, path: &str, key: bool) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash(path, key) & mask;
        loop {
            match self.slots[i] {
                0 => return i,
                n => {
                    let row = &self.rows[n as usize - 1];
                    if row.key == key && self.path(row) == path {
                        return i;
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Indexes the rows in document order: a later node with the same path replaces an earlier
    /// one (a key with a dot, `a.b`, beside `a: {b: …}`), as a map filled in that order did.
    fn index_rows(&mut self) {
        self.slots = vec![0; (self.rows.len() * 2).next_power_of_two().max(4)];
        for n in 0..self.rows.len() {
            let row = self.rows[n];
            let i = self.slot(self.path(&row), row.key);
            self.slots[i] = n as u32 + 1;
        }
    }

    fn find(&self, path: &str, key: bool) -> Option<NodeSpan> {
        match self.slots[self.slot(path, key)] {
            0 => None,
            n => Some(self.rows[n as usize - 1].span),
        }
    }
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

    /// Replays the entries into the table by path.
    fn build(&self) -> Tables {
        struct Frame {
            /// The length of the parent's path, to which `current` goes back at the end.
            outer: usize,
            map: bool,
            /// A mapping's last key (in `names`) until its value comes.
            key: Option<(u32, u32)>,
            /// A sequence's next index.
            next: usize,
        }
        let mut t = Tables {
            paths: String::with_capacity(self.names.len() * 3),
            rows: Vec::with_capacity(self.entries.len()),
            slots: Vec::new(),
        };
        let mut stack: Vec<Frame> = Vec::new();
        // The path of the innermost open collection.
        let mut current = String::new();
        for entry in &self.entries {
            let start = t.paths.len() as u32;
            let (key, span, opens) = match *entry {
                Entry::Close => {
                    if let Some(frame) = stack.pop() {
                        current.truncate(frame.outer);
                    }
                    continue;
                }
                Entry::Key { at, start, end } => {
                    let span = NodeSpan {
                        at,
                        style: Style::Plain,
                    };
                    (Some((start, end)), span, None)
                }
                Entry::Scalar(span) => (None, span, None),
                Entry::Open { at, map } => {
                    let span = NodeSpan {
                        at,
                        style: Style::Plain,
                    };
                    (None, span, Some(map))
                }
            };
            // The parent's path and a dot (none under the document itself), then this node's
            // segment: its key's text for a key and a mapping's value ("" for a value without a
            // key, as before), its index in a sequence.
            if let Some(frame) = stack.last_mut() {
                t.paths.push_str(&current);
                if !current.is_empty() {
                    t.paths.push('.');
                }
                if let Some(name) = key {
                    frame.key = Some(name);
                }
                if frame.map {
                    if let Some((from, to)) = if key.is_some() { key } else { frame.key.take() } {
                        t.paths.push_str(self.name(from, to));
                    }
                } else {
                    push_number(&mut t.paths, frame.next);
                    frame.next += 1;
                }
            }
            let end = t.paths.len() as u32;
            t.rows.push(Row {
                start,
                end,
                key: key.is_some(),
                span,
            });
            if let Some(map) = opens {
                // The parent's path is a prefix of this one.
                let outer = current.len();
                current.clear();
                current.push_str(&t.paths[start as usize..end as usize]);
                stack.push(Frame {
                    outer,
                    map,
                    key: None,
                    next: 0,
                });
            }
        }
        t.index_rows();
        t
    }

    /// The position of the key of `path`, else of its value, else of the nearest parent that is known.
    pub fn key(&self, path: &str) -> Location {
        let t = self.tables();
        let mut p = path;
        loop {
            if let Some(span) = t.find(p, true).or_else(|| t.find(p, false)) {
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
        match self.tables().find(path, false) {
            Some(span) => span.at,
            None => self.key(path),
        }
    }

    /// Maps a 1-based line and column inside the text of the scalar at `path` to the file.
    pub fn in_text(&self, path: &str, line: usize, column: usize) -> Location {
        let Some(span) = self.tables().find(path, false) else {
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

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|d| char::from(*d)));
}

#[cfg(test)]
impl SpanIndex {
    /// An index whose table is given (the differential tests' copy of the old eager index).
    pub(crate) fn prebuilt(
        keys: std::collections::HashMap<String, Location>,
        values: std::collections::HashMap<String, (Location, Style)>,
    ) -> SpanIndex {
        let mut t = Tables::default();
        let keys = keys.into_iter().map(|(p, at)| (p, true, at, Style::Plain));
        let values = values
            .into_iter()
            .map(|(p, (at, style))| (p, false, at, style));
        for (path, key, at, style) in keys.chain(values) {
            let start = t.paths.len() as u32;
            t.paths.push_str(&path);
            let end = t.paths.len() as u32;
            let span = NodeSpan { at, style };
            t.rows.push(Row {
                start,
                end,
                key,
                span,
            });
        }
        t.index_rows();
        let index = SpanIndex::default();
        let _ = index.tables.set(t);
        index
    }

    /// What a lookup answers for every path of the table, sorted, for comparing two indexes.
    pub(crate) fn dump(&self) -> Vec<(String, bool, Location, Option<Style>)> {
        let t = self.tables();
        let mut out: Vec<_> = t
            .rows
            .iter()
            .map(|row| {
                let path = t.path(row);
                let span = t.find(path, row.key).expect("a row's own path");
                let style = (!row.key).then_some(span.style);
                (path.to_string(), row.key, span.at, style)
            })
            .collect();
        out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        out.dedup();
        out
    }
}
