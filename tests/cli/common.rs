//! A sealed test environment: a temp repository, a clean environment (temp HOME, no system git
//! config, fixed author and dates), and helpers that run `prompt` and `git` in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The outcome of a command: stdout, stderr and the exit code, asserted together.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Asserts exit 0 and returns self.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts the exit code and returns self.
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// A new temporary folder for one test's repositories, removed when dropped.
///
/// The suite creates some 100,000 small files (repositories, prompts, git objects, locks), and
/// on a disk-backed file system that, not the programs, is most of its time: a test that writes
/// 1,200 prompts spent 3.4 s in the kernel on ext4 against 0.3 s on tmpfs. So the folders go to
/// `PROMPT_TEST_TMPDIR` when it is set, else to `/dev/shm` when it is a writable memory file
/// system with room to spare (at least 2 GiB free, so a container's 64 MiB default is never
/// filled), else to the system's temporary folder.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("prompt-test-")
        .tempdir_in(scratch_root())
        .expect("a temporary folder for the test")
}

fn scratch_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        if let Some(dir) = std::env::var_os("PROMPT_TEST_TMPDIR") {
            return PathBuf::from(dir);
        }
        let shm = Path::new("/dev/shm");
        if cfg!(target_os = "linux") && free_bytes(shm).is_some_and(|free| free >= 2 << 30) {
            return shm.to_path_buf();
        }
        std::env::temp_dir()
    })
}

/// Free bytes for an unprivileged user on the file system holding `dir`, when `dir` is a
/// writable folder.
#[cfg(unix)]
#[allow(clippy::useless_conversion)] // the statvfs field types differ between platforms
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is a valid C string and `stats` a valid out-pointer for statvfs.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // SAFETY: as above; access(2) only reads the path.
    if unsafe { libc::access(path.as_ptr(), libc::W_OK) } != 0 {
        return None;
    }
    Some(u64::from(stats.f_bavail) * u64::from(stats.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// A temp folder with a fresh git repository and a sealed environment.
pub struct TestRepo {
    dir: tempfile::TempDir,
    /// Seconds added to the fixed commit date, so that each commit gets its own time.
    tick: std::cell::Cell<i64>,
}

impl TestRepo {
    /// An empty git repository (no registry, no commits), on branch `main`.
    pub fn bare_git() -> TestRepo {
        let repo = TestRepo {
            dir: scratch_dir(),
            tick: std::cell::Cell::new(0),
        };
        std::fs::create_dir_all(repo.home()).unwrap();
        std::fs::create_dir_all(repo.root()).unwrap();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A git repository with `prompt init` run in it.
    pub fn new() -> TestRepo {
        let repo = TestRepo::bare_git();
        repo.prompt(&["init"]).success();
        repo
    }

    /// The repository's work tree.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// A command with the sealed environment, run in `cwd`.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>, cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        let t = self.tick.get();
        self.tick.set(t + 60);
        let date = format!("@{} +0000", 1_700_000_000 + t);
        cmd.current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home().join("gitconfig"))
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("LANG", "C")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// Runs `prompt ARGS` at the repository root.
    pub fn prompt(&self, args: &[&str]) -> Run {
        self.prompt_in(&self.root(), args)
    }

    /// Runs `prompt ARGS` in `cwd`.
    pub fn prompt_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let out = self
            .command(env!("CARGO_BIN_EXE_prompt"), cwd)
            .args(args)
            .output()
            .expect("run prompt");
        Run::from(out)
    }

    /// Runs `prompt ARGS` at the repository root without the history cache (`PROMPT_NO_CACHE=1`)
    /// when `no_cache`, and asserts success; returns stdout.
    #[track_caller]
    pub fn prompt_cached(&self, args: &[&str], no_cache: bool) -> String {
        let mut cmd = self.command(env!("CARGO_BIN_EXE_prompt"), &self.root());
        if no_cache {
            cmd.env("PROMPT_NO_CACHE", "1");
        }
        let run = Run::from(cmd.args(args).output().expect("run prompt"));
        assert_eq!(
            run.code, 0,
            "{args:?} (no_cache: {no_cache}):\n{}",
            run.stderr
        );
        run.stdout
    }

    /// Runs `git ARGS` at the repository root and asserts success; returns stdout.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        let out = self
            .command("git", &self.root())
            .args(args)
            .output()
            .expect("run git");
        let run = Run::from(out);
        assert_eq!(run.code, 0, "git {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// Runs `git ARGS` in `cwd` and asserts success; returns stdout.
    #[track_caller]
    pub fn git_in(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self
            .command("git", cwd)
            .args(args)
            .output()
            .expect("run git");
        let run = Run::from(out);
        assert_eq!(run.code, 0, "git {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// A sibling folder of the repository inside the temp dir (for remotes and other clones).
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A bare repository beside this one (`remote.git`), added as remote `origin`; empty until
    /// something is pushed to it.
    pub fn bare_origin(&self) -> PathBuf {
        let remote = self.sibling("remote.git");
        self.git(&[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ]);
        self.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
        remote
    }

    /// Writes a file below the repository root, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Reads a file below the repository root.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Writes a prompt file for `id` under the default root.
    pub fn write_prompt(&self, id: &str, text: &str) {
        self.write(&format!("prompts/{id}.prompt.yaml"), text);
    }
}

/// A valid text prompt whose template says `text` with one input `name`.
pub fn text_prompt(text: &str) -> String {
    format!("format: 1\ninputs:\n  name:\n    type: string\ntemplate: |\n  {text} {{{{name}}}}\n")
}
