// SPDX-License-Identifier: MPL-2.0
//! [`TokenBucket`]: the throttling budget of `--throttle-rps`, which `faults` draws from.

use std::time::Duration;

use tokio::time::Instant;

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

#[cfg(test)]
mod tests;
