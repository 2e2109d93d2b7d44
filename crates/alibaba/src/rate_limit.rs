// SPDX-License-Identifier: MPL-2.0
//! Adaptive client-side rate limiting shared by all calls of one configured provider.
//!
//! Modelled on the AWS SDKs' "adaptive" retry mode: no limit at all until the service first
//! throttles; then a token bucket whose rate is cut to 70 % of the measured send rate on every
//! throttle and grows back along a cubic curve (CUBIC congestion control) on every success, but
//! never beyond twice the measured rate. Concurrent resources therefore slow down together
//! instead of each hammering the API with its own retries. The state machine takes time as an
//! input, so it is tested without clocks.
//!
//! Other processes (other Terraform runs on the same account) share the service's budget.
//! Once any of them meets a throttle, every process of that account and endpoint paces its
//! calls from one budget file ([`shared`]) instead of its own state, when the provider gave
//! a directory for it. Without one (or when the file is unusable) each process learns the
//! throttle alone: the rate met at a throttle is counted over the last second (not only the
//! smoothed rate, which is still zero in a process's first half second), so a process that
//! meets the throttle starts below it; a retry hint (`x-acs-retry-after`) holds every call
//! of the process, not only the throttled one's retry; the calls queued behind a throttle
//! are spread at the new rate with no burst; and the rate climbs back slowly, so that six
//! processes probing for more rarely overshoot together.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

pub(crate) mod shared;
use shared::{Reservation, SharedFile};

/// Multiplicative decrease applied to the send rate on a throttle.
const BETA: f64 = 0.8;
/// CUBIC's scaling constant: how fast the rate grows back after a throttle. The AWS SDKs use
/// 0.4 (a cut rate is back in ~1.2 s at 3 rps); this takes ~4 s, so each of six processes
/// sharing 20 rps probes past its share less often, yet a process that cut its rate low in
/// its first second is back near its share within a few seconds.
const SCALE: f64 = 0.01;
/// Seconds of sending the token bucket may save up: small, so calls leave evenly spaced.
const BURST_SECONDS: f64 = 0.25;
/// The longest a retry hint holds every call, in seconds (a larger hint still delays the
/// throttled call's own retry).
const MAX_HOLD: f64 = 5.0;
/// The window in which the rate met at a throttle is counted, in seconds.
const RECENT: f64 = 1.0;
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
    /// Where the budget files shared with other processes live; `None`: not shared.
    shared_dir: Option<PathBuf>,
    /// The budget file of each account and endpoint called, by key id and endpoint.
    files: Mutex<Vec<(String, String, Arc<SharedFile>)>>,
}

/// What [`RateLimiter::acquire`] hands to [`RateLimiter::record`]: the attempt's account
/// file (if shared), when it left, and whether the shared budget paced it.
#[derive(Debug)]
pub(crate) struct Ticket {
    file: Option<Arc<SharedFile>>,
    sent_ms: f64,
    paced: bool,
}

impl RateLimiter {
    /// A budget shared with the other processes of an account through files in `shared_dir`
    /// (see [`shared`]), or this process's own with `None`.
    pub(crate) fn new(shared_dir: Option<PathBuf>) -> Self {
        RateLimiter {
            state: Mutex::new(State::new(Instant::now())),
            shared_dir,
            files: Mutex::new(Vec::new()),
        }
    }

    /// Waits until an attempt with `key_id` at `endpoint` may be sent. Free until the first
    /// throttle met by this process or, with a shared directory, by any process of the
    /// account lately. Cancel by dropping the future (the retry loop races it against
    /// cancellation and the deadline): the own budget reserves nothing while waiting; a
    /// shared one has reserved one slot, which then goes unused.
    pub(crate) async fn acquire(&self, key_id: &str, endpoint: &str) -> Ticket {
        let file = self.file(key_id, endpoint);
        loop {
            // A shared slot is ordered against the account's cuts by when it was reserved.
            let reserved_ms = shared::now_ms();
            match file.as_ref().and_then(|f| f.reserve(reserved_ms)) {
                Some(Reservation::Leave(wait, epoch)) => {
                    tokio::time::sleep(wait).await;
                    // A cut or a hold since the reservation voids it: reserve again.
                    if file.as_ref().and_then(|f| f.epoch(shared::now_ms())) == Some(epoch) {
                        let sent_ms = reserved_ms;
                        return Ticket {
                            file,
                            sent_ms,
                            paced: true,
                        };
                    }
                }
                Some(Reservation::AskAgain(wait)) => tokio::time::sleep(wait).await,
                None => break,
            }
        }
        loop {
            let wait = self.lock().try_acquire(Instant::now());
            match wait {
                None => break,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
        let sent_ms = shared::now_ms();
        Ticket {
            file,
            sent_ms,
            paced: false,
        }
    }

    /// Feeds the outcome of an attempt that got an answer: `throttled` when the service asked
    /// us to slow down, with its retry hint if it gave one.
    pub(crate) fn record(&self, ticket: &Ticket, throttled: bool, retry_after: Option<Duration>) {
        let met = {
            let mut state = self.lock();
            let now = Instant::now();
            if throttled {
                state.on_throttle(now, retry_after);
            } else {
                state.on_success(now);
            }
            state.last_max_rate
        };
        if let (true, Some(file)) = (throttled, &ticket.file) {
            let hold = retry_after.unwrap_or_default();
            let sent = (ticket.sent_ms, ticket.paced);
            file.on_throttle(shared::now_ms(), sent, met, hold);
        }
    }

    /// The budget file of `key_id` at `endpoint`, if budgets are shared.
    fn file(&self, key_id: &str, endpoint: &str) -> Option<Arc<SharedFile>> {
        let dir = self.shared_dir.as_ref()?;
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Usually one entry: a linear search allocates nothing per call.
        if let Some((_, _, file)) = files.iter().find(|(k, e, _)| k == key_id && e == endpoint) {
            return Some(Arc::clone(file));
        }
        let file = Arc::new(SharedFile::new(dir, key_id, endpoint));
        files.push((key_id.to_owned(), endpoint.to_owned(), Arc::clone(&file)));
        Some(file)
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
    /// When the answers of the last [`RECENT`] seconds arrived, oldest first.
    recent: VecDeque<f64>,
    /// No call leaves before this time (a retry hint).
    hold_until: f64,
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
            recent: VecDeque::new(),
            hold_until: 0.0,
        }
    }

    fn secs(&self, now: Instant) -> f64 {
        now.saturating_duration_since(self.origin).as_secs_f64()
    }

    /// Takes a token and returns `None`, or returns how long to wait before asking again.
    fn try_acquire(&mut self, now: Instant) -> Option<Duration> {
        let t = self.secs(now);
        if t < self.hold_until {
            return Some(Duration::from_secs_f64(self.hold_until - t));
        }
        if !self.enabled {
            return None;
        }
        self.refill(t);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return None;
        }
        Some(Duration::from_secs_f64(
            (1.0 - self.tokens) / self.fill_rate,
        ))
    }

    fn on_throttle(&mut self, now: Instant, retry_after: Option<Duration>) {
        let t = self.secs(now);
        self.measure(t);
        let met = self.measured_rate.max(self.recent_rate(t));
        let rate = if self.enabled {
            met.min(self.fill_rate)
        } else {
            met
        };
        self.last_max_rate = rate;
        self.last_throttle = t;
        let first = !self.enabled;
        self.enabled = true;
        self.set_rate(t, rate * BETA);
        if first {
            // Start empty: the calls queued behind the throttle leave one by one.
            self.tokens = 0.0;
            self.last_refill = t;
        }
        let hold = retry_after.map_or(0.0, |d| d.as_secs_f64().min(MAX_HOLD));
        self.hold_until = self.hold_until.max(t + hold);
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

    /// Answers per second over the last [`RECENT`] seconds, or since the first of them when
    /// that is shorter, but never over less than half of it: a process's first burst is not
    /// a rate the service bore.
    fn recent_rate(&self, t: f64) -> f64 {
        let span = self
            .recent
            .front()
            .map_or(RECENT, |first| (t - first).clamp(RECENT / 2.0, RECENT));
        self.recent.len() as f64 / span
    }

    /// Counts one answered request into the smoothed send rate and the recent window.
    fn measure(&mut self, t: f64) {
        while self.recent.front().is_some_and(|&old| old < t - RECENT) {
            self.recent.pop_front();
        }
        self.recent.push_back(t);
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
        self.capacity = (self.fill_rate * BURST_SECONDS).max(1.0);
        self.tokens = self.tokens.min(self.capacity);
    }
}

#[cfg(test)]
mod tests;
