//! The real `git` program for unit tests, sealed from the user's and the system's configuration
//! and from every `GIT_*` variable of the environment (a test run from a git hook inherits
//! `GIT_DIR` and `GIT_INDEX_FILE`, which would point git at the developer's own repository), with
//! a fixed identity: what git itself writes is what the store must read.

use std::path::Path;
use std::process::Command;

/// `git` with `args` in `dir`, sealed: no `GIT_*` variable of this process reaches it, `HOME` is
/// `dir`, and neither the system nor a global configuration is read.
pub(crate) fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd
}

/// Runs `git ARGS` in `dir` and asserts that it succeeds.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    let out = git_command(dir, args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `git ARGS` in `dir`, asserts that it succeeds and returns its standard output.
pub(crate) fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir, args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A new registry (`prompt init`) in a temporary folder.
pub(crate) fn registry() -> (tempfile::TempDir, super::Registry) {
    let dir = tempfile::tempdir().unwrap();
    super::init(dir.path()).unwrap();
    let reg = super::Registry::open(dir.path()).unwrap();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child run of [`runner_ignores_the_git_environment`], naming the folder in which
    /// the child makes its repository.
    const CHILD: &str = "PROMPT_TESTING_CHILD_DIR";

    /// The runner in a child test process whose environment points git at another repository
    /// (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, as a hook's environment does, plus a
    /// `GIT_CONFIG_COUNT` setting): what the child's runner does lands in its own folder only.
    #[test]
    fn runner_ignores_the_git_environment() {
        let base = tempfile::tempdir().unwrap();
        let other = base.path().join("other");
        let mine = base.path().join("mine");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::create_dir_all(&mine).unwrap();
        git(&other, &["init", "-q", "-b", "main"]);
        std::fs::write(other.join("f"), "one").unwrap();
        git(&other, &["add", "f"]);
        git(&other, &["commit", "-q", "-m", "other"]);
        let before = git_out(&other, &["rev-parse", "HEAD"]);

        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe)
            .args(["--exact", "store::testing::tests::child_makes_a_commit"])
            .args(["--test-threads", "1", "--nocapture"])
            .env(CHILD, &mine)
            .env("GIT_DIR", other.join(".git"))
            .env("GIT_WORK_TREE", &other)
            .env("GIT_INDEX_FILE", other.join(".git/index"))
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "user.name")
            .env("GIT_CONFIG_VALUE_0", "Leaked")
            .output()
            .unwrap();
        let says = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "child: {says}");
        assert!(says.contains("1 passed"), "the child test ran: {says}");

        // The other repository is as it was: same tip, one commit, clean.
        assert_eq!(git_out(&other, &["rev-parse", "HEAD"]), before);
        assert_eq!(git_out(&other, &["rev-list", "--count", "HEAD"]), "1\n");
        assert_eq!(git_out(&other, &["status", "--porcelain"]), "");
        // The child's commit is in its own repository, by the runner's identity.
        assert_eq!(
            git_out(&mine, &["log", "-1", "--format=%an %s"]),
            "T mine\n"
        );
    }

    /// The child half of [`runner_ignores_the_git_environment`]; on its own (no `CHILD`
    /// variable) it makes its repository in a temporary folder.
    #[test]
    fn child_makes_a_commit() {
        let temp = tempfile::tempdir().unwrap();
        let dir = std::env::var_os(CHILD)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| temp.path().to_path_buf());
        git(&dir, &["init", "-q", "-b", "main"]);
        std::fs::write(dir.join("g"), "two").unwrap();
        git(&dir, &["add", "g"]);
        git(&dir, &["commit", "-q", "-m", "mine"]);
        assert_eq!(git_out(&dir, &["rev-list", "--count", "HEAD"]), "1\n");
    }
}
