//! Diagnostics: `check`'s own, for the editor's unsaved text.
//!
//! The file is checked by the function `prompt check` runs on every file
//! (`check::check_file_allowing`, through `ops::check::check_text`), with the registry's
//! `allowed_secrets`, and partials and parents read from the working tree with the open
//! buffers on top. So rules, messages, severities and positions are `check`'s; only the position
//! is converted (1-based line and character column to the protocol's 0-based line and
//! negotiated units). A diagnostic covers the word it points at (up to the next blank), since
//! `check` gives a point.

use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range};

use crate::check::{Diagnostic, Severity};
use crate::store::Registry;

use super::text::{self, Encoding};
use super::workspace::{Overlay, Place};

/// `check`'s diagnostics of a prompt file's text; none for a file that is not a prompt file
/// under the registry's root.
pub fn check(reg: &Registry, place: &Place, text: &str, overlay: &Overlay) -> Vec<Diagnostic> {
    let Some(name) = &place.name else {
        return Vec::new();
    };
    crate::ops::check::check_text(reg, &place.rel, name, text.as_bytes(), overlay, &[])
}

/// The protocol's form of `check`'s diagnostics of `text`.
pub fn to_lsp(text: &str, diagnostics: &[Diagnostic], enc: Encoding) -> Vec<lsp_types::Diagnostic> {
    // `check` reads the text without a byte order mark: its columns on line 1 start after it.
    let bom = text.starts_with('\u{feff}');
    diagnostics
        .iter()
        .map(|d| {
            let column = if bom && d.line == 1 {
                d.column + 1
            } else {
                d.column
            };
            let start = text::position_of_location(text, d.line, column, enc);
            lsp_types::Diagnostic {
                range: Range {
                    start,
                    end: word_end(text, start, enc),
                },
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.rule.name().to_string())),
                source: Some("prompt".to_string()),
                message: d.message.clone(),
                ..Default::default()
            }
        })
        .collect()
}

/// The end of the run of non-blank characters at `start` (on its line).
fn word_end(text: &str, start: Position, enc: Encoding) -> Position {
    let from = text::offset_of(text, start, enc);
    let rest = &text[from..];
    let len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    text::position_of(text, from + len, enc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Rule;

    #[test]
    fn positions_become_utf16_ranges_over_the_word() {
        let text = "format: 1\ntemplate: é😀 {{who}} x\n";
        let d = Diagnostic {
            file: "prompts/a.prompt.yaml".into(),
            line: 2,
            column: 14,
            severity: Severity::Error,
            rule: Rule::UndeclaredVariable,
            message: "variable `who` is used but not declared in `inputs`".into(),
        };
        let got = to_lsp(text, &[d], Encoding::Utf16);
        assert_eq!(got[0].range.start, Position::new(1, 14));
        assert_eq!(got[0].range.end, Position::new(1, 21));
        assert_eq!(
            got[0].code,
            Some(NumberOrString::String("undeclared-variable".into()))
        );
        assert_eq!(got[0].severity, Some(DiagnosticSeverity::ERROR));
    }
}
