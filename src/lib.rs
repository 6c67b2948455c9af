//! `prompt`: a Git-backed prompt registry.
//!
//! Data flows one way: the CLI (`cli`) parses arguments and calls the library; the registry
//! (`store`, the only module that uses git2) finds the repository and reads prompt files at a
//! revision; `model` turns bytes into checked `Prompt`s; `template` parses and renders template text;
//! `check` turns prompts into diagnostics (used by `check` and `commit`).

pub mod check;
pub mod cli;
pub mod diff;
pub mod error;
pub mod model;
pub mod partials;
pub mod render;
pub mod store;
pub mod template;

pub use error::{Error, Result};
