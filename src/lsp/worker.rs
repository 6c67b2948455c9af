//! The diagnostics worker: checks the documents that changed, after a quiet period, on its own
//! thread with its own registries, and publishes `check`'s diagnostics for the version it
//! checked. A change to a prompt re-checks the open prompts that include it (directly or through
//! other prompts); a result for a text that changed or closed meanwhile is dropped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lsp_server::Message;
use lsp_types::Uri;

use crate::partials::{names_in, PartialLookup, PartialSource};

use super::diagnostics;
use super::documents::Documents;
use super::server::{decoded, lock, publish, Log};
use super::text::Encoding;
use super::workspace::{Overlay, Workspaces};

/// What the diagnostics worker is asked.
pub(super) enum Job {
    /// The document's text changed (or it was opened): check it and its open includers.
    Changed(Uri),
    /// Files changed on disk: check every open document again.
    All,
    /// `.prompts.yaml` changed: open the registries again, then check everything.
    Reset,
}

/// The diagnostics worker: its own registries, the shared documents.
pub(super) struct Worker {
    docs: Arc<Mutex<Documents>>,
    out: Sender<Message>,
    log: Log,
    enc: Encoding,
    ws: Workspaces,
    /// The files already logged as not prompt files (said once each).
    told: std::collections::HashSet<Uri>,
}

/// One open document as the worker reads it.
struct Snapshot {
    uri: Uri,
    version: i32,
    text: String,
    path: Option<PathBuf>,
}

impl Worker {
    pub(super) fn new(
        docs: Arc<Mutex<Documents>>,
        out: Sender<Message>,
        log: Log,
        enc: Encoding,
    ) -> Worker {
        Worker {
            docs,
            out,
            log,
            enc,
            ws: Workspaces::default(),
            told: Default::default(),
        }
    }

    pub(super) fn run(mut self, rx: Receiver<Job>, quiet: Duration) {
        while let Ok(first) = rx.recv() {
            let mut changed: Vec<Uri> = Vec::new();
            let mut all = false;
            let mut take = |job: Job, changed: &mut Vec<Uri>, this: &mut Worker| match job {
                Job::Changed(uri) => {
                    if !changed.contains(&uri) {
                        changed.push(uri);
                    }
                }
                Job::All => all = true,
                Job::Reset => {
                    this.ws.reset();
                    all = true;
                }
            };
            take(first, &mut changed, &mut self);
            // The quiet period: more changes arriving keep the batch open, for at most 200 ms.
            let deadline = Instant::now() + Duration::from_millis(200).max(quiet);
            let mut gone = false;
            loop {
                let wait = quiet.min(deadline.saturating_duration_since(Instant::now()));
                match rx.recv_timeout(wait) {
                    Ok(job) => take(job, &mut changed, &mut self),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => {
                        gone = true;
                        break;
                    }
                }
            }
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.check(&changed, all)
            }));
            if done.is_err() {
                self.log.line("checking failed (a bug in prompt lsp)");
            }
            if gone {
                return;
            }
        }
    }

    fn snapshot(&self) -> Vec<Snapshot> {
        lock(&self.docs)
            .all()
            .map(|d| Snapshot {
                uri: d.uri.clone(),
                version: d.version,
                text: d.text.clone(),
                path: d.path.clone(),
            })
            .collect()
    }

    /// Checks the changed documents and the open ones that include them (every open one with
    /// `all`), and publishes their diagnostics.
    fn check(&mut self, changed: &[Uri], all: bool) {
        let docs = self.snapshot();
        let mut targets: Vec<&Snapshot> = docs
            .iter()
            .filter(|d| all || changed.contains(&d.uri))
            .collect();
        if !all {
            // The ids of the changed prompts, by registry.
            let mut changed_ids: Vec<(PathBuf, String)> = Vec::new();
            for d in &targets {
                if let Some((workdir, Some(id))) = self.id_of(d) {
                    changed_ids.push((workdir, id));
                }
            }
            let mut includers = Vec::new();
            for d in docs.iter().filter(|d| !changed.contains(&d.uri)) {
                if self.includes_any(d, &docs, &changed_ids) {
                    includers.push(d);
                }
            }
            targets.extend(includers);
        }
        for d in targets {
            self.publish(d, &docs);
        }
    }

    /// The working tree and id of a document's prompt.
    fn id_of(&mut self, d: &Snapshot) -> Option<(PathBuf, Option<String>)> {
        let (reg, place) = self.ws.place(d.path.as_deref()?)?;
        Some((
            reg.workdir()?.to_path_buf(),
            place.id.map(|i| i.to_string()),
        ))
    }

    /// Whether document `d` includes, directly or through other prompts, one of `ids`.
    fn includes_any(&mut self, d: &Snapshot, docs: &[Snapshot], ids: &[(PathBuf, String)]) -> bool {
        let Some((workdir, _)) = self.id_of(d) else {
            return false;
        };
        let wanted: Vec<&str> = ids
            .iter()
            .filter(|(w, _)| *w == workdir)
            .map(|(_, id)| id.as_str())
            .collect();
        if wanted.is_empty() {
            return false;
        }
        let open = self.open_of(docs, &workdir);
        let Some(path) = d.path.as_deref() else {
            return false;
        };
        let Some((reg, _)) = self.ws.place(path) else {
            return false;
        };
        let overlay = Overlay::new(reg, open);
        let mut queue = crate::model::includes::included_ids(decoded(&d.text).as_bytes());
        let mut seen: Vec<String> = Vec::new();
        while let Some(name) = queue.pop() {
            if wanted.contains(&name.as_str()) {
                return true;
            }
            if seen.contains(&name) || seen.len() > 256 {
                continue;
            }
            if let PartialLookup::Text(t) = overlay.lookup(&name) {
                queue.extend(names_in(&t));
            }
            seen.push(name);
        }
        false
    }

    /// The open prompts of the registry at `workdir`, by id.
    fn open_of(&mut self, docs: &[Snapshot], workdir: &Path) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for d in docs {
            if let Some((w, Some(id))) = self.id_of(d) {
                if w == workdir {
                    out.insert(id, d.text.clone());
                }
            }
        }
        out
    }

    /// Checks one document and publishes its diagnostics, unless it changed or closed since.
    fn publish(&mut self, d: &Snapshot, docs: &[Snapshot]) {
        let diagnostics = match self.id_of(d) {
            Some((workdir, _)) => {
                let open = self.open_of(docs, &workdir);
                let path = d.path.as_deref().expect("a place has a path");
                match self.ws.place(path) {
                    Some((reg, place)) => {
                        let overlay = Overlay::new(reg, open);
                        let found = diagnostics::check(reg, &place, &d.text, &overlay);
                        if place.name.is_none() && self.told.insert(d.uri.clone()) {
                            self.log.line(&format!(
                                "{}: not a prompt file under the registry root, not checked",
                                place.rel
                            ));
                        }
                        diagnostics::to_lsp(&d.text, &found, self.enc)
                    }
                    None => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        let docs = lock(&self.docs);
        match docs.get(&d.uri) {
            Some(now) if now.version == d.version => {
                let _ = self
                    .out
                    .send(publish(d.uri.clone(), Some(d.version), diagnostics));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{registry, write};

    #[test]
    fn a_changed_partial_publishes_itself_and_its_open_includers() {
        let (dir, _reg) = registry();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "head", "format: 1\ntemplate: Hi\n");
        write(&root, "greet", "format: 1\ntemplate: \"{{> head}}\"\n");
        write(&root, "alone", "format: 1\ntemplate: x\n");
        let uri = |id: &str| -> Uri {
            format!("file://{}/prompts/{id}.prompt.yaml", root.display())
                .parse()
                .unwrap()
        };
        let docs = Arc::new(Mutex::new(Documents::default()));
        {
            let mut d = lock(&docs);
            d.open(uri("head"), 1, "format: 1\ntemplate: Hi {{who}}\n".into());
            d.open(
                uri("greet"),
                1,
                "format: 1\ntemplate: \"{{> head}}\"\n".into(),
            );
            d.open(uri("alone"), 1, "format: 1\ntemplate: x\n".into());
        }
        let (out_tx, out_rx) = std::sync::mpsc::channel();
        let (jobs, rx) = std::sync::mpsc::channel();
        let log = Log::new(Box::new(std::io::sink()));
        let worker = Worker::new(docs.clone(), out_tx, log, Encoding::Utf16);
        let thread = std::thread::spawn(move || worker.run(rx, Duration::from_millis(1)));
        jobs.send(Job::Changed(uri("head"))).unwrap();
        drop(jobs);
        thread.join().unwrap();
        let published: Vec<(String, usize)> = out_rx
            .try_iter()
            .map(|m| match m {
                Message::Notification(n) => (
                    n.params["uri"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string(),
                    n.params["diagnostics"].as_array().unwrap().len(),
                ),
                other => panic!("{other:?}"),
            })
            .collect();
        // head's buffer uses an undeclared `who`: so does greet, through it; alone is not
        // checked.
        assert_eq!(
            published,
            [
                ("head.prompt.yaml".to_string(), 1),
                ("greet.prompt.yaml".to_string(), 1)
            ]
        );
    }
}
