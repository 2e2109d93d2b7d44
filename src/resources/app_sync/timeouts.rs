// SPDX-License-Identifier: MPL-2.0
//! The `timeouts` blocks of the resources ([`TimeoutKind`] names their attributes): Go-style
//! durations such as `"10m"`, `"1h30m"`, `"45s"` or `"1.5h"`, parsed the way Terraform users
//! know from `time.ParseDuration` (units ns, us/µs, ms, s, m, h; no sign; zero is rejected
//! because a timeout of nothing would fail every call before it starts).

use std::time::Duration;

use crate::provider::cloud::Call;

/// The timeout used when the block or the attribute is absent.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Which attribute of a `timeouts` block bounds an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeoutKind {
    Create,
    Update,
    Delete,
}

impl TimeoutKind {
    /// The attribute's name in the `timeouts` block, as users write it.
    pub fn name(self) -> &'static str {
        match self {
            TimeoutKind::Create => "create",
            TimeoutKind::Update => "update",
            TimeoutKind::Delete => "delete",
        }
    }

    /// An example users can paste to raise this timeout, e.g. `timeouts { update = "30m" }`.
    pub fn raise_hint(self) -> String {
        format!("timeouts {{ {} = \"30m\" }}", self.name())
    }

    /// This timeout set to `timeout`, as messages name it, e.g. `create timeout (10m)`.
    pub fn set_to(self, timeout: Duration) -> String {
        format!("{} timeout ({})", self.name(), format_duration(timeout))
    }

    /// `action` made by an operation this timeout, set to `timeout`, bounds: a deadline that
    /// passed, or a pause the service asked for past it, names this timeout and how to raise
    /// it. (A read's own words would name the read timeout, which does not bound it.)
    pub fn call(self, action: &str, timeout: Duration) -> Call<'_> {
        let (bound, hint) = (self.set_to(timeout), self.raise_hint());
        Call {
            action,
            subject: None,
            cancelled: None,
            timed_out: format!(
                "The {bound} bounds the call and its retries. If the service is slow or \
                 throttled, raise it, e.g. {hint}."
            ),
            throttled: Some(format!(
                "The service asked for a longer pause than the {bound} left: retry later, or \
                 raise the timeout, e.g. {hint}."
            )),
        }
    }
}

/// Parses a Go-style duration. The error says what is wrong, for a diagnostic detail.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let hint = "use a duration such as \"10m\", \"1h30m\" or \"45s\" (units: h, m, s, ms, us, ns)";
    if s.is_empty() {
        return Err(format!("the duration is empty; {hint}"));
    }
    let mut rest = s;
    let mut total_nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(number_len);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(format!("{s:?} is not a valid duration; {hint}"));
        }
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let nanos_per_unit = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("{s:?} has a number without a unit; {hint}")),
            other => return Err(format!("{s:?} has an unknown unit {other:?}; {hint}")),
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("{s:?} is not a valid duration; {hint}"))?;
        total_nanos += value * nanos_per_unit;
        rest = next;
    }
    // More than a year is certainly a typo, and keeps the float-to-integer conversion exact.
    if total_nanos > 366.0 * 24.0 * 3600e9 {
        return Err(format!("{s:?} is longer than a year"));
    }
    let duration = Duration::from_nanos(total_nanos.round() as u64);
    if duration.is_zero() {
        return Err(format!("{s:?} is zero; a timeout must be positive"));
    }
    Ok(duration)
}

/// Renders a duration the way users write it, e.g. `10m` or `1h30m` (for messages).
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests;
