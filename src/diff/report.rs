//! Diffs of whole prompts as the `diff` command reports them: which prompt, which versions on each
//! side, added / removed / renamed / modified, and the semantic (or rendered, or raw) diff; and the
//! pairing of the prompt files of two revisions, with renames detected by content.
//!
//! Pure: ids, side descriptions and file bytes come in from the CLI (which reads them through the
//! store); nothing here touches git or prints. `format` turns a `Report` into text or markdown.
//!
//! # JSON shape (`prompt diff --format json`)
//!
//! Every key is always present (`null` when it does not apply), except `segments` of a line and
//! `old`/`new` of a field change, which are left out when empty or unset.
//!
//! ```text
//! { "range": null | {"old": REV, "new": REV, "old_commit": HEX, "new_commit": HEX,
//!                    "merge_base": BOOL},
//!   "prompts": [ENTRY…] }                         // empty when the sides are identical
//! ENTRY   = { "id": ID, "old_id": ID | null,      // old_id: renamed, or two prompts compared
//!             "change": "added" | "removed" | "modified" | "renamed",
//!             "old": SIDE | null, "new": SIDE | null,
//!             "breaking": [SENTENCE…], "formatting_only": BOOL,
//!             "diff": DIFF | null,                // null when a side could not be parsed
//!             "rendered": LINES | null,           // with --rendered
//!             "unparsed": null | {"error": TEXT, "lines": LINES} }
//! SIDE    = { "reference": REF, "version": N | null, "commit": HEX | null (working tree),
//!             "environment": ENV | null }
//! DIFF    = { "change": "added" | "removed" | "modified" | "unchanged" (formatting only),
//!             "fields": [FIELD…], "messages": [MESSAGE…], "template": LINES | null,
//!             "inputs": [INPUT…], "tools": [TOOL…], "breaking": [SENTENCE…],
//!             "examples": null | {"old_count", "new_count", "added", "removed", "changed"},
//!             "samples": null | {"added": [NAME…], "removed": [NAME…], "changed": [NAME…]} }
//! FIELD   = { "path": "model.params.temperature", "old"?: VALUE, "new"?: VALUE }
//! MESSAGE = { "change", "old_index": N | null, "new_index": N | null, "role": ROLE | "history",
//!             "fields": [FIELD…], "text": LINES | null }
//! INPUT   = { "name", "change", "old": SPEC | null, "new": SPEC | null, "fields": [FIELD…],
//!             "breaking": BOOL }
//! SPEC    = { "type", "required": BOOL, "default"?, "enum"?, "description"? }
//! TOOL    = { "name", "change", "fields": [FIELD…] }     // paths inside the tool
//! LINES   = { "hunks": [{"old_start", "old_lines", "new_start", "new_lines",
//!                        "lines": [{"tag": "context" | "removed" | "added", "text": TEXT,
//!                                   "segments"?: [{"text": TEXT, "changed": BOOL}…]}…]}…],
//!             "newline_only"?: true }
//! ```

use serde::Serialize;
use similar::TextDiff;

use super::{diff, lines::diff_lines, Change, LineDiff, PromptDiff};
use crate::model::load;

/// Everything `prompt diff` found, in the JSON shape documented above.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The revisions compared, for `diff REV..REV` / `REV...REV`; null for references.
    pub range: Option<Range>,
    /// The prompts that differ, by id.
    pub prompts: Vec<Entry>,
}

/// The two revisions of a range diff.
#[derive(Debug, Clone, Serialize)]
pub struct Range {
    /// As given (`origin/main`), or `HEAD` for an empty side.
    pub old: String,
    pub new: String,
    pub old_commit: String,
    pub new_commit: String,
    /// True for `A...B`: the old side is the merge base of A and B.
    pub merge_base: bool,
}

/// One side of a compared prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// A reference that names this state: `support/summarize@3`, `support/summarize@abc1234`, or
    /// `support/summarize` for the working tree.
    pub reference: String,
    /// The version number, when this state is (or follows) a committed version.
    pub version: Option<usize>,
    /// The full commit id, or null for the working tree.
    pub commit: Option<String>,
    /// The environment the reference named, if any.
    pub environment: Option<String>,
}

impl Side {
    /// How headers and tables name this side: `@3`, `production @3`, `abc1234`, `working tree`.
    pub fn label(&self) -> String {
        let base = match (&self.commit, self.version) {
            (None, _) => "working tree".to_string(),
            (Some(_), Some(v)) => format!("@{v}"),
            (Some(c), None) => c.chars().take(7).collect(),
        };
        match &self.environment {
            Some(env) => format!("{env} {base}"),
            None => base,
        }
    }
}

/// A prompt file that could not be read as a prompt on one side: its lines are compared instead.
#[derive(Debug, Clone, Serialize)]
pub struct Unparsed {
    /// The first parse error, naming the side.
    pub error: String,
    /// The line diff of the two files.
    pub lines: LineDiff,
}

/// One prompt that differs between the two sides.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The prompt's id on the new side (the old side for a removed prompt).
    pub id: String,
    /// The id on the old side when it differs (a rename, or two prompts compared).
    pub old_id: Option<String>,
    /// `added`, `removed`, `modified` or `renamed`.
    pub change: Change,
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// Why callers may fail, one sentence each.
    pub breaking: Vec<String>,
    /// The files differ but mean the same prompt (comments, quoting, key order).
    pub formatting_only: bool,
    /// The semantic diff; null when a side could not be parsed.
    pub diff: Option<PromptDiff>,
    /// With `--rendered`: the line diff of the rendered text.
    pub rendered: Option<LineDiff>,
    /// When a side could not be parsed: the error and the files' line diff.
    pub unparsed: Option<Unparsed>,
}

/// A state of a prompt to compare: where it comes from, and its file's bytes.
#[derive(Debug, Clone)]
pub struct Source {
    pub side: Side,
    /// How errors name the file, e.g. `prompts/a.prompt.yaml@abc1234`.
    pub file: String,
    pub bytes: Vec<u8>,
}

impl Entry {
    /// Compares two states of a prompt (`None`: it does not exist on that side). Returns `None`
    /// when the files are identical and the id is the same. `renamed` reports a changed id as a
    /// rename (range diffs); otherwise two different prompts are simply compared.
    pub fn compare(
        id: &str,
        old_id: Option<&str>,
        renamed: bool,
        old: Option<&Source>,
        new: Option<&Source>,
    ) -> Option<Entry> {
        if old_id.is_none_or(|o| o == id) {
            if let (Some(a), Some(b)) = (old, new) {
                if a.bytes == b.bytes {
                    return None;
                }
            }
        }
        Some(Entry::of_files(id, old_id, renamed, old, new))
    }

    /// The entry of two states of a prompt even when their files are the same bytes: rendered
    /// (`--rendered`), they can still differ through the prompts they include (contract §4).
    pub fn of_files(
        id: &str,
        old_id: Option<&str>,
        renamed: bool,
        old: Option<&Source>,
        new: Option<&Source>,
    ) -> Entry {
        let old_id = old_id.filter(|o| *o != id).map(str::to_string);
        let parse = |s: Option<&Source>| -> Result<Option<crate::model::Prompt>, String> {
            match s {
                None => Ok(None),
                Some(s) => load::parse_bytes(&s.bytes)
                    .map(|l| Some(l.prompt))
                    .map_err(|e| {
                        format!("{}:{}:{}: {}", s.file, e.at.line, e.at.column, e.message)
                    }),
            }
        };
        let change = match (old, new) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ if renamed && old_id.is_some() => Change::Renamed,
            _ => Change::Modified,
        };
        let mut entry = Entry {
            id: id.to_string(),
            old_id,
            change,
            old: old.map(|s| s.side.clone()),
            new: new.map(|s| s.side.clone()),
            breaking: Vec::new(),
            formatting_only: false,
            diff: None,
            rendered: None,
            unparsed: None,
        };
        match (parse(old), parse(new)) {
            (Ok(a), Ok(b)) => {
                let d = diff(a.as_ref(), b.as_ref());
                entry.breaking = d.breaking.clone();
                entry.formatting_only =
                    d.is_empty() && old.zip(new).is_some_and(|(a, b)| a.bytes != b.bytes);
                entry.diff = Some(d);
            }
            (Err(error), _) | (_, Err(error)) => {
                let text = |s: Option<&Source>| {
                    s.map(|s| String::from_utf8_lossy(&s.bytes).replace("\r\n", "\n"))
                        .unwrap_or_default()
                };
                entry.unparsed = Some(Unparsed {
                    error,
                    lines: diff_lines(&text(old), &text(new)),
                });
                if old.is_some() && new.is_none() {
                    entry.breaking =
                        vec!["the prompt was removed: references to it will fail".into()];
                }
            }
        }
        if change == Change::Renamed {
            let from = entry.old_id.as_deref().unwrap_or_default();
            entry.breaking.insert(
                0,
                format!("the prompt was renamed from `{from}`: references to `{from}` will fail"),
            );
        }
        entry
    }

    /// Adds the rendered-output diff (`--rendered`).
    pub fn with_rendered(mut self, old: &str, new: &str) -> Entry {
        self.rendered = Some(diff_lines(old, new));
        self
    }

    /// True when the entry reports nothing that differs (only possible with `--rendered` when
    /// both sides render the same text).
    pub fn is_empty(&self) -> bool {
        match &self.rendered {
            Some(r) => r.is_empty() && self.old_id.is_none(),
            None => false,
        }
    }
}

/// A pairing of one prompt file at the old revision with one at the new revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// Index into the old files, `None` for an added prompt.
    pub old: Option<usize>,
    /// Index into the new files, `None` for a removed prompt.
    pub new: Option<usize>,
}

/// Smallest share of equal lines for a removed and an added file to count as a rename.
pub const RENAME_SIMILARITY: f32 = 0.5;
/// Above this many removed × added candidates, only identical files are paired as renames.
const MAX_RENAME_CANDIDATES: usize = 10_000;

/// Pairs the files of two revisions (each a sorted list of `(id, bytes)`) into the ones that
/// differ: same id with different bytes, renamed (a removed and an added file at least half of
/// whose lines are equal, best matches first), added and removed. Identical files are left out.
/// The result is sorted by id (the new id for renames).
pub fn pair_files(old: &[(String, Vec<u8>)], new: &[(String, Vec<u8>)]) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for (i, (id, bytes)) in old.iter().enumerate() {
        match new.iter().position(|(n, _)| n == id) {
            Some(j) if new[j].1 == *bytes => {}
            Some(j) => out.push(Pair {
                old: Some(i),
                new: Some(j),
            }),
            None => removed.push(i),
        }
    }
    for (j, (id, _)) in new.iter().enumerate() {
        if !old.iter().any(|(o, _)| o == id) {
            added.push(j);
        }
    }
    let exact_only = removed.len() * added.len() > MAX_RENAME_CANDIDATES;
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for &i in &removed {
        for &j in &added {
            let (a, b) = (&old[i].1, &new[j].1);
            let score = if a == b {
                1.0
            } else if exact_only {
                0.0
            } else {
                let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
                TextDiff::from_lines(a.as_ref(), b.as_ref()).ratio()
            };
            if score >= RENAME_SIMILARITY {
                candidates.push((score, i, j));
            }
        }
    }
    // Best match first; ties by file order, so the result does not depend on hashing.
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut taken_old = Vec::new();
    let mut taken_new = Vec::new();
    for (_, i, j) in candidates {
        if taken_old.contains(&i) || taken_new.contains(&j) {
            continue;
        }
        taken_old.push(i);
        taken_new.push(j);
        out.push(Pair {
            old: Some(i),
            new: Some(j),
        });
    }
    for i in removed.into_iter().filter(|i| !taken_old.contains(i)) {
        out.push(Pair {
            old: Some(i),
            new: None,
        });
    }
    for j in added.into_iter().filter(|j| !taken_new.contains(j)) {
        out.push(Pair {
            old: None,
            new: Some(j),
        });
    }
    let id_of = |p: &Pair| match (p.new, p.old) {
        (Some(j), _) => new[j].0.clone(),
        (None, Some(i)) => old[i].0.clone(),
        (None, None) => String::new(),
    };
    out.sort_by_key(id_of);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(id, text)| (id.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    fn text(lines: usize, changed: usize) -> String {
        (0..lines)
            .map(|i| {
                if i < changed {
                    format!("changed {i}\n")
                } else {
                    format!("line {i}\n")
                }
            })
            .collect()
    }

    #[test]
    fn pairs_changes_renames_adds_and_removals() {
        let old = files(&[
            ("a", "same\n"),
            ("b", "old b\n"),
            ("gone", "nothing like it\n"),
            ("moved", &text(10, 0)),
        ]);
        let new = files(&[
            ("a", "same\n"),
            ("b", "new b\n"),
            ("fresh", "brand new\n"),
            ("moved-here", &text(10, 4)),
        ]);
        let pairs = pair_files(&old, &new);
        let named: Vec<(Option<&str>, Option<&str>)> = pairs
            .iter()
            .map(|p| {
                (
                    p.old.map(|i| old[i].0.as_str()),
                    p.new.map(|j| new[j].0.as_str()),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                (Some("b"), Some("b")),
                (None, Some("fresh")),
                (Some("gone"), None),
                (Some("moved"), Some("moved-here")),
            ]
        );
    }

    #[test]
    fn files_less_than_half_alike_are_not_renames() {
        let old = files(&[("x", &text(10, 0))]);
        let new = files(&[("y", &text(10, 6))]);
        assert_eq!(pair_files(&old, &new).len(), 2);
    }

    fn source(reference: &str, text: &str) -> Source {
        Source {
            side: Side {
                reference: reference.into(),
                version: Some(1),
                commit: Some("0123456789abcdef".into()),
                environment: None,
            },
            file: format!("prompts/{reference}.prompt.yaml"),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn identical_files_make_no_entry_and_reformatting_is_flagged() {
        let a = source("a", "format: 1\ntemplate: hi\n");
        assert!(Entry::compare("a", None, false, Some(&a), Some(&a)).is_none());
        let b = source("a", "format: 1\n# a comment\ntemplate: 'hi'\n");
        let e = Entry::compare("a", None, false, Some(&a), Some(&b)).unwrap();
        assert!(e.formatting_only);
        assert_eq!(e.change, Change::Modified);
    }

    #[test]
    fn renames_and_removals_are_breaking_and_unparsable_files_get_a_line_diff() {
        let a = source("a", "format: 1\ntemplate: hi\n");
        let e = Entry::compare("b", Some("a"), true, Some(&a), Some(&a)).unwrap();
        assert_eq!(e.change, Change::Renamed);
        assert!(
            e.breaking[0].contains("renamed from `a`"),
            "{:?}",
            e.breaking
        );
        let gone = Entry::compare("a", None, false, Some(&a), None).unwrap();
        assert_eq!(gone.change, Change::Removed);
        assert_eq!(gone.breaking.len(), 1);
        let broken = source("a", "format: 1\ntemplate: [\n");
        let e = Entry::compare("a", None, false, Some(&a), Some(&broken)).unwrap();
        let u = e.unparsed.unwrap();
        assert!(u.error.starts_with("prompts/a.prompt.yaml:"), "{}", u.error);
        assert!(!u.lines.is_empty());
    }

    #[test]
    fn labels_name_versions_environments_and_the_working_tree() {
        let mut s = source("a", "").side;
        assert_eq!(s.label(), "@1");
        s.environment = Some("production".into());
        assert_eq!(s.label(), "production @1");
        s.version = None;
        s.environment = None;
        assert_eq!(s.label(), "0123456");
        s.commit = None;
        assert_eq!(s.label(), "working tree");
    }
}
