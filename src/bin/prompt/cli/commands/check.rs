//! `prompt check`: validate prompts (contract §7).

use serde::Serialize;

use crate::cli::{error::CliError, ui::Ui, Context};
use prompt_registry::check::{self, Diagnostic, Severity};
use prompt_registry::model::{load, PromptId, Reference};
use prompt_registry::partials::RegistryPartials;
use prompt_registry::store::{Registry, Rev};
use prompt_registry::Error;

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
    let ids = args
        .ids
        .iter()
        .map(|s| PromptId::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let reg = ctx.registry()?;
    let rev = reg.default_rev()?.unwrap_or(Rev::WorkingTree);
    for warning in reg.symlink_warnings()? {
        ctx.ui.warn(&warning);
    }
    let files = match ids.is_empty() {
        true => reg.prompt_files(rev)?,
        false => {
            let mut files = Vec::new();
            for id in &ids {
                if reg.read(rev, id)?.is_none() {
                    return Err(reg.not_found(id, rev).into());
                }
                files.push(id.file_name());
            }
            files
        }
    };
    let mut diagnostics = check_files(reg, rev, &files, &args.allow_secret)?;
    if let Some(against) = &args.against {
        diagnostics.extend(breaking_against(reg, rev, &files, against, ids.is_empty())?);
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

/// Breaking changes of each prompt against its state at `against` (`@ENV` or a git revision).
/// Prompts that do not exist there (new, or never promoted) have nothing to break.
fn breaking_against(
    reg: &Registry,
    rev: Rev,
    files: &[String],
    against: &str,
    all: bool,
) -> Result<Vec<Diagnostic>, CliError> {
    // A typo here must fail loudly, not find "nothing to break".
    match against.strip_prefix('@') {
        Some(name) if name != "latest" && !name.bytes().all(|b| b.is_ascii_digit()) => {
            reg.config().require_env(name)?;
        }
        Some(_) => {}
        None => {
            if reg.revision(against)?.is_none() {
                return Err(Error::UnknownRevision {
                    spec: against.to_string(),
                    purpose: "--against takes a git revision, or @ENV for an environment".into(),
                }
                .into());
            }
        }
    }
    let mut out = Vec::new();
    for file in files {
        let Some(id) = PromptId::from_file_name(file) else {
            continue;
        };
        let reference = match against.strip_prefix('@') {
            Some(_) => format!("{id}{against}"),
            None => format!("{id}@{against}"),
        };
        let old = match reg.resolve(&Reference::parse(&reference)?) {
            Ok(r) => r,
            Err(
                Error::UnknownReference { .. }
                | Error::NotPromoted { .. }
                | Error::PromptNotFound { .. },
            ) => continue,
            // One prompt's broken tag is that prompt's problem; the others are still checked.
            Err(Error::BrokenTag { problem, fix, .. }) => {
                out.push(Diagnostic {
                    file: reg.config().path_of(file),
                    line: 1,
                    column: 1,
                    severity: check::Severity::Error,
                    rule: check::Rule::Breaking,
                    message: format!(
                        "against {reference}: the environment tag is broken ({problem}); {fix}"
                    ),
                });
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let path = reg.config().path_of(file);
        let (Some(new_bytes), Ok(old)) =
            (reg.read_path(rev, &path)?, load::parse_bytes(&old.bytes))
        else {
            continue;
        };
        if let Ok(new) = load::parse_bytes(&new_bytes) {
            out.extend(check::against(&path, &new, &old.prompt, &reference));
        }
    }
    // A prompt that exists at the reference but not any more breaks every caller.
    if all {
        let there: Vec<PromptId> = match against.strip_prefix('@') {
            Some(env) => reg
                .all_envs()?
                .into_iter()
                .filter(|(_, envs)| envs.iter().any(|(e, _)| e.as_str() == env))
                .map(|(id, _)| id)
                .collect(),
            None => match reg.revision(against)? {
                Some(c) => reg.ids(Rev::Commit(c))?,
                None => Vec::new(),
            },
        };
        for id in there {
            if files.contains(&id.file_name()) {
                continue;
            }
            let reference = match against.strip_prefix('@') {
                Some(_) => format!("{id}{against}"),
                None => format!("{id}@{against}"),
            };
            out.push(Diagnostic {
                file: reg.path_of(&id),
                line: 1,
                column: 1,
                severity: check::Severity::Error,
                rule: check::Rule::Breaking,
                message: format!(
                    "against {reference}: the prompt was removed: its callers will fail"
                ),
            });
        }
    }
    Ok(out)
}

/// Checks prompt files (paths below the registry root) at `rev`.
pub fn check_files(
    reg: &Registry,
    rev: Rev,
    files: &[String],
    allow_secrets: &[String],
) -> Result<Vec<Diagnostic>, CliError> {
    let mut allowed = reg.config().allowed_secrets.clone();
    allowed.extend(allow_secrets.iter().cloned());
    // Each file is checked on its own: the files are split over the cores.
    let per_file = reg.map_runs(files, |reg, run| {
        let partials = RegistryPartials::new(reg, rev);
        let mut out = Vec::with_capacity(run.len());
        for file in run {
            let path = reg.config().path_of(file);
            out.push(reg.read_path(rev, &path).map(|bytes| match bytes {
                Some(bytes) => check::check_file_allowing(&path, file, &bytes, &partials, &allowed),
                None => Vec::new(),
            }));
        }
        out
    })?;
    let mut out = Vec::new();
    for diagnostics in per_file {
        out.extend(diagnostics?);
    }
    Ok(out)
}

/// `file:line:col: error[rule]: message`, one per line, as compilers print them.
pub fn render_text(ui: &Ui, diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in diagnostics {
        let error = d.severity == Severity::Error;
        let label = if error { "error" } else { "warning" };
        text.push_str(&format!(
            "{}:{}:{}: {}: {}\n",
            d.file,
            d.line,
            d.column,
            ui.severity(&format!("{label}[{}]", d.rule.name()), error),
            d.message
        ));
    }
    text
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
