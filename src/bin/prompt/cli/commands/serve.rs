//! `prompt serve`: the read-only HTTP API for applications (contract §13). Parses its options
//! and calls `prompt_registry::serve::run`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{error::CliError, Context};
use prompt_registry::serve::{self, Options, Origin};
use prompt_registry::Error;

/// Serve prompts over HTTP to applications: exactly the bytes `prompt render` prints
///
/// Read-only. Endpoints: GET /v1/health, GET /v1/environments/ENV (the bundle; ETag = digest),
/// GET /v1/prompts/ID@REF (as `show --json`), POST /v1/render/ID@REF ({"vars", "sample",
/// "format", "lenient"}), GET /v1/events (Server-Sent Events on promotions). The first line of
/// stdout is `listening on http://ADDR:PORT`. SIGHUP reloads; SIGTERM and Ctrl-C finish the
/// requests in flight and exit 0.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8377")]
    pub bind: String,
    /// Serve this bundle file (`prompt bundle`) instead of the repository
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
    /// See new commits and tag moves within a second (the default when serving a repository)
    #[arg(long, overrides_with = "no_watch")]
    pub watch: bool,
    /// Do not poll for changes (SIGHUP still reloads)
    #[arg(long)]
    pub no_watch: bool,
    /// A file holding the bearer token requests must send (`Authorization: Bearer TOKEN`);
    /// required for an address that is not loopback
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The largest request body, in bytes (larger ones get 413)
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Seconds a client may take to send a request's headers or body
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    /// Worker threads (default: one per core)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let bind: SocketAddr = args.bind.parse().map_err(|_| {
        CliError::Usage(format!(
            "--bind `{}`: expected ADDR:PORT, e.g. 127.0.0.1:8377 or [::1]:0",
            args.bind
        ))
    })?;
    let token = match &args.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let token = text.trim().to_string();
            if token.is_empty() {
                return Err(CliError::Usage(format!(
                    "--token-file {}: the file is empty",
                    path.display()
                )));
            }
            Some(token)
        }
        None => None,
    };
    if !serve::is_loopback(&bind) && token.is_none() {
        return Err(CliError::Usage(format!(
            "--bind {bind} is not a loopback address: pass --token-file FILE so that requests \
             need a token"
        )));
    }
    let (origin, watch_default) = match &args.bundle {
        Some(path) => (Origin::Bundle(path.clone()), false),
        None => {
            let reg = ctx.registry()?;
            let dir = reg
                .workdir()
                .map(PathBuf::from)
                .unwrap_or_else(|| reg.git_dir().to_path_buf());
            (Origin::Repository(dir), true)
        }
    };
    let watch = if args.no_watch {
        false
    } else {
        args.watch || watch_default
    };
    let options = Options {
        origin,
        bind,
        watch,
        token,
        max_body: args.max_body,
        timeout: Duration::from_secs(args.timeout.max(1)),
        threads: args.threads,
    };
    serve::run(options, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    })?;
    Ok(())
}
