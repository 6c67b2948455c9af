//! The open documents: the editor's unsaved text of each file, by URI, with its version.
//!
//! The client sends whole texts (`didOpen`) and then changes (`didChange`): whole replacements
//! or edits of a range, applied here in order. What the server reads for an open file is this
//! text, never the disk.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::text::{self, Encoding};

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    /// The client's version number, which diagnostics are published for.
    pub version: i32,
    pub text: String,
    /// The local file it is, for a `file:` URI.
    pub path: Option<PathBuf>,
}

/// Every open document by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Opens (or reopens) a document.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let path = text::path_of_uri(&uri);
        self.open.insert(
            uri.clone(),
            Document {
                uri,
                version,
                text,
                path,
            },
        );
    }

    /// Applies the changes of one `didChange`, in order. `false` when the document is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> bool {
        let Some(doc) = self.open.get_mut(uri) else {
            return false;
        };
        for change in changes {
            apply(&mut doc.text, change, enc);
        }
        doc.version = version;
        true
    }

    /// Closes a document; `false` when it was not open.
    pub fn close(&mut self, uri: &Uri) -> bool {
        self.open.remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn all(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }
}

/// Applies one change: a whole new text, or a replacement of a range.
pub fn apply(text: &mut String, change: TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let a = text::offset_of(text, range.start, enc);
            let b = text::offset_of(text, range.end, enc);
            let (a, b) = (a.min(b), a.max(b));
            text.replace_range(a..b, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: l0,
                    character: c0,
                },
                end: Position {
                    line: l1,
                    character: c1,
                },
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn range_edits_apply_in_order_in_utf16_units() {
        let mut text = "a😀b\nsecond\n".to_string();
        // Insert after the emoji (UTF-16 column 3), then replace "second" across lines.
        apply(&mut text, edit(0, 3, 0, 3, "X"), Encoding::Utf16);
        assert_eq!(text, "a😀Xb\nsecond\n");
        apply(&mut text, edit(0, 5, 1, 6, "!"), Encoding::Utf16);
        assert_eq!(text, "a😀Xb!\n");
        // A whole replacement.
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new".into(),
        };
        apply(&mut text, whole, Encoding::Utf16);
        assert_eq!(text, "new");
        // Reversed and out-of-range positions are clamped, never a panic.
        apply(&mut text, edit(9, 9, 0, 1, "-"), Encoding::Utf8);
        assert_eq!(text, "n-");
    }

    #[test]
    fn documents_open_change_close() {
        let mut docs = Documents::default();
        let uri: Uri = "file:///r/prompts/a.prompt.yaml".parse().unwrap();
        docs.open(uri.clone(), 1, "x".into());
        assert_eq!(
            docs.get(&uri).unwrap().path.as_deref(),
            Some(std::path::Path::new("/r/prompts/a.prompt.yaml"))
        );
        assert!(docs.change(&uri, 2, vec![edit(0, 1, 0, 1, "y")], Encoding::Utf16));
        assert_eq!(docs.get(&uri).unwrap().text, "xy");
        assert_eq!(docs.get(&uri).unwrap().version, 2);
        assert!(docs.close(&uri));
        assert!(!docs.close(&uri));
        assert!(!docs.change(&uri, 3, vec![], Encoding::Utf16));
    }
}
