//! `prompt`: a Git-backed prompt registry.
//!
//! This crate is the library; the command line is the `prompt` binary (`src/bin/prompt/`, behind the
//! default `cli` feature), and the library builds without it (no clap, no terminal crates). Data
//! flows one way. The binary parses arguments, calls the library and prints. The registry
//! (`store`, the only module that uses git2) finds the repository, reads prompt files in the working
//! tree or at any revision, walks versions, moves environment tags and commits. `model` turns bytes
//! into checked `Prompt`s (and writes canonical YAML back); `template` parses and renders template
//! text; `partials` serves other prompts' templates at the same revision; `check` turns prompts into
//! diagnostics (for `check` and `commit`); `render` fills a prompt with values and shapes provider
//! request bodies; `diff` compares two prompts for reviewers; `interchange` maps prompts to and
//! from hosted registries (Phoenix, LangWatch, Freeplay, Bifrost, Langfuse) and other tools'
//! prompt files (dotprompt, Prompty), and writes bundles; `testing` runs the tests kept in prompt
//! files against recorded or live model answers (`prompt test`). `ops` sits on top of them all: one
//! function per step a command takes (checking files at a revision and `--against` another,
//! working out and running a `diff`, reading `--var`/`--vars` values), so that commands only
//! parse, call and print, and what two commands share is in the library.
//!
//! `docs/ARCHITECTURE.md` draws the layers (who may import whom), the error types of each layer
//! and the path of `render`, `commit`, `log` and `diff` through these modules; `docs/contract.md`
//! is the product contract that comments cite as "contract §N".

pub mod check;
pub mod diff;
pub mod error;
pub mod interchange;
// `prompt lsp` (contract §16), behind the `lsp` feature (on with `cli`).
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod ops;
pub mod partials;
pub mod render;
// issue 28: `prompt serve`, behind the `serve` feature (tokio, axum)
#[cfg(feature = "serve")]
pub mod serve;
pub mod store;
pub mod template;
// `prompt test` (issue 29): tests in prompt files, recordings, the model transport.
pub mod testing;
// Issue 30 (review, blame): token counts of rendered prompts.
pub mod tokens;

pub use error::{Error, Result};
