//! Opening a registry: finding the repository, reading `.prompts.yaml`, and the facts about the
//! checkout that commands ask before they act (working tree, in-progress operations, shallowness,
//! the editor).

use std::path::Path;

use git2::{ErrorCode, Repository};

use super::workdir::read_capped;
use super::{git, Config, Registry, CONFIG_FILE};
use crate::error::Error;

/// Tunes libgit2 for a short command-line process that reads history: object reads are not
/// re-hashed (git itself does not re-hash on every read; ENGINEERING.md: 3.4x), and folder trees
/// up to 256 KiB are kept in libgit2's object cache (the default limit of 4 KiB made the history
/// walk inflate each changed folder twice).
///
/// These settings are process-wide, so the library never changes them itself: `Registry::open`
/// leaves libgit2 as the program set it. The `prompt` binary calls this once, first thing in
/// `main`.
///
/// # Safety
///
/// Call it before any other thread exists or uses libgit2 (libgit2 reads these settings without a
/// lock), and only in a program that owns the process's use of libgit2: every repository any part
/// of the program opens afterwards reads objects without re-hashing them.
pub unsafe fn tune_process() {
    git2::opts::strict_hash_verification(false);
    // SAFETY: the caller guarantees that no other thread uses libgit2 yet.
    unsafe {
        let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 256 * 1024);
    }
}

impl Registry {
    /// Finds the repository containing `start` (or `start` itself, bare or not) and reads its config.
    pub fn open(start: &Path) -> Result<Registry, Error> {
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

    /// This working tree's git folder (`.git`, or `.git/worktrees/NAME` in a linked worktree):
    /// a place for the tool's own files that git never shows as changes.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
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
        None => match Repository::open_ext(
            start,
            git2::RepositoryOpenFlags::CROSS_FS,
            std::iter::empty::<&std::ffi::OsStr>(),
        ) {
            Err(e) if e.code() == ErrorCode::Owner => trusted_by_git(start)?,
            other => other?,
        },
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

/// A repository owned by another user, opened when git itself trusts it. libgit2 reads
/// `safe.directory` in fewer forms than git (no `/path/*`, no trailing `/`, not from
/// `GIT_CONFIG_GLOBAL` or `GIT_CONFIG_COUNT`), so git, which reads them all, decides; a refusal
/// carries the command git suggests, which is then sure to work.
fn trusted_by_git(start: &Path) -> Result<Repository, git2::Error> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(start)
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .stdin(std::process::Stdio::null())
            .output()
    };
    let refused = |said: &str| {
        let suggestion = said
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("git config") && l.contains("safe.directory"))
            .unwrap_or("git config --global --add safe.directory <path>");
        git2::Error::new(ErrorCode::Owner, git2::ErrorClass::Config, suggestion)
    };
    let out = git(&["rev-parse", "--is-bare-repository", "--absolute-git-dir"])
        .map_err(|_| refused(""))?;
    if !out.status.success() {
        return Err(refused(&String::from_utf8_lossy(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let (bare, git_dir) = (lines.next() == Some("true"), lines.next().unwrap_or(""));
    let repo = Repository::open_bare(git_dir)?;
    if !bare {
        let out = git(&["rev-parse", "--show-toplevel"]).map_err(|_| refused(""))?;
        let top = String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_string();
        if !out.status.success() || top.is_empty() {
            return Err(refused(&String::from_utf8_lossy(&out.stderr)));
        }
        repo.set_workdir(Path::new(&top), false)?;
    }
    Ok(repo)
}

pub(super) fn open_error(start: &Path, e: git2::Error) -> Error {
    match e.code() {
        ErrorCode::NotFound => Error::NotARepository {
            path: start.to_path_buf(),
        },
        // The message is the command git suggests (`trusted_by_git`).
        ErrorCode::Owner => Error::Refused(format!(
            "{}: the repository is owned by another user; if you trust it, run `{}`",
            start.display(),
            if e.message().starts_with("git config") {
                e.message()
            } else {
                "git config --global --add safe.directory <path>"
            }
        )),
        _ if e.message().contains("extensions.refstorage") => unreadable_format(
            start,
            "reftable references (`extensions.refStorage`)",
            "a clone made with `git clone --ref-format=files` can be used",
        ),
        _ if e.message().contains("object format") || e.message().contains("objectformat") => {
            unreadable_format(
                start,
                "SHA-256 object ids (`extensions.objectFormat`)",
                "prompt works on SHA-1 repositories only (git cannot convert one in place)",
            )
        }
        _ if e.message().contains("unsupported extension") => Error::Refused(format!(
            "{}: the repository uses a git feature prompt cannot read ({})",
            start.display(),
            e.message()
        )),
        _ => git(format!("opening the repository at {}", start.display()))(e),
    }
}

/// The one message for a repository in a storage format libgit2 cannot read: what it uses, and
/// what can be done.
fn unreadable_format(start: &Path, what: &str, remedy: &str) -> Error {
    Error::Refused(format!(
        "{}: this repository uses {what}, a git storage format prompt cannot read yet; {remedy}",
        start.display()
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Set in the child run of [`opening_leaves_libgit2_settings_alone`].
    const CHILD: &str = "PROMPT_OPEN_SETTINGS_CHILD";

    /// `Registry::open` changes no process-wide libgit2 setting: in a fresh process (other unit
    /// tests share this one and may change them), after an open, libgit2 still re-hashes what it
    /// reads, so an object whose bytes do not match its id is refused.
    #[test]
    fn opening_leaves_libgit2_settings_alone() {
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "store::open::tests::child_reads_a_damaged_object",
            ])
            .args(["--test-threads", "1", "--nocapture"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let says = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "child: {says}");
        assert!(says.contains("1 passed"), "the child test ran: {says}");
    }

    /// The child half of [`opening_leaves_libgit2_settings_alone`]: it only checks in a process of
    /// its own (the `CHILD` variable set), where no other test changes libgit2's settings.
    #[test]
    fn child_reads_a_damaged_object() {
        if std::env::var_os(CHILD).is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        super::super::testing::git(dir.path(), &["init", "-q"]);
        // A loose blob stored under an id that is not the hash of its bytes.
        let id = "0123456789abcdef0123456789abcdef01234567";
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"blob 5\0hello").unwrap();
        let folder = dir.path().join(".git/objects").join(&id[..2]);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(&id[2..]), z.finish().unwrap()).unwrap();

        let reg = Registry::open(dir.path()).unwrap();
        let err = reg
            .repo
            .find_blob(git2::Oid::from_str(id).unwrap())
            .expect_err("libgit2 still verifies hashes");
        assert!(err.message().contains("hash"), "{err}");
    }
}
