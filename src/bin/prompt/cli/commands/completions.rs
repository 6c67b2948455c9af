//! `prompt completions SHELL`: a static completion script.

use clap::CommandFactory;

use crate::cli::{error::CliError, Cli, Context};

/// Print a completion script for a shell (static: commands and flags). For ids and environments
/// too, use dynamic completion instead: `source <(COMPLETE=bash prompt)`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    ctx.ui.print_exact(&script(args.shell))
}

/// The script for `shell`, as committed under `completions/`.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "prompt", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
