//! The working tree: where a prompt's file is, the walk that finds prompt files (never following
//! a symbolic link), and creating new files.

use std::path::{Path, PathBuf};

use super::Registry;
use crate::error::Error;
use crate::model::{PromptId, PROMPT_EXT};

impl Registry {
    /// The path of a prompt's file relative to the repository root.
    pub fn path_of(&self, id: &PromptId) -> String {
        self.config.path_of(&id.file_name())
    }

    /// The absolute path of a prompt's file in the working tree; an error when the path goes
    /// through a symbolic link (contract §12: the repository is the boundary).
    pub fn file_of(&self, id: &PromptId) -> Result<PathBuf, Error> {
        let dir = self.require_workdir("this command")?;
        let path = self.path_of(id);
        if let Some(link) = symlink_in(dir, &path) {
            return Err(symlink_error(&link));
        }
        Ok(dir.join(path))
    }

    /// `symlink_in` for the folders of `rel` (all but its last part), remembering the folders
    /// found to be plain ones (`plain_folders`).
    pub(super) fn linked_folder(&self, dir: &Path, rel: &str) -> Option<String> {
        let (folder, _) = rel.rsplit_once('/')?;
        if self.plain_folders.borrow().contains(folder) {
            return None;
        }
        let link = symlink_in(dir, folder);
        // Remembered only when every part exists (`symlink_in` stops at a missing one).
        if link.is_none() && std::fs::symlink_metadata(dir.join(folder)).is_ok_and(|m| m.is_dir()) {
            self.plain_folders.borrow_mut().insert(folder.to_string());
        }
        link
    }

    /// Symbolic links in the working tree where prompts are looked for: the root folder itself,
    /// prompt files and folders below it (paths relative to the repository root, sorted). prompt
    /// never follows, writes through or deletes them; `check` and `list` report them.
    pub fn symlinks(&self) -> Result<Vec<String>, Error> {
        Ok(self.left_alone()?.0)
    }

    /// Folders below the root that are git repositories of their own (nested clones,
    /// submodules), relative to the repository root and sorted: never read or committed.
    pub fn nested_repositories(&self) -> Result<Vec<String>, Error> {
        Ok(self.left_alone()?.1)
    }

    /// `symlinks` and `nested_repositories`, from one walk.
    fn left_alone(&self) -> Result<(Vec<String>, Vec<String>), Error> {
        let Some(dir) = self.workdir() else {
            return Ok((Vec::new(), Vec::new()));
        };
        if let Some(link) = symlink_in(dir, &self.config.root) {
            return Ok((vec![link], Vec::new()));
        }
        let (mut links, mut repos) = (Vec::new(), Vec::new());
        walk_dir(
            &dir.join(&self.config.root),
            "",
            &mut Vec::new(),
            &mut links,
            &mut repos,
        )?;
        let full = |list: Vec<String>| {
            let mut out: Vec<String> = list.iter().map(|l| self.config.path_of(l)).collect();
            out.sort();
            out
        };
        Ok((full(links), full(repos)))
    }

    /// The tags `ID@ENV` of `id` in protected environments (contract §5), which a command that
    /// moves or removes them must have confirmed.
    pub fn protected_tags(&self, id: &PromptId) -> Result<Vec<String>, Error> {
        Ok(self
            .envs_of(id)?
            .into_iter()
            .filter(|(env, _)| self.config.is_protected(env.as_str()))
            .map(|(env, _)| format!("{id}@{env}"))
            .collect())
    }

    /// `symlinks`, as the warnings every command that lists prompts prints.
    /// Nested repositories are reported here too, once each: what is left alone.
    pub fn symlink_warnings(&self) -> Result<Vec<String>, Error> {
        let (links, repos) = self.left_alone()?;
        let links = links.into_iter().map(|link| {
            format!(
                "{link} is a symbolic link: prompt leaves it alone (never follows, commits, \
                 writes through or deletes it)"
            )
        });
        let repos = repos.into_iter().map(|repo| {
            format!(
                "{repo} is a git repository of its own (a nested clone or a submodule): as for \
                 git, its files are not prompts of this registry, and prompt never commits them"
            )
        });
        Ok(links.chain(repos).collect())
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

/// Reads a file no larger than the prompt size cap; `None` when it does not exist or is not a
/// file.
pub(super) fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    read_opened(path, false)
}

/// Why `read_unlinked` read nothing.
pub(super) enum Unlinked {
    /// The file is a symbolic link.
    Link,
    Io(Error),
}

/// `read_capped` for a file that must not be a symbolic link, refused by the open itself
/// (`O_NOFOLLOW`) rather than by a look before it: one system call fewer per file, and no moment
/// between the look and the open.
pub(super) fn read_unlinked(path: &Path) -> Result<Option<Vec<u8>>, Unlinked> {
    #[cfg(unix)]
    {
        read_opened(path, true).map_err(|e| match e {
            Error::Io { ref source, .. } if source.raw_os_error() == Some(libc::ELOOP) => {
                Unlinked::Link
            }
            e => Unlinked::Io(e),
        })
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Unlinked::Link);
        }
        read_capped(path).map_err(Unlinked::Io)
    }
}

/// Opens `path`, then reads it if it is a file: open, the size from the open file, one read of
/// that size (capped), close. A FIFO is opened without waiting for a writer (`O_NONBLOCK`, which
/// changes nothing for a file) and then left alone like any other non-file.
/// With `no_link`, a symbolic link is not followed: the open fails with `ELOOP`.
fn read_opened(path: &Path, no_link: bool) -> Result<Option<Vec<u8>>, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let link = if no_link { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | link);
    }
    #[cfg(not(unix))]
    let _ = no_link;
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Ok(None);
    }
    // Oversized files are read only up to one byte past the cap; `decode` reports them. The
    // buffer is sized from the open file, so the read is one system call: a file that grows
    // meanwhile is read as it was when opened.
    let len = meta
        .len()
        .min(crate::model::load::MAX_FILE_BYTES as u64 + 1);
    let mut bytes = Vec::with_capacity(len as usize);
    use std::io::Read;
    file.take(len)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(Some(bytes))
}

/// Collects `*.prompt.yaml` files below `dir` into `out`; hidden entries are skipped, symbolic
/// links (to prompt files or to folders) go to `links` instead, never followed, and folders that
/// are git repositories of their own (a nested clone, a submodule: a `.git` inside) go to
/// `repos`, never entered: as for git, their files are not this repository's. Folders are read
/// from a stack, not by recursion, and no deeper than git reads trees (`trees::MAX_DEPTH`).
pub(super) fn walk_dir(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
    links: &mut Vec<String>,
    repos: &mut Vec<String>,
) -> Result<(), Error> {
    let mut stack = vec![(dir.to_path_buf(), prefix.to_string(), 0usize)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
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
                if std::fs::symlink_metadata(entry.path().join(".git")).is_ok() {
                    repos.push(rel);
                    continue;
                }
                if depth + 1 > super::trees::MAX_DEPTH {
                    return Err(super::trees::too_deep(&rel));
                }
                stack.push((entry.path(), format!("{rel}/"), depth + 1));
            } else if kind.is_file() && name.ends_with(PROMPT_EXT) {
                out.push(rel);
            }
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
