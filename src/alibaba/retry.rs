// SPDX-License-Identifier: MPL-2.0
//! Retry policy: capped exponential backoff with full jitter, within a deadline and a cancellation token.
//!
//! Retried: transport errors (including timeouts), HTTP 5xx and 429, `ServiceUnavailable`,
//! `InternalError`, `UnknownError` and any code containing `Throttling`. Never retried:
//! signature, credential, permission and parameter errors, which a second attempt cannot fix.
//! The delay before retry `n` (0-based) is uniform in `[0, min(cap, base * 2^n)]` ("full
//! jitter", so concurrent callers spread out), but never shorter than the server's
//! `x-acs-retry-after`.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use super::{CallOptions, Error};

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
        let jittered = ceiling.mul_f64(unit.clamp(0.0, 1.0));
        jittered.max(retry_after.unwrap_or_default())
    }
}

/// Codes a retry cannot fix: bad signature, key, clock, token, permission or parameters.
/// Checked before the retryable rules, so e.g. a 5xx carrying one of these is not retried.
const NEVER_RETRY: &[&str] = &[
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId",
    "InvalidTimeStamp",
    "IllegalTimestamp",
    // Each attempt has a fresh nonce, so a collision means something else is wrong.
    "SignatureNonceUsed",
    "InvalidSecurityToken",
    "MissingSecurityToken",
    "Forbidden",
    "ActionUnauthorized",
    "NoPermission",
    "InvalidParams",
    "InvalidParameter",
    "MissingParameter",
    "ImageNotFound",
    "ImageAlreadyExists",
    "InvalidApi",
    "InvalidProduct",
    "InvalidVersion",
];

/// True when the service asked us to slow down (any code containing `Throttling`, or HTTP 429).
pub(crate) fn is_throttling(err: &Error) -> bool {
    matches!(err, Error::Api(a) if a.code.contains("Throttling") || a.status == 429)
}

/// True when another attempt may succeed.
pub(crate) fn is_retryable(err: &Error) -> bool {
    match err {
        Error::Transport { .. } => true,
        Error::Api(a) => {
            let fatal = NEVER_RETRY.iter().any(|c| {
                a.code == *c
                    || a.code
                        .strip_prefix(c)
                        .is_some_and(|rest| rest.starts_with('.'))
            });
            !fatal
                && (is_throttling(err)
                    || matches!(
                        a.code.as_str(),
                        "ServiceUnavailable" | "InternalError" | "UnknownError"
                    )
                    || a.status >= 500)
        }
        Error::Cancelled { .. }
        | Error::DeadlineExceeded { .. }
        | Error::Credentials(_)
        | Error::Config(_) => false,
    }
}

/// [`with_retries_using`] with the default [`Backoff`].
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
    with_retries_using(&Backoff::default(), max_retries, opts, during, attempt).await
}

/// Runs `attempt(0)`, `attempt(1)`, ... until one succeeds, fails with a non-retryable error,
/// or `max_retries` retries are spent (then the last error is returned as is).
///
/// Both the attempts and the sleeps between them race `opts.cancel` (-> `Error::Cancelled`,
/// naming `during`, e.g. "synchronizing app X") and `opts.deadline` (-> `DeadlineExceeded`).
/// A retry whose delay would end past the deadline is not attempted.
pub(crate) async fn with_retries_using<T, F, Fut>(
    backoff: &Backoff,
    max_retries: u32,
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
                return Err(Error::DeadlineExceeded { attempts: n + 1, last: Box::new(last.unwrap_or_else(in_flight)) });
            }
        };
        let err = match result {
            Ok(v) => return Ok(v),
            Err(e) if n >= max_retries || !is_retryable(&e) => return Err(e),
            Err(e) => e,
        };
        let retry_after = err.api().and_then(|a| a.retry_after);
        let delay = backoff.delay(n, retry_after, &mut rand::rng());
        tracing::debug!(during, attempt = n, delay_ms = delay.as_millis() as u64, error = %err, "retrying");
        n += 1;
        if opts.deadline.is_some_and(|d| Instant::now() + delay >= d) {
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
mod tests {
    use super::*;
    use crate::alibaba::ApiError;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio_util::sync::CancellationToken;

    fn api(status: u16, code: &str) -> Error {
        let mut a = ApiError::without_code(status, String::new());
        a.code = code.to_string();
        Error::from(a)
    }

    fn transport() -> Error {
        Error::Transport {
            endpoint: "http://127.0.0.1:1".into(),
            message: "could not connect".into(),
        }
    }

    #[test]
    fn retryable_classification() {
        // (HTTP status, code, retryable); the status and code name each case.
        let cases = [
            (503, "ServiceUnavailable", true),
            (500, "InternalError", true),
            (500, "UnknownError", true),
            (502, "", true),
            (400, "Throttling", true),
            (400, "Throttling.User", true),
            (400, "Rejected.Throttling", true),
            (429, "", true),
            (503, "ForbiddenLike", true),
            (400, "SignatureDoesNotMatch", false),
            (400, "IncompleteSignature", false),
            (404, "InvalidAccessKeyId.NotFound", false),
            (400, "InvalidAccessKeyId.Inactive", false),
            (400, "InvalidTimeStamp.Expired", false),
            (400, "SignatureNonceUsed", false),
            (400, "InvalidSecurityToken.Expired", false),
            (400, "MissingSecurityToken", false),
            (403, "Forbidden.RAM", false),
            (403, "InvalidParams", false),
            (404, "ImageNotFound", false),
            (400, "ImageAlreadyExists", false),
            (404, "InvalidApi.NotFound", false),
            (400, "MissingParameter", false),
            (406, "DbError", false),
            (500, "Forbidden.RAM", false),
        ];
        for (status, code, want) in cases {
            assert_eq!(is_retryable(&api(status, code)), want, "{status} {code}");
        }
        assert!(is_retryable(&transport()));
        for fatal in [
            Error::Cancelled { during: "x".into() },
            Error::Credentials("none".into()),
            Error::Config("bad".into()),
        ] {
            assert!(!is_retryable(&fatal), "{fatal:?}");
        }
        assert!(is_throttling(&api(400, "Throttling.Api")));
        assert!(!is_throttling(&api(503, "ServiceUnavailable")));
    }

    #[test]
    fn backoff_is_capped_exponential_with_full_jitter() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
        };
        let ms = Duration::from_millis;
        let cases = [
            ("1st retry, top", 0, None, 1.0, ms(100)),
            ("1st retry, bottom", 0, None, 0.0, ms(0)),
            ("3rd retry, middle", 2, None, 0.5, ms(200)),
            ("capped", 10, None, 1.0, ms(1000)),
            ("no overflow", u32::MAX, None, 1.0, ms(1000)),
            ("retry-after is a minimum", 0, Some(ms(700)), 0.5, ms(700)),
            ("retry-after beats cap", 10, Some(ms(5000)), 1.0, ms(5000)),
            ("longer jitter kept", 3, Some(ms(10)), 0.5, ms(400)),
        ];
        for (name, retry, after, unit, want) in cases {
            assert_eq!(b.delay_at(retry, after, unit), want, "{name}");
        }
        let mut rng = rand::rng();
        for retry in 0..40 {
            assert!(b.delay(retry, None, &mut rng) <= b.cap);
        }
    }

    /// Real but tiny delays: tokio's paused clock needs the `test-util` feature, not enabled.
    const FAST: Backoff = Backoff {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(2),
    };

    fn opts(deadline: Option<Duration>) -> CallOptions {
        CallOptions {
            deadline: deadline.map(|d| Instant::now() + d),
            cancel: CancellationToken::new(),
        }
    }

    fn throttled(after: Duration) -> Error {
        let mut e = api(400, "Throttling.User");
        if let Error::Api(a) = &mut e {
            a.retry_after = Some(after);
        }
        e
    }

    /// Runs the loop over attempts failing with `errors` in order (the last one repeating
    /// when `repeat`), then succeeding with the attempt number; returns the result and the
    /// number of attempts made.
    async fn run(
        max: u32,
        o: &CallOptions,
        errors: Vec<Error>,
        repeat: bool,
    ) -> (Result<u32, Error>, u32) {
        let calls = AtomicU32::new(0);
        let got = with_retries_using(&FAST, max, o, "testing", |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            let i = if repeat {
                (n as usize).min(errors.len() - 1)
            } else {
                n as usize
            };
            std::future::ready(errors.get(i).cloned().map_or(Ok(n), Err))
        })
        .await;
        (got, calls.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn retries_until_success() {
        let errs = vec![
            transport(),
            api(503, "ServiceUnavailable"),
            api(400, "Throttling.User"),
        ];
        let (got, calls) = run(5, &opts(None), errs, false).await;
        assert_eq!((got.ok(), calls), (Some(3), 4));
    }

    #[tokio::test]
    async fn fatal_errors_are_returned_at_once() {
        let (got, calls) = run(5, &opts(None), vec![api(404, "ImageNotFound")], false).await;
        assert_eq!(
            (got.err().and_then(|e| e.code().map(str::to_string)), calls),
            (Some("ImageNotFound".into()), 1)
        );
    }

    #[tokio::test]
    async fn max_retries_bounds_attempts_and_returns_last_error() {
        let errs = vec![
            transport(),
            transport(),
            api(503, "ServiceUnavailable"),
            transport(),
        ];
        let (got, calls) = run(2, &opts(None), errs, false).await;
        assert_eq!(
            (got.err().and_then(|e| e.code().map(str::to_string)), calls),
            (Some("ServiceUnavailable".into()), 3)
        );
    }

    #[tokio::test]
    async fn retry_after_is_honoured() {
        let start = Instant::now();
        let (got, _) = run(
            1,
            &opts(None),
            vec![throttled(Duration::from_millis(30))],
            false,
        )
        .await;
        assert_eq!(got.ok(), Some(1));
        assert!(
            start.elapsed() >= Duration::from_millis(30),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn deadline_stops_retrying() {
        let o = opts(Some(Duration::from_millis(100)));
        let (got, calls) = run(u32::MAX, &o, vec![api(503, "ServiceUnavailable")], true).await;
        match got {
            Err(Error::DeadlineExceeded { attempts, last }) => {
                assert_eq!(attempts, calls);
                assert_eq!(last.code(), Some("ServiceUnavailable"));
            }
            other => panic!("expected DeadlineExceeded, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn retry_after_past_the_deadline_gives_up_without_sleeping() {
        let o = opts(Some(Duration::from_secs(3600)));
        let (got, calls) = run(5, &o, vec![throttled(Duration::from_secs(7200))], true).await;
        assert!(
            matches!(got, Err(Error::DeadlineExceeded { attempts: 1, .. })),
            "{got:?}"
        );
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn deadline_interrupts_an_attempt_in_flight() {
        let got: Result<(), Error> = with_retries_using(
            &FAST,
            3,
            &opts(Some(Duration::from_millis(20))),
            "testing",
            |_| std::future::pending(),
        )
        .await;
        assert!(
            matches!(got, Err(Error::DeadlineExceeded { attempts: 1, .. })),
            "{got:?}"
        );
    }

    #[tokio::test]
    async fn cancel_interrupts_attempt_and_sleep() {
        let o = opts(None);
        let token = o.cancel.clone();
        let got: Result<(), Error> =
            with_retries_using(&FAST, 3, &o, "synchronizing app X", |_| {
                token.cancel();
                std::future::pending()
            })
            .await;
        assert!(
            matches!(&got, Err(Error::Cancelled { during }) if during == "synchronizing app X"),
            "{got:?}"
        );

        let o = opts(None);
        let token = o.cancel.clone();
        let throttled = throttled(Duration::from_secs(3600));
        let got: Result<(), Error> = with_retries_using(&FAST, 3, &o, "testing", |n| {
            if n == 0 {
                // Cancel while the loop sleeps (an hour) before the first retry.
                let t = token.clone();
                tokio::spawn(async move { t.cancel() });
            }
            std::future::ready(Err(throttled.clone()))
        })
        .await;
        assert!(matches!(got, Err(Error::Cancelled { .. })), "{got:?}");
    }
}
