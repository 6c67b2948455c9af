//! `prompt push` and `prompt pull`: share the branch and the environments with a git remote.

use crate::cli::{error::CliError, Context};

/// Push the current branch and the environment tags; a tag someone else moved since your last pull
/// stops the push and nothing changes on the remote. The branch goes where `git push` sends it
/// (its upstream, by push.default), and the output names it
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// The remote (default: the branch's upstream remote, else origin)
    pub remote: Option<String>,
}

/// Fetch, fast-forward the current branch, and take the remote's environment tags
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// The remote (default: the branch's upstream remote, else origin)
    pub remote: Option<String>,
}

pub fn push(args: PushArgs, ctx: &Context) -> Result<(), CliError> {
    let reg = ctx.registry()?;
    let report = reg.push(args.remote.as_deref())?;
    let mut lines = Vec::new();
    if report.branch_updated {
        lines.push(format!(
            "{}: pushed to {}/{}",
            report.branch, report.remote, report.remote_branch
        ));
    }
    lines.extend(report.tags.iter().cloned());
    if lines.is_empty() {
        ctx.ui.status(&format!("{} is up to date", report.remote));
    }
    for l in lines {
        ctx.ui.line(&l)?;
    }
    Ok(())
}

pub fn pull(args: PullArgs, ctx: &Context) -> Result<(), CliError> {
    let reg = ctx.registry()?;
    let report = reg.pull(args.remote.as_deref())?;
    // `-q` prints only data and errors: what moved is progress, so it is silenced too.
    if ctx.ui.quiet {
        for r in &report.replaced {
            ctx.ui.warn(r);
        }
        return Ok(());
    }
    if let Some((from, to)) = &report.moved {
        let from = from
            .as_deref()
            .map_or("nothing".to_string(), |f| f[..7].to_string());
        ctx.ui
            .line(&format!("{}: {from} → {}", report.branch, &to[..7]))?;
    }
    for t in &report.tags {
        ctx.ui.line(t)?;
    }
    for r in &report.replaced {
        ctx.ui.warn(r);
    }
    if report.moved.is_none() && report.tags.is_empty() {
        ctx.ui
            .status(&format!("already up to date with {}", report.remote));
    }
    Ok(())
}
