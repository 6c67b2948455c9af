//! `prompt cp SRC DST`: start a new prompt from an existing one.

use serde_json::Value;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::load;
use prompt_registry::store::Rev;
use prompt_registry::Error;

/// Copy a prompt (at any reference) to a new id; the copy records its source under
/// `metadata.copied_from`. Never overwrites; the copy is not committed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source reference, e.g. `support/summarize@production`
    #[arg(add = crate::cli::complete::references())]
    pub source: String,
    /// The new id
    pub dest: String,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let source = ctx.reference(&args.source)?;
    let dest = ctx.id(&args.dest)?;
    let reg = ctx.registry()?;
    reg.require_workdir("cp")?;
    let path = reg.path_of(&dest);
    if reg.read(Rev::WorkingTree, &dest)?.is_some() {
        return Err(Error::AlreadyExists { path }.into());
    }
    let resolved = reg.resolve(&source)?;
    let mut loaded = resolved.load()?;
    let origin = match (reg.version_number(&resolved)?, resolved.rev) {
        (Some(v), Rev::Commit(c)) => format!("{}@{v} ({})", source.id, c.short()),
        _ => source.to_string(),
    };
    loaded
        .prompt
        .metadata
        .insert("copied_from".into(), Value::String(origin.clone()));
    reg.create_file(&path, &load::to_yaml(&loaded.prompt))?;
    ctx.ui.status(&format!("created {path} from {origin}"));
    Ok(())
}
