//! The review as markdown for one pull-request comment: the marker line, a summary table, then a
//! section per prompt (semantic diff and renders in collapsed `<details>`, token counts as a
//! table). It stays under GitHub's comment limit: when the whole report is longer, the big parts
//! (a render or a diff of 3,000 characters or more) are replaced by one line each, largest
//! first; then whole prompt sections are left out (non-breaking prompts before breaking ones,
//! the largest first), then the smaller parts are shortened, and a note under the summary says
//! what was cut. The summary table is kept whole (past some 600 prompts it is cut too, and the
//! note says so).

use super::{PromptReview, RenderPair, RenderSide, Review, ReviewChange, TestStatus, Tokens};
use super::{COMMENT_LIMIT, MARKER};
use crate::diff::format::patch_of;

/// The markdown report, under GitHub's comment limit (`COMMENT_LIMIT` characters).
pub fn to_markdown(review: &Review) -> String {
    to_markdown_within(review, COMMENT_LIMIT - 1)
}

/// The markdown report in at most `limit` characters (as far as the summary allows).
pub fn to_markdown_within(review: &Review, limit: usize) -> String {
    let head = head(review);
    let mut sections: Vec<Section> = review.prompts.iter().map(section).collect();
    let footer = footer(review);
    let mut cut = Cut::default();
    let size = |sections: &[Section], note: &str| -> usize {
        chars(&head.text)
            + chars(note)
            + chars(&footer)
            + sections.iter().map(Section::chars).sum::<usize>()
    };
    let mut note = String::new();
    if size(&sections, &note) > limit {
        // Room kept for the note, which `Cut::note` keeps shorter than this.
        let reserve = 1_500;
        let mut total = size(&sections, "");
        // 1. The big parts (a long render, a long diff), largest first: the rest of each
        //    section stays.
        cut_blocks(
            &mut sections,
            &mut total,
            limit - reserve,
            BIG_PART,
            &mut cut,
        );
        // 2. Whole sections: a change to hundreds of prompts is summarised by its table and
        //    the sections that fit. Breaking prompts are kept longest; among the others, and
        //    then among the breaking ones, the largest goes first.
        if total + reserve > limit {
            let mut order: Vec<(bool, usize, usize)> = sections
                .iter()
                .enumerate()
                .map(|(i, s)| (review.prompts[i].breaking, s.chars(), i))
                .collect();
            order.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
            for (_, _, i) in order {
                // The last section standing is shortened rather than dropped, if that fits.
                let others = sections.iter().filter(|s| !s.dropped).count();
                if total + reserve <= limit || others == 1 {
                    break;
                }
                total -= sections[i].chars();
                sections[i].dropped = true;
                cut.sections.push(review.prompts[i].id.clone());
            }
        }
        // 3. What is left, whatever its size; then the last section if need be.
        cut_blocks(&mut sections, &mut total, limit - reserve, 0, &mut cut);
        if total + reserve > limit {
            for (i, s) in sections.iter_mut().enumerate() {
                if !s.dropped {
                    s.dropped = true;
                    cut.sections.push(review.prompts[i].id.clone());
                }
            }
        }
        note = cut.note();
    }
    let mut head_text = head.text;
    if chars(&head_text) + chars(&note) + chars(&footer) > limit {
        // Past some 600 prompts the summary table alone is too long: keep its first rows.
        let mut kept = head.top.clone();
        let mut rows = 0;
        for row in &head.rows {
            if chars(&kept) + chars(row) + 2_000 > limit {
                break;
            }
            kept.push_str(row);
            rows += 1;
        }
        cut.rows = head.rows.len() - rows;
        head_text = kept;
        note = cut.note();
    }
    let mut out = head_text;
    out.push_str(&note);
    for s in sections.iter().filter(|s| !s.dropped) {
        out.push_str(&s.title);
        for b in &s.blocks {
            out.push_str(if b.is_cut { &b.cut } else { &b.full });
        }
    }
    out.push_str(&footer);
    out
}

/// A part at least this long is cut before any section is left out.
const BIG_PART: usize = 3_000;

/// Replaces blocks of at least `min` characters by their one-line form, largest first, until
/// `total` is within `budget`.
fn cut_blocks(
    sections: &mut [Section],
    total: &mut usize,
    budget: usize,
    min: usize,
    cut: &mut Cut,
) {
    let mut blocks: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in sections.iter().enumerate().filter(|(_, s)| !s.dropped) {
        for (j, b) in s.blocks.iter().enumerate().filter(|(_, b)| !b.is_cut) {
            blocks.push((chars(&b.full), i, j));
        }
    }
    blocks.sort_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    for (len, i, j) in blocks {
        if *total <= budget || len < min {
            break;
        }
        let b = &mut sections[i].blocks[j];
        let replacement = chars(&b.cut);
        if replacement >= len {
            continue;
        }
        b.is_cut = true;
        *total = *total - len + replacement;
        cut.blocks.push(b.what.clone());
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// What was cut, for the note.
#[derive(Default)]
struct Cut {
    blocks: Vec<String>,
    sections: Vec<String>,
    rows: usize,
}

impl Cut {
    fn note(&self) -> String {
        if self.blocks.is_empty() && self.sections.is_empty() && self.rows == 0 {
            return String::new();
        }
        let mut parts = Vec::new();
        if !self.blocks.is_empty() {
            parts.push(format!(
                "{} parts shortened ({})",
                self.blocks.len(),
                bounded(self.blocks.iter().cloned(), "; ")
            ));
        }
        if !self.sections.is_empty() {
            parts.push(format!(
                "the sections of {} prompts left out ({})",
                self.sections.len(),
                bounded(self.sections.iter().map(|id| format!("`{id}`")), ", ")
            ));
        }
        if self.rows > 0 {
            parts.push(format!("{} rows of the summary table left out", self.rows));
        }
        format!(
            "\n> [!NOTE]\n> Cut to fit GitHub's {COMMENT_LIMIT}-character comment limit: {}. \
             `prompt review --format json` gives the whole report.\n",
            parts.join("; ")
        )
    }
}

/// The items joined, as many as fit in some 500 characters, then `and N more`: the note stays
/// short however much was cut (the reserve it is given holds it).
fn bounded(items: impl Iterator<Item = String>, separator: &str) -> String {
    let items: Vec<String> = items.collect();
    let mut out = String::new();
    let mut shown = 0;
    for item in &items {
        let item: String = item.chars().take(120).collect();
        if shown > 0 && chars(&out) + chars(&item) > 500 {
            break;
        }
        if shown > 0 {
            out.push_str(separator);
        }
        out.push_str(&item);
        shown += 1;
    }
    if shown < items.len() {
        out.push_str(&format!("{separator}and {} more", items.len() - shown));
    }
    out
}

struct Head {
    /// Everything above the table's rows.
    top: String,
    rows: Vec<String>,
    text: String,
}

fn head(review: &Review) -> Head {
    let r = &review.range;
    let dots = if r.merge_base { "..." } else { ".." };
    let s = &review.summary;
    let mut top = format!(
        "{MARKER}\n### Prompt review: `{}{dots}{}`\n\n",
        r.old, r.new
    );
    if review.prompts.is_empty() {
        top.push_str("No prompt changed.\n");
        return Head {
            text: top.clone(),
            top,
            rows: Vec::new(),
        };
    }
    let mut counts = Vec::new();
    for (n, word) in [
        (s.added, "added"),
        (s.removed, "removed"),
        (s.renamed, "renamed"),
        (s.modified, "modified"),
        (s.through, "changed through a partial"),
    ] {
        if n > 0 {
            counts.push(format!("{n} {word}"));
        }
    }
    let prompts = if s.changed == 1 { "prompt" } else { "prompts" };
    top.push_str(&format!(
        "{} {prompts} changed ({}), **{} breaking**; `{}` → `{}`.\n\n",
        s.changed,
        counts.join(", "),
        s.breaking,
        short(&r.old_commit),
        short(&r.new_commit)
    ));
    top.push_str("| prompt | change | breaking |\n| --- | --- | --- |\n");
    let rows: Vec<String> = review
        .prompts
        .iter()
        .map(|p| {
            let breaking = if p.breaking { "**yes**" } else { "no" };
            format!("| `{}` | {} | {breaking} |\n", p.id, change_words(p))
        })
        .collect();
    let mut text = top.clone();
    for row in &rows {
        text.push_str(row);
    }
    Head { top, rows, text }
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// `modified`, `renamed (`a` -> `b`)`, `changed through a partial (`shared/x`)`.
fn change_words(p: &PromptReview) -> String {
    match p.change {
        ReviewChange::Renamed => format!(
            "renamed (`{}` -> `{}`)",
            p.old_id.as_deref().unwrap_or_default(),
            p.id
        ),
        ReviewChange::Through => format!("changed through a partial ({})", quoted(&p.through)),
        c => {
            let mut words = c.as_str().to_string();
            if !p.through.is_empty() {
                words.push_str(&format!(", and through {}", quoted(&p.through)));
            }
            words
        }
    }
}

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn footer(review: &Review) -> String {
    if review.prompts.is_empty() {
        return String::new();
    }
    "\n<sub>Token counts are of each message's text, without the chat framing; exact for OpenAI \
     models (their published encodings), estimated for others. Made by `prompt review`.</sub>\n"
        .to_string()
}

/// A part of a section that can be shortened to one line.
struct Block {
    /// What it is, for the note: ``render of `a` (sample `s`)``.
    what: String,
    full: String,
    cut: String,
    is_cut: bool,
}

struct Section {
    title: String,
    blocks: Vec<Block>,
    dropped: bool,
}

impl Section {
    fn chars(&self) -> usize {
        if self.dropped {
            return 0;
        }
        chars(&self.title)
            + self
                .blocks
                .iter()
                .map(|b| chars(if b.is_cut { &b.cut } else { &b.full }))
                .sum::<usize>()
    }
}

fn label(side: &Option<super::Side>) -> String {
    side.as_ref().map_or("—".to_string(), |s| s.label())
}

fn section(p: &PromptReview) -> Section {
    let mut title = format!("\n#### `{}`: {}", p.id, change_words(p));
    if p.breaking {
        title.push_str(", **breaking**");
    }
    title.push_str(&format!(" ({} → {})\n\n", label(&p.old), label(&p.new)));
    if let Some(d) = &p.diff {
        if !d.breaking.is_empty() {
            title.push_str("**Breaking changes:**\n");
            for reason in &d.breaking {
                title.push_str(&format!("- {reason}\n"));
            }
            title.push('\n');
        }
        if let Some(u) = &d.unparsed {
            title.push_str(&format!("Not read as a prompt: {}\n\n", u.error));
        }
    }
    if !p.environments.is_empty() {
        let envs: Vec<String> = p
            .environments
            .iter()
            .map(|e| {
                let at = match e.version {
                    Some(v) => format!("v{v}"),
                    None => format!("commit {}", short(&e.commit)),
                };
                let base = if e.base { " (the base version)" } else { "" };
                format!("`{}` runs {at}{base}", e.name)
            })
            .collect();
        title.push_str(&format!("Environments: {}.\n\n", envs.join("; ")));
    }
    if !p.through.is_empty() {
        title.push_str(&format!(
            "Changes through: {} (a partial or parent it includes changed).\n\n",
            quoted(&p.through)
        ));
    }
    if !p.changes_through.is_empty() {
        title.push_str(&format!(
            "Changes the rendering of: {} (they include it).\n\n",
            quoted(&p.changes_through)
        ));
    }
    let mut blocks = Vec::new();
    if let Some(d) = &p.diff {
        let patch = patch_of(d);
        if !patch.is_empty() {
            let fence = fence(&patch);
            blocks.push(Block {
                what: format!("diff of `{}`", p.id),
                full: format!(
                    "<details><summary>Semantic diff</summary>\n\n{fence}diff\n{patch}{fence}\n\n</details>\n\n"
                ),
                cut: format!(
                    "_Semantic diff cut ({} characters): `prompt diff` shows it._\n\n",
                    chars(&patch)
                ),
                is_cut: false,
            });
        } else if d.formatting_only {
            title.push_str("_Formatting only: the prompt means the same._\n\n");
        } else if d.unparsed.is_none() {
            title.push_str("_No content changes._\n\n");
        }
    }
    if let Some(table) = token_table(p) {
        blocks.push(Block {
            what: format!("token table of `{}`", p.id),
            cut: format!("_Token table cut ({} characters)._\n\n", chars(&table)),
            full: table,
            is_cut: false,
        });
    }
    for pair in &p.renders {
        let (full, name) = render_block(pair);
        blocks.push(Block {
            what: format!("render of `{}` ({name})", p.id),
            cut: format!(
                "_Rendered output ({name}) cut ({} characters): `prompt render` shows it._\n\n",
                chars(&full)
            ),
            full,
            is_cut: false,
        });
    }
    if let Some(tests) = &p.tests {
        // A fourth column says why a case does not pass after the change, when one does not.
        let why = tests.cases.iter().any(|c| c.detail.is_some());
        let mut t = String::from(if why {
            "**Tests** (from recordings):\n\n| test | before | after | why |\n| --- | --- | --- | --- |\n"
        } else {
            "**Tests** (from recordings):\n\n| test | before | after |\n| --- | --- | --- |\n"
        });
        let word = |s: Option<TestStatus>| match s {
            None => "—",
            Some(TestStatus::Passed) => "passed",
            Some(TestStatus::Failed) => "**failed**",
            Some(TestStatus::NoRecording) => "no recording",
            Some(TestStatus::Error) => "**error**",
        };
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        for c in &tests.cases {
            t.push_str(&format!(
                "| {} | {} | {} |",
                cell(&c.name),
                word(c.before),
                word(c.after)
            ));
            if why {
                t.push_str(&format!(" {} |", cell(c.detail.as_deref().unwrap_or(""))));
            }
            t.push('\n');
        }
        t.push('\n');
        blocks.push(Block {
            what: format!("tests of `{}`", p.id),
            cut: "_Test table cut._\n\n".into(),
            full: t,
            is_cut: false,
        });
    }
    Section {
        title,
        blocks,
        dropped: false,
    }
}

fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn sample_name(pair: &RenderPair) -> String {
    match &pair.sample {
        Some(s) => format!("sample `{s}`"),
        None => "defaults".to_string(),
    }
}

/// The rendered output of one sample before and after, collapsed.
fn render_block(pair: &RenderPair) -> (String, String) {
    let name = sample_name(pair);
    let state = if pair.changed { "changed" } else { "unchanged" };
    let summary_name = name.replace('`', "");
    let mut out = format!("<details><summary>Rendered, {summary_name}: {state}</summary>\n\n");
    let text = |side: &RenderSide| -> String {
        match (&side.text, &side.error) {
            (Some(t), _) => {
                let f = fence(t);
                let nl = if t.ends_with('\n') { "" } else { "\n" };
                format!("{f}text\n{t}{nl}{f}\n")
            }
            (None, Some(e)) => format!("_Not rendered: {e}_\n"),
            (None, None) => "_Not rendered._\n".into(),
        }
    };
    match (&pair.old, &pair.new) {
        (Some(a), Some(b)) if !pair.changed => {
            out.push_str("Before and after:\n\n");
            out.push_str(&text(b));
            let _ = a;
        }
        (a, b) => {
            if let Some(a) = a {
                out.push_str("**Before:**\n\n");
                out.push_str(&text(a));
                out.push('\n');
            }
            if let Some(b) = b {
                out.push_str("**After:**\n\n");
                out.push_str(&text(b));
            }
        }
    }
    out.push_str("\n</details>\n\n");
    (out, name)
}

/// Token counts per message and in total, before → after, one row per message of each sample.
fn token_table(p: &PromptReview) -> Option<String> {
    let mut rows = String::new();
    let mut labels: Vec<String> = Vec::new();
    for pair in &p.renders {
        let (ta, tb) = (
            pair.old.as_ref().and_then(|s| s.tokens.as_ref()),
            pair.new.as_ref().and_then(|s| s.tokens.as_ref()),
        );
        if ta.is_none() && tb.is_none() {
            continue;
        }
        for t in [ta, tb].into_iter().flatten() {
            let l = counted(t);
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        let name = sample_name(pair);
        let n = ta
            .map_or(0, |t| t.messages.len())
            .max(tb.map_or(0, |t| t.messages.len()));
        for i in 0..n {
            let (a, b) = (
                ta.and_then(|t| t.messages.get(i)),
                tb.and_then(|t| t.messages.get(i)),
            );
            let role = match (a, b) {
                (Some(x), Some(y)) if x.role != y.role => format!("{} → {}", x.role, y.role),
                (Some(x), _) | (None, Some(x)) => x.role.clone(),
                (None, None) => String::new(),
            };
            rows.push_str(&format!(
                "| {name} | {} {role} | {} |\n",
                i + 1,
                before_after(a.map(|m| m.tokens), b.map(|m| m.tokens))
            ));
        }
        rows.push_str(&format!(
            "| {name} | **total** | **{}** |\n",
            before_after(ta.map(|t| t.total), tb.map(|t| t.total))
        ));
    }
    if rows.is_empty() {
        return None;
    }
    Some(format!(
        "| sample | message | tokens before → after |\n| --- | --- | --- |\n{rows}\n_Counted: {}._\n\n",
        labels.join("; ")
    ))
}

/// `exact, o200k_base, openai/gpt-4o` or `estimated (o200k_base), anthropic/claude-…`.
fn counted(t: &Tokens) -> String {
    let how = if t.exact {
        format!("exact, {}", t.encoding)
    } else {
        format!("estimated ({})", t.encoding)
    };
    match &t.model {
        Some(m) => format!("{how}, {m}"),
        None => format!("{how}, no model named"),
    }
}

fn before_after(a: Option<usize>, b: Option<usize>) -> String {
    match (a, b) {
        (Some(x), Some(y)) if x == y => format!("{x} → {y}"),
        (Some(x), Some(y)) => {
            let d = y as i64 - x as i64;
            format!("{x} → {y} ({d:+})")
        }
        (Some(x), None) => format!("{x} → —"),
        (None, Some(y)) => format!("— → {y}"),
        (None, None) => "—".into(),
    }
}
