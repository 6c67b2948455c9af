//! The server's threads and main loop.
//!
//! - A reader thread turns stdin into messages (`lsp_server::Message::read`). A message whose
//!   body is not UTF-8 or not JSON-RPC is logged and skipped: the framing (`Content-Length`)
//!   was read, so the next message is read as usual. End of input ends the server.
//! - A writer thread writes every outgoing message (`Message::write`), in order.
//! - The main loop answers requests and applies notifications to the open documents, in order.
//! - A diagnostics worker (`worker.rs`) checks the documents that changed, after a quiet period
//!   (`debounceMs`, default 20 ms; a burst of changes waits at most 200 ms).
//!
//! A handler that panics answers its request with an internal error and the server goes on.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CompletionOptions, ExecuteCommandOptions, ExecuteCommandParams, GotoDefinitionParams,
    HoverParams, InitializeParams, PublishDiagnosticsParams, ReferenceParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use crate::error::Location;
use crate::store::CONFIG_FILE;

use super::analysis::Analysis;
use super::documents::Documents;
use super::text::{self, Encoding};
use super::worker::{Job, Worker};
use super::workspace::{open_prompts, Overlay, Place, Workspaces};
use super::{commands, complete, navigate};

/// Where the server writes what it has to say about itself (stderr, or `--log FILE`).
#[derive(Clone)]
pub struct Log(Arc<Mutex<Box<dyn Write + Send>>>);

impl Log {
    pub fn new(out: Box<dyn Write + Send>) -> Log {
        Log(Arc::new(Mutex::new(out)))
    }

    pub fn stderr() -> Log {
        Log::new(Box::new(std::io::stderr()))
    }

    /// One line, prefixed with `prompt lsp:`.
    pub fn line(&self, message: &str) {
        let mut out = lock(&self.0);
        let _ = writeln!(out, "prompt lsp: {message}");
        let _ = out.flush();
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the reader thread hands the main loop.
enum Incoming {
    Message(Message),
    /// End of input, or a read error after which nothing more can be read.
    End,
}

/// Serves the protocol on `input` and `output` until `exit` or the end of input. Returns the
/// process's exit code: 0 after `shutdown` then `exit`, 1 when the client left without
/// `shutdown` (as the protocol asks for `exit`; also for the end of input).
pub fn run(
    input: impl BufRead + Send + 'static,
    mut output: impl Write + Send + 'static,
    log: Log,
) -> u8 {
    let (out_tx, out_rx) = mpsc::channel::<Message>();
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || {
            for msg in out_rx {
                if msg.write(&mut output).is_err() {
                    break;
                }
            }
        })
        .expect("a thread for the writer");
    let (in_tx, in_rx) = mpsc::sync_channel::<Incoming>(64);
    let reader_log = log.clone();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_messages(input, in_tx, reader_log))
        .expect("a thread for the reader");
    let mut server = Server {
        out: out_tx,
        log: log.clone(),
        docs: Arc::new(Mutex::new(Documents::default())),
        ws: Workspaces::default(),
        enc: Encoding::Utf16,
        initialized: false,
        shutdown: false,
        worker: None,
        watch: false,
    };
    let code = server.serve(in_rx);
    // Let the writer finish what is queued (the shutdown answer, last diagnostics).
    drop(server);
    let _ = writer.join();
    code
}

fn read_messages(mut input: impl BufRead, tx: mpsc::SyncSender<Incoming>, log: Log) {
    loop {
        match Message::read(&mut input) {
            Ok(Some(msg)) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if tx.send(Incoming::Message(msg)).is_err() || exit {
                    return;
                }
            }
            Ok(None) => break,
            // A message read whole whose body is not UTF-8 or JSON-RPC, or a malformed header
            // line: skipped, and reading goes on with what follows.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let mut text = e.to_string();
                if text.len() > 300 {
                    let mut cut = 300;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                    text.push('…');
                }
                log.line(&format!("skipped a message that does not read: {text}"));
            }
            Err(e) => {
                if e.kind() != std::io::ErrorKind::UnexpectedEof {
                    log.line(&format!("reading stdin: {e}"));
                }
                break;
            }
        }
    }
    let _ = tx.send(Incoming::End);
}

struct Server {
    out: Sender<Message>,
    log: Log,
    docs: Arc<Mutex<Documents>>,
    /// The main thread's registries (the worker has its own).
    ws: Workspaces,
    enc: Encoding,
    initialized: bool,
    shutdown: bool,
    worker: Option<Sender<Job>>,
    /// The client registers file watchers on request (`didChangeWatchedFiles`).
    watch: bool,
}

/// A request's failure: an error code and message.
type Failure = (ErrorCode, String);

impl Server {
    fn serve(&mut self, rx: Receiver<Incoming>) -> u8 {
        loop {
            let msg = match rx.recv() {
                Ok(Incoming::Message(msg)) => msg,
                Ok(Incoming::End) | Err(_) => {
                    if !self.shutdown {
                        self.log.line("the client left without shutdown");
                    }
                    return if self.shutdown { 0 } else { 1 };
                }
            };
            match msg {
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == "exit" => {
                    return if self.shutdown { 0 } else { 1 };
                }
                Message::Notification(n) => {
                    let method = n.method.clone();
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.notification(n)
                    }));
                    if done.is_err() {
                        self.log.line(&format!("handling {method} failed (a bug)"));
                    }
                }
                // Answers to requests the server never sends.
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        let _ = self.out.send(msg.into());
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let method = req.method.clone();
        let answer = if req.method == "initialize" {
            if self.initialized {
                Err((
                    ErrorCode::InvalidRequest,
                    "initialize was already received".into(),
                ))
            } else {
                self.initialize(req.params)
            }
        } else if !self.initialized {
            Err((
                ErrorCode::ServerNotInitialized,
                format!("`{}` before `initialize`", req.method),
            ))
        } else if self.shutdown {
            Err((
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", req.method),
            ))
        } else if req.method == "shutdown" {
            self.shutdown = true;
            Ok(Value::Null)
        } else {
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(req))) {
                Ok(answer) => answer,
                Err(_) => Err((
                    ErrorCode::InternalError,
                    format!("`{method}` failed (a bug in prompt lsp); see its log"),
                )),
            }
        };
        let response = match answer {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => {
                if !matches!(code, ErrorCode::MethodNotFound) {
                    self.log.line(&format!("{method}: {message}"));
                }
                Response::new_err(id, code as i32, message)
            }
        };
        self.send(response);
    }

    fn initialize(&mut self, params: Value) -> Result<Value, Failure> {
        let params: InitializeParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, format!("initialize: {e}")))?;
        self.watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.enc = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let debounce = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
            .unwrap_or(20)
            .min(5_000);
        let (tx, rx) = mpsc::channel();
        let worker = Worker::new(
            self.docs.clone(),
            self.out.clone(),
            self.log.clone(),
            self.enc,
        );
        std::thread::Builder::new()
            .name("lsp-diagnostics".into())
            .spawn(move || worker.run(rx, Duration::from_millis(debounce)))
            .map_err(|e| (ErrorCode::InternalError, format!("starting a thread: {e}")))?;
        self.worker = Some(tx);
        self.initialized = true;
        let capabilities = ServerCapabilities {
            position_encoding: Some(self.enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp_types::OneOf::Left(true)),
            references_provider: Some(lsp_types::OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(
                    ["{", ">", "<", "@", "%", "'", "\""]
                        .map(String::from)
                        .to_vec(),
                ),
                ..Default::default()
            }),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: commands::ALL.map(String::from).to_vec(),
                ..Default::default()
            }),
            ..Default::default()
        };
        self.log.line(&format!(
            "started (version {}, positions in {})",
            env!("CARGO_PKG_VERSION"),
            self.enc.kind().as_str()
        ));
        Ok(serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": ServerInfo {
                name: "prompt".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            },
        }))
    }

    fn job(&self, job: Job) {
        if let Some(w) = &self.worker {
            let _ = w.send(job);
        }
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        match n.method.as_str() {
            // Prompt files and the config changed by anything else than the editor (a
            // checkout, another tool): ask to hear of them, where the client can.
            "initialized" if self.watch => {
                let watchers: Vec<Value> = ["**/*.prompt.yaml", &format!("**/{CONFIG_FILE}")]
                    .iter()
                    .map(|glob| serde_json::json!({"globPattern": glob}))
                    .collect();
                self.send(Request::new(
                    lsp_server::RequestId::from("watch-prompt-files".to_string()),
                    "client/registerCapability".into(),
                    serde_json::json!({"registrations": [{
                        "id": "watch-prompt-files",
                        "method": "workspace/didChangeWatchedFiles",
                        "registerOptions": {"watchers": watchers},
                    }]}),
                ));
            }
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return self.log.line("didOpen: invalid parameters");
                };
                let doc = p.text_document;
                lock(&self.docs).open(doc.uri.clone(), doc.version, doc.text);
                self.after_edit(&doc.uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return self.log.line("didChange: invalid parameters");
                };
                let doc = p.text_document;
                let known =
                    lock(&self.docs).change(&doc.uri, doc.version, p.content_changes, self.enc);
                if known {
                    self.after_edit(&doc.uri);
                } else {
                    self.log.line(&format!(
                        "didChange for {} which is not open",
                        doc.uri.as_str()
                    ));
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                    return self.log.line("didClose: invalid parameters");
                };
                let uri = p.text_document.uri;
                // Under the lock, so that no check of the closed text publishes after this.
                let mut docs = lock(&self.docs);
                docs.close(&uri);
                self.send(publish(uri.clone(), None, Vec::new()));
                drop(docs);
                // Its includers now read the file on disk.
                self.job(Job::All);
            }
            "textDocument/didSave" => {
                let Ok(p) = params::<lsp_types::DidSaveTextDocumentParams>(n.params) else {
                    return;
                };
                if is_config(&p.text_document.uri) {
                    self.ws.reset();
                    self.job(Job::Reset);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                self.ws.reset();
                self.job(Job::Reset);
            }
            _ => {}
        }
    }

    /// After a document's text changed: check it (and what includes it); a changed registry
    /// config reopens the registries.
    fn after_edit(&mut self, uri: &Uri) {
        if is_config(uri) {
            self.ws.reset();
            self.job(Job::Reset);
        }
        self.job(Job::Changed(uri.clone()));
    }

    fn handle(&mut self, req: Request) -> Result<Value, Failure> {
        match req.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = params(req.params)?;
                self.at_position(&p.text_document_position_params, |ctx| {
                    to_value(navigate::hover(&ctx.view(), ctx.at, &ctx.overlay))
                })
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = params(req.params)?;
                let uri = p.text_document_position_params.text_document.uri.clone();
                self.at_position(&p.text_document_position_params, |ctx| {
                    to_value(navigate::definition(
                        &ctx.view(),
                        &uri,
                        ctx.at,
                        &ctx.overlay,
                    ))
                })
            }
            "textDocument/references" => {
                let p: ReferenceParams = params(req.params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let declaration = p.context.include_declaration;
                self.at_position(&p.text_document_position, |ctx| {
                    let id = ctx.place.id.as_ref().map(|i| i.to_string());
                    to_value(navigate::references(
                        &ctx.view(),
                        &uri,
                        ctx.at,
                        id.as_deref(),
                        declaration,
                        &ctx.overlay,
                    ))
                })
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(req.params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let position = p.text_document_position.position;
                let config = is_config(&uri);
                let enc = self.enc;
                self.at_position(&p.text_document_position, |ctx| {
                    let start = text::line_start(ctx.text, position.line).unwrap_or(ctx.text.len());
                    let cursor = text::offset_of(ctx.text, position, enc);
                    let before = &ctx.text[start.min(cursor)..cursor];
                    let mut environments: Vec<String> = ctx
                        .overlay
                        .reg
                        .config()
                        .environments
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    environments.sort();
                    let sources = complete::Sources {
                        before,
                        text: ctx.text,
                        analysis: &ctx.analysis,
                        ids: ctx.overlay.ids(),
                        environments,
                        config_file: config,
                        cursor: position,
                        enc,
                    };
                    to_value(complete::complete(&sources))
                })
            }
            "workspace/executeCommand" => {
                let p: ExecuteCommandParams = params(req.params)?;
                self.execute(p)
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("method not found: {}", req.method),
            )),
        }
    }

    /// Runs `f` on the document at a position: its text (the open buffer, else the file),
    /// the position as a file location, the registry and the partials the editor sees. A file
    /// outside any registry gets `null`.
    fn at_position(
        &mut self,
        p: &TextDocumentPositionParams,
        f: impl FnOnce(&Ctx) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let uri = &p.text_document.uri;
        let enc = self.enc;
        let Some((text, path)) = self.text_of(uri) else {
            return Ok(Value::Null);
        };
        let Some((place, overlay)) = self.overlay(&path) else {
            return Ok(Value::Null);
        };
        let (line, column) = text::location_of_position(&text, p.position, enc);
        let decoded = decoded(&text);
        let ctx = Ctx {
            text: &text,
            at: Location { line, column },
            analysis: Analysis::new(&decoded),
            place,
            overlay,
            enc,
        };
        f(&ctx)
    }

    /// The text of a document: its open buffer, else the file on disk.
    fn text_of(&self, uri: &Uri) -> Option<(String, PathBuf)> {
        let path = text::path_of_uri(uri)?;
        if let Some(doc) = lock(&self.docs).get(uri) {
            return Some((doc.text.clone(), path));
        }
        let text = std::fs::read_to_string(&path).ok()?;
        Some((text, path))
    }

    /// The file's place in its registry, and the partials as the editor sees them.
    fn overlay(&mut self, path: &Path) -> Option<(Place, Overlay<'_>)> {
        let workdir = self.ws.place(path)?.0.workdir()?.to_path_buf();
        let open = open_prompts(&lock(&self.docs), &mut self.ws, &workdir);
        let (reg, place) = self.ws.place(path)?;
        Some((place, Overlay::new(reg, open)))
    }

    fn execute(&mut self, p: ExecuteCommandParams) -> Result<Value, Failure> {
        let args = CommandArgs::parse(&p.command, &p.arguments)?;
        let uri: Uri = args
            .uri
            .parse()
            .map_err(|_| (ErrorCode::InvalidParams, format!("not a URI: {}", args.uri)))?;
        let (text, path) = self.text_of(&uri).ok_or((
            ErrorCode::InvalidParams,
            format!("{} is neither open nor a readable file", args.uri),
        ))?;
        let log = self.log.clone();
        let out = self.out.clone();
        let Some((place, overlay)) = self.overlay(&path) else {
            return Err((
                ErrorCode::RequestFailed,
                format!(
                    "{} is not in a git repository with a working tree",
                    path.display()
                ),
            ));
        };
        let failed = |message: String| (ErrorCode::RequestFailed, message);
        match p.command.as_str() {
            commands::RENDER => {
                let format = args.format.as_deref().unwrap_or("text");
                let format = commands::format_named(format).ok_or((
                    ErrorCode::InvalidParams,
                    format!(
                        "unknown format `{format}`: text, json, openai, openai-responses, \
                         anthropic, gemini, bedrock"
                    ),
                ))?;
                let rendered = commands::render(&text, args.sample.as_deref(), format, &overlay)
                    .map_err(failed)?;
                for w in &rendered.warnings {
                    log.line(&format!("render: warning: {w}"));
                    let _ = out.send(
                        Notification::new(
                            "window/logMessage".into(),
                            serde_json::json!({"type": 2, "message": format!("warning: {w}")}),
                        )
                        .into(),
                    );
                }
                Ok(Value::String(rendered.text))
            }
            commands::DIFF => {
                let env = args.env.as_deref().ok_or((
                    ErrorCode::InvalidParams,
                    "prompt.diff takes [uri, environment]".to_string(),
                ))?;
                commands::diff(overlay.reg, &place, &text, env)
                    .map(Value::String)
                    .map_err(failed)
            }
            other => Err((
                ErrorCode::InvalidParams,
                format!("unknown command `{other}`: {}", commands::ALL.join(", ")),
            )),
        }
    }
}

/// What a handler at a position gets.
struct Ctx<'a> {
    text: &'a str,
    at: Location,
    analysis: Analysis,
    place: Place,
    overlay: Overlay<'a>,
    enc: Encoding,
}

impl Ctx<'_> {
    fn view(&self) -> navigate::View<'_> {
        navigate::View {
            text: self.text,
            analysis: &self.analysis,
            enc: self.enc,
        }
    }
}

/// The arguments of a command: `[uri, sample, format]` for render, `[uri, environment]` for
/// diff, or one object with those names.
struct CommandArgs {
    uri: String,
    sample: Option<String>,
    format: Option<String>,
    env: Option<String>,
}

impl CommandArgs {
    fn parse(command: &str, args: &[Value]) -> Result<CommandArgs, Failure> {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let usage = || {
            (
                ErrorCode::InvalidParams,
                format!(
                    "{command} takes [uri, …]: {} [uri, sample, format], {} [uri, environment]",
                    commands::RENDER,
                    commands::DIFF
                ),
            )
        };
        if let Some(Value::Object(map)) = args.first() {
            return Ok(CommandArgs {
                uri: text(map.get("uri")).ok_or_else(usage)?,
                sample: text(map.get("sample")),
                format: text(map.get("format")),
                env: text(map.get("environment")).or_else(|| text(map.get("env"))),
            });
        }
        let uri = text(args.first()).ok_or_else(usage)?;
        let second = text(args.get(1));
        Ok(if command == commands::DIFF {
            CommandArgs {
                uri,
                sample: None,
                format: None,
                env: second,
            }
        } else {
            CommandArgs {
                uri,
                sample: second,
                format: text(args.get(2)),
                env: None,
            }
        })
    }
}

fn params<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn to_value(v: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// The text as `check` reads it: without a byte order mark, with `\n` line ends.
pub(super) fn decoded(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n")
}

fn is_config(uri: &Uri) -> bool {
    uri.as_str().ends_with(&format!("/{CONFIG_FILE}"))
}

pub(super) fn publish(
    uri: Uri,
    version: Option<i32>,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Message {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn message(v: Value) -> Vec<u8> {
        frame(serde_json::to_string(&v).unwrap().as_bytes())
    }

    /// Runs a whole session from `input`; the exit code, the messages written, the log.
    fn session(input: Vec<u8>) -> (u8, Vec<Value>, String) {
        let out = Shared::default();
        let log = Shared::default();
        let code = run(
            std::io::Cursor::new(input),
            out.clone(),
            Log::new(Box::new(log.clone())),
        );
        let bytes = lock(&out.0).clone();
        let mut reader = std::io::BufReader::new(&bytes[..]);
        let mut messages = Vec::new();
        while let Some(m) = Message::read(&mut reader).unwrap() {
            messages.push(serde_json::to_value(&m).unwrap());
        }
        let log = String::from_utf8(lock(&log.0).clone()).unwrap();
        (code, messages, log)
    }

    fn answer(messages: &[Value], id: i64) -> &Value {
        messages
            .iter()
            .find(|m| m["id"] == json(id))
            .unwrap_or_else(|| panic!("no answer {id} in {messages:#?}"))
    }

    fn json(id: i64) -> Value {
        Value::from(id)
    }

    #[test]
    fn a_session_in_order_skips_what_does_not_read() {
        let mut input = Vec::new();
        input.extend(message(serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}})));
        input.extend(message(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": {}}})));
        input.extend(frame(b"\xff\xfe not utf-8"));
        input.extend(frame(b"{\"not\": \"json-rpc\"}"));
        input.extend(message(
            serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "nope/nothing", "params": {}}),
        ));
        input.extend(message(
            serde_json::json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}),
        ));
        input.extend(message(serde_json::json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {}})));
        input.extend(message(
            serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
        ));
        let (code, messages, log) = session(input);
        assert_eq!(code, 0, "{log}");
        assert_eq!(answer(&messages, 1)["error"]["code"], -32002);
        let caps = &answer(&messages, 2)["result"]["capabilities"];
        assert_eq!(caps["positionEncoding"], "utf-16");
        assert_eq!(answer(&messages, 3)["error"]["code"], -32601);
        assert_eq!(answer(&messages, 4)["result"], Value::Null);
        assert_eq!(answer(&messages, 5)["error"]["code"], -32600);
        assert_eq!(
            log.matches("skipped a message that does not read").count(),
            2,
            "{log}"
        );
    }

    #[test]
    fn the_end_of_input_without_shutdown_exits_1() {
        let mut input = message(
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        );
        // A message cut short.
        input.extend(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"");
        let (code, messages, log) = session(input);
        assert_eq!(code, 1);
        assert_eq!(messages.len(), 1);
        assert!(log.contains("left without shutdown"), "{log}");
        let (code, messages, _) = session(Vec::new());
        assert_eq!((code, messages.len()), (1, 0));
    }

    #[test]
    fn command_arguments_as_a_list_or_an_object() {
        let list = CommandArgs::parse(
            commands::RENDER,
            &[Value::from("file:///a"), Value::Null, Value::from("json")],
        )
        .unwrap();
        assert_eq!(
            (list.uri.as_str(), list.sample, list.format.as_deref()),
            ("file:///a", None, Some("json"))
        );
        let diff = CommandArgs::parse(
            commands::DIFF,
            &[Value::from("file:///a"), Value::from("production")],
        )
        .unwrap();
        assert_eq!(diff.env.as_deref(), Some("production"));
        let object = CommandArgs::parse(
            commands::DIFF,
            &[serde_json::json!({"uri": "file:///a", "env": "@staging"})],
        )
        .unwrap();
        assert_eq!(object.env.as_deref(), Some("@staging"));
        assert!(CommandArgs::parse(commands::RENDER, &[]).is_err());
    }
}
