//! Push and pull (contract §11): the branch and the environment tags, through the user's own `git`
//! program so that their SSH agent and credential helpers work (git2 is built without https/ssh).
//!
//! Environment tags are expected to move, unlike release tags, so both directions are
//! compare-and-swap against what this clone last saw of the remote. That is kept in tracking refs
//! `refs/prompt-remotes/REMOTE/ID@ENV`, written by `pull` and by a successful `push`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use git2::Oid;

use super::versions::VersionOrDraft;
use super::{git, CommitId, Registry, Rev};
use crate::error::Error;
use crate::model::PromptId;

/// An environment tag that moved on both sides (the data of `Error::Diverged`).
pub use crate::error::Divergence;

/// What a push did.
#[derive(Debug, Clone, Default)]
pub struct PushReport {
    pub remote: String,
    pub branch: String,
    /// The remote branch it went to: the upstream or the same name, as `git push` chooses by
    /// `push.default`.
    pub remote_branch: String,
    /// Whether the branch moved on the remote.
    pub branch_updated: bool,
    /// Environment tags created, moved or deleted on the remote.
    pub tags: Vec<String>,
}

/// What a pull did.
#[derive(Debug, Clone, Default)]
pub struct PullReport {
    pub remote: String,
    pub branch: String,
    /// The branch before and after, when it moved.
    pub moved: Option<(Option<String>, String)>,
    /// Environment tags created, moved or deleted here, with a description.
    pub tags: Vec<String>,
    /// Tags that had also been promoted here and not pushed: the remote's value replaced them.
    pub replaced: Vec<String>,
}

/// The remote branch `git push REMOTE` updates for the current branch `branch`, by
/// `push.default`: `simple` (git's default) and `upstream` push to the upstream when `remote` is
/// the upstream's remote (`simple` refuses an upstream of another name, as git does), `current`
/// and a branch without an upstream to the same name; `nothing` refuses.
fn push_target(
    config: &super::program::GitConfig,
    branch: &str,
    remote: &str,
) -> Result<String, Error> {
    let upstream = match config.get(&format!("branch.{branch}.remote")) {
        Some(r) if r == remote => config
            .get(&format!("branch.{branch}.merge"))
            .and_then(|m| m.strip_prefix("refs/heads/"))
            .map(str::to_string),
        _ => None,
    };
    let mode = config.get("push.default").unwrap_or("simple");
    match (mode, upstream) {
        ("nothing", _) => Err(Error::Refused(format!(
            "push.default is `nothing`, so git pushes no branch without one named; nothing was \
             pushed (run `git push {remote} {branch}`, or set push.default)"
        ))),
        ("upstream" | "tracking", Some(up)) => Ok(up),
        ("simple", Some(up)) if up != branch => Err(Error::Refused(format!(
            "the upstream of {branch} is {remote}/{up}, a branch of another name, and \
             push.default `simple` (git's default) pushes only to a branch of the same name; \
             nothing was pushed. Set `git config push.default upstream` to push to {up}, or \
             push with git (`git push {remote} HEAD:{up}`)"
        ))),
        (_, Some(up)) if mode != "current" && mode != "matching" => Ok(up),
        _ => Ok(branch.to_string()),
    }
}

fn tracking_prefix(remote: &str) -> String {
    format!("refs/prompt-remotes/{remote}/")
}

impl Registry {
    /// The remote to use: `name`, else the current branch's upstream remote, else `origin`.
    fn remote_name(&self, name: Option<&str>, branch: &str) -> Result<String, Error> {
        let config = self.repo.config().map_err(git("reading git config"))?;
        let name = match name {
            Some(n) => n.to_string(),
            None => config
                .get_string(&format!("branch.{branch}.remote"))
                .unwrap_or_else(|_| "origin".to_string()),
        };
        // git would read such a name as an option (`--upload-pack=…` runs a program).
        if name.starts_with('-') {
            return Err(Error::Usage(format!(
                "`{}` cannot be a remote name: names starting with `-` would be read by git as \
                 options; rename the remote with `git remote rename -- OLD NEW`",
                crate::model::id::printable(&name)
            )));
        }
        let known: Vec<String> = self
            .repo
            .remotes()
            .map_err(git("listing remotes"))?
            .iter()
            .flatten()
            .flatten()
            .map(str::to_string)
            .collect();
        if !known.contains(&name) {
            return Err(Error::Usage(format!(
                "`{name}` is not a remote of this repository (remotes: {}); add one with `git \
                 remote add NAME URL`",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
        Ok(name)
    }

    /// The current branch's short name; an error when HEAD is detached.
    fn current_branch(&self) -> Result<String, Error> {
        let head = self
            .repo
            .find_reference("HEAD")
            .map_err(git("reading HEAD"))?;
        let target = head.symbolic_target().ok().flatten().map(str::to_string);
        target
            .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_string))
            .ok_or(Error::DetachedHead {
                action: "push or pull",
            })
    }

    /// Local environment tags (configured environments, valid ids): name -> ref value.
    fn local_env_tags(&self) -> Result<HashMap<String, Oid>, Error> {
        self.refs_below("refs/tags/")
    }

    fn tracking(&self, remote: &str) -> Result<HashMap<String, Oid>, Error> {
        self.refs_below(&tracking_prefix(remote))
    }

    fn refs_below(&self, prefix: &str) -> Result<HashMap<String, Oid>, Error> {
        let mut out = HashMap::new();
        let refs = self.repo.references().map_err(git("listing references"))?;
        for r in refs.flatten() {
            let (Ok(name), Some(target)) = (r.name(), r.target()) else {
                continue;
            };
            if let Some(tag) = name.strip_prefix(prefix) {
                if self.is_env_tag(tag) {
                    out.insert(tag.to_string(), target);
                }
            }
        }
        Ok(out)
    }

    fn is_env_tag(&self, tag: &str) -> bool {
        tag.rsplit_once('@')
            .is_some_and(|(id, env)| PromptId::parse(id).is_ok() && self.config.env(env).is_some())
    }

    /// Describes what a tag value shows: `version N (abc1234)`.
    fn describe_tag(&self, tag: &str, commit: Option<Oid>) -> String {
        let Some(commit) = commit else {
            return "none".into();
        };
        let short = CommitId(commit).short();
        let version = tag
            .rsplit_once('@')
            .and_then(|(id, _)| PromptId::parse(id).ok())
            .filter(|_| self.repo.find_commit(commit).is_ok())
            .and_then(|id| self.version_at(&id, CommitId(commit)).ok().flatten());
        match version {
            Some(v) => format!("version {} ({short})", v.number),
            None => format!("commit {short}"),
        }
    }

    fn peel(&self, target: Oid) -> Option<Oid> {
        self.repo
            .find_object(target, None)
            .ok()?
            .peel_to_commit()
            .ok()
            .map(|c| c.id())
    }

    /// Refuses to send a protected environment's tag that names a draft (a promotion left behind
    /// by a rebase names a commit no branch holds): `promote` never makes one, and the remote must
    /// not get one either (contract §5).
    fn refuse_drafts_in_protected(
        &self,
        updates: &[(String, Option<Oid>, Option<Oid>)],
    ) -> Result<(), Error> {
        let mut refused = Vec::new();
        for (name, _, new) in updates {
            let Some((id, env)) = name.rsplit_once('@') else {
                continue;
            };
            let (Ok(id), Some(env)) = (PromptId::parse(id), self.config.env(env)) else {
                continue;
            };
            let Some(commit) = new.and_then(|t| self.peel(t)) else {
                continue;
            };
            if !self.config.is_protected(env.as_str()) {
                continue;
            }
            let draft = match self.state_at(&id, CommitId(commit)) {
                Ok(Some(VersionOrDraft::Draft(d))) => d,
                // Versions, and what cannot be told here (a shallow clone), go as they are.
                Ok(_) | Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => continue,
                Err(e) => return Err(e),
            };
            // The version with the same content, when the rebased change has one.
            let bytes = self.read(Rev::Commit(CommitId(commit)), &id)?;
            let mut fix = format!("prompt promote {id}@latest {env}");
            if let Some(bytes) = bytes {
                let versions = self.versions(&id).unwrap_or_default();
                let same = versions.iter().rev().find(|v| {
                    self.read(Rev::Commit(v.commit), &id)
                        .ok()
                        .flatten()
                        .as_ref()
                        == Some(&bytes)
                });
                if let Some(v) = same {
                    fix = format!("prompt promote {id}@{} {env}", v.number);
                }
            }
            refused.push(format!(
                "{name} points at {}, which is not on the release line; `{fix}` points it at the \
                 version",
                draft.label()
            ));
        }
        if refused.is_empty() {
            return Ok(());
        }
        Err(Error::Refused(format!(
            "protected environments take only versions, and nothing was pushed: {}",
            refused.join("; ")
        )))
    }

    fn run_git(&self, args: &[&str]) -> Result<std::process::Output, Error> {
        let dir: &Path = self.repo.workdir().unwrap_or_else(|| self.repo.path());
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|source| Error::GitNotRunnable {
                needed_for: "push and pull",
                source,
            })
    }

    /// Pushes the current branch and the environment tags, each tag only if the remote still has
    /// the value this clone last saw; otherwise nothing is changed on the remote.
    pub fn push(&self, remote: Option<&str>) -> Result<PushReport, Error> {
        let branch = self.current_branch()?;
        let config = self.git_config().map_err(|e| match e {
            Error::GitNotRunnable { source, .. } => Error::GitNotRunnable {
                needed_for: "push and pull",
                source,
            },
            e => e,
        })?;
        // As `git push` picks the remote: branch.NAME.pushRemote, remote.pushDefault, then the
        // upstream's remote, then origin.
        let named = remote.map(str::to_string).or_else(|| {
            config
                .get(&format!("branch.{branch}.pushremote"))
                .or_else(|| config.get("remote.pushdefault"))
                .map(str::to_string)
        });
        let remote = self.remote_name(named.as_deref(), &branch)?;
        let remote_branch = push_target(&config, &branch, &remote)?;
        let out = self.run_git(&["ls-remote", "--tags", "--", &remote])?;
        if !out.status.success() {
            return Err(remote_failed(&remote, "ls-remote", &out));
        }
        let mut on_remote: HashMap<String, Oid> = HashMap::new();
        let mut remote_commits: HashMap<String, Oid> = HashMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Some((oid, name)) = line.split_once('\t') else {
                continue;
            };
            let (Ok(oid), Some(tag)) = (Oid::from_str(oid), name.strip_prefix("refs/tags/")) else {
                continue;
            };
            match tag.strip_suffix("^{}") {
                Some(t) => {
                    remote_commits.insert(t.to_string(), oid);
                }
                None if self.is_env_tag(tag) => {
                    on_remote.insert(tag.to_string(), oid);
                    remote_commits.entry(tag.to_string()).or_insert(oid);
                }
                None => {}
            }
        }
        let local = self.local_env_tags()?;
        let tracked = self.tracking(&remote)?;
        let names: BTreeSet<&String> = local.keys().chain(tracked.keys()).collect();
        let mut updates: Vec<(String, Option<Oid>, Option<Oid>)> = Vec::new();
        let mut diverged = Vec::new();
        for name in names {
            let (l, t, r) = (local.get(name), tracked.get(name), on_remote.get(name));
            if l == r {
                continue;
            }
            if l.is_none() && t.is_none() {
                continue;
            }
            // Safe when the remote still has what we last saw, or when our tag was promoted on top
            // of what the remote has (a fast-forward of the promotion chain).
            let builds_on_remote = match (l, r) {
                (Some(l), Some(r)) => self.tag_ancestors(*l).contains(r),
                _ => false,
            };
            if r == t || builds_on_remote {
                updates.push((name.clone(), r.copied(), l.copied()));
            } else {
                diverged.push(Divergence {
                    tag: name.clone(),
                    local: self.describe_tag(name, l.and_then(|o| self.peel(*o))),
                    remote: self.describe_tag(name, remote_commits.get(name).copied()),
                });
            }
        }
        if !diverged.is_empty() {
            return Err(Error::Diverged {
                remote,
                tags: diverged,
            });
        }
        self.refuse_drafts_in_protected(&updates)?;
        let mut args: Vec<String> = vec!["push".into(), "--porcelain".into(), "--atomic".into()];
        for (name, expected, _) in &updates {
            let expect = expected.map(|o| o.to_string()).unwrap_or_default();
            args.push(format!("--force-with-lease=refs/tags/{name}:{expect}"));
        }
        // Everything after `--` is a remote or a refspec, never an option.
        args.push("--".into());
        args.push(remote.clone());
        let head_born = self.head()?.is_some();
        if head_born {
            args.push(format!("refs/heads/{branch}:refs/heads/{remote_branch}"));
        }
        for (name, _, new) in &updates {
            args.push(match new {
                Some(_) => format!("+refs/tags/{name}:refs/tags/{name}"),
                None => format!(":refs/tags/{name}"),
            });
        }
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.run_git(&arg_refs)?;
        let report = String::from_utf8_lossy(&out.stdout);
        let mut rejected = Vec::new();
        let mut branch_updated = false;
        for line in report.lines() {
            let mut fields = line.split('\t');
            let (Some(flag), Some(refs)) = (fields.next(), fields.next()) else {
                continue;
            };
            let summary = fields.next().unwrap_or("").to_string();
            let to = refs.rsplit(':').next().unwrap_or(refs).to_string();
            match flag {
                "!" => rejected.push((to, summary)),
                "=" => {}
                _ if to == format!("refs/heads/{remote_branch}") => branch_updated = true,
                _ => {}
            }
        }
        if !rejected.is_empty() || !out.status.success() {
            if rejected.is_empty() {
                rejected.push((
                    "(push)".into(),
                    String::from_utf8_lossy(&out.stderr).trim().to_string(),
                ));
            }
            return Err(Error::Rejected {
                remote,
                refs: rejected,
            });
        }
        for (name, _, new) in &updates {
            self.set_ref_now(&format!("{}{name}", tracking_prefix(&remote)), *new, "push")?;
        }
        // Tags that already matched are now known to be on the remote.
        for (name, oid) in &on_remote {
            if local.get(name) == Some(oid) {
                self.set_ref_now(
                    &format!("{}{name}", tracking_prefix(&remote)),
                    Some(*oid),
                    "push",
                )?;
            }
        }
        Ok(PushReport {
            remote,
            branch,
            remote_branch,
            branch_updated,
            tags: updates
                .iter()
                .map(|(name, _, new)| match new {
                    Some(o) => format!("{name}: {}", self.describe_tag(name, self.peel(*o))),
                    None => format!("{name}: removed"),
                })
                .collect(),
        })
    }

    /// Fetches, fast-forwards the current branch, and takes the environment tags that moved on the
    /// remote. A tag promoted here on top of the remote's is kept (push will publish it); one that
    /// both sides moved takes the remote's value, and the replaced local promotion is reported.
    pub fn pull(&self, remote: Option<&str>) -> Result<PullReport, Error> {
        self.require_workdir("pull")?;
        let branch = self.current_branch()?;
        let remote = self.remote_name(remote, &branch)?;
        let config = self.repo.config().map_err(git("reading git config"))?;
        let upstream = config
            .get_string(&format!("branch.{branch}.merge"))
            .ok()
            .and_then(|m| m.strip_prefix("refs/heads/").map(str::to_string))
            .unwrap_or_else(|| branch.clone());
        let before = self.tracking(&remote)?;
        let out = self.run_git(&[
            "fetch",
            "--quiet",
            "--no-tags",
            "--prune",
            "--",
            &remote,
            &format!("+refs/heads/{upstream}:refs/remotes/{remote}/{upstream}"),
            &format!("+refs/tags/*:{}*", tracking_prefix(&remote)),
        ])?;
        if !out.status.success() {
            return Err(remote_failed(&remote, "fetch", &out));
        }
        let old_head = self.head()?.map(|c| c.to_string());
        let tracking_branch = format!("refs/remotes/{remote}/{upstream}");
        let mut moved = None;
        if self.repo.find_reference(&tracking_branch).is_ok() {
            // The fast-forward is the pull's commit point: a signal while git runs it waits,
            // and the pull then finishes (the tags follow the branch).
            let merge = ["merge", "--ff-only", "--quiet", "--", &tracking_branch];
            let out = super::interrupt::commit_point(|| self.run_git(&merge))
                .ok_or(Error::Interrupted)??;
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                // git's hints span many lines; its final line says what happened.
                let why = stderr
                    .lines()
                    .rev()
                    .map(|l| l.trim().trim_start_matches("fatal: "))
                    .find(|l| !l.is_empty())
                    .unwrap_or("the branches have diverged");
                return Err(Error::Refused(format!(
                    "cannot fast-forward {branch} to {remote}/{upstream} ({why}); merge or rebase \
                     with git, then pull again"
                )));
            }
            let new_head = self.head()?.map(|c| c.to_string());
            if new_head != old_head {
                moved = new_head.map(|n| (old_head.clone(), n));
            }
        }
        let after = self.tracking(&remote)?;
        let local = self.local_env_tags()?;
        let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let mut tags = Vec::new();
        let mut replaced = Vec::new();
        for name in names {
            let (o, n, l) = (before.get(name), after.get(name), local.get(name));
            if l == n {
                continue;
            }
            // Take the remote's value when ours is what we last saw, or when theirs was promoted on
            // top of ours.
            let builds_on_ours = match (l, n) {
                (Some(l), Some(n)) => self.tag_ancestors(*n).contains(l),
                _ => false,
            };
            let ours_ahead = match (l, n) {
                (Some(l), Some(n)) => self.tag_ancestors(*l).contains(n),
                _ => false,
            };
            if ours_ahead {
                continue;
            }
            if l == o || builds_on_ours {
                self.set_ref(&format!("refs/tags/{name}"), n.copied(), "pull")?;
                tags.push(match n {
                    Some(oid) => format!("{name}: {}", self.describe_tag(name, self.peel(*oid))),
                    None => format!("{name}: removed (demoted on {remote})"),
                });
            } else {
                // Both moved it: the remote's promotion is shared, ours never left this clone.
                // Take theirs and say so; promoting again builds on it and pushes cleanly.
                let ours = self.describe_tag(name, l.and_then(|o| self.peel(*o)));
                self.set_ref(&format!("refs/tags/{name}"), n.copied(), "pull")?;
                let theirs = self.describe_tag(name, n.and_then(|o| self.peel(*o)));
                tags.push(format!("{name}: {theirs}"));
                replaced.push(format!(
                    "{name}: your unpushed promotion ({ours}) was replaced by {remote}'s ({theirs}); \
                     promote again if yours should win"
                ));
            }
        }
        Ok(PullReport {
            remote,
            branch,
            moved,
            tags,
            replaced,
        })
    }

    /// Moves one reference; the first to move is the pull's commit point (a signal before it
    /// changes nothing, after it the pull finishes).
    fn set_ref(&self, name: &str, value: Option<Oid>, why: &str) -> Result<(), Error> {
        super::interrupt::commit_point(|| self.set_ref_now(name, value, why))
            .ok_or(Error::Interrupted)?
    }

    /// Sets or deletes `name`, by the `git` program (so that a shared repository's permissions
    /// and the reflog are git's own).
    fn set_ref_now(&self, name: &str, value: Option<Oid>, why: &str) -> Result<(), Error> {
        let mut cmd = self.git_command();
        cmd.args(["update-ref", "--no-deref", "-m", why]);
        match value {
            Some(oid) => cmd.arg(name).arg(oid.to_string()),
            None if self.repo.find_reference(name).is_err() => return Ok(()),
            None => cmd.arg("-d").arg(name),
        };
        super::program::output(&mut cmd, None, &format!("updating {name}")).map(|_| ())
    }
}

fn remote_failed(remote: &str, what: &str, out: &std::process::Output) -> Error {
    Error::Rejected {
        remote: remote.to_string(),
        refs: vec![(
            format!("({what})"),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )],
    }
}
