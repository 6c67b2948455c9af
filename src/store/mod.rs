//! The registry: finding the repository and its config, reading prompt files in the working tree or
//! at any commit, versions, references and environment tags, and committing prompt files.
//!
//! This is the only module that uses git2. Everything it hands out speaks in prompt ids, commit ids,
//! versions and bytes, so the rest of the crate never sees a git object.
//!
//! # Map
//!
//! This file holds the types and the map; each other file adds one concern, most of them as an
//! `impl Registry` block:
//!
//! | file | what it adds |
//! |---|---|
//! | `open.rs` | `Registry::open`, `.prompts.yaml`, facts about the checkout (bare, shallow, in-progress operations, editor) |
//! | `config.rs` | the `.prompts.yaml` format |
//! | `workdir.rs` | paths of prompt files, the working-tree walk, symbolic links, creating files |
//! | `reads.rs`, `attributes.rs`, `trees.rs` | `HEAD`, revisions, the prompt files at a revision and their bytes (converted as git's checkout converts them when attributes or `core.autocrlf` could apply); trees read one way (depth bound, first of duplicate names) |
//! | `log.rs` | the numbered versions of a prompt and the numbered history of the registry |
//! | `history.rs`, `objects.rs`, `pack.rs`, `cache.rs`, `file_cache.rs` | the first-parent walks under `log.rs`, a fast object reader (commits and trees as bytes, `CommitInfo`) and its pack-file reader with a delta-base cache, the history cache, one prompt's kept versions |
//! | `steps.rs` | what one release-line (or draft) commit did to the prompt files: versions, removals, moves (trailers, then the same content, then similarity), includes; the one rule every numbering uses |
//! | `file_states.rs` | one prompt file's states along a first-parent history, with each commit's standing (version, draft): what `blame` compares |
//! | `parallel.rs` | work over many files on every core, and beside a history walk |
//! | `versions.rs` | the release line, drafts, shallow clones |
//! | `resolve.rs` | a reference to bytes, "not found" errors and their suggestions |
//! | `env.rs`, `moves.rs` | environment tags (promote, demote, history); `mv`, `cp`, `rm` |
//! | `commit.rs`, `interrupt.rs`, `signature.rs` | committing prompt files under git's lock, signals, identities (git's own answer) and dates |
//! | `program.rs`, `write.rs`, `sign.rs`, `shared.rs` | the `git` program and its configuration; the writes git makes (blobs, trees, commits, tags, references, hooks); signing a tag as `git tag -s` does; `core.sharedRepository` permissions for the files prompt writes itself |
//! | `staged.rs` | the index's content as a revision (`check --staged`), through `git write-tree` |
//! | `promisor.rs` | partial clones: objects fetched on demand through `git cat-file` |
//! | `remote.rs`, `import.rs` | `push`/`pull` through the `git` program; committing imported versions |
//! | `setup.rs` | `init` and the `prompt` diff driver |
//!
//! # The history model
//!
//! One commit's metadata is an `objects::CommitInfo` (author, email, time, zone, message), read
//! once during a walk and kept in the history cache. The walks produce two raw shapes, both
//! private to this module: `history::Touched` (one commit of the registry with the files it
//! added, changed or removed and a move trailer) and `history::RawVersion` (one commit that
//! changed one prompt's file, with the file's blob). `log.rs` numbers them into the public
//! shapes: `Version` (a `CommitInfo` with its commit, its number on the release line, and the
//! blob) for one prompt, and `RegistryCommit` (a commit id and its `CommitInfo`, with the number
//! each changed file became) for the whole registry: a registry commit has no number of its own.
//! `log.rs`'s `HistoryEntry` is the in-between step of `RegistryCommit` (files named as at the
//! tip, before numbering). A commit off the release line is a `versions::Draft` (a `CommitInfo`
//! with its commit and the branch it is on), never a `Version`; `versions::DraftCommit` is a draft
//! in the registry's history, its files read from the same `HistoryEntry` step as the release
//! line's. `Version`, `Draft` and `RegistryCommit` each hold one `CommitInfo` rather than copies
//! of its fields, and JSON shows its fields flat (`author`, `email`, `time`, `offset_minutes`,
//! `message`).

mod attributes;
mod cache;
mod commit;
pub mod config;
mod env;
mod file_cache;
// Issue 30 (blame): a prompt file's states along a history.
mod file_states;
// issue 28: what `prompt serve --watch` polls
mod fingerprint;
mod history;
mod import;
mod interrupt;
mod log;
mod moves;
mod objects;
mod open;
mod pack;
mod parallel;
mod program;
mod promisor;
mod reads;
mod remote;
mod resolve;
mod setup;
mod shared;
mod sign;
pub mod signature;
mod staged;
mod steps;
#[cfg(test)]
pub(crate) mod testing;
mod trees;
mod versions;
mod workdir;
mod write;

use std::fmt;

use git2::{Oid, Repository};

pub use commit::{Change, ChangeKind, Committed};
pub use config::{Config, CONFIG_FILE};
pub use env::{BrokenTag, EnvState, Promotion};
pub use file_states::{FileState, Standing};
pub use interrupt::{
    exiting, interrupt, interrupted_after_commit, stopping, write_file_atomically, Signal,
};
pub use moves::Moved;
pub use objects::CommitInfo;
pub use open::tune_process;
pub use remote::{Divergence, PullReport, PushReport};
pub use resolve::similar_ids;
pub use setup::{
    diff_textconv, init, install_diff_driver, Initialised, DIFF_ATTRIBUTE, DIFF_TEXTCONV,
};
pub use versions::{Draft, DraftCommit, ReleaseLine, VersionOrDraft};
pub use workdir::create_new;
pub(crate) use workdir::{symlink_error, symlink_in};

use crate::error::Error;
use crate::model::{EnvName, PromptId};

/// Wraps a libgit2 failure with what was being done. Called at once by `map_err`, while the
/// system's last error is still the failed call's own.
fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let context = context.into();
    move |source| Error::Git {
        context,
        source: with_os_error(source),
    }
}

/// libgit2 fails some writes without a message of its own (a buffered write that already
/// failed, as on a full disk): it then says "no error". The system's last error is the cause
/// the user can act on ("No space left on device", "File too large").
fn with_os_error(e: git2::Error) -> git2::Error {
    if e.class() != git2::ErrorClass::None {
        return e;
    }
    let os = std::io::Error::last_os_error();
    match os.raw_os_error() {
        None | Some(0) => e,
        Some(_) => git2::Error::new(
            e.code(),
            git2::ErrorClass::Os,
            format!("{os} (libgit2 gave no message)"),
        ),
    }
}

/// A commit id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitId(Oid);

impl CommitId {
    /// The first seven hex digits, as `git log --oneline` shows by default.
    pub fn short(&self) -> String {
        let mut s = self.0.to_string();
        s.truncate(7);
        s
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where prompt files are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rev {
    /// The files on disk.
    WorkingTree,
    /// The tree of a commit.
    Commit(CommitId),
}

/// A version of a prompt: a commit on the release line (contract §4) that changed what it
/// renders: its file, or a prompt it includes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    /// The prompt file's content id at the version (zero where unknown).
    #[serde(skip)]
    blob: Oid,
    /// From 1, oldest first (`version` in JSON, as in every other output).
    #[serde(rename = "version")]
    pub number: usize,
    #[serde(serialize_with = "ser_display")]
    pub commit: CommitId,
    /// Author, date and message (flat in JSON: `author`, `email`, `time`, `offset_minutes`,
    /// `message`).
    #[serde(flatten)]
    pub info: CommitInfo,
}

impl Version {
    fn new(commit: Oid, blob: Oid, number: usize, info: CommitInfo) -> Version {
        Version {
            blob,
            number,
            commit: CommitId(commit),
            info,
        }
    }

    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.info.summary()
    }

    /// Whether the prompt's own file is the same at both versions: a version that has its
    /// predecessor's file came through a prompt it includes.
    pub fn same_file_as(&self, other: &Version) -> bool {
        !self.blob.is_zero() && self.blob == other.blob
    }
}

fn ser_display<S: serde::Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A commit of the registry's history with the prompt files it changed and their new version numbers.
#[derive(Debug, Clone)]
pub struct RegistryCommit {
    pub commit: CommitId,
    pub info: CommitInfo,
    /// Files relative to the registry root, with the version each became.
    pub changes: Vec<(String, usize)>,
    /// Prompt files removed by this commit.
    pub removed: Vec<String>,
    /// Prompts moved by this commit: old file, new file.
    pub moves: Vec<(String, String)>,
    /// Of `changes`, the files whose version came through a prompt they include: file, the
    /// included file that changed.
    pub through: Vec<(String, String)>,
}

/// A reference resolved to file bytes.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub id: PromptId,
    pub rev: Rev,
    /// The version number, when the reference named one (`@N`, `@latest`) or it was found for
    /// free; `Registry::version_number` gives it for any reference.
    pub version: Option<usize>,
    /// The environment the reference named, if any.
    pub env: Option<EnvName>,
    /// The file's path relative to the repository root.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Resolved {
    /// How messages name the file: `prompts/a.prompt.yaml`, with `@commit` when not the working tree.
    pub fn display_name(&self) -> String {
        match self.rev {
            Rev::WorkingTree => self.path.clone(),
            Rev::Commit(c) => format!("{}@{}", self.path, c.short()),
        }
    }

    /// The prompt file parsed and checked, a parse error naming this file and revision.
    pub fn load(&self) -> Result<crate::model::load::Loaded, Error> {
        crate::model::load::parse_bytes(&self.bytes).map_err(|e| Error::Parse {
            file: self.display_name(),
            at: e.at,
            message: e.message,
        })
    }
}

/// Whether the history cache is bypassed (`PROMPT_NO_CACHE`).
fn cache_disabled() -> bool {
    std::env::var_os("PROMPT_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// An opened registry.
pub struct Registry {
    repo: Repository,
    config: Config,
    /// Working-tree folders (relative to the repository root) found not to be symbolic links by
    /// this handle: `list` and `check` read thousands of files from a few hundred folders.
    plain_folders: std::cell::RefCell<std::collections::HashSet<String>>,
    /// Whether a repository-wide source could make git convert files between blob and working
    /// tree (`attributes.rs`), found once per handle.
    conversions: std::cell::OnceCell<bool>,
}

impl Registry {}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn a_libgit2_failure_without_a_message_says_what_the_system_said() {
        // What libgit2 returns when a buffered write fails a second time: no message at all.
        let silent = git2::Error::new(
            git2::ErrorCode::GenericError,
            git2::ErrorClass::None,
            "no error",
        );
        // SAFETY: writes this thread's errno, as the failed write(2) on a full disk did.
        unsafe { *libc::__errno_location() = libc::ENOSPC };
        let err = super::git("writing the commit")(silent);
        let text = err.to_string();
        assert!(text.starts_with("writing the commit: "), "{text}");
        assert!(text.contains("No space left on device"), "{text}");
        assert!(!text.contains("no error;"), "{text}");
        // A failure with libgit2's own message keeps it.
        let own = git2::Error::new(
            git2::ErrorCode::NotFound,
            git2::ErrorClass::Odb,
            "object not found",
        );
        let text = super::git("reading")(own).to_string();
        assert!(text.contains("object not found"), "{text}");
    }
}
