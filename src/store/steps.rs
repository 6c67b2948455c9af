//! What one commit of the release line did to the prompt files (contract §4): which files got a
//! version, which were removed and which were moved, decided in one place for every answer that
//! numbers versions (`log`, `list`, `env`, `show ID@N`, `commit`, `promote`, `bundle`).
//!
//! A commit is compared with its first parent, so a merge commit is judged by what the merge
//! brought onto the line. The registry root is read from each commit's `.prompts.yaml`, so paths
//! relative to the root carry on where the root folder moved. A move is followed only into the
//! file that replaced the old one: see `find_moves`.

use std::collections::HashMap;

use git2::{Oid, Repository};

use super::config::{Config, CONFIG_FILE};
use super::git;
use super::objects::{Kind, Objects};
use crate::error::Error;
use crate::model::includes::included_ids;
use crate::model::{PromptId, PROMPT_EXT};

/// The trailer `prompt mv` writes in its commit message, naming the id the prompt had before.
pub(crate) const MOVED_FROM: &str = "Prompt-Moved-From:";

/// The trailer `prompt mv` writes after `Prompt-Moved-From`, naming the new id.
pub(crate) const MOVED_TO: &str = "Prompt-Moved-To:";

/// How alike (in percent of the larger file's bytes, counted by equal lines) a file added by a
/// commit must be to the file a `Prompt-Moved-From` trailer names, when neither of the added files
/// has the old file's exact content: git's own default for rename detection (`-M50%`).
pub(crate) const SIMILARITY: usize = 50;

/// Every id a message's `Prompt-Moved-From` lines name, in order. A squash merge's body holds the
/// squashed commits' messages, so one message can name several.
pub(crate) fn moved_from_all(message: &str) -> impl Iterator<Item = &str> {
    message
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(MOVED_FROM))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A move one commit made: `from` (gone in the commit) became `to` (new in it). Paths are relative
/// to the registry root.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Move {
    pub from: String,
    pub to: String,
    /// The blob `from` had just before the commit: a move to the same blob is no version.
    pub from_blob: Oid,
}

/// What a commit did to the prompt files, as every history answer reads it.
#[derive(Debug, PartialEq)]
pub(crate) struct Decision<'a> {
    /// Files that got a version, with their blobs: every added or changed prompt file except the
    /// target of a move that kept the content, and every prompt whose render changed through a
    /// prompt it includes.
    pub versions: Vec<(&'a str, Oid)>,
    /// Of those, the ones that changed only through an include: file, the included file.
    pub via: Vec<(&'a str, &'a str)>,
    /// Files removed, other than by a move.
    pub removed: Vec<&'a str>,
    pub moves: &'a [Move],
}

/// The one decision: given what a commit changed against its first parent (`files`: added or
/// changed, with blobs; `removed`) and the moves found in it, which prompt files got a version.
pub(crate) fn decide<'a>(
    files: &'a [(String, Oid)],
    removed: &'a [String],
    moves: &'a [Move],
    through: &'a [(String, Oid, String)],
) -> Decision<'a> {
    let mut versions: Vec<(&str, Oid)> = files
        .iter()
        .filter(|(f, _)| f.ends_with(PROMPT_EXT))
        .filter(|(f, blob)| !moves.iter().any(|m| m.to == *f && m.from_blob == *blob))
        .map(|(f, blob)| (f.as_str(), *blob))
        .collect();
    let removed = removed
        .iter()
        .filter(|f| f.ends_with(PROMPT_EXT))
        .filter(|f| !moves.iter().any(|m| m.from == **f))
        .map(String::as_str)
        .collect();
    let mut via = Vec::new();
    for (f, blob, included) in through {
        if !versions.iter().any(|(v, _)| v == f) {
            versions.push((f, *blob));
            via.push((f.as_str(), included.as_str()));
        }
    }
    Decision {
        versions,
        via,
        removed,
        moves,
    }
}

/// The prompts each added or changed prompt file includes, for those that include any.
pub(crate) fn includes_of(
    objects: &Objects,
    changed: &[(String, Oid)],
) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut out = Vec::new();
    for (f, blob) in changed.iter().filter(|(f, _)| f.ends_with(PROMPT_EXT)) {
        let ids = included_ids(&objects.blob(*blob)?);
        if !ids.is_empty() {
            out.push((f.clone(), ids));
        }
    }
    Ok(out)
}

/// Fills each commit's `through` from a whole registry history (newest first): the prompts that
/// did not change but include, directly or through other prompts, a prompt file the commit added,
/// changed, moved or removed. Includes are read as of each commit.
pub(crate) fn through_includes(history: &mut [super::history::Touched]) {
    use std::collections::{BTreeSet, VecDeque};
    type Edges = HashMap<String, Vec<String>>;
    type Includers = HashMap<String, BTreeSet<String>>;
    fn set_edges(edges: &mut Edges, includers: &mut Includers, file: &str, targets: Vec<String>) {
        for old in edges.remove(file).unwrap_or_default() {
            if let Some(set) = includers.get_mut(&old) {
                set.remove(file);
            }
        }
        for t in &targets {
            includers
                .entry(t.clone())
                .or_default()
                .insert(file.to_string());
        }
        if !targets.is_empty() {
            edges.insert(file.to_string(), targets);
        }
    }
    let file_of = |id: &str| PromptId::parse(id).ok().map(|id| id.file_name());
    let mut blobs: HashMap<String, Oid> = HashMap::new();
    let mut edges: Edges = HashMap::new();
    let mut includers: Includers = HashMap::new();
    for t in history.iter_mut().rev() {
        t.through.clear();
        let mut changed: Vec<String> = Vec::new();
        for f in t.removed.iter().filter(|f| f.ends_with(PROMPT_EXT)) {
            blobs.remove(f);
            set_edges(&mut edges, &mut includers, f, Vec::new());
            changed.push(f.clone());
        }
        for (f, blob) in t.files.iter().filter(|(f, _)| f.ends_with(PROMPT_EXT)) {
            blobs.insert(f.clone(), *blob);
            let targets = t
                .includes
                .iter()
                .find(|(i, _)| i == f)
                .map(|(_, ids)| ids.iter().filter_map(|id| file_of(id)).collect())
                .unwrap_or_default();
            set_edges(&mut edges, &mut includers, f, targets);
            changed.push(f.clone());
        }
        if includers.is_empty() {
            continue;
        }
        let mut seen: std::collections::HashSet<String> = changed.iter().cloned().collect();
        let mut queue: VecDeque<(String, String)> =
            changed.iter().map(|c| (c.clone(), c.clone())).collect();
        while let Some((file, via)) = queue.pop_front() {
            let Some(set) = includers.get(&file) else {
                continue;
            };
            for includer in set {
                if seen.insert(includer.clone()) {
                    if let Some(blob) = blobs.get(includer) {
                        t.through.push((includer.clone(), *blob, via.clone()));
                    }
                    queue.push_back((includer.clone(), via.clone()));
                }
            }
        }
    }
}

/// The moves a commit made, from what it changed against its first parent.
///
/// The ids named by `Prompt-Moved-From` trailers are looked for in the commit's message and, for
/// a merge commit, in the messages of the commits it merged (the branch's commits carry them; the
/// merge's own message does not). A named id is a move only when its file is gone in the commit,
/// and it moved into the added prompt file with exactly its last content, else into the added one
/// most like it (at least `SIMILARITY` percent); never into any other file the commit adds. A
/// `Prompt-Moved-To` trailer after it names the target outright (when the commit added it).
pub(crate) fn find_moves(
    repo: &Repository,
    objects: &Objects,
    commit: Oid,
    message: &str,
    old_root: Option<Oid>,
    changed: &[(String, Oid)],
    removed: &[String],
) -> Result<Vec<Move>, Error> {
    let is_prompt = |f: &&String| f.ends_with(PROMPT_EXT);
    if !removed.iter().any(|f| is_prompt(&f)) {
        return Ok(Vec::new());
    }
    let mut added: Vec<(&str, Oid)> = Vec::new();
    for (f, blob) in changed.iter().filter(|(f, _)| f.ends_with(PROMPT_EXT)) {
        if blob_at(objects, old_root, f)?.is_none() {
            added.push((f, *blob));
        }
    }
    if added.is_empty() {
        return Ok(Vec::new());
    }
    let mut messages = vec![message.to_string()];
    messages.extend(merged_messages(repo, commit));
    // Trailers in order; a `Prompt-Moved-To` line names the target of the `Prompt-Moved-From`
    // line before it (`prompt mv` writes both; older moves and other tools only the first).
    let mut named: Vec<String> = Vec::new();
    let mut named_to: HashMap<String, String> = HashMap::new();
    for m in &messages {
        let mut last: Option<String> = None;
        for line in m.lines().map(str::trim_start) {
            let file = |value: &str| PromptId::parse(value.trim()).ok().map(|id| id.file_name());
            if let Some(from) = line.strip_prefix(MOVED_FROM).and_then(file) {
                if !named.contains(&from) {
                    named.push(from.clone());
                }
                last = Some(from);
            } else if let Some(to) = line.strip_prefix(MOVED_TO).and_then(file) {
                if let Some(from) = last.take() {
                    named_to.entry(from).or_insert(to);
                }
            }
        }
    }
    // The old files the trailers name that the commit removed, with their last content.
    let mut olds: Vec<(String, Oid)> = Vec::new();
    for from in named.into_iter().filter(|f| removed.contains(f)) {
        if let Some(blob) = blob_at(objects, old_root, &from)? {
            olds.push((from, blob));
        }
    }
    let mut moves: Vec<Move> = Vec::new();
    let taken = |moves: &[Move], to: &str| moves.iter().any(|m| m.to == to);
    // First the targets the trailers name, followed through later moves on the same branch
    // (`a` to `b`, then `b` to `c`: `a` became `c`), when the commit added them.
    for (from, from_blob) in &olds {
        let mut to = named_to.get(from);
        let mut steps = 0;
        while let Some(next) = to.and_then(|t| named_to.get(t)) {
            steps += 1;
            if steps > named_to.len() {
                break;
            }
            to = Some(next);
        }
        if let Some((to, _)) = to.and_then(|to| added.iter().find(|(f, _)| f == to)) {
            if !taken(&moves, to) {
                moves.push(Move {
                    from: from.clone(),
                    to: to.to_string(),
                    from_blob: *from_blob,
                });
            }
        }
    }
    // A move whose trailers name its target is decided by them alone: when that target is not
    // among the added files (the branch removed it after the move), the old file was not moved
    // into anything, and a new prompt that happens to look like it must not take its history.
    let olds: Vec<(String, Oid)> = olds
        .into_iter()
        .filter(|(from, _)| !named_to.contains_key(from) || moves.iter().any(|m| m.from == *from))
        .collect();
    // Then, for moves without a named target, the files that kept their content exactly, then
    // the most alike pairs.
    for (from, from_blob) in &olds {
        if moves.iter().any(|m| m.from == *from) {
            continue;
        }
        if let Some((to, _)) = added
            .iter()
            .find(|(to, b)| b == from_blob && !taken(&moves, to))
        {
            moves.push(Move {
                from: from.clone(),
                to: to.to_string(),
                from_blob: *from_blob,
            });
        }
    }
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    let mut contents: HashMap<Oid, Vec<u8>> = HashMap::new();
    for (i, (from, from_blob)) in olds.iter().enumerate() {
        if moves.iter().any(|m| m.from == *from) {
            continue;
        }
        for (j, (to, blob)) in added.iter().enumerate() {
            if taken(&moves, to) {
                continue;
            }
            for id in [*from_blob, *blob] {
                if let std::collections::hash_map::Entry::Vacant(e) = contents.entry(id) {
                    e.insert(blob_bytes(repo, id)?);
                }
            }
            let score = similarity(&contents[from_blob], &contents[blob]);
            if score >= SIMILARITY {
                pairs.push((score, i, j));
            }
        }
    }
    // Best first; among equals, the trailer's order and then the path's.
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in pairs {
        let ((from, from_blob), (to, _)) = (&olds[i], &added[j]);
        if moves.iter().any(|m| m.from == *from) || taken(&moves, to) {
            continue;
        }
        moves.push(Move {
            from: from.clone(),
            to: to.to_string(),
            from_blob: *from_blob,
        });
    }
    Ok(moves)
}

/// The messages of the commits a merge commit brought in (reachable from its other parents, not
/// from its first); none for an ordinary commit, or where the history is cut short.
fn merged_messages(repo: &Repository, commit: Oid) -> Vec<String> {
    let Ok(c) = repo.find_commit(commit) else {
        return Vec::new();
    };
    if c.parent_count() < 2 {
        return Vec::new();
    }
    let walk = || -> Result<Vec<String>, git2::Error> {
        let mut walk = repo.revwalk()?;
        for i in 1..c.parent_count() {
            walk.push(c.parent_id(i)?)?;
        }
        walk.hide(c.parent_id(0)?)?;
        let mut out = Vec::new();
        for id in walk {
            let merged = repo.find_commit(id?)?;
            out.push(String::from_utf8_lossy(merged.message_bytes()).into_owned());
        }
        Ok(out)
    };
    walk().unwrap_or_default()
}

fn blob_bytes(repo: &Repository, id: Oid) -> Result<Vec<u8>, Error> {
    Ok(repo
        .find_blob(id)
        .map_err(git("reading a moved file"))?
        .content()
        .to_vec())
}

/// How alike two files are, in percent: the bytes of the lines they share (each line counted as
/// often as both have it) over the larger file's size.
pub(crate) fn similarity(a: &[u8], b: &[u8]) -> usize {
    let size = a.len().max(b.len());
    if size == 0 {
        return 100;
    }
    let mut lines: HashMap<&[u8], usize> = HashMap::new();
    for line in a.split_inclusive(|c| *c == b'\n') {
        *lines.entry(line).or_default() += 1;
    }
    let mut common = 0;
    for line in b.split_inclusive(|c| *c == b'\n') {
        if let Some(n) = lines.get_mut(line).filter(|n| **n > 0) {
            *n -= 1;
            common += line.len();
        }
    }
    common * 100 / size
}

/// The blob at `path` (`/`-separated) below the tree `root`, if there is one.
pub(crate) fn blob_at(
    objects: &Objects,
    root: Option<Oid>,
    path: &str,
) -> Result<Option<Oid>, Error> {
    let mut at = root;
    let parts: Vec<&str> = path.split('/').collect();
    for (i, name) in parts.iter().enumerate() {
        let Some(id) = at else { return Ok(None) };
        let tree = objects.tree(id)?;
        let last = i + 1 == parts.len();
        at = match tree.get(name)? {
            Some(e) if last && e.kind == Kind::Blob => return Ok(Some(e.id)),
            Some(e) if !last && e.kind == Kind::Tree => Some(e.id),
            _ => None,
        };
    }
    Ok(None)
}

/// The registry root each commit names in its `.prompts.yaml`; `default` (the open registry's)
/// where a commit has no such file or one that does not parse. Read once per version of the file.
pub(crate) struct Roots {
    default: String,
    /// By the config file's blob id.
    known: HashMap<Oid, String>,
}

impl Roots {
    pub(crate) fn new(default: &str) -> Roots {
        Roots {
            default: default.to_string(),
            known: HashMap::new(),
        }
    }

    /// The root at the commit whose top tree is `tree`.
    pub(crate) fn at(
        &mut self,
        repo: &Repository,
        objects: &Objects,
        tree: Oid,
    ) -> Result<String, Error> {
        let top = objects.tree(tree)?;
        let blob = match top.get(CONFIG_FILE)? {
            Some(e) if e.kind == Kind::Blob => e.id,
            _ => return Ok(self.default.clone()),
        };
        if let Some(root) = self.known.get(&blob) {
            return Ok(root.clone());
        }
        let root = repo
            .find_blob(blob)
            .ok()
            .and_then(|b| std::str::from_utf8(b.content()).ok().map(str::to_string))
            .and_then(|text| Config::parse(&text).ok())
            .map_or_else(|| self.default.clone(), |c| c.root);
        self.known.insert(blob, root.clone());
        Ok(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_are_read_from_every_line() {
        let squash = "Rename (#3)\n\n* Move a to b\n\nPrompt-Moved-From: a\n\n* Add d\n\n\
                      * Move x to y\n\nPrompt-Moved-From: x\n";
        assert_eq!(moved_from_all(squash).collect::<Vec<_>>(), vec!["a", "x"]);
        assert_eq!(moved_from_all("Prompt-Moved-From:   \n").count(), 0);
    }

    #[test]
    fn similarity_counts_shared_lines() {
        assert_eq!(similarity(b"", b""), 100);
        assert_eq!(similarity(b"a\nb\n", b"a\nb\n"), 100);
        assert_eq!(similarity(b"a\nb\n", b"a\nc\n"), 50);
        assert_eq!(similarity(b"a\n", b"x\ny\nz\n"), 0);
    }

    #[test]
    fn a_move_that_kept_the_content_is_no_version_and_no_removal() {
        let oid = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let files = vec![
            ("b.prompt.yaml".to_string(), oid(1)),
            ("d.prompt.yaml".to_string(), oid(2)),
        ];
        let removed = vec!["a.prompt.yaml".to_string()];
        let moves = vec![Move {
            from: "a.prompt.yaml".into(),
            to: "b.prompt.yaml".into(),
            from_blob: oid(1),
        }];
        let d = decide(&files, &removed, &moves, &[]);
        assert_eq!(d.versions, vec![("d.prompt.yaml", oid(2))]);
        assert!(d.removed.is_empty());
        let edited = vec![Move {
            from_blob: oid(9),
            ..moves[0].clone()
        }];
        assert_eq!(decide(&files, &removed, &edited, &[]).versions.len(), 2);
    }
}
