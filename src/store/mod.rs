//! The registry: finding the repository and its config, reading prompt files in the working tree or
//! at any commit, versions, references and environment tags, and committing prompt files.
//!
//! This is the only module that uses git2. Everything it hands out speaks in prompt ids, commit ids,
//! versions and bytes, so the rest of the crate never sees a git object.

mod cache;
mod commit;
pub mod config;
mod env;
mod history;
mod import;
mod interrupt;
mod moves;
mod objects;
mod parallel;
mod remote;
pub mod signature;
mod versions;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

pub use commit::{Change, ChangeKind, Committed};
pub use config::{Config, CONFIG_FILE};
pub use env::{BrokenTag, EnvState, Promotion};
pub use interrupt::{interrupt, interrupted_after_commit, stopping};
pub use moves::Moved;
pub use remote::{Divergence, PullReport, PushReport};
pub use versions::{Draft, ReleaseLine, VersionOrDraft};

use crate::error::Error;
use crate::model::id::printable;
use crate::model::{EnvName, PromptId, Reference, Selector, PROMPT_EXT};

fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let context = context.into();
    move |source| Error::Git { context, source }
}

/// A commit id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitId(Oid);

impl CommitId {
    /// The first seven hex digits, as `git log --oneline` shows by default.
    pub fn short(&self) -> String {
        let mut s = self.0.to_string();
        s.truncate(7);
        s
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where prompt files are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rev {
    /// The files on disk.
    WorkingTree,
    /// The tree of a commit.
    Commit(CommitId),
}

/// A version of a prompt: a commit on the release line (SPEC §4) that changed its file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    /// From 1, oldest first (`version` in JSON, as in every other output).
    #[serde(rename = "version")]
    pub number: usize,
    #[serde(serialize_with = "ser_display")]
    pub commit: CommitId,
    pub author: String,
    pub email: String,
    /// Seconds since the epoch (author time).
    pub time: i64,
    /// The author's zone, minutes east of UTC.
    pub offset_minutes: i32,
    /// The whole commit message.
    pub message: String,
    /// The file's content at this version.
    #[serde(skip)]
    blob: Oid,
}

impl Version {
    fn new(commit: Oid, number: usize, blob: Oid, info: history::CommitInfo) -> Version {
        Version {
            number,
            commit: CommitId(commit),
            author: info.author,
            email: info.email,
            time: info.time,
            offset_minutes: info.offset_minutes,
            message: info.message,
            blob,
        }
    }

    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

fn ser_display<S: serde::Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A commit of the registry's history with the prompt files it changed and their new version numbers.
#[derive(Debug, Clone)]
pub struct RegistryCommit {
    /// The commit's data (`number` is unused: 0).
    pub version: Version,
    /// Files relative to the registry root, with the version each became.
    pub changes: Vec<(String, usize)>,
    /// Prompt files removed by this commit.
    pub removed: Vec<String>,
    /// Prompts moved by this commit: old file, new file.
    pub moves: Vec<(String, String)>,
}

/// A reference resolved to file bytes.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub id: PromptId,
    pub rev: Rev,
    /// The version number, when the reference named one (`@N`, `@latest`) or it was found for
    /// free; `Registry::version_number` gives it for any reference.
    pub version: Option<usize>,
    /// The environment the reference named, if any.
    pub env: Option<EnvName>,
    /// The file's path relative to the repository root.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Resolved {
    /// How messages name the file: `prompts/a.prompt.yaml`, with `@commit` when not the working tree.
    pub fn display_name(&self) -> String {
        match self.rev {
            Rev::WorkingTree => self.path.clone(),
            Rev::Commit(c) => format!("{}@{}", self.path, c.short()),
        }
    }
}

/// Whether the history cache is bypassed (`PROMPT_NO_CACHE`).
fn cache_disabled() -> bool {
    std::env::var_os("PROMPT_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A file's bytes and the version number they are.
type BytesAndVersion = (Vec<u8>, Option<usize>);

/// One commit of the prompt history, with files under their names at `HEAD`.
struct HistoryEntry {
    commit: Oid,
    info: history::CommitInfo,
    /// Prompt files that got a version.
    files: Vec<String>,
    /// Prompt files removed (a move's old name is not counted here).
    removed: Vec<String>,
    /// Moves: old file, new file.
    moves: Vec<(String, String)>,
}

/// An opened registry.
pub struct Registry {
    repo: Repository,
    config: Config,
}

impl Registry {
    /// Finds the repository containing `start` (or `start` itself, bare or not) and reads its config.
    pub fn open(start: &Path) -> Result<Registry, Error> {
        // Object reads need not re-hash: git itself does not on every read (ENGINEERING.md: 3.4x).
        git2::opts::strict_hash_verification(false);
        // Folder trees of a large registry are a few KiB: cache them (the default limit of 4 KiB
        // made the history walk inflate each changed folder twice).
        // SAFETY: a process-wide libgit2 setting, changed before any repository is in use here and
        // set to the same value on every call.
        unsafe {
            let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 256 * 1024);
        }
        let repo = Repository::discover(start).map_err(|e| open_error(start, e))?;
        let config = read_config(&repo)?;
        Ok(Registry { repo, config })
    }

    /// The registry config.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The working tree folder, or `None` in a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The working tree, or an error naming `action` in a bare repository.
    pub fn require_workdir(&self, action: &str) -> Result<&Path, Error> {
        self.workdir().ok_or_else(|| Error::BareRepository {
            action: action.into(),
        })
    }

    /// The path of a prompt's file relative to the repository root.
    pub fn path_of(&self, id: &PromptId) -> String {
        self.config.path_of(&id.file_name())
    }

    /// The absolute path of a prompt's file in the working tree; an error when the path goes
    /// through a symbolic link (SPEC §12: the repository is the boundary).
    pub fn file_of(&self, id: &PromptId) -> Result<PathBuf, Error> {
        let dir = self.require_workdir("this command")?;
        let path = self.path_of(id);
        if let Some(link) = symlink_in(dir, &path) {
            return Err(symlink_error(&link));
        }
        Ok(dir.join(path))
    }

    /// Symbolic links in the working tree where prompts are looked for: the root folder itself,
    /// prompt files and folders below it (paths relative to the repository root, sorted). prompt
    /// never follows, writes through or deletes them; `check` and `list` report them.
    pub fn symlinks(&self) -> Result<Vec<String>, Error> {
        let Some(dir) = self.workdir() else {
            return Ok(Vec::new());
        };
        if let Some(link) = symlink_in(dir, &self.config.root) {
            return Ok(vec![link]);
        }
        let mut links = Vec::new();
        walk_dir(
            &dir.join(&self.config.root),
            "",
            &mut Vec::new(),
            &mut links,
        )?;
        let mut out: Vec<String> = links.iter().map(|l| self.config.path_of(l)).collect();
        out.sort();
        Ok(out)
    }

    /// The tags `ID@ENV` of `id` in protected environments (SPEC §5), which a command that moves or
    /// removes them must have confirmed.
    pub fn protected_tags(&self, id: &PromptId) -> Result<Vec<String>, Error> {
        Ok(self
            .envs_of(id)?
            .into_iter()
            .filter(|(env, _)| self.config.is_protected(env.as_str()))
            .map(|(env, _)| format!("{id}@{env}"))
            .collect())
    }

    /// `symlinks`, as the warnings every command that lists prompts prints.
    pub fn symlink_warnings(&self) -> Result<Vec<String>, Error> {
        Ok(self
            .symlinks()?
            .into_iter()
            .map(|link| {
                format!(
                    "{link} is a symbolic link: prompt leaves it alone (never follows, commits, \
                     writes through or deletes it)"
                )
            })
            .collect())
    }

    /// Refuses while a merge, rebase, cherry-pick, revert or `git am` is in progress, naming the
    /// git command that finishes or aborts it.
    pub fn require_clean_state(&self, action: &str) -> Result<(), Error> {
        commit::require_clean_state(self, action)
    }

    /// Whether this is a shallow clone, whose history (and so version numbering) is cut short.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The editor git would open: `GIT_EDITOR`, `core.editor`, `VISUAL`, `EDITOR`, then `vi`.
    pub fn editor(&self) -> String {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        var("GIT_EDITOR")
            .or_else(|| {
                self.repo
                    .config()
                    .ok()
                    .and_then(|c| c.get_string("core.editor").ok())
            })
            .or_else(|| var("VISUAL"))
            .or_else(|| var("EDITOR"))
            .unwrap_or_else(|| "vi".to_string())
    }

    /// The commit `HEAD` points at, or `None` in a repository without commits.
    pub fn head(&self) -> Result<Option<CommitId>, Error> {
        match self.repo.head() {
            Ok(r) => Ok(Some(CommitId(
                r.peel_to_commit().map_err(git("reading HEAD"))?.id(),
            ))),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(git("reading HEAD")(e)),
        }
    }

    /// The default place to read: the working tree, or `HEAD` in a bare repository.
    pub fn default_rev(&self) -> Result<Option<Rev>, Error> {
        if self.workdir().is_some() {
            Ok(Some(Rev::WorkingTree))
        } else {
            Ok(self.head()?.map(Rev::Commit))
        }
    }

    /// The best common ancestor of two commits (what `A...B` compares from).
    pub fn merge_base(&self, a: CommitId, b: CommitId) -> Result<CommitId, Error> {
        self.repo
            .merge_base(a.0, b.0)
            .map(CommitId)
            .map_err(|e| match e.code() {
                ErrorCode::NotFound => Error::UnknownReference {
                    reference: format!("{}...{}", a.short(), b.short()),
                    reason: "the two revisions have no common ancestor".into(),
                },
                _ => git("finding the merge base")(e),
            })
    }

    /// Resolves a git revision (`main`, `HEAD~2`, `abc1234`, a tag) to a commit.
    pub fn revision(&self, spec: &str) -> Result<Option<CommitId>, Error> {
        match self.repo.revparse_single(spec) {
            Ok(obj) => match obj.peel_to_commit() {
                Ok(c) => Ok(Some(CommitId(c.id()))),
                Err(_) => Ok(None),
            },
            Err(_) => Ok(None),
        }
    }

    /// Paths (relative to the registry root, `/`-separated) of every `*.prompt.yaml` file at `rev`,
    /// sorted. Names that are not valid ids are included so that `check` can report them.
    pub fn prompt_files(&self, rev: Rev) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        match rev {
            Rev::WorkingTree => {
                let dir = self.require_workdir("reading the working tree")?;
                // A root folder that is (or lies below) a symbolic link holds no prompts: its
                // files are outside the repository (`symlinks` reports it).
                if symlink_in(dir, &self.config.root).is_none() {
                    walk_dir(&dir.join(&self.config.root), "", &mut out, &mut Vec::new())?;
                }
            }
            Rev::Commit(c) => {
                let tree = self.root_tree(c)?;
                if let Some(tree) = tree {
                    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                        if entry.kind() == Some(git2::ObjectType::Blob) {
                            if let Ok(name) = entry.name() {
                                if name.ends_with(PROMPT_EXT) {
                                    out.push(format!("{dir}{name}"));
                                }
                            }
                        }
                        git2::TreeWalkResult::Ok
                    })
                    .map_err(git("listing prompts"))?;
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The ids of every prompt at `rev` whose file name is a valid id.
    pub fn ids(&self, rev: Rev) -> Result<Vec<PromptId>, Error> {
        Ok(self
            .prompt_files(rev)?
            .iter()
            .filter_map(|f| PromptId::from_file_name(f))
            .collect())
    }

    fn root_tree(&self, c: CommitId) -> Result<Option<git2::Tree<'_>>, Error> {
        let commit = self
            .repo
            .find_commit(c.0)
            .map_err(git("reading a commit"))?;
        let tree = commit.tree().map_err(git("reading a tree"))?;
        if self.config.root.is_empty() {
            return Ok(Some(tree));
        }
        match tree.get_path(Path::new(&self.config.root)) {
            Ok(e) if e.kind() == Some(git2::ObjectType::Tree) => Ok(Some(
                self.repo.find_tree(e.id()).map_err(git("reading a tree"))?,
            )),
            _ => Ok(None),
        }
    }

    /// The bytes of the file at `path` (relative to the repository root) at `rev`, or `None`.
    pub fn read_path(&self, rev: Rev, path: &str) -> Result<Option<Vec<u8>>, Error> {
        match rev {
            Rev::WorkingTree => {
                let dir = self.require_workdir("reading the working tree")?;
                if let Some(link) = symlink_in(dir, path) {
                    return Err(symlink_error(&link));
                }
                read_capped(&dir.join(path))
            }
            Rev::Commit(c) => {
                let commit = self
                    .repo
                    .find_commit(c.0)
                    .map_err(git("reading a commit"))?;
                let tree = commit.tree().map_err(git("reading a tree"))?;
                let entry = match tree.get_path(Path::new(path)) {
                    Ok(e) if e.kind() == Some(git2::ObjectType::Blob) => e,
                    _ => return Ok(None),
                };
                self.blob_bytes(entry.id(), path).map(Some)
            }
        }
    }

    fn blob_bytes(&self, id: Oid, path: &str) -> Result<Vec<u8>, Error> {
        let blob = self
            .repo
            .find_blob(id)
            .map_err(git(format!("reading {path}")))?;
        Ok(blob.content().to_vec())
    }

    /// The bytes of a prompt's file at `rev`, or `None` when it does not exist there.
    pub fn read(&self, rev: Rev, id: &PromptId) -> Result<Option<Vec<u8>>, Error> {
        self.read_path(rev, &self.path_of(id))
    }

    /// The versions of a prompt on the release line, oldest first (from the history cache).
    /// In a shallow clone whose release line is cut short: `Error::ShallowHistory`.
    pub fn versions(&self, id: &PromptId) -> Result<Vec<Version>, Error> {
        let raw = self.release_raw_versions(id)?;
        self.numbered(raw)
    }

    fn numbered(&self, raw: Vec<history::RawVersion>) -> Result<Vec<Version>, Error> {
        let count = raw.len();
        Ok(raw
            .into_iter()
            .enumerate()
            .map(|(i, v)| Version::new(v.commit, count - i, v.blob, v.info))
            .rev()
            .collect())
    }

    /// The versions of `id` from `start`, newest first, following `prompt mv` renames.
    pub(crate) fn raw_versions(
        &self,
        start: CommitId,
        id: &PromptId,
    ) -> Result<Vec<history::RawVersion>, Error> {
        let old_path = |old: &str| PromptId::parse(old).ok().map(|old| self.path_of(&old));
        history::file_versions(&self.repo, start.0, &self.path_of(id), &old_path)
    }

    /// A commit made by `prompt mv` names the old id in a trailer: `moved_away` tells whether the
    /// removal found by `removal` was such a move.
    pub fn moved_away(&self, id: &PromptId, removal: &Version) -> bool {
        history::moved_from(&removal.message) == Some(id.as_str())
    }

    /// When the prompt is absent at `HEAD` but was committed before: the commit that removed it
    /// (walking back only until then).
    pub fn removal(&self, id: &PromptId) -> Result<Option<Version>, Error> {
        let Some(head) = self.head()? else {
            return Ok(None);
        };
        let path = self.path_of(id);
        let mut commit = self
            .repo
            .find_commit(head.0)
            .map_err(git("reading a commit"))?;
        let has = |c: &git2::Commit| -> bool {
            c.tree()
                .map(|t| t.get_path(Path::new(&path)).is_ok())
                .unwrap_or(false)
        };
        if has(&commit) {
            return Ok(None);
        }
        while let Ok(parent) = commit.parent(0) {
            if has(&parent) {
                return Ok(Some(self.version_of(&commit, 0, Oid::ZERO_SHA1)));
            }
            commit = parent;
        }
        Ok(None)
    }

    /// The registry's history on the release line, newest first: each commit that changed
    /// prompt files, with the files (relative to the root) and the version each became.
    pub fn history(&self) -> Result<Vec<RegistryCommit>, Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok(Vec::new());
        };
        let raw = self.prompt_history(tip)?;
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for entry in &raw {
            for f in &entry.files {
                *remaining.entry(f.as_str()).or_default() += 1;
            }
        }
        let mut out = Vec::with_capacity(raw.len());
        for entry in &raw {
            let changes = entry
                .files
                .iter()
                .map(|f| {
                    let n = remaining.get_mut(f.as_str()).expect("counted above");
                    *n -= 1;
                    (f.clone(), *n + 1)
                })
                .collect::<Vec<_>>();
            if changes.is_empty() && entry.moves.is_empty() && entry.removed.is_empty() {
                continue;
            }
            out.push(RegistryCommit {
                version: Version::new(entry.commit, 0, Oid::ZERO_SHA1, entry.info.clone()),
                changes,
                removed: entry.removed.clone(),
                moves: entry.moves.clone(),
            });
        }
        Ok(out)
    }

    /// For every prompt file (relative to the root, under its name at the release line's tip), its
    /// version commits, oldest first.
    pub fn version_index(&self) -> Result<HashMap<String, Vec<CommitId>>, Error> {
        let Some(tip) = self.release_tip()? else {
            return Ok(HashMap::new());
        };
        let mut index: HashMap<String, Vec<CommitId>> = HashMap::new();
        for entry in self.prompt_history(tip)? {
            for f in entry.files {
                index.entry(f).or_default().push(CommitId(entry.commit));
            }
        }
        for commits in index.values_mut() {
            commits.reverse();
        }
        Ok(index)
    }

    /// The commits that made prompt versions, newest first: each with the prompt files (under the
    /// names they have at `head`, following `prompt mv`) that got a version, and the moves it made
    /// (old file, new file). A pure move is not a version.
    fn prompt_history(&self, head: CommitId) -> Result<Vec<HistoryEntry>, Error> {
        let raw = cache::history(&self.repo, head.0, &self.config.root)?;
        // Older names of files, mapped to their names at `head`.
        let mut alias: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        for t in raw {
            let current = |f: &String| alias.get(f).cloned().unwrap_or_else(|| f.clone());
            let mut files: Vec<String> = t
                .files
                .iter()
                .map(|(f, _)| f)
                .filter(|f| f.ends_with(PROMPT_EXT))
                .map(current)
                .collect();
            let mut removed: Vec<String> = t
                .removed
                .iter()
                .filter(|f| f.ends_with(PROMPT_EXT))
                .map(current)
                .collect();
            let mut moves = Vec::new();
            if let Some(old) = t
                .moved_from
                .as_deref()
                .and_then(|o| PromptId::parse(o).ok())
            {
                if let [(added, _)] = t.files.as_slice() {
                    let new_name = current(added);
                    files.retain(|f| *f != new_name);
                    removed.retain(|f| *f != old.file_name());
                    moves.push((old.file_name(), new_name.clone()));
                    alias.insert(old.file_name(), new_name);
                }
            }
            out.push(HistoryEntry {
                commit: t.commit,
                info: t.info,
                files,
                removed,
                moves,
            });
        }
        Ok(out)
    }

    fn version_of(&self, c: &git2::Commit, number: usize, blob: Oid) -> Version {
        Version::new(c.id(), number, blob, history::CommitInfo::of(c))
    }

    /// The commit the environment tag `ID@ENV` points at, if the tag exists.
    pub fn env_commit(&self, id: &PromptId, env: &EnvName) -> Result<Option<CommitId>, Error> {
        self.env_tag_commit(id, env)
    }

    /// The configured environments of one prompt that have a tag, with their commits. Broken
    /// tags are left out (`broken_env_tags` lists them).
    pub fn envs_of(&self, id: &PromptId) -> Result<Vec<(EnvName, CommitId)>, Error> {
        let mut out = Vec::new();
        for env in &self.config.environments {
            match self.env_commit(id, env) {
                Ok(Some(c)) => out.push((env.clone(), c)),
                Ok(None) | Err(Error::BrokenTag { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Every environment tag of a configured environment, by prompt id.
    pub fn all_envs(&self) -> Result<HashMap<PromptId, Vec<(EnvName, CommitId)>>, Error> {
        // Broken tags are left out here (`broken_env_tags` lists them).
        Ok(self.env_tags()?.0)
    }

    /// Resolves a reference (SPEC §4) to the file's bytes.
    pub fn resolve(&self, reference: &Reference) -> Result<Resolved, Error> {
        let id = &reference.id;
        let path = self.path_of(id);
        let resolved = |rev: Rev, version: Option<usize>, env: Option<EnvName>, bytes| Resolved {
            id: id.clone(),
            rev,
            version,
            env,
            path: path.clone(),
            bytes,
        };
        match &reference.selector {
            Selector::WorkingTree => {
                let rev = self.default_rev()?.unwrap_or(Rev::WorkingTree);
                match self.read(rev, id)? {
                    Some(bytes) => Ok(resolved(rev, None, None, bytes)),
                    None => Err(self.not_found(id, rev)),
                }
            }
            Selector::Version(n) => {
                let versions = self.versions(id)?;
                let Some(v) = versions.get(n - 1) else {
                    if versions.is_empty()
                        && self.read(Rev::WorkingTree, id).ok().flatten().is_none()
                    {
                        // No such prompt at all: suggest similar ids, not committing it.
                        return Err(self.not_found(id, Rev::WorkingTree));
                    }
                    return Err(Error::UnknownReference {
                        reference: reference.to_string(),
                        reason: self.describe_versions(id, versions.len())?,
                    });
                };
                let bytes = self.blob_bytes(v.blob, &path)?;
                Ok(resolved(Rev::Commit(v.commit), Some(*n), None, bytes))
            }
            Selector::Latest => {
                let versions = self.versions(id)?;
                let Some(v) = versions.last() else {
                    if self.read(Rev::WorkingTree, id).ok().flatten().is_none() {
                        return Err(self.not_found(id, Rev::WorkingTree));
                    }
                    return Err(Error::UnknownReference {
                        reference: reference.to_string(),
                        reason: self.describe_versions(id, 0)?,
                    });
                };
                let bytes = self.blob_bytes(v.blob, &path)?;
                Ok(resolved(Rev::Commit(v.commit), Some(v.number), None, bytes))
            }
            Selector::Named(name) => {
                if let Some(env) = self.config.env(name) {
                    let Some(commit) = self.env_commit(id, env)? else {
                        let promoted: Vec<String> = self
                            .envs_of(id)?
                            .into_iter()
                            .map(|(e, _)| e.to_string())
                            .collect();
                        return Err(Error::NotPromoted {
                            reference: reference.to_string(),
                            reason: format!(
                                "`{id}` is not promoted to {env}; {}",
                                if promoted.is_empty() {
                                    "it is not promoted to any environment".to_string()
                                } else {
                                    format!("it is promoted to: {}", promoted.join(", "))
                                }
                            ),
                        });
                    };
                    let rev = Rev::Commit(commit);
                    let Some((bytes, version)) = self.read_at_commit(id, commit)? else {
                        return Err(self.not_found(id, rev));
                    };
                    return Ok(resolved(rev, version, Some(env.clone()), bytes));
                }
                let Some(commit) = self.revision(name)? else {
                    let envs: Vec<String> = self
                        .config
                        .environments
                        .iter()
                        .map(|e| e.to_string())
                        .collect();
                    return Err(Error::UnknownReference {
                        reference: printable(&reference.to_string()),
                        reason: format!(
                            "`{}` is neither a version number, `latest`, an environment ({}) nor a \
                             git revision",
                            printable(name),
                            envs.join(", ")
                        ),
                    });
                };
                let rev = Rev::Commit(commit);
                let Some((bytes, version)) = self.read_at_commit(id, commit)? else {
                    return Err(self.not_found(id, rev));
                };
                Ok(resolved(rev, version, None, bytes))
            }
        }
    }

    /// The version number a resolved reference shows: known for `@N` and `@latest`, looked up (in
    /// the history cache, or by a walk) for environments and revisions; none for the working
    /// tree, a draft, or where a shallow clone cannot tell.
    pub fn version_number(&self, resolved: &Resolved) -> Result<Option<usize>, Error> {
        match (resolved.version, resolved.rev) {
            (Some(n), _) => Ok(Some(n)),
            (None, Rev::Commit(c)) => self.number_at(&resolved.id, c),
            (None, Rev::WorkingTree) => Ok(None),
        }
    }

    /// The version number `id` shows at `commit`: `None` for a draft, a commit without the
    /// prompt, or a shallow clone that cannot count (what only reads content still works there).
    pub fn number_at(&self, id: &PromptId, commit: CommitId) -> Result<Option<usize>, Error> {
        match self.state_at(id, commit) {
            Ok(state) => Ok(state.and_then(|s| s.number())),
            Err(Error::ShallowHistory { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A prompt's bytes at a commit and the version number it shows there. When the file is not at
    /// the id's path in that commit, the prompt may have been moved since: the release line's
    /// history, which follows moves, gives the version at or before the commit.
    fn read_at_commit(
        &self,
        id: &PromptId,
        commit: CommitId,
    ) -> Result<Option<BytesAndVersion>, Error> {
        if let Some(bytes) = self.read(Rev::Commit(commit), id)? {
            // The number costs a history lookup; `version_number` works it out when asked.
            return Ok(Some((bytes, None)));
        }
        let versions = match self.release_raw_versions(id) {
            Ok(v) => v,
            Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let count = versions.len();
        for (i, v) in versions.iter().enumerate() {
            let at_or_before = v.commit == commit.0
                || self
                    .repo
                    .graph_descendant_of(commit.0, v.commit)
                    .unwrap_or(false);
            if at_or_before {
                return Ok(Some((
                    self.blob_bytes(v.blob, &self.path_of(id))?,
                    Some(count - i),
                )));
            }
        }
        Ok(None)
    }

    fn describe_versions(&self, id: &PromptId, count: usize) -> Result<String, Error> {
        let envs: Vec<String> = self
            .envs_of(id)?
            .into_iter()
            .map(|(e, _)| e.to_string())
            .collect();
        let versions = match count {
            0 => format!("`{id}` has no committed versions yet (run `prompt commit {id}`)"),
            1 => format!("`{id}` has 1 version (@1)"),
            n => format!("`{id}` has {n} versions (@1 to @{n})"),
        };
        Ok(if envs.is_empty() {
            versions
        } else {
            format!("{versions}; environments: {}", envs.join(", "))
        })
    }

    /// A not-found error listing the most similar ids, for a typo.
    pub fn not_found(&self, id: &PromptId, rev: Rev) -> Error {
        let place = match rev {
            Rev::WorkingTree => format!("in the working tree (no file {})", self.path_of(id)),
            Rev::Commit(c) => format!("at commit {}", c.short()),
        };
        let ids = self.ids(rev).unwrap_or_default();
        Error::PromptNotFound {
            id: id.to_string(),
            place,
            similar: similar_ids(id.as_str(), ids.iter().map(PromptId::as_str)),
        }
    }

    /// What differs between the working tree and `HEAD` among prompt files.
    pub fn changes(&self) -> Result<Vec<Change>, Error> {
        commit::changes(self)
    }

    /// Commits the given changes as one commit; see `store::commit`.
    pub fn commit(&self, changes: &[Change], message: &str) -> Result<Committed, Error> {
        commit::commit(self, changes, message)
    }

    /// Creates a new file in the working tree; never overwrites.
    pub fn create_file(&self, rel_path: &str, text: &str) -> Result<PathBuf, Error> {
        let dir = self.require_workdir("creating files")?;
        if let Some(link) = symlink_in(dir, rel_path) {
            return Err(symlink_error(&link));
        }
        let path = dir.join(rel_path);
        create_new(&path, text)?;
        Ok(path)
    }
}

/// Writes `text` to a file that must not exist yet, creating parent folders.
pub fn create_new(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::AlreadyExists {
                    path: path.display().to_string(),
                }
            } else {
                Error::io(path, e)
            }
        })?;
    f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// What `init` did.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// The repository's top folder, where `.prompts.yaml` is (which may be above the folder `init`
    /// was given: the config always sits at the repository root).
    pub top: PathBuf,
    /// What was created, as paths relative to `top` (`a git repository` for `git init`).
    pub created: Vec<String>,
}

/// Initialises a registry in `dir`: `git init` when it is not inside a repository, then
/// `.prompts.yaml` (at the repository root) and the root folder.
pub fn init(dir: &Path) -> Result<Initialised, Error> {
    let mut created = Vec::new();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let repo = match Repository::discover(dir) {
        Ok(r) => r,
        Err(e) if e.code() == ErrorCode::NotFound => {
            created.push("a git repository".to_string());
            Repository::init(dir).map_err(git("git init"))?
        }
        Err(e) => return Err(open_error(dir, e)),
    };
    let top = repo
        .workdir()
        .ok_or_else(|| Error::BareRepository {
            action: "init".into(),
        })?
        .to_path_buf();
    for rel in [CONFIG_FILE.to_string()] {
        if let Some(link) = symlink_in(&top, &rel) {
            return Err(symlink_error(&link));
        }
    }
    let config_path = top.join(CONFIG_FILE);
    let config = if config_path.exists() {
        read_config(&repo)?
    } else {
        create_new(&config_path, &config::initial_config_text())?;
        created.push(CONFIG_FILE.to_string());
        Config::parse(&config::initial_config_text())?
    };
    if let Some(link) = symlink_in(&top, &config.root) {
        return Err(symlink_error(&link));
    }
    let root = top.join(&config.root);
    if !root.is_dir() {
        std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, e))?;
        created.push(format!("{}/", config.root));
    }
    // The schema editors read through the `# yaml-language-server` line `new` writes.
    let schema_path = top.join(crate::model::schema::SCHEMA_FILE);
    if !schema_path.exists() {
        create_new(&schema_path, crate::model::schema::JSON_SCHEMA)?;
        created.push(crate::model::schema::SCHEMA_FILE.to_string());
    }
    Ok(Initialised { top, created })
}

/// The `.gitattributes` line that routes prompt files through the `prompt` diff driver.
pub const DIFF_ATTRIBUTE: &str = "*.prompt.yaml diff=prompt";
/// The textconv command git runs for that driver.
pub const DIFF_TEXTCONV: &str = "prompt diff --textconv";

/// The textconv command for the binary at `program`: its absolute path, quoted for the shell git
/// runs it with, so that GUI clients and shells without `prompt` on PATH find it too.
pub fn diff_textconv(program: &Path) -> String {
    let path = program.display().to_string();
    if path.is_empty() {
        return DIFF_TEXTCONV.to_string();
    }
    let quoted = format!("'{}'", path.replace('\'', r"'\''"));
    format!("{quoted} diff --textconv")
}

/// Makes plain `git diff` and `git log -p` show prompt files in `prompt diff`'s readable form:
/// `.gitattributes` gets `*.prompt.yaml diff=prompt` and the repository's local config gets
/// `diff.prompt.textconv` naming `program` by its absolute path (run `init --diff-driver`
/// again after moving the binary). Returns what changed (nothing when already set up).
pub fn install_diff_driver(dir: &Path, program: &Path) -> Result<Vec<String>, Error> {
    let repo = Repository::discover(dir).map_err(|e| open_error(dir, e))?;
    let top = repo
        .workdir()
        .ok_or_else(|| Error::BareRepository {
            action: "init --diff-driver".into(),
        })?
        .to_path_buf();
    let mut changed = Vec::new();
    let attributes = top.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&attributes, e)),
    };
    if !existing.lines().any(|l| l.trim() == DIFF_ATTRIBUTE) {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(DIFF_ATTRIBUTE);
        text.push('\n');
        std::fs::write(&attributes, text).map_err(|e| Error::io(&attributes, e))?;
        changed.push(".gitattributes".to_string());
    }
    let config = repo.config().map_err(git("reading git config"))?;
    let mut local = config
        .open_level(git2::ConfigLevel::Local)
        .map_err(git("opening .git/config"))?;
    let textconv = diff_textconv(program);
    if local.get_string("diff.prompt.textconv").ok().as_deref() != Some(textconv.as_str()) {
        local
            .set_str("diff.prompt.textconv", &textconv)
            .map_err(git("writing diff.prompt.textconv"))?;
        changed.push("diff.prompt.textconv in .git/config".to_string());
    }
    Ok(changed)
}

fn open_error(start: &Path, e: git2::Error) -> Error {
    match e.code() {
        ErrorCode::NotFound => Error::NotARepository {
            path: start.to_path_buf(),
        },
        ErrorCode::Owner => Error::Refused(format!(
            "{}: the repository is owned by another user; if you trust it, run \
             `git config --global --add safe.directory <path>`",
            start.display()
        )),
        _ if e.message().contains("extensions.refstorage") => Error::Refused(format!(
            "{}: this repository stores references in a format prompt cannot read yet \
             (reftable); a clone with `git clone --ref-format=files` can be used",
            start.display()
        )),
        _ if e.message().contains("unsupported extension") => Error::Refused(format!(
            "{}: the repository uses a git feature prompt cannot read ({})",
            start.display(),
            e.message()
        )),
        _ => git(format!("opening the repository at {}", start.display()))(e),
    }
}

/// Reads `.prompts.yaml` from the working tree, or from `HEAD` in a bare repository.
fn read_config(repo: &Repository) -> Result<Config, Error> {
    let text = match repo.workdir() {
        Some(dir) => read_capped(&dir.join(CONFIG_FILE))?,
        None => match repo.head().and_then(|h| h.peel_to_tree()) {
            Ok(tree) => match tree.get_name(CONFIG_FILE) {
                Some(e) => repo.find_blob(e.id()).ok().map(|b| b.content().to_vec()),
                None => None,
            },
            Err(_) => None,
        },
    };
    match text {
        None => Ok(Config::default()),
        Some(bytes) => {
            let text = crate::model::load::decode(&bytes).map_err(|e| Error::Config {
                file: CONFIG_FILE.into(),
                at: e.at,
                message: e.message,
            })?;
            Config::parse(&text)
        }
    }
}

/// Reads a file no larger than the prompt size cap; `None` when it does not exist.
fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    if !meta.is_file() {
        return Ok(None);
    }
    // Oversized files are read only up to one byte past the cap; `decode` reports them.
    let limit = crate::model::load::MAX_FILE_BYTES as u64 + 1;
    // Sized from the metadata, the read takes two system calls (the bytes, then the end) instead
    // of five growing an empty buffer: a fifth of `check`'s kernel time on 20,000 files.
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    use std::io::Read;
    std::fs::File::open(path)
        .and_then(|f| f.take(limit).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    Ok(Some(bytes))
}

/// Collects `*.prompt.yaml` files below `dir` into `out`; hidden entries are skipped, and symbolic
/// links (to prompt files or to folders) go to `links` instead, never followed.
fn walk_dir(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
    links: &mut Vec<String>,
) -> Result<(), Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        let rel = format!("{prefix}{name}");
        if kind.is_symlink() {
            let to_folder = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            if to_folder || name.ends_with(PROMPT_EXT) {
                links.push(rel);
            }
        } else if kind.is_dir() {
            walk_dir(&entry.path(), &format!("{rel}/"), out, links)?;
        } else if kind.is_file() && name.ends_with(PROMPT_EXT) {
            out.push(rel);
        }
    }
    Ok(())
}

/// The first part of `rel` (a `/`-separated path below `base`) that is a symbolic link, as a
/// path relative to `base`; `None` when no existing part is one.
pub(crate) fn symlink_in(base: &Path, rel: &str) -> Option<String> {
    let mut path = base.to_path_buf();
    let mut shown = String::new();
    for segment in rel.split('/').filter(|s| !s.is_empty() && *s != ".") {
        path.push(segment);
        if !shown.is_empty() {
            shown.push('/');
        }
        shown.push_str(segment);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Some(shown),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// The error every command gives for a path through a symbolic link.
pub(crate) fn symlink_error(link: &str) -> Error {
    Error::Refused(format!(
        "{link} is a symbolic link: prompt never follows, writes through or deletes symbolic links \
         inside the repository; replace it with a real file or folder to use it with prompt"
    ))
}

/// Up to three ids close to `wanted`, closest first: same last segment, or a small edit distance.
pub fn similar_ids<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let last = wanted.rsplit('/').next().unwrap_or(wanted);
    let mut scored: Vec<(usize, &str)> = ids
        .filter_map(|id| {
            let d = strsim::levenshtein(wanted, id);
            let same_name = last.len() >= 4 && id.rsplit('/').next() == Some(last);
            let score = if same_name { 0 } else { d };
            (score <= 2.max(wanted.len() / 4)).then_some((score, id))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_similar_ids() {
        let ids = [
            "support/summarize",
            "support/triage",
            "sales/summarize",
            "x",
        ];
        assert_eq!(
            similar_ids("support/sumarize", ids.iter().copied()),
            vec!["support/summarize"]
        );
        assert_eq!(
            similar_ids("summarize", ids.iter().copied()),
            vec!["sales/summarize", "support/summarize"]
        );
        assert!(similar_ids("completely-else", ids.iter().copied()).is_empty());
    }
}
