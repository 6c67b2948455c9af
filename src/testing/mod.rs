//! `prompt test` (contract §14): the tests kept in prompt files, run against recorded answers
//! (replay, no network), a model that records its answers, or a model alone (live).
//!
//! A run plans every (prompt, test, repeat) first, on the calling thread: it reads each prompt at
//! one revision, renders the test's request with the same functions `render` uses (so the body
//! is exactly `render --format openai` or `--format anthropic`, with `--model` put in its
//! `model`), evaluates the `rendered` checks, and works out each request's recording key. Replay
//! then reads recordings at the same revision and never constructs a transport: there is no
//! code path from it to the network. Record and live hand the requests to `--jobs` worker
//! threads that call the `Transport`; answers come back over a channel to the calling thread,
//! which writes recordings (whole files, renamed into place) and evaluates the `output` checks.
//!
//! - `recordings`: keys, paths and the file shape.
//! - `answer`: the answer's text and tool calls in each API's response.
//! - `checks`: evaluating one check.
//! - `http` (feature `http`): the ureq transport, with timeouts, retries and a size cap.
//! - `report`: text, JSON, JUnit and markdown.
//! - `changed`: the prompts whose rendering differs from a revision (`--changed REV`).

pub mod answer;
pub mod changed;
pub mod checks;
#[cfg(feature = "http")]
pub mod http;
pub mod recordings;
pub mod report;

use std::collections::VecDeque;
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::model::{load, Prompt, PromptId};
use crate::partials::RegistryPartials;
use crate::render::{self, values, Prepared, Sources};
use crate::store::{Registry, Rev};
pub use answer::{Answer, Api};

/// Where answers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// From recordings only; no network connection at all.
    Replay,
    /// From the model; each answer is written as a recording.
    Record,
    /// From the model; nothing is written.
    Live,
}

impl Mode {
    /// The mode when none is given: replay, in CI (`CI` set) and everywhere else alike, so that
    /// a run never needs a key, a network or money unless asked to (`--record`, `--live`). A
    /// missing recording fails and says how to record it.
    pub const DEFAULT: Mode = Mode::Replay;
}

/// The model endpoints: `--base-url`, else `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, else the
/// providers' own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    pub openai: String,
    pub anthropic: String,
}

impl Endpoints {
    /// The endpoints from `--base-url` and the environment.
    pub fn from_env(base_url: Option<&str>) -> Endpoints {
        let pick = |var: &str, default: &str| {
            base_url
                .map(str::to_string)
                .or_else(|| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
                .unwrap_or_else(|| default.to_string())
                .trim()
                .trim_end_matches('/')
                .to_string()
        };
        Endpoints {
            openai: pick("OPENAI_BASE_URL", "https://api.openai.com/v1"),
            anthropic: pick("ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
        }
    }

    /// The URL a request of `api` is POSTed to.
    pub fn url(&self, api: Api) -> String {
        match api {
            Api::OpenAi => format!("{}/chat/completions", self.openai),
            // Anthropic's SDKs take the base without `/v1`; a base that ends in it (one
            // `--base-url` given for both APIs, as OpenAI's SDKs write it) is not doubled.
            Api::Anthropic if self.anthropic.ends_with("/v1") => {
                format!("{}/messages", self.anthropic)
            }
            Api::Anthropic => format!("{}/v1/messages", self.anthropic),
        }
    }

    /// `url` as messages show it: without a `user:password@` part, which may hold a secret.
    pub fn shown(&self, api: Api) -> String {
        redact(&self.url(api))
    }
}

/// A URL without its `user:password@` part.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Calls a model: one request body in, the response body out, or why not (a sentence).
pub trait Transport: Sync {
    fn call(&self, api: Api, body: &Value) -> Result<Value, String>;
}

/// How a run goes.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Replaces the prompt's model in every request (and so in every key).
    pub model: Option<String>,
    /// Runs of each test (at least 1); each has its own recording.
    pub repeat: usize,
    /// Model calls at once (at least 1).
    pub jobs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Replay,
            model: None,
            repeat: 1,
            jobs: 4,
        }
    }
}

/// What a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Rendered,
    Output,
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub on: Target,
    /// `contains "billing"`, `tool_call lookup_order`, …
    pub check: String,
    pub passed: bool,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One run of one test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    pub prompt: String,
    pub test: String,
    /// From 0; one per `--repeat`.
    pub repeat: usize,
    pub passed: bool,
    /// The recording key (absent when the test has no `output` checks).
    pub key: Option<String>,
    /// The recording's path from the repository root (absent when the test has no `output`
    /// checks).
    pub recording: Option<String>,
    /// What stopped the test before its checks could all run: a render error, a missing
    /// recording, a failed call.
    pub error: Option<String>,
    pub checks: Vec<CheckResult>,
    pub duration_ms: u64,
}

impl TestResult {
    /// `name` or `name #2` for a repeat.
    pub fn display_name(&self) -> String {
        if self.repeat == 0 {
            self.test.clone()
        } else {
            format!("{} #{}", self.test, self.repeat + 1)
        }
    }

    /// The first reason it failed.
    pub fn reason(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        self.checks.iter().find(|c| !c.passed).map(|c| {
            format!(
                "{} {}: {}",
                match c.on {
                    Target::Rendered => "rendered",
                    Target::Output => "output",
                },
                c.check,
                c.message.as_deref().unwrap_or("failed")
            )
        })
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub mode: Mode,
    /// The URLs called (record and live), in the order first used.
    pub endpoints: Vec<String>,
    pub results: Vec<TestResult>,
    /// What the providers' bodies could not hold (as `render` warns), once per prompt.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// Whether every test passed.
    pub fn ok(&self) -> bool {
        self.failed() == 0
    }
}

/// The ids whose tests a run takes: `ids`, or every prompt at `rev` that has tests.
pub fn select(reg: &Registry, rev: Rev, ids: &[PromptId]) -> Result<Vec<PromptId>, Error> {
    if !ids.is_empty() {
        for id in ids {
            if reg.read(rev, id)?.is_none() {
                return Err(reg.not_found(id, rev));
            }
        }
        return Ok(ids.to_vec());
    }
    reg.ids(rev)
}

/// A request waiting for a model answer.
struct Pending {
    /// Index in the results.
    result: usize,
    /// Index in the loaded prompts.
    prompt: usize,
    test: usize,
    api: Api,
    body: Value,
    id: PromptId,
    started: Instant,
}

/// What record and live runs call: the transport, the endpoints it calls (for the report), and
/// a function told each endpoint URL before the first call to it.
pub struct Calls<'a> {
    pub transport: &'a dyn Transport,
    pub endpoints: &'a Endpoints,
    pub announce: &'a dyn Fn(&str),
}

/// Runs the tests of `ids` (every prompt with tests when empty) at `rev`. `calls` must be
/// `Some` for record and live; replay never uses it (pass `None`).
pub fn run(
    reg: &Registry,
    rev: Rev,
    ids: &[PromptId],
    options: &Options,
    calls: Option<&Calls>,
) -> Result<Report, Error> {
    let ids = select(reg, rev, ids)?;
    let repeat = options.repeat.max(1);
    let mut report = Report {
        mode: options.mode,
        endpoints: Vec::new(),
        results: Vec::new(),
        warnings: Vec::new(),
    };
    let mut prompts: Vec<Prompt> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let partials = RegistryPartials::new(reg, rev);
    for id in &ids {
        let Some(bytes) = reg.read(rev, id)? else {
            continue;
        };
        let prompt = match load::parse_bytes(&bytes) {
            Ok(loaded) => loaded.prompt,
            Err(e) => {
                report.results.push(TestResult {
                    prompt: id.to_string(),
                    test: UNPARSABLE.into(),
                    repeat: 0,
                    passed: false,
                    key: None,
                    recording: None,
                    error: Some(format!(
                        "{}:{}:{}: {}",
                        reg.path_of(id),
                        e.at.line,
                        e.at.column,
                        e.message
                    )),
                    checks: Vec::new(),
                    duration_ms: 0,
                });
                continue;
            }
        };
        if prompt.tests.is_empty() {
            continue;
        }
        let index = prompts.len();
        plan_prompt(
            reg,
            rev,
            id,
            &prompt,
            index,
            &partials,
            options,
            repeat,
            &mut report,
            &mut pending,
        );
        prompts.push(prompt);
    }
    if !pending.is_empty() {
        let Some(calls) = calls else {
            return Err(Error::Usage(
                "recording or live tests need a model transport (this build has none)".into(),
            ));
        };
        for p in &pending {
            let url = calls.endpoints.shown(p.api);
            if !report.endpoints.contains(&url) {
                (calls.announce)(&url);
                report.endpoints.push(url);
            }
        }
        call_all(
            reg,
            &prompts,
            pending,
            options,
            calls.transport,
            &mut report,
        )?;
    }
    Ok(report)
}

/// Renders each test of one prompt, evaluates its `rendered` checks, and either answers its
/// `output` checks from a recording (replay) or queues its request (record, live).
#[allow(clippy::too_many_arguments)]
fn plan_prompt(
    reg: &Registry,
    rev: Rev,
    id: &PromptId,
    prompt: &Prompt,
    index: usize,
    partials: &RegistryPartials,
    options: &Options,
    repeat: usize,
    report: &mut Report,
    pending: &mut Vec<Pending>,
) {
    let api = Api::of(prompt);
    let prepared = Prepared::new(prompt, partials, false);
    let mut warned = false;
    for (t, test) in prompt.tests.iter().enumerate() {
        let started = Instant::now();
        let mut base = TestResult {
            prompt: id.to_string(),
            test: test.name.clone(),
            repeat: 0,
            passed: false,
            key: None,
            recording: None,
            error: None,
            checks: Vec::new(),
            duration_ms: 0,
        };
        let rendered = match &prepared {
            Ok(prepared) => render_test(prompt, prepared, test),
            Err(e) => Err(e.to_string()),
        };
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => {
                for n in 0..repeat {
                    let mut r = base.clone();
                    r.repeat = n;
                    r.error = Some(format!("rendering: {e}"));
                    report.results.push(r);
                }
                continue;
            }
        };
        let text = render::to_text(&rendered);
        for check in &test.rendered {
            let (label, outcome) = match check.kind() {
                Some(kind) => (check.label(), checks::on_text(kind, &text)),
                None => (
                    check.label(),
                    Err("a check has exactly one key".to_string()),
                ),
            };
            base.checks.push(CheckResult {
                on: Target::Rendered,
                check: label,
                passed: outcome.is_ok(),
                message: outcome.err(),
            });
        }
        if !test.calls_model() {
            base.passed = base.checks.iter().all(|c| c.passed);
            base.duration_ms = started.elapsed().as_millis() as u64;
            for n in 0..repeat {
                let mut r = base.clone();
                r.repeat = n;
                report.results.push(r);
            }
            continue;
        }
        let body = match render::output(prompt, &rendered, api.render_format()) {
            Ok((mut body, warnings)) => {
                if !warned {
                    report
                        .warnings
                        .extend(warnings.into_iter().map(|w| format!("{id}: {w}")));
                    warned = true;
                }
                if let (Some(model), Value::Object(map)) = (&options.model, &mut body) {
                    map.insert("model".into(), Value::String(model.clone()));
                }
                body
            }
            Err(e) => {
                for n in 0..repeat {
                    let mut r = base.clone();
                    r.repeat = n;
                    r.error = Some(format!("rendering the {} body: {e}", api.as_str()));
                    report.results.push(r);
                }
                continue;
            }
        };
        for n in 0..repeat {
            let mut r = base.clone();
            r.repeat = n;
            let key = recordings::key(&body, n);
            r.recording = Some(recordings::rel_path(reg, id, &key));
            r.key = Some(key.clone());
            match options.mode {
                Mode::Replay => {
                    match recordings::read(reg, rev, id, &key) {
                        Ok(Some(rec)) => match answer::parse(api, &rec.response) {
                            Ok(answer) => output_checks(&mut r, test, &answer, prompt),
                            Err(e) => {
                                r.error = Some(format!("the recorded response: {e}"));
                            }
                        },
                        Ok(None) => {
                            r.error = Some(format!(
                                "no recording for test `{}` of `{id}`{} (key {key}, {}): \
                                 record it with `prompt test {id} --record`",
                                test.name,
                                if n > 0 {
                                    format!(", repeat {}", n + 1)
                                } else {
                                    String::new()
                                },
                                recordings::rel_path(reg, id, &key)
                            ));
                        }
                        Err(e) => r.error = Some(e),
                    }
                    r.passed = r.error.is_none() && r.checks.iter().all(|c| c.passed);
                    r.duration_ms = started.elapsed().as_millis() as u64;
                    report.results.push(r);
                }
                Mode::Record | Mode::Live => {
                    let result = report.results.len();
                    report.results.push(r);
                    pending.push(Pending {
                        result,
                        prompt: index,
                        test: t,
                        api,
                        body: body.clone(),
                        id: id.clone(),
                        started,
                    });
                }
            }
        }
    }
}

/// The test's values (its sample, then its `vars`, over the defaults) rendered.
fn render_test(
    prompt: &Prompt,
    prepared: &Prepared,
    test: &crate::model::TestCase,
) -> Result<render::Rendered, String> {
    let mut layers = Vec::new();
    if let Some(vars) = &test.vars {
        layers.push(
            vars.iter()
                .map(|(k, v)| (k.clone(), values::Given::Json(v.clone())))
                .collect(),
        );
    }
    let sources = Sources {
        sample: test.sample.clone(),
        layers,
        lenient: false,
    };
    let values = values::collect(prompt, &sources).map_err(|e| e.to_string())?;
    prepared.render(values).map_err(|e| e.to_string())
}

/// Evaluates a test's `output` checks against an answer.
fn output_checks(
    r: &mut TestResult,
    test: &crate::model::TestCase,
    answer: &Answer,
    prompt: &Prompt,
) {
    for check in &test.output {
        let outcome = match check.kind() {
            Some(kind) => checks::on_answer(kind, answer, prompt),
            None => Err("a check has exactly one key".to_string()),
        };
        r.checks.push(CheckResult {
            on: Target::Output,
            check: check.label(),
            passed: outcome.is_ok(),
            message: outcome.err(),
        });
    }
}

/// Calls the model for every pending request, `jobs` at a time, and settles each as its answer
/// arrives: a recording written (record), the output checks evaluated.
fn call_all(
    reg: &Registry,
    prompts: &[Prompt],
    pending: Vec<Pending>,
    options: &Options,
    transport: &dyn Transport,
    report: &mut Report,
) -> Result<(), Error> {
    // Tests that send the same request (same body, same repeat: the same key) share one call.
    let mut calls: Vec<Vec<usize>> = Vec::new();
    let mut by_key: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        let key = report.results[p.result].key.as_deref().unwrap_or_default();
        match by_key.get(key) {
            Some(&c) => calls[c].push(i),
            None => {
                by_key.insert(key, calls.len());
                calls.push(vec![i]);
            }
        }
    }
    let jobs = options.jobs.max(1).min(calls.len());
    let queue: Mutex<VecDeque<(usize, Api, Value)>> = Mutex::new(
        calls
            .iter()
            .enumerate()
            .map(|(c, members)| (c, pending[members[0]].api, pending[members[0]].body.clone()))
            .collect(),
    );
    let (tx, rx) = mpsc::channel::<(usize, Result<Value, String>)>();
    std::thread::scope(|scope| -> Result<(), Error> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let queue = &queue;
            scope.spawn(move || loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some((c, api, body)) = next else { break };
                let answer = if crate::store::stopping() {
                    Err("interrupted".to_string())
                } else {
                    transport.call(api, &body)
                };
                if tx.send((c, answer)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut first_error = None;
        for (c, outcome) in rx {
            let outcome = outcome.and_then(|response| {
                answer::parse(pending[calls[c][0]].api, &response).map(|a| (a, response))
            });
            let mut written: Vec<String> = Vec::new();
            for &i in &calls[c] {
                let p = &pending[i];
                let prompt = &prompts[p.prompt];
                let test = &prompt.tests[p.test];
                let r = &mut report.results[p.result];
                match &outcome {
                    Ok((answer, response)) => {
                        // One recording per file: tests of one prompt that send the same
                        // request share it; another prompt keeps its own copy.
                        let path = r.recording.clone().unwrap_or_default();
                        if options.mode == Mode::Record
                            && first_error.is_none()
                            && !written.contains(&path)
                        {
                            let rec = recordings::Recording {
                                format: recordings::FORMAT,
                                api: p.api.as_str().to_string(),
                                prompt: p.id.to_string(),
                                repeat: r.repeat,
                                key: r.key.clone().unwrap_or_default(),
                                request: p.body.clone(),
                                response: response.clone(),
                            };
                            match recordings::write(reg, &p.id, &rec) {
                                Ok(path) => written.push(path),
                                Err(e @ Error::Interrupted) => first_error = Some(e),
                                Err(e) => r.error = Some(format!("writing the recording: {e}")),
                            }
                        }
                        output_checks(r, test, answer, prompt);
                    }
                    Err(e) => r.error = Some(e.clone()),
                }
                r.passed = r.error.is_none() && r.checks.iter().all(|c| c.passed);
                r.duration_ms = p.started.elapsed().as_millis() as u64;
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })
}

/// The test name of the one result a prompt file that does not parse gives.
pub const UNPARSABLE: &str = "(prompt file)";

/// Replays the tests of prompt `id` at revision `rev`: the prompt, its partials and its
/// recordings are all read at `rev` (a commit's tree, or the working tree), never from the
/// network. For `prompt review`'s "test results before → after" (contract §15).
pub fn replay_at(reg: &Registry, rev: Rev, id: &PromptId) -> Result<Vec<TestResult>, Error> {
    let options = Options::default();
    Ok(run(reg, rev, std::slice::from_ref(id), &options, None)?.results)
}

/// Recordings in the working tree that no test of the prompts at `rev` uses (with `options`'
/// `--model` and `--repeat`), as paths from the repository root. With `ids`, only those prompts'
/// recordings are looked at. The recordings of a prompt that does not load or render are never
/// listed (which ones it uses cannot be known).
pub fn unused_recordings(
    reg: &Registry,
    rev: Rev,
    ids: &[PromptId],
    options: &Options,
) -> Result<Vec<String>, Error> {
    let mut plan = options.clone();
    plan.mode = Mode::Replay;
    let report = run(reg, rev, ids, &plan, None)?;
    let used: std::collections::HashSet<&str> = report
        .results
        .iter()
        .filter_map(|r| r.recording.as_deref())
        .collect();
    // A prompt that does not load or render (mid-edit) cannot say which recordings it uses:
    // its recordings are kept rather than guessed unused.
    let unsure: std::collections::HashSet<&str> = report
        .results
        .iter()
        .filter(|r| r.key.is_none() && r.error.is_some())
        .map(|r| r.prompt.as_str())
        .collect();
    let only: Vec<String> = ids.iter().map(ToString::to_string).collect();
    Ok(recordings::all(reg)?
        .into_iter()
        .filter(|(id, _, path)| {
            (only.is_empty() || only.contains(id))
                && !unsure.contains(id.as_str())
                && !used.contains(path.as_str())
        })
        .map(|(_, _, path)| path)
        .collect())
}

/// Limits a timeout the user gave to something a call can use.
pub fn timeout(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.clamp(0.001, 86_400.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing as fixture;
    use serde_json::json;

    #[test]
    fn anthropic_urls_take_a_base_with_or_without_v1() {
        let at = |base: &str| Endpoints::from_env(Some(base));
        assert_eq!(
            at("http://127.0.0.1:9/v1/").url(Api::Anthropic),
            "http://127.0.0.1:9/v1/messages"
        );
        assert_eq!(
            at("http://127.0.0.1:9").url(Api::Anthropic),
            "http://127.0.0.1:9/v1/messages"
        );
        assert_eq!(
            at("http://127.0.0.1:9/v1").url(Api::OpenAi),
            "http://127.0.0.1:9/v1/chat/completions"
        );
    }

    const PROMPT: &str = "format: 1
model: {provider: openai, name: m}
template: Say hi
tests:
  - name: greets
    rendered:
      - contains: hi
    output:
      - contains: hello
";

    /// Writes the recording of the prompt's one model test with `text` as the answer.
    fn record(reg: &Registry, text: &str) -> String {
        let id = PromptId::parse("p").unwrap();
        let report = run(reg, Rev::WorkingTree, &[], &Options::default(), None).unwrap();
        let key = report.results[0].key.clone().unwrap();
        let rec = recordings::Recording {
            format: recordings::FORMAT,
            api: Api::OpenAi.as_str().into(),
            prompt: "p".into(),
            repeat: 0,
            key: key.clone(),
            request: json!({}),
            response: json!({"choices": [{"message": {"content": text}}]}),
        };
        recordings::write(reg, &id, &rec).unwrap();
        key
    }

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(
            redact("https://u:pw@h.test:8/v1?a=b@c"),
            "https://h.test:8/v1?a=b@c"
        );
        assert_eq!(redact("http://127.0.0.1:9/v1"), "http://127.0.0.1:9/v1");
        assert_eq!(redact("no scheme@x"), "no scheme@x");
    }

    #[test]
    fn replay_at_reads_prompt_and_recordings_at_the_revision() {
        let (dir, reg) = fixture::registry();
        fixture::write(dir.path(), "p", PROMPT);
        let id = PromptId::parse("p").unwrap();
        // No recording yet: the model test fails naming its key; the rendered check ran.
        let before = replay_at(&reg, Rev::WorkingTree, &id).unwrap();
        assert!(!before[0].passed);
        assert!(before[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no recording for test `greets`"));
        assert!(before[0].checks[0].passed);
        record(&reg, "hello there");
        fixture::commit(dir.path(), "recorded");
        let head = reg.head().unwrap().unwrap();
        // The working tree's recording now answers badly; the commit's still answers well.
        record(&reg, "go away");
        assert!(!replay_at(&reg, Rev::WorkingTree, &id).unwrap()[0].passed);
        let at_commit = replay_at(&reg, Rev::Commit(head), &id).unwrap();
        assert!(at_commit[0].passed, "{at_commit:?}");
        // A replay with no calls to make never asks for a transport.
        let all = run(&reg, Rev::Commit(head), &[], &Options::default(), None).unwrap();
        assert_eq!((all.passed(), all.failed()), (1, 0));
        assert!(all.endpoints.is_empty());
        // Unused recordings: none while the test reads the one there is.
        assert!(
            unused_recordings(&reg, Rev::WorkingTree, &[], &Options::default())
                .unwrap()
                .is_empty()
        );
    }
}
