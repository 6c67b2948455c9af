//! The `prompt` binary: all of it lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    prompt_registry::cli::main()
}
