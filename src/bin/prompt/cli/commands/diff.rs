//! `prompt diff`: what changed in prompts, field by field (contract §8), between two references,
//! between the last version and the working tree, or across a git range.
//!
//! Thin: the arguments become an `ops::diff::Comparison`, `ops::diff::compare` resolves, reads
//! and compares, `diff::format` formats, `ui` prints.

use std::path::PathBuf;

use crate::cli::{error::CliError, ui::Ui, Context};
use console::Style;
use prompt_registry::diff::format::{self, Mark, Paint, Plain, WordMarks};
use prompt_registry::model::load;
use prompt_registry::ops::{
    self,
    diff::{Comparison, Values},
};
use prompt_registry::Error;

use prompt_registry::ops::values::{parse_vars, read_vars_file};

/// Show what changed in prompts, field by field, and which changes break callers
///
/// `diff` alone shows every pending change (modified, new, deleted, renamed prompts) in the
/// working tree against HEAD; `diff A B` compares two references; `diff ID` compares ID@latest
/// with the working tree; `diff REV..REV` (or `REV...REV`, from the merge base) covers every
/// prompt added, removed, renamed or changed between two git revisions. Identical sides print
/// nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A reference (ID, ID@N, ID@latest, ID@ENV, ID@REV), or a range REV..REV or REV...REV
    /// (default: every pending change against HEAD)
    #[arg(value_name = "A", add = crate::cli::complete::references())]
    pub old: Option<String>,
    /// The reference to compare A with (default: the working tree)
    #[arg(value_name = "B", add = crate::cli::complete::references())]
    pub new: Option<String>,
    /// Compare the rendered text instead, with values from --var, --vars and --sample (a value
    /// that one side does not declare is ignored on that side)
    #[arg(long)]
    pub rendered: bool,
    /// With --rendered: a value NAME=VALUE (or NAME=@FILE); repeatable
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "rendered")]
    pub vars: Vec<String>,
    /// With --rendered: a YAML or JSON file of values (`-` reads stdin)
    #[arg(long = "vars", value_name = "FILE", requires = "rendered")]
    pub vars_file: Option<PathBuf>,
    /// With --rendered: start from the prompts' sample NAME
    #[arg(long, value_name = "NAME", requires = "rendered")]
    pub sample: Option<String>,
    /// Output format: text (coloured on a terminal), markdown (for a pull-request comment), json
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Exit with 1 when there are differences
    #[arg(long)]
    pub exit_code: bool,
    /// Text without colour: mark changed words inside lines as [-old-] and {+new+}
    #[arg(long)]
    pub word_diff: bool,
    /// Print one prompt file in a normalised form, for git's textconv diff driver
    #[arg(long, value_name = "FILE", hide = true, conflicts_with_all = ["old", "rendered", "exit_code"])]
    pub textconv: Option<PathBuf>,
}

/// How the differences are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if let Some(file) = &args.textconv {
        return textconv(file, ctx);
    }
    let comparison = Comparison::parse(args.old.as_deref(), args.new.as_deref())?;
    let values = match args.rendered {
        false => None,
        true if !matches!(comparison, Comparison::Refs { .. }) => {
            return Err(CliError::Usage(
                "--rendered compares one prompt: give references (A [B]), not a range".into(),
            ))
        }
        true => {
            let mut layers = Vec::new();
            if let Some(file) = &args.vars_file {
                layers.push(read_vars_file(file, None)?);
            }
            layers.push(parse_vars(&args.vars)?);
            Some(Values {
                layers,
                sample: args.sample.clone(),
            })
        }
    };
    let reg = ctx.registry()?;
    let report = ops::diff::compare(reg, comparison, values)?;
    if let Some(r) = report
        .range
        .as_ref()
        .filter(|r| r.old_commit == r.new_commit)
    {
        ctx.ui.status(&format!(
            "note: `{}` and `{}` are the same commit; `prompt diff` alone shows uncommitted \
             changes",
            r.old, r.new
        ));
    }
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Json => ctx.ui.json(&report)?,
        _ if report.prompts.is_empty() => {}
        Format::Markdown => ctx.ui.print(&format::to_markdown(&report))?,
        Format::Text => ctx.ui.page(&format::to_text(
            &report,
            &UiPaint::new(&ctx.ui, args.word_diff),
        ))?,
    }
    if args.exit_code && !report.prompts.is_empty() {
        return Err(CliError::Reported(1));
    }
    Ok(())
}

/// `--textconv FILE`: the file as git should diff it; a file that is not a valid prompt is
/// printed as it is under a line naming the parse error, so that `git diff` still works and
/// shows why the readable form is missing.
fn textconv(file: &std::path::Path, ctx: &Context) -> Result<(), CliError> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    match load::parse_bytes(&bytes) {
        Ok(loaded) => ctx.ui.print(&format::textconv(&loaded.prompt)),
        Err(e) => {
            let text = String::from_utf8_lossy(&bytes);
            let at = format!("line {}, column {}: ", e.at.line, e.at.column);
            let error = e.message.lines().next().unwrap_or_default().to_string();
            ctx.ui
                .print(&format::unparsed_textconv(&format!("{at}{error}"), &text))
        }
    }
}

/// Colours from `ui` when it colours stdout; otherwise a plain unified diff (`Plain`), or with
/// `--word-diff` changed words as `[-…-]{+…+}` (`WordMarks`).
struct UiPaint<'a> {
    ui: &'a Ui,
    colour: bool,
    word_marks: bool,
}

impl<'a> UiPaint<'a> {
    fn new(ui: &'a Ui, word_marks: bool) -> UiPaint<'a> {
        // `Ui` leaves text unstyled when colour is off (pipe, --color never, NO_COLOR).
        let colour = ui.paint("x", Style::new().bold()) != "x";
        UiPaint {
            ui,
            colour,
            word_marks,
        }
    }
}

impl Paint for UiPaint<'_> {
    fn paint(&self, mark: Mark, text: &str) -> String {
        if !self.colour {
            return match self.word_marks {
                true => WordMarks.paint(mark, text),
                false => Plain.paint(mark, text),
            };
        }
        let style = match mark {
            Mark::Title => Style::new().bold(),
            Mark::Removed => Style::new().red(),
            Mark::Added => Style::new().green(),
            Mark::RemovedWord => Style::new().red().bold().reverse(),
            Mark::AddedWord => Style::new().green().bold().reverse(),
            Mark::Hunk => Style::new().cyan(),
            Mark::Breaking => Style::new().red().bold(),
            Mark::Note => Style::new().dim(),
        };
        self.ui.paint(text, style)
    }
}
