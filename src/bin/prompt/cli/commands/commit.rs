//! `prompt commit`: validate changed prompts and commit them as new versions.

use crate::cli::diagnostics::render_text;
use crate::cli::error::message_with_hint;
use crate::cli::{error::CliError, Context};
use prompt_registry::check::{self, Severity};
use prompt_registry::model::PromptId;
use prompt_registry::ops::check::check_files;
use prompt_registry::store::{ChangeKind, Rev, VersionOrDraft};
use prompt_registry::Error;

/// Validate, then commit changed prompt files as new versions (only prompt files: other staged
/// changes are left alone)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prompts to commit (default: every changed prompt)
    #[arg(add = crate::cli::complete::ids())]
    pub ids: Vec<String>,
    /// The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)
    #[arg(short, long, value_name = "MSG")]
    pub message: Vec<String>,
    /// Commit even when validation finds errors
    #[arg(long)]
    pub no_verify: bool,
    /// Do not refuse for the flagged secret with this fingerprint (a false positive); repeatable
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let ids = args
        .ids
        .iter()
        .map(|s| PromptId::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let reg = ctx.registry()?;
    reg.require_workdir("commit")?;
    reg.require_clean_state("commit")?;
    for warning in reg.symlink_warnings()? {
        ctx.ui.warn(&warning);
    }
    let mut changes = reg.changes()?;
    if !ids.is_empty() {
        let wanted: Vec<String> = ids.iter().map(PromptId::file_name).collect();
        for (id, file) in ids.iter().zip(&wanted) {
            if !changes.iter().any(|c| &c.file == file) {
                if reg.read(Rev::WorkingTree, id)?.is_none() {
                    return Err(reg.not_found(id, Rev::WorkingTree).into());
                }
                ctx.ui
                    .status(&format!("{id}: unchanged since its last version"));
            }
        }
        changes.retain(|c| wanted.contains(&c.file));
    }
    // On a terminal, `prompt commit` alone lets you pick which changed prompts to commit.
    if ids.is_empty() && args.message.is_empty() && ctx.ui.can_ask() && changes.len() > 1 {
        // By id, so that `triage` comes before `triage-v2` (file names sort `-` before `.`).
        changes.sort_by(|a, b| {
            let id = |c: &prompt_registry::store::Change| {
                c.file
                    .trim_end_matches(prompt_registry::model::PROMPT_EXT)
                    .to_string()
            };
            id(a).cmp(&id(b))
        });
        let labels: Vec<String> = changes
            .iter()
            .map(|c| {
                format!(
                    "{} ({:?})",
                    c.file.trim_end_matches(prompt_registry::model::PROMPT_EXT),
                    c.kind
                )
                .to_lowercase()
            })
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
        let files: Vec<String> = changes
            .iter()
            .filter(|c| c.kind != ChangeKind::Deleted)
            .map(|c| c.file.clone())
            .collect();
        let diagnostics = check_files(reg, Rev::WorkingTree, &files, &args.allow_secret)?;
        let (errors, _) = check::counts(&diagnostics);
        if errors > 0 {
            let shown: Vec<_> = diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            ctx.ui.eprint(&render_text(&ctx.ui, &shown));
            let invalid: std::collections::HashSet<&str> =
                shown.iter().map(|d| d.file.as_str()).collect();
            return Err(Error::Invalid {
                count: invalid.len(),
            }
            .into());
        }
    }
    let message = message(&args.message, ctx, reg)?;
    let committed = reg.commit(&changes, &message)?;
    for warning in &committed.warnings {
        ctx.ui.warn(warning);
    }
    let short = committed.commit.short();
    let branch = reg.head_branch();
    if branch.is_none() {
        ctx.ui.warn(&format!(
            "HEAD is detached: commit {short} is on no branch, and a later checkout leaves it \
             behind (`git switch -c NAME` keeps it on a new branch)"
        ));
    }
    let mut text = String::new();
    // Only what this commit holds: a change another process committed first is not claimed.
    for change in &committed.changes {
        let Some(id) = PromptId::from_file_name(&change.file) else {
            continue;
        };
        let line = match change.kind {
            ChangeKind::Deleted => format!("{id}: removed ({short})\n"),
            _ => match reg.state_at(&id, committed.commit) {
                Ok(Some(VersionOrDraft::Version(v))) => {
                    format!("{id}: version {} ({short})\n", v.number)
                }
                Ok(Some(VersionOrDraft::Draft(d))) => {
                    let on = d
                        .branch
                        .map_or("no branch".to_string(), |b| format!("branch {b}"));
                    format!("{id}: draft on {on} ({short})\n")
                }
                Ok(None) => format!("{id}: committed ({short})\n"),
                // The commit is made: say so, and why there is no number to show.
                Err(e @ (Error::ShallowHistory { .. } | Error::NoReleaseLine { .. })) => {
                    ctx.ui.warn(&message_with_hint(e));
                    format!("{id}: committed ({short}); version number unknown\n")
                }
                Err(e) => return Err(e.into()),
            },
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
    let text = text.trim().to_string();
    if text.is_empty() {
        // As git: an empty message aborts; the changes stay in the working tree.
        return Err(CliError::Other(anyhow::anyhow!(
            "aborting the commit: the message is empty (your changes are still in the working \
             tree)"
        )));
    }
    Ok(text + "\n")
}
