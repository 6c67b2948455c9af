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
    Key {
        at: Location,
        start: usize,
        end: usize,
    },
    /// A scalar value.
    Scalar(NodeSpan),
    /// The start of a mapping (`true`) or a sequence.
    Open { at: Location, map: bool },
    /// The end of the innermost open collection.
    Close,
}

/// No parent: a node at the top of the document.
const TOP: u32 = u32::MAX;

/// One node of the table. Its path is its parent's path followed by its own part,
/// `own[start..end]` (a dot unless the parent's path is empty, then its key's text or its index
/// in a sequence), so the table grows with the file, not with the file times its depth: a
/// 1 MiB file of 60 nested 1,000-character keys made 860 MB of whole paths.
#[derive(Debug, Clone, Copy)]
struct Row {
    parent: u32,
    key: bool,
    span: NodeSpan,
    start: usize,
    end: usize,
    /// The length of the whole path.
    len: usize,
    /// FNV-1a state over the whole path, continued from the parent's.
    hash: u64,
    /// The first value row with the same path (itself if none): two paths that reach rows with
    /// the same `canon` are equal from there on, so comparing two paths never walks a shared
    /// ancestry twice.
    canon: u32,
}

/// Every node by path (keys and values apart).
#[derive(Debug, Clone, Default)]
struct Tables {
    own: String,
    rows: Vec<Row>,
    /// Open addressing over `rows`: a row's index plus one, 0 for a free slot; a power of two
    /// at least twice the rows, so probes stay short.
    slots: Vec<u32>,
}

const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues FNV-1a state `h` over `bytes`: paths are short, the hash needs no key.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The slot hash of a path's FNV state and whether it is a key.
fn slot_hash(h: u64, key: bool) -> usize {
    (h ^ u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as usize
}

impl Tables {
    fn row(&self, n: u32) -> &Row {
        &self.rows[n as usize]
    }

    fn own_of(&self, n: u32) -> &[u8] {
        let row = self.row(n);
        &self.own.as_bytes()[row.start..row.end]
    }

    /// Whether the path of row `n` is `path`, read from the end: O(`path.len()`).
    fn is_path(&self, n: u32, path: &[u8]) -> bool {
        if self.row(n).len != path.len() {
            return false;
        }
        let (mut n, mut rest) = (n, path);
        while n != TOP {
            let own = self.own_of(n);
            match rest.strip_suffix(own) {
                Some(r) => rest = r,
                None => return false,
            }
            n = self.row(n).parent;
        }
        rest.is_empty()
    }

    /// Whether rows `a` and `b` have the same path (their lengths and hashes agree already).
    /// Reads both from the end and stops where they reach one node, or two with one path.
    fn same_path(&self, a: u32, b: u32) -> bool {
        let (mut a, mut b) = (a, b);
        let (mut ra, mut rb) = (self.own_of(a), self.own_of(b));
        let mut left = self.row(a).len;
        loop {
            if left == 0 {
                return true;
            }
            if ra.len() == self.own_of(a).len()
                && rb.len() == self.own_of(b).len()
                && self.row(a).canon == self.row(b).canon
            {
                return true;
            }
            if ra.is_empty() {
                a = self.row(a).parent;
                ra = self.own_of(a);
                continue;
            }
            if rb.is_empty() {
                b = self.row(b).parent;
                rb = self.own_of(b);
                continue;
            }
            let n = ra.len().min(rb.len());
            if ra[ra.len() - n..] != rb[rb.len() - n..] {
                return false;
            }
            ra = &ra[..ra.len() - n];
            rb = &rb[..rb.len() - n];
            left -= n;
        }
    }

    /// The slot that holds row `n`'s path and kind, or the free slot where it would go.
    fn slot_of_row(&self, n: u32) -> usize {
        let row = *self.row(n);
        let mask = self.slots.len() - 1;
        let mut i = slot_hash(row.hash, row.key) & mask;
        loop {
            match self.slots[i] {
                0 => return i,
                m => {
                    let other = self.row(m - 1);
                    if other.key == row.key
                        && other.hash == row.hash
                        && other.len == row.len
                        && self.same_path(m - 1, n)
                    {
                        return i;
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds row `n` to the index: a later node with the same path replaces an earlier one (a
    /// key with a dot, `a.b`, beside `a: {b: …}`), as a map filled in document order did.
    fn index_row(&mut self, n: u32) {
        let i = self.slot_of_row(n);
        if let (false, m @ 1..) = (self.row(n).key, self.slots[i]) {
            let canon = self.row(m - 1).canon;
            self.rows[n as usize].canon = canon;
        }
        self.slots[i] = n + 1;
    }

    fn find_hashed(&self, path: &[u8], h: u64, key: bool) -> Option<NodeSpan> {
        let mask = self.slots.len() - 1;
        let mut i = slot_hash(h, key) & mask;
        loop {
            match self.slots[i] {
                0 => return None,
                m => {
                    let row = self.row(m - 1);
                    if row.key == key && row.hash == h && self.is_path(m - 1, path) {
                        return Some(row.span);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn find(&self, path: &str, key: bool) -> Option<NodeSpan> {
        let path = path.as_bytes();
        self.find_hashed(path, fnv(FNV_BASIS, path), key)
    }

    /// Adds a row below `parent` whose own part is what `own` appended to `self.own`.
    fn push_row(&mut self, parent: u32, from: usize, key: bool, span: NodeSpan) -> u32 {
        let (base, hash) = match parent {
            TOP => (0, FNV_BASIS),
            p => (self.row(p).len, self.row(p).hash),
        };
        let end = self.own.len();
        let n = self.rows.len() as u32;
        self.rows.push(Row {
            parent,
            key,
            span,
            start: from,
            end,
            len: base + end - from,
            hash: fnv(hash, &self.own.as_bytes()[from..end]),
            canon: n,
        });
        n
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
        let start = self.names.len();
        self.names.push_str(name);
        let end = self.names.len();
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
    pub(crate) fn name(&self, start: usize, end: usize) -> &str {
        &self.names[start..end]
    }

    /// The end offset of the key texts recorded so far (for `name` ranges).
    pub(crate) fn names_len(&self) -> usize {
        self.names.len()
    }

    fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| self.build())
    }

    /// Replays the entries into the table by path.
    fn build(&self) -> Tables {
        struct Frame {
            /// The collection's row.
            row: u32,
            map: bool,
            /// A mapping's last key (in `names`) until its value comes.
            key: Option<(usize, usize)>,
            /// A sequence's next index.
            next: usize,
        }
        let nodes = self
            .entries
            .iter()
            .filter(|e| !matches!(e, Entry::Close))
            .count();
        let mut t = Tables {
            own: String::with_capacity(self.names.len() + nodes * 2),
            rows: Vec::with_capacity(nodes),
            slots: vec![0; (nodes * 2).next_power_of_two().max(4)],
        };
        let mut stack: Vec<Frame> = Vec::new();
        for entry in &self.entries {
            let from = t.own.len();
            let (key, span, opens) = match *entry {
                Entry::Close => {
                    stack.pop();
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
            // A dot unless the parent's path is empty (none under the document itself), then
            // this node's segment: its key's text for a key and a mapping's value ("" for a
            // value without a key, as before), its index in a sequence.
            let parent = match stack.last_mut() {
                None => TOP,
                Some(frame) => {
                    if t.row(frame.row).len > 0 {
                        t.own.push('.');
                    }
                    if let Some(name) = key {
                        frame.key = Some(name);
                    }
                    if frame.map {
                        if let Some((from, to)) = if key.is_some() { key } else { frame.key.take() }
                        {
                            t.own.push_str(self.name(from, to));
                        }
                    } else {
                        push_number(&mut t.own, frame.next);
                        frame.next += 1;
                    }
                    frame.row
                }
            };
            let row = t.push_row(parent, from, key.is_some(), span);
            t.index_row(row);
            if let Some(map) = opens {
                stack.push(Frame {
                    row,
                    map,
                    key: None,
                    next: 0,
                });
            }
        }
        t
    }

    /// The size of the position table in bytes once built (rows, index and text), for the
    /// tests that hold it linear in the file's size.
    #[cfg(test)]
    pub(crate) fn table_bytes(&self) -> usize {
        let t = self.tables();
        t.own.capacity()
            + t.rows.capacity() * std::mem::size_of::<Row>()
            + t.slots.capacity() * std::mem::size_of::<u32>()
    }

    /// The position of the key of `path`, else of its value, else of the nearest parent that is known.
    pub fn key(&self, path: &str) -> Location {
        let t = self.tables();
        // The hash of every prefix that ends before a dot, and of the whole path, in one pass.
        let bytes = path.as_bytes();
        let mut prefixes = Vec::new();
        let mut h = FNV_BASIS;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'.' {
                prefixes.push((i, h));
            }
            h = fnv(h, &[b]);
        }
        prefixes.push((bytes.len(), h));
        for &(end, h) in prefixes.iter().rev() {
            let p = &bytes[..end];
            if let Some(span) = t
                .find_hashed(p, h, true)
                .or_else(|| t.find_hashed(p, h, false))
            {
                return span.at;
            }
        }
        Location { line: 1, column: 1 }
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
        let rows: Vec<_> = keys.chain(values).collect();
        t.slots = vec![0; (rows.len() * 2).next_power_of_two().max(4)];
        for (path, key, at, style) in rows {
            let from = t.own.len();
            t.own.push_str(&path);
            let row = t.push_row(TOP, from, key, NodeSpan { at, style });
            t.index_row(row);
        }
        let index = SpanIndex::default();
        let _ = index.tables.set(t);
        index
    }
}

#[cfg(test)]
impl Tables {
    /// The whole path of row `n`, written out.
    fn path(&self, n: u32) -> String {
        let mut parts = Vec::new();
        let mut n = n;
        while n != TOP {
            parts.push(self.own_of(n));
            n = self.row(n).parent;
        }
        let bytes: Vec<u8> = parts.into_iter().rev().flatten().copied().collect();
        String::from_utf8(bytes).expect("paths are text")
    }
}

#[cfg(test)]
impl SpanIndex {
    /// What a lookup answers for every path of the table, sorted, for comparing two indexes.
    pub(crate) fn dump(&self) -> Vec<(String, bool, Location, Option<Style>)> {
        let t = self.tables();
        let mut out: Vec<_> = t
            .rows
            .iter()
            .enumerate()
            .map(|(n, row)| {
                let path = t.path(n as u32);
                let span = t.find(&path, row.key).expect("a row's own path");
                let style = (!row.key).then_some(span.style);
                (path, row.key, span.at, style)
            })
            .collect();
        out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Location;
    use crate::model::load::spans_of;

    fn at(line: usize, column: usize) -> Location {
        Location { line, column }
    }

    /// `depth` nested mappings whose keys are `width` characters long, then one flow mapping
    /// of short keys, until the file is about `size` bytes: every leaf's path is
    /// `depth * width` bytes long.
    fn deep_long_keys(depth: usize, width: usize, size: usize) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut path = Vec::new();
        for level in 0..depth {
            let key = char::from(b'a' + (level % 26) as u8)
                .to_string()
                .repeat(width);
            text.push_str(&"  ".repeat(level));
            text.push_str(&key);
            text.push_str(":\n");
            path.push(key);
        }
        text.push_str(&"  ".repeat(depth));
        text.push('{');
        let mut leaves = 0;
        while text.len() < size {
            text.push_str(&format!("k{leaves}: {leaves}, "));
            leaves += 1;
        }
        text.push_str("end: 0}\n");
        let prefix = path.join(".");
        let leaves = (0..leaves).map(|i| format!("{prefix}.k{i}")).collect();
        (text, leaves)
    }

    #[test]
    fn the_table_grows_with_the_file_not_with_the_file_times_its_depth() {
        // Issue 24 item 14: one 1 MiB file of 60 nested 1,000-character keys made `check`
        // build 860 MB of whole paths (every leaf's path written out) for 10.9 s.
        let mut sizes = Vec::new();
        for size in [128 << 10, 256 << 10, 1 << 20] {
            let (text, leaves) = deep_long_keys(60, 1000, size);
            let spans = spans_of(&text).unwrap();
            // Positions are still right: the first, a middle and the last leaf, key and value.
            let line = 61;
            for i in [0, leaves.len() / 2, leaves.len() - 1] {
                let column = text
                    .lines()
                    .nth(line - 1)
                    .unwrap()
                    .find(&format!("k{i}:"))
                    .unwrap();
                assert_eq!(spans.key(&leaves[i]), at(line, column + 1), "{}", leaves[i]);
                let value = column + format!("k{i}: ").len();
                assert_eq!(spans.value(&leaves[i]), at(line, value + 1));
            }
            // A path under a leaf that does not exist falls back to the leaf's key.
            let inside = format!("{}.nothing.here", leaves[3]);
            assert_eq!(spans.key(&inside), spans.key(&leaves[3]));
            sizes.push((text.len(), spans.table_bytes()));
        }
        for &(text, table) in &sizes {
            assert!(
                table < text * 64,
                "{table} bytes of table for {text} bytes of text"
            );
        }
        let ((small_text, small), (big_text, big)) = (sizes[0], sizes[2]);
        assert!(
            big * small_text < small * big_text * 2,
            "not linear: {sizes:?}"
        );
    }

    #[test]
    fn deep_flow_collections_take_a_table_linear_in_the_file() {
        // Sequences nested 60 deep in flow style, then many small items.
        for size in [64 << 10, 512 << 10] {
            let mut text = format!("x: {}", "[".repeat(60));
            while text.len() < size {
                text.push_str("{a: 1}, ");
            }
            text.push('0');
            text.push_str(&"]".repeat(60));
            text.push('\n');
            let spans = spans_of(&text).unwrap();
            assert!(
                spans.table_bytes() < text.len() * 64,
                "{}",
                spans.table_bytes()
            );
            let deep = format!("x{}", ".0".repeat(60));
            assert_eq!(spans.key(&format!("{deep}.a")), at(1, 3 + 60 + 1 + 1));
            assert_eq!(spans.value(&format!("{deep}.a")), at(1, 3 + 60 + 4 + 1));
        }
    }

    #[test]
    fn a_key_with_dots_and_a_nested_path_are_one_path_and_the_later_wins() {
        let spans = spans_of("a:\n  b:\n    c: 1\na.b:\n  c: 2\n").unwrap();
        assert_eq!(spans.value("a.b.c"), at(5, 6));
        assert_eq!(spans.key("a.b"), at(4, 1));
        let spans = spans_of("a.b:\n  c: 2\na:\n  b:\n    c: 1\n    d: 3\n").unwrap();
        assert_eq!(spans.value("a.b.c"), at(5, 8));
        assert_eq!(spans.value("a.b.d"), at(6, 8));
        assert_eq!(spans.key("a.b"), at(4, 3));
        // Not a prefix of a segment: `a.bc` is not `a.b` followed by `c`.
        assert_eq!(spans.key("a.bc"), at(3, 1));
        // The document itself, and an empty key.
        let spans = spans_of("'': {x: 1}\ny: [1, [2, 3]]\n").unwrap();
        assert_eq!(spans.value("x"), at(1, 9));
        assert_eq!(spans.value("y.1.1"), at(2, 12));
        // The empty key's value has the empty path too, and comes later than the document.
        assert_eq!(spans.value(""), at(1, 5));
    }
}
