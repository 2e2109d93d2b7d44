// SPDX-License-Identifier: MPL-2.0
//! The msgpack form of values used in DynamicValue (see the protocol reference §5.3).

use super::{DecodeError, Type, Value};

/// Decodes `bytes` as a value of type `ty`. Unknown = any ext type (ext 12 = refined).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    todo!("{}{ty:?}", bytes.len())
}

/// Encodes `v` as type `ty` (which may be `Dynamic` where the value is concrete).
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, DecodeError> {
    todo!("{v:?}{ty:?}")
}
