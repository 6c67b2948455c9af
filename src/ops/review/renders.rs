//! The rendered output of a changed prompt at both revisions, one pair per sample (or the
//! defaults when neither side has samples), with token counts per message (`tokens`).

use serde::Serialize;
use serde_json::{Map, Value};

use super::File;
use crate::diff::{diff_lines, LineDiff};
use crate::model::{load, Prompt};
use crate::partials::RegistryPartials;
use crate::render::{self, values, Prepared, Rendered, Sources};
use crate::tokens::Counter;

/// One sample (or the defaults) rendered before and after.
#[derive(Debug, Clone, Serialize)]
pub struct RenderPair {
    /// The sample's name; null: the inputs' defaults alone.
    pub sample: Option<String>,
    /// Null where the prompt does not exist on that side.
    pub old: Option<RenderSide>,
    pub new: Option<RenderSide>,
    /// True when the two rendered texts differ (or only one side rendered).
    pub changed: bool,
    /// The line diff of the two texts, when both rendered and they differ.
    pub diff: Option<LineDiff>,
}

/// One side's rendering.
#[derive(Debug, Clone, Serialize)]
pub struct RenderSide {
    /// Where the values came from: `sample` (this side's sample), `other_side_sample` (the
    /// sample exists only on the other side: its values that this side declares), `defaults`.
    pub values: &'static str,
    /// The rendered text, as `prompt render` prints it (`[role]` blocks for a chat prompt).
    pub text: Option<String>,
    /// Why it could not be rendered (a side that does not parse, a missing value, …).
    pub error: Option<String>,
    pub tokens: Option<Tokens>,
}

/// Token counts of one rendering (module `tokens`: message content text, no chat framing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tokens {
    /// `provider/name` of the side's model, when it names one.
    pub model: Option<String>,
    pub encoding: &'static str,
    /// True for an OpenAI model with a published encoding; false: an estimate.
    pub exact: bool,
    /// Per message, in order (a text prompt has one, role `text`).
    pub messages: Vec<MessageTokens>,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageTokens {
    pub index: usize,
    pub role: String,
    pub tokens: usize,
}

/// A side to render: its file, the prompt when it parsed, the partials at its revision.
pub(super) type SideInput<'a, 'r> = (&'a File, Option<&'a Prompt>, &'a RegistryPartials<'r>);

/// The render pairs of a prompt: one per sample of either side (the head's first), or one with
/// the defaults when neither has samples.
pub(super) fn pairs(old: Option<SideInput>, new: Option<SideInput>) -> Vec<RenderPair> {
    let samples_of = |s: &Option<SideInput>| -> Vec<String> {
        s.and_then(|(_, p, _)| p)
            .map(|p| p.samples.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut names: Vec<Option<String>> = Vec::new();
    for name in samples_of(&new).into_iter().chain(samples_of(&old)) {
        if !names.contains(&Some(name.clone())) {
            names.push(Some(name));
        }
    }
    if names.is_empty() {
        names.push(None);
    }
    let (old_prompt, new_prompt) = (old.and_then(|(_, p, _)| p), new.and_then(|(_, p, _)| p));
    names
        .into_iter()
        .map(|sample| {
            let a = old.map(|s| side(s, sample.as_deref(), new_prompt));
            let b = new.map(|s| side(s, sample.as_deref(), old_prompt));
            let (ta, tb) = (
                a.as_ref().and_then(|s| s.text.as_deref()),
                b.as_ref().and_then(|s| s.text.as_deref()),
            );
            let changed = ta != tb || a.is_none() != b.is_none();
            let diff = match (ta, tb) {
                (Some(x), Some(y)) if x != y => Some(diff_lines(x, y)),
                _ => None,
            };
            RenderPair {
                sample,
                old: a,
                new: b,
                changed,
                diff,
            }
        })
        .collect()
}

fn side(input: SideInput, sample: Option<&str>, other: Option<&Prompt>) -> RenderSide {
    let (file, prompt, partials) = input;
    let failed = |values, error: String| RenderSide {
        values,
        text: None,
        error: Some(error),
        tokens: None,
    };
    let Some(prompt) = prompt else {
        let why = match &file.skipped {
            Some(why) => why.clone(),
            None => match load::parse_bytes(&file.bytes) {
                Err(e) => format!(
                    "the prompt does not parse (line {}, column {}): {}",
                    e.at.line,
                    e.at.column,
                    e.message.lines().next().unwrap_or_default()
                ),
                Ok(_) => "the prompt does not parse".into(),
            },
        };
        return failed("defaults", why);
    };
    let own = sample.filter(|s| prompt.samples.contains_key(*s));
    let borrowed = match (own, sample, other) {
        (None, Some(s), Some(o)) => o.samples.get(s),
        _ => None,
    };
    let (label, collected) = match (own, borrowed) {
        (Some(s), _) => (
            "sample",
            values::collect(
                prompt,
                &Sources {
                    sample: Some(s.to_string()),
                    ..Sources::default()
                },
            ),
        ),
        (None, Some(set)) => {
            // Only the values this side declares, as `diff --rendered` does.
            let last: Map<String, Value> = set
                .iter()
                .filter(|(k, _)| prompt.inputs.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (
                "other_side_sample",
                values::collect_with(prompt, &Sources::default(), last),
            )
        }
        (None, None) => ("defaults", values::collect(prompt, &Sources::default())),
    };
    let rendered = collected.and_then(|values| {
        let prepared = Prepared::new(prompt, partials, false)?;
        prepared.render(values)
    });
    match rendered {
        Ok(r) => RenderSide {
            values: label,
            text: Some(render::to_text(&r)),
            error: None,
            tokens: Some(tokens(prompt, &r)),
        },
        Err(e) if label == "defaults" => {
            failed(label, format!("with the inputs' defaults (no sample): {e}"))
        }
        Err(e) => failed(label, e.to_string()),
    }
}

/// Token counts of a rendering, with the counter for the prompt's model.
pub fn tokens(prompt: &Prompt, rendered: &Rendered) -> Tokens {
    let model = prompt.model.as_ref();
    let counter = Counter::for_model(
        model.map(|m| m.provider.as_str()),
        model.map(|m| m.name.as_str()),
    );
    let messages: Vec<MessageTokens> = match rendered {
        Rendered::Text(t) => vec![MessageTokens {
            index: 0,
            role: "text".into(),
            tokens: counter.count(t),
        }],
        Rendered::Chat(list) => list
            .iter()
            .enumerate()
            .map(|(index, m)| MessageTokens {
                index,
                role: m.role.as_str().to_string(),
                tokens: counter.count(&m.content.text()),
            })
            .collect(),
    };
    Tokens {
        model: model.map(|m| format!("{}/{}", m.provider, m.name)),
        encoding: counter.encoding.as_str(),
        exact: counter.exact,
        total: messages.iter().map(|m| m.tokens).sum(),
        messages,
    }
}
