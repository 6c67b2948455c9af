//! Trees at a revision read one way everywhere: the files below a folder, and the entry at a path.
//!
//! Two rules, both git's:
//!
//! - **Depth.** git refuses a tree nested more than `core.maxTreeDepth` folders below the
//!   repository root (2048 by default: "exceeded maximum allowed tree depth"). The walks here are
//!   loops over an explicit stack, never recursion (a folder nested 15,000 levels ended the
//!   process with a stack overflow), and they stop at the same depth with an error naming the
//!   folder. No prompt id can be that deep anyway (an id has at most 200 bytes).
//! - **Duplicate names.** A tree may hold two entries of one name (`git mktree` keeps both;
//!   `git fsck` calls it `duplicateEntries`). git's path lookup (`git show REV:PATH`) takes the
//!   first in the tree's order, and so does every read here: the listing names the path once,
//!   with the first entry's content, the lookup answers the first entry, and the history walk
//!   (`history::diff_trees`) passes over an entry with the same name as the one before it.

use std::collections::HashSet;

use git2::Oid;

use super::objects::{Kind, Objects};
use crate::error::Error;

/// git's default `core.maxTreeDepth`: folders below the repository root.
pub(crate) const MAX_DEPTH: usize = 2048;

/// The error for a folder nested deeper than [`MAX_DEPTH`] below the repository root; `path` is
/// where the walk was (shortened: the whole path would be thousands of bytes).
pub(crate) fn too_deep(path: &str) -> Error {
    let parts: Vec<&str> = path.split('/').collect();
    let shown = if parts.len() > 8 {
        format!(
            "{}/…/{}",
            parts[..4].join("/"),
            parts[parts.len() - 2..].join("/")
        )
    } else {
        path.to_string()
    };
    Error::Refused(format!(
        "{shown}: folders are nested more than {MAX_DEPTH} levels below the repository root; \
         git refuses such trees too (\"exceeded maximum allowed tree depth\")"
    ))
}

/// The number of folders in a `/`-separated path (`""` has none).
pub(crate) fn depth_of(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('/').count()
    }
}

/// Every file (blob) below the folder `tree`, whose path is `prefix` (relative to the repository
/// root, `""` for the root itself), as `(path relative to tree, blob id)` for which `keep(name)`
/// says yes. Submodules are not files. A name that appears twice in one folder counts once, with
/// its first entry.
pub(crate) fn files_below(
    objects: &Objects,
    tree: Oid,
    prefix: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, Oid)>, Error> {
    let base = depth_of(prefix);
    let mut out = Vec::new();
    // Folders still to read: their id and their path relative to `tree` ("" or ending in '/').
    let mut stack: Vec<(Oid, String)> = vec![(tree, String::new())];
    while let Some((id, rel)) = stack.pop() {
        let tree = objects.tree(id)?;
        let mut rest = tree.data();
        let mut seen: HashSet<&[u8]> = HashSet::new();
        while !rest.is_empty() {
            let (entry, after) =
                super::objects::next_entry(rest).ok_or_else(|| tree.malformed())?;
            rest = after;
            if !seen.insert(entry.name) {
                continue;
            }
            let Ok(name) = std::str::from_utf8(entry.name) else {
                continue;
            };
            match entry.kind {
                Kind::Blob if keep(name) => out.push((format!("{rel}{name}"), entry.id)),
                Kind::Tree => {
                    let path = format!("{rel}{name}/");
                    if base + depth_of(path.trim_end_matches('/')) > MAX_DEPTH {
                        let whole = [prefix, path.trim_end_matches('/')]
                            .iter()
                            .filter(|p| !p.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join("/");
                        return Err(too_deep(&whole));
                    }
                    stack.push((entry.id, path));
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The entry at `path` (`/`-separated, below `tree`) as git's path lookup finds it: in each
/// folder the first entry of that name, which must be a folder on the way. Its kind and id, or
/// `None`. (Through libgit2's parsed trees: a single lookup, where the walks' reader would first
/// open every pack index.)
pub(crate) fn first_at(
    repo: &git2::Repository,
    tree: git2::Tree<'_>,
    path: &str,
) -> Result<Option<(Kind, Oid)>, Error> {
    let mut names = path.split('/').filter(|n| !n.is_empty()).peekable();
    let mut tree = tree;
    while let Some(name) = names.next() {
        let found = tree
            .iter()
            .find(|e| e.name_bytes() == name.as_bytes())
            .map(|e| (e.kind(), e.id()));
        let Some((kind, id)) = found else {
            return Ok(None);
        };
        let kind = match kind {
            Some(git2::ObjectType::Tree) => Kind::Tree,
            Some(git2::ObjectType::Commit) => Kind::Commit,
            _ => Kind::Blob,
        };
        if names.peek().is_none() {
            return Ok(Some((kind, id)));
        }
        if kind != Kind::Tree {
            return Ok(None);
        }
        tree = super::promisor::find_tree(repo, id)?;
    }
    Ok(Some((Kind::Tree, tree.id())))
}
