//! Opening a registry: finding the repository, reading `.prompts.yaml`, and the facts about the
//! checkout that commands ask before they act (working tree, in-progress operations, shallowness,
//! the editor).

use std::path::Path;

use git2::{ErrorCode, Repository};

use super::workdir::read_capped;
use super::{git, Config, Registry, CONFIG_FILE};
use crate::error::Error;

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
        let repo = discover(start).map_err(|e| open_error(start, e))?;
        let config = read_config(&repo)?;
        Ok(Registry {
            repo,
            config,
            plain_folders: Default::default(),
        })
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

    /// Refuses while a merge, rebase, cherry-pick, revert or `git am` is in progress, naming the
    /// git command that finishes or aborts it.
    pub fn require_clean_state(&self, action: &str) -> Result<(), Error> {
        super::commit::require_clean_state(self, action)
    }

    /// Whether this is a shallow clone, whose history (and so version numbering) is cut short.
    pub fn is_shallow(&self) -> bool {
        is_shallow(&self.repo)
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
}

/// Whether the repository is a shallow clone: a `shallow` file that is not empty in the common
/// git folder, as git reads it. (libgit2 looks in the working tree's own git folder, which in a
/// linked worktree is `.git/worktrees/NAME` and never has one.)
pub(super) fn is_shallow(repo: &Repository) -> bool {
    std::fs::metadata(repo.commondir().join("shallow")).is_ok_and(|m| m.len() > 0)
}

/// The repository containing `start` (or `start` itself, bare or not), searching upwards across
/// file systems as `git` does. One search, where `Repository::discover` searches twice (for the
/// path, then again to open it); and a working tree whose `.git` is a file naming the git folder
/// (`git init --separate-git-dir`, submodules) opens with that working tree, where opening the
/// path `discover` returns took the git folder's parent for it.
pub(super) fn discover(start: &Path) -> Result<Repository, git2::Error> {
    Repository::open_ext(
        start,
        git2::RepositoryOpenFlags::CROSS_FS,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
}

pub(super) fn open_error(start: &Path, e: git2::Error) -> Error {
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
pub(super) fn read_config(repo: &Repository) -> Result<Config, Error> {
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
