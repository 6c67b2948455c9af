//! Committing prompt files (SPEC §6 `commit`).
//!
//! The new tree is built in memory from `HEAD`'s tree plus the prompt files being committed, so other
//! staged changes are never swept in. The branch moves by compare-and-swap: when another process moved
//! it first, the tree is rebuilt on the new `HEAD` and the swap retried. Only then are the index
//! entries of the committed paths updated, so `git status` is clean for them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{build::TreeUpdateBuilder, ErrorCode, FileMode, IndexEntry, IndexTime, Oid};

use super::signature::{signature, Role};
use super::{git, read_capped, CommitId, Registry, Rev};
use crate::error::Error;

/// Attempts at moving the branch before giving up.
const MAX_ATTEMPTS: u32 = 20;
/// How long to keep retrying while another process holds a lock, as git waits for a held lock.
const LOCK_WAIT: Duration = Duration::from_secs(5);

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
    /// The working-tree content; `None` for a deleted file.
    pub bytes: Option<Vec<u8>>,
    /// File metadata read before the content, for the index entry.
    pub(super) meta: Option<std::fs::Metadata>,
}

/// The result of a commit.
#[derive(Debug, Clone)]
pub struct Committed {
    pub commit: CommitId,
    /// Problems after the commit was made (the index could not be updated): the commit stands.
    pub warnings: Vec<String>,
}

/// Prompt files whose working-tree content differs from `HEAD`, including deleted ones.
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
    let mut out = Vec::new();
    for file in files {
        let path = reg.config.path_of(&file);
        let abs = workdir.join(&path);
        let meta = std::fs::symlink_metadata(&abs).ok().filter(|m| m.is_file());
        let bytes = match &meta {
            Some(_) => read_capped(&abs)?,
            None => None,
        };
        let committed = head_tree
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&path)).ok())
            .map(|e| e.id());
        let kind = match (&bytes, committed) {
            (None, None) => continue,
            (None, Some(_)) => ChangeKind::Deleted,
            (Some(_), None) => ChangeKind::Added,
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

/// Commits `changes` on top of `HEAD` with `message`, retrying when the branch moves meanwhile.
pub(super) fn commit(
    reg: &Registry,
    changes: &[Change],
    message: &str,
) -> Result<Committed, Error> {
    reg.require_workdir("commit")?;
    let repo = &reg.repo;
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
        let mut update = TreeUpdateBuilder::new();
        for (c, blob) in changes.iter().zip(&blobs) {
            match blob {
                Some(id) => update.upsert(&c.path, *id, file_mode(c)),
                None => update.remove(&c.path),
            };
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
        let summary = message.lines().next().unwrap_or("");
        let log = match parent {
            Some(_) => format!("commit: {summary}"),
            None => format!("commit (initial): {summary}"),
        };
        let moved = match parent {
            Some(p) => repo
                .reference_matching(&branch, oid, true, p.0, &log)
                .map(|_| ()),
            None => repo.reference(&branch, oid, false, &log).map(|_| ()),
        };
        match moved {
            Ok(()) => {
                let warnings = update_index(&index_lock, changes, &blobs);
                return Ok(Committed {
                    commit: CommitId(oid),
                    warnings,
                });
            }
            // Lost the race: someone moved the branch (or created it) since we read it.
            Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                if attempts >= MAX_ATTEMPTS {
                    return Err(Error::Conflict {
                        what: branch.clone(),
                        attempts,
                    });
                }
            }
            Err(e) if e.code() == ErrorCode::Locked => {
                if started.elapsed() > LOCK_WAIT {
                    let path = repo.path().join(format!("{branch}.lock"));
                    return Err(Error::Locked { path });
                }
                std::thread::sleep(Duration::from_millis(20 + u64::from(attempts) * 10));
                attempts -= 1;
            }
            Err(e) => return Err(git(format!("updating {branch}"))(e)),
        }
    }
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
/// commits (ours, git's) do not lose each other's index entries: the index is read, changed and
/// replaced under the lock. Dropping the guard removes the lock file.
struct IndexLock {
    lock: PathBuf,
    index: PathBuf,
}

/// Lock files this process holds, for the Ctrl-C handler (`release_held_locks`).
static HELD: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes the lock files this process holds. Called on SIGINT/SIGTERM before exiting, so an
/// interrupted command leaves no stale `index.lock` behind (a SIGKILL still can: git's own rule).
pub fn release_held_locks() {
    if let Ok(mut held) = HELD.lock() {
        for path in held.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl IndexLock {
    fn acquire(git_dir: &Path) -> Result<IndexLock, Error> {
        let lock = git_dir.join("index.lock");
        let started = std::time::Instant::now();
        loop {
            // Listed while it is created, so that no moment has an unlisted lock.
            let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => {
                    held.push(lock.clone());
                    drop(held);
                    failpoint("hold-index-lock");
                    return Ok(IndexLock {
                        lock,
                        index: git_dir.join("index"),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    drop(held);
                    if started.elapsed() > LOCK_WAIT {
                        return Err(Error::Locked { path: lock });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => return Err(Error::io(&lock, e)),
            }
        }
    }

    /// Reads the index, applies `change`, and replaces the index file.
    fn update(
        &self,
        change: impl FnOnce(&mut git2::Index) -> Result<(), git2::Error>,
    ) -> Result<(), String> {
        let tmp = self
            .index
            .with_file_name(format!("index.prompt-{}.tmp", std::process::id()));
        let result = (|| {
            if self.index.exists() {
                std::fs::copy(&self.index, &tmp).map_err(|e| e.to_string())?;
            }
            let mut index = git2::Index::open(&tmp).map_err(|e| e.message().to_string())?;
            change(&mut index).map_err(|e| e.message().to_string())?;
            index.write().map_err(|e| e.message().to_string())?;
            std::fs::rename(&tmp, &self.index).map_err(|e| e.to_string())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        held.retain(|p| *p != self.lock);
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// A pause at a named point, for tests that interrupt or kill a command there
/// (`PROMPT_FAILPOINT=NAME`); does nothing otherwise.
fn failpoint(name: &str) {
    if std::env::var("PROMPT_FAILPOINT").is_ok_and(|v| v == name) {
        std::thread::sleep(Duration::from_secs(10));
    }
}

/// Points the index entries of the committed paths at the committed blobs. Stat data is what was read
/// before the content, so a file edited since is seen as changed by git.
fn update_index(lock: &IndexLock, changes: &[Change], blobs: &[Option<Oid>]) -> Vec<String> {
    let result = lock.update(|index| {
        for (c, blob) in changes.iter().zip(blobs) {
            match (blob, &c.meta) {
                (Some(id), Some(meta)) => index.add(&index_entry(&c.path, *id, meta, c))?,
                _ => {
                    let _ = index.remove_path(Path::new(&c.path));
                }
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!(
            "the commit was made, but the index could not be updated ({e}); `git status` may list \
             the committed prompts as changed until `git add` or `git reset` refreshes it"
        )],
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
