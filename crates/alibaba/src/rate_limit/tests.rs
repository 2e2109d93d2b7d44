// SPDX-License-Identifier: MPL-2.0
use super::*;

const KEY: &str = "LTAI-test";
const ENDPOINT: &str = "http://127.0.0.1:1/";

fn at(origin: Instant, secs: f64) -> Instant {
    origin + Duration::from_secs_f64(secs)
}

/// Sends `rate` requests per second for `secs` seconds, all succeeding.
fn steady(s: &mut State, origin: Instant, from: f64, secs: f64, rate: f64) -> f64 {
    let n = (secs * rate) as usize;
    let mut t = from;
    for _ in 0..n {
        t += 1.0 / rate;
        assert_eq!(
            s.try_acquire(at(origin, t)),
            None,
            "unthrottled sends never wait"
        );
        s.on_success(at(origin, t));
    }
    t
}

#[test]
fn unthrottled_until_first_throttle() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    for i in 0..10_000 {
        assert_eq!(s.try_acquire(at(origin, i as f64 * 1e-6)), None);
    }
    assert!(!s.enabled);
}

#[test]
fn throttle_cuts_rate_below_the_rate_met() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 5.0, 20.0);
    assert!(
        (s.measured_rate - 20.0).abs() < 2.0,
        "measured {}",
        s.measured_rate
    );
    s.on_throttle(at(origin, t), None);
    assert!(s.enabled);
    let want = s.last_max_rate * BETA;
    assert!(
        (s.fill_rate - want).abs() < 1e-9 && (14.0..18.0).contains(&s.fill_rate),
        "rate {}",
        s.fill_rate
    );
    // A second throttle cuts again, from the lower of measured and allowed rates.
    let before = s.fill_rate;
    s.on_throttle(at(origin, t + 0.01), None);
    assert!(s.fill_rate < before);
}

#[test]
fn bucket_spaces_requests_at_the_allowed_rate() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 3.0, 10.0);
    s.on_throttle(at(origin, t), None);
    let rate = s.fill_rate;
    // No burst after a throttle: each token takes 1/rate seconds to accrue.
    let mut now = t;
    for _ in 0..3 {
        let wait = s.try_acquire(at(origin, now)).map(|d| d.as_secs_f64());
        assert!(
            wait.is_some_and(|w| (w - 1.0 / rate).abs() < 1e-4),
            "wait {wait:?} at rate {rate}"
        );
        now += 1.0 / rate + 1e-6;
        assert_eq!(s.try_acquire(at(origin, now)), None);
    }
}

#[test]
fn never_below_the_minimum_rate() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    for i in 0..50 {
        s.on_throttle(at(origin, i as f64 * 0.01), None);
    }
    assert!((s.fill_rate - MIN_RATE).abs() < 1e-9);
    assert_eq!(s.try_acquire(at(origin, 3.0)), None);
    let wait = s.try_acquire(at(origin, 3.0));
    let slowest = Duration::from_secs_f64(1.0 / MIN_RATE);
    assert!(
        wait.is_some_and(|w| w > Duration::ZERO && w <= slowest),
        "{wait:?}"
    );
}

#[test]
fn success_grows_rate_back_cubically() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 5.0, 20.0);
    s.on_throttle(at(origin, t), None);
    let cut = s.fill_rate;
    let max = s.last_max_rate;
    // Keep sending as fast as allowed; the rate climbs back to the pre-throttle level.
    let mut now = t;
    let mut rates = vec![];
    for _ in 0..400 {
        now += 0.05;
        if s.try_acquire(at(origin, now)).is_none() {
            s.on_success(at(origin, now));
        }
        rates.push(s.fill_rate);
    }
    assert!(
        rates.iter().any(|r| *r > cut + 1.0),
        "never grew from {cut}"
    );
    assert!(
        s.fill_rate >= max * 0.9,
        "rate {} did not recover towards {max}",
        s.fill_rate
    );
}

/// On tokio's paused clock, so the waits `acquire` makes are measured, not slept.
#[tokio::test(start_paused = true)]
async fn shared_limiter_only_waits_after_a_throttle() {
    let limiter = RateLimiter::new(None);
    let start = Instant::now();
    assert_eq!(limiter.allowed_rate(), None);
    for _ in 0..100 {
        let ticket = limiter.acquire(KEY, ENDPOINT).await;
        limiter.record(&ticket, false, None);
    }
    assert_eq!(limiter.allowed_rate(), None);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "unthrottled sends never wait"
    );

    let ticket = limiter.acquire(KEY, ENDPOINT).await;
    limiter.record(&ticket, true, None);
    // 101 answers (the throttled one too) at once, counted over half a second at least:
    // sends start below that rate.
    let rate = limiter.allowed_rate().expect("enabled");
    assert!((rate - 202.0 * BETA).abs() < 1e-9, "{rate}");
    limiter.acquire(KEY, ENDPOINT).await;
    let waited = start.elapsed();
    let spacing = Duration::from_secs_f64(1.0 / rate);
    assert!(
        waited >= spacing && waited <= spacing + Duration::from_millis(1),
        "{waited:?}"
    );
}

#[test]
fn a_first_burst_is_not_taken_for_the_rate_the_service_bore() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    // Ten answers within 20 ms, then a throttle: eleven answers counted over half a second
    // (22 a second), not over 20 ms (550 a second).
    for i in 0..10 {
        s.on_success(at(origin, f64::from(i) * 0.002));
    }
    s.on_throttle(at(origin, 0.02), None);
    assert!((s.fill_rate - 22.0 * BETA).abs() < 1e-9, "{}", s.fill_rate);
}

#[test]
fn a_retry_hint_holds_every_call() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 2.0, 10.0);
    s.on_throttle(at(origin, t), Some(Duration::from_millis(400)));
    let wait = s.try_acquire(at(origin, t + 0.1));
    assert_eq!(wait, Some(Duration::from_secs_f64(0.3)));
    // An absurd hint holds at most MAX_HOLD; the throttled call's own retry honours it whole.
    s.on_throttle(at(origin, t + 0.5), Some(Duration::from_secs(3600)));
    let wait = s.try_acquire(at(origin, t + 0.5)).map(|d| d.as_secs_f64());
    assert!(
        wait.is_some_and(|w| (w - MAX_HOLD).abs() < 1e-6),
        "{wait:?}"
    );
}
