//! `prompt rm ID`: delete a prompt; its history stays.

use crate::cli::{error::CliError, Context};

/// Delete a prompt's file and commit the removal. History stays, and environment tags stay until
/// demoted: while an environment points at the prompt, rm refuses unless --force.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The prompt id
    #[arg(add = crate::cli::complete::ids())]
    pub id: String,
    /// Commit message (default: "Remove ID")
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Remove even while environments point at it, or with uncommitted changes
    #[arg(long)]
    pub force: bool,
    /// Confirm removing a prompt a protected environment serves (asked on a terminal, required
    /// elsewhere)
    #[arg(short, long)]
    pub yes: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = ctx.id(&args.id)?;
    let reg = ctx.registry()?;
    reg.require_workdir("rm")?;
    if args.force {
        let protected = reg.protected_tags(&id)?;
        let question = format!("Remove {id}, which {} still serves?", protected.join(", "));
        ctx.ui.confirm_protected(args.yes, &protected, &question)?;
    }
    match reg.remove_prompt(&id, args.message.as_deref(), args.force)? {
        Some(c) => ctx.ui.done(&format!("{id}: removed ({})", c.short()))?,
        None => ctx
            .ui
            .line(&format!("{id}: removed (it was never committed)"))?,
    }
    Ok(())
}
