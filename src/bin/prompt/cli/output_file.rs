//! Writing a command's output to the file named by `-o` (`bundle`, `schema`, `export`).
//!
//! A regular file (or an absent path) is replaced whole: the text goes to a temporary file
//! beside it, renamed over it, so a reader never sees half a file. Anything else the path names
//! is opened and written in place, never replaced: a FIFO, a character device (`/dev/null`,
//! `/dev/stdout`, a terminal) or a symbolic link. Renaming over those would swap the device or
//! the link for a plain file (as root, `-o /dev/null` would replace the system's `/dev/null`)
//! and leave a FIFO's reader waiting forever. A link to a regular file keeps the link and
//! replaces the file it points at.

use std::io::Write;
use std::path::{Path, PathBuf};

use prompt_registry::Error;

/// Puts `bytes` at `path` as described in the module documentation.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let target = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return replace(path, bytes, None),
        Err(e) => return Err(Error::io(path, e)),
        Ok(meta) if meta.file_type().is_file() => return replace(path, bytes, Some(meta)),
        Ok(meta) if meta.file_type().is_symlink() => std::fs::metadata(path),
        Ok(meta) => Ok(meta),
    };
    match target {
        // A link to a regular file: replace the file the link points at, keep the link.
        Ok(meta) if meta.file_type().is_file() => {
            let real = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
            replace(&real, bytes, Some(meta))
        }
        // A dangling link: create its target by writing through it, as a shell's `>` would.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => in_place(path, bytes, true),
        Err(e) => Err(Error::io(path, e)),
        // A FIFO, a device, a socket or a folder: write in place (a folder fails to open).
        Ok(_) => in_place(path, bytes, false),
    }
}

/// Opens `path` for writing and writes `bytes` (creating it only when `create`).
fn in_place(path: &Path, bytes: &[u8], create: bool) -> Result<(), Error> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(create)
        .truncate(create)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| Error::io(path, e))
}

/// Writes a temporary file beside `path` and renames it over `path`. The new file keeps the
/// permissions of the one it replaces (`old`), or gets `rw-r--r--`.
fn replace(path: &Path, bytes: &[u8], old: Option<std::fs::Metadata>) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".prompt-output-")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    match old {
        Some(meta) => std::fs::set_permissions(tmp.path(), meta.permissions()),
        None => default_permissions(tmp.path()),
    }
    .map_err(|e| Error::io(tmp.path(), e))?;
    // On failure the temporary file is removed when `tmp` (inside the error) is dropped.
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// A new output file is `rw-r--r--` (tempfile makes it private to its owner).
#[cfg(unix)]
fn default_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
