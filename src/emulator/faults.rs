// SPDX-License-Identifier: MPL-2.0
//! Fault injection on RPC calls (never on `/_emulator/*` or metadata): added latency, dropped
//! connections (before the call is handled, or after a SynchronizeApp was applied, so that
//! the answer is lost), `503 ServiceUnavailable`, and `400 Throttling.User` from a token
//! bucket with an `x-acs-retry-after` hint. Decisions use the emulator's seedable random
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
    /// Delay added before every call is handled.
    pub latency_ms: u64,
    /// Share of calls whose connection is closed without any response (0.0..=1.0).
    pub drop_rate: f64,
    /// Share of successful SynchronizeApp calls that are applied (regions recorded) and whose
    /// connection is then closed without the answer (0.0..=1.0): the client cannot tell this
    /// from [`FaultConfig::drop_rate`], but its retry finds the regions already there.
    pub drop_after_apply_rate: f64,
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
pub enum Dropped {
    /// Closed before the call was handled: nothing happened (`--drop-rate`).
    BeforeHandling,
    /// Closed after a SynchronizeApp was applied: the regions are recorded, the answer lost
    /// (`--drop-after-apply-rate`).
    AfterApply,
}

impl Dropped {
    /// The code the call log shows for such a call.
    pub fn code(self) -> &'static str {
        match self {
            Self::BeforeHandling => "ConnectionDropped",
            Self::AfterApply => "ConnectionDroppedAfterApply",
        }
    }
}

/// NOTE: nginx's "closed without response" status; only seen by in-process callers of `app()`,
/// since with a socket the client never receives it.
const DROPPED_STATUS: u16 = 444;

/// A token bucket holding at most one second of calls.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket admitting `rate` calls per second.
    pub fn new(rate: f64) -> Self {
        Self {
            rate,
            tokens: rate.max(1.0),
            last: Instant::now(),
        }
    }

    /// Takes a token, or says how long until one is available.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
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

/// Middleware: delays, drops, fails or throttles, then passes the call on.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let config = &state.inner.config.faults;
    if config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(config.latency_ms)).await;
    }
    let (drop, fail) = {
        let mut rng = lock(&state.inner.rng);
        (
            config.drop_rate > 0.0 && rng.random_bool(config.drop_rate),
            config.fail_rate > 0.0 && rng.random_bool(config.fail_rate),
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
    if let Some(bucket) = lock(&state.inner.bucket).as_mut() {
        if let Err(wait) = bucket.take(Instant::now()) {
            let retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            return ApiError::Throttled { retry_after_ms }.into_response();
        }
    }
    let synchronize = req
        .extensions()
        .get::<Arc<RpcRequest>>()
        .is_some_and(|rpc| rpc.action() == Some("SynchronizeApp"));
    let mut response = next.run(req).await;
    if synchronize && response.status().is_success() && lose_answer(&state) {
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
mod tests {
    use super::*;
    use crate::alibaba::signer;
    use crate::emulator::{app, EmulatorConfig};
    use axum::body::Body;
    use std::collections::BTreeMap;
    use time::OffsetDateTime;
    use tower::ServiceExt as _;

    const APP: &str = "ci-vm-dropAfterApply";

    /// A signed V2 SynchronizeApp request (nonce `nonce`) for `regions`.
    fn sync_request(nonce: &str, regions: &str) -> Request {
        let mut params: BTreeMap<String, String> = [
            ("Action", "SynchronizeApp"),
            ("Version", "2023-07-01"),
            ("Format", "json"),
            ("AccessKeyId", "id"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", nonce),
            (
                "Timestamp",
                &crate::alibaba::timestamp::format(OffsetDateTime::now_utc()),
            ),
            ("AppId", APP),
            ("TargetRegionIds", regions),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let string_to_sign = signer::string_to_sign_v2("POST", &params);
        params.insert(
            "Signature".into(),
            signer::sign_v2("secret", &string_to_sign),
        );
        axum::http::Request::post(format!("/?{}", signer::canonical_query(&params)))
            .header("host", "ehpcinstant.cn-hangzhou.aliyuncs.com")
            .body(Body::empty())
            .unwrap_or_default()
    }

    async fn get(router: &axum::Router, path: &str) -> serde_json::Value {
        let req = axum::http::Request::get(path)
            .body(Body::empty())
            .unwrap_or_default();
        let Ok(resp) = router.clone().oneshot(req).await;
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await;
        serde_json::from_slice(&body.unwrap_or_default()).unwrap_or_default()
    }

    /// (case, drop_after_apply_rate, regions sent by two calls in turn, the logged
    /// (status, code) of each call, the regions the app holds at the end)
    type Case = (
        &'static str,
        f64,
        [&'static str; 2],
        [(u16, Option<&'static str>); 2],
        &'static [&'static str],
    );

    #[tokio::test]
    async fn drop_after_apply_cases() {
        const LOST: Option<&str> = Some("ConnectionDroppedAfterApply");
        let cases: [Case; 3] = [
            (
                "answers lost, regions kept",
                1.0,
                [r#"["cn-beijing"]"#, r#"["cn-shanghai"]"#],
                [(200, LOST), (200, LOST)],
                &["cn-beijing", "cn-shanghai"],
            ),
            (
                "an error answer is never dropped",
                1.0,
                [r#"["cn-beijing"]"#, r#"["cn-beijing"]"#],
                [(200, LOST), (400, Some("ImageAlreadyExists"))],
                &["cn-beijing"],
            ),
            (
                "rate 0 answers",
                0.0,
                [r#"["cn-beijing"]"#, r#"["cn-beijing"]"#],
                [(200, None), (400, Some("ImageAlreadyExists"))],
                &["cn-beijing"],
            ),
        ];
        for (name, rate, regions, want, held) in cases {
            let config = EmulatorConfig {
                faults: FaultConfig {
                    drop_after_apply_rate: rate,
                    seed: Some(7),
                    ..FaultConfig::default()
                },
                ..EmulatorConfig::default()
                    .with_credential("id", "secret")
                    .with_app(APP)
            };
            let Ok(state) = AppState::new(config) else {
                panic!("{name}: valid config");
            };
            let router = app(state);
            for (i, r) in regions.iter().enumerate() {
                let Ok(resp) = router
                    .clone()
                    .oneshot(sync_request(&format!("{name}-{i}"), r))
                    .await;
                // Without a socket there is nothing to close: the in-process caller still
                // gets the real answer.
                assert_eq!(resp.status().as_u16(), want[i].0, "{name}: call {i}");
            }
            let calls = get(&router, "/_emulator/calls").await;
            for (i, (status, code)) in want.iter().enumerate() {
                assert_eq!(calls[i]["status"], *status, "{name}: call {i}: {calls}");
                assert_eq!(
                    calls[i]["code"].as_str(),
                    *code,
                    "{name}: call {i}: {calls}"
                );
            }
            let apps = get(&router, "/_emulator/apps").await;
            assert_eq!(apps[APP], serde_json::json!(held), "{name}");
        }
    }

    #[test]
    fn bucket_admits_rate_then_refills() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(2.0);
        assert_eq!(bucket.take(start), Ok(()));
        assert_eq!(bucket.take(start), Ok(()));
        assert_eq!(bucket.take(start), Err(Duration::from_millis(500)));
        assert_eq!(bucket.take(start + Duration::from_millis(500)), Ok(()));
    }

    #[test]
    fn tiny_rate_waits_instead_of_panicking() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(1e-30);
        assert_eq!(bucket.take(start), Ok(()));
        assert_eq!(bucket.take(start), Err(Duration::MAX));
    }

    #[test]
    fn validation_cases() {
        let cases = [
            ("defaults", FaultConfig::default(), true),
            (
                "rate 1",
                FaultConfig {
                    fail_rate: 1.0,
                    ..Default::default()
                },
                true,
            ),
            (
                "rate above 1",
                FaultConfig {
                    drop_rate: 1.5,
                    ..Default::default()
                },
                false,
            ),
            (
                "negative",
                FaultConfig {
                    fail_rate: -0.1,
                    ..Default::default()
                },
                false,
            ),
            (
                "drop after apply above 1",
                FaultConfig {
                    drop_after_apply_rate: 1.01,
                    ..Default::default()
                },
                false,
            ),
            (
                "zero rps",
                FaultConfig {
                    throttle_rps: Some(0.0),
                    ..Default::default()
                },
                false,
            ),
        ];
        for (name, config, ok) in cases {
            assert_eq!(config.validate().is_ok(), ok, "{name}");
        }
    }
}
