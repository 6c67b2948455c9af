//! `prompt serve` (contract §13): a read-only HTTP/1.1 API over one consistent state of the
//! registry (every environment) or of one bundle.
//!
//! - `state`: the snapshot (built from the repository or a bundle), what decides a reload, and
//!   the promotions between two snapshots.
//! - `routes`: the endpoints and the error answers.
//! - `events`: the Server-Sent Events stream.
//!
//! The HTTP parsing is hyper's; routing is axum's. A watcher thread polls the refs every 250 ms
//! (and reloads at once on SIGHUP), builds a new snapshot off the request path and swaps it in
//! whole (`arc-swap`); a request loads the snapshot once. SIGTERM and Ctrl-C stop accepting,
//! let in-flight requests finish, and return.

pub mod events;
pub mod routes;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::{broadcast, watch};

use crate::error::Error;
pub use state::{Origin, Promotion, Snapshot};

/// How often the watcher compares the refs.
const POLL: Duration = Duration::from_millis(250);

/// What `prompt serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub origin: Origin,
    pub bind: SocketAddr,
    /// Poll for new commits and tag moves.
    pub watch: bool,
    /// The bearer token requests must carry, if any.
    pub token: Option<String>,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// How long a client may take to send a request's headers, or its body.
    pub timeout: Duration,
    /// Worker threads (default: the machine's cores).
    pub threads: Option<usize>,
}

/// What every request shares.
pub struct Shared {
    pub snapshot: ArcSwap<Snapshot>,
    pub events: broadcast::Sender<Promotion>,
    /// Set when the server stops, so that event streams end and the drain can finish.
    pub stop: watch::Sender<bool>,
    pub token: Option<String>,
    pub max_body: usize,
    pub timeout: Duration,
    pub bundle_mode: bool,
    /// The repository to read on demand (`None` when serving a bundle).
    pub repository: Option<PathBuf>,
}

/// Whether `addr` is a loopback address (no token needed).
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Serves until SIGTERM or Ctrl-C. `listening` is called once with the bound address, before
/// the first request is accepted.
pub fn run(options: Options, listening: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    if !is_loopback(&options.bind) && options.token.is_none() {
        return Err(Error::Usage(format!(
            "{} is not a loopback address: pass --token-file FILE so that requests need a token",
            options.bind
        )));
    }
    let first = state::load(&options.origin)?;
    let threads = options.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .max_blocking_threads(8)
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    let (events, _) = broadcast::channel(1024);
    let (stop, _) = watch::channel(false);
    let shared = Arc::new(Shared {
        snapshot: ArcSwap::from_pointee(first),
        events,
        stop,
        token: options.token.clone(),
        max_body: options.max_body,
        timeout: options.timeout,
        bundle_mode: matches!(options.origin, Origin::Bundle(_)),
        repository: match &options.origin {
            Origin::Repository(dir) => Some(dir.clone()),
            Origin::Bundle(_) => None,
        },
    });
    let listener = std::net::TcpListener::bind(options.bind)
        .map_err(|e| Error::io(options.bind.to_string(), e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io(options.bind.to_string(), e))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::io(options.bind.to_string(), e))?;
    let (reload_tx, reload_rx) = mpsc::channel::<()>();
    let watcher = {
        let shared = shared.clone();
        let origin = options.origin.clone();
        let watch = options.watch;
        std::thread::spawn(move || watch_loop(&shared, &origin, watch, &reload_rx))
    };
    listening(local);
    let result = runtime.block_on(serve(listener, shared.clone(), reload_tx, options.timeout));
    // The watcher ends when the reload channel closes (dropped with `serve`).
    let _ = watcher.join();
    result
}

/// Reloads when the refs (or the bundle file) change, or when asked (SIGHUP).
fn watch_loop(shared: &Shared, origin: &Origin, watch: bool, reload: &mpsc::Receiver<()>) {
    let mut handle = None;
    loop {
        let forced = match reload.recv_timeout(POLL) {
            Ok(()) => true,
            Err(mpsc::RecvTimeoutError::Timeout) => false,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if !forced && !watch {
            continue;
        }
        let current = shared.snapshot.load_full();
        if !forced {
            match state::key_of(origin, &mut handle) {
                Ok(key) if key == current.key => continue,
                Ok(_) => {}
                // Unreadable for now (a write under way): keep serving what we have.
                Err(_) => continue,
            }
        }
        let Ok(next) = state::load(origin) else {
            continue;
        };
        let moved = state::promotions(&current, &next);
        shared.snapshot.store(Arc::new(next));
        for p in moved {
            let _ = shared.events.send(p);
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    reload: mpsc::Sender<()>,
    timeout: Duration,
) -> Result<(), Error> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceBuilder;

    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| Error::io("listener", e))?;
    let app = routes::router(shared.clone());
    let app = ServiceBuilder::new()
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(on_panic))
        .service(app);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
    // Made once, before the loop: a signal stream made anew at each turn would miss a signal
    // that came while the loop was busy with a connection.
    let mut interrupt = signal(tokio::signal::unix::SignalKind::interrupt())?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of descriptors or a reset before accept: wait a little, go on.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(timeout)
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = hangup.recv() => {
                let _ = reload.send(());
            }
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        }
    }
    drop(listener);
    let _ = shared.stop.send(true);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(30)) => {}
    }
    drop(reload);
    Ok(())
}

/// A panic in a handler: a 500 for that request, never a dropped connection or a dead server.
fn on_panic(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    routes::error(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the server failed on this request; it keeps serving",
        None,
    )
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Result<tokio::signal::unix::Signal, Error> {
    tokio::signal::unix::signal(kind).map_err(|e| Error::io("signal handler", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[test]
    fn a_panic_in_a_handler_is_a_500_with_an_error_body() {
        async fn boom() -> &'static str {
            let v: Vec<&'static str> = Vec::new();
            v[1]
        }
        let app: axum::Router = axum::Router::new().route("/", axum::routing::get(boom));
        let svc = tower::ServiceBuilder::new()
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(on_panic))
            .service(app);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let req = axum::http::Request::get("/")
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = rt.block_on(svc.oneshot(req)).unwrap();
        assert_eq!(resp.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = rt
            .block_on(axum::body::to_bytes(
                axum::body::Body::new(resp.into_body()),
                1 << 16,
            ))
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "internal");
    }

    #[test]
    fn only_loopback_goes_without_a_token() {
        assert!(is_loopback(&"127.0.0.1:1".parse().unwrap()));
        assert!(is_loopback(&"[::1]:1".parse().unwrap()));
        assert!(!is_loopback(&"0.0.0.0:1".parse().unwrap()));
        let options = Options {
            origin: Origin::Bundle("x".into()),
            bind: "0.0.0.0:0".parse().unwrap(),
            watch: false,
            token: None,
            max_body: 1,
            timeout: Duration::from_secs(1),
            threads: None,
        };
        assert!(matches!(run(options, |_| ()), Err(Error::Usage(_))));
    }
}
