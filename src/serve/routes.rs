//! The endpoints of `prompt serve` (contract §13): routing, the handlers, and how errors become
//! `{"error": {"code", "message"}}` answers. Every handler reads the snapshot once.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::state::Snapshot;
use super::Shared;
use crate::error::Error;
use crate::interchange::bundle::read::OpenedPrompt;
use crate::model::{InputType, Reference, Selector};
use crate::ops::render::{render_once, Failure, Output, Request as RenderRequest};
use crate::ops::show::{DraftJson, Shown};
use crate::ops::source::{BundlePartials, Source};
use crate::render::{Given, RenderFormat};
use crate::store::Registry;

/// The longest id or reference a path may carry, in bytes (decoded).
const MAX_REFERENCE: usize = 512;

/// The router: every endpoint, the bearer check, and JSON answers for what matches nothing.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/environments/{env}", get(environment))
        .route("/v1/prompts/{*rest}", get(prompt))
        .route("/v1/render/{*rest}", post(render))
        .route("/v1/events", get(super::events::events))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such endpoint", None) })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
                None,
            )
        })
        .layer(middleware::from_fn_with_state(shared.clone(), auth))
        .with_state(shared)
}

/// An error answer: `{"error": {"code", "message", "hint"?}}`.
pub fn error(status: StatusCode, code: &str, message: &str, hint: Option<String>) -> Response {
    let mut body = json!({"error": {"code": code, "message": message}});
    if let Some(h) = hint {
        body["error"]["hint"] = Value::String(h);
    }
    let mut out = serde_json::to_vec(&body).unwrap_or_default();
    out.push(b'\n');
    (status, [(header::CONTENT_TYPE, "application/json")], out).into_response()
}

/// A library error as an answer: the CLI's message and hint, the status by variant.
pub fn lib_error(e: &Error) -> Response {
    let (status, code) = match e {
        Error::PromptNotFound { .. }
        | Error::UnknownReference { .. }
        | Error::NotPromoted { .. }
        | Error::UnknownRevision { .. }
        | Error::NotInBundle { .. }
        | Error::UnknownEnv { .. } => (StatusCode::NOT_FOUND, "not_found"),
        Error::InvalidId { .. }
        | Error::InvalidEnv { .. }
        | Error::BadReference { .. }
        | Error::Usage(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    error(status, code, &e.to_string(), e.hint())
}

fn render_error(f: &Failure) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_values", &f.to_string(), None)
}

async fn auth(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if let Some(token) = &shared.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        use subtle::ConstantTimeEq;
        if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server needs `Authorization: Bearer <token>`",
                None,
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    next.run(req).await
}

async fn health(State(shared): State<Arc<Shared>>) -> Response {
    let snap = shared.snapshot.load_full();
    json_response(&json!({"ok": true, "commit": snap.commit}))
}

fn json_response(v: &impl serde::Serialize) -> Response {
    let mut body = serde_json::to_vec_pretty(v).unwrap_or_default();
    body.push(b'\n');
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The ETag of a content hash.
fn etag(hash: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{hash}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` names `hash` (or `*`).
fn not_modified(headers: &HeaderMap, hash: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| t == hash || t == "*")
}

async fn environment(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let snap = shared.snapshot.load_full();
    match snap.envs.get(&name) {
        None => lib_error(&Error::UnknownEnv {
            name,
            known: snap.names.clone(),
        }),
        Some(Err(why)) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            &format!("environment {name} cannot be served: {why}"),
            None,
        ),
        Some(Ok(env)) => {
            let digest = &env.bundle.digest;
            if not_modified(&headers, digest) {
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag(digest))]).into_response();
            }
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    ),
                    (header::ETAG, etag(digest)),
                ],
                env.body.clone(),
            )
                .into_response()
        }
    }
}

/// Decodes `%XX` escapes of a path; `None` for a bad escape or text that is not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The reference a request path names after `prefix`, checked by the model's own parser: anything
/// that is not a valid reference is a 400 and never reaches a path.
fn reference_of(path: &str, prefix: &str) -> Result<Reference, Response> {
    let raw = path.strip_prefix(prefix).unwrap_or("");
    let bad = |m: &str| error(StatusCode::BAD_REQUEST, "bad_request", m, None);
    let Some(text) = percent_decode(raw) else {
        return Err(bad("the reference is not valid percent-encoded UTF-8"));
    };
    if text.len() > MAX_REFERENCE {
        return Err(bad(&format!(
            "the reference is {} bytes long; at most {MAX_REFERENCE} are accepted",
            text.len()
        )));
    }
    if text.is_empty() {
        return Err(bad("no reference: expected ID@REF after the endpoint"));
    }
    Reference::parse(&text).map_err(|e| lib_error(&e))
}

/// What a reference names in the snapshot, if it is answered from it: an environment the state
/// serves (repository), or anything the one bundle holds.
enum Answer<'s> {
    Snapshot {
        prompt: &'s OpenedPrompt,
        env: &'s super::state::Env,
        env_name: &'s str,
    },
    /// Read from git on demand (a version, `latest`, a revision, the working tree).
    Git,
    /// An environment the state serves, without this prompt: git says why (in the CLI's words),
    /// but nothing is served from outside the snapshot.
    Missing,
}

fn answer<'s>(
    shared: &Shared,
    snap: &'s Snapshot,
    reference: &Reference,
) -> Result<Answer<'s>, Response> {
    if shared.bundle_mode {
        // One environment, and nothing but the bundle.
        let Some((name, Ok(env))) = snap.envs.iter().next() else {
            return Err(error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the bundle cannot be served",
                None,
            ));
        };
        let prompt = env.bundle.resolve(reference).map_err(|e| lib_error(&e))?;
        return Ok(Answer::Snapshot {
            prompt,
            env,
            env_name: name,
        });
    }
    let Selector::Named(name) = &reference.selector else {
        return Ok(Answer::Git);
    };
    let Some((env_name, env)) = snap.envs.get_key_value(name) else {
        return Ok(Answer::Git);
    };
    let tag = format!("{}@{name}", reference.id);
    if let Some(message) = snap.broken.get(&tag) {
        return Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            message,
            None,
        ));
    }
    let env = env.as_ref().map_err(|why| {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            &format!("environment {name} cannot be served: {why}"),
            None,
        )
    })?;
    match env.bundle.prompts.get(reference.id.as_str()) {
        Some(prompt) => Ok(Answer::Snapshot {
            prompt,
            env,
            env_name,
        }),
        // Not promoted there (or no such prompt): the repository says which, in the CLI's words.
        None => Ok(Answer::Missing),
    }
}

fn prompt_headers(version: Option<usize>, commit: Option<&str>, sha256: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(v) = version {
        h.insert("x-prompt-version", HeaderValue::from(v));
    }
    if let Some(c) = commit.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert("x-prompt-commit", c);
    }
    if let Ok(s) = HeaderValue::from_str(sha256) {
        h.insert("x-prompt-sha256", s);
    }
    h
}

/// What the git path found, as plain data that crosses back from the blocking task.
struct FromGit {
    version: Option<usize>,
    commit: Option<String>,
    sha256: String,
    body: Vec<u8>,
    content_type: &'static str,
}

async fn prompt(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let reference = match reference_of(req.uri().path(), "/v1/prompts/") {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let snap = shared.snapshot.load_full();
    match answer(&shared, &snap, &reference) {
        Err(resp) => resp,
        Ok(Answer::Snapshot {
            prompt,
            env,
            env_name,
        }) => {
            if not_modified(req.headers(), &prompt.sha256) {
                return (
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, etag(&prompt.sha256))],
                )
                    .into_response();
            }
            let Some(parsed) = env.prompts.get(prompt.id.as_str()) else {
                return error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "not loaded",
                    None,
                );
            };
            let shown = Shown {
                id: prompt.id.to_string(),
                reference: reference.to_string(),
                version: prompt.version,
                draft: prompt.draft.as_ref().map(|branch| DraftJson {
                    commit: prompt.commit.clone(),
                    branch: branch.clone(),
                }),
                commit: Some(prompt.commit.clone()),
                environment: Some(env_name.to_string()),
                prompt: parsed,
            };
            let mut r = json_response(&shown);
            let h = prompt_headers(prompt.version, Some(&prompt.commit), &prompt.sha256);
            r.headers_mut().extend(h);
            r.headers_mut().insert(header::ETAG, etag(&prompt.sha256));
            r
        }
        Ok(Answer::Missing) => missing(&shared, reference).await,
        Ok(Answer::Git) => {
            let origin = shared.repository.clone();
            let result = tokio::task::spawn_blocking(move || show_from_git(&origin, &reference))
                .await
                .unwrap_or_else(|_| Err(Err(Error::Refused("the read failed".into()))));
            git_answer(result, req.headers(), true)
        }
    }
}

/// The answer for an environment reference the snapshot does not hold: the repository's own
/// error for it (not found, not promoted, a broken tag), or, when the repository has just been
/// promoted and the snapshot not yet reloaded, a 404 that says so.
async fn missing(shared: &Shared, reference: Reference) -> Response {
    let origin = shared.repository.clone();
    let text = reference.to_string();
    let e = tokio::task::spawn_blocking(move || {
        let reg = open_registry(&origin)?;
        reg.resolve(&reference).map(|_| ())
    })
    .await
    .unwrap_or_else(|_| Err(Error::Refused("the read failed".into())));
    match e {
        Err(e) => lib_error(&e),
        Ok(()) => lib_error(&Error::NotPromoted {
            reference: text,
            reason: "it is not in the state this server serves yet (a reload is under way)".into(),
        }),
    }
}

type GitResult = Result<FromGit, Result<Failure, Error>>;

fn git_answer(result: GitResult, headers: &HeaderMap, etagged: bool) -> Response {
    match result {
        Err(Ok(f)) => render_error(&f),
        Err(Err(e)) => lib_error(&e),
        Ok(found) => {
            if etagged && not_modified(headers, &found.sha256) {
                return (
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, etag(&found.sha256))],
                )
                    .into_response();
            }
            let mut r = ([(header::CONTENT_TYPE, found.content_type)], found.body).into_response();
            let h = prompt_headers(found.version, found.commit.as_deref(), &found.sha256);
            r.headers_mut().extend(h);
            if etagged {
                r.headers_mut().insert(header::ETAG, etag(&found.sha256));
            }
            r
        }
    }
}

fn open_registry(dir: &Option<std::path::PathBuf>) -> Result<Registry, Error> {
    match dir {
        Some(d) => Registry::open(d),
        None => Err(Error::Refused("this server serves a bundle only".into())),
    }
}

/// `show --json` of a reference read from git, as the CLI prints it.
fn show_from_git(dir: &Option<std::path::PathBuf>, reference: &Reference) -> GitResult {
    let reg = open_registry(dir).map_err(Err)?;
    let resolved = reg.resolve(reference).map_err(Err)?;
    let loaded = resolved.load().map_err(Err)?;
    let state = match resolved.version {
        Some(_) => None,
        None => reg.state_of(&resolved).map_err(Err)?,
    };
    let version = resolved.version.or(state
        .as_ref()
        .and_then(crate::store::VersionOrDraft::number));
    let draft = match &state {
        Some(crate::store::VersionOrDraft::Draft(d)) => Some(DraftJson {
            commit: d.commit.to_string(),
            branch: d.branch.clone(),
        }),
        _ => None,
    };
    let commit = match resolved.rev {
        crate::store::Rev::Commit(c) => Some(c.to_string()),
        crate::store::Rev::WorkingTree => None,
    };
    let shown = Shown {
        id: resolved.id.to_string(),
        reference: reference.to_string(),
        version,
        draft,
        commit: commit.clone(),
        environment: resolved.env.as_ref().map(ToString::to_string),
        prompt: &loaded.prompt,
    };
    let mut body = serde_json::to_vec_pretty(&shown).unwrap_or_default();
    body.push(b'\n');
    Ok(FromGit {
        version,
        commit,
        sha256: crate::interchange::bundle::digest::sha256_hex(&resolved.bytes),
        body,
        content_type: "application/json",
    })
}

/// The body of `POST /v1/render/{ID}@{REF}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenderBody {
    #[serde(default)]
    vars: serde_json::Map<String, Value>,
    #[serde(default)]
    sample: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    lenient: bool,
}

fn format_of(name: Option<&str>) -> Result<RenderFormat, String> {
    let name = name.unwrap_or("text");
    RenderFormat::named(name).ok_or_else(|| {
        format!(
            "unknown format `{name}`: expected text, json, openai, openai-responses, anthropic, \
             gemini or bedrock"
        )
    })
}

fn content_type(format: RenderFormat) -> &'static str {
    match format {
        RenderFormat::Text => "text/plain; charset=utf-8",
        _ => "application/json",
    }
}

/// A media value from a client must be a URL: the server reads no file of its own for it.
fn local_media(
    prompt: &crate::model::Prompt,
    vars: &serde_json::Map<String, Value>,
) -> Option<String> {
    for (name, input) in &prompt.inputs {
        if !matches!(input.kind, InputType::Image | InputType::Audio) {
            continue;
        }
        if let Some(Value::String(s)) = vars.get(name) {
            let url = ["http://", "https://", "gs://", "s3://", "data:"]
                .iter()
                .any(|p| s.starts_with(p));
            if !url {
                return Some(format!(
                    "`{name}` must be a URL (http, https, gs, s3 or data): the server reads no \
                     local file"
                ));
            }
        }
    }
    None
}

async fn render(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let reference = match reference_of(req.uri().path(), "/v1/render/") {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let cap = shared.max_body;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &format!("the request body is over the limit of {cap} bytes"),
            None,
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return too_large();
    }
    let body = match tokio::time::timeout(
        shared.timeout,
        axum::body::to_bytes(req.into_body(), cap),
    )
    .await
    {
        Err(_) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body did not arrive in time",
                None,
            )
        }
        Ok(Err(_)) => return too_large(),
        Ok(Ok(b)) => b,
    };
    let parsed: RenderBody = if body.iter().all(u8::is_ascii_whitespace) {
        RenderBody {
            vars: serde_json::Map::new(),
            sample: None,
            format: None,
            lenient: false,
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    &format!("the body is not a render request: {e}"),
                    None,
                )
            }
        }
    };
    let format = match format_of(parsed.format.as_deref()) {
        Ok(f) => f,
        Err(m) => return error(StatusCode::BAD_REQUEST, "bad_request", &m, None),
    };
    let snap = shared.snapshot.load_full();
    let answer = match answer(&shared, &snap, &reference) {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    let vars = parsed.vars;
    let request = |vars: serde_json::Map<String, Value>| RenderRequest {
        sample: parsed.sample.clone(),
        layers: vec![vars.into_iter().map(|(k, v)| (k, Given::Json(v))).collect()],
        lenient: parsed.lenient,
        format,
    };
    match answer {
        Answer::Snapshot { prompt, env, .. } => {
            let Some(parsed_prompt) = env.prompts.get(prompt.id.as_str()) else {
                return error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "not loaded",
                    None,
                );
            };
            if let Some(m) = local_media(parsed_prompt, &vars) {
                return error(StatusCode::BAD_REQUEST, "bad_values", &m, None);
            }
            let partials = BundlePartials::new(&prompt.partials, &env.bundle);
            match render_once(parsed_prompt, &partials, &partials, &request(vars)) {
                Err(f) => render_error(&f),
                Ok((out, _warnings)) => {
                    let mut r = (
                        [(header::CONTENT_TYPE, content_type(format))],
                        bytes_of(out),
                    )
                        .into_response();
                    let h = prompt_headers(prompt.version, Some(&prompt.commit), &prompt.sha256);
                    r.headers_mut().extend(h);
                    r
                }
            }
        }
        Answer::Missing => missing(&shared, reference).await,
        Answer::Git => {
            let origin = shared.repository.clone();
            let req = request(vars.clone());
            let result = tokio::task::spawn_blocking(move || {
                render_from_git(&origin, &reference, &req, &vars)
            })
            .await
            .unwrap_or_else(|_| Err(Err(Error::Refused("the render failed".into()))));
            git_answer(result, &HeaderMap::new(), false)
        }
    }
}

fn bytes_of(out: Output) -> Body {
    Body::from(out.to_bytes())
}

fn render_from_git(
    dir: &Option<std::path::PathBuf>,
    reference: &Reference,
    request: &RenderRequest,
    vars: &serde_json::Map<String, Value>,
) -> GitResult {
    let reg = open_registry(dir).map_err(Err)?;
    let source = Source::Registry(&reg);
    let found = source.resolve(reference).map_err(Err)?;
    let loaded = found.load().map_err(Err)?;
    if let Some(m) = local_media(&loaded.prompt, vars) {
        return Err(Err(Error::Usage(m)));
    }
    let version = match found.version {
        Some(v) => Some(v),
        None => match found.rev {
            Some(crate::store::Rev::Commit(c)) => match reg.state_at(&found.id, c).map_err(Err)? {
                Some(crate::store::VersionOrDraft::Version(v)) => Some(v.number),
                _ => None,
            },
            _ => None,
        },
    };
    let partials = source.partials(&found);
    let (out, _) = render_once(
        &loaded.prompt,
        partials.source(),
        partials.resolver(),
        request,
    )
    .map_err(Ok)?;
    Ok(FromGit {
        version,
        commit: found.commit.clone(),
        sha256: crate::interchange::bundle::digest::sha256_hex(&found.bytes),
        body: out.to_bytes(),
        content_type: content_type(request.format),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode("a%2Fb%40c").as_deref(), Some("a/b@c"));
        assert_eq!(percent_decode("%2e%2e").as_deref(), Some(".."));
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("a%zz"), None);
        assert_eq!(percent_decode("%ff"), None, "not UTF-8");
    }

    #[test]
    fn references_from_paths_are_checked_before_anything_reads() {
        let ok = reference_of("/v1/prompts/support%2Ftriage@production", "/v1/prompts/").unwrap();
        assert_eq!(ok.to_string(), "support/triage@production");
        for bad in ["..", "%2e%2e@x", "a%00b", "", "A@b"] {
            let r = reference_of(&format!("/v1/prompts/{bad}"), "/v1/prompts/").unwrap_err();
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
        let long = format!("/v1/prompts/{}", "a".repeat(MAX_REFERENCE + 1));
        assert!(reference_of(&long, "/v1/prompts/").is_err());
    }

    #[test]
    fn if_none_match_takes_quoted_weak_listed_and_star() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(not_modified(&h, "abc"));
        assert!(!not_modified(&h, "abd"));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&h, "anything"));
        assert!(!not_modified(&HeaderMap::new(), "abc"));
    }

    #[test]
    fn formats_are_the_cli_names() {
        assert_eq!(format_of(None), Ok(RenderFormat::Text));
        assert_eq!(
            format_of(Some("openai-responses")),
            Ok(RenderFormat::OpenaiResponses)
        );
        assert!(format_of(Some("xml")).is_err());
    }

    #[test]
    fn errors_map_to_statuses_by_variant() {
        let nf = Error::PromptNotFound {
            id: "a".into(),
            place: "here".into(),
            similar: vec![],
        };
        assert_eq!(lib_error(&nf).status(), StatusCode::NOT_FOUND);
        let bad = Error::BadReference {
            reference: "a@".into(),
            reason: "r".into(),
        };
        assert_eq!(lib_error(&bad).status(), StatusCode::BAD_REQUEST);
        let broken = Error::BrokenTag {
            tag: "a@p".into(),
            problem: "p".into(),
            fix: "f".into(),
        };
        assert_eq!(lib_error(&broken).status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
