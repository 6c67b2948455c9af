//! `prompt completions SHELL`: the completion script a packager installs.
//!
//! For bash, zsh and fish the script hands every word to the binary (`COMPLETE=<shell> prompt --
//! …`), which answers with subcommands, flags, prompt ids, references and environment names read
//! from the registry being typed in (see `cli::complete`), so id positions never fall back to
//! file paths. PowerShell and Elvish get clap's static script (subcommands and flags).

use crate::cli::{error::CliError, Cli, Context};
use clap::CommandFactory;

/// Print a completion script for a shell (bash, zsh and fish ones complete ids and environments)
///
/// The bash, zsh and fish scripts ask `prompt` (on PATH) while completing, so they offer prompt
/// ids, references and environment names from the registry being typed in, besides commands and
/// flags. The PowerShell and Elvish scripts are static: commands and flags.
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
    use clap_complete::Shell;
    let mut out = Vec::new();
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Fish => {
            let name = shell.to_string();
            let completer = crate::cli::complete::SHELLS
                .completer(&name)
                .expect("a dynamic completer for bash, zsh and fish");
            // The same script `COMPLETE=<shell> prompt` prints, except that it calls `prompt` by
            // name (found on PATH) instead of the path this binary was started from.
            completer
                .write_registration("COMPLETE", "prompt", "prompt", "prompt", &mut out)
                .expect("writing to a Vec cannot fail");
            if shell == Shell::Zsh {
                // Installed in `$fpath` as `_prompt`, zsh runs this file as the function `_prompt`
                // on the first TAB: the script above only registers its completer then, so
                // complete now too, or that first TAB offers nothing. Sourced, it does nothing.
                out.extend_from_slice(
                    b"[[ ${funcstack[1]} = _prompt ]] && _clap_dynamic_completer_prompt \"$@\"\n",
                );
            }
        }
        _ => clap_complete::generate(shell, &mut Cli::command(), "prompt", &mut out),
    }
    String::from_utf8_lossy(&out).into_owned()
}
