//! `prompt check`: validate prompts (contract §7).

use serde::Serialize;

use crate::cli::{diagnostics::render_text, error::CliError, Context};
use prompt_registry::check::{self, Diagnostic, Severity};
use prompt_registry::ops;
use prompt_registry::store::Rev;

/// Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider
/// rules, JSON Schemas, secrets. Exits 1 when there are errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prompts to check (default: all)
    #[arg(add = crate::cli::complete::ids())]
    pub ids: Vec<String>,
    /// Also report changes that break callers of each prompt at REF: `@production` (each prompt's
    /// environment), or a git revision such as `origin/main`
    #[arg(long, value_name = "REF")]
    pub against: Option<String>,
    /// Output format: text, json, github (workflow annotations), or sarif (SARIF 2.1.0, for
    /// GitHub code scanning)
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiagnosticFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Do not report the flagged secret with this fingerprint (a false positive); repeatable.
    /// To keep it allowed, list it under `allowed_secrets` in .prompts.yaml
    #[arg(long, value_name = "FINGERPRINT")]
    pub allow_secret: Vec<String>,
    /// Check what is staged (the index: what `git commit` would commit) instead of the working
    /// tree: an untracked or unstaged draft does not block an unrelated commit. Inside a git hook,
    /// the index git hands the hook
    #[arg(long)]
    pub staged: bool,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    Text,
    Json,
    Github,
    Sarif,
}

#[derive(Serialize)]
struct Report<'a> {
    /// Prompt files checked.
    checked: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let ids = ctx.ids(&args.ids)?;
    let reg = ctx.registry()?;
    let rev = if args.staged {
        reg.staged()?
    } else {
        reg.default_rev()?.unwrap_or(Rev::WorkingTree)
    };
    for warning in reg.symlink_warnings()? {
        ctx.ui.warn(&warning);
    }
    let files = ops::check::files(reg, rev, &ids)?;
    let mut diagnostics = ops::check::check_files(reg, rev, &files, &args.allow_secret)?;
    if let Some(against) = &args.against {
        diagnostics.extend(ops::check::against(
            reg,
            rev,
            &files,
            against,
            ids.is_empty(),
        )?);
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
    let (errors, warnings) = check::counts(&diagnostics);
    let format = if args.json {
        DiagnosticFormat::Json
    } else {
        args.format
    };
    match format {
        DiagnosticFormat::Json => ctx.ui.json(&Report {
            checked: files.len(),
            errors,
            warnings,
            diagnostics: &diagnostics,
        })?,
        DiagnosticFormat::Sarif => ctx
            .ui
            .json(&check::sarif::log(&diagnostics, env!("CARGO_PKG_VERSION")))?,
        DiagnosticFormat::Github => {
            let mut text = String::new();
            for d in &diagnostics {
                text.push_str(&github_annotation(d));
            }
            ctx.ui.print(&text)?;
        }
        DiagnosticFormat::Text => {
            ctx.ui.print(&render_text(&ctx.ui, &diagnostics))?;
            let files_word = if files.len() == 1 {
                "prompt"
            } else {
                "prompts"
            };
            ctx.ui.status(&format!(
                "checked {} {files_word}: {errors} error(s), {warnings} warning(s)",
                files.len()
            ));
        }
    }
    if errors > 0 {
        return Err(CliError::Reported(1));
    }
    Ok(())
}

/// A GitHub Actions workflow command that annotates the line.
fn github_annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{level} file={},line={},col={},title={}::{}\n",
        property(&d.file),
        d.line,
        d.column,
        property(d.rule.name()),
        escape(&d.message)
    )
}
