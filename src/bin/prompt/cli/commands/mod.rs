//! One module per command: an `Args` struct whose doc comments are the `--help` text, and `run`.

pub mod bundle;
// Issue 30.
pub mod blame;
pub mod check;
pub mod commit;
pub mod completions;
pub mod cp;
pub mod diff;
pub mod env;
pub mod export;
pub mod import;
pub mod init;
pub mod list;
pub mod log;
// Issue 31.
pub mod lsp;
pub mod mv;
pub mod new;
pub mod promote;
pub mod render;
pub mod review;
pub mod rm;
pub mod schema;
// issue 28
pub mod serve;
pub mod show;
pub mod sync;
// `prompt test` (issue 29).
pub mod test;
