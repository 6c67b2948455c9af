//! The `git` program, which makes prompt's writes (docs/decisions.md, "Writes are made by git"):
//! the command on this repository, running it, and the git configuration as git itself reads it
//! (every scope, `include`/`includeIf`, `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_COUNT`, which libgit2's
//! config does not all see).

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use git2::Repository;

use crate::error::Error;

/// `git` on `repo`: `GIT_DIR` (and `GIT_WORK_TREE`) name the repository prompt opened, so that
/// git acts on the same one whatever the caller's folder; everything else in the environment
/// (identity variables, `GIT_CONFIG_*`) is the user's, as for a `git` they run themselves.
pub(super) fn git_command(repo: &Repository) -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_DIR", repo.path())
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null());
    match repo.workdir() {
        Some(w) => cmd.current_dir(w).env("GIT_WORK_TREE", w),
        None => cmd.current_dir(repo.path()).env_remove("GIT_WORK_TREE"),
    };
    cmd
}

/// What a run of `git` gave: its exit status and both outputs.
pub(super) struct Ran {
    pub ok: bool,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `cmd` with `input` on its standard input (none when `None`).
pub(super) fn run(cmd: &mut Command, input: Option<&[u8]>) -> Result<Ran, Error> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().map_err(|source| Error::GitNotRunnable {
        needed_for: "writes",
        source,
    })?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // A program that exits without reading its input is judged by its status below.
        let _ = stdin.write_all(bytes);
    }
    let out = child
        .wait_with_output()
        .map_err(|source| Error::GitNotRunnable {
            needed_for: "writes",
            source,
        })?;
    Ok(Ran {
        ok: out.status.success(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
    })
}

/// Runs `cmd` and returns its standard output; a failure is refused with git's own words and
/// `what` (what was being done, e.g. "writing the commit").
pub(super) fn output(
    cmd: &mut Command,
    input: Option<&[u8]>,
    what: &str,
) -> Result<Vec<u8>, Error> {
    let ran = run(cmd, input)?;
    if !ran.ok {
        return Err(Error::Refused(format!(
            "{what} failed, as `git` reported: {}",
            if ran.stderr.is_empty() {
                "(no message)"
            } else {
                &ran.stderr
            }
        )));
    }
    Ok(ran.stdout)
}

/// The first line of `bytes`, trimmed, as text.
pub(super) fn line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The git configuration as `git config --list` gives it (the last value of each key wins, as
/// git reads single values). Keys are as git prints them: section and name in lower case.
pub(super) struct GitConfig {
    values: HashMap<String, String>,
}

impl GitConfig {
    pub(super) fn load(repo: &Repository) -> Result<GitConfig, Error> {
        let out = output(
            git_command(repo).args(["config", "-z", "--list"]),
            None,
            "reading the git configuration",
        )?;
        let mut values = HashMap::new();
        for item in out.split(|b| *b == 0).filter(|i| !i.is_empty()) {
            let item = String::from_utf8_lossy(item);
            // `key\nvalue`, or `key` alone for a key without `=` (a true boolean).
            let (key, value) = match item.split_once('\n') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (item.to_string(), None),
            };
            values.insert(key, value.unwrap_or_else(|| "\u{0}true".into()));
        }
        Ok(GitConfig { values })
    }

    /// A value; `key` in lower case (`user.signingkey`).
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(|v| v.strip_prefix('\u{0}').unwrap_or(v))
    }

    /// A boolean as git reads one (`true`/`yes`/`on`/`1`, a key without a value); `None` when
    /// unset or not a boolean.
    pub(super) fn bool(&self, key: &str) -> Option<bool> {
        let v = self.get(key)?.to_ascii_lowercase();
        match v.as_str() {
            "true" | "yes" | "on" | "1" => Some(true),
            "false" | "no" | "off" | "0" | "" => Some(false),
            _ => v.parse::<i64>().ok().map(|n| n != 0),
        }
    }
}
