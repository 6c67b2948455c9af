//! Setting a registry up: `init` (git init when needed, `.prompts.yaml`, the root folder) and the
//! `prompt` diff driver for plain `git diff`.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository};

use super::open::{open_error, read_config};
use super::workdir::create_new;
use super::{config, git, symlink_error, symlink_in, Config, CONFIG_FILE};
use crate::error::Error;

/// What `init` did.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// The repository's top folder, where `.prompts.yaml` is (which may be above the folder `init`
    /// was given: the config always sits at the repository root).
    pub top: PathBuf,
    /// What was created, as paths relative to `top` (`a git repository` for `git init`).
    pub created: Vec<String>,
}

/// Initialises a registry in `dir`: `git init` when it is not inside a repository, then
/// `.prompts.yaml` (at the repository root) and the root folder.
pub fn init(dir: &Path) -> Result<Initialised, Error> {
    let mut created = Vec::new();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let repo = match super::open::discover(dir) {
        Ok(r) => r,
        Err(e) if e.code() == ErrorCode::NotFound => {
            created.push("a git repository".to_string());
            git_init(dir)?
        }
        Err(e) => return Err(open_error(dir, e)),
    };
    let top = repo
        .workdir()
        .ok_or_else(|| Error::BareRepository {
            action: "init".into(),
        })?
        .to_path_buf();
    for rel in [CONFIG_FILE.to_string()] {
        if let Some(link) = symlink_in(&top, &rel) {
            return Err(symlink_error(&link));
        }
    }
    let config_path = top.join(CONFIG_FILE);
    let config = if config_path.exists() {
        read_config(&repo)?
    } else {
        let mut text = config::initial_config_text();
        if let Some(branch) = unguessable_branch(&repo) {
            // Nothing else would name this branch as the release line: without the line, the
            // current branch would be it wherever one is checked out (contract §4).
            text.push_str(&format!("release_branch: {branch}\n"));
        }
        create_new(&config_path, &text)?;
        created.push(CONFIG_FILE.to_string());
        Config::parse(&text)?
    };
    if let Some(link) = symlink_in(&top, &config.root) {
        return Err(symlink_error(&link));
    }
    let root = top.join(&config.root);
    if !root.is_dir() {
        std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, e))?;
        created.push(format!("{}/", config.root));
    }
    // The schema editors read through the `# yaml-language-server` line `new` writes.
    let schema_path = top.join(crate::model::schema::SCHEMA_FILE);
    if !schema_path.exists() {
        create_new(&schema_path, crate::model::schema::json_schema())?;
        created.push(crate::model::schema::SCHEMA_FILE.to_string());
    }
    Ok(Initialised { top, created })
}

/// `git init` in `dir`, by the `git` program: it honours `GIT_DIR` and `GIT_WORK_TREE` (the
/// repository goes where they say, never nested in `dir`), `init.defaultBranch`, templates and
/// `core.sharedRepository` as the user's own `git init` would. libgit2 makes it where no `git`
/// program is installed.
fn git_init(dir: &Path) -> Result<Repository, Error> {
    let ran = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output();
    match ran {
        Ok(out) if out.status.success() => {
            super::open::discover(dir).map_err(|e| open_error(dir, e))
        }
        Ok(out) => Err(Error::Refused(format!(
            "`git init` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
        Err(_) => Repository::init(dir).map_err(git("git init")),
    }
}

/// The branch `HEAD` is on (even unborn) when the release line could not be told without it: it
/// is neither `main` nor `master`, there is no `origin/HEAD`, and no `main` or `master` branch
/// exists (locally or on origin).
fn unguessable_branch(repo: &Repository) -> Option<String> {
    let head = repo.find_reference("HEAD").ok()?;
    let branch = head
        .symbolic_target()
        .ok()
        .flatten()?
        .strip_prefix("refs/heads/")?
        .to_string();
    let exists = |name: &str| repo.find_reference(name).is_ok();
    let known = ["main", "master"].iter().any(|b| {
        *b == branch
            || exists(&format!("refs/heads/{b}"))
            || exists(&format!("refs/remotes/origin/{b}"))
    });
    let valid = Config::parse(&format!("release_branch: {branch}\n")).is_ok();
    (!known && valid && !exists("refs/remotes/origin/HEAD")).then_some(branch)
}

/// The `.gitattributes` line that routes prompt files through the `prompt` diff driver.
pub const DIFF_ATTRIBUTE: &str = "*.prompt.yaml diff=prompt";

/// The textconv command git runs for that driver.
pub const DIFF_TEXTCONV: &str = "prompt diff --textconv";

/// The textconv command for the binary at `program`: its absolute path, quoted for the shell git
/// runs it with, so that GUI clients and shells without `prompt` on PATH find it too.
pub fn diff_textconv(program: &Path) -> String {
    let path = program.display().to_string();
    if path.is_empty() {
        return DIFF_TEXTCONV.to_string();
    }
    let quoted = format!("'{}'", path.replace('\'', r"'\''"));
    format!("{quoted} diff --textconv")
}

/// Makes plain `git diff` and `git log -p` show prompt files in `prompt diff`'s readable form:
/// `.gitattributes` gets `*.prompt.yaml diff=prompt` and the repository's local config gets
/// `diff.prompt.textconv` naming `program` by its absolute path (run `init --diff-driver`
/// again after moving the binary). Returns what changed (nothing when already set up).
pub fn install_diff_driver(dir: &Path, program: &Path) -> Result<Vec<String>, Error> {
    let repo = super::open::discover(dir).map_err(|e| open_error(dir, e))?;
    let top = repo
        .workdir()
        .ok_or_else(|| Error::BareRepository {
            action: "init --diff-driver".into(),
        })?
        .to_path_buf();
    let mut changed = Vec::new();
    let attributes = top.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&attributes, e)),
    };
    if !existing.lines().any(|l| l.trim() == DIFF_ATTRIBUTE) {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(DIFF_ATTRIBUTE);
        text.push('\n');
        std::fs::write(&attributes, text).map_err(|e| Error::io(&attributes, e))?;
        changed.push(".gitattributes".to_string());
    }
    let config = repo.config().map_err(git("reading git config"))?;
    let mut local = config
        .open_level(git2::ConfigLevel::Local)
        .map_err(git("opening .git/config"))?;
    let textconv = diff_textconv(program);
    if local.get_string("diff.prompt.textconv").ok().as_deref() != Some(textconv.as_str()) {
        local
            .set_str("diff.prompt.textconv", &textconv)
            .map_err(git("writing diff.prompt.textconv"))?;
        changed.push("diff.prompt.textconv in .git/config".to_string());
    }
    Ok(changed)
}
