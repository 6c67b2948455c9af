//! Bundles (contract §10): every prompt promoted to one environment, at its promoted version, in
//! one JSON file, for programs that run without git.
//!
//! The shape is stable (format 1); a program can rely on it:
//!
//! ```json
//! {
//!   "format": 1,
//!   "environment": "production",
//!   "generated_from": "<full commit id of --ref, default HEAD>",
//!   "prompts": {
//!     "support/summarize": {
//!       "id": "support/summarize",
//!       "version": 3,
//!       "commit": "<full commit id of the promoted version>",
//!       "prompt": { "format": 1, "model": {…}, "inputs": {…}, "messages": […], … },
//!       "partials": { "shared/header": "template text" }
//!     }
//!   }
//! }
//! ```
//!
//! `prompts` is keyed and sorted by id. `version` is the version number at the promoted commit on
//! the release line (contract §4); for a draft (a commit off the release line) it is `null` and
//! `"draft": {"branch": NAME-or-null}` says so. A shallow clone that cannot count versions
//! cannot write a bundle (the error names the fix). `prompt` is the
//! prompt file as JSON, with the keys and meaning of contract §3. `partials` is present only when
//! the prompt's templates include partials: each included prompt's template text, read at the same
//! commit as the prompt (contract §4), including partials of partials. The prompts are those
//! present at `generated_from` that have an `ID@ENV` tag.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Serialize;

use crate::error::Error;
use crate::model::{EnvName, Prompt, PromptId, Reference, Selector};
use crate::partials::{included_by, names_in, PartialLookup, PartialSource, RegistryPartials};
use crate::store::{CommitId, Registry, Rev, VersionOrDraft};

/// The version of the bundle shape.
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
    pub prompt: Prompt,
    /// Template texts of the partials the prompt includes, at the same commit.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub partials: IndexMap<String, String>,
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
        let partials = partials_of(reg, &loaded.prompt, commit, &id, &mut warnings);
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
                prompt: loaded.prompt,
                partials,
            },
        );
    }
    Ok(Built {
        bundle: Bundle {
            format: BUNDLE_FORMAT,
            environment: env.to_string(),
            generated_from: rev.to_string(),
            prompts,
        },
        warnings,
    })
}

/// The partials a prompt includes, recursively, read at `commit`.
fn partials_of(
    reg: &Registry,
    prompt: &Prompt,
    commit: CommitId,
    id: &PromptId,
    warnings: &mut Vec<String>,
) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    let source = RegistryPartials::new(reg, Rev::Commit(commit));
    let mut queue: Vec<(String, usize)> = included_by(prompt).into_iter().map(|n| (n, 1)).collect();
    while let Some((name, depth)) = queue.pop() {
        if out.contains_key(&name) || depth > MAX_PARTIAL_DEPTH {
            continue;
        }
        match source.lookup(&name) {
            PartialLookup::Text(text) => {
                queue.extend(names_in(&text).into_iter().map(|n| (n, depth + 1)));
                out.insert(name, text);
            }
            _ => warnings.push(format!(
                "{id}: the partial `{name}` cannot be read at {}; left out",
                commit.short()
            )),
        }
    }
    out.sort_keys();
    out
}
