// SPDX-License-Identifier: MPL-2.0
//! Retries without a cap run until the deadline; a cap still bounds them; a call without
//! either is bounded; an unreachable endpoint is retried only briefly. Paused clock.

use super::*;

fn unreachable() -> Error {
    Error::Unreachable {
        endpoint: "http://127.0.0.1:1".into(),
        message: "could not connect: connection refused".into(),
    }
}

/// The default backoff (200 ms doubling to 10 s) on the paused clock: retries under a steady
/// mix of 503 and throttling go on until the deadline, whatever their number.
#[tokio::test(start_paused = true)]
async fn without_a_cap_retries_run_until_the_deadline() {
    let start = Instant::now();
    let o = opts(Some(Duration::from_secs(600)));
    let calls = AtomicU32::new(0);
    let got: Result<(), Error> = with_retries_using(&Backoff::default(), None, &o, "t", |n| {
        calls.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Err(if n % 2 == 0 {
            api(503, "ServiceUnavailable")
        } else {
            api(400, "Throttling.User")
        }))
    })
    .await;
    let calls = calls.load(Ordering::SeqCst);
    let Err(Error::DeadlineExceeded { attempts, last }) = &got else {
        panic!("expected DeadlineExceeded, got {got:?}")
    };
    assert_eq!(*attempts, calls);
    assert!(last
        .code()
        .is_some_and(|c| c == "ServiceUnavailable" || c == "Throttling.User"));
    // Ten minutes at delays capped at 10 s: far more than any fixed count would allow.
    assert!(calls > 40, "{calls} attempts");
    let spent = start.elapsed();
    // Gave up only when the next delay could not end before the deadline (at most a cap).
    assert!(spent <= Duration::from_secs(600), "{spent:?}");
    assert!(spent >= Duration::from_secs(590), "{spent:?}");
    let text = got.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        text.starts_with(&format!(
            "gave up after {calls} attempt(s) when the deadline passed; last error: "
        )),
        "{text}"
    );
}

/// Recovery: a long run of failures followed by success succeeds when no cap is set.
#[tokio::test(start_paused = true)]
async fn without_a_cap_a_long_outage_within_the_deadline_recovers() {
    let o = opts(Some(Duration::from_secs(600)));
    let errs = vec![api(503, "ServiceUnavailable"); 30];
    let (got, calls) = run(None, &o, errs, false).await;
    assert_eq!((got.ok(), calls), (Some(30), 31));
}

#[tokio::test(start_paused = true)]
async fn a_set_cap_still_bounds_retries_within_a_deadline() {
    let o = opts(Some(Duration::from_secs(600)));
    let (got, calls) = run(Some(3), &o, vec![api(503, "ServiceUnavailable")], true).await;
    assert_eq!(calls, 4);
    assert!(matches!(got, Err(Error::Api(_))), "{got:?}");
}

#[tokio::test(start_paused = true)]
async fn without_deadline_nor_cap_retries_are_bounded() {
    let (got, calls) = run(None, &opts(None), vec![transport()], true).await;
    assert_eq!(calls, RETRIES_WITHOUT_DEADLINE + 1);
    assert!(matches!(got, Err(Error::Transport { .. })), "{got:?}");
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_endpoint_is_retried_only_briefly() {
    let start = Instant::now();
    let o = opts(Some(Duration::from_secs(600)));
    let (got, calls) = run(None, &o, vec![unreachable()], true).await;
    assert_eq!(calls, UNREACHABLE_RETRIES + 1);
    assert!(matches!(got, Err(Error::Unreachable { .. })), "{got:?}");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // A cap below it wins.
    let (_, calls) = run(Some(0), &o, vec![unreachable()], true).await;
    assert_eq!(calls, 1);
}
