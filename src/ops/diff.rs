//! `diff`'s operations (contract §8): what a command line compares (one prompt at two
//! references, every prompt across a git range, the pending changes in the working tree), and
//! the report that compares it, field by field or, with values, as rendered text.

use indexmap::IndexMap;

use crate::diff::report::{pair_files, Entry, Range, Report, Side, Source};
use crate::error::Error;
use crate::model::{PromptId, Reference, Selector};
use crate::partials::RegistryPartials;
use crate::render::{self, values, Given, Prepared, RenderError, Sources};
use crate::store::{CommitId, Registry, Resolved, Rev};

/// Why a comparison failed.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// Resolving or reading a side failed.
    #[error(transparent)]
    Lib(#[from] Error),
    /// Rendering a side (`--rendered`) failed.
    #[error("rendering {reference}: {source}")]
    Render {
        reference: String,
        source: Box<RenderError>,
    },
}

/// What a `diff` command line compares, checked before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
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

impl Comparison {
    /// What `diff [A [B]]` compares: nothing is the pending changes, `A` alone (a reference) is A
    /// against the working tree (`ID` alone is `ID@latest`), `REV..REV` or `REV...REV` a range
    /// (an empty side is `HEAD`). A malformed range is a usage error.
    pub fn parse(a: Option<&str>, b: Option<&str>) -> Result<Comparison, Error> {
        let Some(a) = a else {
            return Ok(Comparison::Pending);
        };
        if a.contains("..") {
            if let Some(b) = b {
                return Err(Error::Usage(format!(
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
                Error::Usage(format!(
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
            return Ok(Comparison::Range {
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
        Ok(Comparison::Refs { old, new, implicit })
    }
}

/// The values `--rendered` renders both sides with: layers of values (later wins) over a sample.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub layers: Vec<IndexMap<String, Given>>,
    pub sample: Option<String>,
}

/// The report of a comparison. `rendered` (values for `--rendered`) applies to
/// `Comparison::Refs` only.
pub fn compare(
    reg: &Registry,
    comparison: Comparison,
    rendered: Option<Values>,
) -> Result<Report, DiffError> {
    match comparison {
        Comparison::Refs { old, new, implicit } => refs(reg, &old, &new, implicit, rendered),
        Comparison::Range {
            old,
            new,
            merge_base,
        } => range(reg, old, new, merge_base),
        Comparison::Pending => pending(reg),
    }
}

/// One prompt at two references; with `rendered`, the rendered texts are compared too.
pub fn refs(
    reg: &Registry,
    old: &Reference,
    new: &Reference,
    implicit: bool,
    rendered: Option<Values>,
) -> Result<Report, DiffError> {
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
    resolved(reg, old, new, a, b, rendered)
}

/// One prompt at two states already read (either may be missing: an added or removed prompt):
/// what `refs` reports once both sides are resolved. The language server gives the editor's
/// unsaved text as the new side (`rev` the working tree).
pub fn resolved(
    reg: &Registry,
    old: &Reference,
    new: &Reference,
    a: Option<Resolved>,
    b: Option<Resolved>,
    rendered: Option<Values>,
) -> Result<Report, DiffError> {
    let source = |r: &Resolved, reference: &Reference| -> Result<Source, DiffError> {
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
        // The same file can render differently: its partials are read at each side's revision.
        let e = entry.unwrap_or_else(|| {
            Entry::of_files(&id, Some(old.id.as_str()), false, sa.as_ref(), sb.as_ref())
        });
        let e = e.with_rendered(&text(a.as_ref(), old)?, &text(b.as_ref(), new)?);
        entry = (!e.is_empty()).then_some(e);
    }
    Ok(Report {
        range: None,
        prompts: entry.into_iter().collect(),
    })
}

fn side_of(reg: &Registry, r: &Resolved, reference: String) -> Result<Side, DiffError> {
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
) -> Result<String, DiffError> {
    let context = |source: RenderError| DiffError::Render {
        reference: reference.to_string(),
        source: Box::new(source),
    };
    let loaded = r.load()?;
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

/// Every prompt that differs between two revisions (`merge_base`: from their merge base).
pub fn range(
    reg: &Registry,
    old: String,
    new: String,
    merge_base: bool,
) -> Result<Report, DiffError> {
    let commit = |spec: &str| -> Result<CommitId, DiffError> {
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
pub fn pending(reg: &Registry) -> Result<Report, DiffError> {
    reg.require_workdir("comparing the working tree")?;
    Ok(Report {
        range: None,
        prompts: compare_revs(reg, reg.head()?, Rev::WorkingTree)?,
    })
}

/// The entries of every prompt file that differs between commit `old` (or nothing) and `new`.
fn compare_revs(reg: &Registry, old: Option<CommitId>, new: Rev) -> Result<Vec<Entry>, DiffError> {
    let files = |rev: Rev| -> Result<Vec<(String, Vec<u8>)>, DiffError> {
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
    let source = |rev: Rev, (id, bytes): &(String, Vec<u8>)| -> Result<Source, DiffError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Change;
    use crate::ops::testing::{commit, git, registry, remove, write};

    const GREET: &str = "format: 1\ninputs:\n  name:\n    type: string\ntemplate: Hi {{name}}\n";

    fn changes(report: &Report) -> Vec<(&str, Change)> {
        report
            .prompts
            .iter()
            .map(|e| (e.id.as_str(), e.change))
            .collect()
    }

    #[test]
    fn pending_lists_modified_added_and_removed_prompts() {
        let (dir, reg) = registry();
        // Before the first commit, everything is new.
        write(dir.path(), "greet", GREET);
        let report = compare(&reg, Comparison::Pending, None).unwrap();
        assert_eq!(changes(&report), [("greet", Change::Added)]);
        write(dir.path(), "bye", GREET);
        commit(dir.path(), "first");
        assert!(compare(&reg, Comparison::Pending, None)
            .unwrap()
            .prompts
            .is_empty());
        write(dir.path(), "greet", &GREET.replace("Hi", "Hello"));
        remove(dir.path(), "bye");
        write(dir.path(), "new", "format: 1\ntemplate: New\n");
        let report = compare(&reg, Comparison::Pending, None).unwrap();
        let mut got = changes(&report);
        got.sort_by_key(|(id, _)| *id);
        assert_eq!(
            got,
            [
                ("bye", Change::Removed),
                ("greet", Change::Modified),
                ("new", Change::Added)
            ]
        );
        assert!(report.range.is_none());
    }

    #[test]
    fn a_range_compares_two_revisions_and_names_their_commits() {
        let (dir, reg) = registry();
        write(dir.path(), "greet", GREET);
        commit(dir.path(), "first");
        git(dir.path(), &["tag", "v1"]);
        write(dir.path(), "greet", &GREET.replace("Hi", "Hello"));
        commit(dir.path(), "second");
        let plan = Comparison::parse(Some("v1.."), None).unwrap();
        let report = compare(&reg, plan, None).unwrap();
        assert_eq!(changes(&report), [("greet", Change::Modified)]);
        let range = report.range.unwrap();
        assert_eq!((range.old.as_str(), range.new.as_str()), ("v1", "HEAD"));
        assert_ne!(range.old_commit, range.new_commit);
        let plan = Comparison::parse(Some("nobranch..HEAD"), None).unwrap();
        let err = compare(&reg, plan, None).unwrap_err();
        assert!(
            matches!(err, DiffError::Lib(Error::UnknownRevision { spec, .. }) if spec == "nobranch")
        );
    }

    #[test]
    fn refs_compare_a_version_with_the_working_tree_and_render_both_sides() {
        let (dir, reg) = registry();
        // `diff ID` on a prompt never committed: the working tree is a new prompt.
        write(dir.path(), "greet", GREET);
        let plan = Comparison::parse(Some("greet"), None).unwrap();
        let report = compare(&reg, plan.clone(), None).unwrap();
        assert_eq!(changes(&report), [("greet", Change::Added)]);
        commit(dir.path(), "first");
        write(dir.path(), "greet", &GREET.replace("Hi", "Hello"));
        let values = Values {
            layers: vec![[("name".to_string(), Given::Text("Ann".into()))].into()],
            sample: None,
        };
        let report = compare(&reg, plan.clone(), Some(values)).unwrap();
        let entry = &report.prompts[0];
        assert_eq!(entry.change, Change::Modified);
        assert_eq!(entry.old.as_ref().unwrap().version, Some(1));
        assert!(entry.rendered.is_some());
        // A side that cannot be rendered names its reference.
        let err = compare(&reg, plan, Some(Values::default())).unwrap_err();
        assert!(
            matches!(&err, DiffError::Render { reference, .. } if reference == "greet@latest"),
            "{err:?}"
        );
        let err = compare(&reg, Comparison::parse(Some("nope"), None).unwrap(), None);
        assert!(matches!(
            err,
            Err(DiffError::Lib(Error::PromptNotFound { .. }))
        ));
    }

    #[test]
    fn arguments_become_a_comparison() {
        assert_eq!(Comparison::parse(None, None).unwrap(), Comparison::Pending);
        let refs = |a: &str, b: Option<&str>| match Comparison::parse(Some(a), b).unwrap() {
            Comparison::Refs { old, new, implicit } => (old.to_string(), new.to_string(), implicit),
            other => panic!("{other:?}"),
        };
        assert_eq!(refs("a/b", None), ("a/b@latest".into(), "a/b".into(), true));
        assert_eq!(refs("a/b@2", None), ("a/b@2".into(), "a/b".into(), true));
        assert_eq!(
            refs("a/b@production", Some("a/b@3")),
            ("a/b@production".into(), "a/b@3".into(), false)
        );
        let range = |a: &str| match Comparison::parse(Some(a), None).unwrap() {
            Comparison::Range {
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
            assert!(Comparison::parse(Some(bad), None).is_err(), "{bad}");
        }
        assert!(Comparison::parse(Some("a..b"), Some("c")).is_err());
        assert!(Comparison::parse(Some("A"), None).is_err());
    }
}
