//! Control characters from files, made visible before they reach a terminal.
//!
//! A prompt file, a commit message or a tag note is text someone else wrote. Printed raw, an escape
//! sequence in it can retitle or clear the reader's terminal, move the cursor over earlier output,
//! or (with bidirectional overrides) show text in another order than it is stored. Human output
//! passes such text through here: control characters become `\u{…}` escapes, the rest is
//! unchanged. Machine output (JSON, raw YAML) is left alone: JSON escapes controls itself.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is (newlines and tabs are decided by the caller).
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) && !keep(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of output: every control character escaped, newlines and tabs included.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

/// Text of several lines: newlines and tabs kept, every other control character escaped.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_text_is_not() {
        assert!(matches!(escape_line("gpt-4o ünï"), Cow::Borrowed(_)));
        assert_eq!(
            escape_line("a\u{1b}]0;owned\u{7}b"),
            "a\\u{1b}]0;owned\\u{7}b"
        );
        assert_eq!(escape_line("x\u{1b}[2Jy\nz"), "x\\u{1b}[2Jy\\u{a}z");
        assert_eq!(escape_text("x\u{9b}2J\n\ty\r"), "x\\u{9b}2J\n\ty\\u{d}");
        assert_eq!(escape_line("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape_line("del\u{7f}"), "del\\u{7f}");
    }
}
