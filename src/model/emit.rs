//! The canonical YAML writer for prompt files: block style with sequences indented under their key
//! (as contract §3 shows), multi-line text as `|` literal blocks, plain scalars where YAML reads
//! them back as the same string, double quotes otherwise (also for text whose lines end in
//! spaces, which a block cannot hold safely), LF line endings.
//!
//! Written here rather than left to a serde YAML serializer so that every writer of prompt files
//! (`new`, `cp`, `import`) produces the same diff-friendly layout.

use serde_json::Value;

/// Writes `value` (a JSON object) as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(map, 0, &mut out),
        other => {
            inline(other, &mut out);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn mapping(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (key, value) in map {
        pad(out, indent);
        scalar_string(key, out);
        out.push(':');
        value_after_key(value, indent, out);
    }
}

/// A value after `key:` (or after `- ` for sequence items, with `indent` the item's indent).
fn value_after_key(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(m, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(items, indent + 2, out);
        }
        Value::String(s) if s.contains('\n') => block(s, indent + 2, out),
        other => {
            out.push(' ');
            inline(other, out);
            out.push('\n');
        }
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            // The first key goes on the dash line; the rest align under it.
            Value::Object(m) if !m.is_empty() => {
                let mut first = true;
                for (key, value) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        pad(out, indent + 2);
                    }
                    scalar_string(key, out);
                    out.push(':');
                    value_after_key(value, indent + 2, out);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                sequence(inner, indent + 2, out);
            }
            Value::String(s) if s.contains('\n') => block(s, indent + 2, out),
            other => {
                out.push(' ');
                inline(other, out);
                out.push('\n');
            }
        }
    }
}

/// A `|` literal block. The chomping indicator keeps the exact trailing newlines; an indentation
/// indicator is added when the text starts with a space. Text whose lines end in spaces or tabs
/// cannot round-trip through a block and is double-quoted instead.
fn block(s: &str, indent: usize, out: &mut String) {
    let unsafe_text = s.lines().any(|l| l.ends_with([' ', '\t']))
        || s.contains('\r')
        || s.chars().any(is_unprintable)
        || s.trim_matches('\n').is_empty();
    if unsafe_text {
        out.push(' ');
        quoted(s, out);
        out.push('\n');
        return;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(" |");
    // The indentation of a block is read off its first non-empty line: tell it when that line
    // itself starts with a space.
    if body
        .split('\n')
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with(' '))
    {
        out.push('2');
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    // Keep (`+`) needs the extra empty lines written out.
    for _ in 1..trailing.max(1) {
        out.push('\n');
    }
}

fn inline(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => scalar_string(s, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn scalar_string(s: &str, out: &mut String) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        quoted(s, out);
    }
}

/// Double-quoted: JSON string escapes are valid YAML double-quoted escapes. JSON leaves C1 controls
/// and the Unicode separators raw, which YAML would read as line breaks: those are escaped too.
fn quoted(s: &str, out: &mut String) {
    let json = serde_json::to_string(s).expect("strings serialize");
    for c in json.chars() {
        if is_unprintable(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// Characters a YAML reader would not give back as written outside double quotes: controls, the
/// byte order mark, and the Unicode line and paragraph separators (line breaks to YAML 1.1).
fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Whether a plain (unquoted) scalar reads back as this same string.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.contains('\n') || s.chars().any(|c| is_unprintable(c) || c == '\t') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-x` and `?x`, `:x` are plain in YAML 1.2 when followed by a non-space, but quoting them is
        // clearer and safe everywhere.
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // Words YAML 1.1 readers turn into booleans, which this parser would keep as strings.
    const YAML_1_1: [&str; 8] = ["yes", "no", "on", "off", "y", "n", "true", "false"];
    if YAML_1_1.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything else this parser reads as a number, null or structure must be quoted.
    matches!(serde_yaml::from_str::<Value>(s), Ok(Value::String(back)) if back == s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(v: &Value) -> String {
        let text = to_yaml(v);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
        assert_eq!(&back, v, "{text}");
        text
    }

    #[test]
    fn writes_the_spec_layout() {
        let v = json!({
            "format": 1,
            "labels": ["support", "v2"],
            "model": {"provider": "openai", "name": "gpt-4o-mini", "params": {"temperature": 0.2}},
            "messages": [
                {"role": "system", "content": "Line one\nLine two\n"},
                {"history": "conversation"},
                {"role": "user", "content": [{"text": "{{q}}"}, {"image": "photo"}]}
            ],
            "metadata": {}
        });
        let text = round_trip(&v);
        assert_eq!(
            text,
            "format: 1
labels:
  - support
  - v2
model:
  provider: openai
  name: gpt-4o-mini
  params:
    temperature: 0.2
messages:
  - role: system
    content: |
      Line one
      Line two
  - history: conversation
  - role: user
    content:
      - text: \"{{q}}\"
      - image: photo
metadata: {}
"
        );
    }

    #[test]
    fn strings_read_back_exactly() {
        for s in [
            "",
            " lead",
            "trail ",
            "yes",
            "No",
            "null",
            "~",
            "12",
            "1.5",
            "0x1F",
            "1e3",
            "-",
            "- x",
            "a: b",
            "a #b",
            "#c",
            "key:",
            "@x",
            "`x`",
            "{{x}}",
            "[a]",
            "tab\there",
            "ünïcödé",
            "quote\"s",
            "back\\slash",
            "bom\u{feff}",
            "bell\u{7}",
            "ls\u{2028}x",
            "nel\u{85}y",
            "\n a",
            "\n\n  b\nc",
            "true",
            "off",
            "2024-01-01",
            "no trailing\nnewline",
            "one\n",
            "two\n\n",
            "\n",
            "\nleading blank",
            "  indented\nx\n",
            "\n a",
            "\n\n  b\nc",
            "line with trailing space \nnext\n",
            "crlf\r\nline",
            "a\n\n\nb",
        ] {
            round_trip(&json!({ "k": s, "list": [s] }));
        }
    }

    #[test]
    fn nested_lists_and_empty_collections() {
        round_trip(&json!({"a": [[1, 2], [], {}], "b": [{"c": [{"d": null}]}], "e": {"f": {}}}));
    }
}
