//! The writes themselves, made by the `git` program's plumbing (docs/decisions.md, "Writes are
//! made by git"): blobs as `git add` stores them (`hash-object --path`: clean filters, end of line
//! conversion, `working-tree-encoding`), trees from a temporary index (`read-tree`,
//! `update-index`, `write-tree`), commits (`commit-tree`, signed when `commit.gpgSign` asks),
//! annotated tags (`mktag`, signed when `tag.gpgSign` asks), references by compare-and-swap
//! (`update-ref NEW OLD`), and hooks (`hook run`). Objects and references written by git get
//! git's permissions (`core.sharedRepository`) and git's identity rules.
//!
//! The checks and guarantees around them stay prompt's own: validation first, the index lock,
//! the commit point (`interrupt.rs`), all-or-nothing for several references.

use std::path::{Path, PathBuf};
use std::process::Command;

use git2::Oid;

use super::interrupt;
use super::program::{git_command, line, output, run, GitConfig};
use super::Registry;
use crate::error::Error;

impl Registry {
    /// `git` on this repository (see `program::git_command`).
    pub(super) fn git_command(&self) -> Command {
        git_command(&self.repo)
    }

    /// Stores `bytes` as the blob `git add` would make of the working-tree file `path` (relative to
    /// the repository root): its clean filter, end of line conversion and encoding apply.
    pub(super) fn write_blob(&self, path: &str, bytes: &[u8]) -> Result<Oid, Error> {
        let out = output(
            self.git_command()
                .args(["hash-object", "-w", "--stdin"])
                .arg(format!("--path={path}")),
            Some(bytes),
            &format!("storing {path}"),
        )?;
        parse_oid(&out, "git hash-object")
    }

    /// The blobs `git add` would make of the working-tree files `paths` (relative to the
    /// repository root), without storing them: what change detection compares with `HEAD`.
    pub(super) fn hash_files(&self, paths: &[String]) -> Result<Vec<Oid>, Error> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = Vec::new();
        for p in paths {
            input.extend_from_slice(p.as_bytes());
            input.push(b'\n');
        }
        let out = output(
            self.git_command()
                .args(["--literal-pathspecs", "hash-object", "--stdin-paths"]),
            Some(&input),
            "comparing prompt files with HEAD",
        )?;
        let ids: Vec<Oid> = String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|l| Oid::from_str(l.trim()).ok())
            .collect();
        if ids.len() != paths.len() {
            return Err(Error::Refused(
                "`git hash-object` gave fewer ids than files; nothing was committed".into(),
            ));
        }
        Ok(ids)
    }

    /// The git configuration as git reads it.
    pub(super) fn git_config(&self) -> Result<GitConfig, Error> {
        GitConfig::load(&self.repo)
    }

    /// Writes a commit of `tree` on `parent` with `message`: author and committer as git decides
    /// them (`GIT_AUTHOR_*`, `author.*`, `user.*`, `includeIf`, `user.useConfigOnly`), signed as
    /// `git commit` signs when `commit.gpgSign` is on; a signature that cannot be made refuses the
    /// commit, as git does.
    pub(super) fn commit_tree(
        &self,
        tree: Oid,
        parent: Option<Oid>,
        message: &str,
        sign: bool,
    ) -> Result<Oid, Error> {
        let mut cmd = self.git_command();
        cmd.arg("commit-tree").arg(tree.to_string());
        if let Some(p) = parent {
            cmd.arg("-p").arg(p.to_string());
        }
        if sign {
            cmd.arg("-S");
        }
        cmd.args(["-F", "-"]);
        let ran = run(&mut cmd, Some(message.as_bytes()))?;
        if !ran.ok {
            return Err(commit_refusal(&ran.stderr, sign));
        }
        parse_oid(&ran.stdout, "git commit-tree")
    }

    /// Moves (or creates, with `old` `None`) `refname` to `new` if it still holds `old`: git's
    /// `update-ref NEW OLD`, run in its own process group so that a terminal's Ctrl-C reaches
    /// prompt (which decides, `interrupt.rs`) and not the update half done.
    pub(super) fn update_ref(
        &self,
        refname: &str,
        new: Oid,
        old: Option<Oid>,
        log: &str,
    ) -> Result<(), RefFailure> {
        let mut cmd = self.git_command();
        cmd.args(["update-ref", "--no-deref", "-m", log, refname])
            .arg(new.to_string())
            .arg(old.map_or(String::new(), |o| o.to_string()));
        self.ref_write(cmd, refname, old, Some(new))
    }

    /// Deletes `refname` if it still holds `old` (`update-ref -d REF OLD`).
    pub(super) fn delete_ref(&self, refname: &str, old: Oid) -> Result<(), RefFailure> {
        let mut cmd = self.git_command();
        cmd.args(["update-ref", "--no-deref", "-d", refname])
            .arg(old.to_string());
        self.ref_write(cmd, refname, Some(old), None)
    }

    /// Runs a reference update and, when it fails, says why from the reference itself (never
    /// from git's wording): it moved meanwhile, or its lock is held, or something else.
    fn ref_write(
        &self,
        mut cmd: Command,
        refname: &str,
        old: Option<Oid>,
        new: Option<Oid>,
    ) -> Result<(), RefFailure> {
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let ran = run(&mut cmd, None).map_err(RefFailure::Other)?;
        if ran.ok {
            return Ok(());
        }
        let now = self.repo.refname_to_id(refname).ok();
        if now == new {
            // Done after all (the program stopped after the reference moved).
            return Ok(());
        }
        if now != old {
            return Err(RefFailure::Moved);
        }
        let dir = if refname == "HEAD" {
            self.repo.path()
        } else {
            self.repo.commondir()
        };
        if dir.join(format!("{refname}.lock")).exists() || dir.join("packed-refs.lock").exists() {
            return Err(RefFailure::Locked(dir.join(format!("{refname}.lock"))));
        }
        Err(RefFailure::Other(Error::Refused(format!(
            "updating {refname} failed, as `git` reported: {}",
            ran.stderr
        ))))
    }

    /// Writes an annotated tag object `name` on `commit` with `message`, tagged by `tagger` (a
    /// raw identity line, `Name <email> SECONDS ZONE`), signed as `git tag` signs when
    /// `tag.gpgSign` (or `tag.forceSignAnnotated`) is on; the reference is the caller's
    /// (compare-and-swap).
    pub(super) fn write_tag(
        &self,
        name: &str,
        commit: Oid,
        tagger: &str,
        message: &str,
    ) -> Result<Oid, Error> {
        let mut body =
            format!("object {commit}\ntype commit\ntag {name}\ntagger {tagger}\n\n{message}")
                .into_bytes();
        let config = self.git_config()?;
        let sign = config.bool("tag.gpgsign").unwrap_or(false)
            || config.bool("tag.forcesignannotated").unwrap_or(false);
        if sign {
            let signature = super::sign::sign(self, &config, &body, tagger)?;
            body.extend_from_slice(&signature);
        }
        let out = output(
            self.git_command().arg("mktag"),
            Some(&body),
            &format!("writing the tag {name}"),
        )?;
        parse_oid(&out, "git mktag")
    }

    /// Runs the repository's hook `name` (`git hook run`, which honours `core.hooksPath`) with
    /// `args`, the index file `index` in `GIT_INDEX_FILE`, its output on prompt's standard error
    /// as git shows a hook's output. `Ok(false)` when the hook failed.
    pub(super) fn run_hook(
        &self,
        config: &GitConfig,
        name: &str,
        args: &[&Path],
        index: &Path,
    ) -> Result<bool, Error> {
        if !self.hook_may_exist(config, name) {
            return Ok(true);
        }
        let mut cmd = self.git_command();
        cmd.args(["hook", "run", "--ignore-missing", name]);
        if !args.is_empty() {
            cmd.arg("--").args(args);
        }
        // As `git commit -m` runs hooks: no editor, the index the commit is made from.
        cmd.env("GIT_INDEX_FILE", index).env("GIT_EDITOR", ":");
        cmd.stdout(stderr_stdio())
            .stderr(std::process::Stdio::inherit());
        let status = cmd.status().map_err(|source| Error::GitNotRunnable {
            needed_for: "running hooks",
            source,
        })?;
        Ok(status.success())
    }
}

impl Registry {
    /// Whether the hook `name` may exist, so that a repository without hooks starts no `git
    /// hook run` for nothing: `core.hooksPath` (relative to the working tree, as git runs hooks
    /// there) or the common git folder's `hooks`. A path this cannot judge counts as existing.
    fn hook_may_exist(&self, config: &GitConfig, name: &str) -> bool {
        let dir = match config.get("core.hookspath") {
            None => self.repo.commondir().join("hooks"),
            Some(p) if p.starts_with('~') || p.contains('%') => return true,
            Some(p) => self
                .repo
                .workdir()
                .unwrap_or_else(|| self.repo.path())
                .join(p),
        };
        dir.join(name).exists()
    }
}

/// The standard error of this process, as a child's standard output (git shows hooks' output on
/// standard error, so that a command's own output stays clean).
fn stderr_stdio() -> std::process::Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return std::process::Stdio::from(fd);
        }
    }
    std::process::Stdio::inherit()
}

/// Why a reference update did not happen.
pub(super) enum RefFailure {
    /// The reference no longer holds the old value: another writer won.
    Moved,
    /// Its lock file is held by another process.
    Locked(PathBuf),
    Other(Error),
}

/// A commit `git commit-tree` refused: a signature that could not be made, or an identity git
/// does not know.
fn commit_refusal(stderr: &str, sign: bool) -> Error {
    if let Some(e) = identity_error(stderr) {
        return e;
    }
    if sign {
        return Error::Refused(format!(
            "commit.gpgSign is on and the commit could not be signed, so nothing was committed \
             (git refuses the same): {stderr}"
        ));
    }
    Error::Refused(format!(
        "writing the commit failed, as `git` reported: {stderr}"
    ))
}

/// git's "who are you" failure as `Error::NoIdentity`.
pub(super) fn identity_error(stderr: &str) -> Option<Error> {
    if stderr.contains("identity unknown") || stderr.contains("auto-detect") {
        let key = if stderr.contains("no name") || stderr.contains("empty ident name") {
            "user.name"
        } else {
            "user.email"
        };
        return Some(Error::NoIdentity { key });
    }
    None
}

fn parse_oid(out: &[u8], program: &str) -> Result<Oid, Error> {
    let text = line(out);
    Oid::from_str(&text).map_err(|_| {
        Error::Refused(format!(
            "{program} gave `{text}` where an object id was due"
        ))
    })
}

/// A temporary index file in the git folder: the commit's tree as `git commit -- PATHS` builds
/// it (`HEAD` plus the committed paths), which the pre-commit and commit-msg hooks see in
/// `GIT_INDEX_FILE`. Removed when dropped, and by an interruption.
pub(super) struct NextIndex {
    pub path: PathBuf,
}

impl NextIndex {
    /// `parent`'s tree with `entries` (`MODE OID\tPATH`, mode 0 to remove) applied.
    pub(super) fn build(
        reg: &Registry,
        parent: Option<Oid>,
        entries: &str,
    ) -> Result<NextIndex, Error> {
        // A name of its own for each: a retry builds the next one while the last still exists.
        static BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = reg
            .repo
            .path()
            .join(format!("next-index-prompt-{}-{n}", std::process::id()));
        let lock = PathBuf::from(format!("{}.lock", path.display()));
        if interrupt::guarded(|held| {
            held.push(path.clone());
            held.push(lock.clone());
        })
        .is_none()
        {
            return Err(Error::Refused("interrupted; nothing was changed".into()));
        }
        let next = NextIndex { path };
        let _ = std::fs::remove_file(&next.path);
        let mut read = reg.git_command();
        read.env("GIT_INDEX_FILE", &next.path).arg("read-tree");
        match parent {
            Some(p) => read.arg(p.to_string()),
            None => read.arg("--empty"),
        };
        output(&mut read, None, "building the commit's tree")?;
        output(
            reg.git_command()
                .env("GIT_INDEX_FILE", &next.path)
                .args(["update-index", "--index-info"]),
            Some(entries.as_bytes()),
            "building the commit's tree",
        )?;
        Ok(next)
    }

    /// The tree the index holds (`git write-tree`).
    pub(super) fn write_tree(&self, reg: &Registry) -> Result<Oid, Error> {
        // git writes the empty tree for a missing index: never commit that by mistake.
        if !self.path.is_file() {
            return Err(Error::Refused(format!(
                "the commit's index {} disappeared; nothing was committed",
                self.path.display()
            )));
        }
        let out = output(
            reg.git_command()
                .env("GIT_INDEX_FILE", &self.path)
                .arg("write-tree"),
            None,
            "writing the commit's tree",
        )?;
        parse_oid(&out, "git write-tree")
    }
}

impl Drop for NextIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        interrupt::release(&self.path);
        interrupt::release(&PathBuf::from(format!("{}.lock", self.path.display())));
    }
}
