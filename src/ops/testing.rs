//! A registry in a temporary folder for the operations' unit tests, committed with the real `git`
//! program (no git2 outside `store`).

use std::path::Path;

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

pub(crate) use crate::store::testing::git;
