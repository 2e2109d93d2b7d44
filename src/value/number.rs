// SPDX-License-Identifier: MPL-2.0
//! Arbitrary-precision decimal numbers, as cty keeps them.
//!
//! A [`Number`] is a sign, a string of significant decimal digits and a power-of-ten exponent,
//! always normalized (no leading or trailing zeros, zero has no sign), so derived equality,
//! hashing and ordering are numeric. Terraform sends numbers as msgpack int, float64 or a
//! decimal string; all three land here without passing through a lossy float.

use std::cmp::Ordering;

/// Largest decimal exponent accepted by [`Number::parse`]; far beyond anything cty produces,
/// it keeps exponent arithmetic from overflowing.
const MAX_EXP: i64 = 1_000_000_000;

/// Trailing or leading zeros [`Number`]'s `Display` writes out before switching to `1e21` form.
const MAX_PLAIN_ZEROS: i64 = 20;

/// More significant digits than any f64 has in its exact decimal expansion (767).
const F64_MAX_DIGITS: usize = 780;

/// A finite decimal number of arbitrary size and precision.
/// Equality is numeric: `1`, `1.0` and `1e0` are equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// Significant ASCII digits without leading or trailing zeros; empty for zero.
    digits: String,
    /// The value is `digits × 10^exp`.
    exp: i64,
}

impl Number {
    pub fn from_i64(n: i64) -> Number {
        Self::normalize(n < 0, &n.unsigned_abs().to_string(), 0)
    }

    pub fn from_u64(n: u64) -> Number {
        Self::normalize(false, &n.to_string(), 0)
    }

    /// `None` for NaN or infinities. The conversion is exact: `0.1_f64` becomes
    /// `0.1000000000000000055511151231257827021181583404541015625`, the binary value Terraform
    /// meant when it sent that float64.
    pub fn from_f64(n: f64) -> Option<Number> {
        if !n.is_finite() {
            return None;
        }
        // Rust formats floats with a fixed precision exactly (no libc rounding), and no f64
        // has more significant digits than this, so the text is the exact binary value.
        Number::parse(&format!("{n:.F64_MAX_DIGITS$e}"))
    }

    /// Parses a decimal literal (`-12`, `3.25`, `1e400`, `123456789012345678901234567890`).
    /// Accepts JSON number syntax plus a leading `+`, leading zeros and a bare fraction (`.5`),
    /// as cty's number parser does. Rejects NaN, infinities and absurd exponents.
    pub fn parse(s: &str) -> Option<Number> {
        let b = s.as_bytes();
        let mut i = 0;
        let negative = match b.first() {
            Some(b'-') => {
                i = 1;
                true
            }
            Some(b'+') => {
                i = 1;
                false
            }
            _ => false,
        };
        let int_part = take_digits(s, &mut i);
        let mut frac = "";
        if b.get(i) == Some(&b'.') {
            i += 1;
            frac = take_digits(s, &mut i);
        }
        if int_part.is_empty() && frac.is_empty() {
            return None;
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let exp_digits = take_digits(s, &mut i);
            if exp_digits.is_empty() {
                return None;
            }
            exp = exp_digits.parse::<i64>().ok().filter(|e| *e <= MAX_EXP)?;
            if exp_negative {
                exp = -exp;
            }
        }
        if i != b.len() {
            return None;
        }
        let frac_len = i64::try_from(frac.len()).ok()?;
        let n = Self::normalize(negative, &format!("{int_part}{frac}"), exp - frac_len);
        (n.exp.abs() <= MAX_EXP).then_some(n)
    }

    /// The value as i64 when it is an integer that fits.
    pub fn to_i64(&self) -> Option<i64> {
        if self.digits.is_empty() {
            return Some(0);
        }
        if self.exp < 0 || self.point() > 19 {
            return None;
        }
        let zeros = "0".repeat(usize::try_from(self.exp).ok()?);
        let sign = if self.negative { "-" } else { "" };
        format!("{sign}{}{zeros}", self.digits).parse().ok()
    }

    /// The value as f64 when that is exact.
    pub fn to_f64_exact(&self) -> Option<f64> {
        if self.digits.is_empty() {
            return Some(0.0);
        }
        if self.digits.len() > F64_MAX_DIGITS {
            return None;
        }
        let sign = if self.negative { "-" } else { "" };
        // Rust's float parser rounds correctly; converting back exactly tells whether it had to.
        let f: f64 = format!("{sign}0.{}e{}", self.digits, self.point())
            .parse()
            .ok()?;
        (Number::from_f64(f).as_ref() == Some(self)).then_some(f)
    }

    /// Builds a normalized number from a sign, raw ASCII digits (zeros allowed anywhere) and
    /// an exponent.
    fn normalize(negative: bool, digits: &str, exp: i64) -> Number {
        let trimmed = digits.trim_start_matches('0');
        let significant = trimmed.trim_end_matches('0');
        if significant.is_empty() {
            return Number {
                negative: false,
                digits: String::new(),
                exp: 0,
            };
        }
        let trailing = (trimmed.len() - significant.len()) as i64;
        Number {
            negative,
            digits: significant.to_string(),
            exp: exp.saturating_add(trailing),
        }
    }

    /// Digits before the decimal point when written as `0.digits × 10^point`.
    fn point(&self) -> i64 {
        self.digits.len() as i64 + self.exp
    }

    fn cmp_magnitude(&self, other: &Number) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            // Normalized digits have no trailing zeros, so at equal magnitude a plain string
            // comparison orders them (a prefix is the smaller number).
            (false, false) => self
                .point()
                .cmp(&other.point())
                .then_with(|| self.digits.cmp(&other.digits)),
        }
    }
}

fn take_digits<'a>(s: &'a str, i: &mut usize) -> &'a str {
    let start = *i;
    while s.as_bytes().get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    &s[start..*i]
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Number {
    /// The shortest exact decimal form: plain (`-0.5`, `1000`) unless that needs more than 20
    /// padding zeros, then scientific (`1e400`, `1.5e-30`), which cty also parses.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let point = self.point();
        let d = &self.digits;
        if (0..=MAX_PLAIN_ZEROS).contains(&self.exp) {
            write!(f, "{d}{}", "0".repeat(self.exp as usize))
        } else if self.exp < 0 && point > 0 {
            let (int, frac) = d.split_at(point as usize);
            write!(f, "{int}.{frac}")
        } else if self.exp < 0 && -point <= MAX_PLAIN_ZEROS {
            write!(f, "0.{}{d}", "0".repeat((-point) as usize))
        } else {
            let (first, rest) = d.split_at(1);
            let dot = if rest.is_empty() { "" } else { "." };
            write!(f, "{first}{dot}{rest}e{}", point - 1)
        }
    }
}

impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Number({self})")
    }
}

#[cfg(test)]
mod tests;
