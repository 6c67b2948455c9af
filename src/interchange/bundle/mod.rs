//! Bundles (contract §10, §13): every prompt promoted to one environment, at its promoted
//! version, in one JSON file, for programs that run without git; content-addressed, so that what
//! runs can be pinned and checked byte for byte.
//!
//! The shape is stable (format 1; fields are only ever added) and documented in
//! docs/json-output.md:
//!
//! ```json
//! {
//!   "format": 1,
//!   "environment": "production",
//!   "generated_from": "<full commit id of --ref, default HEAD>",
//!   "digest": "<sha-256, hex>",
//!   "prompts": {
//!     "support/summarize": {
//!       "id": "support/summarize",
//!       "version": 3,
//!       "commit": "<full commit id of the promoted version>",
//!       "sha256": "<sha-256 of the prompt file's bytes at that commit>",
//!       "source": "<the prompt file's text at that commit>",
//!       "prompt": { "format": 1, "model": {…}, "inputs": {…}, "messages": […], … },
//!       "partials": { "shared/header": "template text" },
//!       "includes": { "shared/header": {"id", "commit", "sha256", "source"} }
//!     }
//!   }
//! }
//! ```
//!
//! `prompts` is keyed and sorted by id. `version` is the version number at the promoted commit on
//! the release line (contract §4); for a draft (a commit off the release line) it is `null` and
//! `"draft": {"branch": NAME-or-null}` says so. A shallow clone that cannot count versions
//! cannot write a bundle (the error names the fix). `prompt` is the prompt file as JSON, with the
//! keys and meaning of contract §3; `source` is the file itself (the blob git stores, as `git
//! cat-file blob COMMIT:PATH` prints it) and `sha256` the SHA-256 of its bytes. `partials` and
//! `includes` are present only when the prompt's templates include other prompts (partials,
//! parents, Jinja2 includes), transitively, all read at the prompt's own commit (contract §4):
//! `partials` maps each to its template text, `includes` to its id, the commit it was read at,
//! its file's SHA-256 and the file. The prompts are those present at `generated_from` that have
//! an `ID@ENV` tag.
//!
//! `digest` is the SHA-256 (lower-case hex) of the canonical JSON of the bundle without its
//! `digest` and `generated_from` fields: object keys sorted by their UTF-8 bytes, no whitespace,
//! strings and numbers as `serde_json` writes them (`digest` has the exact rules; the same text
//! is in docs/json-output.md).
//! So the digest depends on the prompts, their versions and their bytes only: neither on when
//! nor from which later commit the bundle was written, nor on key order. Two bundles of the same
//! state are equal byte for byte.

pub mod digest;
pub mod read;

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Serialize;

use crate::error::Error;
use crate::model::{EnvName, Prompt, PromptId, Reference, Selector};
use crate::partials::{included_by, names_in};
use crate::store::{CommitId, Registry, Rev, VersionOrDraft};

/// The version of the bundle shape (fields are only added within it).
pub const BUNDLE_FORMAT: u32 = 1;

/// How deep partials of partials are followed.
const MAX_PARTIAL_DEPTH: usize = 16;

/// A bundle file.
#[derive(Debug, Clone, Serialize)]
pub struct Bundle {
    /// Always 1 for this shape.
    pub format: u32,
    /// The environment bundled.
    pub environment: String,
    /// The commit the set of prompts was taken from.
    pub generated_from: String,
    /// SHA-256 over the canonical form of the rest (see the module documentation).
    pub digest: String,
    /// By id, sorted.
    pub prompts: IndexMap<String, BundledPrompt>,
}

/// One prompt of a bundle.
#[derive(Debug, Clone, Serialize)]
pub struct BundledPrompt {
    pub id: String,
    /// The promoted version's number; `null` for a draft.
    pub version: Option<usize>,
    /// Present when the environment runs a draft (a commit off the release line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<DraftRef>,
    /// The promoted version's commit.
    pub commit: String,
    /// SHA-256 (hex) of the prompt file's bytes at `commit`.
    pub sha256: String,
    /// The prompt file's text at `commit`.
    pub source: String,
    pub prompt: Prompt,
    /// Template texts of the partials the prompt includes, at the same commit.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub partials: IndexMap<String, String>,
    /// Each included prompt's file, with where it was read and its SHA-256.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub includes: IndexMap<String, Included>,
}

/// A prompt another one includes (partial, parent, Jinja2 include), as read for a bundle.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Included {
    pub id: String,
    /// The commit it was read at: the including prompt's own (contract §4).
    pub commit: String,
    /// SHA-256 (hex) of its file's bytes at `commit`.
    pub sha256: String,
    /// Its file's text at `commit`.
    pub source: String,
}

/// Where a bundled draft comes from.
#[derive(Debug, Clone, Serialize)]
pub struct DraftRef {
    /// The branch that holds it, or `null` when none does.
    pub branch: Option<String>,
}

/// A bundle, and what was left out of it.
#[derive(Debug, Clone)]
pub struct Built {
    pub bundle: Bundle,
    /// Each says what was left out and why.
    pub warnings: Vec<String>,
}

/// Builds the bundle of `env` from the prompts present at `rev`.
pub fn build(reg: &Registry, env: &EnvName, rev: CommitId) -> Result<Built, Error> {
    let present: BTreeSet<PromptId> = reg.ids(Rev::Commit(rev))?.into_iter().collect();
    let promoted: BTreeSet<PromptId> = reg
        .all_envs()?
        .into_iter()
        .filter(|(_, envs)| envs.iter().any(|(e, _)| e == env))
        .map(|(id, _)| id)
        .collect();
    let mut warnings = Vec::new();
    let mut prompts = IndexMap::new();
    for id in promoted {
        if !present.contains(&id) {
            warnings.push(format!(
                "{id} is promoted to {env} but is not at {}; left out",
                rev.short()
            ));
            continue;
        }
        let resolved = reg.resolve(&Reference {
            id: id.clone(),
            selector: Selector::Named(env.to_string()),
        })?;
        let Rev::Commit(commit) = resolved.rev else {
            continue;
        };
        let loaded = resolved.load()?;
        let source = String::from_utf8(resolved.bytes.clone()).map_err(|_| Error::Unreadable {
            file: resolved.display_name(),
            message: "not UTF-8".into(),
        })?;
        let (partials, includes) = partials_of(reg, &loaded.prompt, commit, &id, &mut warnings);
        // The number must be right or absent: a shallow clone that cannot count fails here (with
        // the fix) rather than writing numbers counted from its boundary.
        let (version, draft) = match reg.state_at(&id, commit)? {
            Some(VersionOrDraft::Version(v)) => (Some(v.number), None),
            Some(VersionOrDraft::Draft(d)) => {
                warnings.push(format!(
                    "{id}@{env} is a {}: bundled with no version number",
                    d.label()
                ));
                (None, Some(DraftRef { branch: d.branch }))
            }
            None => (None, None),
        };
        prompts.insert(
            id.to_string(),
            BundledPrompt {
                id: id.to_string(),
                version,
                draft,
                commit: commit.to_string(),
                sha256: digest::sha256_hex(source.as_bytes()),
                source,
                prompt: loaded.prompt,
                partials,
                includes,
            },
        );
    }
    let mut bundle = Bundle {
        format: BUNDLE_FORMAT,
        environment: env.to_string(),
        generated_from: rev.to_string(),
        digest: String::new(),
        prompts,
    };
    bundle.digest = digest::of_bundle(&bundle)?;
    Ok(Built { bundle, warnings })
}

/// The prompts a prompt includes, recursively, read at `commit`: their template texts by id, and
/// their files with SHA-256s.
fn partials_of(
    reg: &Registry,
    prompt: &Prompt,
    commit: CommitId,
    id: &PromptId,
    warnings: &mut Vec<String>,
) -> (IndexMap<String, String>, IndexMap<String, Included>) {
    let mut texts = IndexMap::new();
    let mut files = IndexMap::new();
    let mut queue: Vec<(String, usize)> = included_by(prompt).into_iter().map(|n| (n, 1)).collect();
    while let Some((name, depth)) = queue.pop() {
        if texts.contains_key(&name) || depth > MAX_PARTIAL_DEPTH {
            continue;
        }
        match read_included(reg, commit, &name) {
            Some((text, file)) => {
                queue.extend(names_in(&text).into_iter().map(|n| (n, depth + 1)));
                texts.insert(name.clone(), text);
                files.insert(name, file);
            }
            None => warnings.push(format!(
                "{id}: the partial `{name}` cannot be read at {}; left out",
                commit.short()
            )),
        }
    }
    texts.sort_keys();
    files.sort_keys();
    (texts, files)
}

/// An included prompt's template text and file at `commit`, when it is a text prompt that loads
/// (what rendering would use; anything else renders as a missing partial either way).
fn read_included(reg: &Registry, commit: CommitId, name: &str) -> Option<(String, Included)> {
    let id = PromptId::parse(name).ok()?;
    let bytes = reg.read(Rev::Commit(commit), &id).ok()??;
    let template = crate::model::load::parse_bytes(&bytes)
        .ok()?
        .prompt
        .template?;
    let source = String::from_utf8(bytes).ok()?;
    Some((
        template,
        Included {
            id: id.to_string(),
            commit: commit.to_string(),
            sha256: digest::sha256_hex(source.as_bytes()),
            source,
        },
    ))
}
