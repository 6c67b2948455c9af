//! The `prompt` binary: the command line over the `prompt_registry` library.

mod cli;
#[cfg(test)]
mod man;

fn main() -> std::process::ExitCode {
    cli::main()
}
