//! `prompt promote REF ENV` and `prompt demote ID ENV`: move and remove environment tags.

use crate::cli::{error::CliError, Context};
use crate::model::{PromptId, Reference, Selector};
use crate::store::{Registry, Rev, Version};
use crate::Error;

/// Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest).
/// Rollback is a promote of an older version. Works in a bare repository too (only the tag moves).
#[derive(Debug, clap::Args)]
pub struct PromoteArgs {
    /// The version to promote, e.g. `support/summarize@3`
    #[arg(add = crate::cli::complete::references())]
    pub reference: String,
    /// The environment, one of those in .prompts.yaml
    #[arg(add = crate::cli::complete::envs())]
    pub env: String,
    /// A note recorded with the promotion (why)
    #[arg(short, long, value_name = "NOTE")]
    pub message: Option<String>,
    /// Confirm moving a protected environment (`protected_environments`, default production):
    /// asked on a terminal, required elsewhere
    #[arg(short, long)]
    pub yes: bool,
}

/// Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too
#[derive(Debug, clap::Args)]
pub struct DemoteArgs {
    /// The prompt id
    #[arg(add = crate::cli::complete::ids())]
    pub id: String,
    /// The environment
    #[arg(add = crate::cli::complete::envs())]
    pub env: String,
    /// Confirm demoting from a protected environment (asked on a terminal, required elsewhere)
    #[arg(short, long)]
    pub yes: bool,
}

pub fn promote(args: PromoteArgs, ctx: &Context) -> Result<(), CliError> {
    let reference = Reference::parse(&args.reference)?;
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    let id = reference.id.clone();
    let version = chosen_version(reg, &reference, ctx)?;
    let state = reg.env_state(&id, &env)?;
    if let Some(s) = &state {
        if s.commit == version.commit {
            ctx.ui.status(&format!(
                "{id}@{env} is already at version {}; nothing to do",
                version.number
            ));
            return Ok(());
        }
    }
    let previous = state
        .as_ref()
        .and_then(|s| s.history.first().and_then(|p| p.version));
    if reg.config().is_protected(env.as_str()) {
        let from = previous.map_or("nothing".to_string(), |p| format!("version {p}"));
        let question = format!("Move {id}@{env} from {from} to version {}?", version.number);
        ctx.ui
            .confirm_protected(args.yes, &[env.to_string()], &question)?;
    }
    let record = reg.promote(&id, &env, &version, args.message.as_deref(), state.as_ref())?;
    let was = match record.previous {
        Some(p) => format!(", was version {p}"),
        None => String::new(),
    };
    ctx.ui.line(&format!(
        "{id}@{env}: version {} ({}{was})",
        version.number,
        version.commit.short()
    ))?;
    Ok(())
}

/// The version a reference names, for promotion: always a committed version.
fn chosen_version(
    reg: &Registry,
    reference: &Reference,
    ctx: &Context,
) -> Result<Version, CliError> {
    let id = &reference.id;
    let latest = || -> Result<Version, CliError> {
        reg.versions(id)?.pop().ok_or_else(|| {
            CliError::Lib(Error::UnknownReference {
                reference: format!("{id}@latest"),
                reason: format!("`{id}` has no committed versions yet (run `prompt commit {id}`)"),
            })
        })
    };
    if reference.selector == Selector::WorkingTree {
        let v = latest()?;
        if reg.workdir().is_some() {
            let working = reg.read(Rev::WorkingTree, id)?;
            let committed = reg.read(Rev::Commit(v.commit), id)?;
            if working != committed {
                ctx.ui.warn(&format!(
                    "{id} has uncommitted changes; promoting the latest committed version ({})",
                    v.number
                ));
            }
        }
        return Ok(v);
    }
    let resolved = reg.resolve(reference)?;
    match resolved.rev {
        Rev::Commit(c) => reg.version_at(id, c)?.ok_or_else(|| {
            CliError::Lib(Error::UnknownReference {
                reference: reference.to_string(),
                reason: format!("`{id}` has no committed version at that revision"),
            })
        }),
        Rev::WorkingTree => latest(),
    }
}

pub fn demote(args: DemoteArgs, ctx: &Context) -> Result<(), CliError> {
    let id = PromptId::parse(&args.id)?;
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    let Some(state) = reg.env_state(&id, &env)? else {
        return Err(Error::NotPromoted {
            reference: format!("{id}@{env}"),
            reason: format!("`{id}` is not promoted to {env}"),
        }
        .into());
    };
    let version = state.history.first().and_then(|p| p.version);
    if reg.config().is_protected(env.as_str()) {
        let question = format!("Remove {id} from {env}?");
        ctx.ui
            .confirm_protected(args.yes, &[env.to_string()], &question)?;
    }
    reg.demote(&id, &env, &state)?;
    let was = version.map_or(String::new(), |v| format!(" (was version {v})"));
    ctx.ui.line(&format!("{id}@{env}: removed{was}"))?;
    Ok(())
}
