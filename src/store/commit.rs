//! Committing prompt files (contract §6 `commit`, §12 "Writes are exact and agree with git").
//!
//! The new tree is built in memory from `HEAD`'s tree plus the prompt files being committed, so other
//! staged changes are never swept in. Everything happens under `.git/index.lock`, held as git holds
//! it: the change set is compared with the `HEAD` the commit goes onto (a change another process
//! committed first is not committed twice), the new index is prepared in a temporary file before
//! the branch moves, and it replaces the index right after, so that the index agrees with the new
//! `HEAD` whatever its format (split and sparse indexes go through the `git` program, which
//! libgit2 cannot write them). The branch moves by compare-and-swap at the commit point
//! (`interrupt::commit_point`): a signal before it changes nothing, a signal after it waits.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use git2::{FileMode, IndexEntry, IndexTime, Oid};

use super::interrupt::{self, failpoint};
use super::program::GitConfig;
use super::write::{NextIndex, RefFailure};
use super::{git, symlink_in, CommitId, Registry, Rev};
use crate::error::Error;

/// Attempts at moving the branch before giving up.
const MAX_ATTEMPTS: u32 = 20;
/// How long to keep retrying while another process holds a lock, as git waits for a held lock.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// `LOCK_WAIT`, which debug builds let tests shorten (`PROMPT_LOCK_WAIT_MS`), so that a test of a
/// held lock does not sit out five seconds. Release builds read no variable.
fn lock_wait() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("PROMPT_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    LOCK_WAIT
}

/// What happened to a prompt file between `HEAD` and the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// A prompt file to commit.
#[derive(Debug, Clone)]
pub struct Change {
    /// Relative to the registry root, as `Registry::prompt_files` gives it.
    pub file: String,
    /// Relative to the repository root.
    pub path: String,
    pub kind: ChangeKind,
    /// The whole working-tree content; `None` for a deleted file (or one too large to commit).
    pub bytes: Option<Vec<u8>>,
    /// File metadata read before the content, for the index entry.
    pub(super) meta: Option<std::fs::Metadata>,
}

/// The result of a commit.
#[derive(Debug, Clone)]
pub struct Committed {
    pub commit: CommitId,
    /// The changes the commit holds: those still different from the `HEAD` it went onto (another
    /// process may have committed the same change first).
    pub changes: Vec<Change>,
    /// Problems after the commit was made: the commit stands.
    pub warnings: Vec<String>,
}

/// Prompt files whose working-tree content differs from `HEAD`, including deleted ones, as git
/// sees them: `git status` says which files may differ (with its stat cache, so unchanged files
/// are not read again), and a file git reports is compared as `git add` would store it (clean
/// filters, end of line conversion, `working-tree-encoding`), so that a file `git status` calls
/// clean is never a change. Symbolic links (in the working tree or in `HEAD`), files git ignores,
/// files a sparse checkout left out and nested repositories are not changes.
pub(super) fn changes(reg: &Registry) -> Result<Vec<Change>, Error> {
    let workdir = reg.require_workdir("commit")?.to_path_buf();
    let head = reg.head()?;
    let mut files = reg.prompt_files(Rev::WorkingTree)?;
    if let Some(h) = head {
        files.extend(reg.prompt_files(Rev::Commit(h))?);
        files.sort();
        files.dedup();
    }
    let head_tree = match head {
        Some(h) => Some(
            reg.repo
                .find_commit(h.0)
                .and_then(|c| c.tree())
                .map_err(git("reading HEAD"))?,
        ),
        None => None,
    };
    let status = git_status(reg)?;
    let mut out = Vec::new();
    // Files whose content git must hash to compare: (index in `out`, committed blob).
    let mut to_hash: Vec<(usize, Oid)> = Vec::new();
    for file in files {
        let path = reg.config.path_of(&file);
        // Not reported by `git status`: the same in the working tree, the index and `HEAD`.
        let Some(seen) = status.get(&path) else {
            continue;
        };
        let entry = head_tree
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&path)).ok());
        // A tracked symbolic link is git's business, never a prompt to rewrite or delete.
        if entry
            .as_ref()
            .is_some_and(|e| e.filemode() == i32::from(FileMode::Link))
            || symlink_in(&workdir, &path).is_some()
        {
            continue;
        }
        // A submodule (a commit in the tree) is not a prompt file.
        if entry
            .as_ref()
            .is_some_and(|e| e.kind() != Some(git2::ObjectType::Blob))
        {
            continue;
        }
        let committed = entry.map(|e| e.id());
        let abs = workdir.join(&path);
        let meta = std::fs::symlink_metadata(&abs).ok().filter(|m| m.is_file());
        let bytes = match &meta {
            Some(_) => Some(std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?),
            None => None,
        };
        // Committed whole or not at all: a file over the prompt size limit is a change that
        // `commit` refuses (with its size), never one cut at the limit.
        if bytes
            .as_ref()
            .is_some_and(|b| b.len() > crate::model::load::MAX_FILE_BYTES)
        {
            let kind = match committed {
                Some(_) => ChangeKind::Modified,
                None => ChangeKind::Added,
            };
            out.push(Change {
                file,
                path,
                kind,
                bytes: None,
                meta,
            });
            continue;
        }
        let kind = match (&bytes, committed) {
            (None, None) => continue,
            (None, Some(_)) => ChangeKind::Deleted,
            (Some(_), None) => ChangeKind::Added,
            (Some(_), Some(id)) => {
                match seen {
                    // The working file is what the index holds.
                    Seen::Tracked {
                        index,
                        worktree_same: true,
                    } if *index == id => continue,
                    Seen::Tracked {
                        worktree_same: true,
                        ..
                    } => {}
                    _ => to_hash.push((out.len(), id)),
                }
                ChangeKind::Modified
            }
        };
        out.push(Change {
            file,
            path,
            kind,
            bytes,
            meta,
        });
    }
    let paths: Vec<String> = to_hash.iter().map(|(i, _)| out[*i].path.clone()).collect();
    let hashed = reg.hash_files(&paths)?;
    let mut same = vec![false; out.len()];
    for ((i, committed), now) in to_hash.iter().zip(hashed) {
        same[*i] = now == *committed;
    }
    let mut keep = same.iter().map(|s| !s);
    out.retain(|_| keep.next().unwrap_or(true));
    Ok(out)
}

/// What `git status` says of a path below the prompts root.
enum Seen {
    /// Tracked: the index's blob, and whether the working file is what the index holds.
    Tracked { index: Oid, worktree_same: bool },
    /// Untracked (and not ignored).
    Untracked,
}

/// The paths below the prompts root that `git status` reports (porcelain v2), by path relative
/// to the repository root. It takes no optional lock, so that it never competes with a `git`
/// the user runs meanwhile; submodules are skipped (never prompts), and ignored files are not
/// reported.
fn git_status(reg: &Registry) -> Result<std::collections::HashMap<String, Seen>, Error> {
    let root = match reg.config.root.as_str() {
        "" => ".",
        r => r,
    };
    let out = super::program::output(
        reg.git_command().args([
            "--no-optional-locks",
            "--literal-pathspecs",
            "status",
            "--porcelain=v2",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--ignore-submodules=all",
            "--",
            root,
        ]),
        None,
        "`git status`",
    )?;
    let mut seen = std::collections::HashMap::new();
    let mut items = out.split(|b| *b == 0);
    while let Some(item) = items.next() {
        let text = String::from_utf8_lossy(item);
        match text.as_bytes().first() {
            Some(b'1') | Some(b'2') => {
                let fields: Vec<&str> = text.splitn(9, ' ').collect();
                if text.starts_with('2') {
                    // A rename carries its old path as the next item.
                    items.next();
                }
                let (Some(xy), Some(index), Some(rest)) =
                    (fields.get(1), fields.get(7), fields.get(8))
                else {
                    continue;
                };
                let path = match text.starts_with('2') {
                    // `X score path`: the path is after the score.
                    true => rest.split_once(' ').map_or(*rest, |(_, p)| p),
                    false => rest,
                };
                let Ok(index) = Oid::from_str(index) else {
                    continue;
                };
                seen.insert(
                    path.to_string(),
                    Seen::Tracked {
                        index,
                        worktree_same: xy.as_bytes().get(1) == Some(&b'.'),
                    },
                );
            }
            Some(b'?') => {
                if let Some(path) = text.get(2..) {
                    seen.insert(path.to_string(), Seen::Untracked);
                }
            }
            // Unmerged paths: a merge is in progress, which every write refuses.
            _ => {}
        }
    }
    Ok(seen)
}

/// Refuses to write while git is in the middle of a merge, rebase, cherry-pick, revert or `am`:
/// a commit of prompt files alone would silently drop the operation's other parent or steps.
pub(super) fn require_clean_state(reg: &Registry, action: &str) -> Result<(), Error> {
    use git2::RepositoryState as S;
    let (what, finish, abort) = match reg.repo.state() {
        S::Clean | S::Bisect => return Ok(()),
        S::Merge => ("a merge", "git commit", "git merge --abort"),
        S::Revert | S::RevertSequence => {
            ("a revert", "git revert --continue", "git revert --abort")
        }
        S::CherryPick | S::CherryPickSequence => (
            "a cherry-pick",
            "git cherry-pick --continue",
            "git cherry-pick --abort",
        ),
        S::Rebase | S::RebaseInteractive | S::RebaseMerge => {
            ("a rebase", "git rebase --continue", "git rebase --abort")
        }
        S::ApplyMailbox | S::ApplyMailboxOrRebase => {
            ("`git am`", "git am --continue", "git am --abort")
        }
    };
    Err(Error::Refused(format!(
        "{what} is in progress, and `prompt {action}` would record only prompt files on top of it; \
         nothing was changed. Stage the resolved files with `git add` and finish it with \
         `{finish}` (or give it up with `{abort}`), then run prompt again"
    )))
}

/// Commits `changes` on top of `HEAD` with `message`, retrying when the branch moves meanwhile.
/// Under the index lock, each change is compared with the `HEAD` it goes onto: changes already
/// there are left out, and when none is left the result is `NothingToCommit`. With `verify`, the
/// pre-commit and commit-msg hooks run as `git commit` runs them; post-commit runs after the
/// commit either way.
pub(super) fn commit(
    reg: &Registry,
    changes: &[Change],
    message: &str,
    verify: bool,
) -> Result<Committed, Error> {
    let config = reg.git_config()?;
    let committed = commit_locked(reg, &config, changes, message, verify)?;
    // As git: after the commit, with the index lock released; its outcome changes nothing.
    let index = reg.repo.path().join("index");
    let _ = reg.run_hook(&config, "post-commit", &[], &index);
    Ok(committed)
}

/// `commit` up to the branch moving, under the index lock.
fn commit_locked(
    reg: &Registry,
    config: &GitConfig,
    changes: &[Change],
    message: &str,
    verify: bool,
) -> Result<Committed, Error> {
    let _section = interrupt::section()?;
    let workdir = reg.require_workdir("commit")?.to_path_buf();
    require_clean_state(reg, "commit")?;
    let repo = &reg.repo;
    for c in changes {
        if let Some(link) = symlink_in(&workdir, &c.path) {
            return Err(super::symlink_error(&link));
        }
        if c.kind != ChangeKind::Deleted && c.bytes.is_none() {
            let size = c.meta.as_ref().map_or(0, |m| m.len());
            return Err(Error::Refused(format!(
                "{}: {size} bytes is larger than the {} bytes a prompt file may have; nothing was \
                 committed (a prompt is committed whole or not at all)",
                c.path,
                crate::model::load::MAX_FILE_BYTES
            )));
        }
    }
    interrupt::check()?;
    // The blobs `git add` would store: the validated bytes through the file's clean filter,
    // end of line conversion and encoding.
    let mut blobs = Vec::with_capacity(changes.len());
    for c in changes {
        blobs.push(match &c.bytes {
            Some(b) => Some(reg.write_blob(&c.path, b)?),
            None => None,
        });
    }
    let sign = config.bool("commit.gpgsign").unwrap_or(false);
    let branch = head_target(reg)?;
    // Taken before anything is written, so that a held lock fails the command with nothing changed.
    let index_lock = IndexLock::acquire(repo)?;
    failpoint("hold-index-lock");
    let new_index = index_lock.prepare(reg, &workdir, changes, &blobs)?;
    // The hooks see the commit as `git commit -- PATHS` shows it to them: an index of `HEAD`
    // plus the committed paths in `GIT_INDEX_FILE`; the message in `.git/COMMIT_EDITMSG`.
    let mut message = message.to_string();
    let mut prepared: Option<(Option<CommitId>, Vec<Change>, NextIndex)> = None;
    if verify {
        let parent = reg.head()?;
        let (kept, entries) = kept_changes(reg, parent, changes, &blobs)?;
        let next = NextIndex::build(reg, parent.map(|p| p.0), &entries)?;
        if !reg.run_hook(config, "pre-commit", &[], &next.path)? {
            return Err(Error::Refused(
                "the pre-commit hook refused the commit; nothing was committed (`prompt commit \
                 --no-verify` skips it, as `git commit --no-verify` does)"
                    .into(),
            ));
        }
        message = commit_msg_hook(reg, config, &next, &message)?;
        prepared = Some((parent, kept, next));
    }
    let started = std::time::Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let parent = reg.head()?;
        // The index the hooks saw, when the branch has not moved since; otherwise built again.
        let reusable = prepared.take().filter(|(p, _, _)| *p == parent);
        let (kept, next) = match reusable {
            Some((_, kept, next)) => (kept, next),
            None => {
                let (kept, entries) = kept_changes(reg, parent, changes, &blobs)?;
                let next = NextIndex::build(reg, parent.map(|p| p.0), &entries)?;
                (kept, next)
            }
        };
        let tree = next.write_tree(reg)?;
        drop(next);
        let oid = reg.commit_tree(tree, parent.map(|p| p.0), &message, sign)?;
        failpoint("before-ref");
        let summary = message.lines().next().unwrap_or("");
        let log = match parent {
            Some(_) => format!("commit: {summary}"),
            None => format!("commit (initial): {summary}"),
        };
        // Stage first, as `git add` then `git commit` would: a process killed between the two
        // steps leaves the prompt staged with its working-tree content, never a new HEAD with an
        // old index (which a later plain `git commit` would turn into a revert). A branch that
        // does not move puts the old index back.
        let moved = interrupt::commit_point(|| {
            let staged = index_lock.stage(&new_index).map_err(RefFailure::Other)?;
            match reg.update_ref(&branch, oid, parent.map(|p| p.0), &log) {
                Ok(()) => {
                    staged.keep();
                    Ok(())
                }
                Err(e) => {
                    staged.restore();
                    Err(e)
                }
            }
        });
        // Installed or not, the prepared file is gone or about to be (`PreparedIndex` drops it).
        interrupt::release(&new_index.tmp);
        let Some(moved) = moved else {
            return Err(Error::Interrupted);
        };
        match moved {
            Ok(()) => {
                failpoint("after-ref");
                return Ok(Committed {
                    commit: CommitId(oid),
                    changes: kept,
                    warnings: Vec::new(),
                });
            }
            Err(RefFailure::Other(e)) => return Err(e),
            // Lost the race: someone moved the branch (or created it) since we read it.
            Err(RefFailure::Moved) => {
                if attempts >= MAX_ATTEMPTS {
                    return Err(Error::Conflict {
                        what: branch.clone(),
                        attempts,
                    });
                }
            }
            Err(RefFailure::Locked(path)) => {
                if started.elapsed() > lock_wait() {
                    return Err(Error::Locked { path });
                }
                std::thread::sleep(Duration::from_millis(20 + u64::from(attempts) * 10));
                attempts -= 1;
            }
        }
    }
}

/// The changes still to make on top of `parent` (another process may have committed some
/// first), and the `git update-index --index-info` lines that make them. None left is
/// `NothingToCommit`.
fn kept_changes(
    reg: &Registry,
    parent: Option<CommitId>,
    changes: &[Change],
    blobs: &[Option<Oid>],
) -> Result<(Vec<Change>, String), Error> {
    let base = match parent {
        Some(p) => Some(
            reg.repo
                .find_commit(p.0)
                .and_then(|c| c.tree())
                .map_err(git("reading HEAD"))?,
        ),
        None => None,
    };
    let mut kept = Vec::new();
    let mut entries = String::new();
    for (c, blob) in changes.iter().zip(blobs) {
        let there = base
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&c.path)).ok())
            .map(|e| e.id());
        if there == *blob {
            continue;
        }
        match blob {
            Some(id) => {
                entries.push_str(&format!("{:o} {id}\t{}\n", u32::from(file_mode(c)), c.path))
            }
            None => entries.push_str(&format!("0 {}\t{}\n", Oid::ZERO_SHA1, c.path)),
        }
        kept.push(c.clone());
    }
    if kept.is_empty() {
        // Someone committed exactly these changes first; the index already matches for them
        // (it is only ours to rewrite while we hold the lock).
        return Err(Error::NothingToCommit {
            reason: "another commit already recorded these changes".into(),
        });
    }
    Ok((kept, entries))
}

/// Runs the commit-msg hook on the message (in `.git/COMMIT_EDITMSG`, as git writes it) and
/// returns the message it leaves; a hook that fails refuses the commit, and a message the hook
/// emptied aborts it, as git does. A message the hook changed is cleaned up as `git commit`
/// cleans one (`git stripspace`).
fn commit_msg_hook(
    reg: &Registry,
    config: &GitConfig,
    next: &NextIndex,
    message: &str,
) -> Result<String, Error> {
    let file = reg.repo.path().join("COMMIT_EDITMSG");
    std::fs::write(&file, message).map_err(|e| Error::io(&file, e))?;
    super::shared::adjust(&reg.repo, &file);
    if !reg.run_hook(config, "commit-msg", &[file.as_path()], &next.path)? {
        return Err(Error::Refused(
            "the commit-msg hook refused the commit; nothing was committed (`prompt commit \
             --no-verify` skips it, as `git commit --no-verify` does)"
                .into(),
        ));
    }
    let after = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    if after == message.as_bytes() {
        return Ok(message.to_string());
    }
    let cleaned = super::program::output(
        reg.git_command().arg("stripspace"),
        Some(&after),
        "cleaning up the message",
    )?;
    let cleaned = String::from_utf8_lossy(&cleaned).into_owned();
    if cleaned.trim().is_empty() {
        return Err(Error::Refused(
            "aborting the commit: the commit-msg hook left the message empty; nothing was \
             committed"
                .into(),
        ));
    }
    Ok(cleaned)
}

/// The reference a commit moves: the branch `HEAD` names (born or not), or `HEAD` when detached.
fn head_target(reg: &Registry) -> Result<String, Error> {
    let head = reg
        .repo
        .find_reference("HEAD")
        .map_err(git("reading HEAD"))?;
    Ok(head
        .symbolic_target()
        .ok()
        .flatten()
        .unwrap_or("HEAD")
        .to_string())
}

fn file_mode(c: &Change) -> FileMode {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if c.meta
            .as_ref()
            .is_some_and(|m| m.permissions().mode() & 0o111 != 0)
        {
            return FileMode::BlobExecutable;
        }
    }
    let _ = c;
    FileMode::Blob
}

/// `.git/index.lock`, held as git holds it while rewriting the index, so that concurrent
/// commits (ours, git's) are serialised and do not lose each other's index entries. Dropping the
/// guard removes the lock file (and a prepared index that was not installed).
struct IndexLock {
    lock: PathBuf,
    index: PathBuf,
}

/// A new index written beside the real one, waiting for the branch to move.
struct PreparedIndex {
    tmp: PathBuf,
}

impl Drop for PreparedIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
        interrupt::release(&self.tmp);
        interrupt::release(&PathBuf::from(format!("{}.lock", self.tmp.display())));
    }
}

impl IndexLock {
    fn acquire(repo: &git2::Repository) -> Result<IndexLock, Error> {
        let git_dir = repo.path();
        let lock = git_dir.join("index.lock");
        let started = std::time::Instant::now();
        // Waits grow from 1 ms to 25 ms: a lock held for a few milliseconds by a concurrent
        // commit is taken soon after it is released, and a long one is not polled too often.
        let mut pause_ms = 1u64;
        loop {
            // Recorded while it is created, so that no moment has an unrecorded lock.
            let created = interrupt::hold(lock.clone(), || {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&lock)
                    .map(|_| ())
            });
            match created {
                Ok(true) => {
                    // As git adjusts its lock files in a shared repository.
                    super::shared::adjust(repo, &lock);
                    return Ok(IndexLock {
                        lock,
                        index: git_dir.join("index"),
                    });
                }
                Ok(false) => return Err(Error::Interrupted),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    failpoint("wait-index-lock");
                    interrupt::check()?;
                    if started.elapsed() > lock_wait() {
                        return Err(Error::Locked { path: lock });
                    }
                    std::thread::sleep(Duration::from_millis(pause_ms));
                    pause_ms = (pause_ms * 2).min(25);
                }
                Err(e) => return Err(Error::io(&lock, e)),
            }
        }
    }

    /// Writes the index as it must be after the commit: the current index with the committed
    /// paths pointing at the committed blobs. libgit2 writes the index formats it reads; split
    /// and sparse indexes (which it cannot read) are written by `git update-index`. When neither
    /// can, the command refuses before committing.
    fn prepare(
        &self,
        reg: &Registry,
        workdir: &Path,
        changes: &[Change],
        blobs: &[Option<Oid>],
    ) -> Result<PreparedIndex, Error> {
        let tmp = self
            .index
            .with_file_name(format!("index.prompt-{}.tmp", std::process::id()));
        // libgit2 and git write the temporary index through `<file>.lock`. The whole write runs
        // guarded, so that an interruption waits for it and then removes both files.
        let tmp_lock = PathBuf::from(format!("{}.lock", tmp.display()));
        let written = interrupt::guarded(|held| {
            held.push(tmp.clone());
            held.push(tmp_lock.clone());
            let result = self.write_prepared(reg, workdir, &tmp, changes, blobs);
            // Installed as the index: git's permissions for a shared repository.
            super::shared::adjust(&reg.repo, &tmp);
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
                held.retain(|p| *p != tmp && *p != tmp_lock);
            }
            result
        });
        match written {
            None => Err(Error::Interrupted),
            Some(Err(e)) => Err(e),
            Some(Ok(())) => Ok(PreparedIndex { tmp }),
        }
    }

    /// Copies the index to `tmp` and points the committed paths at the committed blobs there.
    fn write_prepared(
        &self,
        reg: &Registry,
        workdir: &Path,
        tmp: &Path,
        changes: &[Change],
        blobs: &[Option<Oid>],
    ) -> Result<(), Error> {
        if self.index.exists() {
            std::fs::copy(&self.index, tmp).map_err(|e| Error::io(tmp, e))?;
        }
        let readable = !self.index.exists() || git2::Index::open(tmp).is_ok();
        if !readable {
            return update_with_git(reg, workdir, tmp, changes, blobs);
        }
        let mut index = git2::Index::open(tmp).map_err(git("reading the index"))?;
        for (c, blob) in changes.iter().zip(blobs) {
            match (blob, &c.meta) {
                (Some(id), Some(meta)) => index
                    .add(&index_entry(&c.path, *id, meta, c))
                    .map_err(git("updating the index"))?,
                _ => {
                    let _ = index.remove_path(Path::new(&c.path));
                }
            }
        }
        index.write().map_err(git("writing the index"))
    }

    /// Replaces the index with the prepared one (an atomic rename, as git does), keeping the old
    /// one beside it until the branch has moved. Runs at the commit point, under the interruption
    /// mutex, so it takes no part in the interruption bookkeeping itself.
    fn stage(&self, prepared: &PreparedIndex) -> Result<Staged, Error> {
        let backup = match self.index.exists() {
            true => {
                let backup = prepared.tmp.with_extension("old");
                let _ = std::fs::remove_file(&backup);
                std::fs::hard_link(&self.index, &backup)
                    .or_else(|_| std::fs::copy(&self.index, &backup).map(|_| ()))
                    .map_err(|e| Error::io(&backup, e))?;
                Some(backup)
            }
            false => None,
        };
        if let Err(e) = std::fs::rename(&prepared.tmp, &self.index) {
            if let Some(b) = &backup {
                let _ = std::fs::remove_file(b);
            }
            return Err(Error::io(&self.index, e));
        }
        Ok(Staged {
            index: self.index.clone(),
            tmp: prepared.tmp.clone(),
            backup,
        })
    }
}

/// The prepared index, installed; the old one kept until the branch moved.
struct Staged {
    index: PathBuf,
    /// Where the prepared index waits, for another attempt after a lost race.
    tmp: PathBuf,
    backup: Option<PathBuf>,
}

impl Staged {
    /// The branch moved: the old index is no longer needed.
    fn keep(self) {
        if let Some(b) = &self.backup {
            let _ = std::fs::remove_file(b);
        }
    }

    /// The branch did not move: the old index comes back (atomically), and the prepared one goes
    /// back to its temporary name for the next attempt.
    fn restore(self) {
        let _ = std::fs::hard_link(&self.index, &self.tmp)
            .or_else(|_| std::fs::copy(&self.index, &self.tmp).map(|_| ()));
        match &self.backup {
            Some(b) => {
                let _ = std::fs::rename(b, &self.index);
            }
            None => {
                let _ = std::fs::remove_file(&self.index);
            }
        }
    }
}

/// Updates the index file `index` with `git update-index --index-info`, for the index formats
/// libgit2 cannot write (split index, sparse index).
fn update_with_git(
    reg: &Registry,
    workdir: &Path,
    index: &Path,
    changes: &[Change],
    blobs: &[Option<Oid>],
) -> Result<(), Error> {
    use std::io::Write;
    let mut input = String::new();
    for (c, blob) in changes.iter().zip(blobs) {
        match blob {
            Some(id) => {
                input.push_str(&format!("{:o} {id}\t{}\n", u32::from(file_mode(c)), c.path))
            }
            None => input.push_str(&format!("0 {}\t{}\n", Oid::ZERO_SHA1, c.path)),
        }
    }
    let refuse = |why: String| {
        Error::Refused(format!(
            "the index uses a format libgit2 cannot write (a split or sparse index), and {why}; \
             nothing was committed. Commit with git instead, or turn the format off with \
             `git update-index --no-split-index` / `git sparse-checkout disable`"
        ))
    };
    let _ = workdir;
    let mut child = reg
        .git_command()
        .env("GIT_INDEX_FILE", index)
        .args(["update-index", "--index-info"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| refuse(format!("the `git` program could not be run ({e})")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|e| refuse(format!("`git update-index` failed ({e})")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| refuse(format!("`git update-index` failed ({e})")))?;
    if !out.status.success() {
        return Err(refuse(format!(
            "`git update-index` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

impl Drop for IndexLock {
    /// Removes the lock only while this process still holds it: never a file of the same name
    /// that another process created after ours was removed.
    fn drop(&mut self) {
        interrupt::remove_held(&self.lock);
    }
}

fn index_entry(path: &str, id: Oid, meta: &std::fs::Metadata, c: &Change) -> IndexEntry {
    #[cfg(unix)]
    let (ctime, mtime, dev, ino, uid, gid) = {
        use std::os::unix::fs::MetadataExt;
        (
            IndexTime::new(meta.ctime() as i32, meta.ctime_nsec() as u32),
            IndexTime::new(meta.mtime() as i32, meta.mtime_nsec() as u32),
            meta.dev() as u32,
            meta.ino() as u32,
            meta.uid(),
            meta.gid(),
        )
    };
    #[cfg(not(unix))]
    let (ctime, mtime, dev, ino, uid, gid) =
        (IndexTime::new(0, 0), IndexTime::new(0, 0), 0, 0, 0, 0);
    IndexEntry {
        ctime,
        mtime,
        dev,
        ino,
        mode: i32::from(file_mode(c)) as u32,
        uid,
        gid,
        file_size: meta.len() as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

impl Registry {
    /// What differs between the working tree and `HEAD` among prompt files.
    pub fn changes(&self) -> Result<Vec<Change>, Error> {
        changes(self)
    }

    /// Commits the given changes as one commit; see `store::commit`.
    pub fn commit(&self, changes: &[Change], message: &str) -> Result<Committed, Error> {
        commit(self, changes, message, true)
    }

    /// `commit`, with the pre-commit and commit-msg hooks run only when `verify` (`prompt commit
    /// --no-verify` skips them, as `git commit --no-verify` does).
    pub fn commit_with(
        &self,
        changes: &[Change],
        message: &str,
        verify: bool,
    ) -> Result<Committed, Error> {
        commit(self, changes, message, verify)
    }
}
