// SPDX-License-Identifier: MPL-2.0
//! Shorthands for building values in the value layer's unit tests.

use super::{Type, Value};

/// A known string.
pub(super) fn s(x: &str) -> Value {
    Value::string(x)
}

/// A known object from `(name, value)` pairs.
pub(super) fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Bytes from hex digits; whitespace between them is ignored.
pub(super) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Bytes as spaced hex, for readable assertion failures.
pub(super) fn hex_of(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `list(t)`.
pub(super) fn list_of(t: Type) -> Type {
    Type::List(Box::new(t))
}
