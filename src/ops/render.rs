//! One render of one prompt, as `prompt render` does it and `prompt serve` answers it
//! (contract §9, §13): the same steps and the same bytes, wherever the prompt comes from.

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::Prompt;
use crate::partials::PartialSource;
use crate::render::{self, values, Given, Prepared, RenderError, RenderFormat, Sources};
use crate::template::PartialResolver;

/// What to render with.
#[derive(Debug, Clone)]
pub struct Request {
    pub sample: Option<String>,
    /// Lowest precedence first (a `--vars` file, then `--var` flags).
    pub layers: Vec<IndexMap<String, Given>>,
    pub lenient: bool,
    pub format: RenderFormat,
}

/// A render's output: text printed as is, or a JSON document.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Text(String),
    Json(Value),
}

impl Output {
    /// The bytes `prompt render` prints for it: text byte for byte, JSON pretty-printed with a
    /// final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Output::Text(t) => t.as_bytes().to_vec(),
            Output::Json(v) => {
                let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
                out.push(b'\n');
                out
            }
        }
    }
}

/// A render that failed: the error, and the closest existing prompt when a partial is missing.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error: Box<RenderError>,
    /// `did you mean` for a missing partial.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.suggestion {
            Some(close) => write!(f, "{} (did you mean `{close}`?)", self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

impl From<RenderError> for Failure {
    fn from(error: RenderError) -> Failure {
        Failure {
            error: Box::new(error),
            suggestion: None,
        }
    }
}

/// Renders `prompt` with `request`; the warnings name what the format could not hold.
pub fn render_once(
    prompt: &Prompt,
    source: &dyn PartialSource,
    resolver: &dyn PartialResolver,
    request: &Request,
) -> Result<(Output, Vec<String>), Failure> {
    let prepared = Prepared::new(prompt, resolver, request.lenient)?;
    let sources = Sources {
        sample: request.sample.clone(),
        layers: request.layers.clone(),
        lenient: request.lenient,
    };
    let values = values::collect(prompt, &sources)?;
    let rendered = prepared
        .render(values)
        .map_err(|e| with_suggestion(e, source))?;
    let (out, warnings) = render::output(prompt, &rendered, request.format)?;
    Ok((
        match out {
            Value::String(text) => Output::Text(text),
            other => Output::Json(other),
        },
        warnings,
    ))
}

/// A missing partial's error with the closest prompt that exists beside it, as `check` names
/// it: `missing partial `shared/tonee` … (did you mean `shared/tone`?)`.
pub fn with_suggestion(error: RenderError, source: &dyn PartialSource) -> Failure {
    let suggestion = match &error {
        RenderError::Template {
            error: crate::template::RenderError::MissingPartial { name, .. },
            ..
        } => source.similar(name.as_str()).into_iter().next(),
        _ => None,
    };
    Failure {
        error: Box::new(error),
        suggestion,
    }
}
