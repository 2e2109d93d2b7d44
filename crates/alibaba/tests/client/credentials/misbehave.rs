// SPDX-License-Identifier: MPL-2.0
//! The fake server's misbehaving mode (issue #19): by path, an answer that trickles in or a
//! fixed status and body, served in place of the normal route, whatever the method or
//! query. Every path the server knows (STS `/`, the ECS metadata paths, `/creds`, the sign-in
//! routes) can misbehave.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ehpc_alibaba::HttpClient;

use crate::credentials::fake_server::{Server, Shared, USER_AGENT};

#[derive(Clone)]
pub(super) enum Misbehaviour {
    /// 200 at once, then `{` and one space per `every`, forever: each gap is shorter than
    /// the bound under test, so only a bound on the whole answer stops it. (The server's
    /// pace, not a synchronisation of the test.)
    Trickle(Duration),
    /// This status and body (`application/json`).
    Answer(StatusCode, String),
}

/// The misbehaving paths and how often each was asked.
#[derive(Default)]
pub(super) struct Misbehaving {
    modes: Mutex<BTreeMap<String, Misbehaviour>>,
    hits: Mutex<BTreeMap<String, usize>>,
}

/// The middleware in front of every route: a misbehaving path's answer, else the route's.
pub(super) async fn intercept(
    State(s): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let mode = s.misbehaving.modes.lock().unwrap().get(&path).cloned();
    let Some(mode) = mode else {
        return next.run(request).await;
    };
    *s.misbehaving.hits.lock().unwrap().entry(path).or_default() += 1;
    match mode {
        Misbehaviour::Trickle(every) => {
            let ticks = tokio_stream::wrappers::IntervalStream::new(tokio::time::interval(every));
            let mut first = true;
            let bytes = tokio_stream::StreamExt::map(ticks, move |_| {
                let byte: &'static [u8] = if std::mem::take(&mut first) {
                    b"{"
                } else {
                    b" "
                };
                Ok::<_, std::io::Error>(Bytes::from_static(byte))
            });
            (StatusCode::OK, Body::from_stream(bytes)).into_response()
        }
        Misbehaviour::Answer(status, body) => {
            (status, [("content-type", "application/json")], body).into_response()
        }
    }
}

impl Server {
    /// From now on, requests to `path` get `mode` instead of the normal answer.
    pub(super) fn misbehave(&self, path: &str, mode: Misbehaviour) {
        let mut modes = self.shared.misbehaving.modes.lock().unwrap();
        modes.insert(path.to_string(), mode);
    }

    /// How many requests the misbehaving `path` received.
    pub(super) fn hits(&self, path: &str) -> usize {
        let hits = self.shared.misbehaving.hits.lock().unwrap();
        hits.get(path).copied().unwrap_or_default()
    }

    /// The chain's HTTP client gets this `client_read_timeout` (STS's bound).
    pub(super) fn with_read_timeout(mut self, read_timeout: Duration) -> Server {
        self.http = HttpClient::new(Duration::from_secs(10), read_timeout, USER_AGENT);
        self
    }
}
