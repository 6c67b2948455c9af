//! The staged content: what `git commit` would commit now, for `check --staged` (a pre-commit hook
//! checks the commit, not the working tree around it).

use super::program::output;
use super::{CommitId, Registry, Rev};
use crate::error::Error;

impl Registry {
    /// The index's content as a revision to read: its trees are written as `git write-tree` writes
    /// them and wrapped in a commit object that no reference names (git's garbage collection
    /// removes it), so every read at a revision (partials included) sees exactly what is staged.
    /// Inside a git hook the index is the one git hands over in `GIT_INDEX_FILE` (for `git commit
    /// -a` or `git commit PATHS`, a temporary index), as `git write-tree` reads it there.
    pub fn staged(&self) -> Result<Rev, Error> {
        self.require_workdir("reading the staged content")?;
        let mut write_tree = self.git_command();
        if let Some(index) = std::env::var_os("GIT_INDEX_FILE") {
            write_tree.env("GIT_INDEX_FILE", index);
        }
        let tree = output(
            write_tree.arg("write-tree"),
            None,
            "reading the staged content (`git write-tree`; unmerged paths must be resolved first)",
        )?;
        let tree = String::from_utf8_lossy(&tree).trim().to_string();
        // A fixed identity and date and no signature: the object only carries the tree, and
        // must not depend on (or fail for) the user's identity or signing set-up.
        let mut commit_tree = self.git_command();
        commit_tree
            .args([
                "commit-tree",
                "--no-gpg-sign",
                "-m",
                "prompt check --staged",
            ])
            .arg(&tree)
            .env("GIT_AUTHOR_NAME", "prompt")
            .env("GIT_AUTHOR_EMAIL", "prompt@localhost")
            .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
            .env("GIT_COMMITTER_NAME", "prompt")
            .env("GIT_COMMITTER_EMAIL", "prompt@localhost")
            .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");
        let commit = output(&mut commit_tree, None, "reading the staged content")?;
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        let oid = git2::Oid::from_str(&commit)
            .map_err(|_| Error::Refused(format!("`git commit-tree` printed {commit:?}")))?;
        Ok(Rev::Commit(CommitId(oid)))
    }
}
