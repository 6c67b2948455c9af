//! Line diffs of text (message contents, templates, rendered output) with the changed words of each
//! changed line marked, in hunks with up to three lines of context.
//!
//! Pure: strings in, a serializable `LineDiff` out. How marks look (colour, `[-…-]`) is decided by
//! `diff::report`.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

/// Unchanged lines shown around a change.
pub const CONTEXT: usize = 3;

/// The changed regions of a text, as unified-diff hunks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct LineDiff {
    pub hunks: Vec<Hunk>,
    /// True when the texts differ only in their final newline (the hunks then show the same text
    /// removed and added).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub newline_only: bool,
}

/// A run of changed lines with their context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    /// First old line shown, from 1 (0 when the old text is empty).
    pub old_start: usize,
    pub old_lines: usize,
    /// First new line shown, from 1 (0 when the new text is empty).
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<Line>,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub tag: LineTag,
    /// The line without its newline.
    pub text: String,
    /// For a changed line paired with its counterpart: the line cut into runs, `changed` marking
    /// the words that differ. Absent when the whole line changed or nothing finer is known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
}

/// Whether a line is context, only in the old text, or only in the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineTag {
    Context,
    Removed,
    Added,
}

/// A run of a changed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub changed: bool,
}

impl LineDiff {
    /// True when the texts are equal.
    pub fn is_empty(&self) -> bool {
        self.hunks.is_empty()
    }

    /// Lines removed and added, for summaries.
    pub fn counts(&self) -> (usize, usize) {
        let mut removed = 0;
        let mut added = 0;
        for line in self.hunks.iter().flat_map(|h| &h.lines) {
            match line.tag {
                LineTag::Removed => removed += 1,
                LineTag::Added => added += 1,
                LineTag::Context => {}
            }
        }
        (removed, added)
    }
}

/// The line diff of `old` and `new`, with changed words marked inside changed lines.
pub fn diff_lines(old: &str, new: &str) -> LineDiff {
    if old == new {
        return LineDiff::default();
    }
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_lines(old, new);
    let mut hunks = Vec::new();
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => LineTag::Context,
                    ChangeTag::Delete => LineTag::Removed,
                    ChangeTag::Insert => LineTag::Added,
                };
                let mut segments =
                    tighten(change.iter_strings_lossy().map(|(changed, text)| Segment {
                        text: text.strip_suffix('\n').unwrap_or(&text).to_string(),
                        changed,
                    }));
                let text: String = segments.iter().map(|s| s.text.as_str()).collect();
                let partial = segments.iter().any(|s| s.changed)
                    && segments
                        .iter()
                        .any(|s| !s.changed && !s.text.trim().is_empty());
                if !partial || tag == LineTag::Context {
                    segments.clear();
                }
                lines.push(Line {
                    tag,
                    text,
                    segments,
                });
            }
        }
        let start = |r: &std::ops::Range<usize>| if r.is_empty() { r.start } else { r.start + 1 };
        hunks.push(Hunk {
            old_start: start(&old_range),
            old_lines: old_range.len(),
            new_start: start(&new_range),
            new_lines: new_range.len(),
            lines,
        });
    }
    LineDiff {
        hunks,
        newline_only: old.trim_end_matches('\n') == new.trim_end_matches('\n'),
    }
}

/// Moves the spaces at either end of a changed run out of it (`{+calm+} `, not `{+calm +}`), and
/// joins neighbouring runs of the same kind.
fn tighten(segments: impl Iterator<Item = Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: &str, changed: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.changed == changed => last.text.push_str(text),
            _ => out.push(Segment {
                text: text.to_string(),
                changed,
            }),
        }
    };
    for s in segments {
        if !s.changed {
            push(&s.text, false);
            continue;
        }
        let core = s.text.trim();
        if core.is_empty() {
            push(&s.text, true);
            continue;
        }
        let start = s.text.len() - s.text.trim_start().len();
        push(&s.text[..start], false);
        push(core, true);
        push(&s.text[start + core.len()..], false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(changed: &str) -> String {
        (1..=20)
            .map(|i| {
                if i == 10 {
                    format!("{changed}\n")
                } else {
                    format!("Line {i} stays the same.\n")
                }
            })
            .collect()
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        assert!(diff_lines("a\nb\n", "a\nb\n").is_empty());
    }

    #[test]
    fn a_change_in_a_long_text_shows_three_lines_of_context_and_the_changed_word() {
        let d = diff_lines(
            &long("Answer in a terse tone."),
            &long("Answer in a warm tone."),
        );
        assert_eq!(d.hunks.len(), 1);
        let h = &d.hunks[0];
        assert_eq!(
            (h.old_start, h.old_lines, h.new_start, h.new_lines),
            (7, 7, 7, 7)
        );
        let tags: Vec<LineTag> = h.lines.iter().map(|l| l.tag).collect();
        use LineTag::*;
        assert_eq!(
            tags,
            [Context, Context, Context, Removed, Added, Context, Context, Context]
        );
        let removed = &h.lines[3];
        assert_eq!(removed.text, "Answer in a terse tone.");
        let changed: Vec<&str> = removed
            .segments
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(changed, ["terse"]);
        assert_eq!(d.counts(), (1, 1));
    }

    #[test]
    fn added_text_is_one_hunk_of_added_lines_without_word_marks() {
        let d = diff_lines("", "one\ntwo\n");
        assert_eq!(d.hunks.len(), 1);
        assert_eq!((d.hunks[0].old_start, d.hunks[0].new_start), (0, 1));
        assert!(d.hunks[0]
            .lines
            .iter()
            .all(|l| l.tag == LineTag::Added && l.segments.is_empty()));
    }

    #[test]
    fn a_final_newline_change_is_flagged() {
        let d = diff_lines("Be brief.", "Be brief.\n");
        assert!(d.newline_only);
        assert!(!d.is_empty());
    }
}
