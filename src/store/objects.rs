//! Commits and trees read as bytes, for the history walks.
//!
//! A walk needs two things of each commit (its tree and first parent) and one entry of a few trees.
//! Through libgit2's parsed objects, that cost more than inflating the objects: a parsed commit
//! decodes both signatures (their times with a slow number parser) and copies the message, and a
//! parsed tree allocates every entry. Here a commit's header lines and a tree's entries are read
//! straight from the inflated bytes, which the object database still caches.

use git2::{Odb, OdbObject, Oid, Repository};

use crate::error::Error;

/// What kind of object a tree entry names, from its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tree,
    /// A file or a symbolic link.
    Blob,
    /// A submodule.
    Commit,
}

impl Entry<'_> {
    /// The entry's name as git sorts it in a tree: a folder's as if it ended in `/`.
    pub(crate) fn sort_key(&self) -> impl Iterator<Item = u8> + '_ {
        let end: &[u8] = if self.kind == Kind::Tree { b"/" } else { b"" };
        self.name.iter().chain(end).copied()
    }
}

/// One entry of a tree, borrowing the tree's bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub name: &'a [u8],
    pub kind: Kind,
    pub id: Oid,
}

/// A commit's tree and first parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommitHead {
    pub tree: Oid,
    pub parent: Option<Oid>,
}

/// The repository's object database.
pub(crate) struct Objects<'r> {
    odb: Odb<'r>,
    /// In a shallow clone, the commits whose parents were not fetched (`.git/shallow`): their
    /// parent lines name commits that are not there, so the walk treats them as roots, as git does.
    shallow: std::collections::HashSet<Oid>,
}

fn malformed(what: &str, id: Oid) -> Error {
    Error::Git {
        context: format!("reading {what} {id}"),
        source: git2::Error::from_str("the object is malformed"),
    }
}

fn read_error(what: &'static str) -> impl FnOnce(git2::Error) -> Error {
    move |source| Error::Git {
        context: format!("reading a {what}"),
        source,
    }
}

impl<'r> Objects<'r> {
    pub(crate) fn new(repo: &'r Repository) -> Result<Objects<'r>, Error> {
        let shallow = if repo.is_shallow() {
            let list = std::fs::read(repo.path().join("shallow")).unwrap_or_default();
            list.split(|b| *b == b'\n')
                .filter_map(oid_from_hex)
                .collect()
        } else {
            Default::default()
        };
        Ok(Objects {
            odb: repo.odb().map_err(read_error("repository"))?,
            shallow,
        })
    }

    pub(crate) fn commit(&self, id: Oid) -> Result<CommitHead, Error> {
        let object = self.odb.read(id).map_err(read_error("commit"))?;
        if object.kind() != git2::ObjectType::Commit {
            return Err(malformed("commit", id));
        }
        let mut head = commit_head(object.data()).ok_or_else(|| malformed("commit", id))?;
        if self.shallow.contains(&id) {
            head.parent = None;
        }
        Ok(head)
    }

    /// A tree's bytes; `entries` reads them.
    pub(crate) fn tree(&self, id: Oid) -> Result<Tree<'_>, Error> {
        let object = self.odb.read(id).map_err(read_error("tree"))?;
        if object.kind() != git2::ObjectType::Tree {
            return Err(malformed("tree", id));
        }
        Ok(Tree { id, object })
    }
}

/// A tree object as read.
pub(crate) struct Tree<'r> {
    id: Oid,
    object: OdbObject<'r>,
}

impl Tree<'_> {
    /// The entries in the tree's order.
    pub(crate) fn entries(&self) -> Result<Vec<Entry<'_>>, Error> {
        let mut out = Vec::new();
        let mut rest = self.object.data();
        while !rest.is_empty() {
            let (entry, after) = entry(rest).ok_or_else(|| malformed("tree", self.id))?;
            out.push(entry);
            rest = after;
        }
        Ok(out)
    }

    /// The entry called `name`, if any.
    pub(crate) fn get(&self, name: &str) -> Result<Option<Entry<'_>>, Error> {
        let mut rest = self.object.data();
        while !rest.is_empty() {
            let (entry, after) = entry(rest).ok_or_else(|| malformed("tree", self.id))?;
            if entry.name == name.as_bytes() {
                return Ok(Some(entry));
            }
            rest = after;
        }
        Ok(None)
    }
}

/// One entry, `<octal mode> <name>\0<20-byte id>`, and the bytes after it.
fn entry(bytes: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    let space = memchr::memchr(b' ', bytes)?;
    let nul = space + 1 + memchr::memchr(0, &bytes[space + 1..])?;
    let raw_id = bytes.get(nul + 1..nul + 21)?;
    let kind = match &bytes[..space] {
        b"40000" | b"040000" => Kind::Tree,
        b"160000" => Kind::Commit,
        _ => Kind::Blob,
    };
    let entry = Entry {
        name: &bytes[space + 1..nul],
        kind,
        id: Oid::from_bytes(raw_id).ok()?,
    };
    Some((entry, &bytes[nul + 21..]))
}

/// The `tree` and first `parent` header lines of a commit's bytes.
fn commit_head(bytes: &[u8]) -> Option<CommitHead> {
    let mut lines = bytes.split(|b| *b == b'\n');
    let tree = oid_from_hex(lines.next()?.strip_prefix(b"tree ")?)?;
    let parent = match lines.next()?.strip_prefix(b"parent ") {
        Some(hex) => Some(oid_from_hex(hex)?),
        None => None,
    };
    Some(CommitHead { tree, parent })
}

/// A 40-digit hexadecimal object id.
pub(crate) fn oid_from_hex(hex: &[u8]) -> Option<Oid> {
    const HEX: usize = 40;
    if hex.len() != HEX {
        return None;
    }
    let mut raw = [0u8; HEX / 2];
    for (byte, pair) in raw.iter_mut().zip(hex.chunks_exact(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        *byte = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Oid::from_bytes(&raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_libgit2_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"hello\n").unwrap();
        let mut inner = repo.treebuilder(None).unwrap();
        inner.insert("a.prompt.yaml", blob, 0o100644).unwrap();
        inner.insert("run.sh", blob, 0o100755).unwrap();
        inner.insert("link", blob, 0o120000).unwrap();
        let inner = inner.write().unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("prompts", inner, 0o040000).unwrap();
        root.insert("prompts.txt", blob, 0o100644).unwrap();
        let root = root.write().unwrap();
        let sig = git2::Signature::new("A", "a@example.com", &git2::Time::new(1, 0)).unwrap();
        let tree = repo.find_tree(root).unwrap();
        let first = repo.commit(None, &sig, &sig, "one", &tree, &[]).unwrap();
        let first_commit = repo.find_commit(first).unwrap();
        let second = repo
            .commit(None, &sig, &sig, "two\n\nbody", &tree, &[&first_commit])
            .unwrap();

        let objects = Objects::new(&repo).unwrap();
        let head = objects.commit(second).unwrap();
        assert_eq!((head.tree, head.parent), (root, Some(first)));
        assert_eq!(objects.commit(first).unwrap().parent, None);
        assert!(objects.commit(root).is_err(), "a tree is not a commit");

        let ours = objects.tree(root).unwrap();
        let theirs = repo.find_tree(root).unwrap();
        let names = |e: &[Entry]| {
            e.iter()
                .map(|e| (e.name.to_vec(), e.kind, e.id))
                .collect::<Vec<_>>()
        };
        let expected: Vec<_> = theirs
            .iter()
            .map(|e| {
                let kind = match e.kind() {
                    Some(git2::ObjectType::Tree) => Kind::Tree,
                    _ => Kind::Blob,
                };
                (e.name_bytes().to_vec(), kind, e.id())
            })
            .collect();
        assert_eq!(names(&ours.entries().unwrap()), expected);
        assert_eq!(ours.get("prompts").unwrap().unwrap().id, inner);
        assert!(ours.get("prompt").unwrap().is_none());
        let inner_tree = objects.tree(inner).unwrap();
        assert_eq!(inner_tree.entries().unwrap().len(), 3);
        assert!(objects.tree(blob).is_err(), "a blob is not a tree");
    }

    #[test]
    fn malformed_bytes_are_errors_not_panics() {
        assert!(entry(b"100644 name").is_none());
        assert!(entry(b"100644 name\0short").is_none());
        assert!(commit_head(b"tree nothex\n").is_none());
        assert!(commit_head(b"parent 0000\n").is_none());
        assert_eq!(oid_from_hex(b"zz"), None);
    }
}
