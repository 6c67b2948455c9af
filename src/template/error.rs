//! Errors of the template engines: parse errors with a position in the template text, and render
//! errors that name the variable, partial or field a user has to fix.

use std::fmt;

use super::Pos;

/// A template that cannot be parsed: what is wrong and where (the position of the offending tag or
/// field's opening delimiter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, in words a prompt author can act on.
    pub message: String,
    /// Where in the template text the problem starts.
    pub pos: Pos,
}

impl ParseError {
    pub(crate) fn new(pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            pos,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Why a parsed template could not be rendered against a context.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// Strict mode: a name that no context frame provides (for a dotted name, any missing link).
    MissingVariable {
        /// The name as written in the template (`ticket`, `customer.name`, `items[0].id`).
        name: String,
        /// Where the tag or field using it starts.
        pos: Pos,
    },
    /// Strict mode: the resolver has no partial of this name.
    MissingPartial {
        /// The partial name as written after `>`.
        name: String,
        /// Where the partial tag starts.
        pos: Pos,
    },
    /// A partial's own text does not parse; the position is inside the partial.
    PartialSyntax {
        /// The partial's name.
        name: String,
        /// The parse error, positioned in the partial's text.
        error: ParseError,
    },
    /// Partials nested deeper than [`RenderOptions::max_partial_depth`](super::RenderOptions).
    PartialDepth {
        /// The partial whose inclusion went over the limit.
        name: String,
        /// The configured limit.
        limit: usize,
    },
    /// The output grew past [`RenderOptions::max_output_bytes`](super::RenderOptions).
    OutputTooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// Rendering took more than [`RenderOptions::max_steps`](super::RenderOptions) steps, e.g.
    /// nested sections over large lists that produce little output.
    TooManySteps {
        /// The configured limit.
        limit: usize,
    },
    /// f-string: `[n]` on a list that has no element `n` (strict mode).
    IndexOutOfRange {
        /// The field as written, e.g. `items[3]`.
        field: String,
        /// The index asked for.
        index: usize,
        /// How many elements the list has.
        len: usize,
        /// Where the field starts.
        pos: Pos,
    },
    /// f-string: `.name` or `[key]` applied to a value that has no such parts (a string, number,
    /// boolean or null; or a non-numeric index on a list) (strict mode).
    NotIndexable {
        /// The field as written.
        field: String,
        /// The attribute or index that could not be applied.
        segment: String,
        /// What the value is (`a string`, `a list`, …).
        found: &'static str,
        /// Where the field starts.
        pos: Pos,
    },
    /// Jinja2: the engine refused to render (a filter applied to the wrong kind of value, an
    /// include that does not parse, recursion too deep, …), in the engine's words.
    Engine {
        /// What went wrong.
        message: String,
        /// Where, in the prompt's template (line 1, column 1 when the engine does not say).
        pos: Pos,
    },
    /// f-string: the format spec does not apply to the value (e.g. `:d` on a string).
    BadFormat {
        /// The field as written.
        field: String,
        /// What does not fit.
        message: String,
        /// Where the field starts.
        pos: Pos,
    },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::MissingVariable { name, pos } => {
                write!(f, "missing variable `{name}` (used at {pos})")
            }
            RenderError::MissingPartial { name, pos } => {
                write!(f, "missing partial `{name}` (included at {pos})")
            }
            RenderError::PartialSyntax { name, error } => write!(f, "in partial `{name}`: {error}"),
            RenderError::PartialDepth { name, limit } => write!(
                f,
                "partial `{name}` is nested more than {limit} levels deep; a partial that \
                 includes itself needs data that ends the recursion"
            ),
            RenderError::OutputTooLarge { limit } => {
                write!(
                    f,
                    "rendered output is larger than the limit of {limit} bytes"
                )
            }
            RenderError::TooManySteps { limit } => write!(
                f,
                "rendering stopped after {limit} steps; nested sections over large lists?"
            ),
            RenderError::IndexOutOfRange {
                field,
                index,
                len,
                pos,
            } => write!(
                f,
                "index {index} is out of range in `{field}` (used at {pos}): the list has {len} \
                 element{}",
                if *len == 1 { "" } else { "s" }
            ),
            RenderError::NotIndexable {
                field,
                segment,
                found,
                pos,
            } => write!(
                f,
                "cannot apply `{segment}` in `{field}` (used at {pos}): the value there is {found}"
            ),
            RenderError::BadFormat {
                field,
                message,
                pos,
            } => write!(f, "cannot format `{field}` (used at {pos}): {message}"),
            RenderError::Engine { message, pos } => write!(f, "jinja2 at {pos}: {message}"),
        }
    }
}

impl std::error::Error for RenderError {}
