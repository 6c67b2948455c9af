//! `prompt show REF`: a prompt at a reference, as YAML or JSON.

use crate::cli::{error::CliError, Context};
use prompt_registry::interchange::bundle::read as bundle_read;
use prompt_registry::model::{load, Reference};
use prompt_registry::ops::show::{DraftJson, Shown};
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
    /// Read the prompt from a bundle file (`prompt bundle`) alone, no repository needed
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<std::path::PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if let Some(path) = &args.bundle {
        return from_bundle(&args, path, ctx);
    }
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

/// `show --bundle FILE REF`: the bundled file as it is, or its `--json`.
fn from_bundle(args: &Args, path: &std::path::Path, ctx: &Context) -> Result<(), CliError> {
    let reference = Reference::parse(&args.reference)?;
    let bundle = bundle_read::open_file(path)?;
    let p = bundle.resolve(&reference)?;
    if !args.json {
        return if ctx.ui.is_terminal() {
            ctx.ui.print(&p.source)
        } else {
            ctx.ui.print_exact(&p.source)
        };
    }
    let loaded = p.load()?;
    ctx.ui.json(&Shown {
        id: p.id.to_string(),
        reference: reference.to_string(),
        version: p.version,
        draft: p.draft.as_ref().map(|branch| DraftJson {
            commit: p.commit.clone(),
            branch: branch.clone(),
        }),
        commit: Some(p.commit.clone()),
        environment: Some(bundle.environment.clone()),
        prompt: &loaded.prompt,
    })
}
