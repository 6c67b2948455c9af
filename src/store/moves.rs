//! Moving and removing prompts (contract §6 `mv`, `rm`) as commits that history can follow.
//!
//! A move is one commit that removes the old file and adds the new one with the same content, with
//! a `Prompt-Moved-From: OLD` trailer that the history walk follows, so versions keep their numbers.
//! Environment tags are renamed with the prompt, keeping their promotion records (on a branch that
//! is not the release line they are copied, and the old names stay). Every ref a move
//! will create is checked before the commit, so that a move happens whole or not at all; paths
//! through symbolic links are refused (contract §12).

use super::commit::{Change, ChangeKind};
use super::env::tag_message;
use super::history::MOVED_FROM;
use super::interrupt;
use super::signature::{ident_line, Role};
use super::steps::MOVED_TO;
use super::write::RefFailure;
use super::{symlink_error, symlink_in, CommitId, Registry, Rev};
use crate::error::Error;
use crate::model::{EnvName, PromptId};

/// What a move did.
#[derive(Debug, Clone)]
pub struct Moved {
    /// The commit, or `None` when the prompt had never been committed (only the file moved).
    pub commit: Option<CommitId>,
    /// Environments whose tags were renamed (or copied, see `old_tags_kept`).
    pub envs: Vec<EnvName>,
    /// Whether the old names' tags were kept: a move on a branch that is not the release line
    /// copies the tags, so that `OLD@ENV` and `NEW@ENV` both render until the branch is merged.
    pub old_tags_kept: bool,
}

impl Registry {
    /// Renames `old` to `new` (another folder or name), committing the move and renaming its
    /// environment tags. Never overwrites: `new` must not exist.
    pub fn move_prompt(
        &self,
        old: &PromptId,
        new: &PromptId,
        message: Option<&str>,
    ) -> Result<Moved, Error> {
        // A signal from here on stops the move at a safe point and puts the file back.
        let _section = interrupt::section()?;
        let workdir = self.require_workdir("mv")?.to_path_buf();
        if old == new {
            return Err(Error::Usage(format!("`{old}` is already its name")));
        }
        self.require_clean_state("mv")?;
        let head = self.head()?;
        let (old_path, new_path) = (self.path_of(old), self.path_of(new));
        for path in [&old_path, &new_path] {
            if let Some(link) = symlink_in(&workdir, path) {
                return Err(symlink_error(&link));
            }
        }
        let working = self.read(Rev::WorkingTree, old)?;
        let committed = match head {
            Some(h) => self.read(Rev::Commit(h), old)?,
            None => None,
        };
        let Some(bytes) = working else {
            return Err(self.not_found(old, Rev::WorkingTree));
        };
        let new_taken = self.read(Rev::WorkingTree, new)?.is_some()
            || match head {
                Some(h) => self.read(Rev::Commit(h), new)?.is_some(),
                None => false,
            };
        if new_taken {
            return Err(Error::AlreadyExists { path: new_path });
        }
        if committed.as_ref().is_some_and(|c| *c != bytes) {
            return Err(Error::Refused(format!(
                "`{old}` has uncommitted changes: commit them first (`prompt commit {old}`) so the \
                 move is not mixed with an edit"
            )));
        }
        // Every tag the move creates must be free: a tag left by a removed prompt of the new name
        // would otherwise stop the move halfway, or point the moved prompt at the old one.
        let mut taken = Vec::new();
        for env in &self.config.environments {
            let name = format!("{new}@{env}");
            if self
                .repo
                .find_reference(&format!("refs/tags/{name}"))
                .is_ok()
            {
                taken.push(name);
            }
        }
        if !taken.is_empty() {
            return Err(Error::Refused(format!(
                "the tag{} {} already exist{}, left by an earlier `{new}`; nothing was changed. \
                 Remove {} first (`prompt demote {new} ENV`, or `git tag -d {}`), then move",
                if taken.len() == 1 { "" } else { "s" },
                taken.join(", "),
                if taken.len() == 1 { "s" } else { "" },
                if taken.len() == 1 { "it" } else { "them" },
                taken.join(" ")
            )));
        }
        let (from, to) = (workdir.join(&old_path), workdir.join(&new_path));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        interrupt::check()?;
        std::fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
        if committed.is_none() {
            return Ok(Moved {
                commit: None,
                envs: Vec::new(),
                old_tags_kept: false,
            });
        }
        let meta = std::fs::metadata(&to).ok();
        let changes = [
            Change {
                file: old.file_name(),
                path: old_path,
                kind: ChangeKind::Deleted,
                bytes: None,
                meta: None,
            },
            Change {
                file: new.file_name(),
                path: new_path,
                kind: ChangeKind::Added,
                bytes: Some(bytes),
                meta,
            },
        ];
        let summary = message.map_or_else(|| format!("Move {old} to {new}"), str::to_string);
        let text = format!(
            "{}\n\n{MOVED_FROM} {old}\n{MOVED_TO} {new}\n",
            summary.trim_end()
        );
        let committed = match self.commit(&changes, &text) {
            Ok(c) => c,
            Err(e) => {
                // Put the file back: a failed command leaves the repository as it was.
                let _ = std::fs::rename(&to, &from);
                return Err(e);
            }
        };
        // Create every new tag first, then remove the old ones.
        let mut moved = Vec::new();
        for env in self.config.environments.clone() {
            let Some(state) = self.env_state(old, &env)? else {
                continue;
            };
            if let Err(e) = self.copy_tag(old, new, &env, &state) {
                for (env, _) in &moved {
                    let refname = format!("refs/tags/{new}@{env}");
                    if let Ok(created) = self.repo.refname_to_id(&refname) {
                        let _ = self.delete_ref(&refname, created);
                    }
                }
                return Err(e);
            }
            moved.push((env, state));
        }
        // Off the release line the old name stays too (docs/versions.md): until the branch is
        // merged, the release line and every other clone still know the prompt by it.
        let on_release_line = match (self.head_branch(), self.release_line()) {
            (Some(branch), Ok(line)) => branch == line.branch,
            _ => false,
        };
        let mut envs = Vec::new();
        for (env, state) in moved {
            if on_release_line {
                self.demote(old, &env, &state)?;
            }
            envs.push(env);
        }
        Ok(Moved {
            commit: Some(committed.commit),
            envs,
            old_tags_kept: !on_release_line,
        })
    }

    /// Creates `NEW@ENV` with the records of `OLD@ENV` (the caller deletes `OLD@ENV`).
    fn copy_tag(
        &self,
        old: &PromptId,
        new: &PromptId,
        env: &EnvName,
        state: &super::EnvState,
    ) -> Result<(), Error> {
        let tagger = ident_line(&self.repo, Role::Committer)?;
        let mut message = tag_message(new, env, &state.history);
        message = message.replacen("\n\n", &format!(" (moved from {old})\n\n"), 1);
        let name = format!("{new}@{env}");
        let tag = self.write_tag(&name, state.commit.0, &tagger, &message)?;
        let refname = format!("refs/tags/{name}");
        match self.update_ref(&refname, tag, None, &format!("mv: from {old}@{env}")) {
            Ok(()) => Ok(()),
            Err(RefFailure::Other(e)) => Err(e),
            Err(RefFailure::Moved | RefFailure::Locked(_)) => Err(Error::Conflict {
                what: format!("the environment tag {name}"),
                attempts: 1,
            }),
        }
    }

    /// Deletes a prompt's file and commits the removal. History stays; environment tags stay until
    /// demoted, and while any exists the removal is refused unless `force`.
    pub fn remove_prompt(
        &self,
        id: &PromptId,
        message: Option<&str>,
        force: bool,
    ) -> Result<Option<CommitId>, Error> {
        // A signal from here on stops the removal at a safe point and writes the file back.
        let _section = interrupt::section()?;
        let workdir = self.require_workdir("rm")?.to_path_buf();
        self.require_clean_state("rm")?;
        if let Some(link) = symlink_in(&workdir, &self.path_of(id)) {
            return Err(symlink_error(&link));
        }
        let envs: Vec<String> = self
            .envs_of(id)?
            .into_iter()
            .map(|(e, _)| e.to_string())
            .collect();
        if !envs.is_empty() && !force {
            return Err(Error::Refused(format!(
                "`{id}` is promoted to {}: demote it first (`prompt demote {id} ENV`) or pass --force",
                envs.join(", ")
            )));
        }
        let path = self.path_of(id);
        let in_head = match self.head()? {
            Some(h) => self.read(Rev::Commit(h), id)?,
            None => None,
        };
        let working = self.read(Rev::WorkingTree, id)?;
        if in_head.is_none() && working.is_none() {
            return Err(self.not_found(id, Rev::WorkingTree));
        }
        if let (Some(w), Some(c)) = (&working, &in_head) {
            if w != c && !force {
                return Err(Error::Refused(format!(
                    "`{id}` has uncommitted changes that removing it would lose; pass --force to \
                     remove it anyway"
                )));
            }
        }
        let file = workdir.join(&path);
        interrupt::check()?;
        if working.is_some() {
            std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
        }
        if in_head.is_none() {
            return Ok(None);
        }
        let change = Change {
            file: id.file_name(),
            path,
            kind: ChangeKind::Deleted,
            bytes: None,
            meta: None,
        };
        let text = message.map_or_else(|| format!("Remove {id}"), str::to_string);
        match self.commit(&[change], &format!("{}\n", text.trim_end())) {
            Ok(c) => Ok(Some(c.commit)),
            Err(e) => {
                if let Some(bytes) = working {
                    let _ = std::fs::write(&file, bytes);
                }
                Err(e)
            }
        }
    }
}
