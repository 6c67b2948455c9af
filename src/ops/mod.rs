//! Operations: what a command does, as library functions (cargo's `ops`).
//!
//! Each function here joins the lower layers (`store`, `model`, `check`, `diff`, `render`) into
//! one step a command takes, so that a command only parses its arguments, calls one of these and
//! prints the result, and what two commands share is here rather than in one of them.
//!
//! - [`check`]: diagnostics of prompt files at a revision, and breaking changes against another
//!   reference (`check`, `check --against`, `commit`).
//! - [`commit`]: which changed prompts a commit takes, whether they pass the checks, and what
//!   each became (`commit`).
//! - [`values`]: `--var NAME=VALUE` and `--vars FILE` as layers of values (`render`, `diff
//!   --rendered`).
//! - [`diff`]: what a `diff` command line compares (two references, a range, the pending
//!   changes) and the report that compares it.
//!
//! - [`review`] and [`blame`]: the pull-request report of a range, and the commit that last
//!   changed each part of a prompt (issue 30).
//!
//! Operations sit at the top of the library: they may use every other module, and no other
//! module uses them.

pub mod check;
pub mod commit;
pub mod diff;
// issue 28: one render for the CLI and `prompt serve`, from the registry or a bundle
pub mod render;
pub mod show;
pub mod source;
pub mod values;

// Issue 30: the pull-request report and who changed each part of a prompt.
pub mod blame;
pub mod review;

#[cfg(test)]
pub(crate) mod testing;
