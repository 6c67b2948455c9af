//! How failures reach the user: `error: …` on stderr, a hint where one helps, and the exit code
//! (contract §12: 0 success, 1 failure, 2 bad command line).

use prompt_registry::error::Error;
use prompt_registry::ops::diff::DiffError;
use prompt_registry::render::RenderError;

/// A command's failure.
#[derive(Debug)]
pub enum CliError {
    /// A library error: exit code and hint by variant (`Error`'s table below).
    Lib(Error),
    /// Filling or shaping a prompt failed (`render`, `diff --rendered`): exit 1.
    Render(RenderError),
    /// The command line is wrong: exit 2.
    Usage(String),
    /// Already reported (e.g. `check` printed its diagnostics): exit with this code, print nothing.
    Reported(u8),
    /// Anything else, with its context chain: exit 1.
    Other(anyhow::Error),
    /// A failure while doing something the message names first (`rendering x@2: …`); the exit
    /// code and the hint are those of the failure itself.
    Context { doing: String, error: Box<CliError> },
}

impl From<Error> for CliError {
    fn from(e: Error) -> CliError {
        CliError::Lib(e)
    }
}

impl From<RenderError> for CliError {
    fn from(e: RenderError) -> CliError {
        CliError::Render(e)
    }
}

impl From<DiffError> for CliError {
    fn from(e: DiffError) -> CliError {
        match e {
            DiffError::Lib(e) => CliError::Lib(e),
            DiffError::Render { reference, source } => {
                CliError::Render(*source).context(format!("rendering {reference}"))
            }
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> CliError {
        CliError::Other(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        // A closed stdout (`prompt log | head -1`) is the reader saying it has enough.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::Reported(0)
        } else {
            CliError::Other(anyhow::Error::new(e).context("writing output"))
        }
    }
}

impl CliError {
    /// The same failure, introduced by what was being done.
    pub fn context(self, doing: impl Into<String>) -> CliError {
        CliError::Context {
            doing: doing.into(),
            error: Box::new(self),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Lib(e) => exit_code(e),
            CliError::Usage(_) => 2,
            CliError::Render(_) | CliError::Other(_) => 1,
            CliError::Reported(code) => *code,
            CliError::Context { error, .. } => error.exit_code(),
        }
    }

    /// The message after `error: `, or `None` when nothing is to be printed.
    pub fn message(&self) -> Option<String> {
        match self {
            CliError::Lib(e) => Some(e.to_string()),
            CliError::Render(e) => Some(e.to_string()),
            CliError::Usage(m) => Some(m.clone()),
            CliError::Reported(_) => None,
            CliError::Other(e) => Some(format!("{e:#}")),
            CliError::Context { doing, error } => {
                Some(format!("{doing}: {}", error.message().unwrap_or_default()))
            }
        }
    }

    /// A hint: what to do next.
    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Lib(e) => hint(e),
            CliError::Context { error, .. } => error.hint(),
            _ => None,
        }
    }
}

/// Exit codes (contract §12): 2 for what the user typed wrong on the command line, 1 for every
/// other failure, including the environment's (no git identity, no `git` program, a detached HEAD).
/// Every variant is listed, so a new one is placed here on purpose.
fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Usage(_)
        | Error::InvalidId { .. }
        | Error::InvalidEnv { .. }
        | Error::BadReference { .. } => 2,
        Error::UnknownEnv { .. }
        | Error::NotARepository { .. }
        | Error::Parse { .. }
        | Error::Unreadable { .. }
        | Error::Config { .. }
        | Error::PromptNotFound { .. }
        | Error::UnknownReference { .. }
        | Error::NotInBundle { .. }
        | Error::NotPromoted { .. }
        | Error::UnknownRevision { .. }
        | Error::BrokenTag { .. }
        | Error::ShallowHistory { .. }
        | Error::NoReleaseLine { .. }
        | Error::BareRepository { .. }
        | Error::AlreadyExists { .. }
        | Error::Invalid { .. }
        | Error::NothingToCommit { .. }
        | Error::Conflict { .. }
        | Error::Diverged { .. }
        | Error::Rejected { .. }
        | Error::Locked { .. }
        | Error::NoIdentity { .. }
        | Error::GitNotRunnable { .. }
        | Error::DetachedHead { .. }
        | Error::Refused(_)
        | Error::Git { .. }
        | Error::Io { .. } => 1,
        Error::Interrupted => 130,
    }
}

/// What to do next, for the errors where there is something to say (the table lives in the
/// library, `Error::hint`, so that `prompt serve` answers with the same words).
fn hint(e: &Error) -> Option<String> {
    e.hint()
}

/// A library error as one line with its hint, for a command that goes on without the answer.
pub fn message_with_hint(e: Error) -> String {
    let e = CliError::Lib(e);
    let message = e.message().unwrap_or_default();
    match e.hint() {
        Some(hint) => format!("{message}; {hint}"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_counts_attempts_only_when_there_were_several() {
        let once = Error::Conflict {
            what: "the tag a@production".into(),
            attempts: 1,
        };
        assert_eq!(
            once.to_string(),
            "the tag a@production changed while this command ran; nothing was changed"
        );
        let thrice = Error::Conflict {
            what: "the branch".into(),
            attempts: 3,
        };
        assert!(thrice.to_string().contains("ran, 3 times in a row;"));
        let revision = CliError::Lib(Error::UnknownRevision {
            spec: "nobranch".into(),
            purpose: "--against takes a git revision".into(),
        });
        assert_eq!(revision.exit_code(), 1);
        assert!(revision.hint().unwrap().contains("git branch -a"));
    }
}
