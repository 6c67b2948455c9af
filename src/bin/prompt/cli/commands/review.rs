//! `prompt review BASE..HEAD`: the pull-request report (contract §15). Thin: `ops::review`
//! builds it, `ops::review::markdown` writes it for a comment.

use crate::cli::{error::CliError, Context};
use prompt_registry::ops::review::{self, markdown};

/// Report what a range does to prompts, for a pull request: a summary table, then per changed
/// prompt the semantic diff, the rendered output before and after for each sample, token counts,
/// the prompts that change through a partial or parent, and the environments on the base version
///
/// The markdown starts with the line `<!-- prompt-review -->`, so that CI can update one comment,
/// and stays under GitHub's 65,536-character comment limit (a note says what was cut); the JSON
/// holds everything.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The range: BASE..HEAD, or BASE...HEAD to compare from their merge base (e.g.
    /// origin/main...HEAD)
    #[arg(value_name = "BASE..HEAD")]
    pub range: String,
    /// Output format: markdown (a pull-request comment) or json (everything, uncut)
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let reg = ctx.registry()?;
    let report = review::review(reg, &args.range)?;
    if args.json || args.format == Format::Json {
        return ctx.ui.json(&report);
    }
    ctx.ui.print_exact(&markdown::to_markdown(&report))
}
