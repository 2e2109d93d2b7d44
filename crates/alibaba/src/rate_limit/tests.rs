// SPDX-License-Identifier: MPL-2.0
use super::*;

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
fn throttle_cuts_rate_to_seventy_percent_of_measured() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 5.0, 20.0);
    assert!(
        (s.measured_rate - 20.0).abs() < 2.0,
        "measured {}",
        s.measured_rate
    );
    s.on_throttle(at(origin, t));
    assert!(s.enabled);
    let want = s.last_max_rate * BETA;
    assert!(
        (s.fill_rate - want).abs() < 1e-9 && (12.0..16.0).contains(&s.fill_rate),
        "rate {}",
        s.fill_rate
    );
    // A second throttle cuts again, from the lower of measured and allowed rates.
    let before = s.fill_rate;
    s.on_throttle(at(origin, t + 0.01));
    assert!(s.fill_rate < before);
}

#[test]
fn bucket_spaces_requests_at_the_allowed_rate() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    let t = steady(&mut s, origin, 0.0, 3.0, 10.0);
    s.on_throttle(at(origin, t));
    let rate = s.fill_rate;
    // The first token is free, the next one takes 1/rate seconds to accrue.
    assert_eq!(s.try_acquire(at(origin, t)), None);
    let wait = s.try_acquire(at(origin, t)).map(|d| d.as_secs_f64());
    assert!(
        wait.is_some_and(|w| (w - 1.0 / rate).abs() < 1e-6),
        "wait {wait:?} at rate {rate}"
    );
    assert_eq!(s.try_acquire(at(origin, t + 1.0 / rate + 1e-6)), None);
}

#[test]
fn never_below_the_minimum_rate() {
    let origin = Instant::now();
    let mut s = State::new(origin);
    for i in 0..50 {
        s.on_throttle(at(origin, i as f64 * 0.01));
    }
    assert!((s.fill_rate - MIN_RATE).abs() < 1e-9);
    assert_eq!(s.try_acquire(at(origin, 1.0)), None);
    let wait = s.try_acquire(at(origin, 1.0));
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
    s.on_throttle(at(origin, t));
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
    let limiter = RateLimiter::new();
    let start = Instant::now();
    assert_eq!(limiter.allowed_rate(), None);
    for _ in 0..100 {
        limiter.acquire().await;
        limiter.record(false);
    }
    assert_eq!(limiter.allowed_rate(), None);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "unthrottled sends never wait"
    );

    limiter.record(true);
    assert_eq!(limiter.allowed_rate(), Some(MIN_RATE));
    // The first token is free; the next accrues at the minimum rate.
    limiter.acquire().await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    limiter.acquire().await;
    let waited = start.elapsed();
    let slowest = Duration::from_secs_f64(1.0 / MIN_RATE);
    assert!(
        waited >= slowest && waited <= slowest + Duration::from_millis(1),
        "{waited:?}"
    );
}
