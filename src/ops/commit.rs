//! `commit`: which changed prompts a commit takes, whether they may be committed, and what each
//! became once the commit is made (a numbered version, a draft, a removal).

use std::collections::BTreeSet;

use crate::check::{self, Diagnostic, Severity};
use crate::model::{PromptId, PROMPT_EXT};
use crate::store::{Change, ChangeKind, Committed, Registry, Rev, VersionOrDraft};
use crate::Error;

/// The changed prompts a commit would take.
#[derive(Debug)]
pub struct Selection {
    /// Changed prompt files, in the order the working-tree walk gives them.
    pub changes: Vec<Change>,
    /// Prompts named on the command line that have no change to commit.
    pub unchanged: Vec<PromptId>,
}

/// The prompt files that differ from `HEAD`, restricted to `ids` when some are named. A named
/// prompt that neither changed nor exists is an error; one that exists unchanged is listed in
/// [`Selection::unchanged`].
pub fn select(reg: &Registry, ids: &[PromptId]) -> Result<Selection, Error> {
    let mut changes = reg.changes()?;
    let mut unchanged = Vec::new();
    if !ids.is_empty() {
        let wanted: Vec<String> = ids.iter().map(PromptId::file_name).collect();
        for (id, file) in ids.iter().zip(&wanted) {
            if !changes.iter().any(|c| &c.file == file) {
                if reg.read(Rev::WorkingTree, id)?.is_none() {
                    return Err(reg.not_found(id, Rev::WorkingTree));
                }
                unchanged.push(id.clone());
            }
        }
        changes.retain(|c| wanted.contains(&c.file));
    }
    Ok(Selection { changes, unchanged })
}

/// The id a change is about (its file name without the extension), for labels and sorting:
/// `triage` sorts before `triage-v2`, which file names would not give (`-` sorts before `.`).
pub fn change_id(change: &Change) -> &str {
    change.file.trim_end_matches(PROMPT_EXT)
}

/// Sorts changes by id, as a picker lists them.
pub fn sort_by_id(changes: &mut [Change]) {
    changes.sort_by(|a, b| change_id(a).cmp(change_id(b)));
}

/// Why a commit is refused before anything is written: the errors found in the files it would
/// commit (warnings do not refuse).
#[derive(Debug)]
pub struct Refusal {
    /// The error diagnostics, in file order.
    pub errors: Vec<Diagnostic>,
    /// The error to report: how many files are invalid.
    pub error: Error,
}

/// Checks every changed file that is not deleted, as `prompt check` would; `Err` with the error
/// diagnostics when any file has an error.
pub fn validate(
    reg: &Registry,
    changes: &[Change],
    allow_secrets: &[String],
) -> Result<Result<(), Refusal>, Error> {
    let files: Vec<String> = changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Deleted)
        .map(|c| c.file.clone())
        .collect();
    let diagnostics = super::check::check_files(reg, Rev::WorkingTree, &files, allow_secrets)?;
    if check::counts(&diagnostics).0 == 0 {
        return Ok(Ok(()));
    }
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let count = errors
        .iter()
        .map(|d| d.file.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    Ok(Err(Refusal {
        errors,
        error: Error::Invalid { count },
    }))
}

/// What one committed prompt became.
#[derive(Debug)]
pub enum Outcome {
    /// The prompt was removed.
    Removed,
    /// A numbered version on the release line.
    Version(usize),
    /// A prompt the commit did not change that got a numbered version through a prompt it
    /// includes (contract §4): the version, and the included prompt that changed.
    Through(usize, PromptId),
    /// A draft off the release line, on this branch (`None`: no branch, a detached `HEAD`).
    Draft { branch: Option<String> },
    /// Committed, but the prompt has no history to place it in (not expected; reported plainly).
    Committed,
    /// Committed, but the number cannot be known here (a shallow clone, no release line): the
    /// error says why and how to fix it.
    NumberUnknown(Error),
}

/// Each prompt the commit holds, with what it became. Only what this commit holds: a change
/// another process committed first is not claimed.
pub fn outcomes(reg: &Registry, committed: &Committed) -> Result<Vec<(PromptId, Outcome)>, Error> {
    let mut out = Vec::new();
    for change in &committed.changes {
        let Some(id) = PromptId::from_file_name(&change.file) else {
            continue;
        };
        let outcome = match change.kind {
            ChangeKind::Deleted => Outcome::Removed,
            _ => match reg.state_at(&id, committed.commit) {
                Ok(Some(VersionOrDraft::Version(v))) => Outcome::Version(v.number),
                Ok(Some(VersionOrDraft::Draft(d))) => Outcome::Draft { branch: d.branch },
                Ok(None) => Outcome::Committed,
                Err(e @ (Error::ShallowHistory { .. } | Error::NoReleaseLine { .. })) => {
                    Outcome::NumberUnknown(e)
                }
                Err(e) => return Err(e),
            },
        };
        out.push((id, outcome));
    }
    // The prompts that include a changed one got versions too, when the commit is on the line.
    // (A draft's includers are drafts too: nothing to number, and no files to read.)
    let changed: Vec<PromptId> = out
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Version(_) | Outcome::Removed))
        .map(|(id, _)| id.clone())
        .collect();
    for id in &changed {
        let rev = crate::store::Rev::Commit(committed.commit);
        for includer in crate::partials::includers(reg, rev, id)? {
            let Ok(includer) = PromptId::parse(&includer.id) else {
                continue;
            };
            if out.iter().any(|(o, _)| *o == includer) {
                continue;
            }
            if let Ok(Some(VersionOrDraft::Version(v))) = reg.state_at(&includer, committed.commit)
            {
                if v.commit == committed.commit {
                    out.push((includer, Outcome::Through(v.number, id.clone())));
                }
            }
        }
    }
    Ok(out)
}

/// A commit message as given (`-m` paragraphs or an editor's text): trimmed and ending in one
/// newline; `None` when it is empty, which aborts the commit as in git.
pub fn message(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| format!("{text}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{commit, registry, write};

    const GOOD: &str = "format: 1\ntemplate: Hello\n";
    const BAD: &str = "format: 1\ntemplate: |\n  {{#open}}\n";

    #[test]
    fn a_selection_keeps_named_changes_and_lists_unchanged_ones() {
        let (dir, _) = registry();
        write(dir.path(), "a", GOOD);
        write(dir.path(), "b", GOOD);
        commit(dir.path(), "both");
        write(dir.path(), "a", "format: 1\ntemplate: Hi\n");
        write(dir.path(), "c", GOOD);
        let reg = Registry::open(dir.path()).unwrap();

        let all = select(&reg, &[]).unwrap();
        let files: Vec<&str> = all.changes.iter().map(|c| c.file.as_str()).collect();
        assert_eq!(files, ["a.prompt.yaml", "c.prompt.yaml"]);
        assert!(all.unchanged.is_empty());

        let ids = [PromptId::parse("a").unwrap(), PromptId::parse("b").unwrap()];
        let some = select(&reg, &ids).unwrap();
        assert_eq!(some.changes.len(), 1);
        assert_eq!(change_id(&some.changes[0]), "a");
        assert_eq!(some.unchanged, [PromptId::parse("b").unwrap()]);

        let missing = select(&reg, &[PromptId::parse("nope").unwrap()]).unwrap_err();
        assert!(missing.to_string().contains("nope"), "{missing}");
    }

    #[test]
    fn picking_order_is_by_id_not_by_file_name() {
        let (dir, reg) = registry();
        write(dir.path(), "triage-v2", GOOD);
        write(dir.path(), "triage", GOOD);
        let mut changes = select(&reg, &[]).unwrap().changes;
        sort_by_id(&mut changes);
        let ids: Vec<&str> = changes.iter().map(change_id).collect();
        assert_eq!(ids, ["triage", "triage-v2"]);
    }

    #[test]
    fn validation_refuses_with_the_errors_and_the_number_of_invalid_files() {
        let (dir, reg) = registry();
        write(dir.path(), "good", GOOD);
        write(dir.path(), "bad", BAD);
        write(dir.path(), "worse", "format: 1\ntemplate: [\n");
        let changes = select(&reg, &[]).unwrap().changes;
        let refusal = validate(&reg, &changes, &[]).unwrap().unwrap_err();
        assert!(matches!(refusal.error, Error::Invalid { count: 2 }));
        assert!(refusal.errors.len() >= 2);
        assert!(refusal.errors.iter().all(|d| d.severity == Severity::Error));

        let only_good: Vec<Change> = changes
            .into_iter()
            .filter(|c| c.file == "good.prompt.yaml")
            .collect();
        assert!(validate(&reg, &only_good, &[]).unwrap().is_ok());
    }

    #[test]
    fn outcomes_name_versions_and_removals() {
        let (dir, _) = registry();
        write(dir.path(), "a", GOOD);
        write(dir.path(), "gone", GOOD);
        commit(dir.path(), "first");
        write(dir.path(), "a", "format: 1\ntemplate: Hi\n");
        crate::ops::testing::remove(dir.path(), "gone");
        let reg = Registry::open(dir.path()).unwrap();
        let changes = select(&reg, &[]).unwrap().changes;
        // Committed with git (the library's own commit would look for an identity in the
        // user's configuration); the outcome only reads what the commit holds.
        commit(dir.path(), "second");
        let committed = Committed {
            commit: reg.head().unwrap().unwrap(),
            changes,
            warnings: Vec::new(),
        };
        let outcomes = outcomes(&reg, &committed).unwrap();
        let shown: Vec<String> = outcomes
            .iter()
            .map(|(id, o)| format!("{id} {o:?}"))
            .collect();
        assert_eq!(shown, ["a Version(2)", "gone Removed"]);
    }

    #[test]
    fn messages_are_trimmed_and_empty_ones_abort() {
        assert_eq!(message("  Fix tone \n\n").as_deref(), Some("Fix tone\n"));
        assert_eq!(message("a\n\nb").as_deref(), Some("a\n\nb\n"));
        assert_eq!(message(" \n\t"), None);
    }
}
