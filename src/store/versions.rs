//! The release line, version numbers and drafts (contract §4).
//!
//! Versions are numbered on one line of history that every clone agrees on: the first-parent
//! history of the release branch (`release_branch` in `.prompts.yaml`, else `origin/HEAD`'s branch,
//! else `main`, else `master`, else the current branch), read from the local branch or, where there
//! is none (a pull-request checkout in CI), from `origin/<name>`. A commit that changes a prompt
//! off that line is a draft: it has no number, only a commit and the branch it is on. In a shallow
//! clone whose release line is cut short, numbers are unknown and say so
//! (`Error::ShallowHistory`) instead of counting from the boundary.

use std::collections::HashSet;

use git2::{ErrorCode, Oid};

use super::history::{self, RawVersion};
use super::objects::{oid_from_hex, Objects};
use super::{cache, file_cache, git, CommitId, CommitInfo, Registry, Version};
use crate::error::Error;
use crate::model::PromptId;

/// The branch whose first-parent history numbers versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseLine {
    /// The branch name, e.g. `main`.
    pub branch: String,
    /// The ref it is read from: `refs/heads/main`, or `refs/remotes/origin/main` where there is
    /// no local branch.
    pub refname: String,
    /// Its newest commit; `None` while the branch has no commits.
    pub tip: Option<CommitId>,
    /// Whether it is only the branch `HEAD` is on, for lack of a `release_branch`, an
    /// `origin/HEAD`, a `main` or a `master`: then another checkout numbers on another line.
    pub guessed: bool,
}

/// A commit that changed a prompt off the release line: no number, a branch and a commit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Draft {
    #[serde(serialize_with = "super::ser_display")]
    pub commit: CommitId,
    /// The branch it is on (the current one when it is reachable from `HEAD`), or `None` when no
    /// branch holds it (a detached `HEAD`).
    pub branch: Option<String>,
    /// Author, date and message (flat in JSON, as in a `Version`).
    #[serde(flatten)]
    pub info: CommitInfo,
}

impl Draft {
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.info.summary()
    }

    /// `draft abc1234 on feature` or `draft abc1234 on no branch`.
    pub fn label(&self) -> String {
        match &self.branch {
            Some(b) => format!("draft {} on {b}", self.commit.short()),
            None => format!("draft {} on no branch", self.commit.short()),
        }
    }
}

/// A draft commit in the registry's history (`log` without an id), with what it did to the prompt
/// files (relative to the root, under their names at `HEAD`), decided as for the release line.
#[derive(Debug, Clone)]
pub struct DraftCommit {
    pub draft: Draft,
    /// Prompt files it added or changed (a move that kept the content is not one).
    pub files: Vec<String>,
    /// Prompt files it removed, other than by a move.
    pub removed: Vec<String>,
    /// Prompts it moved: old file, new file.
    pub moves: Vec<(String, String)>,
}

/// What a prompt is at some commit: a numbered version, or a draft.
#[derive(Debug, Clone)]
pub enum VersionOrDraft {
    Version(Version),
    Draft(Draft),
}

impl VersionOrDraft {
    pub fn commit(&self) -> CommitId {
        match self {
            VersionOrDraft::Version(v) => v.commit,
            VersionOrDraft::Draft(d) => d.commit,
        }
    }

    /// The version number; `None` for a draft.
    pub fn number(&self) -> Option<usize> {
        match self {
            VersionOrDraft::Version(v) => Some(v.number),
            VersionOrDraft::Draft(_) => None,
        }
    }

    /// `version 3` or `draft abc1234 on feature`.
    pub fn label(&self) -> String {
        match self {
            VersionOrDraft::Version(v) => format!("version {}", v.number),
            VersionOrDraft::Draft(d) => d.label(),
        }
    }
}

impl Registry {
    /// The release line: which branch numbers versions, and its tip.
    pub fn release_line(&self) -> Result<ReleaseLine, Error> {
        let found = |branch: &str| -> Result<Option<ReleaseLine>, Error> {
            for refname in [
                format!("refs/heads/{branch}"),
                format!("refs/remotes/origin/{branch}"),
            ] {
                match self.repo.find_reference(&refname) {
                    Ok(r) => {
                        let commit = r
                            .peel_to_commit()
                            .map_err(git(format!("reading {refname}")))?;
                        return Ok(Some(ReleaseLine {
                            branch: branch.to_string(),
                            refname,
                            tip: Some(CommitId(commit.id())),
                            guessed: false,
                        }));
                    }
                    Err(e) if e.code() == ErrorCode::NotFound => {}
                    Err(e) => return Err(git(format!("reading {refname}"))(e)),
                }
            }
            Ok(None)
        };
        // The branch HEAD is on, even before its first commit.
        let current = self.head_branch();
        let unborn = |branch: &str| ReleaseLine {
            branch: branch.to_string(),
            refname: format!("refs/heads/{branch}"),
            tip: None,
            guessed: false,
        };
        if let Some(branch) = &self.config.release_branch {
            if let Some(line) = found(branch)? {
                return Ok(line);
            }
            if current.as_deref() == Some(branch.as_str()) {
                return Ok(unborn(branch));
            }
            return Err(Error::NoReleaseLine {
                reason: format!(
                    "release_branch `{branch}` in .prompts.yaml names no branch here (neither \
                     refs/heads/{branch} nor refs/remotes/origin/{branch})"
                ),
            });
        }
        let origin_head = self
            .repo
            .find_reference("refs/remotes/origin/HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
            .and_then(|t| t.strip_prefix("refs/remotes/origin/").map(str::to_string));
        for branch in origin_head
            .iter()
            .map(String::as_str)
            .chain(["main", "master"])
        {
            if let Some(line) = found(branch)? {
                return Ok(line);
            }
        }
        match current {
            Some(branch) => Ok(ReleaseLine {
                guessed: true,
                ..found(&branch)?.unwrap_or_else(|| unborn(&branch))
            }),
            None => Err(Error::NoReleaseLine {
                reason: "HEAD is detached and there is no main or master branch (local or on \
                         origin) to number versions on"
                    .into(),
            }),
        }
    }

    /// The short name of the branch `HEAD` is on, even an unborn one; `None` when detached.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.repo.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok().flatten()?;
        target.strip_prefix("refs/heads/").map(str::to_string)
    }

    /// The release line's tip, checked to be whole: `None` while it has no commits, an error in a
    /// shallow clone where its history is cut short (numbers would count from the boundary).
    pub(crate) fn release_tip(&self) -> Result<Option<CommitId>, Error> {
        let line = self.release_line()?;
        let Some(tip) = line.tip else {
            return Ok(None);
        };
        if let Some(boundary) = self.shallow_boundary(tip)? {
            return Err(Error::ShallowHistory {
                branch: line.branch,
                boundary: boundary.short(),
            });
        }
        Ok(Some(tip))
    }

    /// In a shallow clone, the commit where `tip`'s first-parent history stops for lack of
    /// parents, if it does. Shallow clones are short, so the walk is too.
    fn shallow_boundary(&self, tip: CommitId) -> Result<Option<CommitId>, Error> {
        if !super::open::is_shallow(&self.repo) {
            return Ok(None);
        }
        let list = std::fs::read(self.repo.commondir().join("shallow")).unwrap_or_default();
        let boundary: HashSet<Oid> = list
            .split(|b| *b == b'\n')
            .filter_map(oid_from_hex)
            .collect();
        let objects = Objects::new(&self.repo)?;
        let mut seen = HashSet::new();
        let mut at = Some(tip.0);
        while let Some(id) = at {
            if boundary.contains(&id) {
                return Ok(Some(CommitId(id)));
            }
            // A cycle of parents (a hostile object store) ends the walk instead of looping.
            if !seen.insert(id) {
                break;
            }
            at = objects.commit(id)?.parent;
        }
        Ok(None)
    }

    /// The versions of `id` on the release line, newest first, read off the cached history (the
    /// same result as walking, which `PROMPT_NO_CACHE=1` does).
    pub(crate) fn release_raw_versions(&self, id: &PromptId) -> Result<Vec<RawVersion>, Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok(Vec::new());
        };
        if super::cache_disabled() {
            return self.walked_versions(tip, id);
        }
        if let Some(kept) = file_cache::read(&self.repo, tip.0, &self.config.root, &id.file_name())
        {
            return Ok(kept);
        }
        self.versions_without_entry(tip, id)
    }

    /// The versions of `id` at `tip` when its kept entry is missing or stale: from the history
    /// cache when there is one, else by walking the file's history; kept for the next read.
    fn versions_without_entry(
        &self,
        tip: CommitId,
        id: &PromptId,
    ) -> Result<Vec<RawVersion>, Error> {
        let root = &self.config.root;
        let path = id.file_name();
        // Without a history cache yet, one file's walk is much cheaper than building the whole
        // cache (which commands that need every prompt's history do, and which every later
        // command extends).
        let versions = if cache::exists(&self.repo) {
            let entries = cache::history_of(&self.repo, tip.0, root, &path)?;
            history::versions_in(&entries, &path)
        } else {
            self.walked_versions(tip, id)?
        };
        // What makes the next read of this prompt's versions a read of a few kilobytes.
        file_cache::write(&self.repo, tip.0, root, &path, &versions);
        Ok(versions)
    }

    /// The versions of `id` at the release tip by a walk of its own file; when a version of it
    /// includes other prompts, by the whole registry history instead, which also knows the
    /// versions that came through what it includes.
    fn walked_versions(&self, tip: CommitId, id: &PromptId) -> Result<Vec<RawVersion>, Error> {
        let own = self.raw_versions(tip, id)?;
        let objects = Objects::new(&self.repo)?;
        let includes = own.iter().any(|v| {
            objects
                .blob(v.blob)
                .is_ok_and(|b| !crate::model::includes::included_ids(&b).is_empty())
        });
        if !includes {
            return Ok(own);
        }
        let entries = cache::history(&self.repo, tip.0, &self.config.root)?;
        Ok(history::versions_in(&entries, &id.file_name()))
    }

    /// How many versions `id` has on the release line, and the one `choose` picks by its index
    /// (newest first, given the count): `ID@N` and `ID@latest`, which need one version, read one
    /// line of the prompt's kept entry when there is one.
    pub(crate) fn release_version_pick(
        &self,
        id: &PromptId,
        choose: impl Fn(usize) -> Option<usize>,
    ) -> Result<(usize, Option<RawVersion>), Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok((0, None));
        };
        let versions = if super::cache_disabled() {
            self.walked_versions(tip, id)?
        } else {
            let (root, path) = (&self.config.root, id.file_name());
            if let Some(kept) = file_cache::pick(&self.repo, tip.0, root, &path, &choose) {
                return Ok(kept);
            }
            self.versions_without_entry(tip, id)?
        };
        let count = versions.len();
        Ok((
            count,
            choose(count).and_then(|i| versions.into_iter().nth(i)),
        ))
    }

    /// What `id` is at `commit`: the version it shows there (the newest change to the prompt on
    /// the commit's first-parent history, when that change is on the release line), or the draft
    /// that last changed it. `None` when the prompt is not at `commit`.
    pub fn state_at(
        &self,
        id: &PromptId,
        commit: CommitId,
    ) -> Result<Option<VersionOrDraft>, Error> {
        let on_line = self.release_raw_versions(id)?;
        let number = |commit: Oid| {
            on_line
                .iter()
                .position(|v| v.commit == commit)
                .map(|i| (i, on_line.len() - i))
        };
        // Environment tags point at versions: most questions end here, without a walk.
        if let Some((i, n)) = number(commit.0) {
            let v = &on_line[i];
            let info = v.info.clone().resolve(&self.repo, v.commit)?;
            return Ok(Some(VersionOrDraft::Version(Version::new(
                v.commit, v.blob, n, info,
            ))));
        }
        if self.read(super::Rev::Commit(commit), id)?.is_none() {
            return Ok(None);
        }
        let (root, file) = (&self.config.root, id.file_name());
        let Some(last) = history::last_change(&self.repo, commit.0, root, &file)? else {
            return Ok(None);
        };
        if let Some((own, _)) = number(last.commit) {
            // A newer version may have come through an include: the newest on the line that the
            // commit contains.
            let i = on_line[..own]
                .iter()
                .position(|v| {
                    self.repo
                        .graph_descendant_of(commit.0, v.commit)
                        .unwrap_or(false)
                })
                .unwrap_or(own);
            let n = on_line.len() - i;
            let v = &on_line[i];
            let info = v.info.clone().resolve(&self.repo, v.commit)?;
            return Ok(Some(VersionOrDraft::Version(Version::new(
                v.commit, v.blob, n, info,
            ))));
        }
        let branch = self.branch_of(CommitId(last.commit))?;
        Ok(Some(VersionOrDraft::Draft(draft(
            &self.repo, last, branch,
        )?)))
    }

    /// What a resolved reference is: `None` for the working tree, and where the answer is unknown
    /// (a shallow clone, no release line) rather than an error, for commands that only read.
    pub fn state_of(&self, resolved: &super::Resolved) -> Result<Option<VersionOrDraft>, Error> {
        let super::Rev::Commit(c) = resolved.rev else {
            return Ok(None);
        };
        match self.state_at(&resolved.id, c) {
            Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => Ok(None),
            other => other,
        }
    }

    /// The drafts of `id` reachable from `HEAD` and not from the release line, newest first: the
    /// commits on `HEAD`'s first-parent history since it left the release line that change the
    /// prompt.
    pub fn drafts(&self, id: &PromptId) -> Result<Vec<Draft>, Error> {
        let (commits, branch) = self.head_off_the_line()?;
        let path = self.path_of(id);
        let blob_at = |c: &git2::Commit| -> Option<Oid> {
            // The first entry of a name, as every read takes it (`trees`).
            match super::trees::first_at(&self.repo, c.tree().ok()?, &path).ok()?? {
                (super::objects::Kind::Blob, id) => Some(id),
                _ => None,
            }
        };
        let mut out = Vec::new();
        let mailmap = self.mailmap();
        for id in commits {
            let c = self.repo.find_commit(id).map_err(git("reading a commit"))?;
            let Some(blob) = blob_at(&c) else { continue };
            // A shallow boundary's parent is not there: its file counts as added, as git shows it.
            let before = c.parent(0).ok().and_then(|p| blob_at(&p));
            if before != Some(blob) {
                let raw = RawVersion {
                    commit: id,
                    blob,
                    info: history::Info::Read(super::log::mapped(
                        mailmap.as_ref(),
                        super::CommitInfo::of(&c),
                    )),
                };
                out.push(draft(&self.repo, raw, branch.clone())?);
            }
        }
        Ok(out)
    }

    /// The draft commits reachable from `HEAD` and not from the release line, newest first, each
    /// with what it did to the prompt files, read by the same rule as the release line's commits
    /// (`steps::decide`): what `log` shows above the release line's history. A commit that did
    /// nothing to a prompt file is left out.
    pub fn draft_commits(&self) -> Result<Vec<DraftCommit>, Error> {
        let (commits, branch) = self.head_off_the_line()?;
        let (Some(head), Some(last)) = (commits.first(), commits.last()) else {
            return Ok(Vec::new());
        };
        // The walk along HEAD's first parents stops where the drafts end.
        let stop = self
            .repo
            .find_commit(*last)
            .map_err(git("reading a commit"))?
            .parent_id(0)
            .ok();
        let (mut touched, _) =
            history::registry_history(&self.repo, *head, &self.config.root, stop)?;
        touched.retain(|t| commits.contains(&t.commit));
        let mut out = Vec::new();
        for entry in super::log::entries_of(&touched) {
            if entry.files.is_empty() && entry.removed.is_empty() && entry.moves.is_empty() {
                continue;
            }
            let raw = RawVersion {
                commit: entry.commit,
                blob: Oid::ZERO_SHA1,
                info: entry.info,
            };
            out.push(DraftCommit {
                draft: draft(&self.repo, raw, branch.clone())?,
                files: entry.files,
                removed: entry.removed,
                moves: entry.moves,
            });
        }
        Ok(out)
    }

    /// The commits on `HEAD`'s first-parent history that the release line does not reach, newest
    /// first (`HEAD` itself first), and the branch to name them by: `HEAD`'s, or on a detached
    /// `HEAD` (a pull-request checkout in CI) a branch that holds it.
    fn head_off_the_line(&self) -> Result<(Vec<Oid>, Option<String>), Error> {
        let Some(head) = self.head()? else {
            return Ok((Vec::new(), None));
        };
        let tip = self.release_line()?.tip;
        if tip == Some(head) {
            return Ok((Vec::new(), None));
        }
        let commits = self.off_the_line(head, tip)?;
        if commits.is_empty() {
            return Ok((commits, None));
        }
        let branch = match self.head_branch() {
            Some(b) => Some(b),
            None => self.branch_of(head)?,
        };
        Ok((commits, branch))
    }

    /// The commits on `head`'s first-parent history that `tip` does not reach, newest first.
    fn off_the_line(&self, head: CommitId, tip: Option<CommitId>) -> Result<Vec<Oid>, Error> {
        let mut walk = self.repo.revwalk().map_err(git("walking history"))?;
        walk.simplify_first_parent()
            .map_err(git("walking history"))?;
        walk.push(head.0).map_err(git("walking history"))?;
        if let Some(tip) = tip {
            walk.hide(tip.0).map_err(git("walking history"))?;
        }
        walk.collect::<Result<_, _>>()
            .map_err(git("walking history"))
    }

    /// A branch that holds `commit`: the current one if it does, else the first local branch,
    /// else the first remote-tracking branch (by name); `None` when none does.
    pub fn branch_of(&self, commit: CommitId) -> Result<Option<String>, Error> {
        let holds = |tip: Oid| {
            tip == commit.0
                || self
                    .repo
                    .graph_descendant_of(tip, commit.0)
                    .unwrap_or(false)
        };
        if let (Some(branch), Some(head)) = (self.head_branch(), self.head()?) {
            if holds(head.0) {
                return Ok(Some(branch));
            }
        }
        for kind in [git2::BranchType::Local, git2::BranchType::Remote] {
            let mut names: Vec<(String, Oid)> = self
                .repo
                .branches(Some(kind))
                .map_err(git("listing branches"))?
                .flatten()
                .filter_map(|(b, _)| {
                    let name = b.name().ok().flatten()?.to_string();
                    let tip = b.get().peel_to_commit().ok()?.id();
                    Some((name, tip))
                })
                .filter(|(name, _)| !name.ends_with("/HEAD"))
                .collect();
            names.sort();
            if let Some((name, _)) = names.into_iter().find(|(_, tip)| holds(*tip)) {
                return Ok(Some(name));
            }
        }
        Ok(None)
    }
}

fn draft(repo: &git2::Repository, raw: RawVersion, branch: Option<String>) -> Result<Draft, Error> {
    let info = raw.info.resolve(repo, raw.commit)?;
    Ok(Draft {
        commit: CommitId(raw.commit),
        branch,
        info,
    })
}
