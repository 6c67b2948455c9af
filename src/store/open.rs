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
            conversions: Default::default(),
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

    /// The prompt a command-line argument names when it is a path to a prompt file rather than an
    /// id (what shell completion and editors hand over): `prompts/support/triage.prompt.yaml`
    /// relative to `cwd` or absolute, or `support/triage.prompt.yaml` relative to the root.
    /// Nothing on disk is read: the path is taken apart as text, `.` and `..` included.
    pub fn id_of_path_arg(&self, text: &str, cwd: &Path) -> Option<crate::model::PromptId> {
        if !text.ends_with(crate::model::PROMPT_EXT) {
            return None;
        }
        let from_repo = self.workdir().and_then(|workdir| {
            let joined = lexical_normal(&cwd.join(text));
            let workdir = lexical_normal(&workdir.canonicalize().unwrap_or(workdir.into()));
            let rel = joined
                .strip_prefix(&workdir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            self.config.id_of_path(&rel)
        });
        from_repo.or_else(|| {
            let rel = text.strip_prefix("./").unwrap_or(text);
            crate::model::PromptId::from_file_name(rel)
        })
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
}

/// The repository containing `start` (or `start` itself, bare or not), searching upwards across
/// file systems as `git` does. One search, where `Repository::discover` searches twice (for the
/// path, then again to open it); and a working tree whose `.git` is a file naming the git folder
/// (`git init --separate-git-dir`, submodules) opens with that working tree, where opening the
/// path `discover` returns took the git folder's parent for it.
///
/// `GIT_DIR` and `GIT_WORK_TREE` are honoured as git honours them: `GIT_DIR` names the
/// repository (relative to `start`), with no search; its working tree is `GIT_WORK_TREE`, else
/// `core.worktree`, else none when `core.bare` is set, else `start`. `GIT_WORK_TREE` alone
/// replaces the working tree of the repository found.
pub(super) fn discover(start: &Path) -> Result<Repository, git2::Error> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let work_tree = var("GIT_WORK_TREE").map(|w| start.join(w));
    let repo = match var("GIT_DIR") {
        Some(dir) => {
            let repo = Repository::open_bare(start.join(dir))?;
            let config = repo.config()?;
            let configured = config
                .get_path("core.worktree")
                .ok()
                .map(|w| repo.path().join(w));
            let bare = config.get_bool("core.bare").unwrap_or(false);
            match work_tree.or(configured) {
                Some(w) => repo.set_workdir(&w, false)?,
                None if !bare => repo.set_workdir(start, false)?,
                None => {}
            }
            return Ok(repo);
        }
        None => Repository::open_ext(
            start,
            git2::RepositoryOpenFlags::CROSS_FS,
            std::iter::empty::<&std::ffi::OsStr>(),
        )?,
    };
    if let Some(w) = work_tree {
        repo.set_workdir(&w, false)?;
    }
    Ok(repo)
}

/// `path` with `.` dropped and `..` taken back, as text (no link is followed).
fn lexical_normal(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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
