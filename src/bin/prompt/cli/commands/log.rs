//! `prompt log [ID]`: versions, newest first.

use serde::Serialize;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::PromptId;
use prompt_registry::store::{
    signature::{format_rfc3339, format_time},
    CommitId, CommitInfo,
};

/// Show versions newest first: version, commit, date, author, message, environments; drafts (commits
/// off the release line reachable from HEAD) come first, marked with their branch
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

/// One line of `log ID`: a version, or a draft (no number, the branch it is on).
#[derive(Serialize)]
struct LogEntry<'a> {
    version: Option<usize>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    /// The branch a draft is on (`null` on a detached HEAD); absent for versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<Option<&'a str>>,
    commit: String,
    /// `author`, `email`, `time`, `offset_minutes` and `message`.
    #[serde(flatten)]
    info: &'a CommitInfo,
    /// RFC 3339 author date in the author's zone.
    date: String,
    /// Environments pointing at this commit.
    environments: Vec<String>,
    /// For a version that came through included prompts (the prompt's own file did not change):
    /// the included prompts that changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    through: Vec<String>,
}

#[derive(Serialize)]
struct RegistryEntry<'a> {
    /// A commit off the release line reachable from HEAD: its prompts have no numbers.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    /// The branch a draft is on (`null` when none holds it); absent for release commits.
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<Option<&'a str>>,
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

impl<'a> RegistryEntry<'a> {
    /// A release-line commit's entry with its author, date and message, and no prompts yet.
    fn of(commit: CommitId, info: &'a CommitInfo) -> RegistryEntry<'a> {
        RegistryEntry {
            draft: false,
            branch: None,
            commit: commit.to_string(),
            author: &info.author,
            email: &info.email,
            time: info.time,
            offset_minutes: info.offset_minutes,
            date: format_rfc3339(info.time, info.offset_minutes),
            message: &info.message,
            prompts: Vec::new(),
            removed: Vec::new(),
            moved: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Move {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct PromptVersion {
    id: String,
    /// `null` in a draft commit.
    version: Option<usize>,
    /// The included prompt whose change made this version, when the prompt's own file did not
    /// change.
    #[serde(skip_serializing_if = "Option::is_none")]
    through: Option<String>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = args.id.as_deref().map(|t| ctx.id(t)).transpose()?;
    let reg = ctx.registry()?;
    let limit = args.max_count.unwrap_or(usize::MAX);
    let Some(id) = id else {
        return registry_log(reg, limit, args.json, ctx);
    };
    // In a shallow clone whose release line is cut short this fails, with the fix.
    let versions = reg.versions(&id)?;
    let drafts = reg.drafts(&id)?;
    if versions.is_empty() && drafts.is_empty() {
        let exists = reg
            .default_rev()?
            .map(|rev| reg.read(rev, &id))
            .transpose()?
            .flatten();
        if exists.is_none() {
            return Err(reg
                .not_found(&id, prompt_registry::store::Rev::WorkingTree)
                .into());
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
    ctx.ui
        .warn_broken_tags(&reg.broken_env_tags_of(&id)?, |_| true);
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
            format_time(r.info.time, r.info.offset_minutes),
            r.info.author,
            r.summary()
        ));
    }
    let envs_at = |commit: CommitId| -> Vec<String> {
        envs.iter()
            .filter(|(_, c)| *c == commit)
            .map(|(e, _)| e.to_string())
            .collect()
    };
    // Drafts reachable from HEAD come first: they are newer than where HEAD left the release line.
    let draft_entries = drafts.iter().map(|d| LogEntry {
        version: None,
        draft: true,
        branch: Some(d.branch.as_deref()),
        commit: d.commit.to_string(),
        info: &d.info,
        date: format_rfc3339(d.info.time, d.info.offset_minutes),
        environments: envs_at(d.commit),
        through: Vec::new(),
    });
    let mut version_entries = Vec::new();
    for (i, v) in versions.iter().enumerate().rev().take(limit) {
        // Only a version with its predecessor's file came through an include: others need no
        // look at what the prompt includes.
        let through = match i.checked_sub(1).map(|p| &versions[p]) {
            Some(previous) if v.same_file_as(previous) => reg
                .changed_includes(&id, v)?
                .iter()
                .map(ToString::to_string)
                .collect(),
            _ => Vec::new(),
        };
        version_entries.push(LogEntry {
            version: Some(v.number),
            draft: false,
            branch: None,
            commit: v.commit.to_string(),
            info: &v.info,
            date: format_rfc3339(v.info.time, v.info.offset_minutes),
            environments: envs_at(v.commit),
            through,
        });
    }
    let entries: Vec<LogEntry> = draft_entries.chain(version_entries).take(limit).collect();
    if args.json {
        return ctx.ui.json(&entries);
    }
    let mut text = String::new();
    for e in &entries {
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
        let (label, on) = match (e.version, e.branch) {
            (Some(n), _) => (format!("@{n}"), String::new()),
            (None, Some(Some(b))) => ("draft".to_string(), format!(" [on {b}]")),
            (None, _) => ("draft".to_string(), " [on no branch]".to_string()),
        };
        let mut summary = e.info.summary().to_string();
        if !e.through.is_empty() {
            summary.push_str(&format!(" (through {})", e.through.join(", ")));
        }
        text.push_str(&format!(
            "{}  {}  {}  {}  {summary}{}{envs}\n",
            ctx.ui.bold(&label),
            ctx.ui.commit_id(&e.commit[..7]),
            format_time(e.info.time, e.info.offset_minutes),
            e.info.author,
            ctx.ui.commit_id(&on),
        ));
    }
    ctx.ui.page(&text)
}

fn registry_log(
    reg: &prompt_registry::store::Registry,
    limit: usize,
    json: bool,
    ctx: &Context,
) -> Result<(), CliError> {
    let history = reg.history()?;
    let drafts = reg.draft_commits()?;
    let draft_entries = drafts.iter().map(|d| RegistryEntry {
        draft: true,
        branch: Some(d.draft.branch.as_deref()),
        prompts: d
            .files
            .iter()
            .filter_map(|file| {
                PromptId::from_file_name(file).map(|id| PromptVersion {
                    id: id.to_string(),
                    version: None,
                    through: None,
                })
            })
            .collect(),
        removed: ids(&d.removed),
        moved: moves(&d.moves),
        ..RegistryEntry::of(d.draft.commit, &d.draft.info)
    });
    let release_entries = history.iter().map(|c| RegistryEntry {
        prompts: c
            .changes
            .iter()
            .filter_map(|(file, n)| {
                PromptId::from_file_name(file).map(|id| PromptVersion {
                    id: id.to_string(),
                    version: Some(*n),
                    through: c
                        .through
                        .iter()
                        .find(|(f, _)| f == file)
                        .and_then(|(_, via)| PromptId::from_file_name(via))
                        .map(|via| via.to_string()),
                })
            })
            .collect(),
        removed: ids(&c.removed),
        moved: moves(&c.moves),
        ..RegistryEntry::of(c.commit, &c.info)
    });
    let entries: Vec<RegistryEntry> = draft_entries.chain(release_entries).take(limit).collect();
    if json {
        return ctx.ui.json(&entries);
    }
    let mut text = String::new();
    for e in &entries {
        let prompts: Vec<String> = e
            .prompts
            .iter()
            .map(|p| match p.version {
                Some(n) => match &p.through {
                    Some(via) => format!("{}@{n} (through {via})", p.id),
                    None => format!("{}@{n}", p.id),
                },
                None => format!("{} (draft)", p.id),
            })
            .chain(e.moved.iter().map(|m| format!("{} → {}", m.from, m.to)))
            .chain(e.removed.iter().map(|r| format!("{r} removed")))
            .collect();
        let on = match e.branch {
            Some(Some(b)) => format!(" [draft on {b}]"),
            Some(None) => " [draft on no branch]".to_string(),
            None => String::new(),
        };
        text.push_str(&format!(
            "{}  {}  {}  {}{}\n{}\n",
            ctx.ui.commit_id(&e.commit[..7]),
            format_time(e.time, e.offset_minutes),
            e.author,
            e.message.lines().next().unwrap_or(""),
            ctx.ui.commit_id(&on),
            ctx.ui.wrapped(&prompts, "    ")
        ));
    }
    ctx.ui.page(&text)
}

/// The ids of prompt files (relative to the root).
fn ids(files: &[String]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| PromptId::from_file_name(f).map(|id| id.to_string()))
        .collect()
}

/// Moves between prompt files, as ids.
fn moves(files: &[(String, String)]) -> Vec<Move> {
    files
        .iter()
        .filter_map(|(from, to)| {
            let from = PromptId::from_file_name(from)?.to_string();
            let to = PromptId::from_file_name(to)?.to_string();
            Some(Move { from, to })
        })
        .collect()
}
