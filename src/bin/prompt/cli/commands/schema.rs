//! `prompt schema`: the JSON Schema of the prompt file format, for editors and other tools.

use crate::cli::{error::CliError, output_file, Context};
use prompt_registry::model::schema::json_schema;

/// Print the JSON Schema (draft 2020-12) of prompt files
///
/// Editors with the YAML language server (VS Code's YAML extension, Neovim's yamlls) validate and
/// complete a prompt file whose first line is `# yaml-language-server:
/// $schema=<path>/.prompts.schema.json`; `prompt new` writes that line and `init` the file.
/// Refresh the file after an upgrade with `prompt schema -o .prompts.schema.json`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to this file instead of stdout
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    match &args.output {
        Some(path) => {
            output_file::write(path, json_schema().as_bytes())?;
            ctx.ui.status(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => ctx.ui.print(json_schema()),
    }
}
