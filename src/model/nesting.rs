//! A bounded-depth pre-scan for every YAML and JSON input (prompt files, `.prompts.yaml`, `--vars`
//! files, `--batch` lines, import payloads), run before any parser sees the text.
//!
//! YAML scanners keep one pending "simple key" per open flow collection and look at all of them for
//! every token, so `[[[[…]]]]` costs time quadratic in its depth (160 KB of brackets took tens of
//! seconds). This pass reads the text once, tracks how deep flow collections (`[`, `{`) and block
//! indentation go, and refuses anything deeper than `MAX_NESTING` with the position where the limit
//! was passed. Below the limit, the parsers' work per token is bounded, so parsing is linear.
//!
//! The scan knows just enough YAML to avoid counting text as structure: quoted scalars (both
//! styles, across lines), comments, block scalars (`|`, `>`) and plain scalars, where a bracket is
//! only structure at the start of a node. JSON is the flow style of YAML and is read the same way.
//! It errs on the side of counting less; the parsers' own limits stay in place behind it.

use crate::error::Location;
use crate::model::load_error::LoadError;

/// Deepest nesting of collections (flow brackets plus block indentation levels) any input may have.
pub const MAX_NESTING: usize = 100;

/// Refuses `text` when its collections nest deeper than `MAX_NESTING`; linear in its length.
pub fn check_nesting(text: &str) -> Result<(), LoadError> {
    check_nesting_within(text, MAX_NESTING)
}

/// Where the scan is between characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// `check_nesting` with another limit (tests use small ones).
pub fn check_nesting_within(text: &str, limit: usize) -> Result<(), LoadError> {
    if depth_bound(text) <= limit {
        return Ok(());
    }
    // Indentation columns of the open block nodes, innermost last.
    let mut block: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Block levels around the outermost open flow collection.
    let mut base = 0usize;
    let mut quote = Quote::None;
    // Lines more indented than this belong to a block scalar and are skipped.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let too_deep = |column: usize| LoadError {
            at: Location {
                line: number,
                column: column + 1,
            },
            message: format!(
                "nesting deeper than {limit} levels (lists and mappings inside each other); \
                 flatten the data"
            ),
        };
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let blank = bytes[indent..]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut at = 0;
        // Is the next non-space character the start of a node (where `[`, `{`, quotes and block
        // scalar indicators mean something)?
        let mut node_start = true;
        if quote == Quote::None && flow == 0 {
            if blank || bytes[indent] == b'#' {
                continue;
            }
            if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
                block.clear();
                at = 3.min(bytes.len());
            } else {
                push_block(&mut block, indent);
                if block.len() > limit {
                    return Err(too_deep(indent));
                }
                at = indent;
            }
        }
        while at < bytes.len() {
            let c = bytes[at];
            match quote {
                Quote::Single => {
                    if c == b'\'' {
                        if bytes.get(at + 1) == Some(&b'\'') {
                            at += 1;
                        } else {
                            quote = Quote::None;
                            node_start = false;
                        }
                    }
                    at += 1;
                    continue;
                }
                Quote::Double => {
                    if c == b'\\' {
                        at += 1;
                    } else if c == b'"' {
                        quote = Quote::None;
                        node_start = false;
                    }
                    at += 1;
                    continue;
                }
                Quote::None => {}
            }
            let after_space = at == 0 || matches!(bytes[at - 1], b' ' | b'\t');
            match c {
                b' ' | b'\t' => {}
                b'#' if after_space => break,
                b'[' | b'{' if node_start || flow > 0 => {
                    if flow == 0 {
                        // A collection that starts its line is the node at that indentation.
                        base = block.len() - usize::from(at == indent && !block.is_empty());
                    }
                    flow += 1;
                    if base + flow > limit {
                        return Err(too_deep(at));
                    }
                    node_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    node_start = false;
                }
                b',' if flow > 0 => node_start = true,
                b'\'' if node_start => quote = Quote::Single,
                b'"' if node_start => quote = Quote::Double,
                b'|' | b'>' if node_start && flow == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                // Properties before a node leave it at its start.
                b'&' | b'!' if node_start => {
                    while at < bytes.len() && !matches!(bytes[at], b' ' | b'\t') {
                        at += 1;
                    }
                    continue;
                }
                b'-' | b'?' if node_start && flow == 0 && is_blank_at(bytes, at + 1) => {
                    // A compact nested sequence or explicit key: a block node at this column.
                    push_block(&mut block, at);
                    if block.len() > limit {
                        return Err(too_deep(at));
                    }
                }
                // In a flow collection a value may follow `:` without a space (JSON style).
                b':' if flow > 0 || is_blank_at(bytes, at + 1) => {
                    node_start = true;
                }
                _ => node_start = false,
            }
            at += 1;
        }
    }
    Ok(())
}

/// An upper bound on the depth the scan below can reach, found without parsing: every level it
/// counts is opened by a line (its indentation), a `-` or `?` (a compact block node), or a `[` or
/// `{`, so the depth never exceeds one plus the number of those bytes. Short or flat text (a
/// `--batch` line of values, most files) is then cleared in one vectorisable pass.
fn depth_bound(text: &str) -> usize {
    if text.len() < MAX_NESTING {
        // Not even one byte each could open that many levels.
        return text.len() + 1;
    }
    1 + text
        .bytes()
        .filter(|b| matches!(b, b'\n' | b'-' | b'?' | b'[' | b'{'))
        .count()
}

/// Opens a block node at `column`, closing those indented at least as deep.
fn push_block(block: &mut Vec<usize>, column: usize) {
    while block.last().is_some_and(|top| *top > column) {
        block.pop();
    }
    if block.last() != Some(&column) {
        block.push(column);
    }
}

/// Whether the byte at `at` is a space, a tab or the end of the line.
fn is_blank_at(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at)
        .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str, limit: usize) -> bool {
        check_nesting_within(text, limit).is_ok()
    }

    #[test]
    fn counts_flow_and_block_nesting() {
        assert!(depth_ok("a: [[1]]\n", 3));
        assert!(!depth_ok("a: [[[1]]]\n", 3));
        assert!(depth_ok("{\"a\": {\"b\": [1, 2]}}", 3));
        assert!(!depth_ok("{\"a\": {\"b\": [1, {\"c\": 2}]}}", 3));
        let block = "a:\n  b:\n    c:\n      d: 1\n";
        assert!(depth_ok(block, 4));
        assert!(!depth_ok(block, 3));
        assert!(!depth_ok("- - - - x\n", 3));
        assert!(depth_ok("- - - x\n- y\n", 3));
        // Levels close when the indentation comes back.
        assert!(depth_ok("a:\n  b: 1\nc:\n  d: 1\ne:\n  f: 1\n", 2));
        let err = check_nesting_within("x: 1\ny: [[[[", 3).unwrap_err();
        assert_eq!((err.at.line, err.at.column), (2, 6));
        assert!(err.message.contains("deeper than 3 levels"), "{err:?}");
    }

    #[test]
    fn text_is_not_structure() {
        let text = "\
a: 'it''s [[[[[['
b: \"[[[[[[ \\\" [[[[\"
c: plain [[[[[[ text {{{{{{
d: |
  {{{{{{{{ [[[[[[[[
  more [[[[[[[
e: >-
  [[[[[[[[
f: x # [[[[[[[[ a comment
# [[[[[[[[ a comment line
g: \"multi [[[[[[
  line [[[[[[ \"
h: [ok]
";
        assert!(depth_ok(text, 2), "{:?}", check_nesting_within(text, 2));
        assert!(depth_ok("template: Hello {{name}}, it's {{x}}\n", 1));
        assert!(depth_ok("a: [http://x.y/z, 'q]]]]', \"r[[[[\"]\n", 2));
    }

    #[test]
    fn deep_input_is_refused_at_the_limit_whatever_follows() {
        // Not a timed test (a loaded machine made a time bound flaky): the scan reads each byte
        // once, front to back, and stops where the limit is passed, so however much deep input
        // follows, the answer is the same column on the first line.
        for kb in [40, 80, 160] {
            let n = kb * 1024 / 2;
            let text = format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
            let err = check_nesting(&text).unwrap_err();
            assert_eq!(err.at.line, 1);
            assert_eq!(err.at.column, 3 + MAX_NESTING);
            // Balanced but wide data is fine at any size.
            let wide = format!("x: [{}]\n", "[1], ".repeat(n / 5));
            check_nesting(&wide).unwrap();
        }
    }

    #[test]
    fn the_quick_bound_never_clears_what_the_scan_refuses() {
        let texts = [
            "{\"a\": {\"b\": [1, {\"c\": [[2]]}]}}",
            "- - - - x\n- y\n",
            "a:\n  b:\n    c:\n      - [d, {e: [f]}]\n",
            "? - [x]\n: {y: [[z]]}\n",
            "--- [a]\n--- {b: [c]}\n",
        ];
        for text in texts {
            for limit in 0..12 {
                if check_nesting_within(text, limit).is_err() {
                    assert!(depth_bound(text) > limit, "{text:?} at {limit}");
                }
            }
        }
        // A batch line of 101 nested arrays is still refused; a short flat one passes at once.
        let deep = format!("{{\"x\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(depth_bound(&deep) > MAX_NESTING);
        assert!(check_nesting(&deep).is_err());
        assert!(depth_bound("{\"topic\": \"rust\", \"n\": [1, 2]}") <= MAX_NESTING);
    }
}
