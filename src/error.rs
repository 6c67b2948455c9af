//! The library's error type: one variant per thing a user can act on.
//!
//! Messages are complete sentences without a trailing period; the CLI adds `error: `, a hint where one
//! helps, and the exit code (`cli::error` in the binary), both chosen by variant. Git failures keep
//! libgit2's message with our context.
//!
//! This is the bottom of the crate: it imports no module of it. A variant carries plain data (text,
//! positions, the rule a name broke), filled in by the layer that detects the problem; layers with
//! errors of their own (`render::RenderError`, `template::ParseError`) keep them, and the CLI maps
//! them beside this type.

use std::path::PathBuf;

/// A position in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in characters.
    pub column: usize,
}

/// An environment tag that moved both in this clone and on the remote (`Error::Diverged`).
#[derive(Debug, Clone)]
pub struct Divergence {
    pub tag: String,
    /// What this clone has (version and short commit), or `none`.
    pub local: String,
    /// What the remote has now.
    pub remote: String,
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `rule` is the id rule, quoted so that the user sees what is allowed (`model::id`).
    #[error("invalid prompt id `{id}`: {problem}; {rule}")]
    InvalidId {
        id: String,
        problem: String,
        rule: &'static str,
    },

    /// `rule` is the environment-name rule (`model::id`).
    #[error("invalid environment name `{name}`: {problem}; {rule}")]
    InvalidEnv {
        name: String,
        problem: String,
        rule: &'static str,
    },

    #[error("unknown environment `{name}`{}; this registry has: {}", did_you_mean(name, known), known.join(", "))]
    UnknownEnv { name: String, known: Vec<String> },

    #[error("{path}: not inside a git repository")]
    NotARepository { path: PathBuf },

    #[error("{file}:{}:{}: {message}", at.line, at.column)]
    Parse {
        file: String,
        at: Location,
        message: String,
    },

    #[error("{file}: {message}")]
    Unreadable { file: String, message: String },

    #[error("{file}:{}:{}: invalid registry config: {message}", at.line, at.column)]
    Config {
        file: String,
        at: Location,
        message: String,
    },

    #[error("prompt `{id}` not found {place}")]
    PromptNotFound {
        id: String,
        place: String,
        similar: Vec<String>,
    },

    #[error("`{reference}` does not exist: {reason}")]
    UnknownReference { reference: String, reason: String },

    /// `ID@ENV` where the prompt has no tag in that environment (a reference that does not exist,
    /// with its own hint: where the prompt is promoted).
    #[error("`{reference}` does not exist: {reason}")]
    NotPromoted { reference: String, reason: String },

    /// A bundle was asked for a reference it does not hold (another environment, version or
    /// commit); `holds` names what it does hold.
    #[error("`{reference}` is not in the bundle {bundle}: it holds {holds}")]
    NotInBundle {
        reference: String,
        holds: String,
        bundle: String,
    },

    #[error("the environment tag `{tag}` is broken: {problem}; {fix}")]
    BrokenTag {
        tag: String,
        problem: String,
        fix: String,
    },

    /// A revision (branch, tag, commit) that the repository does not have; `purpose` says what
    /// the revision was for.
    #[error("`{spec}` is not a git revision (a branch, tag or commit): {purpose}")]
    UnknownRevision { spec: String, purpose: String },

    #[error("`{reference}` is not a valid reference: {reason}")]
    BadReference { reference: String, reason: String },

    /// Version numbers count from the first commit of the release line, which a shallow clone
    /// does not have.
    #[error(
        "version numbers are unknown in this shallow clone: the history of the release branch \
         `{branch}` stops at {boundary}"
    )]
    ShallowHistory { branch: String, boundary: String },

    #[error("no release line: {reason}")]
    NoReleaseLine { reason: String },

    #[error("this is a bare repository: `{action}` needs a working tree")]
    BareRepository { action: String },

    #[error("{path} already exists")]
    AlreadyExists { path: String },

    #[error("{count} prompt(s) failed validation")]
    Invalid { count: usize },

    #[error("nothing to commit: {reason}")]
    NothingToCommit { reason: String },

    #[error(
        "{what} changed while this command ran{}; nothing was changed",
        if *attempts > 1 { format!(", {attempts} times in a row") } else { String::new() }
    )]
    Conflict { what: String, attempts: u32 },

    #[error("environment tags moved on {remote} since this clone last saw them; nothing was pushed:\n{}", tags.iter().map(|d| format!("  {}: yours {}, {remote} has {}", d.tag, d.local, d.remote)).collect::<Vec<_>>().join("\n"))]
    Diverged {
        remote: String,
        tags: Vec<Divergence>,
    },

    #[error("{remote} rejected the push:\n{}", refs.iter().map(|(r, why)| format!("  {r}: {why}")).collect::<Vec<_>>().join("\n"))]
    Rejected {
        remote: String,
        refs: Vec<(String, String)>,
    },

    #[error("{path} is locked by another process")]
    Locked { path: PathBuf },

    /// A mistake on the command line (exit 2).
    #[error("{0}")]
    Usage(String),

    /// git does not know who is committing: `key` (`user.name`, `user.email`) is not set.
    #[error("git does not know who you are: {key} is not set (run `git config --global {key} …`)")]
    NoIdentity { key: &'static str },

    /// The `git` program could not be run (push and pull use it for the transport).
    #[error("cannot run `git` (needed for {needed_for}): {source}")]
    GitNotRunnable {
        needed_for: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// HEAD is not on a branch where the command needs one.
    #[error("HEAD is detached: check out a branch to {action}")]
    DetachedHead { action: &'static str },

    /// The command would lose or hide something and needs an explicit `--force`.
    #[error("{0}")]
    Refused(String),

    /// A signal (Ctrl-C, SIGTERM) stopped a write before its commit point; what it had changed
    /// was put back.
    #[error("interrupted; nothing was changed")]
    Interrupted,

    #[error("{context}: {source}")]
    Git {
        context: String,
        #[source]
        source: git2::Error,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What to do next, for the errors where there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotARepository { .. } => Some(
                "run `prompt init` to create a registry here, or pass --repo DIR (or set PROMPT_REPO)"
                    .into(),
            ),
            Error::PromptNotFound { similar, .. } if !similar.is_empty() => {
                Some(format!("did you mean {}?", quote_list(similar)))
            }
            Error::PromptNotFound { .. } => {
                Some("`prompt list` shows the prompts; `prompt new ID` creates one".into())
            }
            Error::NotPromoted { .. } => {
                Some("`prompt env ID` shows where a prompt is promoted".into())
            }
            Error::UnknownReference { .. } => Some("`prompt log ID` lists the versions".into()),
            Error::UnknownRevision { .. } => Some(
                "`git branch -a` and `git tag` list revisions; a CI checkout may need `git fetch \
                 origin BRANCH` first"
                    .into(),
            ),
            Error::UnknownEnv { .. } => {
                Some("environments are configured under `environments:` in .prompts.yaml".into())
            }
            Error::AlreadyExists { .. } => Some("edit the file, or choose another id".into()),
            Error::Invalid { .. } => Some(
                "fix the problems above (`prompt check` lists them), or commit anyway with --no-verify"
                    .into(),
            ),
            Error::BareRepository { .. } => Some("clone the repository to get a working tree".into()),
            Error::Locked { .. } => Some(
                "another git command may be running; if none is, the lock file is stale and can be \
                 removed"
                    .into(),
            ),
            Error::Conflict { .. } => Some("run the command again".into()),
            Error::ShallowHistory { .. } => Some(SHALLOW_FIX.into()),
            Error::NoReleaseLine { .. } => Some(
                "set `release_branch: BRANCH` in .prompts.yaml, or fetch the release branch (`git \
                 fetch origin main`)"
                    .into(),
            ),
            Error::Diverged { .. } => Some(
                "run `prompt pull` to see the remote's promotions, then promote again if yours should \
                 win"
                .into(),
            ),
            _ => None,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// What fixes a shallow clone, for every message that meets one.
pub const SHALLOW_FIX: &str =
    "run `git fetch --unshallow` to fetch the whole history; in CI, check \
     out the full history (GitHub Actions: `actions/checkout` with `fetch-depth: 0`)";

/// `a`, `a or b`, `a, b or c` with backticks.
pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// ` (did you mean `production`?)` for the known name closest to `typed`, when one is close: it
/// begins with what was typed (`prod`), or is a small edit away (`prodution`); else nothing.
pub fn did_you_mean<S: AsRef<str>>(typed: &str, known: &[S]) -> String {
    let best = known
        .iter()
        .map(AsRef::as_ref)
        .filter_map(|k| {
            let distance = strsim::levenshtein(typed, k);
            let prefix = typed.len() >= 2 && k.starts_with(typed);
            let close = distance <= 2.max(typed.len() / 3);
            (prefix || close).then_some((if prefix { 0 } else { distance }, k))
        })
        .min();
    match best {
        Some((_, k)) if k != typed => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_known_name() {
        let envs = ["development", "staging", "production"];
        assert_eq!(did_you_mean("prod", &envs), " (did you mean `production`?)");
        assert_eq!(
            did_you_mean("prodution", &envs),
            " (did you mean `production`?)"
        );
        assert_eq!(did_you_mean("stagin", &envs), " (did you mean `staging`?)");
        assert_eq!(did_you_mean("dev", &envs), " (did you mean `development`?)");
        assert_eq!(did_you_mean("qa", &envs), "");
        assert_eq!(did_you_mean("p", &envs), "");
        assert_eq!(did_you_mean("production", &envs), "");
    }
}
