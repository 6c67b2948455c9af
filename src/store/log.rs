//! The versions of one prompt (`log ID`) and the numbered history of the whole registry (`log`),
//! built on the walks in `history` and the cache in `cache`.

use std::collections::HashMap;

use git2::Oid;

use super::{cache, git, history, CommitId, CommitInfo, Registry, RegistryCommit, Rev, Version};
use crate::error::Error;
use crate::model::includes::included_ids;
use crate::model::PromptId;

/// One commit of the prompt history, with files under their names at `HEAD`.
pub(super) struct HistoryEntry {
    pub(super) commit: Oid,
    pub(super) info: history::Info,
    /// Prompt files that got a version.
    pub(super) files: Vec<String>,
    /// Prompt files removed (a move's old name is not counted here).
    pub(super) removed: Vec<String>,
    /// Moves: old file, new file.
    pub(super) moves: Vec<(String, String)>,
    /// Files whose version came through an include: file, included file.
    pub(super) through: Vec<(String, String)>,
}

impl Registry {
    /// The versions of a prompt on the release line, oldest first (from the history cache).
    /// In a shallow clone whose release line is cut short: `Error::ShallowHistory`.
    pub fn versions(&self, id: &PromptId) -> Result<Vec<Version>, Error> {
        let raw = self.release_raw_versions(id)?;
        self.numbered(raw)
    }

    pub(super) fn numbered(&self, raw: Vec<history::RawVersion>) -> Result<Vec<Version>, Error> {
        let count = raw.len();
        let mailmap = self.mailmap();
        let mut out = raw
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let info = mapped(mailmap.as_ref(), v.info.resolve(&self.repo, v.commit)?);
                Ok(Version::new(v.commit, v.blob, count - i, info))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        out.reverse();
        Ok(out)
    }

    /// The versions of `id` from `start`, newest first, following `prompt mv` renames.
    pub(crate) fn raw_versions(
        &self,
        start: CommitId,
        id: &PromptId,
    ) -> Result<Vec<history::RawVersion>, Error> {
        history::file_versions(&self.repo, start.0, &self.config.root, &id.file_name())
    }

    /// Whether the removal found by `removal` was a move: on the release line, as the one decision
    /// found it (also a move a merge commit or a squash brought); elsewhere, by the commit's
    /// `Prompt-Moved-From` trailer.
    pub fn moved_away(&self, id: &PromptId, removal: &Version) -> bool {
        let file = id.file_name();
        if let Ok(Some(tip)) = self.release_tip() {
            if let Ok(entries) = cache::history(&self.repo, tip.0, &self.config.root) {
                if let Some(t) = entries.iter().find(|t| t.commit == removal.commit.0) {
                    return t.moves.iter().any(|m| m.from == file);
                }
            }
        }
        super::steps::moved_from_all(&removal.info.message).any(|m| m == id.as_str())
    }

    /// When the prompt is absent at `HEAD` but was committed before: the commit that removed it
    /// (walking back only until then).
    pub fn removal(&self, id: &PromptId) -> Result<Option<Version>, Error> {
        let Some(head) = self.head()? else {
            return Ok(None);
        };
        let path = self.path_of(id);
        let mut commit = self
            .repo
            .find_commit(head.0)
            .map_err(git("reading a commit"))?;
        let has = |c: &git2::Commit| -> bool {
            c.tree().is_ok_and(|t| {
                super::trees::first_at(&self.repo, t, &path).is_ok_and(|e| e.is_some())
            })
        };
        if has(&commit) {
            return Ok(None);
        }
        while let Ok(parent) = commit.parent(0) {
            if has(&parent) {
                return Ok(Some(self.version_of(&commit, 0)));
            }
            commit = parent;
        }
        Ok(None)
    }

    /// The registry's history on the release line, newest first: each commit that changed
    /// prompt files, with the files (relative to the root) and the version each became.
    pub fn history(&self) -> Result<Vec<RegistryCommit>, Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok(Vec::new());
        };
        let raw = self.prompt_history(tip)?;
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for entry in &raw {
            for f in &entry.files {
                *remaining.entry(f.as_str()).or_default() += 1;
            }
        }
        let mut out = Vec::with_capacity(raw.len());
        let mailmap = self.mailmap();
        for entry in &raw {
            let changes = entry
                .files
                .iter()
                .map(|f| {
                    let n = remaining.get_mut(f.as_str()).expect("counted above");
                    *n -= 1;
                    (f.clone(), *n + 1)
                })
                .collect::<Vec<_>>();
            if changes.is_empty() && entry.moves.is_empty() && entry.removed.is_empty() {
                continue;
            }
            out.push(RegistryCommit {
                commit: CommitId(entry.commit),
                info: mapped(
                    mailmap.as_ref(),
                    entry.info.clone().resolve(&self.repo, entry.commit)?,
                ),
                changes,
                removed: entry.removed.clone(),
                moves: entry.moves.clone(),
                through: entry.through.clone(),
            });
        }
        Ok(out)
    }

    /// For every prompt file (relative to the root, under its name at the release line's tip), its
    /// version commits, oldest first.
    pub fn version_index(&self) -> Result<HashMap<String, Vec<CommitId>>, Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok(HashMap::new());
        };
        let mut index: HashMap<String, Vec<CommitId>> = HashMap::new();
        for entry in self.prompt_history(tip)? {
            for f in entry.files {
                index.entry(f).or_default().push(CommitId(entry.commit));
            }
        }
        for commits in index.values_mut() {
            commits.reverse();
        }
        Ok(index)
    }

    /// The commits that made prompt versions, newest first: each with the prompt files (under the
    /// names they have at `head`, following `prompt mv`) that got a version, and the moves it made
    /// (old file, new file). A pure move is not a version.
    pub(super) fn prompt_history(&self, head: CommitId) -> Result<Vec<HistoryEntry>, Error> {
        let raw = cache::history(&self.repo, head.0, &self.config.root)?;
        Ok(entries_of(&raw))
    }

    /// For a version of `id` where its own file did not change: the prompts it includes (directly
    /// or through others, as of that commit) whose files the commit changed, through which the
    /// version came. Empty for a version that changed the prompt's own file.
    pub fn changed_includes(
        &self,
        id: &PromptId,
        version: &Version,
    ) -> Result<Vec<PromptId>, Error> {
        let at = Rev::Commit(version.commit);
        let Some(own) = self.read(at, id)? else {
            return Ok(Vec::new());
        };
        let names = included_ids(&own);
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let commit = self
            .repo
            .find_commit(version.commit.0)
            .map_err(git("reading a commit"))?;
        let Ok(parent) = commit.parent_id(0).map(|p| Rev::Commit(CommitId(p))) else {
            return Ok(Vec::new());
        };
        if self.read(parent, id)?.as_ref() == Some(&own) {
            let mut seen: Vec<PromptId> = vec![id.clone()];
            let mut queue: Vec<String> = names;
            let mut changed = Vec::new();
            while let Some(name) = queue.pop() {
                let Ok(included) = PromptId::parse(&name) else {
                    continue;
                };
                if seen.contains(&included) {
                    continue;
                }
                seen.push(included.clone());
                let now = self.read(at, &included)?;
                if now != self.read(parent, &included)? {
                    changed.push(included);
                }
                if let Some(bytes) = now {
                    queue.extend(included_ids(&bytes));
                }
            }
            changed.sort();
            return Ok(changed);
        }
        Ok(Vec::new())
    }

    pub(super) fn version_of(&self, c: &git2::Commit, number: usize) -> Version {
        let info = mapped(self.mailmap().as_ref(), super::CommitInfo::of(c));
        Version::new(c.id(), Oid::ZERO_SHA1, number, info)
    }

    /// The mailmap `git log` applies (`.mailmap`, `mailmap.file`, `mailmap.blob`), unless
    /// `log.mailmap` is false. The history cache keeps the names as the commits have them, so a
    /// changed mailmap shows at once.
    pub(super) fn mailmap(&self) -> Option<git2::Mailmap> {
        let config = self.repo.config().ok()?;
        if !config.get_bool("log.mailmap").unwrap_or(true) {
            return None;
        }
        self.repo.mailmap().ok()
    }
}

/// What each commit of a history (newest first, as `history::registry_history` gives it) did to
/// the prompt files, by the one decision (`steps::decide`), with files under their names at the
/// newest commit (following moves made later in the history).
pub(super) fn entries_of(raw: &[history::Touched]) -> Vec<HistoryEntry> {
    // Older names of files, mapped to their names at the newest commit.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for t in raw {
        let decision = t.decision();
        let current = |f: &str| alias.get(f).cloned().unwrap_or_else(|| f.to_string());
        let files: Vec<String> = decision.versions.iter().map(|(f, _)| current(f)).collect();
        let removed: Vec<String> = decision.removed.iter().map(|f| current(f)).collect();
        let moves: Vec<(String, String)> = decision
            .moves
            .iter()
            .map(|m| (m.from.clone(), current(&m.to)))
            .collect();
        let through = decision
            .via
            .iter()
            .map(|(f, via)| (current(f), current(via)))
            .collect();
        for (from, to) in &moves {
            alias.insert(from.clone(), to.clone());
        }
        out.push(HistoryEntry {
            commit: t.commit,
            info: t.info.clone(),
            files,
            removed,
            moves,
            through,
        });
    }
    out
}

/// `info` with the author's name and email as the mailmap maps them.
pub(super) fn mapped(mailmap: Option<&git2::Mailmap>, info: CommitInfo) -> CommitInfo {
    let Some(mailmap) = mailmap else {
        return info;
    };
    let when = git2::Time::new(info.time, info.offset_minutes);
    let Ok(signature) = git2::Signature::new(&info.author, &info.email, &when) else {
        return info;
    };
    match mailmap.resolve_signature(&signature) {
        Ok(real) => CommitInfo {
            author: String::from_utf8_lossy(real.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(real.email_bytes()).into_owned(),
            ..info
        },
        Err(_) => info,
    }
}
