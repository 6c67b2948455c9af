//! `core.sharedRepository`: the files and folders prompt itself creates in the git folder (the
//! index it rewrites, its lock, the history cache) get the permissions git gives its own
//! (`adjust_shared_perm`), so that teammates sharing the repository can still write them. What
//! the `git` program writes (objects, references) it already adjusts.

use std::path::Path;

use git2::Repository;

/// What `core.sharedRepository` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    /// Bits added to the umask's: `group` (0660) or `all` (0664).
    Add(u32),
    /// An octal mode that replaces the permission bits (`0640`).
    Exactly(u32),
}

fn shared(repo: &Repository) -> Option<Shared> {
    let value = repo
        .config()
        .ok()?
        .get_string("core.sharedRepository")
        .ok()?
        .to_ascii_lowercase();
    match value.as_str() {
        "" | "umask" | "false" | "no" | "off" | "0" => None,
        "group" | "true" | "yes" | "on" | "1" => Some(Shared::Add(0o660)),
        "all" | "world" | "everybody" | "2" => Some(Shared::Add(0o664)),
        octal => u32::from_str_radix(octal, 8)
            .ok()
            .filter(|m| *m & 0o600 == 0o600 && *m <= 0o777)
            .map(Shared::Exactly),
    }
}

/// Gives `path` (a file or folder prompt created in `repo`'s git folder) the permissions git
/// would: nothing to do unless `core.sharedRepository` is set. Failures are ignored, as they only
/// matter to a teammate, and git reports them there.
pub(super) fn adjust(repo: &Repository, path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Some(shared) = shared(repo) else {
            return;
        };
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        let mode = meta.permissions().mode();
        let mut tweak = match shared {
            Shared::Add(bits) | Shared::Exactly(bits) => bits,
        };
        if mode & 0o200 == 0 {
            tweak &= !0o222;
        }
        if mode & 0o100 != 0 || meta.is_dir() {
            // Read bits copied to execute bits, as git does for folders and executables.
            tweak |= (tweak & 0o444) >> 2;
        }
        let mut new = match shared {
            Shared::Add(_) => mode | tweak,
            Shared::Exactly(_) => (mode & !0o777) | tweak,
        };
        if meta.is_dir() {
            new |= 0o2000;
        }
        if new != mode {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(new));
        }
    }
    #[cfg(not(unix))]
    let _ = (repo, path);
}
