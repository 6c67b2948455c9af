//! `prompt test [ID…]`: run the tests kept in prompt files (contract §14), offline from
//! recordings by default. Parses, calls `prompt_registry::testing`, prints.

use prompt_registry::store::Rev;
use prompt_registry::testing::{self, report, Endpoints, Mode, Options};

use crate::cli::{error::CliError, Context};

/// Run the tests kept in prompt files (`tests:`): checks on the rendered request, and checks on
/// the model's answer, replayed from recordings under <root>/.recordings (no network) unless
/// --record or --live. Exits 1 when a test fails
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prompts to test (default: every prompt that has tests)
    #[arg(add = crate::cli::complete::ids())]
    pub ids: Vec<String>,
    /// Only the prompts whose rendering differs from the git revision REV (their file, or a
    /// partial or parent they include)
    #[arg(long, value_name = "REV")]
    pub changed: Option<String>,
    /// Call the model and write each answer as a recording
    #[arg(long, conflicts_with_all = ["replay", "live"])]
    pub record: bool,
    /// Answer from recordings only, with no network connection (the default)
    #[arg(long, conflicts_with_all = ["record", "live"])]
    pub replay: bool,
    /// Call the model and write nothing
    #[arg(long, conflicts_with_all = ["record", "replay"])]
    pub live: bool,
    /// The API's base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1; for
    /// `provider: anthropic` ANTHROPIC_BASE_URL, else https://api.anthropic.com)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Call this model instead of the prompt's (part of each request, so of each recording key)
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Run each test N times (each run has its own recording)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,
    /// Model calls at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    /// Seconds one model call may take, connection and answer included
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: TestFormat,
    /// List the recordings no current test uses (with --yes, remove them)
    #[arg(long)]
    pub prune: bool,
    /// With --prune: remove the unused recordings
    #[arg(long, requires = "prune")]
    pub yes: bool,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
    Markdown,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(CliError::Usage(format!(
            "--timeout takes a number of seconds above 0, not {}",
            args.timeout
        )));
    }
    if let Some(url) = &args.base_url {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(CliError::Usage(format!(
                "--base-url takes an http:// or https:// URL, not `{}`",
                testing::redact(url)
            )));
        }
    }
    let mode = if args.record {
        Mode::Record
    } else if args.live {
        Mode::Live
    } else {
        Mode::DEFAULT
    };
    let options = Options {
        mode,
        model: args.model.clone(),
        repeat: args.repeat as usize,
        jobs: args.jobs as usize,
    };
    let mut ids = ctx.ids(&args.ids)?;
    let reg = ctx.registry()?;
    let rev = Rev::WorkingTree;
    if let Some(spec) = &args.changed {
        let changed = testing::changed::changed_since(reg, spec, rev)?;
        ids = if ids.is_empty() {
            changed
        } else {
            ids.into_iter().filter(|i| changed.contains(i)).collect()
        };
        if ids.is_empty() {
            ctx.ui
                .status(&format!("no prompt renders differently from {spec}"));
            return print(
                &testing::Report {
                    mode,
                    endpoints: Vec::new(),
                    results: Vec::new(),
                    warnings: Vec::new(),
                },
                args.format,
                ctx,
            );
        }
    }
    if args.prune {
        let unused = testing::unused_recordings(reg, rev, &ids, &options)?;
        for path in &unused {
            if args.yes {
                testing::recordings::remove(reg, path)?;
                ctx.ui.print(&format!("removed {path}\n"))?;
            } else {
                ctx.ui.print(&format!("{path}\n"))?;
            }
        }
        let what = if args.yes { "removed" } else { "unused" };
        ctx.ui.status(&format!(
            "{} recording(s) {what}{}",
            unused.len(),
            if args.yes || unused.is_empty() {
                ""
            } else {
                " (remove them with --prune --yes)"
            }
        ));
        return Ok(());
    }
    let endpoints = Endpoints::from_env(args.base_url.as_deref());
    let report = match mode {
        // Replay never constructs a transport: no code path leads to the network.
        Mode::Replay => {
            ctx.ui.status(&format!(
                "replaying recordings from {}/ (no network)",
                testing::recordings::root_folder(reg)
            ));
            testing::run(reg, rev, &ids, &options, None)?
        }
        Mode::Record | Mode::Live => call(reg, rev, &ids, &options, &endpoints, args.timeout, ctx)?,
    };
    for w in &report.warnings {
        ctx.ui.warn(w);
    }
    print(&report, args.format, ctx)
}

#[cfg(feature = "http")]
fn call(
    reg: &prompt_registry::store::Registry,
    rev: Rev,
    ids: &[prompt_registry::model::PromptId],
    options: &Options,
    endpoints: &Endpoints,
    timeout: f64,
    ctx: &Context,
) -> Result<testing::Report, CliError> {
    let http = testing::http::Http::new(endpoints.clone(), testing::timeout(timeout));
    let what = if options.mode == Mode::Record {
        "recording answers"
    } else {
        "live, writing nothing"
    };
    // Which endpoint is called, before the first call to it (never with a key).
    let announce = |url: &str| ctx.ui.status(&format!("calling {url} ({what})"));
    let calls = testing::Calls {
        transport: &http,
        endpoints,
        announce: &announce,
    };
    Ok(testing::run(reg, rev, ids, options, Some(&calls))?)
}

#[cfg(not(feature = "http"))]
fn call(
    _reg: &prompt_registry::store::Registry,
    _rev: Rev,
    _ids: &[prompt_registry::model::PromptId],
    _options: &Options,
    _endpoints: &Endpoints,
    _timeout: f64,
    _ctx: &Context,
) -> Result<testing::Report, CliError> {
    Err(CliError::Usage(
        "this build of prompt has no HTTP transport (feature `http`): only --replay works".into(),
    ))
}

fn print(report: &testing::Report, format: TestFormat, ctx: &Context) -> Result<(), CliError> {
    match format {
        TestFormat::Text => ctx.ui.print(&report::text(report))?,
        TestFormat::Json => ctx.ui.json(&report::json(report))?,
        TestFormat::Junit => ctx.ui.print_exact(&report::junit(report))?,
        TestFormat::Markdown => ctx.ui.print_exact(&report::markdown(report))?,
    }
    if report.ok() {
        Ok(())
    } else {
        Err(CliError::Reported(1))
    }
}
