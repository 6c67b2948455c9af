//! `prompt list`: every prompt with its kind, model, latest version and environments.

use std::collections::HashMap;

use serde::Serialize;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::EnvName;
use prompt_registry::model::{load, PromptId};
use prompt_registry::store::{CommitId, Registry, Rev};
use prompt_registry::Error;

/// List the prompts: id, kind (chat/text), model, latest version, environments
///
/// Piped, each prompt is one line of tab-separated columns in that order, without a header.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only prompts promoted to this environment
    #[arg(add = crate::cli::complete::envs(), long, value_name = "ENV")]
    pub env: Option<String>,
    /// Print JSON: an array of {id, kind, model, versions, environments, error}
    /// (with --includes: an array of {id, through})
    #[arg(long)]
    pub json: bool,
    /// Only the prompts that include this one (as a partial, parent or Jinja2 include), directly
    /// or through other prompts: the prompts a change to it gives a new version
    #[arg(long, value_name = "ID")]
    pub includes: Option<String>,
    /// List the prompts of a bundle file (`prompt bundle`) instead, no repository needed: LATEST
    /// is unknown there (`?`, null), the environment column names the bundled version
    #[arg(long, value_name = "FILE", conflicts_with = "includes")]
    pub bundle: Option<std::path::PathBuf>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    /// `chat` or `text`; null when the file does not load.
    kind: Option<&'static str>,
    /// `provider/name`.
    model: Option<String>,
    /// Committed versions on the release line (the latest is this number); `null` in a shallow
    /// clone that cannot count them.
    versions: Option<usize>,
    /// Environment name to the version it points at (null when that commit is not a version).
    environments: indexmap::IndexMap<String, Option<usize>>,
    /// Why the working-tree file does not load, if it does not.
    error: Option<String>,
}

/// A prompt file name without the extension: what it is listed and sorted by.
fn stem(file: &str) -> &str {
    file.strip_suffix(prompt_registry::model::PROMPT_EXT)
        .unwrap_or(file)
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if let Some(path) = &args.bundle {
        let rows = bundle_rows(path, args.env.as_deref())?;
        return print(&rows, &args, None, ctx);
    }
    let reg = ctx.registry()?;
    let only_env = match &args.env {
        Some(name) => Some(reg.config().require_env(name)?),
        None => None,
    };
    let rev = reg.default_rev()?.unwrap_or(Rev::WorkingTree);
    if let Some(included) = &args.includes {
        let included = PromptId::parse(included)?;
        if reg.read(rev, &included)?.is_none() {
            return Err(reg.not_found(&included, rev).into());
        }
        let found = prompt_registry::partials::includers(reg, rev, &included)?;
        if args.json {
            return ctx.ui.json(&found);
        }
        if found.is_empty() {
            ctx.ui.status(&format!("no prompt includes {included}"));
        }
        for i in &found {
            match &i.through {
                Some(t) => ctx.ui.line(&format!("{}\t(through {t})", i.id))?,
                None => ctx.ui.line(&i.id)?,
            }
        }
        return Ok(());
    }
    for warning in reg.symlink_warnings()? {
        ctx.ui.warn(&warning);
    }
    let mut files = reg.prompt_files(rev)?;
    files.sort_by(|a, b| stem(a).cmp(stem(b)));
    // Each file is read and parsed on its own, on every core. In a large registry that happens
    // while this thread walks the history for the version counts (a fresh clone's first `list`
    // does both); with `--env` only promoted prompts are parsed, after.
    let (versions, parsed) = if only_env.is_none() && Registry::worth_threads(files.len()) {
        let (versions, parsed) =
            reg.alongside_each(Registry::version_index, &files, |reg, file| {
                content(reg, rev, file)
            })?;
        (versions, Some(parsed))
    } else {
        (reg.version_index(), None)
    };
    // A shallow clone still lists its prompts; only the counts are unknown.
    let (index, counted) = ctx.ui.counted_or_warn(versions)?;
    let (envs, broken) = reg.env_tags()?;
    ctx.ui.warn_broken_tags(&broken, |_| true);
    let only_env = only_env.as_ref();
    let rows: Vec<Result<Option<Row>, Error>> = match parsed {
        Some(parsed) => files
            .iter()
            .zip(parsed)
            .map(|(file, parsed)| row(file, || parsed, &index, counted, &envs, only_env))
            .collect(),
        // Read here, and only for the rows `--env` keeps.
        None => reg.map_runs(&files, |reg, run| {
            run.iter()
                .map(|file| {
                    let content = || content(reg, rev, file);
                    row(file, content, &index, counted, &envs, only_env)
                })
                .collect()
        })?,
    };
    let rows = rows
        .into_iter()
        .filter_map(Result::transpose)
        .collect::<Result<Vec<Row>, Error>>()?;
    print(&rows, &args, Some(reg), ctx)
}

/// The rows of a bundle's prompts, when `env` (if given) is the bundle's environment.
fn bundle_rows(path: &std::path::Path, env: Option<&str>) -> Result<Vec<Row>, CliError> {
    let bundle = prompt_registry::interchange::bundle::read::open_file(path)?;
    if env.is_some_and(|e| e != bundle.environment) {
        return Ok(Vec::new());
    }
    let mut rows = Vec::new();
    for p in bundle.prompts.values() {
        let loaded = p.load()?;
        rows.push(Row {
            id: p.id.to_string(),
            kind: Some(loaded.prompt.kind().as_str()),
            model: loaded.prompt.model_label(),
            versions: None,
            environments: [(bundle.environment.clone(), p.version)]
                .into_iter()
                .collect(),
            error: None,
        });
    }
    Ok(rows)
}

/// Prints rows as JSON or the table (`reg` names the root when there is nothing to list).
fn print(rows: &[Row], args: &Args, reg: Option<&Registry>, ctx: &Context) -> Result<(), CliError> {
    if args.json {
        return ctx.ui.json(&rows);
    }
    if rows.is_empty() {
        if let Some(env) = &args.env {
            ctx.ui.status(&format!("no prompt is promoted to {env}"));
            return Ok(());
        }
        let Some(reg) = reg else {
            ctx.ui.status("the bundle holds no prompt");
            return Ok(());
        };
        ctx.ui.status(&format!(
            "no prompts yet in {}/ (create one with `prompt new ID`)",
            if reg.config().root.is_empty() {
                "."
            } else {
                &reg.config().root
            }
        ));
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.kind.unwrap_or("invalid").to_string(),
                r.model.clone().unwrap_or_else(|| "-".into()),
                match r.versions {
                    None => "?".into(),
                    Some(0) => "-".into(),
                    Some(n) => n.to_string(),
                },
                r.environments
                    .iter()
                    .map(|(e, v)| match v {
                        Some(v) => format!("{e}@{v}"),
                        None => e.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    // Ids and model names are never split; environments go first on a narrow terminal.
    ctx.ui.table_keeping(
        &["ID", "KIND", "MODEL", "LATEST", "ENVIRONMENTS"],
        &table,
        &[0, 2],
    )
}

/// What a prompt file holds, as far as `list` shows it: its kind and model, or why it does not
/// load. Read and parsed without the history, so that it can run beside the history walk.
#[derive(Default)]
struct Content {
    kind: Option<&'static str>,
    model: Option<String>,
    error: Option<String>,
}

fn content(reg: &Registry, rev: Rev, file: &str) -> Result<Content, Error> {
    let Some(id) = PromptId::from_file_name(file) else {
        return Ok(Content {
            error: Some(format!(
                "`{file}` is not a valid prompt id (see `prompt check`)"
            )),
            ..Content::default()
        });
    };
    Ok(match reg.read(rev, &id)?.map(|b| load::parse_bytes(&b)) {
        Some(Ok(l)) => Content {
            kind: Some(l.prompt.kind().as_str()),
            model: l.prompt.model_label(),
            error: None,
        },
        Some(Err(e)) => Content {
            error: Some(format!("{}:{}: {}", e.at.line, e.at.column, e.message)),
            ..Content::default()
        },
        None => Content {
            error: Some("not readable".into()),
            ..Content::default()
        },
    })
}

/// One row: the file's content (asked for only when the row is kept) with its version count
/// and environments; `None` when `--env` leaves it out.
fn row(
    file: &str,
    content: impl FnOnce() -> Result<Content, Error>,
    index: &HashMap<String, Vec<CommitId>>,
    counted: bool,
    envs: &HashMap<PromptId, Vec<(EnvName, CommitId)>>,
    only_env: Option<&EnvName>,
) -> Result<Option<Row>, Error> {
    let Some(id) = PromptId::from_file_name(file) else {
        if only_env.is_some() {
            return Ok(None);
        }
        return Ok(Some(Row {
            id: stem(file).to_string(),
            kind: None,
            model: None,
            versions: counted.then_some(0),
            environments: indexmap::IndexMap::new(),
            error: content()?.error,
        }));
    };
    let commits = index.get(file).map(Vec::as_slice).unwrap_or_default();
    let environments: indexmap::IndexMap<String, Option<usize>> = envs
        .get(&id)
        .into_iter()
        .flatten()
        .map(|(env, commit)| {
            let version = commits.iter().position(|c| c == commit).map(|i| i + 1);
            (env.to_string(), version)
        })
        .collect();
    if let Some(env) = only_env {
        if !environments.contains_key(env.as_str()) {
            return Ok(None);
        }
    }
    let content = content()?;
    Ok(Some(Row {
        id: id.to_string(),
        kind: content.kind,
        model: content.model,
        versions: counted.then_some(commits.len()),
        environments,
        error: content.error,
    }))
}
