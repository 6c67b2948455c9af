//! The history cache: which commits of `HEAD`'s first-parent history changed which prompt files,
//! kept in `.git/prompt-history-v1` so that `log`, `list` and `env` need not walk history again.
//!
//! Keyed by the tip commit it was built for. When `HEAD` moves forward, only the new commits are
//! walked and the cache is extended; when the tip is not found (a reset, a rebase) it is rebuilt.
//! It is never needed for correctness: a missing, stale, foreign or corrupt file is ignored and
//! rewritten, `PROMPT_NO_CACHE=1` bypasses it, and a test proves results are the same either way.
//! Writes go to a temporary file renamed into place, so concurrent processes never read half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use super::history::{registry_history, Touched};
use crate::error::Error;

const HEADER: &str = "prompt-history-v1";

fn file(repo: &Repository) -> PathBuf {
    repo.path().join(HEADER)
}

/// Whether the cache is bypassed (`PROMPT_NO_CACHE` set to anything but `0` or empty).
fn disabled() -> bool {
    std::env::var_os("PROMPT_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether a cache file is there (it may still be stale or foreign: `history` checks).
pub(crate) fn exists(repo: &Repository) -> bool {
    file(repo).exists()
}

/// The registry history from `head`, newest first, through the cache.
pub(crate) fn history(repo: &Repository, head: Oid, root: &str) -> Result<Vec<Touched>, Error> {
    if disabled() {
        return Ok(registry_history(repo, head, root, None)?.0);
    }
    let cached = load(&file(repo), root);
    let tip = cached.as_ref().map(|(tip, _)| *tip);
    let (mut entries, stopped) = registry_history(repo, head, root, tip)?;
    if stopped {
        if let Some((_, older)) = cached {
            entries.extend(older);
        }
    }
    if tip != Some(head) {
        // A cache that cannot be written (read-only repository) only costs speed.
        let _ = save(&file(repo), root, head, &entries);
    }
    Ok(entries)
}

/// Reads the cache for `root`; `None` when missing, for another root, or unreadable.
fn load(path: &Path, root: &str) -> Option<(Oid, Vec<Touched>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.split('\n');
    if lines.next()? != HEADER || lines.next()?.strip_prefix("root\t")? != root {
        return None;
    }
    let tip = Oid::from_str(lines.next()?.strip_prefix("tip\t")?).ok()?;
    let mut entries: Vec<Touched> = Vec::new();
    let mut complete = false;
    for line in lines {
        let mut fields = line.splitn(3, '\t');
        match (fields.next()?, fields.next(), fields.next()) {
            ("C", Some(commit), moved) => entries.push(Touched {
                commit: Oid::from_str(commit).ok()?,
                files: Vec::new(),
                removed: Vec::new(),
                moved_from: moved.filter(|m| !m.is_empty()).map(str::to_string),
            }),
            ("+", Some(blob), Some(path)) => entries
                .last_mut()?
                .files
                .push((path.to_string(), Oid::from_str(blob).ok()?)),
            ("-", Some(path), None) => entries.last_mut()?.removed.push(path.to_string()),
            ("end", None, None) => complete = true,
            ("", None, None) => {}
            _ => return None,
        }
    }
    // A file cut short (a crash mid-write of an old version) is not trusted.
    complete.then_some((tip, entries))
}

fn save(path: &Path, root: &str, tip: Oid, entries: &[Touched]) -> std::io::Result<()> {
    let clean = |s: &str| !s.contains(['\t', '\n']);
    if !clean(root)
        || entries.iter().any(|t| {
            t.files.iter().any(|(f, _)| !clean(f))
                || t.removed.iter().any(|f| !clean(f))
                || t.moved_from.as_deref().is_some_and(|m| !clean(m))
        })
    {
        // Names the line format cannot hold: go without a cache rather than a wrong one.
        return Ok(());
    }
    let mut text = format!("{HEADER}\nroot\t{root}\ntip\t{tip}\n");
    for t in entries {
        text.push_str(&format!(
            "C\t{}\t{}\n",
            t.commit,
            t.moved_from.as_deref().unwrap_or("")
        ));
        for (f, blob) in &t.files {
            text.push_str(&format!("+\t{blob}\t{f}\n"));
        }
        for f in &t.removed {
            text.push_str(&format!("-\t{f}\n"));
        }
    }
    text.push_str("end\n");
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    drop(f);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let oid = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let entries = vec![
            Touched {
                commit: oid(1),
                files: vec![("a.prompt.yaml".into(), oid(2))],
                removed: vec!["b.prompt.yaml".into()],
                moved_from: Some("old/a".into()),
            },
            Touched {
                commit: oid(3),
                files: vec![
                    ("b.prompt.yaml".into(), oid(4)),
                    ("c d.prompt.yaml".into(), oid(5)),
                ],
                removed: vec![],
                moved_from: None,
            },
        ];
        save(&path, "prompts", oid(9), &entries).unwrap();
        let (tip, back) = load(&path, "prompts").unwrap();
        assert_eq!(tip, oid(9));
        assert_eq!(back, entries);
        assert!(load(&path, "other-root").is_none());
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() - 10]).unwrap();
        assert!(
            load(&path, "prompts").is_none(),
            "a truncated file is ignored"
        );
        std::fs::write(&path, "garbage\n").unwrap();
        assert!(load(&path, "prompts").is_none());
    }
}
