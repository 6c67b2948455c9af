//! A registry in a temporary folder for this module's unit tests (built on `store`, since no
//! module below `ops` may use `ops`' own helpers).

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

/// `git add -A && git commit`, with a fixed identity and no user or system configuration.
pub(crate) fn commit(dir: &Path, message: &str) {
    store::testing::git(dir, &["add", "-A"]);
    store::testing::git(dir, &["commit", "-q", "-m", message]);
}
