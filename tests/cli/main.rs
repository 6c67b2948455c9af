//! Integration tests: the real `prompt` binary against real git repositories in temp folders.
//!
//! One test binary (faster to build, one place for helpers); a module per command.

mod common;

mod cache;
mod check;
mod commit;
mod completions;
mod daily;
mod daily_two;
mod diff;
mod docs;
mod env;
mod exit_codes;
mod fidelity;
mod files;
mod git_agree;
mod git_layouts;
mod hostile;
mod hostile_git;
mod init_new;
// Contract §3: JSON Schemas of object and array inputs.
mod input_schema;
mod interactive;
mod interchange;
mod interchange_files;
mod log;
// Issue 31.
mod lsp;
mod many;
mod merges;
mod merges_model;
// `prompt test` (issue 29) and its mock model API.
mod mock_llm;
mod output_files;
mod prompt_test;
mod reliability;
mod render;
mod sarif;
mod schema;
mod show_list;
mod signals;
#[cfg(unix)]
mod startup;
mod templates;
mod tooling;
mod topology;
mod writes;

// Issue 30: review, blame and the GitHub Action.
mod action;
mod blame;
mod review;

// issue 28: bundles, render --bundle, prompt serve
mod bundle_render;
mod serve;
mod serve_client;
