//! `prompt show REF`: a prompt at a reference, as YAML or JSON.

use serde::Serialize;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::{load, Prompt};
use prompt_registry::store::{Rev, VersionOrDraft};
use prompt_registry::Error;

/// Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reference, e.g. `support/summarize@3`
    #[arg(add = crate::cli::complete::references())]
    pub reference: String,
    /// Print JSON: {id, reference, version, draft?, commit, environment, prompt}
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct DraftJson {
    commit: String,
    branch: Option<String>,
}

#[derive(Serialize)]
struct Shown<'a> {
    id: String,
    reference: String,
    /// The version number, when the reference names a committed state on the release line.
    version: Option<usize>,
    /// Present when the commit read is a draft: its commit and branch (`null`: on no branch).
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<DraftJson>,
    /// The commit read, or null for the working tree.
    commit: Option<String>,
    environment: Option<String>,
    prompt: &'a Prompt,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let reference = ctx.reference(&args.reference)?;
    let reg = ctx.registry()?;
    let resolved = reg.resolve(&reference)?;
    let parse_error = |e: load::LoadError| Error::Parse {
        file: resolved.display_name(),
        at: e.at,
        message: e.message,
    };
    let text = load::decode(&resolved.bytes).map_err(parse_error)?;
    // `@N` and `@latest` are versions by definition; anything else at a commit may be a draft.
    // Printing the YAML of an environment is the hot path of scripts, and telling a draft there
    // costs the prompt's history (4x the read): `env` and `--json` say it instead.
    let state = match (resolved.version, &resolved.env) {
        (Some(_), _) => None,
        (None, Some(_)) if !args.json => None,
        (None, _) => reg.state_of(&resolved)?,
    };
    let draft = match &state {
        Some(VersionOrDraft::Draft(d)) => Some(d),
        _ => None,
    };
    if let Some(d) = draft {
        ctx.ui.status(&format!(
            "note: {reference} is a {}: off the release line, so it has no version number",
            d.label()
        ));
    }
    if !args.json {
        // The file as it is for a program; escaped for a person on a terminal.
        return if ctx.ui.is_terminal() {
            ctx.ui.print(&text)
        } else {
            ctx.ui.print_exact(&text)
        };
    }
    let loaded = load::parse(&text).map_err(parse_error)?;
    ctx.ui.json(&Shown {
        id: resolved.id.to_string(),
        reference: reference.to_string(),
        version: resolved
            .version
            .or(state.as_ref().and_then(VersionOrDraft::number)),
        draft: draft.map(|d| DraftJson {
            commit: d.commit.to_string(),
            branch: d.branch.clone(),
        }),
        commit: match resolved.rev {
            Rev::Commit(c) => Some(c.to_string()),
            Rev::WorkingTree => None,
        },
        environment: resolved.env.as_ref().map(ToString::to_string),
        prompt: &loaded.prompt,
    })
}
