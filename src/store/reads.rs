//! Reads: `HEAD` and revisions, the prompt files at a revision, and their bytes (working tree,
//! index or any commit).

use git2::{ErrorCode, Oid};

use super::objects::{Kind, Objects};
use super::workdir::{read_unlinked, walk_dir, Unlinked};
use super::{git, symlink_error, symlink_in, CommitId, Registry, Rev};
use super::{promisor, trees};
use crate::error::Error;
use crate::model::{PromptId, PROMPT_EXT};

impl Registry {
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
                    walk_dir(
                        &dir.join(&self.config.root),
                        "",
                        &mut out,
                        &mut Vec::new(),
                        &mut Vec::new(),
                    )?;
                }
            }
            Rev::Commit(c) => {
                if let Some(tree) = self.root_tree(c)? {
                    let objects = Objects::new(&self.repo)?;
                    let keep = |name: &str| name.ends_with(PROMPT_EXT);
                    let files = trees::files_below(&objects, tree, &self.config.root, &keep)?;
                    out.extend(files.into_iter().map(|(path, _)| path));
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

    /// The registry root's folder at commit `c`, if there is one.
    pub(super) fn root_tree(&self, c: CommitId) -> Result<Option<Oid>, Error> {
        let commit = self
            .repo
            .find_commit(c.0)
            .map_err(git("reading a commit"))?;
        let tree = promisor::find_tree(&self.repo, commit.tree_id())?;
        Ok(
            match trees::first_at(&self.repo, tree, &self.config.root)? {
                Some((Kind::Tree, id)) => Some(id),
                _ => None,
            },
        )
    }

    /// The bytes of the file at `path` (relative to the repository root) at `rev`, or `None`.
    pub fn read_path(&self, rev: Rev, path: &str) -> Result<Option<Vec<u8>>, Error> {
        match rev {
            Rev::WorkingTree => {
                let dir = self.require_workdir("reading the working tree")?;
                if let Some(link) = self.linked_folder(dir, path) {
                    return Err(symlink_error(&link));
                }
                read_unlinked(&dir.join(path)).map_err(|e| match e {
                    Unlinked::Link => symlink_error(path),
                    Unlinked::Io(e) => e,
                })
            }
            Rev::Commit(c) => {
                // The first entry of a name, as `git show REV:PATH` reads it.
                let commit = self
                    .repo
                    .find_commit(c.0)
                    .map_err(git("reading a commit"))?;
                let tree = promisor::find_tree(&self.repo, commit.tree_id())?;
                match trees::first_at(&self.repo, tree, path)? {
                    Some((Kind::Blob, id)) => self.blob_bytes(id, path).map(Some),
                    _ => Ok(None),
                }
            }
        }
    }

    /// The bytes of the blob `id` of the file `path`, as a checkout writes them: converted by
    /// git (`attributes.rs`) when a filter, line ending or encoding attribute could apply. In a
    /// partial clone (`git clone --filter=blob:none`) an old version's blob may not have been
    /// fetched: git fetches it on demand from the promisor remote, and so does this, through the
    /// `git` program (`git cat-file blob`), which knows the remote, its credentials and its filter.
    pub(super) fn blob_bytes(&self, id: Oid, path: &str) -> Result<Vec<u8>, Error> {
        if self.conversion_may_apply(path) {
            return self.checked_out(id, path);
        }
        match self.repo.find_blob(id) {
            Ok(blob) => Ok(blob.content().to_vec()),
            Err(e) if e.code() == ErrorCode::NotFound && promisor::is_partial_clone(&self.repo) => {
                promisor::fetch(&self.repo, "blob", id, path)
            }
            Err(e) => {
                // A damaged copy that libgit2 met first: git reads another pack's copy, and so
                // does the pack reader (it tries each pack that holds the object).
                let packs = super::pack::Packs::new(self.repo.commondir());
                match packs.read(id) {
                    Some((super::pack::PackedKind::Blob, bytes)) => Ok(bytes.to_vec()),
                    _ => Err(git(format!("reading {path}"))(e)),
                }
            }
        }
    }

    /// The bytes of a prompt's file at `rev`, or `None` when it does not exist there.
    pub fn read(&self, rev: Rev, id: &PromptId) -> Result<Option<Vec<u8>>, Error> {
        self.read_path(rev, &self.path_of(id))
    }
}
