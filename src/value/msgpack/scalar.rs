// SPDX-License-Identifier: MPL-2.0
//! The leaves of the msgpack codec: strings and numbers to and from rmpv's raw values, and
//! the error for a raw value of the wrong kind. Shared by the codec and its refinements.

use rmpv::Value as Raw;

use crate::value::error::malformed;
use crate::value::{AttributePath, DecodeError, DecodeErrorKind, Number, Type};

/// What a raw msgpack value is, for error messages.
pub(super) fn raw_kind(raw: &Raw) -> &'static str {
    match raw {
        Raw::Nil => "nil",
        Raw::Boolean(_) => "bool",
        Raw::Integer(_) => "integer",
        Raw::F32(_) | Raw::F64(_) => "float",
        Raw::String(_) => "string",
        Raw::Binary(_) => "binary (msgpack bin, not str)",
        Raw::Array(_) => "array",
        Raw::Map(_) => "map",
        Raw::Ext(..) => "extension",
    }
}

pub(super) fn wrong(raw: &Raw, ty: &Type, path: &AttributePath) -> DecodeError {
    let kind = DecodeErrorKind::TypeMismatch {
        expected: ty.friendly_name(),
        found: format!("msgpack {}", raw_kind(raw)),
    };
    DecodeError::new(path.clone(), kind)
}

/// The text of a msgpack str; `Ok(None)` when `raw` is not a str at all.
pub(super) fn str_of<'a>(
    raw: &'a Raw,
    path: &AttributePath,
) -> Result<Option<&'a str>, DecodeError> {
    match raw {
        Raw::String(s) => match s.as_str() {
            Some(s) => Ok(Some(s)),
            None => Err(malformed(path, "string is not valid UTF-8".into())),
        },
        _ => Ok(None),
    }
}

/// Numbers arrive as int, uint, float32/64 or a decimal string (too big or too precise).
pub(super) fn number_from_raw(raw: &Raw, path: &AttributePath) -> Result<Number, DecodeError> {
    let invalid = |s: String| DecodeError::new(path.clone(), DecodeErrorKind::InvalidNumber(s));
    match raw {
        Raw::Integer(i) => match (i.as_i64(), i.as_u64()) {
            (Some(n), _) => Ok(Number::from_i64(n)),
            (None, Some(n)) => Ok(Number::from_u64(n)),
            (None, None) => Err(invalid(i.to_string())),
        },
        Raw::F32(f) => Number::from_f64(f64::from(*f)).ok_or_else(|| invalid(f.to_string())),
        Raw::F64(f) => Number::from_f64(*f).ok_or_else(|| invalid(f.to_string())),
        Raw::String(_) => match str_of(raw, path)? {
            Some(s) => Number::parse(s).ok_or_else(|| invalid(s.to_string())),
            None => Err(invalid("non-UTF-8 string".into())),
        },
        other => Err(wrong(other, &Type::Number, path)),
    }
}

/// NOTE(protocol): int when integral and within i64, float64 when exact, else the decimal
/// string (as cty does), so no precision is lost either way.
pub(super) fn number_to_raw(n: &Number) -> Raw {
    if let Some(i) = n.to_i64() {
        Raw::from(i)
    } else if let Some(f) = n.to_f64_exact() {
        Raw::F64(f)
    } else {
        Raw::from(n.to_string())
    }
}
