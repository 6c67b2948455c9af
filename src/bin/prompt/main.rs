//! The `prompt` binary: the command line over the `prompt_registry` library.
// The C runtime calls `main` below directly, skipping Rust's start-up (see there).
#![cfg_attr(all(unix, not(test)), no_main)]

mod cli;
#[cfg(test)]
mod man;

/// The process's entry point, called by the C runtime with Rust's standard library usable as it
/// is (on Linux it finds the arguments and the environment by itself).
///
/// Rust's own start-up would also find the main thread's stack bounds to report a stack overflow
/// by name: glibc reads and parses `/proc/self/maps` for them, and an alternate signal stack is
/// mapped. That was a twentieth of a short read's instructions, plus the system calls, for a
/// message in place of a plain crash on an overflow that depth limits prevent. The rest of it is
/// done here: standard streams that were closed are opened on /dev/null (so that no file the
/// command opens becomes its output), SIGPIPE is ignored (a closed pipe is a write error, as in
/// any Rust program), a panic exits with 101, and `process::exit` flushes stdout.
#[cfg(all(unix, not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    // SAFETY: called once, before any other thread exists; `poll`, `open` and `signal` are given
    // valid arguments.
    unsafe {
        let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        });
        if libc::poll(fds.as_mut_ptr(), 3, 0) > 0 {
            for fd in fds.iter().filter(|p| p.revents & libc::POLLNVAL != 0) {
                if libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) != fd.fd {
                    libc::abort();
                }
            }
        }
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    match std::panic::catch_unwind(cli::main) {
        Ok(code) => std::process::exit(code.into()),
        Err(_) => std::process::exit(101),
    }
}

/// Elsewhere than on Unix, Rust's own start-up runs first. Under `cargo test` the test harness is
/// the entry point, and this `main` only keeps the command line reachable for the compiler's
/// checks.
#[cfg(any(not(unix), test))]
fn main() {
    std::process::exit(cli::main().into());
}
