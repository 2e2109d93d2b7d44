// SPDX-License-Identifier: MPL-2.0
//! Retry policy: capped exponential backoff with full jitter, within a deadline and a cancellation
//! token.
//!
//! Retried: transport errors (including timeouts), HTTP 5xx and 429, `ServiceUnavailable`,
//! `InternalError`, `UnknownError` and any code containing `Throttling`. Never retried:
//! signature, credential, permission and parameter errors, which a second attempt cannot fix.
//! As terraform-provider-alicloud's `resource.Retry(timeout, …)` does, retries go on until the
//! operation's own deadline; a retry count is a cap only when one is given (and the bound of a
//! call without a deadline). A refused connection is the exception: it almost always means a
//! wrong endpoint or region, so it is retried only [`UNREACHABLE_RETRIES`] times.
//! The delay before retry `n` (0-based) is uniform in `[0, min(cap, base * 2^n)]` ("full
//! jitter", so concurrent callers spread out), but never shorter than the server's
//! `x-acs-retry-after`.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use super::{CallOptions, Error, ErrorCode};

/// Backoff delays between attempts. The defaults (200 ms doubling up to 10 s) keep a burst of
/// throttled calls from retrying in lock-step while bounding the wait of a single retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Upper bound of the first retry's delay.
    pub base: Duration,
    /// Upper bound of any delay (a larger `x-acs-retry-after` still wins).
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(200),
            cap: Duration::from_secs(10),
        }
    }
}

impl Backoff {
    /// The delay before retry number `retry` (0 for the first retry).
    pub(crate) fn delay(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        rng: &mut impl Rng,
    ) -> Duration {
        self.delay_at(retry, retry_after, rng.random::<f64>())
    }

    /// `delay` with the jitter fraction `unit` in `[0, 1)` given explicitly.
    fn delay_at(&self, retry: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(2u32.saturating_pow(retry.min(31)))
            .min(self.cap);
        // Not `mul_f64`: it panics when the product does not fit (a `cap` near
        // `Duration::MAX` rounds up in f64), and `unit` is a fraction, so the ceiling bounds it.
        let jittered = Duration::try_from_secs_f64(ceiling.as_secs_f64() * unit.clamp(0.0, 1.0))
            .map_or(ceiling, |d| d.min(ceiling));
        jittered.max(retry_after.unwrap_or_default())
    }
}

/// Codes a retry cannot fix: bad signature, key, token or parameters, and answers about the
/// application that another attempt does not change. Checked before the retryable rules, so
/// e.g. a 5xx carrying one of these is not retried. Each also stops its dotted sub-codes
/// (`InvalidAccessKeyId.NotFound`), a wider rule than [`ErrorCode::matches`] for most codes.
const NEVER_RETRY: &[ErrorCode] = &[
    ErrorCode::SignatureDoesNotMatch,
    ErrorCode::IncompleteSignature,
    ErrorCode::InvalidAccessKeyId,
    ErrorCode::InvalidSecurityToken,
    ErrorCode::MissingSecurityToken,
    ErrorCode::InvalidParams,
    ErrorCode::MissingParameter,
    ErrorCode::ImageNotFound,
    ErrorCode::ImageAlreadyExists,
];

/// Gateway codes a retry cannot fix that no caller acts on, so [`ErrorCode`] has no variant
/// for them: clock, permission, parameter and API-name errors (and their dotted sub-codes,
/// e.g. `Forbidden.RAM`).
const NEVER_RETRY_GATEWAY: &[&str] = &[
    "InvalidTimeStamp",
    "IllegalTimestamp",
    // Each attempt has a fresh nonce, so a collision means something else is wrong.
    "SignatureNonceUsed",
    "Forbidden",
    "ActionUnauthorized",
    "NoPermission",
    "InvalidParameter",
    "InvalidApi",
    "InvalidProduct",
    "InvalidVersion",
];

/// Codes answered while the service is briefly unable to serve, beside any 5xx.
const RETRY_CODES: &[&str] = &["InternalError", "UnknownError"];

/// Whether `code` is `root` or one of its dotted sub-codes (`Forbidden.RAM` of `Forbidden`).
fn in_family(code: &str, root: &str) -> bool {
    code.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// True when the service asked us to slow down (any code containing `Throttling`, or HTTP 429).
pub(crate) fn is_throttling(err: &Error) -> bool {
    matches!(err, Error::Api(a) if a.is(ErrorCode::Throttling) || a.status == 429)
}

/// True when another attempt may succeed.
pub(crate) fn is_retryable(err: &Error) -> bool {
    match err {
        Error::Transport { .. } | Error::Unreachable { .. } => true,
        Error::Api(a) => {
            let fatal = NEVER_RETRY
                .iter()
                .map(|c| c.as_str())
                .chain(NEVER_RETRY_GATEWAY.iter().copied())
                .any(|root| in_family(&a.code, root));
            !fatal
                && (is_throttling(err)
                    || a.is(ErrorCode::ServiceUnavailable)
                    || RETRY_CODES.contains(&a.code.as_str())
                    || a.status >= 500)
        }
        Error::Cancelled { .. }
        | Error::DeadlineExceeded { .. }
        | Error::RetryAfterPastDeadline { .. }
        | Error::Credentials(_)
        | Error::Config(_) => false,
    }
}

/// Retries of a call that has neither a deadline nor a cap of its own: never endless.
pub const RETRIES_WITHOUT_DEADLINE: u32 = 5;

/// Retries after a connection was refused (or the host not found): a restarting endpoint
/// gets a second chance, a wrong endpoint fails in a second, not at the deadline.
pub const UNREACHABLE_RETRIES: u32 = 2;

/// [`with_retries_using`] with the default [`Backoff`] and a fixed cap.
pub(crate) async fn with_retries<T, F, Fut>(
    max_retries: u32,
    opts: &CallOptions,
    during: &str,
    attempt: F,
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    with_retries_using(
        &Backoff::default(),
        Some(max_retries),
        opts,
        during,
        attempt,
    )
    .await
}

/// Whether retry number `retry` (0-based) may follow `err`: retryable, within the cap
/// (`max_retries`, else [`RETRIES_WITHOUT_DEADLINE`] when there is no deadline), and within
/// [`UNREACHABLE_RETRIES`] for an unreachable endpoint.
fn may_retry(err: &Error, retry: u32, max_retries: Option<u32>, has_deadline: bool) -> bool {
    let cap = match (max_retries, has_deadline) {
        (Some(cap), _) => cap,
        (None, true) => u32::MAX,
        (None, false) => RETRIES_WITHOUT_DEADLINE,
    };
    let cap = match err {
        Error::Unreachable { .. } => cap.min(UNREACHABLE_RETRIES),
        _ => cap,
    };
    retry < cap && is_retryable(err)
}

/// Runs `attempt(0)`, `attempt(1)`, ... until one succeeds, fails with a non-retryable error,
/// or the retries allowed are spent (see [`may_retry`]; then the last error is returned as
/// is). With a deadline and no `max_retries`, retries go on until the deadline.
///
/// Both the attempts and the sleeps between them race `opts.cancel` (-> `Error::Cancelled`,
/// naming `during`, e.g. "synchronizing app X") and `opts.deadline` (-> `DeadlineExceeded`,
/// with the number of attempts and the last error). A retry whose delay would end past the
/// deadline is not attempted.
pub(crate) async fn with_retries_using<T, F, Fut>(
    backoff: &Backoff,
    max_retries: Option<u32>,
    opts: &CallOptions,
    during: &str,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let cancelled = || Error::Cancelled {
        during: during.to_string(),
    };
    let mut last: Option<Error> = None;
    let mut n: u32 = 0;
    loop {
        if opts.cancel.is_cancelled() {
            return Err(cancelled());
        }
        let result = tokio::select! {
            biased;
            () = opts.cancel.cancelled() => return Err(cancelled()),
            r = attempt(n) => r,
            () = sleep_until_deadline(opts.deadline) => {
                let last = Box::new(last.unwrap_or_else(in_flight));
                return Err(Error::DeadlineExceeded { attempts: n + 1, last });
            }
        };
        let err = match result {
            Ok(v) => return Ok(v),
            Err(e) if !may_retry(&e, n, max_retries, opts.deadline.is_some()) => return Err(e),
            Err(e) => e,
        };
        let retry_after = err.api().and_then(|a| a.retry_after);
        let delay = backoff.delay(n, retry_after, &mut rand::rng());
        tracing::debug!(
            during,
            attempt = n,
            delay_ms = delay.as_millis() as u64,
            error = %err,
            "retrying"
        );
        n += 1;
        // `checked_add`: a retry-after is the server's number and need not fit an Instant.
        let now = Instant::now();
        let wakes = now.checked_add(delay);
        if let Some(deadline) = opts.deadline.filter(|d| wakes.is_none_or(|w| w >= *d)) {
            let left = deadline.saturating_duration_since(now);
            // Say so when it is the server's wait, not our backoff, that does not fit: a larger
            // timeout is then not the only remedy (the service may be throttling hard).
            if let Some(retry_after) = retry_after.filter(|r| *r >= left) {
                return Err(Error::RetryAfterPastDeadline {
                    attempts: n,
                    retry_after,
                    left,
                    last: Box::new(err),
                });
            }
            return Err(Error::DeadlineExceeded {
                attempts: n,
                last: Box::new(err),
            });
        }
        last = Some(err);
        tokio::select! {
            biased;
            () = opts.cancel.cancelled() => return Err(cancelled()),
            () = tokio::time::sleep(delay) => {}
        }
    }
}

/// Pending forever without a deadline.
async fn sleep_until_deadline(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// The `last` error when the deadline passes during the very first attempt.
fn in_flight() -> Error {
    Error::Transport {
        endpoint: "the service".to_string(),
        message: "no answer before the deadline (the request may still have been applied)"
            .to_string(),
    }
}

#[cfg(test)]
mod tests;
