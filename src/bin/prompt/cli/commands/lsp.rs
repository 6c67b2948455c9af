//! `prompt lsp`: the language server for editors (contract §16), over stdio.

use std::path::PathBuf;

use crate::cli::{error::CliError, Context};
use prompt_registry::lsp::{self, Log};
use prompt_registry::Error;

/// Run the language server for editors (LSP 3.17 over stdin and stdout)
///
/// Diagnostics exactly as `prompt check` reports them, from the unsaved text; hover on inputs,
/// partials and parents; go to definition and references; completion of input names, prompt
/// ids, keys, providers and environments; commands that render the prompt or diff it against an
/// environment. Editors start it themselves: docs/editors.md shows the set-ups.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Append the server's log to FILE instead of stderr
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

pub fn run(args: Args, _ctx: &Context) -> Result<(), CliError> {
    let log = match &args.log {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            Log::new(Box::new(file))
        }
        None => Log::stderr(),
    };
    let stdin = std::io::BufReader::new(std::io::stdin());
    match lsp::run(stdin, std::io::stdout(), log) {
        0 => Ok(()),
        code => Err(CliError::Reported(code)),
    }
}
