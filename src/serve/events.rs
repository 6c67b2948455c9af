//! `GET /v1/events`: Server-Sent Events, one `promotion` event per prompt whose environment
//! moved (or whose rendering changed with an included partial or parent), as reloads find them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::Shared;

pub async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let rx = shared.events.subscribe();
    let stop = shared.stop.subscribe();
    let stream = futures_util::stream::unfold((rx, stop), |(mut rx, mut stop)| async move {
        tokio::select! {
            got = rx.recv() => match got {
                Ok(p) => {
                    let data = serde_json::to_string(&p).unwrap_or_default();
                    let ev = Event::default().event("promotion").data(data);
                    Some((Ok::<Event, Infallible>(ev), (rx, stop)))
                }
                // A slow reader missed some: it should refetch what it caches.
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let ev = Event::default().event("lagged").data(n.to_string());
                    Some((Ok(ev), (rx, stop)))
                }
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = stop.changed() => None,
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
