//! `prompt promote REF ENV` and `prompt demote ID ENV`: move and remove environment tags.

use crate::cli::{error::CliError, Context};
use prompt_registry::model::{Reference, Selector};
use prompt_registry::store::{Registry, Rev, VersionOrDraft};
use prompt_registry::Error;

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
    let reference = ctx.reference(&args.reference)?;
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    let id = reference.id.clone();
    let chosen = chosen_version(reg, &reference, ctx)?;
    let state = match reg.env_state(&id, &env) {
        // Promoting is one of the fixes of a broken tag: it is replaced.
        Err(Error::BrokenTag { tag, problem, .. }) => {
            ctx.ui.warn(&format!(
                "{tag} is broken ({problem}); this promotion replaces it"
            ));
            None
        }
        other => other?,
    };
    if let Some(s) = &state {
        if s.commit == chosen.commit() {
            ctx.ui.status(&format!(
                "{id}@{env} is already at {}; nothing to do",
                chosen.label()
            ));
            return Ok(());
        }
    }
    let protected = reg.config().is_protected(env.as_str());
    if let VersionOrDraft::Draft(d) = &chosen {
        if !protected {
            ctx.ui.warn(&format!(
                "{id} is a {}: it is not on the release line, so it has no version \
                 number; {env} will show it as a draft",
                d.label()
            ));
        }
    }
    let previous = state
        .as_ref()
        .and_then(|s| s.history.first().and_then(|p| p.version));
    if protected && matches!(chosen, VersionOrDraft::Version(_)) {
        let from = previous.map_or("nothing".to_string(), |p| format!("version {p}"));
        let question = format!("Move {id}@{env} from {from} to {}?", chosen.label());
        ctx.ui
            .confirm_protected(args.yes, &[env.to_string()], &question)?;
    }
    // The library refuses a draft for a protected environment, with or without --yes.
    let record = reg.promote(&id, &env, &chosen, args.message.as_deref(), state.as_ref())?;
    let was = match record.previous {
        Some(p) => format!(", was version {p}"),
        None => String::new(),
    };
    let what = match &chosen {
        VersionOrDraft::Version(v) => format!("version {} ({}{was})", v.number, v.commit.short()),
        VersionOrDraft::Draft(d) => format!("{}{was}", d.label()),
    };
    ctx.ui.done(&format!("{id}@{env}: {what}"))?;
    Ok(())
}

/// What a reference names, for promotion: a committed version, or a draft (a commit off the
/// release line).
fn chosen_version(
    reg: &Registry,
    reference: &Reference,
    ctx: &Context,
) -> Result<VersionOrDraft, CliError> {
    let id = &reference.id;
    let latest = || -> Result<VersionOrDraft, CliError> {
        let v = reg.versions(id)?.pop().ok_or_else(|| {
            CliError::Lib(Error::UnknownReference {
                reference: format!("{id}@latest"),
                reason: format!("`{id}` has no committed versions yet (run `prompt commit {id}`)"),
            })
        })?;
        Ok(VersionOrDraft::Version(v))
    };
    if reference.selector == Selector::WorkingTree {
        let v = latest()?;
        if reg.workdir().is_some() {
            let working = reg.read(Rev::WorkingTree, id)?;
            let committed = reg.read(Rev::Commit(v.commit()), id)?;
            if working != committed {
                ctx.ui.warn(&format!(
                    "{id} has uncommitted changes; promoting the latest committed version ({})",
                    v.number().unwrap_or_default()
                ));
            }
        }
        return Ok(v);
    }
    let resolved = reg.resolve(reference)?;
    match resolved.rev {
        Rev::Commit(c) => reg.state_at(id, c)?.ok_or_else(|| {
            CliError::Lib(Error::UnknownReference {
                reference: reference.to_string(),
                reason: format!("`{id}` has no committed version at that revision"),
            })
        }),
        Rev::WorkingTree => latest(),
    }
}

pub fn demote(args: DemoteArgs, ctx: &Context) -> Result<(), CliError> {
    let id = ctx.id(&args.id)?;
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    let state = match reg.env_state(&id, &env) {
        Err(Error::BrokenTag { tag, problem, .. }) => {
            if reg.config().is_protected(env.as_str()) {
                let question = format!("Remove the broken tag {tag}?");
                ctx.ui
                    .confirm_protected(args.yes, &[env.to_string()], &question)?;
            }
            reg.remove_broken_tag(&id, &env)?;
            ctx.ui
                .line(&format!("{tag}: removed (the tag was broken: {problem})"))?;
            return Ok(());
        }
        other => other?,
    };
    let Some(state) = state else {
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
    ctx.ui.done(&format!("{id}@{env}: removed{was}"))?;
    Ok(())
}
