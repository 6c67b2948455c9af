//! `prompt log [ID]`: versions, newest first.

use serde::Serialize;

use crate::cli::{error::CliError, Context};
use crate::model::PromptId;
use crate::store::{
    signature::{format_rfc3339, format_time},
    Version,
};

/// Show versions newest first: version, commit, date, author, message, environments
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A prompt id; without one, every commit that changed prompts
    #[arg(add = crate::cli::complete::ids())]
    pub id: Option<String>,
    /// Show at most this many entries
    #[arg(short = 'n', long, value_name = "N")]
    pub max_count: Option<usize>,
    /// Print JSON: an array of entries, newest first
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct LogEntry<'a> {
    #[serde(flatten)]
    version: &'a Version,
    /// RFC 3339 author date in the author's zone.
    date: String,
    /// Environments pointing at this version.
    environments: Vec<String>,
}

#[derive(Serialize)]
struct RegistryEntry<'a> {
    commit: String,
    author: &'a str,
    email: &'a str,
    time: i64,
    offset_minutes: i32,
    date: String,
    message: &'a str,
    /// Prompts changed, with the version each became.
    prompts: Vec<PromptVersion>,
    /// Prompts removed by this commit.
    removed: Vec<String>,
    /// Prompts renamed by `prompt mv` in this commit.
    moved: Vec<Move>,
}

#[derive(Serialize)]
struct Move {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct PromptVersion {
    id: String,
    version: usize,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = args.id.as_deref().map(PromptId::parse).transpose()?;
    let reg = ctx.registry()?;
    if reg.is_shallow() {
        ctx.ui.warn(
            "this is a shallow clone: history is incomplete, so versions are counted from the \
             oldest commit it has (`git fetch --unshallow` fetches the rest)",
        );
    }
    let limit = args.max_count.unwrap_or(usize::MAX);
    let Some(id) = id else {
        return registry_log(reg, limit, args.json, ctx);
    };
    let versions = reg.versions(&id)?;
    if versions.is_empty() {
        let exists = reg
            .default_rev()?
            .map(|rev| reg.read(rev, &id))
            .transpose()?
            .flatten();
        if exists.is_none() {
            return Err(reg.not_found(&id, crate::store::Rev::WorkingTree).into());
        }
        ctx.ui.status(&format!(
            "`{id}` has no committed versions yet (run `prompt commit {id}`)"
        ));
        if args.json {
            ctx.ui.line("[]")?;
        }
        return Ok(());
    }
    let envs = reg.envs_of(&id)?;
    // A removed prompt keeps its versions; say when it went.
    if let Some(r) = reg.removal(&id)? {
        let how = if reg.moved_away(&id, &r) {
            "moved away"
        } else {
            "removed"
        };
        ctx.ui.status(&format!(
            "{id} was {how} in {} ({}, {}): {}",
            r.commit.short(),
            format_time(r.time, r.offset_minutes),
            r.author,
            r.summary()
        ));
    }
    let entries: Vec<LogEntry> = versions
        .iter()
        .rev()
        .take(limit)
        .map(|v| LogEntry {
            version: v,
            date: format_rfc3339(v.time, v.offset_minutes),
            environments: envs
                .iter()
                .filter(|(_, c)| *c == v.commit)
                .map(|(e, _)| e.to_string())
                .collect(),
        })
        .collect();
    if args.json {
        return ctx.ui.json(&entries);
    }
    let mut text = String::new();
    for e in &entries {
        let v = e.version;
        let envs = if e.environments.is_empty() {
            String::new()
        } else {
            format!(
                " {}",
                ctx.ui.paint(
                    &format!("({})", e.environments.join(", ")),
                    console::Style::new().green().bold()
                )
            )
        };
        text.push_str(&format!(
            "{}  {}  {}  {}  {}{}\n",
            ctx.ui.bold(&format!("@{}", v.number)),
            ctx.ui.commit_id(&v.commit.short()),
            format_time(v.time, v.offset_minutes),
            v.author,
            v.summary(),
            envs
        ));
    }
    ctx.ui.page(&text)
}

fn registry_log(
    reg: &crate::store::Registry,
    limit: usize,
    json: bool,
    ctx: &Context,
) -> Result<(), CliError> {
    let history = reg.history()?;
    let entries: Vec<RegistryEntry> = history
        .iter()
        .take(limit)
        .map(|c| RegistryEntry {
            commit: c.version.commit.to_string(),
            author: &c.version.author,
            email: &c.version.email,
            time: c.version.time,
            offset_minutes: c.version.offset_minutes,
            date: format_rfc3339(c.version.time, c.version.offset_minutes),
            message: &c.version.message,
            prompts: c
                .changes
                .iter()
                .filter_map(|(file, n)| {
                    PromptId::from_file_name(file).map(|id| PromptVersion {
                        id: id.to_string(),
                        version: *n,
                    })
                })
                .collect(),
            removed: c
                .removed
                .iter()
                .filter_map(|f| PromptId::from_file_name(f).map(|id| id.to_string()))
                .collect(),
            moved: c
                .moves
                .iter()
                .filter_map(|(from, to)| {
                    let from = PromptId::from_file_name(from)?.to_string();
                    let to = PromptId::from_file_name(to)?.to_string();
                    Some(Move { from, to })
                })
                .collect(),
        })
        .collect();
    if json {
        return ctx.ui.json(&entries);
    }
    let mut text = String::new();
    for (e, c) in entries.iter().zip(&history) {
        let prompts: Vec<String> = e
            .prompts
            .iter()
            .map(|p| format!("{}@{}", p.id, p.version))
            .chain(e.moved.iter().map(|m| format!("{} → {}", m.from, m.to)))
            .chain(e.removed.iter().map(|r| format!("{r} removed")))
            .collect();
        text.push_str(&format!(
            "{}  {}  {}  {}\n    {}\n",
            ctx.ui.commit_id(&c.version.commit.short()),
            format_time(e.time, c.version.offset_minutes),
            e.author,
            c.version.summary(),
            prompts.join(" ")
        ));
    }
    ctx.ui.page(&text)
}
