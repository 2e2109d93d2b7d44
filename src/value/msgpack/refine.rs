// SPDX-License-Identifier: MPL-2.0
//! Unknown values on the msgpack wire: plain ext 0 (`d4 00 00`) or ext 12 carrying cty
//! "refinements" (what is already known about the eventual value).
//!
//! NOTE(protocol): the ext 12 payload is a msgpack map with small integer keys: 1 = is-null
//! flag (`false` = definitely not null), 2 = string prefix, 3/4 = number lower/upper bound as
//! `[number, inclusive]`, 5/6 = collection length min/max. Unknown keys are ignored.

use rmpv::Value as Raw;

use super::scalar::{number_from_raw, number_to_raw};
use crate::value::{AttributePath, Refinements, Type, Value};

const EXT_UNKNOWN: i8 = 0;
const EXT_REFINED: i8 = 12;

/// cty refuses refinement payloads above 1 KiB as abusive; we ignore them instead.
const MAX_PAYLOAD: usize = 1024;

const KEY_NULLNESS: i64 = 1;
const KEY_STRING_PREFIX: i64 = 2;
const KEY_NUMBER_MIN: i64 = 3;
const KEY_NUMBER_MAX: i64 = 4;
const KEY_LENGTH_MIN: i64 = 5;
const KEY_LENGTH_MAX: i64 = 6;

/// The unknown value of type `ty` an extension stands for. A refinement payload that is not
/// understood (malformed, oversize, refinements that do not apply to `ty`) is dropped, which
/// only loses information: an unrefined unknown may be anything of its type.
pub(super) fn unknown_from_ext(code: i8, payload: &[u8], ty: &Type) -> Value {
    if code != EXT_REFINED || *ty == Type::Dynamic || payload.len() > MAX_PAYLOAD {
        return Value::unknown(ty.clone());
    }
    let mut rest = payload;
    match rmpv::decode::read_value_with_max_depth(&mut rest, 8) {
        Ok(Raw::Map(entries)) => Value::unknown_refined(ty.clone(), from_entries(&entries, ty)),
        _ => Value::unknown(ty.clone()),
    }
}

/// Refinements from a decoded payload. Trivial ones (nullable, an empty prefix, a length of at
/// least 0) are dropped, as the encoder drops them, so decode -> encode -> decode is stable.
fn from_entries(entries: &[(Raw, Raw)], ty: &Type) -> Refinements {
    let root = AttributePath::root();
    let bound = |raw: &Raw| match raw.as_array().map(Vec::as_slice) {
        Some([n, Raw::Boolean(inclusive)]) => {
            number_from_raw(n, &root).ok().map(|n| (n, *inclusive))
        }
        _ => None,
    };
    let mut r = Refinements::default();
    for (key, val) in entries {
        match (key.as_i64(), ty) {
            // Only "definitely not null" says anything; `true` is what every unknown allows.
            (Some(KEY_NULLNESS), _) => r.nullable = val.as_bool().filter(|b| !b),
            (Some(KEY_STRING_PREFIX), Type::String) => {
                r.string_prefix = val.as_str().filter(|p| !p.is_empty()).map(str::to_owned);
            }
            (Some(KEY_NUMBER_MIN), Type::Number) => r.number_lower = bound(val),
            (Some(KEY_NUMBER_MAX), Type::Number) => r.number_upper = bound(val),
            (Some(KEY_LENGTH_MIN), t) if t.is_collection() => {
                r.length_lower = val.as_u64().filter(|n| *n > 0);
            }
            (Some(KEY_LENGTH_MAX), t) if t.is_collection() => r.length_upper = val.as_u64(),
            _ => {}
        }
    }
    r
}

/// The extension for an unknown of type `ty`: ext 12 with the refinements that apply to `ty`,
/// or the plain `d4 00 00` when there are none (never an empty refinement map).
pub(super) fn unknown_to_ext(r: &Refinements, ty: &Type) -> Raw {
    let plain = Raw::Ext(EXT_UNKNOWN, vec![0]);
    if *ty == Type::Dynamic {
        return plain;
    }
    let mut entries = Vec::new();
    let mut push = |key: i64, val: Raw| entries.push((Raw::from(key), val));
    if r.nullable == Some(false) {
        push(KEY_NULLNESS, Raw::Boolean(false));
    }
    let bound =
        |(n, inclusive): &(_, bool)| Raw::Array(vec![number_to_raw(n), Raw::Boolean(*inclusive)]);
    match ty {
        Type::String => {
            if let Some(p) = r.string_prefix.as_deref().filter(|p| !p.is_empty()) {
                push(KEY_STRING_PREFIX, Raw::from(p));
            }
        }
        Type::Number => {
            if let Some(b) = &r.number_lower {
                push(KEY_NUMBER_MIN, bound(b));
            }
            if let Some(b) = &r.number_upper {
                push(KEY_NUMBER_MAX, bound(b));
            }
        }
        t if t.is_collection() => {
            if let Some(n) = r.length_lower.filter(|n| *n > 0) {
                push(KEY_LENGTH_MIN, Raw::from(n));
            }
            if let Some(n) = r.length_upper {
                push(KEY_LENGTH_MAX, Raw::from(n));
            }
        }
        _ => {}
    }
    if entries.is_empty() {
        return plain;
    }
    let mut payload = Vec::new();
    match rmpv::encode::write_value(&mut payload, &Raw::Map(entries)) {
        Ok(()) => Raw::Ext(EXT_REFINED, payload),
        // Writing to a Vec cannot fail; should it ever, unrefined is still correct.
        Err(_) => plain,
    }
}

#[cfg(test)]
mod tests;
