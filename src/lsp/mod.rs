//! `prompt lsp` (contract §16): a Language Server Protocol 3.17 server over stdio, on the same
//! code as `check` and `render`, so that the editor says what CI will say.
//!
//! rust-analyzer's crates do the protocol: `lsp-server` reads and writes the framed JSON-RPC
//! messages, `lsp-types` gives their types. The rest is this module:
//!
//! | file | what it owns |
//! |---|---|
//! | `server.rs` | the threads and the main loop: the initialize handshake, dispatch, shutdown |
//! | `worker.rs` | the diagnostics worker: debounced checks of changed documents and their includers |
//! | `documents.rs` | the open documents and their unsaved text (full and incremental changes) |
//! | `text.rs` | protocol positions (UTF-16 or negotiated UTF-8) and `file:` URIs |
//! | `workspace.rs` | which registry a file is in; partials from the open buffers over the working tree |
//! | `diagnostics.rs` | `check`'s diagnostics of a buffer, in the protocol's form |
//! | `analysis.rs` | template texts and where they sit in the file; the names inside tags |
//! | `navigate.rs` | hover, go to definition, references |
//! | `complete.rs` | completion |
//! | `commands.rs` | `workspace/executeCommand`: render, diff against an environment |
//!
//! Reads only: the server never writes a file or a git object.

mod analysis;
pub mod commands;
mod complete;
mod diagnostics;
mod documents;
mod navigate;
mod server;
pub mod text;
mod worker;
mod workspace;

pub use server::{run, Log};
