// SPDX-License-Identifier: MPL-2.0
//! Fault injection on RPC calls (never on `/_emulator/*` or metadata): added latency, dropped
//! connections (before the call is handled, or after a SynchronizeApp was applied, so that
//! the answer is lost), `503 ServiceUnavailable`, and `400 Throttling.User` from a token
//! bucket with an `x-acs-retry-after` hint. `fail_copies_to` is applied by SynchronizeApp and `unlisted_copies_in` by GetImage
//! itself (the copies it starts there fail), not here. Decisions use the emulator's seedable random
//! source; the bucket uses tokio's clock so tests can pause time.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::Deserialize;
use tokio::time::Instant;

use super::conn::ConnHandle;
use super::params::RpcRequest;
use super::{lock, ApiError, AppState};

/// The knobs, all off by default.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Share of calls answered `503 ServiceUnavailable` (0.0..=1.0).
    pub fail_rate: f64,
    /// Calls per second admitted; the excess is answered `400 Throttling.User`.
    pub throttle_rps: Option<f64>,
    /// Share of calls answered `400 Throttling.User` (0.0..=1.0) whatever the rate, with an
    /// `x-acs-retry-after` of [`THROTTLE_RATE_RETRY_AFTER_MS`]: a seeded, load-independent
    /// stand-in for flow control.
    pub throttle_rate: f64,
    /// Delay added before every call is handled.
    pub latency_ms: u64,
    /// Share of calls whose connection is closed without any response (0.0..=1.0).
    pub drop_rate: f64,
    /// Share of successful SynchronizeApp calls that are applied (regions recorded) and whose
    /// connection is then closed without the answer (0.0..=1.0): the client cannot tell this
    /// from [`FaultConfig::drop_rate`], but its retry finds the regions already there.
    pub drop_after_apply_rate: f64,
    /// Regions where every copy SynchronizeApp starts ends `CreateFailed` (once its copy time
    /// has passed) instead of `Available`.
    pub fail_copies_to: Vec<String>,
    /// Regions whose copies GetImage never lists, while SynchronizeApp still knows them (a
    /// listing rule of the real service nobody documented, for the provider's tests).
    pub unlisted_copies_in: Vec<String>,
    /// Seconds after AddImage during which ListImages does not list the new application yet
    /// (GetImage already knows it): a slow index, for the read-back's timeout.
    pub list_registered_after_seconds: u64,
    /// Seed of the random source (fault decisions and generated ids); random when unset.
    pub seed: Option<u64>,
}

impl FaultConfig {
    /// Checks the ranges, so the random source is never asked for an impossible probability.
    ///
    /// # Errors
    /// A rate outside 0..=1 or a non-positive throttle.
    pub fn validate(&self) -> Result<(), String> {
        let rates = [
            ("fail_rate", self.fail_rate),
            ("drop_rate", self.drop_rate),
            ("drop_after_apply_rate", self.drop_after_apply_rate),
            ("throttle_rate", self.throttle_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        match self.throttle_rps {
            Some(rps) if !(rps.is_finite() && rps > 0.0) => {
                Err(format!("throttle_rps must be positive, got {rps}"))
            }
            _ => Ok(()),
        }
    }
}

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

/// The `x-acs-retry-after` of a call throttled by [`FaultConfig::throttle_rate`].
pub(crate) const THROTTLE_RATE_RETRY_AFTER_MS: u64 = 100;

/// NOTE: nginx's "closed without response" status; only seen by in-process callers of `app()`,
/// since with a socket the client never receives it.
const DROPPED_STATUS: u16 = 444;

/// A token bucket holding at most one second of calls.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket admitting `rate` calls per second.
    pub(crate) fn new(rate: f64) -> Self {
        Self {
            rate,
            tokens: rate.max(1.0),
            last: Instant::now(),
        }
    }

    /// Takes a token, or says how long until one is available.
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate.max(1.0));
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            // `try_`: a tiny configured rate makes the wait too long for a Duration.
            let wait = Duration::try_from_secs_f64((1.0 - self.tokens) / self.rate);
            Err(wait.unwrap_or(Duration::MAX))
        }
    }
}

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
