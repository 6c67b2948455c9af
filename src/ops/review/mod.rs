//! `review BASE..HEAD` (contract §15): the pull-request report. For every prompt that differs
//! between two revisions, and every prompt whose rendering changes because a partial or parent
//! it includes changed: the semantic diff (§8), the rendered output before and after for each
//! sample (or the defaults), token counts per message and in total, the prompts that change
//! through it, and the environments that run the base version now. `markdown` writes it for a
//! pull-request comment, under GitHub's size limit; the JSON shape (`docs/json-output.md`) holds
//! everything uncut.
//!
//! Reads both revisions' prompt files once; renders through the library at each revision (its
//! partials read at that revision), with one partial source per revision shared by every prompt.
//!
//! Test results before and after (contract §14) go in each prompt's `tests` part
//! (`PromptReview::tests`), left out of the output while it is `None`.

pub mod markdown;
mod renders;
mod replayed;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::diff::report::{pair_files, Entry, Pair, Range, Side, Source, Unparsed};
use crate::diff::{Change, LineDiff};
use crate::error::Error;
use crate::model::includes::included_ids;
use crate::model::{load, Prompt, PromptId};
use crate::ops::diff::Comparison;
use crate::partials::RegistryPartials;
use crate::store::{CommitId, Registry, Rev};

pub use renders::{MessageTokens, RenderPair, RenderSide, Tokens};

/// The first line of the markdown report, so that CI finds and updates its one comment.
pub const MARKER: &str = "<!-- prompt-review -->";

/// GitHub's limit on a comment's body, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Files larger than this are reported by size, not parsed, diffed or rendered.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// The report, in the JSON shape documented in docs/json-output.md.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// `MARKER`, so that a program reading the JSON can post the markdown under it.
    pub marker: &'static str,
    pub range: Range,
    pub summary: Summary,
    /// Changed prompts, by id (the new id for a rename).
    pub prompts: Vec<PromptReview>,
}

/// How many prompts changed, and how.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub modified: usize,
    /// Changed only through a partial or parent they include.
    pub through: usize,
    pub breaking: usize,
}

/// What happened to a prompt between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewChange {
    Added,
    Removed,
    Renamed,
    Modified,
    /// Its file is the same, but a partial or parent it includes changed.
    Through,
}

impl ReviewChange {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewChange::Added => "added",
            ReviewChange::Removed => "removed",
            ReviewChange::Renamed => "renamed",
            ReviewChange::Modified => "modified",
            ReviewChange::Through => "through",
        }
    }
}

/// One changed prompt.
#[derive(Debug, Clone, Serialize)]
pub struct PromptReview {
    pub id: String,
    /// The id at the base, for a rename.
    pub old_id: Option<String>,
    pub change: ReviewChange,
    pub breaking: bool,
    /// The base side (null for an added prompt) and the head side (null for a removed one).
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// The semantic diff as `prompt diff --format json` gives it; null for a prompt changed only
    /// through what it includes.
    pub diff: Option<Entry>,
    /// The changed partials and parents this prompt includes (directly or through others).
    pub through: Vec<String>,
    /// The prompts whose rendering changes because this one changed (they include it).
    pub changes_through: Vec<String>,
    /// Each sample rendered at both revisions, with token counts.
    pub renders: Vec<RenderPair>,
    /// The environments of this prompt (at the base: its old id for a rename), and whether each
    /// runs the base version.
    pub environments: Vec<Environment>,
    /// Test results before and after (contract §14), filled from recordings; left out of both
    /// outputs while `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<TestsPart>,
}

/// Test results of one prompt at both revisions (contract §14).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TestsPart {
    pub cases: Vec<TestCase>,
}

/// One test case's outcome before and after.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    pub name: String,
    /// Null where the case does not exist on that side.
    pub before: Option<TestStatus>,
    pub after: Option<TestStatus>,
    /// Why it failed after, in one line.
    pub detail: Option<String>,
}

/// The outcome of a test case from recordings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Passed,
    Failed,
    /// No recording for the request (replay makes no network call).
    NoRecording,
    Error,
}

impl Review {
    /// Fills each prompt's `tests` part from `results` (test results before and after, replayed
    /// from recordings: contract §14); a prompt for which it gives `None` keeps no `tests` part.
    /// `review` fills them itself from the recordings at each side; this replaces them (a
    /// caller with results of its own, e.g. from a live run).
    pub fn with_tests(
        mut self,
        mut results: impl FnMut(&PromptReview) -> Option<TestsPart>,
    ) -> Review {
        for p in &mut self.prompts {
            p.tests = results(p);
        }
        self
    }
}

/// An environment tag of a changed prompt.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    pub name: String,
    pub commit: String,
    /// The version the tag points at; null for a draft or where a shallow clone cannot count.
    pub version: Option<usize>,
    /// True when it runs the base version (the old side of the review).
    pub base: bool,
}

/// The review of every prompt that differs between the two revisions of `range` (`BASE..HEAD`,
/// or `BASE...HEAD` from their merge base).
pub fn review(reg: &Registry, range: &str) -> Result<Review, Error> {
    let parsed = match range.contains("..") {
        true => Comparison::parse(Some(range), None)?,
        false => Comparison::Pending,
    };
    let (old, new, merge_base) = match parsed {
        Comparison::Range {
            old,
            new,
            merge_base,
        } => (old, new, merge_base),
        _ => {
            return Err(Error::Usage(format!(
                "`{range}` is not a range: `prompt review` takes BASE..HEAD, e.g. \
                 origin/main..HEAD"
            )))
        }
    };
    let new_commit = commit(reg, &new)?;
    let mut old_commit = commit(reg, &old)?;
    if merge_base {
        old_commit = reg.merge_base(old_commit, new_commit).map_err(|e| {
            if reg.is_shallow() {
                shallow(&format!("{old}...{new}"))
            } else {
                e
            }
        })?;
    }
    let range = Range {
        old,
        new,
        old_commit: old_commit.to_string(),
        new_commit: new_commit.to_string(),
        merge_base,
    };
    build(reg, range, old_commit, new_commit)
}

fn commit(reg: &Registry, spec: &str) -> Result<CommitId, Error> {
    match reg.revision(spec)? {
        Some(c) => Ok(c),
        None if reg.is_shallow() => Err(shallow(spec)),
        None => Err(Error::UnknownRevision {
            spec: spec.to_string(),
            purpose: "a review compares two revisions, BASE..HEAD or BASE...HEAD".into(),
        }),
    }
}

/// A revision this shallow clone does not hold: the message says so with §4's fix.
fn shallow(spec: &str) -> Error {
    Error::UnknownRevision {
        spec: spec.to_string(),
        // The fix every command gives in a shallow clone (contract §4; the CLI's SHALLOW_FIX).
        purpose: "this shallow clone does not hold it; run `git fetch --unshallow` to fetch the \
                  whole history; in CI, check out the full history (GitHub Actions: \
                  `actions/checkout` with `fetch-depth: 0`)"
            .into(),
    }
}

/// A prompt file at one revision.
struct File {
    id: String,
    bytes: Vec<u8>,
    /// Why it is not reviewed as a prompt: binary, or too large.
    skipped: Option<String>,
    prompt: std::cell::OnceCell<Option<Prompt>>,
}

impl File {
    /// The prompt, parsed on first use and kept; `None` when it does not parse or is skipped.
    fn parsed(&self) -> Option<&Prompt> {
        self.prompt
            .get_or_init(|| match self.skipped {
                Some(_) => None,
                None => load::parse_bytes(&self.bytes).ok().map(|l| l.prompt),
            })
            .as_ref()
    }

    /// What pairing compares: the bytes, or for a skipped file a line that stands for them.
    fn key(&self) -> Vec<u8> {
        match &self.skipped {
            None => self.bytes.clone(),
            Some(_) => format!(
                "skipped {} {:016x}\n",
                self.bytes.len(),
                xxhash_rust::xxh3::xxh3_64(&self.bytes)
            )
            .into_bytes(),
        }
    }
}

fn files(reg: &Registry, rev: Rev) -> Result<Vec<File>, Error> {
    let mut out = Vec::new();
    for id in reg.ids(rev)? {
        if let Some(bytes) = reg.read(rev, &id)? {
            let skipped = if bytes.len() > MAX_FILE_BYTES {
                Some(format!(
                    "the file is too large to review ({} bytes; the limit is {} bytes)",
                    bytes.len(),
                    MAX_FILE_BYTES
                ))
            } else if bytes.contains(&0) || std::str::from_utf8(&bytes).is_err() {
                Some("binary file: not UTF-8 text".to_string())
            } else {
                None
            };
            out.push(File {
                id: id.to_string(),
                bytes,
                skipped,
                prompt: std::cell::OnceCell::new(),
            });
        }
    }
    Ok(out)
}

/// One revision's files, parsed once, with their include graph.
struct Revision<'r> {
    commit: CommitId,
    /// Every prompt's version number here, found in one pass when the revision is on the
    /// release line; `None` otherwise (each side then asks the store on its own).
    numbers: Option<HashMap<PromptId, Option<usize>>>,
    files: Vec<File>,
    by_id: HashMap<String, usize>,
    partials: RegistryPartials<'r>,
}

impl<'r> Revision<'r> {
    fn read(reg: &'r Registry, commit: CommitId) -> Result<Revision<'r>, Error> {
        let files = files(reg, Rev::Commit(commit))?;
        let by_id = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        let ids: Vec<PromptId> = files
            .iter()
            .filter_map(|f| PromptId::parse(&f.id).ok())
            .collect();
        Ok(Revision {
            commit,
            numbers: reg.numbers_on_line(commit, &ids)?,
            files,
            by_id,
            partials: RegistryPartials::new(reg, Rev::Commit(commit)),
        })
    }

    fn get(&self, id: &str) -> Option<&File> {
        self.by_id.get(id).map(|&i| &self.files[i])
    }

    /// A prompt's template as partials see it (a text prompt's `template`).
    fn template(&self, id: &str) -> Option<String> {
        self.get(id)
            .and_then(File::parsed)
            .and_then(|p| p.template.clone())
    }

    /// For each id, the prompts that include it directly.
    fn includers(&self) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for f in self.files.iter().filter(|f| f.skipped.is_none()) {
            for name in included_ids(&f.bytes) {
                out.entry(name).or_default().push(f.id.clone());
            }
        }
        out
    }
}

/// Every prompt that includes one of `changed`, directly or through others, with the changed
/// prompts that reach it.
fn reached(
    includers: &HashMap<String, Vec<String>>,
    changed: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in changed {
        let mut queue = vec![source.clone()];
        let mut seen = BTreeSet::from([source.clone()]);
        while let Some(target) = queue.pop() {
            for includer in includers.get(&target).into_iter().flatten() {
                if seen.insert(includer.clone()) {
                    out.entry(includer.clone())
                        .or_default()
                        .insert(source.clone());
                    queue.push(includer.clone());
                }
            }
        }
    }
    out
}

fn build(
    reg: &Registry,
    range: Range,
    old_commit: CommitId,
    new_commit: CommitId,
) -> Result<Review, Error> {
    // The encoder is built while the revisions are read.
    crate::tokens::warm_up();
    let old = Revision::read(reg, old_commit)?;
    let new = Revision::read(reg, new_commit)?;
    // Files the same on both sides are left out before pairing (they pair with nothing), so that
    // pairing, which compares every file with every other, sees only what changed: a registry
    // of 20,000 prompts has a few hundred of those.
    let same = |f: &File, other: &Revision| other.get(&f.id).is_some_and(|g| g.bytes == f.bytes);
    let keyed = |r: &Revision, other: &Revision| -> (Vec<usize>, Vec<(String, Vec<u8>)>) {
        r.files
            .iter()
            .enumerate()
            .filter(|(_, f)| !same(f, other))
            .map(|(i, f)| (i, (f.id.clone(), f.key())))
            .unzip()
    };
    let (old_at, old_keys) = keyed(&old, &new);
    let (new_at, new_keys) = keyed(&new, &old);
    let pairs: Vec<Pair> = pair_files(&old_keys, &new_keys)
        .into_iter()
        .map(|p| Pair {
            old: p.old.map(|i| old_at[i]),
            new: p.new.map(|j| new_at[j]),
        })
        .collect();
    // Prompts whose template (what an includer sees) changed, were added or were removed.
    let mut changed_templates = BTreeSet::new();
    for p in &pairs {
        let old_id = p.old.map(|i| old.files[i].id.clone());
        let new_id = p.new.map(|j| new.files[j].id.clone());
        for id in old_id.iter().chain(new_id.iter()) {
            if old.template(id) != new.template(id) {
                changed_templates.insert(id.clone());
            }
        }
    }
    let mut through = reached(&new.includers(), &changed_templates);
    for (id, sources) in reached(&old.includers(), &changed_templates) {
        through.entry(id).or_default().extend(sources);
    }
    let envs = reg.all_envs()?;
    let ctx = Context {
        reg,
        old: &old,
        new: &new,
        envs: &envs,
    };
    let mut prompts = Vec::new();
    let mut files_changed = BTreeSet::new();
    for p in &pairs {
        let a = p.old.map(|i| &old.files[i]);
        let b = p.new.map(|j| &new.files[j]);
        let id = b.or(a).map(|f| f.id.clone()).unwrap_or_default();
        files_changed.insert(id.clone());
        if let Some(a) = a {
            files_changed.insert(a.id.clone());
        }
        let mut entry = ctx.entry(&id, a, b, false)?;
        let mut via: BTreeSet<String> = through.get(&id).cloned().unwrap_or_default();
        if let Some(a) = a {
            via.extend(through.get(&a.id).cloned().unwrap_or_default());
        }
        via.remove(&id);
        entry.through = via.into_iter().collect();
        prompts.push(entry);
    }
    for (id, sources) in &through {
        if files_changed.contains(id) {
            continue;
        }
        let (a, b) = (old.get(id), new.get(id));
        if a.is_none() && b.is_none() {
            continue;
        }
        let mut entry = ctx.entry(id, a, b, true)?;
        entry.change = ReviewChange::Through;
        entry.diff = None;
        entry.breaking = false;
        entry.through = sources.iter().cloned().collect();
        // Its own file's last version is the same on both sides; what renders differs, so the
        // head side is named by its commit, not by that number.
        if let (Some(a), Some(b)) = (&entry.old, &mut entry.new) {
            if a.version == b.version {
                b.version = None;
            }
        }
        prompts.push(entry);
    }
    for entry in &mut prompts {
        let mut reached: Vec<String> = through
            .iter()
            .filter(|(_, sources)| {
                sources.contains(&entry.id)
                    || entry.old_id.as_ref().is_some_and(|o| sources.contains(o))
            })
            .map(|(id, _)| id.clone())
            .filter(|id| *id != entry.id)
            .collect();
        reached.dedup();
        entry.changes_through = reached;
    }
    prompts.sort_by(|x, y| x.id.cmp(&y.id));
    // Test results before -> after, replayed from the recordings at each side (contract §14).
    for p in &mut prompts {
        p.tests = replayed::tests_part(reg, old_commit, new_commit, p);
    }
    let mut summary = Summary {
        changed: prompts.len(),
        ..Summary::default()
    };
    for p in &prompts {
        match p.change {
            ReviewChange::Added => summary.added += 1,
            ReviewChange::Removed => summary.removed += 1,
            ReviewChange::Renamed => summary.renamed += 1,
            ReviewChange::Modified => summary.modified += 1,
            ReviewChange::Through => summary.through += 1,
        }
        summary.breaking += usize::from(p.breaking);
    }
    Ok(Review {
        marker: MARKER,
        range,
        summary,
        prompts,
    })
}

/// What every entry needs: the registry, both revisions, the environment tags.
struct Context<'a, 'r> {
    reg: &'a Registry,
    old: &'a Revision<'r>,
    new: &'a Revision<'r>,
    envs: &'a HashMap<PromptId, Vec<(crate::model::EnvName, CommitId)>>,
}

impl Context<'_, '_> {
    /// One side of a prompt; `number`: whether to look its version number up when the
    /// revision is off the release line (a walk back to the prompt's last change).
    fn side(&self, rev: &Revision, id: &str, number: bool) -> Result<Side, Error> {
        let pid = PromptId::parse(id)?;
        let c = rev.commit;
        let version = match &rev.numbers {
            Some(numbers) => numbers.get(&pid).copied().flatten(),
            None if number => self.reg.number_at(&pid, c)?,
            None => None,
        };
        Ok(Side {
            reference: format!("{id}@{}", c.short()),
            version,
            commit: Some(c.to_string()),
            environment: None,
        })
    }

    fn source(&self, rev: &Revision, f: &File, number: bool) -> Result<Source, Error> {
        Ok(Source {
            side: self.side(rev, &f.id, number)?,
            file: format!(
                "{}@{}",
                self.reg.path_of(&PromptId::parse(&f.id)?),
                rev.commit.short()
            ),
            bytes: f.bytes.clone(),
        })
    }

    /// The entry of one prompt: `a` at the base, `b` at the head. `through`: its file is the
    /// same on both sides (it changes through what it includes), so the head side is named by
    /// its commit rather than a number found by a walk.
    fn entry(
        &self,
        id: &str,
        a: Option<&File>,
        b: Option<&File>,
        through: bool,
    ) -> Result<PromptReview, Error> {
        let sa = a.map(|f| self.source(self.old, f, true)).transpose()?;
        let sb = b.map(|f| self.source(self.new, f, !through)).transpose()?;
        let old_id = a.map(|f| f.id.as_str());
        let skipped = a
            .and_then(|f| f.skipped.as_ref())
            .or(b.and_then(|f| f.skipped.as_ref()));
        let diff = match skipped {
            None => Entry::of_files(id, old_id, true, sa.as_ref(), sb.as_ref()),
            Some(why) => {
                // Neither parsed nor diffed: a binary or huge file says what it is.
                let mut e = Entry::of_files(id, old_id, true, None, None);
                e.change = match (a, b) {
                    (None, _) => Change::Added,
                    (_, None) => Change::Removed,
                    (Some(x), Some(y)) if x.id != y.id => Change::Renamed,
                    _ => Change::Modified,
                };
                e.old = sa.as_ref().map(|s| s.side.clone());
                e.new = sb.as_ref().map(|s| s.side.clone());
                e.unparsed = Some(Unparsed {
                    error: why.clone(),
                    lines: LineDiff::default(),
                });
                e
            }
        };
        let change = match diff.change {
            Change::Added => ReviewChange::Added,
            Change::Removed => ReviewChange::Removed,
            Change::Renamed => ReviewChange::Renamed,
            _ => ReviewChange::Modified,
        };
        let renders = renders::pairs(
            a.map(|f| (f, f.parsed(), &self.old.partials)),
            b.map(|f| (f, f.parsed(), &self.new.partials)),
        );
        let environments = self.environments(old_id.unwrap_or(id), a, sa.as_ref())?;
        Ok(PromptReview {
            id: id.to_string(),
            old_id: diff.old_id.clone(),
            change,
            breaking: !diff.breaking.is_empty(),
            old: sa.map(|s| s.side),
            new: sb.map(|s| s.side),
            diff: Some(diff),
            through: Vec::new(),
            changes_through: Vec::new(),
            renders,
            environments,
            tests: None,
        })
    }

    /// The environment tags of `id` (its name at the base), each with its version and whether
    /// it runs the base version: the same version number, or where numbers are unknown the same
    /// file.
    fn environments(
        &self,
        id: &str,
        base: Option<&File>,
        base_source: Option<&Source>,
    ) -> Result<Vec<Environment>, Error> {
        let Ok(pid) = PromptId::parse(id) else {
            return Ok(Vec::new());
        };
        let Some(tags) = self.envs.get(&pid) else {
            return Ok(Vec::new());
        };
        let base_version = base_source.and_then(|s| s.side.version);
        let mut out = Vec::new();
        for (env, c) in tags {
            let version = self.reg.number_at(&pid, *c)?;
            let runs_base = match (version, base_version) {
                (Some(v), Some(b)) => v == b,
                _ => base.is_some_and(|f| {
                    self.reg
                        .read(Rev::Commit(*c), &pid)
                        .ok()
                        .flatten()
                        .is_some_and(|bytes| bytes == f.bytes)
                }),
            };
            out.push(Environment {
                name: env.to_string(),
                commit: c.to_string(),
                version,
                base: runs_base,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
