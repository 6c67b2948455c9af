//! The commands a client runs through `workspace/executeCommand` on the editor's unsaved text:
//! render the prompt (`prompt.render`) and diff it against an environment (`prompt.diff`).
//! Each returns what the command line prints for the same file: `prompt render ID [--sample S]
//! -f FORMAT` and `prompt diff ID@ENV ID` (plain text, as on a pipe), so an editor can show it
//! in a new document.

use serde_json::Value;

use crate::diff::format::{self, Plain};
use crate::model::{load, PromptId, Reference};
use crate::render::{self, values, Prepared, RenderFormat, Sources};
use crate::store::{Registry, Resolved, Rev};

use super::workspace::{Overlay, Place};

/// The command names, as listed in the initialize result.
pub const RENDER: &str = "prompt.render";
pub const DIFF: &str = "prompt.diff";
pub const ALL: [&str; 2] = [RENDER, DIFF];

/// A render format by its `--format` name.
pub fn format_named(name: &str) -> Option<RenderFormat> {
    RenderFormat::named(name)
}

/// What a render gives: the output as `prompt render` prints it, and the warnings it prints on
/// stderr (what the format could not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOutput {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Renders the prompt `text` with its sample `sample` (or its defaults alone) in `format`,
/// partials from `overlay`.
pub fn render(
    text: &str,
    sample: Option<&str>,
    format: RenderFormat,
    overlay: &Overlay,
) -> Result<RenderOutput, String> {
    let loaded = load::parse_bytes(text.as_bytes())
        .map_err(|e| format!("line {}, column {}: {}", e.at.line, e.at.column, e.message))?;
    let prompt = &loaded.prompt;
    let prepared = Prepared::new(prompt, overlay, false).map_err(|e| e.to_string())?;
    let sources = Sources {
        sample: sample.map(str::to_string),
        layers: Vec::new(),
        lenient: false,
    };
    let values = values::collect(prompt, &sources).map_err(|e| e.to_string())?;
    let rendered = prepared.render(values).map_err(|e| e.to_string())?;
    let (out, warnings) = render::output(prompt, &rendered, format).map_err(|e| e.to_string())?;
    let text = match out {
        Value::String(text) => text,
        other => {
            let mut json = serde_json::to_string_pretty(&other).map_err(|e| e.to_string())?;
            json.push('\n');
            json
        }
    };
    Ok(RenderOutput { text, warnings })
}

/// The diff of the prompt at `env` (an environment, `@ENV`, or any other reference suffix:
/// `3`, `latest`, a revision) against the unsaved `text`, as `prompt diff ID@ENV ID` prints it;
/// empty when they are the same.
pub fn diff(reg: &Registry, place: &Place, text: &str, env: &str) -> Result<String, String> {
    let id: &PromptId = place
        .id
        .as_ref()
        .ok_or_else(|| format!("{} is not a prompt file of the registry", place.rel))?;
    let env = env.strip_prefix('@').unwrap_or(env);
    let old = Reference::parse(&format!("{id}@{env}")).map_err(|e| e.to_string())?;
    let new = Reference::working(id.clone());
    let a = reg.resolve(&old).map_err(|e| e.to_string())?;
    let b = Resolved {
        id: id.clone(),
        rev: Rev::WorkingTree,
        version: None,
        env: None,
        path: place.rel.clone(),
        bytes: text.as_bytes().to_vec(),
    };
    let report = crate::ops::diff::resolved(reg, &old, &new, Some(a), Some(b), None)
        .map_err(|e| e.to_string())?;
    if report.prompts.is_empty() {
        return Ok(String::new());
    }
    Ok(crate::model::controls::escape_text(&format::to_text(&report, &Plain)).into_owned())
}
