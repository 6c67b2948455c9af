//! Interruptions (SIGINT, SIGTERM) during a write: before its commit point a write changes nothing
//! and removes every lock file it holds; after it, the write is finished and the command exits 0
//! (contract §12 "An interrupted write either completed (and exits 0 saying so) or changed
//! nothing").
//!
//! Cancellation is cooperative. A write runs inside a `Section`; a signal during one only sets a
//! flag, and the write stops at its next safe point (`check`, a lock wait, the commit point) with
//! `Error::Interrupted`, which unwinds through its rollbacks (a moved file put back, a removed
//! file written again) and the `Drop`s that remove its lock and temporary files; the command then
//! exits 130. Outside any section nothing is half done, and the handler's caller may exit at once.
//! A second signal before the commit point is the user insisting: the files this process holds
//! are removed and it exits at once.
//!
//! The commit point is the reference update that makes a write visible (the branch moving, a tag
//! being created). It runs under the same mutex the signal handler takes, so a signal is handled
//! either wholly before it (nothing changed: exit 130) or wholly after it (deferred: the command
//! completes). The CLI installs the handler and calls `interrupt`; this module never exits.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::Error;

#[derive(Default)]
struct State {
    /// Lock and temporary files this process created and must remove if it stops early.
    held: Vec<PathBuf>,
    /// Writes under way (`Section`s alive).
    sections: usize,
    /// A commit point was passed: the write must be finished.
    committed: bool,
    /// A signal arrived before any commit point: writes stop at their next safe point.
    stopping: bool,
    /// A signal arrived after a commit point and waits for the command to finish.
    deferred: bool,
    /// The handler's caller is exiting the process (`Signal::ExitNow`).
    exiting: bool,
}

static STATE: Mutex<State> = Mutex::new(State {
    held: Vec::new(),
    sections: 0,
    committed: false,
    stopping: false,
    deferred: false,
    exiting: false,
});

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A write under way: while one is alive a signal asks it to stop at a safe point instead of
/// ending the process.
pub(super) struct Section(());

impl Drop for Section {
    fn drop(&mut self) {
        let mut s = state();
        s.sections = s.sections.saturating_sub(1);
    }
}

/// Starts a write; `Error::Interrupted` when a signal already asked the process to stop.
pub(super) fn section() -> Result<Section, Error> {
    let mut s = state();
    if s.stopping {
        return Err(Error::Interrupted);
    }
    s.sections += 1;
    Ok(Section(()))
}

/// A safe point: `Error::Interrupted` when a signal asked the write to stop.
pub(super) fn check() -> Result<(), Error> {
    if state().stopping {
        return Err(Error::Interrupted);
    }
    Ok(())
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
/// waits until it is done; `None` when the process is already stopping.
pub(super) fn guarded<T>(write: impl FnOnce(&mut Vec<PathBuf>) -> T) -> Option<T> {
    let mut s = state();
    if s.stopping {
        return None;
    }
    Some(write(&mut s.held))
}

/// Forgets a file recorded by `hold` (it was removed or renamed into place).
pub(super) fn release(path: &Path) {
    state().held.retain(|p| p != path);
}

/// Removes a file recorded by `hold`, if it is still recorded: once the handler has removed it
/// (a second signal), another process may have created a file of that name, such as its own
/// `index.lock`, and removing it by path again would delete theirs.
pub(super) fn remove_held(path: &Path) {
    let mut s = state();
    if let Some(i) = s.held.iter().position(|p| p == path) {
        let _ = std::fs::remove_file(path);
        s.held.swap_remove(i);
    }
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

/// Writes a file whole or not at all, for files outside git's care (`prompt test`'s
/// recordings): a temporary file beside it, held so that an interruption removes it, renamed into
/// place under the same lock the signal handler takes. The parent folders are created.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let created = hold(tmp.clone(), || std::fs::write(&tmp, bytes)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(&tmp, e)
    })?;
    if !created {
        return Err(Error::Interrupted);
    }
    let renamed = guarded(|held| {
        let result = std::fs::rename(&tmp, path);
        held.retain(|p| p != &tmp);
        result
    });
    match renamed {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::io(path, e))
        }
        None => Err(Error::Interrupted),
    }
}

/// What the signal handler's caller does with a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Nothing is under way, or the user insisted (a second signal): the files this process
    /// held are removed; exit 130 now.
    ExitNow,
    /// A write was asked to stop at its next safe point: it unwinds and the command exits 130.
    Stopping,
    /// A commit point was passed: the command finishes its write and exits 0, saying so.
    Deferred,
}

/// Called by the signal handler; see `Signal`.
pub fn interrupt() -> Signal {
    let mut s = state();
    if s.committed {
        s.deferred = true;
        return Signal::Deferred;
    }
    if s.sections > 0 && !s.stopping {
        s.stopping = true;
        return Signal::Stopping;
    }
    s.stopping = true;
    s.exiting = true;
    for path in s.held.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    Signal::ExitNow
}

/// Whether the signal handler is exiting the process (nothing was under way, or a second
/// signal): the command's own outcome no longer matters.
pub fn exiting() -> bool {
    state().exiting
}

/// Whether a signal asked the process to stop before any commit point.
pub fn stopping() -> bool {
    state().stopping
}

/// Whether a signal arrived after a commit point (the command finished the write anyway).
pub fn interrupted_after_commit() -> bool {
    state().deferred
}

/// A pause at a named point, for tests that interrupt or kill a command there
/// (`PROMPT_FAILPOINT=NAME[:MS]`, debug builds only; once per process). When the pause starts,
/// the file `PROMPT_FAILPOINT_READY` names (if any) is created, so that a test signals the
/// command once it is there rather than after a guessed delay. The pause ends early once a
/// signal was deferred or asked the write to stop.
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
    if let Some(ready) = std::env::var_os("PROMPT_FAILPOINT_READY") {
        let _ = std::fs::write(ready, name);
    }
    for _ in 0..ms.div_ceil(5) {
        if interrupted_after_commit() || stopping() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[cfg(not(debug_assertions))]
pub(super) fn failpoint(_: &str) {}
