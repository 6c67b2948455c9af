//! `prompt diff`: what changed in prompts, field by field (contract §8), between two references,
//! between the last version and the working tree, or across a git range.
//!
//! Thin: the arguments become a `Plan`, the store resolves references and reads files, `diff::`
//! compares and formats, `ui` prints.

use std::path::PathBuf;

use console::Style;
use indexmap::IndexMap;

use crate::cli::{error::CliError, ui::Ui, Context};
use prompt_registry::diff::format::{self, Mark, Paint, Plain, WordMarks};
use prompt_registry::diff::report::{pair_files, Entry, Range, Report, Side, Source};
use prompt_registry::model::{load, PromptId, Reference, Selector};
use prompt_registry::partials::RegistryPartials;
use prompt_registry::render::{self, values, Given, Prepared, RenderError, Sources};
use prompt_registry::store::{CommitId, Registry, Resolved, Rev};
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

/// What to compare, checked before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// `diff` alone: every prompt file that differs between HEAD and the working tree.
    Pending,
    /// One prompt at two references. `implicit` is `diff ID` alone: a missing side (no version
    /// yet, or a deleted file) is then an added or removed prompt rather than an error.
    Refs {
        old: Reference,
        new: Reference,
        implicit: bool,
    },
    /// Every prompt between two revisions; empty sides are `HEAD`.
    Range {
        old: String,
        new: String,
        merge_base: bool,
    },
}

impl Plan {
    fn parse(a: Option<&str>, b: Option<&str>) -> Result<Plan, CliError> {
        let Some(a) = a else {
            return Ok(Plan::Pending);
        };
        if a.contains("..") {
            if let Some(b) = b {
                return Err(CliError::Usage(format!(
                    "`{a}` is a range; a range takes no second argument (got `{b}`)"
                )));
            }
            let (old, new, merge_base) = match a.split_once("...") {
                Some((x, y)) => (x, y, true),
                None => a
                    .split_once("..")
                    .map(|(x, y)| (x, y, false))
                    .expect("contains .."),
            };
            let bad = |why: &str| {
                CliError::Usage(format!(
                    "`{a}` is not a valid range: {why}; use REV..REV or REV...REV, e.g. \
                     origin/main..HEAD"
                ))
            };
            if old.is_empty() && new.is_empty() {
                return Err(bad("both sides are empty"));
            }
            let dotted = |s: &str| s.contains("..") || s.starts_with('.') || s.ends_with('.');
            if dotted(old) || dotted(new) {
                return Err(bad("it has more than one `..`"));
            }
            let side = |s: &str| {
                if s.is_empty() {
                    "HEAD".to_string()
                } else {
                    s.to_string()
                }
            };
            return Ok(Plan::Range {
                old: side(old),
                new: side(new),
                merge_base,
            });
        }
        let mut old = Reference::parse(a)?;
        let (new, implicit) = match b {
            Some(b) => (Reference::parse(b)?, false),
            None => (Reference::working(old.id.clone()), true),
        };
        if implicit && old.selector == Selector::WorkingTree {
            old.selector = Selector::Latest;
        }
        Ok(Plan::Refs { old, new, implicit })
    }
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    if let Some(file) = &args.textconv {
        return textconv(file, ctx);
    }
    let plan = Plan::parse(args.old.as_deref(), args.new.as_deref())?;
    let values = match args.rendered {
        false => None,
        true if matches!(plan, Plan::Range { .. } | Plan::Pending) => {
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
            Some(layers)
        }
    };
    let reg = ctx.registry()?;
    let report = match plan {
        Plan::Refs { old, new, implicit } => {
            let rendered = values.map(|layers| Values {
                layers,
                sample: args.sample.clone(),
            });
            refs(reg, &old, &new, implicit, rendered)?
        }
        Plan::Range {
            old,
            new,
            merge_base,
        } => {
            let report = range(reg, old, new, merge_base)?;
            if let Some(r) = report
                .range
                .as_ref()
                .filter(|r| r.old_commit == r.new_commit)
            {
                ctx.ui.status(&format!(
                    "note: `{}` and `{}` are the same commit; `prompt diff` alone shows \
                     uncommitted changes",
                    r.old, r.new
                ));
            }
            report
        }
        Plan::Pending => pending(reg)?,
    };
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

/// The values `--rendered` renders both sides with.
struct Values {
    layers: Vec<IndexMap<String, Given>>,
    sample: Option<String>,
}

/// One prompt at two references.
fn refs(
    reg: &Registry,
    old: &Reference,
    new: &Reference,
    implicit: bool,
    rendered: Option<Values>,
) -> Result<Report, CliError> {
    // `diff ID` on a prompt never committed: everything in the working tree is new.
    let a = if implicit && old.selector == Selector::Latest && reg.versions(&old.id)?.is_empty() {
        None
    } else {
        Some(reg.resolve(old)?)
    };
    let b = match reg.resolve(new) {
        Ok(r) => Some(r),
        // A file deleted in the working tree is a removed prompt, when its old side exists.
        Err(Error::PromptNotFound { .. })
            if a.is_some() && new.selector == Selector::WorkingTree && old.id == new.id =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    if a.is_none() && b.is_none() {
        return Err(reg.not_found(&old.id, Rev::WorkingTree).into());
    }
    let source = |r: &Resolved, reference: &Reference| -> Result<Source, CliError> {
        Ok(Source {
            side: side_of(reg, r, reference.to_string())?,
            file: r.display_name(),
            bytes: r.bytes.clone(),
        })
    };
    let (sa, sb) = (
        a.as_ref().map(|r| source(r, old)).transpose()?,
        b.as_ref().map(|r| source(r, new)).transpose()?,
    );
    let id = new.id.to_string();
    let mut entry = Entry::compare(&id, Some(old.id.as_str()), false, sa.as_ref(), sb.as_ref());
    if let Some(Values { layers, sample }) = rendered {
        let text = |r: Option<&Resolved>, reference: &Reference| match r {
            None => Ok(String::new()),
            Some(r) => render_side(reg, r, reference, &layers, sample.as_deref()),
        };
        if let Some(e) = entry {
            let e = e.with_rendered(&text(a.as_ref(), old)?, &text(b.as_ref(), new)?);
            entry = (!e.is_empty()).then_some(e);
        }
    }
    Ok(Report {
        range: None,
        prompts: entry.into_iter().collect(),
    })
}

fn side_of(reg: &Registry, r: &Resolved, reference: String) -> Result<Side, CliError> {
    Ok(Side {
        reference,
        version: reg.version_number(r)?,
        commit: match r.rev {
            Rev::Commit(c) => Some(c.to_string()),
            Rev::WorkingTree => None,
        },
        environment: r.env.as_ref().map(ToString::to_string),
    })
}

/// The rendered text of one side, with only the values that side declares.
fn render_side(
    reg: &Registry,
    r: &Resolved,
    reference: &Reference,
    layers: &[IndexMap<String, Given>],
    sample: Option<&str>,
) -> Result<String, CliError> {
    let context = |e: RenderError| CliError::from(e).context(format!("rendering {reference}"));
    let loaded = load::parse_bytes(&r.bytes).map_err(|e| Error::Parse {
        file: r.display_name(),
        at: e.at,
        message: e.message,
    })?;
    let prompt = &loaded.prompt;
    let partials = RegistryPartials::new(reg, r.rev);
    let prepared = Prepared::new(prompt, &partials, false).map_err(context)?;
    let sources = Sources {
        sample: sample.map(str::to_string),
        layers: layers
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .filter(|(name, _)| prompt.inputs.contains_key(*name))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect(),
        lenient: false,
    };
    let values = values::collect(prompt, &sources).map_err(context)?;
    let rendered = prepared.render(values).map_err(context)?;
    Ok(render::to_text(&rendered))
}

/// Every prompt that differs between two revisions.
fn range(reg: &Registry, old: String, new: String, merge_base: bool) -> Result<Report, CliError> {
    let commit = |spec: &str| -> Result<CommitId, CliError> {
        reg.revision(spec)?.ok_or_else(|| {
            Error::UnknownRevision {
                spec: spec.to_string(),
                purpose: "a range compares two revisions, OLD..NEW or OLD...NEW".into(),
            }
            .into()
        })
    };
    let new_commit = commit(&new)?;
    let mut old_commit = commit(&old)?;
    if merge_base {
        old_commit = reg.merge_base(old_commit, new_commit)?;
    }
    let prompts = compare_revs(reg, Some(old_commit), Rev::Commit(new_commit))?;
    Ok(Report {
        range: Some(Range {
            old,
            new,
            old_commit: old_commit.to_string(),
            new_commit: new_commit.to_string(),
            merge_base,
        }),
        prompts,
    })
}

/// `diff` alone: every prompt that differs between HEAD (nothing, before the first commit) and
/// the working tree, as `git diff HEAD` would list it: modified, added, deleted and renamed.
fn pending(reg: &Registry) -> Result<Report, CliError> {
    reg.require_workdir("comparing the working tree")?;
    Ok(Report {
        range: None,
        prompts: compare_revs(reg, reg.head()?, Rev::WorkingTree)?,
    })
}

/// The entries of every prompt file that differs between commit `old` (or nothing) and `new`.
fn compare_revs(reg: &Registry, old: Option<CommitId>, new: Rev) -> Result<Vec<Entry>, CliError> {
    let files = |rev: Rev| -> Result<Vec<(String, Vec<u8>)>, CliError> {
        let mut out = Vec::new();
        for id in reg.ids(rev)? {
            if let Some(bytes) = reg.read(rev, &id)? {
                out.push((id.to_string(), bytes));
            }
        }
        Ok(out)
    };
    let old_files = old
        .map(|c| files(Rev::Commit(c)))
        .transpose()?
        .unwrap_or_default();
    let new_files = files(new)?;
    let source = |rev: Rev, (id, bytes): &(String, Vec<u8>)| -> Result<Source, CliError> {
        let pid = PromptId::parse(id)?;
        let (reference, version, commit, file) = match rev {
            Rev::Commit(c) => {
                // The release line's number (none for a draft, or where a shallow clone cannot
                // count), not a count along this commit's own history.
                (
                    format!("{id}@{}", c.short()),
                    reg.number_at(&pid, c)?,
                    Some(c.to_string()),
                    format!("{}@{}", reg.path_of(&pid), c.short()),
                )
            }
            Rev::WorkingTree => (id.clone(), None, None, reg.path_of(&pid)),
        };
        Ok(Source {
            side: Side {
                reference,
                version,
                commit,
                environment: None,
            },
            file,
            bytes: bytes.clone(),
        })
    };
    let mut prompts = Vec::new();
    for pair in pair_files(&old_files, &new_files) {
        let a = match (pair.old, old) {
            (Some(i), Some(c)) => Some(source(Rev::Commit(c), &old_files[i])?),
            _ => None,
        };
        let b = pair.new.map(|j| source(new, &new_files[j])).transpose()?;
        let old_id = pair.old.map(|i| old_files[i].0.as_str());
        let id = pair
            .new
            .map_or(old_id.unwrap_or_default(), |j| new_files[j].0.as_str());
        prompts.extend(Entry::compare(id, old_id, true, a.as_ref(), b.as_ref()));
    }
    Ok(prompts)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_become_a_plan() {
        assert_eq!(Plan::parse(None, None).unwrap(), Plan::Pending);
        let refs = |a: &str, b: Option<&str>| match Plan::parse(Some(a), b).unwrap() {
            Plan::Refs { old, new, implicit } => (old.to_string(), new.to_string(), implicit),
            other => panic!("{other:?}"),
        };
        assert_eq!(refs("a/b", None), ("a/b@latest".into(), "a/b".into(), true));
        assert_eq!(refs("a/b@2", None), ("a/b@2".into(), "a/b".into(), true));
        assert_eq!(
            refs("a/b@production", Some("a/b@3")),
            ("a/b@production".into(), "a/b@3".into(), false)
        );
        let range = |a: &str| match Plan::parse(Some(a), None).unwrap() {
            Plan::Range {
                old,
                new,
                merge_base,
            } => (old, new, merge_base),
            other => panic!("{other:?}"),
        };
        assert_eq!(range("main..HEAD"), ("main".into(), "HEAD".into(), false));
        assert_eq!(range("v1.0...topic"), ("v1.0".into(), "topic".into(), true));
        assert_eq!(range("main.."), ("main".into(), "HEAD".into(), false));
        assert_eq!(range("..main"), ("HEAD".into(), "main".into(), false));
        for bad in ["..", "a..b..c", "a....b"] {
            assert!(Plan::parse(Some(bad), None).is_err(), "{bad}");
        }
        assert!(Plan::parse(Some("a..b"), Some("c")).is_err());
        assert!(Plan::parse(Some("A"), None).is_err());
    }
}
