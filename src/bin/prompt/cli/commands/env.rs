//! `prompt env [ID]` and `prompt env history ID ENV`: where every prompt is deployed.

use indexmap::IndexMap;
use serde::Serialize;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::PromptId;
use prompt_registry::store::{signature::format_time, Promotion, Rev, VersionOrDraft};
use prompt_registry::Error;

/// Show which version each environment runs (prompts × environments), or a promotion history
///
/// Piped, each prompt is one line of tab-separated columns (id, then one per configured
/// environment, in the order of .prompts.yaml), without a header; `--json` names every field.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Only this prompt
    #[arg(add = crate::cli::complete::ids())]
    pub id: Option<String>,
    /// Print JSON: an array of {id, latest, working, environments}
    #[arg(long)]
    pub json: bool,
    /// Read a bundle file (`prompt bundle`) instead, no repository needed: its one environment,
    /// by prompt (LATEST and WORKING are unknown there: `?`, null)
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<std::path::PathBuf>,
}

/// `env` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Every promotion of a prompt to an environment, newest first: version, who, when, note
    History(HistoryArgs),
}

/// `env history` arguments.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    pub id: String,
    pub env: String,
    /// Print JSON: an array of promotion records, newest first
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    id: String,
    /// The number of the latest committed version (0 when none; `null` in a shallow clone that
    /// cannot count).
    latest: Option<usize>,
    /// `unchanged`, `modified` (differs from latest), `new` (never committed), `missing` (no file
    /// in the working tree) or `removed` (deleted by a commit; its history and tags remain);
    /// `null` for a bundle, which has no working tree.
    working: Option<&'static str>,
    environments: IndexMap<String, EnvCell>,
}

#[derive(Serialize)]
struct EnvCell {
    version: Option<usize>,
    commit: String,
    /// Whether the environment runs an older version than latest.
    behind: bool,
    /// Whether the environment runs a draft (a commit off the release line, no number).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    /// The branch a draft is on, when one holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if let Some(Action::History(h)) = args.action {
        return history(h, ctx);
    }
    if let Some(path) = &args.bundle {
        let only = args.id.as_deref().map(PromptId::parse).transpose()?;
        let (rows, envs) = bundle_rows(path, only.as_ref())?;
        return print(&rows, &envs, args.json, ctx);
    }
    let only = args.id.as_deref().map(|t| ctx.id(t)).transpose()?;
    let reg = ctx.registry()?;
    let rev = reg.default_rev()?;
    let (envs, broken) = reg.env_tags()?;
    ctx.ui
        .warn_broken_tags(&broken, |id| only.as_ref().is_none_or(|o| o.as_str() == id));
    // A shallow clone still shows where each environment points, by commit.
    let (index, counted) = ctx.ui.counted_or_warn(reg.version_index())?;
    let head = reg.head()?;
    let mut ids: Vec<PromptId> = match rev {
        Some(rev) => reg.ids(rev)?,
        None => Vec::new(),
    };
    ids.extend(envs.keys().cloned());
    ids.sort();
    ids.dedup();
    if let Some(id) = &only {
        if !ids.contains(id) {
            return Err(reg.not_found(id, rev.unwrap_or(Rev::WorkingTree)).into());
        }
        ids.retain(|i| i == id);
    }
    let mut rows = Vec::new();
    for id in ids {
        let commits = index
            .get(&id.file_name())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let latest = commits.len();
        let shown_latest = counted.then_some(latest);
        // HEAD holds the latest version under the prompt's current name, even after a move.
        let working = match (reg.workdir().is_some(), head) {
            (false, _) => "unchanged",
            (true, head) => {
                let now = reg.read(Rev::WorkingTree, &id)?;
                let committed = match head {
                    Some(h) => reg.read(Rev::Commit(h), &id)?,
                    None => None,
                };
                match (now, committed) {
                    (None, None) if latest > 0 => "removed",
                    (None, _) => "missing",
                    (Some(_), None) => "new",
                    (Some(a), Some(b)) if a == b => "unchanged",
                    _ => "modified",
                }
            }
        };
        let mut environments = IndexMap::new();
        for (env, commit) in envs.get(&id).into_iter().flatten() {
            let mut version = commits.iter().position(|c| c == commit).map(|i| i + 1);
            let (mut draft, mut branch) = (false, None);
            // A tag off the versions' own commits: a later commit on the release line, or a draft.
            if version.is_none() && counted {
                match reg.state_at(&id, *commit)? {
                    Some(VersionOrDraft::Version(v)) => version = Some(v.number),
                    Some(VersionOrDraft::Draft(d)) => (draft, branch) = (true, d.branch),
                    None => {}
                }
            }
            let cell = EnvCell {
                version,
                commit: commit.to_string(),
                behind: version.is_some_and(|v| v < latest),
                draft,
                branch,
            };
            environments.insert(env.to_string(), cell);
        }
        rows.push(Row {
            id: id.to_string(),
            latest: shown_latest,
            working: Some(working),
            environments,
        });
    }
    let env_names: Vec<String> = reg
        .config()
        .environments
        .iter()
        .map(|e| e.to_string())
        .collect();
    print(&rows, &env_names, args.json, ctx)
}

/// A bundle's prompts (or only `only`) as rows, and its one environment.
fn bundle_rows(
    path: &std::path::Path,
    only: Option<&PromptId>,
) -> Result<(Vec<Row>, Vec<String>), CliError> {
    let bundle = prompt_registry::interchange::bundle::read::open_file(path)?;
    if let Some(id) = only {
        bundle.resolve(&prompt_registry::model::Reference {
            id: id.clone(),
            selector: prompt_registry::model::Selector::WorkingTree,
        })?;
    }
    let rows = bundle
        .prompts
        .values()
        .filter(|p| only.is_none_or(|o| *o == p.id))
        .map(|p| Row {
            id: p.id.to_string(),
            latest: None,
            working: None,
            environments: [(
                bundle.environment.clone(),
                EnvCell {
                    version: p.version,
                    commit: p.commit.clone(),
                    behind: false,
                    draft: p.draft.is_some(),
                    branch: p.draft.clone().flatten(),
                },
            )]
            .into_iter()
            .collect(),
        })
        .collect();
    Ok((rows, vec![bundle.environment.clone()]))
}

/// Prints rows as JSON or as the prompts × environments table.
fn print(rows: &[Row], env_names: &[String], json: bool, ctx: &Context) -> Result<(), CliError> {
    if json {
        return ctx.ui.json(&rows);
    }
    let mut header = vec!["ID", "LATEST", "WORKING"];
    header.extend(env_names.iter().map(String::as_str));
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.id.clone(),
                match r.latest {
                    None => "?".into(),
                    Some(0) => "-".into(),
                    Some(n) => n.to_string(),
                },
                r.working.unwrap_or("?").to_string(),
            ];
            for env in env_names {
                row.push(match r.environments.get(env) {
                    None => "-".into(),
                    Some(c) => match c.version {
                        Some(v) if c.behind => format!("{v} (behind)"),
                        Some(v) => v.to_string(),
                        None if c.draft => format!(
                            "draft {} ({})",
                            &c.commit[..7],
                            c.branch.as_deref().unwrap_or("no branch")
                        ),
                        None => c.commit[..7].to_string(),
                    },
                });
            }
            row
        })
        .collect();
    // On a narrow terminal the WORKING column goes first; ids and environments stay whole.
    let whole: Vec<usize> = (0..header.len()).filter(|&i| i != 2).collect();
    ctx.ui.table_keeping(&header, &table, &whole)
}

fn history(args: HistoryArgs, ctx: &Context) -> Result<(), CliError> {
    let id = ctx.id(&args.id)?;
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    let Some(state) = reg.env_state(&id, &env)? else {
        return Err(Error::NotPromoted {
            reference: format!("{id}@{env}"),
            reason: format!(
                "`{id}` is not promoted to {env} (a demote removes the history with the tag)"
            ),
        }
        .into());
    };
    if args.json {
        return ctx.ui.json(&state.history);
    }
    let mut text = String::new();
    for p in &state.history {
        text.push_str(&line(p, ctx));
    }
    ctx.ui.print(&text)
}

fn line(p: &Promotion, ctx: &Context) -> String {
    let version = match p.version {
        Some(v) => format!("@{v}"),
        None if p.draft => "draft".to_string(),
        None => "?".to_string(),
    };
    let was = match p.previous {
        Some(v) => format!("  (was @{v})"),
        None => String::new(),
    };
    let note = p
        .note
        .as_deref()
        .map(|n| format!("  {}", n.lines().next().unwrap_or("")))
        .unwrap_or_default();
    format!(
        "{}  {}  {}  {}{was}{note}\n",
        ctx.ui.bold(&version),
        // A record read from a pulled tag may hold anything: cut by characters, not bytes.
        ctx.ui
            .commit_id(&p.commit.chars().take(7).collect::<String>()),
        format_time(p.time, p.offset_minutes),
        p.by
    )
}
