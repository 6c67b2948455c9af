//! Commits and trees read as bytes, for the history walks.
//!
//! A walk needs two things of each commit (its tree and first parent) and one entry of a few trees.
//! Through libgit2's parsed objects, that cost more than inflating the objects: a parsed commit
//! decodes both signatures (their times with a slow number parser) and copies the message, and a
//! parsed tree allocates every entry. Here a commit's header lines and a tree's entries are read
//! straight from the inflated bytes, which the object database still caches.

use std::rc::Rc;

use git2::{Odb, Oid, Repository};

use super::git;
use super::pack::{Bytes, PackedKind, Packs, WordMap};
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
    /// The order of two entries in a tree: git sorts a folder's name as if it ended in `/`.
    pub(crate) fn tree_order(&self, other: &Entry) -> std::cmp::Ordering {
        let common = self.name.len().min(other.name.len());
        match self.name[..common].cmp(&other.name[..common]) {
            std::cmp::Ordering::Equal => {}
            order => return order,
        }
        // One name is a prefix of the other: compare what follows, with the folder's `/`.
        let slash = |e: &Entry| -> &'static [u8] {
            if e.kind == Kind::Tree {
                b"/"
            } else {
                b""
            }
        };
        let (a, b) = (&self.name[common..], &other.name[common..]);
        a.iter()
            .chain(slash(self))
            .cmp(b.iter().chain(slash(other)))
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
    /// Where this commit is in a first-parent walk, to notice a walk that comes round again.
    walk: Walk,
}

/// Brent's cycle detection over a first-parent walk: a commit id is remembered at steps 1, 2, 4,
/// 8, …, and meeting it again means the parents form a loop. Constant memory and one comparison a
/// step, where a set of seen ids would cost a hash and an allocation per commit.
///
/// Parents cannot loop in an intact repository (a commit names its parent by a hash of it), but a
/// damaged object read without re-hashing can, and a walk must end with an error, not run forever.
#[derive(Debug, Clone, Copy)]
struct Walk {
    mark: Oid,
    steps: u64,
    power: u64,
}

impl Default for Walk {
    fn default() -> Walk {
        Walk {
            mark: Oid::ZERO_SHA1,
            steps: 0,
            power: 1,
        }
    }
}

/// Who made a commit, when, and with what message: what `log` shows of it. Read during the walk,
/// which has the commit at hand, so that numbering versions needs no second read of each commit
/// (and the history cache keeps it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommitInfo {
    pub author: String,
    pub email: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// The author's zone, minutes east of UTC.
    pub offset_minutes: i32,
    /// The whole message without trailing white space.
    pub message: String,
}

impl CommitInfo {
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// A commit's info through libgit2. A commit whose `encoding` header names another encoding
    /// than UTF-8 (`i18n.commitEncoding`) has its names and message re-encoded to UTF-8, as
    /// `git log` shows them; an encoding nobody knows leaves the bytes as they are.
    pub(crate) fn of(c: &git2::Commit) -> CommitInfo {
        let author = c.author();
        let encoding = c
            .message_encoding()
            .ok()
            .flatten()
            .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
        let text = |bytes: &[u8]| -> String {
            match encoding {
                Some(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
                None => String::from_utf8_lossy(bytes).into_owned(),
            }
        };
        CommitInfo {
            author: text(author.name_bytes()),
            email: text(author.email_bytes()),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            message: text(c.message_bytes()).trim_end().to_string(),
        }
    }
}

/// The repository's object database.
pub(crate) struct Objects<'r> {
    repo: &'r Repository,
    odb: Odb<'r>,
    /// The pack files, read with a cache of delta bases that suits a walk (src/store/pack.rs);
    /// what they do not hold is read through `odb`.
    packs: Packs,
    /// In a shallow clone, the commits whose parents were not fetched (`.git/shallow`): their
    /// parent lines name commits that are not there, so the walk treats them as roots, as git does.
    shallow: std::collections::HashSet<Oid>,
    /// `info/grafts` (git's older way to change a commit's parents, which git and libgit2 both
    /// apply): each grafted commit's first parent, `None` for a graft with no parents.
    grafts: std::collections::HashMap<Oid, Option<Oid>>,
    /// `git commit-graph write` output, when there is one: a commit found there is not read at all.
    /// Read and checked on the first commit read, so that a walk with nothing to do pays nothing.
    graph: std::cell::OnceCell<Option<CommitGraph>>,
    /// Where that file is; `None` in a shallow clone (git ignores the graph there; so does this).
    graph_path: Option<std::path::PathBuf>,
    /// The trees read in this step of a walk and in the one before (`step`): a diff reads a
    /// commit's trees, and the next step reads the same trees again as its parent's.
    trees: Recent,
    /// The same for commits: a walk reads a commit as a parent, and its author and message in the
    /// next step.
    commits: Recent,
}

/// Objects' bytes by id, read in this step of a walk or the one before.
#[derive(Default)]
struct Recent(std::cell::RefCell<[WordMap<Oid, Bytes>; 2]>);

impl Recent {
    fn get(&self, id: Oid) -> Option<Bytes> {
        let mut recent = self.0.borrow_mut();
        let [now, before] = &mut *recent;
        if let Some(bytes) = now.get(&id) {
            return Some(Rc::clone(bytes));
        }
        let bytes = before.remove(&id)?;
        now.insert(id, Rc::clone(&bytes));
        Some(bytes)
    }

    fn keep(&self, id: Oid, bytes: Bytes) -> Bytes {
        self.0.borrow_mut()[0].insert(id, Rc::clone(&bytes));
        bytes
    }

    fn step(&self) {
        let mut recent = self.0.borrow_mut();
        let [now, before] = &mut *recent;
        std::mem::swap(now, before);
        now.clear();
    }
}

fn malformed(what: &str, id: Oid) -> Error {
    Error::Git {
        context: format!("reading {what} {id}"),
        source: git2::Error::from_str("the object is malformed"),
    }
}

impl<'r> Objects<'r> {
    pub(crate) fn new(repo: &'r Repository) -> Result<Objects<'r>, Error> {
        // The object store, `shallow` and the commit-graph belong to the repository, not to one
        // working tree: in a linked worktree (`git worktree add`) they are in the common folder
        // its `commondir` file names, and its own git folder (`.git/worktrees/NAME`) has none.
        let common = repo.commondir();
        let list = std::fs::read(common.join("shallow")).unwrap_or_default();
        let shallow: std::collections::HashSet<Oid> = list
            .split(|b| *b == b'\n')
            .filter_map(oid_from_hex)
            .collect();
        let grafts: std::collections::HashMap<Oid, Option<Oid>> =
            std::fs::read(common.join("info/grafts"))
                .unwrap_or_default()
                .split(|b| *b == b'\n')
                .filter(|line| !line.starts_with(b"#"))
                .filter_map(|line| {
                    let mut ids = line.split(|b| *b == b' ').filter(|w| !w.is_empty());
                    let id = oid_from_hex(ids.next()?)?;
                    Some((id, ids.next().and_then(oid_from_hex)))
                })
                .collect();
        // git leaves the commit-graph unused in a shallow clone and with grafts: its parents
        // are the stored ones.
        let graph_path = (shallow.is_empty() && grafts.is_empty())
            .then(|| common.join("objects/info/commit-graph"));
        Ok(Objects {
            repo,
            odb: repo.odb().map_err(git("opening the object database"))?,
            packs: Packs::new(common),
            shallow,
            grafts,
            graph: std::cell::OnceCell::new(),
            graph_path,
            trees: Recent::default(),
            commits: Recent::default(),
        })
    }

    /// Starts the next step of a walk: trees read before the previous step are let go.
    pub(crate) fn step(&self) {
        self.trees.step();
        self.commits.step();
    }

    fn graph(&self) -> Option<&CommitGraph> {
        self.graph
            .get_or_init(|| self.graph_path.as_deref().and_then(CommitGraph::read))
            .as_ref()
    }

    /// The first parent of a commit met in a walk, or `None` at a root; an error when the walk
    /// comes back to a commit it has passed (a loop in damaged history).
    pub(crate) fn parent(&self, child: &CommitHead) -> Result<Option<CommitHead>, Error> {
        let Some(id) = child.parent else {
            return Ok(None);
        };
        let mut walk = child.walk;
        if id == walk.mark {
            return Err(Error::Refused(format!(
                "the history loops: commit {id} is its own ancestor, so the repository is \
                 damaged; `git fsck` names the damaged objects, and if `.git/objects/info/\
                 commit-graph` is one, `git commit-graph write --reachable` rewrites it"
            )));
        }
        walk.steps += 1;
        if walk.steps == walk.power {
            walk.mark = id;
            walk.power = walk.power.saturating_mul(2);
            walk.steps = 0;
        }
        let mut head = self.commit(id)?;
        head.walk = walk;
        Ok(Some(head))
    }

    pub(crate) fn commit(&self, id: Oid) -> Result<CommitHead, Error> {
        if let Some(head) = self.graph().and_then(|g| g.commit(id)) {
            return Ok(head);
        }
        let bytes = self.commit_bytes(id)?;
        let mut head = commit_head(id, &bytes).ok_or_else(|| malformed("commit", id))?;
        if self.shallow.contains(&id) {
            head.parent = None;
        }
        if let Some(parent) = self.grafts.get(&id) {
            head.parent = *parent;
        }
        Ok(head)
    }

    fn commit_bytes(&self, id: Oid) -> Result<Bytes, Error> {
        if let Some(bytes) = self.commits.get(id) {
            return Ok(bytes);
        }
        if let Some((kind, bytes)) = self.packs.read(id) {
            if kind != PackedKind::Commit {
                return Err(malformed("commit", id));
            }
            return Ok(self.commits.keep(id, bytes));
        }
        let bytes = match self.odb.read(id) {
            Ok(object) if object.kind() != git2::ObjectType::Commit => {
                return Err(malformed("commit", id))
            }
            Ok(object) => object.data().to_vec(),
            // Not fetched by a partial clone: git fetches it on demand, and so does this.
            Err(e) => super::promisor::fetch_missing(self.repo, "commit", id, e)?,
        };
        Ok(self.commits.keep(id, Rc::new(bytes)))
    }

    /// A commit's author and message, read from its bytes where they have the plain shape
    /// (`commit_info`), else through libgit2, which a walk used for every commit it kept: a
    /// second read and a full parse of each (10 % of a cold `list`).
    pub(crate) fn commit_info(&self, repo: &Repository, id: Oid) -> Result<CommitInfo, Error> {
        if let Some(info) = commit_info(&self.commit_bytes(id)?) {
            return Ok(info);
        }
        let commit = repo.find_commit(id).map_err(git("reading a commit"))?;
        Ok(CommitInfo::of(&commit))
    }

    /// A tree's bytes; `entries` reads them.
    pub(crate) fn tree(&self, id: Oid) -> Result<Tree, Error> {
        if let Some(object) = self.trees.get(id) {
            return Ok(Tree { id, object });
        }
        let object = match self.packs.read(id) {
            Some((PackedKind::Tree, bytes)) => bytes,
            Some(_) => return Err(malformed("tree", id)),
            None => {
                let bytes = match self.odb.read(id) {
                    Ok(object) if object.kind() != git2::ObjectType::Tree => {
                        return Err(malformed("tree", id))
                    }
                    Ok(object) => object.data().to_vec(),
                    Err(e) => super::promisor::fetch_missing(self.repo, "tree", id, e)?,
                };
                Rc::new(bytes)
            }
        };
        let object = self.trees.keep(id, object);
        Ok(Tree { id, object })
    }

    /// A blob's bytes, through the same pack reader (not kept: a walk reads each blob once).
    pub(crate) fn blob(&self, id: Oid) -> Result<Bytes, Error> {
        match self.packs.read(id) {
            Some((PackedKind::Blob, bytes)) => Ok(bytes),
            Some(_) => Err(malformed("blob", id)),
            None => match self.odb.read(id) {
                Ok(object) if object.kind() != git2::ObjectType::Blob => Err(malformed("blob", id)),
                Ok(object) => Ok(Rc::new(object.data().to_vec())),
                // A partial clone fetches it from its promisor remote, as git would.
                Err(e) => Ok(Rc::new(super::promisor::fetch_missing(
                    self.repo, "blob", id, e,
                )?)),
            },
        }
    }
}

/// A commit-graph file (git's `Documentation/gitformat-commit-graph.txt`): the ids of the commits
/// it covers, sorted, and for each its tree and parents as positions in that list. Only a single
/// file of SHA-1 ids is read; a split chain (`commit-graphs/`), another hash or any inconsistency
/// means no graph, and commits are read from the object database as without one.
///
/// The file is local (never fetched), but it can be damaged, and a graph that lies would change
/// answers or, with parents that loop, make a walk run forever. So before it is used: its
/// checksum must match (damage), every first parent must be a position in the file (a walk that
/// enters the graph stays in it), and first parents must not loop (checked once over the whole
/// file, in time linear in its size). A graph that fails any of these is not used.
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
        let graph = CommitGraph {
            bytes,
            fanout,
            ids,
            data,
            count,
        };
        (graph.checksum_matches() && graph.first_parents_end()).then_some(graph)
    }

    /// Whether the file's last 20 bytes are the SHA-1 of the rest, as git writes it.
    fn checksum_matches(&self) -> bool {
        let Some(split) = self.bytes.len().checked_sub(GRAPH_ID) else {
            return false;
        };
        let (content, sum) = self.bytes.split_at(split);
        sha1_smol::Sha1::from(content).digest().bytes() == sum
    }

    /// The first parent's position of the commit at `position`: `Ok(None)` for a root, `Err` for a
    /// position outside the file.
    fn first_parent_at(&self, position: usize) -> Result<Option<usize>, ()> {
        let at = self.data + position * GRAPH_DATA + GRAPH_ID;
        let raw: [u8; 4] = self.bytes[at..at + 4].try_into().expect("4 bytes");
        match u32::from_be_bytes(raw) {
            GRAPH_NO_PARENT => Ok(None),
            p if (p as usize) < self.count => Ok(Some(p as usize)),
            _ => Err(()),
        }
    }

    /// Whether every chain of first parents is inside the file and reaches a root. Each commit is
    /// visited once: a chain stops where an earlier one (known to end) was, or fails where it meets
    /// itself.
    fn first_parents_end(&self) -> bool {
        const UNSEEN: u32 = u32::MAX;
        let mut chain_of = vec![UNSEEN; self.count];
        for start in 0..self.count {
            let chain = start as u32;
            let mut at = start;
            loop {
                match chain_of[at] {
                    UNSEEN => chain_of[at] = chain,
                    c if c == chain => return false,
                    _ => break,
                }
                match self.first_parent_at(at) {
                    Ok(Some(parent)) => at = parent,
                    Ok(None) => break,
                    Err(()) => return false,
                }
            }
        }
        true
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
        // Positions were checked when the file was read.
        let parent = match self.first_parent_at(position).ok()? {
            None => None,
            Some(p) => Some(Oid::from_bytes(self.id_at(p)).ok()?),
        };
        Some(CommitHead {
            id,
            tree,
            parent,
            walk: Walk::default(),
        })
    }
}

/// A tree object as read.
pub(crate) struct Tree {
    id: Oid,
    object: Bytes,
}

impl Tree {
    /// The entries in the tree's order.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> Result<Vec<Entry<'_>>, Error> {
        self.iter().collect()
    }

    /// The tree's raw bytes: its entries one after another (`next_entry` reads them).
    pub(crate) fn data(&self) -> &[u8] {
        &self.object
    }

    /// The error for a tree whose bytes do not read as entries.
    pub(crate) fn malformed(&self) -> Error {
        malformed("tree", self.id)
    }

    /// The entry called `name`, if any.
    /// Only the names are compared on the way (a walk looks a name up in a folder of hundreds
    /// for every commit); an entry that cannot be read before the match is still an error.
    pub(crate) fn get(&self, name: &str) -> Result<Option<Entry<'_>>, Error> {
        let mut rest: &[u8] = &self.object;
        while !rest.is_empty() {
            let (space, len) = bounds(rest).ok_or_else(|| self.malformed())?;
            if &rest[space + 1..len - 21] == name.as_bytes() {
                return Ok(entry(rest).map(|(entry, _)| entry));
            }
            rest = &rest[len..];
        }
        Ok(None)
    }

    /// Reads the entries one by one; an entry that cannot be read ends it with an error.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = Result<Entry<'_>, Error>> {
        let mut rest: &[u8] = &self.object;
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

/// How many bytes the entry at the start of a tree's `bytes` takes; `None` when it is cut short.
/// Two trees whose next entries are the same bytes have the same entry there, which a diff can
/// step over without reading it.
fn entry_len(bytes: &[u8]) -> Option<usize> {
    Some(bounds(bytes)?.1)
}

/// How many bytes at the start of two trees' entries are whole entries that are the same bytes on
/// both sides: the common prefix is found by comparing sixteen bytes at a time, then only one
/// side's entries are measured.
/// Also where the last of those entries starts (0 when there is none).
pub(crate) fn equal_entries(a: &[u8], b: &[u8]) -> (usize, usize) {
    let n = a.len().min(b.len());
    let mut same = 0;
    let word = |s: &[u8], i: usize| u128::from_ne_bytes(s[i..i + 16].try_into().unwrap_or([0; 16]));
    while same + 16 <= n && word(a, same) == word(b, same) {
        same += 16;
    }
    while same < n && a[same] == b[same] {
        same += 1;
    }
    let (mut at, mut last) = (0, 0);
    while let Some(len) = entry_len(&a[at..]) {
        if at + len > same {
            break;
        }
        last = at;
        at += len;
    }
    (at, last)
}

/// Where the entry at the start of a tree's `bytes` has its space (after the mode) and where it
/// ends; `None` when it is cut short.
fn bounds(bytes: &[u8]) -> Option<(usize, usize)> {
    // git writes modes of five or six digits (`40000`, `100644`): look there before searching.
    let digits_then_space =
        |n: usize| bytes.get(n) == Some(&b' ') && bytes[..n].iter().all(u8::is_ascii_digit);
    let space = if digits_then_space(5) {
        5
    } else if digits_then_space(6) {
        6
    } else {
        memchr::memchr(b' ', bytes)?
    };
    let nul = space + 1 + memchr::memchr(0, &bytes[space + 1..])?;
    (bytes.len() >= nul + 21).then_some((space, nul + 21))
}

/// The entry at the start of a tree's `bytes` and the bytes after it; `None` when it is cut short.
pub(crate) fn next_entry(bytes: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    entry(bytes)
}

/// One entry, `<octal mode> <name>\0<20-byte id>`, and the bytes after it.
fn entry(bytes: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    let (space, len) = bounds(bytes)?;
    let nul = len - 21;
    let raw_id = &bytes[nul + 1..len];
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
    Some((entry, &bytes[len..]))
}

/// A commit's author and message from its bytes, as libgit2 reads them (`commit_parse` and
/// `git_signature__parse` in libgit2 1.9), for commits of the plain shape: a `tree` line, `parent`
/// lines, one `author` and one `committer` line `NAME <EMAIL> SECONDS +HHMM` (one `<` and one
/// `>`), more header lines, an empty line, the message. `None` for anything else: the caller asks
/// libgit2, which then reads or refuses the commit as before.
fn commit_info(bytes: &[u8]) -> Option<CommitInfo> {
    let id_line = |rest: &[u8], header: &[u8]| -> Option<usize> {
        let hex = rest.strip_prefix(header)?.get(..41)?;
        (hex[40] == b'\n' && oid_from_hex(&hex[..40]).is_some()).then_some(header.len() + 41)
    };
    let mut at = id_line(bytes, b"tree ")?;
    while let Some(len) = id_line(&bytes[at..], b"parent ") {
        at += len;
    }
    let line = |at: usize, header: &[u8]| -> Option<(&[u8], usize)> {
        let rest = bytes[at..].strip_prefix(header)?;
        let end = memchr::memchr(b'\n', rest)?;
        Some((&rest[..end], at + header.len() + end + 1))
    };
    let (author, next) = line(at, b"author ")?;
    let (name, email, time, offset_minutes) = signature(author)?;
    if bytes[next..].starts_with(b"author ") {
        return None;
    }
    let (committer, next) = line(next, b"committer ")?;
    signature(committer)?;
    // Names and message in another encoding are re-encoded by `CommitInfo::of`.
    let header_end =
        memchr::memmem::find(&bytes[next - 1..], b"\n\n").map_or(bytes.len(), |at| next - 1 + at);
    if let Some(at) = memchr::memmem::find(&bytes[next - 1..header_end], b"\nencoding ") {
        let value = &bytes[next - 1 + at + 10..];
        let value = &value[..memchr::memchr(b'\n', value).unwrap_or(value.len())];
        if !value.eq_ignore_ascii_case(b"utf-8") && !value.eq_ignore_ascii_case(b"utf8") {
            return None;
        }
    }
    // The message starts after the first empty line; libgit2 copies it as a C string (up to a
    // NUL) and gives it without leading line breaks.
    let blank = next - 1 + memchr::memmem::find(&bytes[next - 1..], b"\n\n")?;
    let message = &bytes[blank + 2..];
    let message = &message[..memchr::memchr(0, message).unwrap_or(message.len())];
    let start = message
        .iter()
        .position(|b| *b != b'\n')
        .unwrap_or(message.len());
    Some(CommitInfo {
        author: String::from_utf8_lossy(name).into_owned(),
        email: String::from_utf8_lossy(email).into_owned(),
        time,
        offset_minutes,
        message: String::from_utf8_lossy(&message[start..])
            .trim_end()
            .to_string(),
    })
}

/// `NAME <EMAIL> SECONDS +HHMM`: name and email with libgit2's trimming, time and zone offset.
fn signature(line: &[u8]) -> Option<(&[u8], &[u8], i64, i32)> {
    let lt = memchr::memchr(b'<', line)?;
    let gt = memchr::memchr(b'>', line)?;
    if lt > gt || memchr::memrchr(b'<', line) != Some(lt) || memchr::memrchr(b'>', line) != Some(gt)
    {
        return None;
    }
    // libgit2 trims "crud" around names and emails.
    fn trim(mut s: &[u8]) -> &[u8] {
        let crud = |c: &u8| *c <= 32 || b",:;<>\"\\'".contains(c);
        while let [first, rest @ ..] = s {
            if !crud(first) {
                break;
            }
            s = rest;
        }
        while let [rest @ .., last] = s {
            if !crud(last) {
                break;
            }
            s = rest;
        }
        s
    }
    let when = line[gt + 1..].strip_prefix(b" ")?;
    let space = memchr::memchr(b' ', when)?;
    let (seconds, zone) = (&when[..space], &when[space + 1..]);
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !digits(seconds) || seconds.len() > 15 || zone.len() != 5 || !digits(&zone[1..]) {
        return None;
    }
    let time: i64 = std::str::from_utf8(seconds).ok()?.parse().ok()?;
    let zone_number: i32 = std::str::from_utf8(&zone[1..]).ok()?.parse().ok()?;
    let (hours, minutes) = (zone_number / 100, zone_number % 100);
    // libgit2 keeps a zone only when it is not out of range.
    let offset = match zone[0] {
        _ if hours > 14 || minutes > 59 => 0,
        b'+' => hours * 60 + minutes,
        b'-' => -(hours * 60 + minutes),
        _ => return None,
    };
    Some((trim(&line[..lt]), trim(&line[lt + 1..gt]), time, offset))
}

/// The `tree` and first `parent` header lines of a commit's bytes.
fn commit_head(id: Oid, bytes: &[u8]) -> Option<CommitHead> {
    let mut lines = bytes.split(|b| *b == b'\n');
    let tree = oid_from_hex(lines.next()?.strip_prefix(b"tree ")?)?;
    let parent = match lines.next()?.strip_prefix(b"parent ") {
        Some(hex) => Some(oid_from_hex(hex)?),
        None => None,
    };
    Some(CommitHead {
        id,
        tree,
        parent,
        walk: Walk::default(),
    })
}

/// A 40-digit hexadecimal object id.
pub(crate) fn oid_from_hex(hex: &[u8]) -> Option<Oid> {
    let hex: &[u8; 40] = hex.try_into().ok()?;
    let mut raw = [0u8; 20];
    let mut bad = 0u8;
    for (i, byte) in raw.iter_mut().enumerate() {
        let high = HEX_VALUE[usize::from(hex[2 * i])];
        let low = HEX_VALUE[usize::from(hex[2 * i + 1])];
        bad |= high | low;
        *byte = (high << 4) | (low & 0x0f);
    }
    // A byte that is not a hex digit maps to 0xff: one check at the end instead of one per
    // digit (a 5,000-version cache entry decodes 10,000 ids; `char::to_digit` per digit was half
    // of a warm `show ID@N`).
    if bad > 0x0f {
        return None;
    }
    Oid::from_bytes(&raw).ok()
}

/// The value of each byte as a hex digit (either case), 0xff for any other byte.
const HEX_VALUE: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests;
