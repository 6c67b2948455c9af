//! `prompt mv OLD NEW`: rename or move a prompt, keeping its history and environments.

use crate::cli::{error::CliError, Context};

/// Rename a prompt or move it to another folder; history, version numbers and environment tags
/// follow it. Never overwrites.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The prompt's current id
    #[arg(add = crate::cli::complete::ids())]
    pub old: String,
    /// Its new id
    pub new: String,
    /// Commit message (default: "Move OLD to NEW")
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Confirm moving protected environment tags with the prompt (asked on a terminal, required
    /// elsewhere)
    #[arg(short, long)]
    pub yes: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let old = ctx.id(&args.old)?;
    let new = ctx.id(&args.new)?;
    let reg = ctx.registry()?;
    reg.require_workdir("mv")?;
    let protected = reg.protected_tags(&old)?;
    let question = format!("Move {} to {new}?", protected.join(", "));
    ctx.ui.confirm_protected(args.yes, &protected, &question)?;
    let moved = reg.move_prompt(&old, &new, args.message.as_deref())?;
    let mut line = format!("{old} → {new}");
    match moved.commit {
        Some(c) => line.push_str(&format!(" ({})", c.short())),
        None => line.push_str(" (not committed yet: only the file moved)"),
    }
    if !moved.envs.is_empty() {
        let envs: Vec<String> = moved.envs.iter().map(ToString::to_string).collect();
        if moved.old_tags_kept {
            line.push_str(&format!(
                "; environments copied: {} (the tags of {old} stay: this branch is not the \
                 release line)",
                envs.join(", ")
            ));
        } else {
            line.push_str(&format!("; environments moved: {}", envs.join(", ")));
        }
    }
    ctx.ui.done(&line)?;
    Ok(())
}
