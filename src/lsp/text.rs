//! Positions and URIs: what the protocol counts in, and what the rest of the crate counts in.
//!
//! The protocol addresses text by line (from 0) and character offset within the line, counted
//! in the negotiated encoding: UTF-16 code units unless client and server agreed on UTF-8 bytes
//! (`positionEncoding`, LSP 3.17). `check` and the template engines count lines from 1 and
//! columns from 1 in Unicode scalar values (`error::Location`, `template::Pos`). This file
//! converts between them, and between `file:` URIs and paths. Nothing here knows prompts.

use std::path::{Path, PathBuf};

use lsp_types::{Position, PositionEncodingKind, Uri};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The encoding to use given what the client offers (`general.positionEncodings`): UTF-8
    /// when offered (no conversion of the crate's byte offsets), else UTF-16, which every client
    /// must support. UTF-32 is taken only when it is the one thing offered besides UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.first() == Some(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The byte offset where line `line` (from 0) starts, or `None` past the last line.
pub fn line_start(text: &str, line: u32) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    let mut seen = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return Some(i + 1);
            }
        }
    }
    None
}

/// The text of the line starting at byte `start`, without its line break.
fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    let line = rest.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

/// The byte offset of a protocol position. As the protocol asks, a character past the end of
/// its line means the line's end, and a line past the end of the text means the text's end; a
/// position inside a character (half of a UTF-16 surrogate pair) means the character's start.
pub fn offset_of(text: &str, pos: Position, enc: Encoding) -> usize {
    let Some(start) = line_start(text, pos.line) else {
        return text.len();
    };
    let line = line_at(text, start);
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let next = units + enc.units(c);
        if next > pos.character {
            return start + i;
        }
        units = next;
    }
    start + line.len()
}

/// The protocol position of byte offset `offset` (clamped to the text and to a character
/// boundary).
pub fn position_of(text: &str, offset: usize, enc: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[start..].chars().map(|c| enc.units(c)).sum();
    Position { line, character }
}

/// The protocol position of a 1-based line and 1-based column counted in characters (the
/// crate's `Location`), in `text`. A column past the line's end is the line's end.
pub fn position_of_location(text: &str, line: usize, column: usize, enc: Encoding) -> Position {
    let line0 = line.saturating_sub(1) as u32;
    let Some(start) = line_start(text, line0) else {
        return position_of(text, text.len(), enc);
    };
    let content = line_at(text, start);
    let character = content
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| enc.units(c))
        .sum();
    Position {
        line: line0,
        character,
    }
}

/// The 1-based line and 1-based character column of a protocol position.
pub fn location_of_position(text: &str, pos: Position, enc: Encoding) -> (usize, usize) {
    let offset = offset_of(text, pos, enc);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..offset].bytes().filter(|b| *b == b'\n').count() + 1,
        text[start..offset].chars().count() + 1,
    )
}

/// Characters kept as they are in a `file:` URI's path; everything else is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// The local path a `file:` URI names, or `None` for another scheme or a remote host.
pub fn path_of_uri(uri: &Uri) -> Option<PathBuf> {
    path_of_uri_str(uri.as_str())
}

fn path_of_uri_str(uri: &str) -> Option<PathBuf> {
    let rest = uri
        .strip_prefix("file://")
        .or_else(|| uri.strip_prefix("FILE://"))?;
    // `file:///p` (empty host) or `file://localhost/p`.
    let path = match rest.strip_prefix("localhost") {
        Some(p) if p.starts_with('/') => p,
        _ if rest.starts_with('/') => rest,
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes: Vec<u8> = percent_decode_str(path).collect();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let text = String::from_utf8(bytes).ok()?;
        // `/C:/dir` on Windows.
        let text = match text.as_bytes() {
            [b'/', d, b':', ..] if d.is_ascii_alphabetic() => text[1..].to_string(),
            _ => text,
        };
        Some(PathBuf::from(text))
    }
}

/// The `file:` URI of an absolute path.
pub fn uri_of_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", utf8_percent_encode(&text, PATH))
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn positions_count_utf16_units_by_default_and_bytes_when_agreed() {
        let text = "a😀b\né=x\r\nlast";
        // 😀 is two UTF-16 units, four bytes, one character.
        assert_eq!(offset_of(text, pos(0, 3), Encoding::Utf16), "a😀".len());
        assert_eq!(offset_of(text, pos(0, 5), Encoding::Utf8), "a😀".len());
        assert_eq!(offset_of(text, pos(0, 2), Encoding::Utf32), "a😀".len());
        // Inside the surrogate pair: the character's start.
        assert_eq!(offset_of(text, pos(0, 2), Encoding::Utf16), 1);
        // Past the line's end: the line's end (before `\r\n`); past the text: its end.
        assert_eq!(
            offset_of(text, pos(1, 99), Encoding::Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(offset_of(text, pos(9, 0), Encoding::Utf16), text.len());
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            // Every offset but those inside a line break (`\r` of `\r\n`) is addressable.
            for (offset, _) in text
                .char_indices()
                .filter(|(_, c)| !matches!(c, '\r' | '\n'))
            {
                assert_eq!(offset_of(text, position_of(text, offset, enc), enc), offset);
            }
        }
        assert_eq!(
            position_of(text, text.find('b').unwrap(), Encoding::Utf16),
            pos(0, 3)
        );
    }

    #[test]
    fn locations_convert_from_characters() {
        let text = "x: 😀😀 {{y}}\n";
        // Column 7 (characters) is `{`, after two 2-unit characters.
        let p = position_of_location(text, 1, 7, Encoding::Utf16);
        assert_eq!(p, pos(0, 8));
        assert_eq!(location_of_position(text, p, Encoding::Utf16), (1, 7));
        assert_eq!(
            position_of_location(text, 1, 7, Encoding::Utf8).character,
            12
        );
        assert_eq!(position_of_location(text, 5, 1, Encoding::Utf16), pos(1, 0));
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF32, K::UTF16])),
            Encoding::Utf32
        );
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16])), Encoding::Utf16);
    }

    #[test]
    fn file_uris_round_trip_with_percent_encoding() {
        let path = Path::new("/tmp/a b/ü#1.prompt.yaml");
        let uri = uri_of_path(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BC%231.prompt.yaml");
        assert_eq!(path_of_uri(&uri).unwrap(), path);
        assert_eq!(
            path_of_uri_str("file://localhost/x/y").unwrap(),
            Path::new("/x/y")
        );
        assert_eq!(path_of_uri_str("untitled:Untitled-1"), None);
        assert_eq!(path_of_uri_str("file://server/share"), None);
    }
}
