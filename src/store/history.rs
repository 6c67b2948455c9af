//! Versions over first-parent history (contract §4), read the fast way.
//!
//! A commit is a version of a file when the file's blob id differs from the first parent's. The walk
//! compares tree-entry ids along the file's path, starting at the root tree: a folder whose id did not
//! change is not opened, so most commits cost one commit read and no tree read. No tree diffs, no
//! pathspecs (ENGINEERING.md: about 9x slower).

use git2::{Oid, Repository};

use super::git;
use super::objects::{equal_entries, next_entry, CommitInfo, Entry, Kind, Objects, Tree};
use super::steps::{self, Move, Roots};
use super::trees;

use crate::error::Error;

/// One version found by the walk, newest first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawVersion {
    pub commit: Oid,
    pub blob: Oid,
    pub info: Info,
}

/// A commit's info as a walk read it, or as the history cache holds it: the JSON of its line,
/// parsed only when asked for. Numbering versions (`show ID@N`) needs none of it, and parsing the
/// JSON of every version was a sixth of that read.
#[derive(Debug, Clone)]
pub(crate) enum Info {
    Read(CommitInfo),
    /// From a verified cache file.
    Json(Box<[u8]>),
    /// From a verified per-prompt entry: bytes `start..end` of the whole file, shared by every
    /// version read from it (one allocation for the file rather than one per version).
    Shared {
        file: std::sync::Arc<Vec<u8>>,
        start: usize,
        end: usize,
    },
}

impl Info {
    /// The info; a cached line that does not parse (a file damaged with its checksum made to
    /// match) is not trusted: the commit is read instead, so the answer is the walk's.
    pub(crate) fn resolve(self, repo: &Repository, commit: Oid) -> Result<CommitInfo, Error> {
        if let Info::Read(info) = self {
            return Ok(info);
        }
        match serde_json::from_slice(self.json().unwrap_or_default()) {
            Ok(info) => Ok(info),
            Err(_) => Ok(CommitInfo::of(
                &repo.find_commit(commit).map_err(git("reading a commit"))?,
            )),
        }
    }

    /// The JSON bytes of a cached info; `None` for one the walk read.
    pub(crate) fn json(&self) -> Option<&[u8]> {
        match self {
            Info::Read(_) => None,
            Info::Json(json) => Some(json),
            Info::Shared { file, start, end } => file.get(*start..*end),
        }
    }

    fn parsed(&self) -> Option<CommitInfo> {
        match self {
            Info::Read(info) => Some(info.clone()),
            _ => serde_json::from_slice(self.json()?).ok(),
        }
    }
}

impl PartialEq for Info {
    fn eq(&self, other: &Info) -> bool {
        self.parsed() == other.parsed()
    }
}

/// The ids of the trees along a path, then the entry at the path: `[root, dir1, …, file]`;
/// `None` from where the path stops existing.
type Chain = Vec<Option<Oid>>;

/// Resolves `components` below `root`, reusing `prev` where ids agree: when a folder has the same id as
/// in `prev`, everything below it is the same too. The last component is a blob when `file`, else a
/// folder.
fn chain(
    objects: &Objects,
    root: Oid,
    components: &[&str],
    file: bool,
    prev: &Chain,
) -> Result<Chain, Error> {
    let mut out: Chain = Vec::with_capacity(components.len() + 1);
    out.push(Some(root));
    for (depth, name) in components.iter().enumerate() {
        let here = out[depth];
        if prev.len() == components.len() + 1 && prev[depth] == here {
            out.extend_from_slice(&prev[depth + 1..]);
            return Ok(out);
        }
        let next = match here {
            None => None,
            Some(tree_id) => {
                let tree = objects.tree(tree_id)?;
                match tree.get(name)? {
                    // Folders along the way must be trees, the file a blob.
                    Some(e)
                        if (e.kind == Kind::Tree) == (depth + 1 < components.len() || !file) =>
                    {
                        (e.kind != Kind::Commit).then_some(e.id)
                    }
                    _ => None,
                }
            }
        };
        out.push(next);
    }
    Ok(out)
}

/// The trailer `prompt mv` writes in its commit message, naming the id the prompt had before.
pub(crate) use super::steps::MOVED_FROM;

/// The versions of the file `path` (relative to the registry root; `default_root` where a commit
/// names none in `.prompts.yaml`) on the first-parent history of `start`, newest first.
///
/// Moves are followed as `steps::find_moves` finds them, and so is a registry root that moved: a
/// pure move is not a version; a move with edits is.
pub(crate) fn file_versions(
    repo: &Repository,
    start: Oid,
    default_root: &str,
    path: &str,
) -> Result<Vec<RawVersion>, Error> {
    walk_file(repo, start, default_root, path, usize::MAX)
}

/// The newest commit at or before `start` on its first-parent history that changed the file (its
/// state at `start`), following moves as `file_versions` does; the walk stops there.
pub(crate) fn last_change(
    repo: &Repository,
    start: Oid,
    default_root: &str,
    path: &str,
) -> Result<Option<RawVersion>, Error> {
    Ok(walk_file(repo, start, default_root, path, 1)?.pop())
}

fn walk_file(
    repo: &Repository,
    start: Oid,
    default_root: &str,
    path: &str,
    max: usize,
) -> Result<Vec<RawVersion>, Error> {
    let objects = Objects::new(repo)?;
    let mut roots = Roots::new(default_root);
    let mut rel = path.to_string();
    let mut out = Vec::new();
    let mut commit = objects.commit(start)?;
    let mut root = roots.at(repo, &objects, commit.tree)?;
    // The file's path from the repository root, as parts, and how many of them are the root's.
    let full = |root: &str, rel: &str| {
        let mut p: Vec<String> = parts_of(root).into_iter().map(str::to_string).collect();
        let depth = p.len();
        p.extend(rel.split('/').map(str::to_string));
        (p, depth)
    };
    let (mut owned, mut depth) = full(&root, &rel);
    let mut components: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut current = chain(&objects, commit.tree, &components, true, &Vec::new())?;
    let mut moves = 0;
    loop {
        objects.step();
        let parent = objects.parent(&commit)?;
        let parent_root = match &parent {
            Some(p) if p.tree != commit.tree => roots.at(repo, &objects, p.tree)?,
            _ => root.clone(),
        };
        if parent_root != root {
            (owned, depth) = full(&parent_root, &rel);
            components = owned.iter().map(String::as_str).collect();
        }
        let same_path = parent_root == root;
        let mut parent_chain = match &parent {
            Some(p) => {
                let prev = if same_path { &current } else { &Vec::new() };
                chain(&objects, p.tree, &components, true, prev)?
            }
            None => vec![None; components.len() + 1],
        };
        let blob = current.last().copied().flatten();
        // The commit's author and message are read only where the file changes.
        let mut full_info = None;
        // The file appears here: if the commit moved it, continue at the old path.
        if let (Some(_), None, Some(p)) = (blob, parent_chain.last().copied().flatten(), &parent) {
            let info = full_info.insert(objects.commit_info(repo, commit.id)?);
            let new_root = match same_path {
                true => current.get(depth).copied().flatten(),
                false => chain(&objects, commit.tree, &parts_of(&root), false, &Vec::new())?
                    .last()
                    .copied()
                    .flatten(),
            };
            let old_root = parent_chain.get(depth).copied().flatten();
            let (mut changed, mut removed) = (Vec::new(), Vec::new());
            diff_trees(&objects, old_root, new_root, "", &mut changed, &mut removed)?;
            let found = steps::find_moves(
                repo,
                &objects,
                commit.id,
                &info.message,
                old_root,
                &changed,
                &removed,
            )?;
            if let Some(m) = found.into_iter().find(|m| m.to == rel) {
                moves += 1;
                // A cycle of moves cannot make the walk loop: each move is followed once per commit.
                debug_assert!(moves <= 1_000_000);
                rel = m.from;
                (owned, depth) = full(&parent_root, &rel);
                components = owned.iter().map(String::as_str).collect();
                parent_chain = chain(&objects, p.tree, &components, true, &Vec::new())?;
            }
        }
        if let Some(blob) = blob {
            if parent_chain.last().copied().flatten() != Some(blob) {
                let info = match full_info {
                    Some(info) => info,
                    None => objects.commit_info(repo, commit.id)?,
                };
                out.push(RawVersion {
                    commit: commit.id,
                    blob,
                    info: Info::Read(info),
                });
                if out.len() >= max {
                    break;
                }
            }
        }
        match parent {
            Some(p) => {
                commit = p;
                current = parent_chain;
                root = parent_root;
            }
            None => break,
        }
    }
    Ok(out)
}

fn parts_of(root: &str) -> Vec<&str> {
    if root.is_empty() {
        Vec::new()
    } else {
        root.split('/').collect()
    }
}

/// A commit that added or changed files below the registry root.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Touched {
    pub commit: Oid,
    pub info: Info,
    /// Paths relative to the root, of files added or changed, with their new blob ids.
    pub files: Vec<(String, Oid)>,
    /// Paths relative to the root, of files removed.
    pub removed: Vec<String>,
    /// The moves the commit made (`steps::find_moves`).
    pub moves: Vec<Move>,
    /// For the added or changed prompt files that include other prompts: the ids they include.
    pub includes: Vec<(String, Vec<String>)>,
    /// Prompt files the commit did not change whose render it changed, through a prompt they
    /// include (transitively): file, its blob, the included file that changed. Worked out over the
    /// whole history (`steps::through_includes`), never kept in the cache.
    pub through: Vec<(String, Oid, String)>,
}

impl Touched {
    /// What the commit did to the prompt files: the one decision (`steps::decide`).
    pub(crate) fn decision(&self) -> steps::Decision<'_> {
        steps::decide(&self.files, &self.removed, &self.moves, &self.through)
    }
}

/// Every commit on the first-parent history of `start` that adds or changes a file below the
/// registry root, newest first, with the changed paths (relative to the root). The root is each
/// commit's own (`.prompts.yaml`; `default_root` where it names none), so a registry whose folder
/// moved is compared file by file across the move. One walk; folders whose ids did not change are
/// not opened.
///
/// The walk stops before `stop` (a commit whose history is already known, e.g. cached) and then
/// says so with `true`.
pub(crate) fn registry_history(
    repo: &Repository,
    start: Oid,
    default_root: &str,
    stop: Option<Oid>,
) -> Result<(Vec<Touched>, bool), Error> {
    let objects = Objects::new(repo)?;
    let mut roots = Roots::new(default_root);
    let mut out = Vec::new();
    if Some(start) == stop {
        return Ok((Vec::new(), true));
    }
    let mut commit = objects.commit(start)?;
    let mut root = roots.at(repo, &objects, commit.tree)?;
    let mut root_owned = root.clone();
    let mut components: Vec<&str> = parts_of(&root_owned);
    let mut current = chain(&objects, commit.tree, &components, false, &Vec::new())?;
    loop {
        objects.step();
        let parent = objects.parent(&commit)?;
        let parent_root = match &parent {
            Some(p) if p.tree != commit.tree => roots.at(repo, &objects, p.tree)?,
            _ => root.clone(),
        };
        let parent_chain = match &parent {
            Some(p) if parent_root == root => {
                chain(&objects, p.tree, &components, false, &current)?
            }
            Some(p) => chain(
                &objects,
                p.tree,
                &parts_of(&parent_root),
                false,
                &Vec::new(),
            )?,
            None => vec![None; components.len() + 1],
        };
        let new_root = current.last().copied().flatten();
        let old_root = parent_chain.last().copied().flatten();
        if new_root != old_root {
            let (mut changed, mut removed) = (Vec::new(), Vec::new());
            diff_trees(
                &objects,
                old_root,
                new_root,
                &root,
                &mut changed,
                &mut removed,
            )?;
            if !changed.is_empty() || !removed.is_empty() {
                let info = objects.commit_info(repo, commit.id)?;
                let moves = steps::find_moves(
                    repo,
                    &objects,
                    commit.id,
                    &info.message,
                    old_root,
                    &changed,
                    &removed,
                )?;
                let includes = steps::includes_of(&objects, &changed)?;
                out.push(Touched {
                    commit: commit.id,
                    info: Info::Read(info),
                    files: changed,
                    removed,
                    moves,
                    includes,
                    through: Vec::new(),
                });
            }
        }
        if commit.parent.is_some() && commit.parent == stop {
            return Ok((out, true));
        }
        match parent {
            Some(p) => {
                commit = p;
                current = parent_chain;
                if parent_root != root {
                    root_owned = parent_root.clone();
                    components = parts_of(&root_owned);
                }
                root = parent_root;
            }
            None => break,
        }
    }
    Ok((out, false))
}

/// The versions of the file `path` (relative to the registry root) from a registry history
/// (newest first), following moves like `file_versions` does: the same result without a walk.
pub(crate) fn versions_in(history: &[Touched], path: &str) -> Vec<RawVersion> {
    let mut current = path.to_string();
    let mut out = Vec::new();
    for t in history {
        let decision = t.decision();
        if let Some((_, blob)) = decision.versions.iter().find(|(f, _)| *f == current) {
            out.push(RawVersion {
                commit: t.commit,
                blob: *blob,
                info: t.info.clone(),
            });
        }
        if let Some(m) = decision.moves.iter().find(|m| m.to == current) {
            current = m.from.clone();
        }
    }
    out
}

/// Collects the paths of blobs in `new` that are absent from or different in `old` (`changed`),
/// and of blobs in `old` that are gone from `new` (`removed`). Equal subtrees are not opened.
///
/// Most entries of two versions of a folder are the same bytes (a commit changes a few files of
/// a folder of hundreds): those are stepped over by comparing bytes, and only the others are read
/// as entries. Both trees are sorted in git's order, so one merge pass pairs their entries.
///
/// Folders are compared from a stack, not by recursion, down to `trees::MAX_DEPTH` below the
/// repository root (`root` is the registry root's path); an entry with the same name as the entry
/// before it on its side is passed over (the first of duplicate names wins, as in `trees`).
fn diff_trees(
    objects: &Objects,
    old: Option<Oid>,
    new: Option<Oid>,
    root: &str,
    changed: &mut Vec<(String, Oid)>,
    removed: &mut Vec<String>,
) -> Result<(), Error> {
    let mut stack = vec![(old, new, String::new(), trees::depth_of(root))];
    while let Some((old, new, prefix, depth)) = stack.pop() {
        if depth > trees::MAX_DEPTH {
            let whole = if root.is_empty() {
                prefix
            } else {
                format!("{root}/{prefix}")
            };
            return Err(trees::too_deep(&whole));
        }
        let pending = stack.len();
        diff_folder(
            objects,
            (old, new),
            (&prefix, depth),
            changed,
            removed,
            &mut stack,
        )?;
        // Sub-folders in the tree's order, as a recursive walk would read them.
        stack[pending..].reverse();
    }
    Ok(())
}

/// Folders still to compare: old and new ids, path below the registry root, folders below the
/// repository root.
type Pending = Vec<(Option<Oid>, Option<Oid>, String, usize)>;

/// One folder of `diff_trees`: its files go to `changed` and `removed`, its changed sub-folders
/// onto `stack`.
fn diff_folder(
    objects: &Objects,
    (old, new): (Option<Oid>, Option<Oid>),
    (prefix, depth): (&str, usize),
    changed: &mut Vec<(String, Oid)>,
    removed: &mut Vec<String>,
    stack: &mut Pending,
) -> Result<(), Error> {
    // An entry that does not read is an error, as reading the whole tree would be. (Bytes come
    // only from a tree, so `tree` is there whenever `bytes` are not empty.)
    fn next<'a>(bytes: &'a [u8], tree: &Option<Tree>) -> Result<(Entry<'a>, &'a [u8]), Error> {
        next_entry(bytes).ok_or_else(|| {
            tree.as_ref().map_or_else(
                || Error::Refused("a tree is malformed".into()),
                Tree::malformed,
            )
        })
    }
    let read = |id: Option<Oid>| id.map(|id| objects.tree(id)).transpose();
    let (old_tree, new_tree) = (read(old)?, read(new)?);
    let mut olds: &[u8] = old_tree.as_ref().map_or(&[], |t| t.data());
    let mut news: &[u8] = new_tree.as_ref().map_or(&[], |t| t.data());
    // The last entry passed on each side (its bytes, from its start): an entry of the same name
    // right after it is a duplicate.
    let (mut old_last, mut new_last): (&[u8], &[u8]) = (&[], &[]);
    let path_of = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        }
    };
    while !olds.is_empty() || !news.is_empty() {
        // The same bytes on the other side are the same entries: their modes and names end at
        // the same places.
        let (same, last) = equal_entries(olds, news);
        if same > 0 {
            (old_last, new_last) = (&olds[last..], &olds[last..]);
            olds = &olds[same..];
            news = &news[same..];
            continue;
        }
        let old_entry = (!olds.is_empty())
            .then(|| next(olds, &old_tree))
            .transpose()?;
        let new_entry = (!news.is_empty())
            .then(|| next(news, &new_tree))
            .transpose()?;
        // A second entry of the same name is not read (and the other side's entry is then
        // paired with what follows).
        if let Some((_, rest)) = old_entry.filter(|(e, _)| names(old_last, e.name)) {
            olds = rest;
            continue;
        }
        if let Some((_, rest)) = new_entry.filter(|(e, _)| names(new_last, e.name)) {
            news = rest;
            continue;
        }
        let order = match (&old_entry, &new_entry) {
            (Some((o, _)), Some((n, _))) => o.tree_order(n),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (old_entry, new_entry) = match order {
            std::cmp::Ordering::Less => (old_entry, None),
            std::cmp::Ordering::Greater => (None, new_entry),
            std::cmp::Ordering::Equal => (old_entry, new_entry),
        };
        if let Some((_, rest)) = old_entry {
            old_last = olds;
            olds = rest;
        }
        if let Some((_, rest)) = new_entry {
            new_last = news;
            news = rest;
        }
        let (old_entry, new_entry) = (old_entry.map(|e| e.0), new_entry.map(|e| e.0));
        let entry = new_entry.or(old_entry).expect("one side has an entry");
        let Ok(name) = std::str::from_utf8(entry.name) else {
            continue;
        };
        let (old_id, new_id) = (old_entry.map(|e| e.id), new_entry.map(|e| e.id));
        if old_id == new_id {
            continue;
        }
        match entry.kind {
            Kind::Tree => stack.push((old_id, new_id, path_of(name), depth + 1)),
            Kind::Blob => match new_id {
                Some(id) => changed.push((path_of(name), id)),
                None => removed.push(path_of(name)),
            },
            Kind::Commit => {}
        }
    }
    Ok(())
}

/// Whether the tree entry at the start of `bytes` is called `name`: `MODE NAME\0`, compared in
/// place (a walk asks this after every run of equal entries).
fn names(bytes: &[u8], name: &[u8]) -> bool {
    // git writes modes of five or six digits (`40000`, `100644`).
    let start = match (bytes.get(5), bytes.get(6)) {
        (Some(b' '), _) => 6,
        (_, Some(b' ')) => 7,
        _ => return false,
    };
    bytes.get(start..start + name.len()) == Some(name) && bytes.get(start + name.len()) == Some(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Signature, Time};

    /// Commits `files` (path, content; `None` removes) on top of HEAD with git2 directly.
    fn commit(repo: &Repository, files: &[(&str, Option<&str>)]) -> Oid {
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, content) in files {
            match content {
                Some(c) => {
                    let blob = repo.blob(c.as_bytes()).unwrap();
                    update.upsert(*path, blob, git2::FileMode::Blob);
                }
                None => {
                    update.remove(*path);
                }
            }
        }
        let base = match &parent {
            Some(p) => p.tree().unwrap(),
            None => repo
                .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
                .unwrap(),
        };
        let tree = repo
            .find_tree(update.create_updated(repo, &base).unwrap())
            .unwrap();
        let sig = Signature::new("T", "t@example.com", &Time::new(1_700_000_000, 0)).unwrap();
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "m", &tree, &parents)
            .unwrap()
    }

    /// The diff steps over equal entries by their bytes and pairs the others in git's order, where
    /// a folder sorts as if its name ended in `/` (`x.y` < `x/` < `x0`): the same files as git's
    /// own tree diff, for names that are prefixes of each other.
    #[test]
    fn the_registry_history_lists_the_files_git_diffs_list() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let names = ["r/x/a", "r/x.y", "r/x0", "r/x-z", "r/w", "r/x/b/c", "r/y"];
        let all: Vec<(&str, Option<&str>)> = names.iter().map(|n| (*n, Some("1"))).collect();
        commit(&repo, &all);
        let steps: [&[(&str, Option<&str>)]; 7] = [
            &[("r/x.y", Some("2")), ("r/x/a", Some("2"))],
            &[("r/x/b/c", None), ("r/x0", Some("2")), ("r/x/a", None)],
            &[("r/x", Some("file now")), ("r/x-z", None)],
            &[("r/x", None), ("r/w", Some("2"))],
            &[("r/x/a", Some("3")), ("r/y", Some("2"))],
            &[("r/x.y", None)],
            &[("r/x.y", Some("3")), ("r/x0", None)],
        ];
        for step in steps {
            commit(&repo, step);
        }
        let head = repo.head().unwrap().target().unwrap();
        let (ours, _) = registry_history(&repo, head, "r", None).unwrap();
        let mut commit = repo.find_commit(head).unwrap();
        let mut theirs = Vec::new();
        loop {
            let parent = commit.parent(0).ok();
            let old = parent.as_ref().map(|p| p.tree().unwrap());
            let diff = repo
                .diff_tree_to_tree(old.as_ref(), Some(&commit.tree().unwrap()), None)
                .unwrap();
            let (mut changed, mut removed) = (Vec::new(), Vec::new());
            for d in diff.deltas() {
                let path = |f: git2::DiffFile| f.path().unwrap().to_str().unwrap().to_string();
                match d.status() {
                    git2::Delta::Deleted => removed.push(path(d.old_file())),
                    _ => changed.push((path(d.new_file()), d.new_file().id())),
                }
            }
            theirs.push((commit.id(), changed, removed));
            match parent {
                Some(p) => commit = p,
                None => break,
            }
        }
        let ours: Vec<_> = ours
            .into_iter()
            .map(|t| {
                let under = |f: &str| format!("r/{f}");
                let files = t.files.iter().map(|(f, b)| (under(f), *b)).collect();
                (
                    t.commit,
                    files,
                    t.removed.iter().map(|f| under(f)).collect(),
                )
            })
            .collect();
        /// A commit, its changed files with their blobs, its removed files.
        type Diffed = (Oid, Vec<(String, Oid)>, Vec<String>);
        let sorted = |mut v: Vec<Diffed>| {
            for (_, c, r) in &mut v {
                c.sort();
                r.sort();
            }
            v
        };
        assert_eq!(sorted(ours), sorted(theirs));
    }

    #[test]
    fn versions_are_commits_that_change_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let c1 = commit(
            &repo,
            &[
                ("p/a.prompt.yaml", Some("1")),
                ("p/b.prompt.yaml", Some("1")),
            ],
        );
        let _c2 = commit(
            &repo,
            &[("p/b.prompt.yaml", Some("2")), ("other.txt", Some("x"))],
        );
        let c3 = commit(&repo, &[("p/a.prompt.yaml", Some("2"))]);
        let c4 = commit(&repo, &[("p/a.prompt.yaml", None)]);
        let c5 = commit(&repo, &[("p/a.prompt.yaml", Some("1"))]);
        let _c6 = commit(&repo, &[("other.txt", Some("y"))]);
        let head = repo.head().unwrap().target().unwrap();

        let a: Vec<Oid> = file_versions(&repo, head, "p", "a.prompt.yaml")
            .unwrap()
            .iter()
            .map(|v| v.commit)
            .collect();
        // The removal is not a version; coming back with old content is one.
        assert_eq!(a, vec![c5, c3, c1]);
        assert_eq!(
            file_versions(&repo, head, "p", "b.prompt.yaml")
                .unwrap()
                .len(),
            2
        );
        assert!(file_versions(&repo, head, "p", "none.prompt.yaml")
            .unwrap()
            .is_empty());
        assert!(
            file_versions(&repo, head, "", "p").unwrap().is_empty(),
            "a folder is not a file"
        );

        let (all, stopped) = registry_history(&repo, head, "p", None).unwrap();
        assert!(!stopped);
        let changed: Vec<(Oid, Vec<String>, Vec<String>)> = all
            .iter()
            .map(|t| {
                (
                    t.commit,
                    t.files.iter().map(|f| f.0.clone()).collect(),
                    t.removed.clone(),
                )
            })
            .collect();
        let a = || vec!["a.prompt.yaml".to_string()];
        assert_eq!(changed.len(), 5, "{changed:?}");
        assert_eq!(changed[0], (c5, a(), vec![]));
        assert_eq!(changed[1], (c4, vec![], a()), "a removal is listed as one");
        assert_eq!(
            changed[4].1,
            vec!["a.prompt.yaml".to_string(), "b.prompt.yaml".to_string()]
        );
        // The versions read off the registry history are the walk's.
        for file in ["a.prompt.yaml", "b.prompt.yaml", "none.prompt.yaml"] {
            let walked = file_versions(&repo, head, "p", file).unwrap();
            let listed = versions_in(&all, file);
            let pairs = |v: &[RawVersion]| v.iter().map(|r| (r.commit, r.blob)).collect::<Vec<_>>();
            assert_eq!(pairs(&walked), pairs(&listed), "{file}");
        }
        // A walk told where to stop stops there.
        let (newer, stopped) = registry_history(&repo, head, "p", Some(c4)).unwrap();
        assert!(stopped);
        assert_eq!(newer.len(), 1);
    }
}
