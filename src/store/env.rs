//! Environments as annotated tags (SPEC §5): `ID@ENV` points at the commit of the promoted version.
//!
//! The tag message records the promotion and carries every earlier one, newest first, as one JSON
//! object a line after a `Prompt-Promotions:` marker: the audit trail travels with `git push`, with no
//! local-only reflog. Moving a tag is compare-and-swap against the value read before the move.

use git2::{ErrorCode, Oid};
use serde::{Deserialize, Serialize};

use super::signature::{signature, Role};
use super::{git, CommitId, Registry, Version};
use crate::error::Error;
use crate::model::{EnvName, PromptId};

/// The line after which promotion records follow in a tag message.
const MARKER: &str = "Prompt-Promotions:";

/// One promotion of a prompt to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    /// The version promoted (numbered on the first-parent history of its commit).
    pub version: Option<usize>,
    /// Its commit.
    pub commit: String,
    /// The version the environment had before, if any.
    #[serde(default)]
    pub previous: Option<usize>,
    #[serde(default)]
    pub previous_commit: Option<String>,
    /// The tag object this promotion replaced: the chain of these tells whether one clone's tag
    /// builds on another's (a fast-forward) or both moved it (a divergence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_tag: Option<String>,
    /// Who promoted: `Name <email>`.
    pub by: String,
    /// When, seconds since the epoch, and the promoter's zone in minutes east of UTC.
    pub time: i64,
    #[serde(default)]
    pub offset_minutes: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an environment tag holds now.
#[derive(Debug, Clone)]
pub struct EnvState {
    /// The promoted commit.
    pub commit: CommitId,
    /// The ref's value (the tag object), for compare-and-swap.
    pub(crate) target: Oid,
    /// Every promotion, newest first.
    pub history: Vec<Promotion>,
}

impl Registry {
    fn env_ref(id: &PromptId, env: &EnvName) -> String {
        format!("refs/tags/{id}@{env}")
    }

    /// The environment tag of `id` in `env`, if it exists.
    pub fn env_state(&self, id: &PromptId, env: &EnvName) -> Result<Option<EnvState>, Error> {
        let name = Self::env_ref(id, env);
        let reference = match self.repo.find_reference(&name) {
            Ok(r) => r,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(git(format!("reading {name}"))(e)),
        };
        let target = reference
            .target()
            .ok_or_else(|| Error::SymbolicTag { name: name.clone() })?;
        let commit = reference
            .peel_to_commit()
            .map_err(git(format!("{name} does not point at a commit")))?;
        let history = match self.repo.find_tag(target) {
            Ok(tag) => {
                let message = String::from_utf8_lossy(tag.message_bytes().unwrap_or_default());
                let mut records = parse_records(&message);
                if records.is_empty() {
                    // A tag made by plain `git tag`: one promotion, by its tagger.
                    let (by, time, offset) = match tag.tagger() {
                        Some(s) => (who(&s), s.when().seconds(), s.when().offset_minutes()),
                        None => ("unknown".into(), 0, 0),
                    };
                    records.push(Promotion {
                        version: self
                            .version_at(id, CommitId(commit.id()))?
                            .map(|v| v.number),
                        commit: commit.id().to_string(),
                        previous: None,
                        previous_commit: None,
                        previous_tag: None,
                        by,
                        time,
                        offset_minutes: offset,
                        note: Some(message.trim().to_string()).filter(|m| !m.is_empty()),
                    });
                }
                records
            }
            // A lightweight tag has no message: its history is the one state it shows.
            Err(_) => vec![Promotion {
                version: self
                    .version_at(id, CommitId(commit.id()))?
                    .map(|v| v.number),
                commit: commit.id().to_string(),
                previous: None,
                previous_commit: None,
                previous_tag: None,
                by: "unknown (lightweight tag)".into(),
                time: commit.time().seconds(),
                offset_minutes: commit.time().offset_minutes(),
                note: None,
            }],
        };
        Ok(Some(EnvState {
            commit: CommitId(commit.id()),
            target,
            history,
        }))
    }

    /// The newest version of `id` at or before `commit` on its first-parent history.
    pub fn version_at(&self, id: &PromptId, commit: CommitId) -> Result<Option<Version>, Error> {
        // Most commits asked about are versions on HEAD's history (environment tags point at
        // them): the cached history answers without a walk.
        if let Some(head) = self.head()? {
            let on_head = self.head_raw_versions(head, id)?;
            let found = if commit == head {
                Some(0)
            } else {
                on_head.iter().position(|v| v.commit == commit.0)
            };
            if let Some(i) = found.filter(|i| *i < on_head.len()) {
                let v = &on_head[i];
                let number = on_head.len() - i;
                return Ok(Some(Version::new(v.commit, number, v.blob, v.info.clone())));
            }
        }
        let raw = self.raw_versions(commit, id)?;
        match raw.first() {
            None => Ok(None),
            Some(v) => Ok(Some(Version::new(
                v.commit,
                raw.len(),
                v.blob,
                v.info.clone(),
            ))),
        }
    }

    /// Points `ID@ENV` at `version`'s commit, if the tag still is as `expected` (read before);
    /// returns the new promotion record.
    pub fn promote(
        &self,
        id: &PromptId,
        env: &EnvName,
        version: &Version,
        note: Option<&str>,
        expected: Option<&EnvState>,
    ) -> Result<Promotion, Error> {
        let tagger = signature(&self.repo, Role::Committer)?;
        let when = tagger.when();
        let record = Promotion {
            version: Some(version.number),
            commit: version.commit.to_string(),
            previous: expected.and_then(|s| s.history.first().and_then(|p| p.version)),
            previous_commit: expected.map(|s| s.commit.to_string()),
            previous_tag: expected.map(|s| s.target.to_string()),
            by: who(&tagger),
            time: when.seconds(),
            offset_minutes: when.offset_minutes(),
            note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        };
        let mut records = vec![record.clone()];
        records.extend(expected.iter().flat_map(|s| s.history.iter().cloned()));
        let message = tag_message(id, env, &records);
        let object = self
            .repo
            .find_object(version.commit.0, Some(git2::ObjectType::Commit))
            .map_err(git("reading the version's commit"))?;
        let name = format!("{id}@{env}");
        let tag = self
            .repo
            .tag_annotation_create(&name, &object, &tagger, &message)
            .map_err(git(format!("writing the tag {name}")))?;
        let refname = Self::env_ref(id, env);
        let log = format!("promote: {name} to version {}", version.number);
        let moved = match expected {
            Some(s) => self
                .repo
                .reference_matching(&refname, tag, true, s.target, &log)
                .map(|_| ()),
            None => self.repo.reference(&refname, tag, false, &log).map(|_| ()),
        };
        match moved {
            Ok(()) => Ok(record),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                ) =>
            {
                Err(Error::Conflict {
                    what: format!("the environment tag {name}"),
                    attempts: 1,
                })
            }
            Err(e) => Err(git(format!("moving {refname}"))(e)),
        }
    }

    /// Removes `ID@ENV` if it is still as `expected`.
    pub fn demote(&self, id: &PromptId, env: &EnvName, expected: &EnvState) -> Result<(), Error> {
        let refname = Self::env_ref(id, env);
        let mut reference = self
            .repo
            .find_reference(&refname)
            .map_err(git(format!("reading {refname}")))?;
        if reference.target() != Some(expected.target) {
            return Err(Error::Conflict {
                what: format!("the environment tag {id}@{env}"),
                attempts: 1,
            });
        }
        // libgit2 refuses the delete when the ref changed since it was looked up.
        reference.delete().map_err(|e| match e.code() {
            ErrorCode::Modified | ErrorCode::Locked => Error::Conflict {
                what: format!("the environment tag {id}@{env}"),
                attempts: 1,
            },
            _ => git(format!("deleting {refname}"))(e),
        })
    }
}

impl Registry {
    /// The tag objects an environment tag object was built on, through its promotion records.
    pub(crate) fn tag_ancestors(&self, tag: Oid) -> Vec<Oid> {
        let Ok(t) = self.repo.find_tag(tag) else {
            return Vec::new();
        };
        let message = String::from_utf8_lossy(t.message_bytes().unwrap_or_default());
        parse_records(&message)
            .iter()
            .filter_map(|r| r.previous_tag.as_deref())
            .filter_map(|o| Oid::from_str(o).ok())
            .collect()
    }
}

fn who(s: &git2::Signature) -> String {
    format!(
        "{} <{}>",
        String::from_utf8_lossy(s.name_bytes()),
        String::from_utf8_lossy(s.email_bytes())
    )
}

/// The tag message: a summary a person reads in `git show`, the note, then the records.
pub(super) fn tag_message(id: &PromptId, env: &EnvName, records: &[Promotion]) -> String {
    let now = &records[0];
    let mut m = format!(
        "Promote {id} to {env}: version {}",
        now.version.unwrap_or(0)
    );
    if let Some(p) = now.previous {
        m.push_str(&format!(" (was version {p})"));
    }
    m.push_str("\n\n");
    if let Some(note) = &now.note {
        m.push_str(note);
        m.push_str("\n\n");
    }
    m.push_str(MARKER);
    m.push('\n');
    for r in records {
        m.push_str(&serde_json::to_string(r).expect("records serialize"));
        m.push('\n');
    }
    m
}

/// The records of a tag message, newest first; lines that are not records are ignored.
fn parse_records(message: &str) -> Vec<Promotion> {
    let Some((_, rest)) = message.split_once(MARKER) else {
        return Vec::new();
    };
    rest.lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registry with one prompt committed twice; returns its two versions.
    fn registry() -> (tempfile::TempDir, Registry, Vec<Version>) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut config = repo.config().unwrap();
        config.set_str("user.name", "T").unwrap();
        config.set_str("user.email", "t@example.com").unwrap();
        let sig =
            git2::Signature::new("T", "t@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
        let mut parent: Option<Oid> = None;
        for text in ["format: 1\ntemplate: a\n", "format: 1\ntemplate: b\n"] {
            let blob = repo.blob(text.as_bytes()).unwrap();
            let mut prompts = repo.treebuilder(None).unwrap();
            prompts.insert("a.prompt.yaml", blob, 0o100644).unwrap();
            let mut root = repo.treebuilder(None).unwrap();
            root.insert("prompts", prompts.write().unwrap(), 0o040000)
                .unwrap();
            let tree = repo.find_tree(root.write().unwrap()).unwrap();
            let parents: Vec<git2::Commit> = parent
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            parent = Some(
                repo.commit(Some("HEAD"), &sig, &sig, "v", &tree, &refs)
                    .unwrap(),
            );
        }
        let reg = Registry::open(dir.path()).unwrap();
        let versions = reg.versions(&PromptId::parse("a").unwrap()).unwrap();
        (dir, reg, versions)
    }

    #[test]
    fn promotion_is_compare_and_swap() {
        let (_dir, reg, versions) = registry();
        let id = PromptId::parse("a").unwrap();
        let env = EnvName::parse("production").unwrap();
        assert!(reg.env_state(&id, &env).unwrap().is_none());
        reg.promote(&id, &env, &versions[0], None, None).unwrap();
        // A second writer that read "no tag" loses.
        let err = reg
            .promote(&id, &env, &versions[1], None, None)
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
        let read = reg.env_state(&id, &env).unwrap().unwrap();
        reg.promote(&id, &env, &versions[1], Some("next"), Some(&read))
            .unwrap();
        // A writer holding the stale state loses, and the tag is unchanged.
        let err = reg
            .promote(&id, &env, &versions[0], None, Some(&read))
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
        let now = reg.env_state(&id, &env).unwrap().unwrap();
        assert_eq!(now.commit, versions[1].commit);
        assert_eq!(now.history.len(), 2);
        assert_eq!(now.history[0].previous_tag, Some(read.target.to_string()));
        assert_eq!(reg.tag_ancestors(now.target), vec![read.target]);
        // Demote with a stale state loses too.
        assert!(matches!(
            reg.demote(&id, &env, &read).unwrap_err(),
            Error::Conflict { .. }
        ));
        reg.demote(&id, &env, &now).unwrap();
        assert!(reg.env_state(&id, &env).unwrap().is_none());
    }

    #[test]
    fn records_round_trip_through_the_message() {
        let id = PromptId::parse("a/b").unwrap();
        let env = EnvName::parse("production").unwrap();
        let r = |v: usize, note: Option<&str>| Promotion {
            version: Some(v),
            commit: "c".repeat(40),
            previous: v.checked_sub(1).filter(|p| *p > 0),
            previous_commit: None,
            previous_tag: None,
            by: "Ada <ada@example.com>".into(),
            time: 1_700_000_000,
            offset_minutes: 60,
            note: note.map(str::to_string),
        };
        let records = vec![r(3, Some("Fix tone\nsecond line")), r(2, None), r(1, None)];
        let m = tag_message(&id, &env, &records);
        assert!(m.starts_with(
            "Promote a/b to production: version 3 (was version 2)\n\nFix tone\nsecond line\n\n"
        ));
        assert_eq!(parse_records(&m), records);
        assert!(parse_records("just a note").is_empty());
    }
}
