//! `prompt commit`: validate changed prompts and commit them as new versions.

use crate::cli::diagnostics::render_text;
use crate::cli::error::message_with_hint;
use crate::cli::{error::CliError, Context};
use prompt_registry::ops::commit::{self, Outcome};
use prompt_registry::Error;

/// Validate, then commit changed prompt files as new versions (only prompt files: other staged
/// changes are left alone). The repository's pre-commit, commit-msg and post-commit hooks run as
/// for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prompts to commit (default: every changed prompt)
    #[arg(add = crate::cli::complete::ids())]
    pub ids: Vec<String>,
    /// The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)
    #[arg(short, long, value_name = "MSG")]
    pub message: Vec<String>,
    /// Commit even when validation finds errors, and skip the pre-commit and commit-msg hooks
    /// (as `git commit --no-verify`); post-commit runs either way
    #[arg(long)]
    pub no_verify: bool,
    /// Do not refuse for the flagged secret with this fingerprint (a false positive); repeatable
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let ids = ctx.ids(&args.ids)?;
    let reg = ctx.registry()?;
    reg.require_workdir("commit")?;
    reg.require_clean_state("commit")?;
    for warning in reg.symlink_warnings()? {
        ctx.ui.warn(&warning);
    }
    let selection = commit::select(reg, &ids)?;
    for id in &selection.unchanged {
        ctx.ui
            .status(&format!("{id}: unchanged since its last version"));
    }
    let mut changes = selection.changes;
    // On a terminal, `prompt commit` alone lets you pick which changed prompts to commit.
    if ids.is_empty() && args.message.is_empty() && ctx.ui.can_ask() && changes.len() > 1 {
        commit::sort_by_id(&mut changes);
        let labels: Vec<String> = changes
            .iter()
            .map(|c| format!("{} ({:?})", commit::change_id(c), c.kind).to_lowercase())
            .collect();
        let picked = ctx
            .ui
            .pick("Prompts to commit (space toggles, enter confirms)", &labels)?;
        changes = changes
            .into_iter()
            .enumerate()
            .filter(|(i, _)| picked.contains(i))
            .map(|(_, c)| c)
            .collect();
    }
    if changes.is_empty() {
        return Err(Error::NothingToCommit {
            reason: "no prompt differs from its last committed version".into(),
        }
        .into());
    }
    if !args.no_verify {
        if let Err(refusal) = commit::validate(reg, &changes, &args.allow_secret)? {
            ctx.ui.eprint(&render_text(&ctx.ui, &refusal.errors));
            return Err(refusal.error.into());
        }
    }
    let message = message(&args.message, ctx, reg)?;
    let committed = reg.commit_with(&changes, &message, !args.no_verify)?;
    for warning in &committed.warnings {
        ctx.ui.warn(warning);
    }
    let short = committed.commit.short();
    if reg.head_branch().is_none() {
        ctx.ui.warn(&format!(
            "HEAD is detached: commit {short} is on no branch, and a later checkout leaves it \
             behind (`git switch -c NAME` keeps it on a new branch)"
        ));
    }
    let mut text = String::new();
    for (id, outcome) in commit::outcomes(reg, &committed)? {
        let line = match outcome {
            Outcome::Removed => format!("{id}: removed ({short})\n"),
            Outcome::Version(number) => format!("{id}: version {number} ({short})\n"),
            Outcome::Through(number, via) => {
                format!("{id}: version {number} ({short}, through {via})\n")
            }
            Outcome::Draft { branch } => {
                let on = branch.map_or("no branch".to_string(), |b| format!("branch {b}"));
                format!("{id}: draft on {on} ({short})\n")
            }
            Outcome::Committed => format!("{id}: committed ({short})\n"),
            // The commit is made: say so, and why there is no number to show.
            Outcome::NumberUnknown(e) => {
                ctx.ui.warn(&message_with_hint(e));
                format!("{id}: committed ({short}); version number unknown\n")
            }
        };
        text.push_str(&line);
    }
    ctx.ui.print(&text)
}

/// The message from `-m`, or from an editor on a terminal.
fn message(
    parts: &[String],
    ctx: &Context,
    reg: &prompt_registry::store::Registry,
) -> Result<String, CliError> {
    let text = if !parts.is_empty() {
        parts.join("\n\n")
    } else if ctx.ui.can_ask() {
        let template =
            "\n# Write the message for this version. Lines starting with '#' are ignored;\n\
                        # an empty message aborts the commit.\n";
        ctx.ui.edit(&reg.editor(), template)?
    } else {
        return Err(CliError::Usage(
            "a commit message is needed: pass -m MESSAGE (no terminal to open an editor on)".into(),
        ));
    };
    // As git: an empty message aborts; the changes stay in the working tree.
    commit::message(&text).ok_or_else(|| {
        CliError::Other(anyhow::anyhow!(
            "aborting the commit: the message is empty (your changes are still in the working \
             tree)"
        ))
    })
}
