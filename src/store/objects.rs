//! Commits and trees read as bytes, for the history walks.
//!
//! A walk needs two things of each commit (its tree and first parent) and one entry of a few trees.
//! Through libgit2's parsed objects, that cost more than inflating the objects: a parsed commit
//! decodes both signatures (their times with a slow number parser) and copies the message, and a
//! parsed tree allocates every entry. Here a commit's header lines and a tree's entries are read
//! straight from the inflated bytes, which the object database still caches.

use git2::{Odb, OdbObject, Oid, Repository};

use super::git;
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

/// A commit's id, tree and first parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommitHead {
    pub id: Oid,
    pub tree: Oid,
    pub parent: Option<Oid>,
}

/// The repository's object database.
pub(crate) struct Objects<'r> {
    odb: Odb<'r>,
    /// In a shallow clone, the commits whose parents were not fetched (`.git/shallow`): their
    /// parent lines name commits that are not there, so the walk treats them as roots, as git does.
    shallow: std::collections::HashSet<Oid>,
    /// `git commit-graph write` output, when there is one: a commit found there is not read at all.
    graph: Option<CommitGraph>,
}

fn malformed(what: &str, id: Oid) -> Error {
    Error::Git {
        context: format!("reading {what} {id}"),
        source: git2::Error::from_str("the object is malformed"),
    }
}

impl<'r> Objects<'r> {
    pub(crate) fn new(repo: &'r Repository) -> Result<Objects<'r>, Error> {
        let shallow: std::collections::HashSet<Oid> = if repo.is_shallow() {
            let list = std::fs::read(repo.path().join("shallow")).unwrap_or_default();
            list.split(|b| *b == b'\n')
                .filter_map(oid_from_hex)
                .collect()
        } else {
            Default::default()
        };
        // git ignores the commit-graph in a shallow clone; so does this.
        let graph = if shallow.is_empty() {
            CommitGraph::read(&repo.path().join("objects/info/commit-graph"))
        } else {
            None
        };
        Ok(Objects {
            odb: repo.odb().map_err(git("opening the object database"))?,
            shallow,
            graph,
        })
    }

    pub(crate) fn commit(&self, id: Oid) -> Result<CommitHead, Error> {
        if let Some(head) = self.graph.as_ref().and_then(|g| g.commit(id)) {
            return Ok(head);
        }
        let object = self.odb.read(id).map_err(git("reading a commit"))?;
        if object.kind() != git2::ObjectType::Commit {
            return Err(malformed("commit", id));
        }
        let mut head = commit_head(id, object.data()).ok_or_else(|| malformed("commit", id))?;
        if self.shallow.contains(&id) {
            head.parent = None;
        }
        Ok(head)
    }

    /// A tree's bytes; `entries` reads them.
    pub(crate) fn tree(&self, id: Oid) -> Result<Tree<'_>, Error> {
        let object = self.odb.read(id).map_err(git("reading a tree"))?;
        if object.kind() != git2::ObjectType::Tree {
            return Err(malformed("tree", id));
        }
        Ok(Tree { id, object })
    }
}

/// A commit-graph file (git's `Documentation/gitformat-commit-graph.txt`): the ids of the commits
/// it covers, sorted, and for each its tree and parents as positions in that list. Only a single
/// file of SHA-1 ids is read; a split chain (`commit-graphs/`), another hash or any inconsistency
/// means no graph, and commits are read from the object database as without one.
struct CommitGraph {
    bytes: Vec<u8>,
    /// Offsets of the fan-out, id list and commit data chunks.
    fanout: usize,
    ids: usize,
    data: usize,
    count: usize,
}

const GRAPH_ID: usize = 20;
/// Tree id, first parent, second parent, generation and time.
const GRAPH_DATA: usize = GRAPH_ID + 16;
const GRAPH_NO_PARENT: u32 = 0x7000_0000;

impl CommitGraph {
    fn read(path: &std::path::Path) -> Option<CommitGraph> {
        let bytes = std::fs::read(path).ok()?;
        let be32 = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let be64 = |at: usize| -> Option<usize> {
            usize::try_from(u64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?)).ok()
        };
        // Signature, version 1, hash version 1 (SHA-1), chunk count, no base graphs.
        let header = bytes.get(..8)?;
        if &header[..6] != b"CGPH\x01\x01" || header[7] != 0 {
            return None;
        }
        let chunks = usize::from(header[6]);
        let (mut fanout, mut ids, mut data) = (None, None, None);
        for i in 0..chunks {
            let at = 8 + 12 * i;
            let offset = be64(at + 4)?;
            match bytes.get(at..at + 4)? {
                b"OIDF" => fanout = Some(offset),
                b"OIDL" => ids = Some(offset),
                b"CDAT" => data = Some(offset),
                _ => {}
            }
        }
        let (fanout, ids, data) = (fanout?, ids?, data?);
        let count = usize::try_from(be32(fanout + 255 * 4)?).ok()?;
        let fits = |start: usize, len: usize| {
            count.checked_mul(len).and_then(|n| n.checked_add(start)) <= Some(bytes.len())
        };
        if !fits(fanout, 0)
            || fanout + 256 * 4 > bytes.len()
            || !fits(ids, GRAPH_ID)
            || !fits(data, GRAPH_DATA)
        {
            return None;
        }
        Some(CommitGraph {
            bytes,
            fanout,
            ids,
            data,
            count,
        })
    }

    fn id_at(&self, position: usize) -> &[u8] {
        let at = self.ids + position * GRAPH_ID;
        &self.bytes[at..at + GRAPH_ID]
    }

    fn count_below(&self, first_byte: usize) -> usize {
        let at = self.fanout + first_byte * 4;
        let raw: [u8; 4] = self.bytes[at..at + 4].try_into().expect("4 bytes");
        (u32::from_be_bytes(raw) as usize).min(self.count)
    }

    /// The commit's tree and first parent, if the graph has the commit.
    fn commit(&self, id: Oid) -> Option<CommitHead> {
        let key = id.as_bytes();
        let first = usize::from(key[0]);
        let low = if first == 0 {
            0
        } else {
            self.count_below(first - 1)
        };
        let (mut low, mut high) = (low, self.count_below(first).max(low));
        let position = loop {
            if low >= high {
                return None;
            }
            let middle = low + (high - low) / 2;
            match self.id_at(middle).cmp(key) {
                std::cmp::Ordering::Equal => break middle,
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
            }
        };
        let at = self.data + position * GRAPH_DATA;
        let record = &self.bytes[at..at + GRAPH_DATA];
        let tree = Oid::from_bytes(&record[..GRAPH_ID]).ok()?;
        let first_parent = u32::from_be_bytes(record[GRAPH_ID..GRAPH_ID + 4].try_into().ok()?);
        let parent = match first_parent {
            GRAPH_NO_PARENT => None,
            p if (p as usize) < self.count => Some(Oid::from_bytes(self.id_at(p as usize)).ok()?),
            // A position outside this file: read the commit itself.
            _ => return None,
        };
        Some(CommitHead { id, tree, parent })
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
        self.iter().collect()
    }

    /// The entry called `name`, if any.
    pub(crate) fn get(&self, name: &str) -> Result<Option<Entry<'_>>, Error> {
        for entry in self.iter() {
            let entry = entry?;
            if entry.name == name.as_bytes() {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }

    /// Reads the entries one by one; an entry that cannot be read ends it with an error.
    fn iter(&self) -> impl Iterator<Item = Result<Entry<'_>, Error>> {
        let mut rest = self.object.data();
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            match entry(rest) {
                Some((entry, after)) => {
                    rest = after;
                    Some(Ok(entry))
                }
                None => {
                    rest = &[];
                    Some(Err(malformed("tree", self.id)))
                }
            }
        })
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
fn commit_head(id: Oid, bytes: &[u8]) -> Option<CommitHead> {
    let mut lines = bytes.split(|b| *b == b'\n');
    let tree = oid_from_hex(lines.next()?.strip_prefix(b"tree ")?)?;
    let parent = match lines.next()?.strip_prefix(b"parent ") {
        Some(hex) => Some(oid_from_hex(hex)?),
        None => None,
    };
    Some(CommitHead { id, tree, parent })
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
        assert!(commit_head(Oid::ZERO_SHA1, b"tree nothex\n").is_none());
        assert!(commit_head(Oid::ZERO_SHA1, b"parent 0000\n").is_none());
        assert_eq!(oid_from_hex(b"zz"), None);
    }

    #[test]
    fn a_commit_graph_gives_what_the_commits_say() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("HOME", dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_AUTHOR_NAME", "A")
                .env("GIT_AUTHOR_EMAIL", "a@example.com")
                .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
                .env("GIT_COMMITTER_NAME", "A")
                .env("GIT_COMMITTER_EMAIL", "a@example.com")
                .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        git(&["init", "-q", "-b", "main"]);
        for i in 0..40 {
            std::fs::write(dir.path().join(format!("f{}", i % 7)), format!("{i}\n")).unwrap();
            git(&["add", "."]);
            git(&["commit", "-q", "-m", &format!("c{i}")]);
        }
        git(&["checkout", "-q", "-b", "side", "HEAD~5"]);
        std::fs::write(dir.path().join("side"), "side\n").unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "side"]);
        git(&["checkout", "-q", "main"]);
        git(&["merge", "-q", "--no-ff", "-m", "merge", "side"]);
        // Written after 'later', so that one commit is missing from the graph.
        git(&["commit-graph", "write", "--reachable"]);
        git(&["commit", "-q", "--allow-empty", "-m", "later"]);

        let repo = Repository::open(dir.path()).unwrap();
        let objects = Objects::new(&repo).unwrap();
        let graph = objects.graph.as_ref().expect("the commit-graph is read");
        assert_eq!(graph.count, 42);
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        let mut seen = 0;
        for id in walk {
            let id = id.unwrap();
            let c = repo.find_commit(id).unwrap();
            let head = objects.commit(id).unwrap();
            assert_eq!(
                (head.tree, head.parent),
                (c.tree_id(), c.parent_id(0).ok()),
                "{id}"
            );
            seen += usize::from(graph.commit(id).is_some());
        }
        assert_eq!(seen, 42, "every commit but the last comes from the graph");

        // A damaged graph is no graph.
        let path = dir.path().join(".git/objects/info/commit-graph");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, &bytes).unwrap();
        assert!(CommitGraph::read(&path).is_none());
        std::fs::write(&path, b"CGPH").unwrap();
        assert!(CommitGraph::read(&path).is_none());
    }
}
