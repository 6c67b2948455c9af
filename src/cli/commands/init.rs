//! `prompt init`: create a registry.

use std::path::PathBuf;

use crate::cli::{error::CliError, Context};
use crate::store;

/// Create `.prompts.yaml` and the prompts folder (running `git init` first outside a repository)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to initialise (default: the current folder, or --repo)
    pub dir: Option<PathBuf>,
    /// Also make plain `git diff` / `git log -p` show prompt files as `prompt diff` reads them
    /// (`.gitattributes` plus `diff.prompt.textconv` in .git/config, naming this binary by its
    /// absolute path; run it again after moving the binary)
    #[arg(long)]
    pub diff_driver: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let dir = match args.dir {
        Some(d) => d,
        None => ctx.start_dir()?,
    };
    let created = store::init(&dir)?;
    if created.is_empty() {
        ctx.ui
            .status(&format!("{}: already a prompt registry", dir.display()));
    } else {
        ctx.ui.status(&format!(
            "initialised a prompt registry in {}: created {}",
            dir.display(),
            created.join(", ")
        ));
        if created.iter().any(|c| c == store::CONFIG_FILE) {
            ctx.ui.status(
                "commit the config with git so clones share it: git add .prompts.yaml && git \
                 commit -m 'Add prompt registry'",
            );
        }
    }
    if args.diff_driver {
        // The absolute path, so that git finds the driver where `prompt` is not on PATH.
        let program = std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .map_err(|e| crate::Error::io("the running program", e))?;
        let changed = store::install_diff_driver(&dir, &program)?;
        if changed.is_empty() {
            ctx.ui.status("the prompt diff driver is already set up");
        } else {
            ctx.ui.status(&format!(
                "set up the prompt diff driver: {}",
                changed.join(", ")
            ));
        }
    }
    Ok(())
}
