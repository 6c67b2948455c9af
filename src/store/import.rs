//! Replacing working-tree files whole, for `prompt import --force` (contract §10, §12).
//!
//! `create_file` never overwrites; an import that was told to overwrite writes the new text to a
//! temporary file beside the old one and renames it over, so that a reader (or a crash) sees the
//! old file or the new one, never half of either.

use std::io::Write;
use std::path::PathBuf;

use super::Registry;
use crate::error::Error;

impl Registry {
    /// Writes `text` to the working-tree file `rel_path` (relative to the repository root),
    /// replacing it if it exists; parent folders are created.
    pub fn write_file(&self, rel_path: &str, text: &str) -> Result<PathBuf, Error> {
        let workdir = self.require_workdir("writing files")?;
        if let Some(link) = super::symlink_in(workdir, rel_path) {
            return Err(super::symlink_error(&link));
        }
        let path = workdir.join(rel_path);
        let dir = path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".prompt-import-")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, e))?;
        tmp.write_all(text.as_bytes())
            .map_err(|e| Error::io(tmp.path(), e))?;
        // A temporary file is private (0600); the file it replaces keeps its own permissions, a
        // new one gets the usual 0644.
        let permissions = match std::fs::metadata(&path) {
            Ok(m) => m.permissions(),
            Err(_) => default_permissions(tmp.path())?,
        };
        std::fs::set_permissions(tmp.path(), permissions).map_err(|e| Error::io(tmp.path(), e))?;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(path)
    }
}

#[cfg(unix)]
fn default_permissions(_: &std::path::Path) -> Result<std::fs::Permissions, Error> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(path: &std::path::Path) -> Result<std::fs::Permissions, Error> {
    std::fs::metadata(path)
        .map(|m| m.permissions())
        .map_err(|e| Error::io(path, e))
}
