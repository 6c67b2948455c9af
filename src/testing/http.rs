//! The HTTP transport of `prompt test --record` and `--live` (feature `http`): ureq with rustls
//! (no OpenSSL, no system library), one agent shared by the worker threads.
//!
//! - OpenAI-compatible Chat Completions: `POST {base}/chat/completions` with
//!   `Authorization: Bearer $OPENAI_API_KEY` (left out when the variable is unset, for local
//!   servers such as Ollama).
//! - Anthropic Messages: `POST {base}/v1/messages` with `x-api-key: $ANTHROPIC_API_KEY` and
//!   `anthropic-version: 2023-06-01`.
//!
//! Keys are read from the environment for each request and go into that request's header only:
//! they are never stored, logged or put in a message. Every call has a total timeout; 429 and
//! 5xx answers are retried (3 attempts in all) after a backoff that doubles, or after the
//! `Retry-After` the server asks for, up to `MAX_RETRY_AFTER`; a body over `MAX_BODY` is cut off
//! with a message. Every failure is a sentence for the test's result, never a panic.

use std::time::Duration;

use serde_json::Value;

use super::answer::cut;
use super::{Api, Endpoints, Transport};

/// The largest response body read.
pub const MAX_BODY: u64 = 10 * 1024 * 1024;
/// Attempts of one call, the first included.
const ATTEMPTS: u32 = 3;
/// The first backoff; it doubles at each retry.
const BACKOFF: Duration = Duration::from_millis(500);
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(20);

/// Calls the endpoints over HTTP(S).
pub struct Http {
    agent: ureq::Agent,
    endpoints: Endpoints,
}

impl Http {
    /// A transport to `endpoints` whose every call (connect, send, answer) ends within
    /// `timeout`.
    pub fn new(endpoints: Endpoints, timeout: Duration) -> Http {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("prompt-registry/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http { agent, endpoints }
    }

    fn once(&self, api: Api, body: &str) -> Result<(u16, Option<Duration>, String), String> {
        let target = self.endpoints.url(api);
        // Messages name the URL without credentials.
        let url = self.endpoints.shown(api);
        let mut request = self
            .agent
            .post(&target)
            .header("content-type", "application/json");
        match api {
            Api::OpenAi => {
                if let Some(key) = env_key("OPENAI_API_KEY") {
                    request = request.header("authorization", &format!("Bearer {key}"));
                }
            }
            Api::Anthropic => {
                if let Some(key) = env_key("ANTHROPIC_API_KEY") {
                    request = request.header("x-api-key", &key);
                }
                request = request.header("anthropic-version", "2023-06-01");
            }
        }
        let mut response = request.send(body).map_err(|e| describe(&url, &e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|s| Duration::from_secs_f64(s.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64())));
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!(
                    "{url} answered with a body over {} MiB: cut off at the cap, not read",
                    MAX_BODY / 1024 / 1024
                ),
                other => describe(&url, &other),
            })?;
        Ok((status, retry_after, text))
    }
}

impl Transport for Http {
    fn call(&self, api: Api, body: &Value) -> Result<Value, String> {
        let url = self.endpoints.shown(api);
        let body = serde_json::to_string(body).map_err(|e| e.to_string())?;
        let mut wait = BACKOFF;
        let mut attempt = 1;
        loop {
            let (status, retry_after, text) = self.once(api, &body)?;
            let retryable = status == 429 || (500..600).contains(&status);
            if retryable && attempt < ATTEMPTS && !crate::store::stopping() {
                std::thread::sleep(retry_after.unwrap_or(wait));
                wait *= 2;
                attempt += 1;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(http_error(&url, status, &text, api, attempt));
            }
            return serde_json::from_str(&text).map_err(|e| {
                format!(
                    "{url} answered HTTP {status} with a body that is not JSON ({e}): {}",
                    Value::String(cut(text.trim(), 120))
                )
            });
        }
    }
}

/// A key from the environment, when set and not blank.
fn env_key(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|k| !k.trim().is_empty())
}

/// A failed status as a sentence: the status, the API's own message when it gave one, and what
/// to check for a 401 or 403.
fn http_error(url: &str, status: u16, text: &str, api: Api, attempts: u32) -> String {
    let message = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| cut(text.trim(), 120));
    let hint = match (status, api) {
        (401 | 403, Api::OpenAi) => " (check OPENAI_API_KEY and the base URL)",
        (401 | 403, Api::Anthropic) => " (check ANTHROPIC_API_KEY and the base URL)",
        _ => "",
    };
    let tries = if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    };
    format!(
        "{url} answered HTTP {status}{tries}{hint}: {}",
        Value::String(message)
    )
}

/// A transport failure as a sentence (never with a header, so never with a key).
fn describe(url: &str, e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(which) => {
            format!("{url} did not answer in time ({which} timeout; see --timeout)")
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("{url} refused the connection (is the server running?)")
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("{url} did not answer in time (see --timeout)")
        }
        ureq::Error::Io(io) => format!("{url}: {io}"),
        ureq::Error::ConnectionFailed => format!("{url}: the connection failed"),
        ureq::Error::HostNotFound => format!("{url}: the host was not found"),
        ureq::Error::BadUri(u) => format!("the base URL gives a bad URL: {}", super::redact(u)),
        other => format!("{url}: {other}"),
    }
}
