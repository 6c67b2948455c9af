//! How failures reach the user: `error: …` on stderr, a hint where one helps, and the exit code
//! (SPEC §12: 0 success, 1 failure, 2 bad command line).

use crate::error::Error;

/// A command's failure.
#[derive(Debug)]
pub enum CliError {
    /// A library error: exit 1 (2 for usage mistakes), with a hint.
    Lib(Error),
    /// The command line is wrong: exit 2.
    Usage(String),
    /// Already reported (e.g. `check` printed its diagnostics): exit with this code, print nothing.
    Reported(u8),
    /// Anything else, with its context chain: exit 1.
    Other(anyhow::Error),
}

impl From<Error> for CliError {
    fn from(e: Error) -> CliError {
        CliError::Lib(e)
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
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Lib(Error::Usage(_)) | CliError::Usage(_) => 2,
            CliError::Lib(Error::InvalidId { .. } | Error::InvalidEnv { .. }) => 2,
            CliError::Lib(Error::BadReference { .. }) => 2,
            CliError::Lib(_) | CliError::Other(_) => 1,
            CliError::Reported(code) => *code,
        }
    }

    /// The message after `error: `, or `None` when nothing is to be printed.
    pub fn message(&self) -> Option<String> {
        match self {
            CliError::Lib(e) => Some(e.to_string()),
            CliError::Usage(m) => Some(m.clone()),
            CliError::Reported(_) => None,
            CliError::Other(e) => Some(format!("{e:#}")),
        }
    }

    /// A hint: what to do next.
    pub fn hint(&self) -> Option<String> {
        let CliError::Lib(e) = self else {
            return None;
        };
        match e {
            Error::NotARepository { .. } => Some(
                "run `prompt init` to create a registry here, or pass --repo DIR (or set \
                 PROMPT_REPO)"
                    .into(),
            ),
            Error::PromptNotFound { similar, .. } if !similar.is_empty() => {
                Some(format!("did you mean {}?", quote_list(similar)))
            }
            Error::PromptNotFound { .. } => {
                Some("`prompt list` shows the prompts; `prompt new ID` creates one".into())
            }
            Error::UnknownReference { reason, .. } if reason.contains("promoted") => {
                Some("`prompt env ID` shows where a prompt is promoted".into())
            }
            Error::UnknownReference { .. } => Some("`prompt log ID` lists the versions".into()),
            Error::UnknownRevision { .. } => Some(
                "`git branch -a` and `git tag` list revisions; a CI checkout may need \
                 `git fetch origin BRANCH` first"
                    .into(),
            ),
            Error::UnknownEnv { .. } => {
                Some("environments are configured under `environments:` in .prompts.yaml".into())
            }
            Error::AlreadyExists { .. } => Some("edit the file, or choose another id".into()),
            Error::Invalid { .. } => Some(
                "fix the problems above (`prompt check` lists them), or commit anyway with \
                 --no-verify"
                    .into(),
            ),
            Error::BareRepository { .. } => {
                Some("clone the repository to get a working tree".into())
            }
            Error::Locked { .. } => Some(
                "another git command may be running; if none is, the lock file is stale and can \
                 be removed"
                    .into(),
            ),
            Error::Conflict { .. } => Some("run the command again".into()),
            Error::Diverged { .. } => Some(
                "run `prompt pull` to see the remote's promotions, then promote again if yours \
                 should win"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// `a`, `a or b`, `a, b or c` with backticks.
pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
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
