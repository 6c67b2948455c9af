//! The states of one prompt file along a commit's first-parent history, newest first, following
//! `prompt mv` as version numbering does: what `blame` compares, field by field.

use std::collections::HashMap;

use super::{git, history, CommitId, CommitInfo, Registry, Rev};
use crate::error::Error;
use crate::model::PromptId;

/// What a commit that changed a prompt file is on the release line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Version N of the prompt.
    Version(usize),
    /// Off the release line: a draft.
    Draft,
    /// Numbers cannot be known here (a shallow clone, no release line).
    Unknown,
}

/// The prompt file as one commit left it.
#[derive(Debug, Clone)]
pub struct FileState {
    pub commit: CommitId,
    /// Author, date and message, with the mailmap applied as `git log` does.
    pub info: CommitInfo,
    pub standing: Standing,
    /// The file's bytes after that commit.
    pub bytes: Vec<u8>,
}

impl Registry {
    /// Every commit on `start`'s first-parent history that changed `id`'s file (a pure move is
    /// not a change; a move with edits is), newest first, each with the file it left.
    pub fn file_states(&self, start: CommitId, id: &PromptId) -> Result<Vec<FileState>, Error> {
        let raw = history::file_versions(&self.repo, start.0, &self.config.root, &id.file_name())?;
        let on_line = match self.release_raw_versions(id) {
            Ok(v) => Some(v),
            Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => None,
            Err(e) => return Err(e),
        };
        let mailmap = self.mailmap();
        let path = self.path_of(id);
        let mut out = Vec::with_capacity(raw.len());
        for v in raw {
            let standing = match &on_line {
                None => Standing::Unknown,
                Some(line) => match line.iter().position(|l| l.commit == v.commit) {
                    Some(i) => Standing::Version(line.len() - i),
                    None => Standing::Draft,
                },
            };
            let info = super::log::mapped(mailmap.as_ref(), v.info.resolve(&self.repo, v.commit)?);
            out.push(FileState {
                commit: CommitId(v.commit),
                info,
                standing,
                bytes: self.blob_bytes(v.blob, &path)?,
            });
        }
        Ok(out)
    }

    /// Whether `commit` is `ancestor` or has it in its history.
    pub fn contains(&self, commit: CommitId, ancestor: CommitId) -> bool {
        commit == ancestor
            || self
                .repo
                .graph_descendant_of(commit.0, ancestor.0)
                .unwrap_or(false)
    }

    /// The version numbers of `ids` at `commit`, in one pass, when `commit` is on the release
    /// line: for each, the newest version at or before it (`None` where the prompt is not in
    /// `commit`), which is what `number_at` answers one prompt at a time with a walk from
    /// `commit` back to the prompt's last change. `None` when `commit` is not on the release line
    /// or numbers cannot be known here (a shallow clone): then ask `number_at`.
    pub fn numbers_on_line(
        &self,
        commit: CommitId,
        ids: &[PromptId],
    ) -> Result<Option<HashMap<PromptId, Option<usize>>>, Error> {
        let tip = match self.release_tip() {
            Ok(Some(tip)) => tip,
            Ok(None) | Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        // Positions on the line, from the tip (0) back.
        let mut walk = self.repo.revwalk().map_err(git("walking history"))?;
        walk.simplify_first_parent()
            .map_err(git("walking history"))?;
        walk.push(tip.0).map_err(git("walking history"))?;
        let mut position = HashMap::new();
        for (i, oid) in walk.enumerate() {
            position.insert(oid.map_err(git("walking history"))?, i);
        }
        let Some(&at) = position.get(&commit.0) else {
            return Ok(None);
        };
        let mut out = HashMap::with_capacity(ids.len());
        for id in ids {
            let number = match self.read(Rev::Commit(commit), id)? {
                None => None,
                Some(_) => {
                    let line = self.release_raw_versions(id)?;
                    line.iter()
                        .position(|v| position.get(&v.commit).is_some_and(|&p| p >= at))
                        .map(|i| line.len() - i)
                }
            };
            out.insert(id.clone(), number);
        }
        Ok(Some(out))
    }
}
