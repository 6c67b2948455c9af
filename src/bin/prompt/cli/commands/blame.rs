//! `prompt blame ID [REF]`: the commit that last changed each field, message and input (contract
//! §15). Thin: `ops::blame` walks the history and compares; this prints it aligned.

use crate::cli::{error::CliError, Context};
use prompt_registry::ops::blame::{self, Part};

/// Show, for each top-level field, message and input of a prompt, the version (or draft), commit,
/// author, date and commit subject that last changed it
///
/// Messages are followed by position and role across commits, and the prompt across `prompt mv`.
/// Without REF, uncommitted changes in the working tree show as "not committed yet".
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A prompt id
    #[arg(add = crate::cli::complete::ids())]
    pub id: String,
    /// As of this version number, environment or git revision (default: HEAD and the working
    /// tree)
    #[arg(value_name = "REF")]
    pub revision: Option<String>,
    /// Print JSON (shape in docs/json-output.md)
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = ctx.id(&args.id)?;
    let reg = ctx.registry()?;
    let report = blame::blame(reg, &id, args.revision.as_deref())?;
    if args.json {
        return ctx.ui.json(&report);
    }
    ctx.ui.print(&lines(&report.parts))
}

/// One line per part, columns aligned: version, commit, author, date, part, subject.
fn lines(parts: &[Part]) -> String {
    let cells: Vec<[String; 6]> = parts
        .iter()
        .map(|p| {
            let label = match (p.committed, p.version, p.draft) {
                (false, ..) => "working".to_string(),
                (true, Some(v), _) => format!("@{v}"),
                (true, None, true) => "draft".to_string(),
                (true, None, false) => "?".to_string(),
            };
            let commit = p
                .commit
                .as_deref()
                .map_or("0000000", |c| c.get(..7).unwrap_or(c));
            let author = p
                .author
                .clone()
                .unwrap_or_else(|| "Not Committed Yet".into());
            let date = p.date.as_deref().map_or("", |d| d.get(..10).unwrap_or(d));
            let part = match &p.role {
                Some(role) => format!("{} {role}", p.part),
                None => p.part.clone(),
            };
            [
                label,
                commit.to_string(),
                author,
                date.to_string(),
                part,
                p.subject.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..5).map(width).collect();
    let mut out = String::new();
    for c in &cells {
        let mut line = String::new();
        for (i, cell) in c.iter().enumerate() {
            if i < 5 {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
                line.push_str("  ");
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
