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
use std::process::{Command, Stdio};
use std::time::Duration;

use git2::{build::TreeUpdateBuilder, ErrorCode, FileMode, IndexEntry, IndexTime, Oid};

use super::interrupt::{self, failpoint};
use super::signature::{signature, Role};
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

/// Prompt files whose working-tree content differs from `HEAD`, including deleted ones. Symbolic
/// links (in the working tree or in `HEAD`), files git ignores and files a sparse checkout left out
/// are not changes.
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
    let mut skipped_by_sparse: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for file in files {
        let path = reg.config.path_of(&file);
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
            (None, Some(_)) => {
                let sparse = match &skipped_by_sparse {
                    Some(s) => s,
                    None => skipped_by_sparse.insert(sparse_paths(reg, &workdir)?),
                };
                if sparse.binary_search(&path).is_ok() {
                    continue;
                }
                ChangeKind::Deleted
            }
            (Some(_), None) => {
                if reg.repo.is_path_ignored(&path).unwrap_or(false) {
                    continue;
                }
                ChangeKind::Added
            }
            (Some(b), Some(id)) => {
                let now = Oid::hash_object(git2::ObjectType::Blob, b).map_err(git("hashing"))?;
                if now == id {
                    continue;
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
    Ok(out)
}

/// Paths a sparse checkout keeps out of the working tree (skip-worktree entries), sorted; empty
/// unless `core.sparseCheckout` is on. Asked of `git`, which reads every index format.
fn sparse_paths(reg: &Registry, workdir: &Path) -> Result<Vec<String>, Error> {
    let sparse = reg
        .repo
        .config()
        .and_then(|c| c.get_bool("core.sparseCheckout"))
        .unwrap_or(false);
    if !sparse {
        return Ok(Vec::new());
    }
    let out = git_program(reg, workdir)
        .args(["ls-files", "-t", "-z", "--"])
        .output()
        .map_err(|e| Error::Refused(format!("a sparse checkout needs the `git` program: {e}")))?;
    if !out.status.success() {
        return Err(Error::Refused(format!(
            "`git ls-files` failed in this sparse checkout; nothing was committed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let mut paths: Vec<String> = out
        .stdout
        .split(|b| *b == 0)
        .filter_map(|line| line.strip_prefix(b"S "))
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    paths.sort();
    Ok(paths)
}

/// The `git` program, run on this repository with no configuration from the caller's environment.
fn git_program(reg: &Registry, workdir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(workdir)
        .env("GIT_DIR", reg.repo.path())
        .env("GIT_WORK_TREE", workdir)
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null());
    cmd
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
/// there are left out, and when none is left the result is `NothingToCommit`.
pub(super) fn commit(
    reg: &Registry,
    changes: &[Change],
    message: &str,
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
    let mut blobs = Vec::with_capacity(changes.len());
    for c in changes {
        blobs.push(match &c.bytes {
            Some(b) => Some(repo.blob(b).map_err(git(format!("writing {}", c.path)))?),
            None => None,
        });
    }
    let author = signature(repo, Role::Author)?;
    let committer = signature(repo, Role::Committer)?;
    let branch = head_target(reg)?;
    // Taken before anything is written, so that a held lock fails the command with nothing changed.
    let index_lock = IndexLock::acquire(repo.path())?;
    failpoint("hold-index-lock");
    let new_index = index_lock.prepare(reg, &workdir, changes, &blobs)?;
    let started = std::time::Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let parent = reg.head()?;
        let parent_commit = match parent {
            Some(p) => Some(repo.find_commit(p.0).map_err(git("reading HEAD"))?),
            None => None,
        };
        let base = match &parent_commit {
            Some(c) => c.tree().map_err(git("reading HEAD"))?,
            None => {
                let empty = repo
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .map_err(git("writing a tree"))?;
                repo.find_tree(empty).map_err(git("writing a tree"))?
            }
        };
        // The change set against the HEAD this commit goes onto.
        let mut update = TreeUpdateBuilder::new();
        let mut kept = Vec::new();
        for (c, blob) in changes.iter().zip(&blobs) {
            let there = base.get_path(Path::new(&c.path)).ok().map(|e| e.id());
            if there == *blob {
                continue;
            }
            match blob {
                Some(id) => update.upsert(&c.path, *id, file_mode(c)),
                None => update.remove(&c.path),
            };
            kept.push(c.clone());
        }
        if kept.is_empty() {
            // Someone committed exactly these changes first; the index already matches for them
            // (it is only ours to rewrite while we hold the lock).
            return Err(Error::NothingToCommit {
                reason: "another commit already recorded these changes".into(),
            });
        }
        let tree_id = update
            .create_updated(repo, &base)
            .map_err(git("building the commit tree"))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(git("building the commit tree"))?;
        let parents: Vec<&git2::Commit> = parent_commit.iter().collect();
        let oid = repo
            .commit(None, &author, &committer, message, &tree, &parents)
            .map_err(git("writing the commit"))?;
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
            let staged = index_lock.stage(&new_index).map_err(Failure::Index)?;
            let moved = match parent {
                Some(p) => repo
                    .reference_matching(&branch, oid, true, p.0, &log)
                    .map(|_| ()),
                None => repo.reference(&branch, oid, false, &log).map(|_| ()),
            };
            match moved {
                Ok(()) => {
                    staged.keep();
                    Ok(())
                }
                Err(e) => {
                    staged.restore();
                    Err(Failure::Ref(e))
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
            Err(Failure::Index(e)) => return Err(e),
            // Lost the race: someone moved the branch (or created it) since we read it.
            Err(Failure::Ref(e)) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                if attempts >= MAX_ATTEMPTS {
                    return Err(Error::Conflict {
                        what: branch.clone(),
                        attempts,
                    });
                }
            }
            Err(Failure::Ref(e)) if e.code() == ErrorCode::Locked => {
                if started.elapsed() > lock_wait() {
                    let path = repo.path().join(format!("{branch}.lock"));
                    return Err(Error::Locked { path });
                }
                std::thread::sleep(Duration::from_millis(20 + u64::from(attempts) * 10));
                attempts -= 1;
            }
            Err(Failure::Ref(e)) => return Err(git(format!("updating {branch}"))(e)),
        }
    }
}

/// Why the commit point failed: the index could not be staged, or the branch did not move.
enum Failure {
    Index(Error),
    Ref(git2::Error),
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
    fn acquire(git_dir: &Path) -> Result<IndexLock, Error> {
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
                    return Ok(IndexLock {
                        lock,
                        index: git_dir.join("index"),
                    })
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
    let mut child = git_program(reg, workdir)
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
        commit(self, changes, message)
    }
}
