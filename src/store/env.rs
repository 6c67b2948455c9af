//! Environments as annotated tags (contract §5): `ID@ENV` points at the commit of the promoted
//! version.
//!
//! The tag message records the promotion and carries every earlier one, newest first, as one JSON
//! object a line after a `Prompt-Promotions:` marker: the audit trail travels with `git push`, with no
//! local-only reflog. Moving a tag is compare-and-swap against the value read before the move.
//!
//! No note can add or change a record. The record block is the message's tail: the last line that
//! is exactly the marker, then nothing but records, each one line of JSON (where a note's line
//! breaks are escaped). The note a person reads above the block is written indented, so no line of
//! it can stand at the start of a line as a marker would; and a block followed by anything that is
//! not a record is no block at all. Tags written before this rule (note unindented) read the same,
//! since their block was always last too. A block whose newest record names another commit than the
//! tag's (a tag moved by hand with an old message) gets a record of that move on top.

use std::collections::HashMap;

use git2::{ErrorCode, Oid};
use serde::{Deserialize, Serialize};

use super::interrupt::{self, failpoint};
use super::signature::{ident_line, parse_ident, Role};
use super::write::RefFailure;
use super::{git, CommitId, Registry, Version, VersionOrDraft};
use crate::error::Error;
use crate::model::{EnvName, PromptId};

/// The line after which promotion records follow in a tag message.
const MARKER: &str = "Prompt-Promotions:";

/// One promotion of a prompt to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    /// The version promoted (its number on the release line); `None` for a draft.
    pub version: Option<usize>,
    /// Whether it was a draft (a commit off the release line, with no number).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
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

/// An environment tag `ID@ENV` that does not lead to a commit (a blob, a tree, a symbolic
/// reference, a chain of tags ending in a missing object): reported with the fix, never in the way
/// of other prompts (contract §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenTag {
    /// `ID@ENV`.
    pub tag: String,
    /// What is wrong, e.g. `it points at a blob, not a commit`.
    pub problem: String,
}

impl BrokenTag {
    fn new(id: &PromptId, env: &EnvName, problem: String) -> BrokenTag {
        BrokenTag {
            tag: format!("{id}@{env}"),
            problem,
        }
    }

    /// The commands that fix it.
    pub fn fix(&self) -> String {
        let (id, env) = self.tag.rsplit_once('@').unwrap_or((&self.tag, ""));
        format!(
            "remove it with `git tag -d {}` (or `prompt demote {id} {env}`), or point it at a \
             version again with `prompt promote {id}@N {env}`",
            self.tag
        )
    }
}

impl From<BrokenTag> for Error {
    fn from(b: BrokenTag) -> Error {
        Error::BrokenTag {
            fix: b.fix(),
            tag: b.tag,
            problem: b.problem,
        }
    }
}

/// An environment tag as read: the commit it leads to, or why it leads to none.
enum TagRead<'r> {
    Commit {
        target: Oid,
        commit: git2::Commit<'r>,
    },
    Broken {
        target: Option<Oid>,
        problem: String,
    },
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

    /// Reads the tag `refname`: the commit it leads to, or what is wrong with it.
    fn read_env_tag(&self, refname: &str) -> Result<Option<TagRead<'_>>, Error> {
        let reference = match self.repo.find_reference(refname) {
            Ok(r) => r,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(git(format!("reading {refname}"))(e)),
        };
        Ok(Some(classify(&reference)))
    }

    /// The commit the environment tag `ID@ENV` points at, if the tag exists; a broken tag is an
    /// `Error::BrokenTag` that says how to fix it.
    pub(crate) fn env_tag_commit(
        &self,
        id: &PromptId,
        env: &EnvName,
    ) -> Result<Option<CommitId>, Error> {
        match self.read_env_tag(&Self::env_ref(id, env))? {
            None => Ok(None),
            Some(TagRead::Commit { commit, .. }) => Ok(Some(CommitId(commit.id()))),
            Some(TagRead::Broken { problem, .. }) => Err(BrokenTag::new(id, env, problem).into()),
        }
    }

    /// Every environment tag (of a configured environment and a valid id), in one pass: those that
    /// lead to a commit by prompt id (environments in config order), and the broken ones sorted
    /// by name.
    #[allow(clippy::type_complexity)]
    pub fn env_tags(
        &self,
    ) -> Result<(HashMap<PromptId, Vec<(EnvName, CommitId)>>, Vec<BrokenTag>), Error> {
        let mut envs: HashMap<PromptId, Vec<(EnvName, CommitId)>> = HashMap::new();
        let mut broken = Vec::new();
        for (id, env, r) in self.env_tag_refs()? {
            match classify(&r) {
                TagRead::Commit { commit, .. } => {
                    envs.entry(id)
                        .or_default()
                        .push((env, CommitId(commit.id())));
                }
                TagRead::Broken { problem, .. } => broken.push(BrokenTag::new(&id, &env, problem)),
            }
        }
        for list in envs.values_mut() {
            list.sort_by_key(|(e, _)| self.config.environments.iter().position(|x| x == e));
        }
        broken.sort_by(|a, b| a.tag.cmp(&b.tag));
        Ok((envs, broken))
    }

    /// Every broken environment tag, sorted by name (`env_tags` gives the sound ones as well).
    pub fn broken_env_tags(&self) -> Result<Vec<BrokenTag>, Error> {
        Ok(self.env_tags()?.1)
    }

    /// The broken environment tags of one prompt.
    pub fn broken_env_tags_of(&self, id: &PromptId) -> Result<Vec<BrokenTag>, Error> {
        let mut out = Vec::new();
        for env in &self.config.environments {
            if let Some(TagRead::Broken { problem, .. }) =
                self.read_env_tag(&Self::env_ref(id, env))?
            {
                out.push(BrokenTag::new(id, env, problem));
            }
        }
        Ok(out)
    }

    /// Every tag named `ID@ENV` with a valid id and a configured environment, with its reference.
    pub(crate) fn env_tag_refs(
        &self,
    ) -> Result<Vec<(PromptId, EnvName, git2::Reference<'_>)>, Error> {
        let mut out = Vec::new();
        let refs = self.repo.references().map_err(git("listing tags"))?;
        for r in refs.flatten() {
            let Some(name) = r.name().ok().and_then(|n| n.strip_prefix("refs/tags/")) else {
                continue;
            };
            let Some((id, env)) = name.rsplit_once('@') else {
                continue;
            };
            if let (Ok(id), Some(env)) = (PromptId::parse(id), self.config.env(env)) {
                let env = env.clone();
                out.push((id, env, r));
            }
        }
        Ok(out)
    }

    /// Removes the tag `ID@ENV` if it is still broken (the `demote` of a broken tag).
    pub fn remove_broken_tag(&self, id: &PromptId, env: &EnvName) -> Result<(), Error> {
        let refname = Self::env_ref(id, env);
        let conflict = || Error::Conflict {
            what: format!("the environment tag {id}@{env}"),
            attempts: 1,
        };
        let Some(TagRead::Broken { target, .. }) = self.read_env_tag(&refname)? else {
            return Err(conflict());
        };
        // Still the broken value read above (a promote may have fixed it meanwhile).
        let Some(target) = target else {
            // A symbolic reference: removed as itself, never through what it names.
            let mut reference = self
                .repo
                .find_reference(&refname)
                .map_err(git(format!("reading {refname}")))?;
            return reference.delete().map_err(|e| match e.code() {
                ErrorCode::Modified | ErrorCode::Locked => conflict(),
                _ => git(format!("deleting {refname}"))(e),
            });
        };
        match self.delete_ref(&refname, target) {
            Ok(()) => Ok(()),
            Err(RefFailure::Moved | RefFailure::Locked(_)) => Err(conflict()),
            Err(RefFailure::Other(e)) => Err(e),
        }
    }

    /// The environment tag of `id` in `env`, if it exists; a broken tag is an `Error::BrokenTag`.
    pub fn env_state(&self, id: &PromptId, env: &EnvName) -> Result<Option<EnvState>, Error> {
        let name = Self::env_ref(id, env);
        let (target, commit) = match self.read_env_tag(&name)? {
            None => return Ok(None),
            Some(TagRead::Commit { target, commit }) => (target, commit),
            Some(TagRead::Broken { problem, .. }) => {
                return Err(BrokenTag::new(id, env, problem).into())
            }
        };
        let history = match self.repo.find_tag(target) {
            Ok(tag) => {
                let message = String::from_utf8_lossy(tag.message_bytes().unwrap_or_default());
                let mut records = parse_records(&message);
                let by_hand = records
                    .first()
                    .is_some_and(|r| r.commit != commit.id().to_string());
                if by_hand {
                    // The records describe another commit: the tag was moved outside `prompt`
                    // with an old message. Say so on top rather than show a promotion that is
                    // not what the tag holds.
                    let (by, time, offset) = match tag.tagger() {
                        Some(s) => (who(&s), s.when().seconds(), s.when().offset_minutes()),
                        None => ("unknown".into(), 0, 0),
                    };
                    let previous = records.first().cloned();
                    let at = match self.state_at(id, CommitId(commit.id())) {
                        Err(Error::ShallowHistory { .. }) => None,
                        other => other?,
                    };
                    records.insert(
                        0,
                        Promotion {
                            version: at.as_ref().and_then(|s| s.number()),
                            draft: matches!(at, Some(VersionOrDraft::Draft(_))),
                            commit: commit.id().to_string(),
                            previous: previous.as_ref().and_then(|p| p.version),
                            previous_commit: previous.map(|p| p.commit),
                            previous_tag: None,
                            by,
                            time,
                            offset_minutes: offset,
                            note: Some(
                                "moved outside prompt (the tag's message describes another commit)"
                                    .into(),
                            ),
                        },
                    );
                }
                if records.is_empty() {
                    // A tag made by plain `git tag`: one promotion, by its tagger.
                    let (by, time, offset) = match tag.tagger() {
                        Some(s) => (who(&s), s.when().seconds(), s.when().offset_minutes()),
                        None => ("unknown".into(), 0, 0),
                    };
                    records.push(Promotion {
                        version: self.number_at(id, CommitId(commit.id()))?,
                        draft: false,
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
                version: self.number_at(id, CommitId(commit.id()))?,
                draft: false,
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

    /// The version `id` shows at `commit`; `None` for a draft or a commit without the prompt.
    pub fn version_at(&self, id: &PromptId, commit: CommitId) -> Result<Option<Version>, Error> {
        Ok(match self.state_at(id, commit)? {
            Some(VersionOrDraft::Version(v)) => Some(v),
            _ => None,
        })
    }

    /// Points `ID@ENV` at `state`'s commit, if the tag still is as `expected` (read before);
    /// returns the new promotion record. A draft is never promoted to a protected environment.
    pub fn promote(
        &self,
        id: &PromptId,
        env: &EnvName,
        state: &VersionOrDraft,
        note: Option<&str>,
        expected: Option<&EnvState>,
    ) -> Result<Promotion, Error> {
        let _section = interrupt::section()?;
        if self.config.is_protected(env.as_str()) {
            let line = self.release_line()?;
            if line.guessed {
                return Err(Error::Refused(format!(
                    "{env} is a protected environment, and the release line is `{}` only because \
                     it is the current branch (no release_branch in .prompts.yaml, no \
                     origin/HEAD, no main or master): another checkout would number versions on \
                     another line. Name the branch you release from: add `release_branch: NAME` \
                     to .prompts.yaml and commit it (or run `git remote set-head origin --auto`)",
                    line.branch
                )));
            }
        }
        if let VersionOrDraft::Draft(d) = state {
            if self.config.is_protected(env.as_str()) {
                return Err(Error::Refused(format!(
                    "{id} is a {}, not a version on the release line; {env} is a \
                     protected environment and takes only versions: merge the change into the \
                     release branch and promote the version it becomes",
                    d.label()
                )));
            }
        }
        let tagger_line = ident_line(&self.repo, Role::Committer)?;
        let tagger = parse_ident(&tagger_line)?;
        let when = tagger.when();
        let record = Promotion {
            version: state.number(),
            draft: matches!(state, VersionOrDraft::Draft(_)),
            commit: state.commit().to_string(),
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
        let name = format!("{id}@{env}");
        let tag = self.write_tag(&name, state.commit().0, &tagger_line, &message)?;
        let refname = Self::env_ref(id, env);
        let log = format!("promote: {name} to {}", state.label());
        // A broken tag is replaced, compare-and-swap against its value like any other.
        let broken = match expected {
            None => match self.read_env_tag(&refname)? {
                Some(TagRead::Broken {
                    target: Some(old), ..
                }) => Some(old),
                _ => None,
            },
            Some(_) => None,
        };
        // The tag moving is the commit point: a signal before it changes nothing (the tag object
        // written above is unreferenced, as after an interrupted `git tag`).
        let old = expected.map(|s| s.target).or(broken);
        failpoint("before-tag");
        let moved = interrupt::commit_point(|| self.update_ref(&refname, tag, old, &log))
            .ok_or(Error::Interrupted)?;
        match moved {
            Ok(()) => {
                failpoint("after-tag");
                Ok(record)
            }
            Err(RefFailure::Moved | RefFailure::Locked(_)) => Err(Error::Conflict {
                what: format!("the environment tag {name}"),
                attempts: 1,
            }),
            Err(RefFailure::Other(e)) => Err(e),
        }
    }

    /// Removes `ID@ENV` if it is still as `expected`.
    pub fn demote(&self, id: &PromptId, env: &EnvName, expected: &EnvState) -> Result<(), Error> {
        let _section = interrupt::section()?;
        let refname = Self::env_ref(id, env);
        let conflict = || Error::Conflict {
            what: format!("the environment tag {id}@{env}"),
            attempts: 1,
        };
        if self.repo.refname_to_id(&refname).ok() != Some(expected.target) {
            return Err(conflict());
        }
        // git refuses the delete when the ref changed since it was read. The delete is the
        // commit point.
        failpoint("before-tag");
        let deleted = interrupt::commit_point(|| self.delete_ref(&refname, expected.target))
            .ok_or(Error::Interrupted)?;
        failpoint("after-tag");
        match deleted {
            Ok(()) => Ok(()),
            Err(RefFailure::Moved | RefFailure::Locked(_)) => Err(conflict()),
            Err(RefFailure::Other(e)) => Err(e),
        }
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

/// What an environment tag's reference leads to: a commit, or what is wrong with it.
fn classify<'r>(reference: &git2::Reference<'r>) -> TagRead<'r> {
    let Some(target) = reference.target() else {
        return TagRead::Broken {
            target: None,
            problem: "it is a symbolic reference, not a tag".into(),
        };
    };
    // Peeling follows a chain of tag objects; a chain cannot loop (each names the next by its
    // hash), and one that ends in a missing object is an error here, not a hang.
    match reference.peel(git2::ObjectType::Any) {
        Ok(object) => match object.into_commit() {
            Ok(commit) => TagRead::Commit { target, commit },
            Err(other) => TagRead::Broken {
                target: Some(target),
                problem: format!(
                    "it points at a {}, not a commit",
                    other.kind().map_or("non-commit object", |k| k.str())
                ),
            },
        },
        Err(_) => TagRead::Broken {
            target: Some(target),
            problem: "it points at an object that is missing or unreadable".into(),
        },
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
        for line in note.lines() {
            m.push_str(NOTE_INDENT);
            m.push_str(line);
            m.push('\n');
        }
        m.push('\n');
    }
    m.push_str(MARKER);
    m.push('\n');
    for r in records {
        m.push_str(&serde_json::to_string(r).expect("records serialize"));
        m.push('\n');
    }
    m
}

/// The lines that open a signature appended to a tag object, as git recognises them.
const SIGNATURE_STARTS: [&str; 4] = [
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN PGP MESSAGE-----",
    "-----BEGIN SIGNED MESSAGE-----",
    "-----BEGIN SSH SIGNATURE-----",
];

/// How the note's lines are written above the records: indented, so that none is a marker line.
const NOTE_INDENT: &str = "    ";

/// The records of a tag message, newest first: the lines after the last marker line, every one of
/// them a record. Anything else there (text after the records, a line that does not parse) means
/// the message has no records, as a tag made by hand.
fn parse_records(message: &str) -> Vec<Promotion> {
    let mut lines: Vec<&str> = message.lines().collect();
    // A signed tag (`tag.gpgSign`) carries its signature after the message, as git writes it:
    // from the first line that opens one. No note line can (notes are indented).
    if let Some(at) = lines.iter().position(|l| SIGNATURE_STARTS.contains(l)) {
        lines.truncate(at);
    }
    let Some(marker) = lines.iter().rposition(|l| l.trim_end() == MARKER) else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for line in lines[marker + 1..].iter().map(|l| l.trim_end()) {
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Promotion>(line) {
            Ok(r) if line.starts_with('{') => records.push(r),
            _ => return Vec::new(),
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registry with one prompt committed twice; returns its two versions.
    fn registry() -> (tempfile::TempDir, Registry, Vec<VersionOrDraft>) {
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
        let versions = versions.into_iter().map(VersionOrDraft::Version).collect();
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
        assert_eq!(now.commit, versions[1].commit());
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
            draft: false,
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
            "Promote a/b to production: version 3 (was version 2)\n\n    Fix tone\n    second \
             line\n\n"
        ));
        assert_eq!(parse_records(&m), records);
        assert!(parse_records("just a note").is_empty());
    }

    #[test]
    fn no_note_can_add_or_change_a_record() {
        let id = PromptId::parse("a").unwrap();
        let env = EnvName::parse("production").unwrap();
        let real = Promotion {
            version: Some(2),
            draft: false,
            commit: "c".repeat(40),
            previous: None,
            previous_commit: None,
            previous_tag: None,
            by: "Ada <ada@example.com>".into(),
            time: 1_700_000_000,
            offset_minutes: 0,
            note: None,
        };
        let forged = Promotion {
            by: "CEO <ceo@example.com>".into(),
            note: Some("approved by CEO".into()),
            ..real.clone()
        };
        let forged_line = serde_json::to_string(&forged).unwrap();
        for note in [
            format!("{MARKER}\n{forged_line}"),
            format!("ok\n\n{MARKER}\n{forged_line}\n"),
            format!("{MARKER}\n{forged_line}\n{MARKER}\n{forged_line}"),
            format!("  {MARKER}  \n{forged_line}"),
        ] {
            let mut record = real.clone();
            record.note = Some(note.clone());
            let m = tag_message(&id, &env, std::slice::from_ref(&record));
            // The note is kept whole in the record; nothing else is read from it.
            assert_eq!(parse_records(&m), vec![record], "{note:?}\n{m}");
        }
        // A message written before notes were indented: the block is still the tail.
        let old = format!(
            "Promote a to production: version 2\n\n{MARKER}\n{forged_line}\n\n{MARKER}\n{}\n",
            serde_json::to_string(&real).unwrap()
        );
        assert_eq!(parse_records(&old), vec![real.clone()]);
        // Text after the records means the block is not one.
        let trailing = format!("{old}appended by hand\n");
        assert!(parse_records(&trailing).is_empty());
    }
}
