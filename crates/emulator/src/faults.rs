// SPDX-License-Identifier: MPL-2.0
//! Fault injection on RPC calls (never on `/_emulator/*` or metadata): added latency, dropped
//! connections (before the call is handled, or after a SynchronizeApp was applied, so that the
//! answer is lost), `503 ServiceUnavailable`, and `400 Throttling.User` from a token bucket with an
//! `x-acs-retry-after` hint. `fail_copies_to` is applied by SynchronizeApp and `unlisted_copies_in`
//! by GetImage itself (the copies it starts there fail), not here. Decisions use the emulator's
//! seedable random source; the bucket uses tokio's clock so tests can pause time.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use tokio::time::Instant;

use super::config::THROTTLE_RATE_RETRY_AFTER_MS;
use super::conn::ConnHandle;
use super::params::RpcRequest;
use super::{lock, ApiError, AppState};

/// Marks a response whose connection was (or, without a socket, would have been) dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// Closed before the call was handled: nothing happened (`--drop-rate`).
    BeforeHandling,
    /// Closed after a SynchronizeApp was applied: the regions are recorded, the answer lost
    /// (`--drop-after-apply-rate`).
    AfterApply,
}

impl Dropped {
    /// The code the call log shows for such a call.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::BeforeHandling => "ConnectionDropped",
            Self::AfterApply => "ConnectionDroppedAfterApply",
        }
    }
}

/// NOTE: nginx's "closed without response" status; only seen by in-process callers of `app()`,
/// since with a socket the client never receives it.
const DROPPED_STATUS: u16 = 444;

/// The actions whose answer `drop_after_apply_rate` may lose after they changed the store.
const CHANGING_ACTIONS: [&str; 3] = ["SynchronizeApp", "AddImage", "RemoveImage"];

/// Middleware: delays, drops, fails or throttles, then passes the call on.
pub(crate) async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let config = &state.inner.config.faults;
    if config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(config.latency_ms)).await;
    }
    let (drop, fail, throttle) = {
        let mut rng = lock(&state.inner.rng);
        (
            config.drop_rate > 0.0 && rng.random_bool(config.drop_rate),
            config.fail_rate > 0.0 && rng.random_bool(config.fail_rate),
            config.throttle_rate > 0.0 && rng.random_bool(config.throttle_rate),
        )
    };
    let conn = req
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|ConnectInfo(conn)| conn.clone());
    if drop {
        if let Some(conn) = &conn {
            conn.kill();
        }
        let status = StatusCode::from_u16(DROPPED_STATUS).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut response = status.into_response();
        response.extensions_mut().insert(Dropped::BeforeHandling);
        return response;
    }
    if fail {
        return ApiError::ServiceUnavailable.into_response();
    }
    if throttle {
        let retry_after_ms = THROTTLE_RATE_RETRY_AFTER_MS;
        return ApiError::Throttled { retry_after_ms }.into_response();
    }
    if let Some(bucket) = lock(&state.inner.bucket).as_mut() {
        if let Err(wait) = bucket.take(Instant::now()) {
            let retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            return ApiError::Throttled { retry_after_ms }.into_response();
        }
    }
    let changes_store = req
        .extensions()
        .get::<Arc<RpcRequest>>()
        .is_some_and(|rpc| CHANGING_ACTIONS.contains(&rpc.action().unwrap_or_default()));
    let mut response = next.run(req).await;
    if changes_store && response.status().is_success() && lose_answer(&state) {
        // The regions are recorded; only the answer is lost. The status stays the real one
        // so the call log shows what was applied.
        if let Some(conn) = &conn {
            conn.kill();
        }
        response.extensions_mut().insert(Dropped::AfterApply);
    }
    response
}

/// Whether the answer of an applied call is dropped (`drop_after_apply_rate`).
fn lose_answer(state: &AppState) -> bool {
    let rate = state.inner.config.faults.drop_after_apply_rate;
    rate > 0.0 && lock(&state.inner.rng).random_bool(rate)
}

#[cfg(test)]
mod tests;
