//! The JSON of `show --json` (and of `GET /v1/prompts/{ID}@{REF}` in `prompt serve`).

use serde::Serialize;

use crate::model::Prompt;

/// A draft's commit and branch (`null`: on no branch).
#[derive(Debug, Clone, Serialize)]
pub struct DraftJson {
    pub commit: String,
    pub branch: Option<String>,
}

/// `{id, reference, version, draft?, commit, environment, prompt}`.
#[derive(Debug, Clone, Serialize)]
pub struct Shown<'a> {
    pub id: String,
    pub reference: String,
    /// The version number, when the reference names a committed state on the release line.
    pub version: Option<usize>,
    /// Present when the commit read is a draft: its commit and branch (`null`: on no branch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<DraftJson>,
    /// The commit read, or null for the working tree.
    pub commit: Option<String>,
    pub environment: Option<String>,
    pub prompt: &'a Prompt,
}
