//! `prompt init`: create a registry.

use std::path::PathBuf;

use crate::cli::{error::CliError, Context};
use prompt_registry::store;

/// Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init`
/// first outside a repository)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to initialise (default: the current folder, or --repo); inside an existing
    /// repository the registry is always at its root
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
    let done = store::init(&dir)?;
    let top = done.top.display().to_string();
    let top = top.trim_end_matches('/');
    if done.created.is_empty() {
        ctx.ui.status(&format!("{top}: already a prompt registry"));
    } else {
        ctx.ui.status(&format!(
            "initialised a prompt registry in {top}: created {}",
            done.created.join(", ")
        ));
        let asked = std::path::absolute(&dir).unwrap_or(dir.clone());
        if asked.canonicalize().ok().as_deref() != done.top.canonicalize().ok().as_deref() {
            ctx.ui.status(&format!(
                "{} is inside that repository: the registry config always sits at its root",
                dir.display()
            ));
        }
        if done.created.iter().any(|c| c == store::CONFIG_FILE) {
            // The files at the root that clones need: the config, and the schema editors read.
            let shared: Vec<&str> = done
                .created
                .iter()
                .map(String::as_str)
                .filter(|c| {
                    [
                        store::CONFIG_FILE,
                        prompt_registry::model::schema::SCHEMA_FILE,
                    ]
                    .contains(c)
                })
                .collect();
            ctx.ui.status(&format!(
                "commit the config with git so clones share it: git add {} && git commit -m \
                 'Add prompt registry'",
                shared.join(" ")
            ));
        }
    }
    if args.diff_driver {
        // The absolute path, so that git finds the driver where `prompt` is not on PATH.
        let program = std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .map_err(|e| prompt_registry::Error::io("the running program", e))?;
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
