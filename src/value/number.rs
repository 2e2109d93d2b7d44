// SPDX-License-Identifier: MPL-2.0
//! Arbitrary-precision decimal numbers, as cty keeps them.

/// A finite decimal number of arbitrary size and precision.
/// Equality is numeric: `1`, `1.0` and `1e0` are equal.
#[derive(Clone, Debug)]
pub struct Number {
    // Representation is up to the implementation (e.g. a normalized decimal string).
}

impl Number {
    pub fn from_i64(n: i64) -> Number {
        todo!("{n}")
    }
    pub fn from_u64(n: u64) -> Number {
        todo!("{n}")
    }
    /// `None` for NaN or infinities.
    pub fn from_f64(n: f64) -> Option<Number> {
        todo!("{n}")
    }
    /// Parses a decimal literal (`-12`, `3.25`, `1e400`, `123456789012345678901234567890`).
    pub fn parse(s: &str) -> Option<Number> {
        todo!("{s}")
    }
    /// The value as i64 when it is an integer that fits.
    pub fn to_i64(&self) -> Option<i64> {
        todo!()
    }
    /// The value as f64 when that is exact.
    pub fn to_f64_exact(&self) -> Option<f64> {
        todo!()
    }
}

impl PartialEq for Number {
    fn eq(&self, _other: &Self) -> bool {
        todo!()
    }
}

impl std::fmt::Display for Number {
    /// The shortest exact decimal form.
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        todo!()
    }
}
