//! The prompt file format (contract §3), ids and environment names (contract §2).
//!
//! Pure data: nothing here touches the filesystem or git. `load` turns file bytes into a checked
//! `Prompt` with positions and writes canonical YAML back.

pub mod controls;
pub mod emit;
mod events;
pub mod id;
pub mod includes;
pub mod infer;
pub mod load;
mod load_error;
pub mod nesting;
pub mod params;
pub mod prompt;
pub mod reference;
pub mod schema;
mod spans;
pub mod test_case;

pub use id::{EnvName, PromptId};
pub use load::{LoadError, Loaded, SpanIndex};
pub use prompt::*;
pub use reference::{Reference, Selector};
pub use test_case::{Check, CheckKind, TestCase};

/// The extension of prompt files; the id is the path below the root without it.
pub const PROMPT_EXT: &str = ".prompt.yaml";
