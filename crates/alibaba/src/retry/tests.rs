// SPDX-License-Identifier: MPL-2.0
//! Tests of the retry policy: classification, backoff and the loop's deadline and cancellation.

use super::*;
use crate::ApiError;
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
        (500, "ImageNotFound", false),
        (503, "InvalidParams.Region", false),
        (502, "MissingSecurityToken", false),
        // A family is the code and its dotted sub-codes, not every code it begins.
        (500, "InvalidAccessKeyIdLike", true),
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
        ("NaN jitter stays bounded", 0, None, f64::NAN, ms(100)),
        ("retry-after is a minimum", 0, Some(ms(700)), 0.5, ms(700)),
        ("retry-after beats cap", 10, Some(ms(5000)), 1.0, ms(5000)),
        ("longer jitter kept", 3, Some(ms(10)), 0.5, ms(400)),
    ];
    for (name, retry, after, unit, want) in cases {
        assert_eq!(b.delay_at(retry, after, unit), want, "{name}");
    }
    let huge = Backoff {
        base: Duration::MAX,
        cap: Duration::MAX,
    };
    assert_eq!(
        huge.delay_at(3, None, 1.0),
        Duration::MAX,
        "cap near the limit"
    );
    let mut rng = rand::rng();
    for retry in 0..40 {
        assert!(b.delay(retry, None, &mut rng) <= b.cap);
    }
}

/// Jitter ceilings far below every `retry_after` used here, so a measured wait is the hint's.
/// The loop tests run on tokio's paused clock: sleeps end as soon as the runtime is idle and
/// `Instant` reports the virtual time slept.
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
    max: Option<u32>,
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

#[tokio::test(start_paused = true)]
async fn retries_until_success() {
    let errs = vec![
        transport(),
        api(503, "ServiceUnavailable"),
        api(400, "Throttling.User"),
    ];
    let (got, calls) = run(Some(5), &opts(None), errs, false).await;
    assert_eq!((got.ok(), calls), (Some(3), 4));
}

#[tokio::test(start_paused = true)]
async fn fatal_errors_are_returned_at_once() {
    let (got, calls) = run(Some(5), &opts(None), vec![api(404, "ImageNotFound")], false).await;
    assert_eq!(
        (got.err().and_then(|e| e.code().map(str::to_string)), calls),
        (Some("ImageNotFound".into()), 1)
    );
}

#[tokio::test(start_paused = true)]
async fn max_retries_bounds_attempts_and_returns_last_error() {
    let errs = vec![
        transport(),
        transport(),
        api(503, "ServiceUnavailable"),
        transport(),
    ];
    let (got, calls) = run(Some(2), &opts(None), errs, false).await;
    assert_eq!(
        (got.err().and_then(|e| e.code().map(str::to_string)), calls),
        (Some("ServiceUnavailable".into()), 3)
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let start = Instant::now();
    let (got, _) = run(
        Some(1),
        &opts(None),
        vec![throttled(Duration::from_millis(30))],
        false,
    )
    .await;
    assert_eq!(got.ok(), Some(1));
    // The only time that passes is the one sleep before the retry (virtual, rounded up to
    // tokio's 1 ms timer tick): the hint's 30 ms, not FAST's 1-2 ms jitter.
    let slept = start.elapsed();
    assert!(
        (Duration::from_millis(30)..=Duration::from_millis(31)).contains(&slept),
        "{slept:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn deadline_stops_retrying() {
    let start = Instant::now();
    let o = opts(Some(Duration::from_millis(100)));
    let (got, calls) = run(None, &o, vec![api(503, "ServiceUnavailable")], true).await;
    match got {
        Err(Error::DeadlineExceeded { attempts, last }) => {
            assert_eq!(attempts, calls);
            assert_eq!(last.code(), Some("ServiceUnavailable"));
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    // With 1-2 ms delays the loop retried many times, and it gave up rather than sleep
    // past the deadline (a sleep may end on it: the timer rounds up to whole milliseconds).
    assert!(calls > 10, "{calls} attempts");
    assert!(
        start.elapsed() <= Duration::from_millis(100),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_past_the_deadline_gives_up_without_sleeping() {
    let start = Instant::now();
    let o = opts(Some(Duration::from_secs(3600)));
    let (got, calls) = run(
        Some(5),
        &o,
        vec![throttled(Duration::from_secs(7200))],
        true,
    )
    .await;
    let Err(err) = got else {
        panic!("expected an error, got {got:?}")
    };
    assert!(
        matches!(
            &err,
            Error::RetryAfterPastDeadline { attempts: 1, retry_after, left, .. }
                if *retry_after == Duration::from_secs(7200) && *left == Duration::from_secs(3600)
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "gave up after 1 attempt(s): the server asked to wait 7200000 ms before retrying \
             (x-acs-retry-after) but only 3600000 ms were left before the deadline; last error: \
             Throttling.User (HTTP 400)"
        ),
        "{err}"
    );
    assert_eq!(err.code(), Some("Throttling.User"));
    assert!(!is_retryable(&err));
    assert_eq!(calls, 1);
    assert_eq!(start.elapsed(), Duration::ZERO, "no sleep at all");
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_any_instant_gives_up_without_panicking() {
    let o = opts(Some(Duration::from_secs(3600)));
    // The header's u64 milliseconds fit an Instant; `ApiError::retry_after` is public and
    // need not.
    let endless = throttled(Duration::MAX);
    let (got, calls) = run(Some(5), &o, vec![endless], true).await;
    assert!(
        matches!(got, Err(Error::RetryAfterPastDeadline { attempts: 1, .. })),
        "{got:?}"
    );
    assert_eq!(calls, 1);
}

#[tokio::test(start_paused = true)]
async fn deadline_interrupts_an_attempt_in_flight() {
    let start = Instant::now();
    let got: Result<(), Error> = with_retries_using(
        &FAST,
        Some(3),
        &opts(Some(Duration::from_millis(20))),
        "testing",
        |_| std::future::pending(),
    )
    .await;
    assert!(
        matches!(got, Err(Error::DeadlineExceeded { attempts: 1, .. })),
        "{got:?}"
    );
    // The attempt was given its whole budget, not abandoned early.
    assert!(
        start.elapsed() >= Duration::from_millis(20),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn cancel_interrupts_attempt_and_sleep() {
    let o = opts(None);
    let token = o.cancel.clone();
    let got: Result<(), Error> =
        with_retries_using(&FAST, Some(3), &o, "synchronizing app X", |_| {
            token.cancel();
            std::future::pending()
        })
        .await;
    assert!(
        matches!(&got, Err(Error::Cancelled { during }) if during == "synchronizing app X"),
        "{got:?}"
    );

    let start = Instant::now();
    let o = opts(None);
    let token = o.cancel.clone();
    let throttled = throttled(Duration::from_secs(3600));
    let got: Result<(), Error> = with_retries_using(&FAST, Some(3), &o, "testing", |n| {
        if n == 0 {
            // Cancel while the loop sleeps (an hour) before the first retry.
            let t = token.clone();
            tokio::spawn(async move { t.cancel() });
        }
        std::future::ready(Err(throttled.clone()))
    })
    .await;
    assert!(matches!(got, Err(Error::Cancelled { .. })), "{got:?}");
    // On the paused clock an uninterrupted sleep would have advanced it by the hour.
    assert!(
        start.elapsed() < Duration::from_secs(3600),
        "{:?}",
        start.elapsed()
    );
}

mod until_deadline;
