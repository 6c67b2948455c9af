//! `prompt show REF`: a prompt at a reference, as YAML or JSON.

use serde::Serialize;

use crate::cli::{error::CliError, Context};
use crate::model::{load, Prompt, Reference};
use crate::store::Rev;
use crate::Error;

/// Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reference, e.g. `support/summarize@3`
    #[arg(add = crate::cli::complete::references())]
    pub reference: String,
    /// Print JSON: {id, reference, version, commit, environment, prompt}
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Shown<'a> {
    id: String,
    reference: String,
    /// The version number, when the reference names a committed state.
    version: Option<usize>,
    /// The commit read, or null for the working tree.
    commit: Option<String>,
    environment: Option<String>,
    prompt: &'a Prompt,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let reference = Reference::parse(&args.reference)?;
    let reg = ctx.registry()?;
    let resolved = reg.resolve(&reference)?;
    let parse_error = |e: load::LoadError| Error::Parse {
        file: resolved.display_name(),
        at: e.at,
        message: e.message,
    };
    let text = load::decode(&resolved.bytes).map_err(parse_error)?;
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
        version: reg.version_number(&resolved)?,
        commit: match resolved.rev {
            Rev::Commit(c) => Some(c.to_string()),
            Rev::WorkingTree => None,
        },
        environment: resolved.env.as_ref().map(ToString::to_string),
        prompt: &loaded.prompt,
    })
}
