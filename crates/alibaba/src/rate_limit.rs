// SPDX-License-Identifier: MPL-2.0
//! Adaptive client-side rate limiting shared by all calls of one configured provider.
//!
//! Modelled on the AWS SDKs' "adaptive" retry mode: no limit at all until the service first
//! throttles; then a token bucket whose rate is cut to 70 % of the measured send rate on every
//! throttle and grows back along a cubic curve (CUBIC congestion control) on every success, but
//! never beyond twice the measured rate. Concurrent resources therefore slow down together
//! instead of each hammering the API with its own retries. The state machine takes time as an
//! input, so it is tested without clocks.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Multiplicative decrease applied to the send rate on a throttle.
const BETA: f64 = 0.7;
/// CUBIC's scaling constant: how fast the rate grows back after a throttle.
const SCALE: f64 = 0.4;
/// The slowest we ever go, in requests per second.
const MIN_RATE: f64 = 0.5;
/// Width of the buckets in which the send rate is measured, in seconds.
const MEASURE_BUCKET: f64 = 0.5;
/// Weight of the newest bucket in the smoothed send rate.
const SMOOTHING: f64 = 0.8;

/// One provider's request budget; cheap to share behind an `Arc`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

impl RateLimiter {
    pub(crate) fn new() -> Self {
        RateLimiter {
            state: Mutex::new(State::new(Instant::now())),
        }
    }

    /// Waits until this attempt may be sent. Free until the first throttle. Cancel by dropping
    /// the future (the retry loop races it against cancellation and the deadline); nothing is
    /// reserved while waiting, so dropping leaks no budget.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait = self.lock().try_acquire(Instant::now());
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Feeds the outcome of an attempt that got an answer: `throttled` when the service asked
    /// us to slow down.
    pub(crate) fn record(&self, throttled: bool) {
        let mut state = self.lock();
        let now = Instant::now();
        if throttled {
            state.on_throttle(now);
        } else {
            state.on_success(now);
        }
    }

    /// The current allowed rate (requests per second), `None` while unthrottled. For logs.
    pub(crate) fn allowed_rate(&self) -> Option<f64> {
        let state = self.lock();
        state.enabled.then_some(state.fill_rate)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is a few
        // arithmetic assignments.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The token bucket and the send-rate measurement. Times are seconds since `origin`.
#[derive(Debug)]
struct State {
    origin: Instant,
    /// False until the first throttle: then `try_acquire` never waits.
    enabled: bool,
    fill_rate: f64,
    capacity: f64,
    tokens: f64,
    last_refill: f64,
    /// Smoothed requests per second actually sent.
    measured_rate: f64,
    bucket_start: f64,
    bucket_count: f64,
    /// The rate in force when the last throttle arrived, and when it arrived.
    last_max_rate: f64,
    last_throttle: f64,
}

impl State {
    fn new(origin: Instant) -> Self {
        State {
            origin,
            enabled: false,
            fill_rate: 0.0,
            capacity: 0.0,
            tokens: 0.0,
            last_refill: 0.0,
            measured_rate: 0.0,
            bucket_start: 0.0,
            bucket_count: 0.0,
            last_max_rate: 0.0,
            last_throttle: 0.0,
        }
    }

    fn secs(&self, now: Instant) -> f64 {
        now.saturating_duration_since(self.origin).as_secs_f64()
    }

    /// Takes a token and returns `None`, or returns how long to wait before asking again.
    fn try_acquire(&mut self, now: Instant) -> Option<Duration> {
        if !self.enabled {
            return None;
        }
        self.refill(self.secs(now));
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return None;
        }
        Some(Duration::from_secs_f64(
            (1.0 - self.tokens) / self.fill_rate,
        ))
    }

    fn on_throttle(&mut self, now: Instant) {
        let t = self.secs(now);
        self.measure(t);
        let rate = if self.enabled {
            self.measured_rate.min(self.fill_rate)
        } else {
            self.measured_rate
        };
        self.last_max_rate = rate;
        self.last_throttle = t;
        let first = !self.enabled;
        self.enabled = true;
        self.set_rate(t, rate * BETA);
        if first {
            // Start with one token: the throttled call's retry already waits its backoff.
            self.tokens = 1.0;
            self.last_refill = t;
        }
    }

    fn on_success(&mut self, now: Instant) {
        let t = self.secs(now);
        self.measure(t);
        if !self.enabled {
            return;
        }
        // CUBIC: back to last_max_rate after `k` seconds, then beyond it, ever faster.
        let k = (self.last_max_rate * (1.0 - BETA) / SCALE).cbrt();
        let cubic = SCALE * (t - self.last_throttle - k).powi(3) + self.last_max_rate;
        self.set_rate(t, cubic.min(2.0 * self.measured_rate));
    }

    /// Counts one answered request into the smoothed send rate.
    fn measure(&mut self, t: f64) {
        self.bucket_count += 1.0;
        let bucket = (t / MEASURE_BUCKET).floor() * MEASURE_BUCKET;
        if bucket > self.bucket_start {
            let current = self.bucket_count / (bucket - self.bucket_start);
            self.measured_rate = current * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.bucket_count = 0.0;
            self.bucket_start = bucket;
        }
    }

    fn refill(&mut self, t: f64) {
        let elapsed = (t - self.last_refill).max(0.0);
        self.tokens = (self.tokens + elapsed * self.fill_rate).min(self.capacity);
        self.last_refill = t;
    }

    fn set_rate(&mut self, t: f64, rate: f64) {
        self.refill(t);
        self.fill_rate = rate.max(MIN_RATE);
        self.capacity = self.fill_rate.max(1.0);
        self.tokens = self.tokens.min(self.capacity);
    }
}

#[cfg(test)]
mod tests;
