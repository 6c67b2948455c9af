//! Work over many prompt files on every core.
//!
//! Reading and parsing one prompt file does not depend on any other, so `check` and `list` of a
//! large registry split their files into one contiguous run per core. A `Registry` is not shared
//! between threads (libgit2's repository handle is not `Sync`): each extra thread opens the
//! repository once more and reads through its own handle. `alongside_each` runs a job beside
//! such work: a cold `list` walks the history on one handle while its files are parsed on the
//! others, then helps with the files that are left.

use git2::Repository;

use super::open::open_error;
use super::{Error, Registry};

/// Below this many items per thread one thread does all the work: starting a thread and opening
/// the repository again costs more than it saves.
const MIN_PER_THREAD: usize = 256;

impl Registry {
    /// The same repository opened once more, for another thread.
    fn reopen(&self) -> Result<Registry, Error> {
        // By its git folder, with the same working tree: one named by `GIT_WORK_TREE` or
        // `core.worktree` has no `.git` to open it by. A repository git trusts where libgit2
        // would not (`open::discover`) opens the same folders again.
        let at = self.repo.path();
        let repo = match Repository::open(at) {
            Err(e) if e.code() == git2::ErrorCode::Owner => {
                Repository::open_bare(at).map_err(|e| open_error(at, e))?
            }
            other => other.map_err(|e| open_error(at, e))?,
        };
        if let Some(w) = self.repo.workdir() {
            if repo.workdir() != Some(w) {
                repo.set_workdir(w, false).map_err(|e| open_error(w, e))?;
            }
        }
        Ok(Registry {
            repo,
            config: self.config.clone(),
            plain_folders: self.plain_folders.clone(),
            conversions: self.conversions.clone(),
        })
    }

    /// `first` on this handle while `work` is applied to each of `items` on the other cores; when
    /// `first` is done, this thread takes its share of what is left. Results in the order of
    /// `items`. A cold `list` walks the history here while its files are read and parsed
    /// elsewhere: the two halves are independent, and neither is known to be the longer one
    /// (the walk grows with commits, the parse with prompts), so the files are handed out in
    /// small batches to whichever thread is free rather than split in advance. Starting a thread
    /// and opening the repository again costs about as much as a small read, so callers use it
    /// for large jobs.
    pub fn alongside_each<A, T, R, F, W>(
        &self,
        first: F,
        items: &[T],
        work: W,
    ) -> Result<(A, Vec<R>), Error>
    where
        F: FnOnce(&Registry) -> A,
        T: Sync,
        R: Send,
        W: Fn(&Registry, &T) -> R + Sync,
    {
        /// Items a thread takes at a time: few enough to even out, many enough that taking them
        /// costs nothing.
        const BATCH: usize = 64;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let take = |reg: &Registry| {
            let mut done = Vec::new();
            loop {
                let start = next.fetch_add(BATCH, std::sync::atomic::Ordering::Relaxed);
                if start >= items.len() {
                    return done;
                }
                let batch = &items[start..items.len().min(start + BATCH)];
                done.push((
                    start,
                    batch.iter().map(|item| work(reg, item)).collect::<Vec<R>>(),
                ));
            }
        };
        let helpers = vec![(); cores.saturating_sub(1).max(1)];
        let ((a, mut batches), theirs) =
            self.beside(helpers, &|reg, ()| take(reg), || (first(self), take(self)))?;
        batches.extend(theirs.into_iter().flatten());
        batches.sort_unstable_by_key(|(start, _)| *start);
        Ok((a, batches.into_iter().flat_map(|(_, out)| out).collect()))
    }

    /// Whether a job over `items` is large enough to be worth more than one thread.
    pub fn worth_threads(items: usize) -> bool {
        items >= MIN_PER_THREAD
    }

    /// `work` applied to contiguous runs of `items`, one run per available core (a single run on
    /// this thread when there are few items), the results concatenated in the order of `items`.
    /// `work` gets the run's registry handle, so it can keep per-run state such as a cache.
    pub fn map_runs<T, R, W>(&self, items: &[T], work: W) -> Result<Vec<R>, Error>
    where
        T: Sync,
        R: Send,
        W: Fn(&Registry, &[T]) -> Vec<R> + Sync,
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.min(items.len() / MIN_PER_THREAD).max(1);
        if threads == 1 {
            return Ok(work(self, items));
        }
        let mut runs = items.chunks(items.len().div_ceil(threads));
        let first = runs.next().unwrap_or_default();
        let (mut out, theirs) = self.beside(runs.collect(), &|reg, run| work(reg, run), || {
            work(self, first)
        })?;
        out.extend(theirs.into_iter().flatten());
        Ok(out)
    }

    /// `job` on each of `parts`, each in a thread of its own with a handle of its own, while
    /// `here` runs on this thread; `here`'s result and the parts' results in their order. A panic
    /// in any thread is raised again here.
    fn beside<P, R, H, J>(
        &self,
        parts: Vec<P>,
        job: &J,
        here: impl FnOnce() -> H,
    ) -> Result<(H, Vec<R>), Error>
    where
        P: Send,
        R: Send,
        J: Fn(&Registry, P) -> R + Sync,
    {
        let others = parts
            .into_iter()
            .map(|part| Ok((part, self.reopen()?)))
            .collect::<Result<Vec<_>, Error>>()?;
        std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .into_iter()
                .map(|(part, registry)| {
                    scope.spawn(move || {
                        let out = job(&registry, part);
                        // Like the main handle, never torn down: the exit frees it.
                        std::mem::forget(registry);
                        out
                    })
                })
                .collect();
            let mine = here();
            let theirs = handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect();
            Ok((mine, theirs))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_items() {
        let dir = tempfile::tempdir().unwrap();
        super::super::init(dir.path()).unwrap();
        let reg = Registry::open(dir.path()).unwrap();
        let items: Vec<usize> = (0..1_000).collect();
        // Uneven work, so that batches finish out of order.
        let work = |_: &Registry, n: &usize| {
            if n % 97 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            n * 2
        };
        let (first, each) = reg.alongside_each(|_| "walked", &items, work).unwrap();
        assert_eq!(first, "walked");
        assert_eq!(each, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        let runs = reg
            .map_runs(&items, |reg, run| {
                run.iter().map(|n| work(reg, n)).collect()
            })
            .unwrap();
        assert_eq!(runs, each);
        assert!(reg
            .map_runs(&[] as &[usize], |_, run| run.to_vec())
            .unwrap()
            .is_empty());
    }
}
