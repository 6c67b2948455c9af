//! A registry in a temporary folder for the operations' unit tests, committed with the real `git`
//! program (no git2 outside `store`).

use std::path::Path;
use std::process::Command;

use crate::store::{self, Registry};

/// A new registry (`prompt init`) in a temporary folder.
pub(crate) fn registry() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    store::init(dir.path()).unwrap();
    let reg = Registry::open(dir.path()).unwrap();
    (dir, reg)
}

/// Writes `prompts/ID.prompt.yaml`.
pub(crate) fn write(dir: &Path, id: &str, text: &str) {
    let path = dir.join("prompts").join(format!("{id}.prompt.yaml"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Removes `prompts/ID.prompt.yaml`.
pub(crate) fn remove(dir: &Path, id: &str) {
    std::fs::remove_file(dir.join("prompts").join(format!("{id}.prompt.yaml"))).unwrap();
}

/// `git add -A && git commit`, with a fixed identity and no user or system configuration.
pub(crate) fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// Runs `git` in `dir`, sealed from the user's configuration.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}
