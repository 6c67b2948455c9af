//! Whether git converts a file between its blob and the working tree (docs/decisions.md, "Reads
//! at a revision show what a checkout gives"): a clean/smudge `filter` (git-crypt, transcrypt,
//! LFS), `text`/`eol`/`crlf` and `core.autocrlf` line endings, `working-tree-encoding`, `ident`.
//! When one could apply, a file read at a revision is what `git cat-file --filters` gives (what a
//! checkout writes), so that `show ID@1` prints the prompt as it was written, never its encoded
//! blob. In the common repository, with no attribute that converts and no `core.autocrlf`, the
//! check is a few `stat` calls and reads stay in-process.

use std::path::{Path, PathBuf};

use git2::Oid;

use super::program::output;
use super::Registry;
use crate::error::Error;

/// Words whose presence in an attributes file means a conversion could apply; `[attr]` macros
/// could hide any of them.
const CONVERTING: [&str; 7] = [
    "filter",
    "text",
    "eol",
    "crlf",
    "working-tree-encoding",
    "ident",
    "[attr]",
];

impl Registry {
    /// Whether git could convert the file at `path` (relative to the repository root) on
    /// checkout.
    pub(super) fn conversion_may_apply(&self, path: &str) -> bool {
        if *self.conversions.get_or_init(|| self.repository_converts()) {
            return true;
        }
        // `.gitattributes` in the working tree, in every folder from the top down to the file's.
        let Some(top) = self.repo.workdir() else {
            return false;
        };
        let mut folder = top.to_path_buf();
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        if converts(&folder.join(".gitattributes")) {
            return true;
        }
        for part in parts {
            folder.push(part);
            if converts(&folder.join(".gitattributes")) {
                return true;
            }
        }
        false
    }

    /// The repository-wide sources: `core.autocrlf`, `$GIT_DIR/info/attributes`,
    /// `core.attributesFile` (or its default under `XDG_CONFIG_HOME`/`HOME`), the system file.
    fn repository_converts(&self) -> bool {
        let config = self.repo.config().ok();
        let autocrlf = config
            .as_ref()
            .and_then(|c| c.get_string("core.autocrlf").ok())
            .is_some_and(|v| {
                !matches!(
                    v.to_ascii_lowercase().as_str(),
                    "false" | "no" | "off" | "0" | ""
                )
            });
        if autocrlf {
            return true;
        }
        let mut files = vec![self.repo.commondir().join("info/attributes")];
        match config
            .as_ref()
            .and_then(|c| c.get_path("core.attributesFile").ok())
        {
            Some(p) => files.push(p),
            None => {
                let xdg = std::env::var_os("XDG_CONFIG_HOME")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")));
                if let Some(dir) = xdg {
                    files.push(dir.join("git/attributes"));
                }
            }
        }
        if std::env::var_os("GIT_ATTR_NOSYSTEM").is_none() {
            files.push(PathBuf::from("/etc/gitattributes"));
        }
        files.iter().any(|f| converts(f))
    }

    /// The blob `id` as a checkout of `path` would write it (`git cat-file --filters`).
    pub(super) fn checked_out(&self, id: Oid, path: &str) -> Result<Vec<u8>, Error> {
        output(
            self.git_command()
                .args(["cat-file", "--filters"])
                .arg(format!("--path={path}"))
                .arg(id.to_string()),
            None,
            &format!("reading {path} as a checkout would (its filters and line endings)"),
        )
    }
}

/// Whether the attributes file `file` exists and names an attribute that converts.
fn converts(file: &Path) -> bool {
    match std::fs::read(file) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            text.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .any(|l| CONVERTING.iter().any(|w| l.contains(w)))
        }
        Err(_) => false,
    }
}
