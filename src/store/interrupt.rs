//! Interruptions (SIGINT, SIGTERM) during a write: before its commit point a write changes nothing
//! and removes every lock file it holds; after it, the write is finished and the command exits 0
//! (contract §12 "An interrupted write either completed (and exits 0 saying so) or changed
//! nothing").
//!
//! The commit point is the reference update that makes a write visible (the branch moving, a tag
//! being created). It runs under the same mutex the signal handler takes, so a signal is handled
//! either wholly before it (nothing changed: exit 130) or wholly after it (deferred: the command
//! completes). The CLI installs the handler and calls `interrupt`; this module never exits.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct State {
    /// Lock and temporary files this process created and must remove if it stops early.
    held: Vec<PathBuf>,
    /// A commit point was passed: the write must be finished.
    committed: bool,
    /// A signal arrived before any commit point: the process is exiting.
    stopping: bool,
    /// A signal arrived after a commit point and waits for the command to finish.
    deferred: bool,
}

static STATE: Mutex<State> = Mutex::new(State {
    held: Vec::new(),
    committed: false,
    stopping: false,
    deferred: false,
});

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Records a file to remove if the process is interrupted before its commit point. Returns
/// `false` (and records nothing) when the process is already stopping.
pub(super) fn hold(
    path: PathBuf,
    create: impl FnOnce() -> std::io::Result<()>,
) -> std::io::Result<bool> {
    let mut s = state();
    if s.stopping {
        return Ok(false);
    }
    create()?;
    s.held.push(path);
    Ok(true)
}

/// Runs `write`, which creates files it records in the list it is given, so that an interruption
/// waits until it is done and then removes them; `None` when the process is already stopping.
pub(super) fn guarded<T>(write: impl FnOnce(&mut Vec<PathBuf>) -> T) -> Option<T> {
    let mut s = state();
    if s.stopping {
        return None;
    }
    Some(write(&mut s.held))
}

/// Forgets a file recorded by `hold` (it was removed or renamed into place).
pub(super) fn release(path: &std::path::Path) {
    state().held.retain(|p| p != path);
}

/// Runs `update`, the reference update that makes a write visible, unless the process is
/// stopping (`None`). Once it succeeded, interruptions wait until the command has finished.
pub(super) fn commit_point<T, E>(update: impl FnOnce() -> Result<T, E>) -> Option<Result<T, E>> {
    let mut s = state();
    if s.stopping {
        return None;
    }
    let result = update();
    if result.is_ok() {
        s.committed = true;
    }
    Some(result)
}

/// Called by the signal handler. Before any commit point: removes the files this process holds
/// and returns `true` (the caller exits, having changed nothing). After one: returns `false`, and
/// the command runs to its end.
pub fn interrupt() -> bool {
    let mut s = state();
    if s.committed {
        s.deferred = true;
        return false;
    }
    s.stopping = true;
    for path in s.held.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    true
}

/// Whether a signal stopped the process before any commit point (its handler is exiting with
/// 130): the command's own outcome no longer matters.
pub fn stopping() -> bool {
    state().stopping
}

/// Whether a signal arrived after a commit point (the command finished the write anyway).
pub fn interrupted_after_commit() -> bool {
    state().deferred
}

/// A pause at a named point, for tests that interrupt or kill a command there
/// (`PROMPT_FAILPOINT=NAME[:MS]`, debug builds only; once per process). The pause ends early once
/// a signal was deferred.
#[cfg(debug_assertions)]
pub(super) fn failpoint(name: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    // Once per process: a retried step does not pause again.
    static FIRED: AtomicBool = AtomicBool::new(false);
    let Ok(spec) = std::env::var("PROMPT_FAILPOINT") else {
        return;
    };
    // `NAME` pauses 10 s; `NAME:MS` pauses MS milliseconds.
    let (point, ms) = match spec.split_once(':') {
        Some((point, ms)) => (point, ms.parse().unwrap_or(10_000u64)),
        None => (spec.as_str(), 10_000),
    };
    if point != name || FIRED.swap(true, Ordering::SeqCst) {
        return;
    }
    for _ in 0..ms.div_ceil(25) {
        if interrupted_after_commit() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

#[cfg(not(debug_assertions))]
pub(super) fn failpoint(_: &str) {}
