//! The `prompt` binary: the command line over the `prompt_registry` library.

mod cli;
#[cfg(test)]
mod man;

/// Rust's own start-up runs first, on every platform: it hands std the command line (glibc's
/// `.init_array` does that for a C `main` too, but musl and the BSDs have nothing like it, so
/// a `#![no_main]` binary saw an empty command line there), names the main thread, reopens
/// closed standard streams on /dev/null, ignores SIGPIPE and reports a stack overflow by name
/// instead of a bare SIGSEGV. Entering at the C `main` saved 4.5 % of a short read's
/// instructions on glibc; see docs/decisions.md for why that is not worth a second entry point.
fn main() {
    // `process::exit` flushes stdout; a panic unwinds (dropping lock files) and exits with 101.
    std::process::exit(cli::main().into());
}
