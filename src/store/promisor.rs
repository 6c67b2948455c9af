//! Partial clones (`git clone --filter=blob:none`, `--filter=tree:0`): objects the clone did not
//! fetch are fetched on demand, as git does, through the `git` program (`git cat-file`), which
//! knows the promisor remote, its credentials and its filter. libgit2 knows nothing of promisor
//! remotes and reports such an object as missing.

use git2::{ErrorCode, Oid, Repository};

use super::git;
use crate::error::Error;

/// Whether git fetches missing objects on demand here: a remote marked `promisor`, or the
/// `extensions.partialClone` setting (what `git clone --filter` writes).
pub(super) fn is_partial_clone(repo: &Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    if config.get_string("extensions.partialclone").is_ok() {
        return true;
    }
    let Ok(entries) = config.entries(Some(r"remote\..*\.promisor")) else {
        return false;
    };
    let mut promisor = false;
    let _ = entries.for_each(|entry| {
        promisor |= entry
            .value()
            .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"));
    });
    promisor
}

/// The bytes of object `id` of `kind` (`blob`, `tree`, `commit`) that this partial clone does not
/// have, fetched by `git cat-file KIND ID` (git stores it, so the next read finds it). `what`
/// names it in the error when git cannot fetch it.
pub(super) fn fetch(repo: &Repository, kind: &str, id: Oid, what: &str) -> Result<Vec<u8>, Error> {
    let out = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(repo.commondir())
        .args(["cat-file", kind, &id.to_string()])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|source| Error::GitNotRunnable {
            needed_for: "fetching a file this partial clone does not have yet",
            source,
        })?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let said = said.trim();
    Err(Error::Refused(format!(
        "{what} at this version is not in this partial clone ({kind} {id}), and git could not \
         fetch it from the promisor remote{}; fetch it with `git fetch` (needs the remote) or \
         clone without `--filter`",
        if said.is_empty() {
            String::new()
        } else {
            format!(" ({said})")
        }
    )))
}

/// A tree through libgit2, fetched first in a partial clone that lacks it (`--filter=tree:0`).
pub(super) fn find_tree(repo: &Repository, id: Oid) -> Result<git2::Tree<'_>, Error> {
    match repo.find_tree(id) {
        Err(e) if e.code() == ErrorCode::NotFound && is_partial_clone(repo) => {
            fetch(repo, "tree", id, "a folder")?;
            repo.find_tree(id).map_err(git("reading a tree"))
        }
        other => other.map_err(git("reading a tree")),
    }
}

/// An object's bytes that the walks' reader did not find: fetched in a partial clone, else the
/// database's own error.
pub(super) fn fetch_missing(
    repo: &Repository,
    kind: &str,
    id: Oid,
    missing: git2::Error,
) -> Result<Vec<u8>, Error> {
    if missing.code() == ErrorCode::NotFound && is_partial_clone(repo) {
        return fetch(repo, kind, id, &format!("{kind} {id}"));
    }
    Err(git(format!("reading a {kind}"))(missing))
}
