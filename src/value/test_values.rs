// SPDX-License-Identifier: MPL-2.0
//! Shorthands for building values in the value layer's unit tests.

use super::Value;

/// A known string.
pub(super) fn s(x: &str) -> Value {
    Value::string(x)
}

/// A known object from `(name, value)` pairs.
pub(super) fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}
