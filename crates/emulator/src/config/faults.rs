// SPDX-License-Identifier: MPL-2.0
//! [`FaultConfig`]: the knobs of the fault injection that the `faults` middleware applies.

use serde::Deserialize;

/// The `x-acs-retry-after` of a call throttled by [`FaultConfig::throttle_rate`].
pub(crate) const THROTTLE_RATE_RETRY_AFTER_MS: u64 = 100;

/// The knobs, all off by default.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Share of calls answered `503 ServiceUnavailable` (0.0..=1.0).
    pub fail_rate: f64,
    /// Calls per second admitted; the excess is answered `400 Throttling.User`.
    pub throttle_rps: Option<f64>,
    /// Share of calls answered `400 Throttling.User` (0.0..=1.0) whatever the rate, with an
    /// `x-acs-retry-after` of `THROTTLE_RATE_RETRY_AFTER_MS` (100 ms): a seeded, load-independent
    /// stand-in for flow control.
    pub throttle_rate: f64,
    /// Delay added before every call is handled.
    pub latency_ms: u64,
    /// Share of calls whose connection is closed without any response (0.0..=1.0).
    pub drop_rate: f64,
    /// Share of successful SynchronizeApp calls that are applied (regions recorded) and whose
    /// connection is then closed without the answer (0.0..=1.0): the client cannot tell this
    /// from [`FaultConfig::drop_rate`], but its retry finds the regions already there.
    pub drop_after_apply_rate: f64,
    /// Regions where every copy SynchronizeApp starts ends `CreateFailed` (once its copy time
    /// has passed) instead of `Available`.
    pub fail_copies_to: Vec<String>,
    /// Regions whose copies GetImage never lists, while SynchronizeApp still knows them (a
    /// listing rule of the real service nobody documented, for the provider's tests).
    pub unlisted_copies_in: Vec<String>,
    /// Seconds after AddImage during which ListImages does not list the new application yet
    /// (GetImage already knows it): a slow index, for the read-back's timeout.
    pub list_registered_after_seconds: u64,
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
            ("throttle_rate", self.throttle_rate),
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

#[cfg(test)]
mod tests;
