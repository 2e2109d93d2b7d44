// SPDX-License-Identifier: MPL-2.0
//! `DynamicValue`: an encoded value whose type is known only from the schema.

use crate::value::{json, msgpack, DecodeError, Type, Value};

/// A value as it travels on the wire. Terraform always sends msgpack; JSON is a fallback.
/// Decoding needs the schema type, because lists, sets and tuples look alike on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DynamicValue {
    pub msgpack: Vec<u8>,
    pub json: Vec<u8>,
}

impl DynamicValue {
    /// Encodes `v` as msgpack (the only form this provider sends).
    pub fn encode(v: &Value, ty: &Type) -> Result<Self, DecodeError> {
        Ok(Self {
            msgpack: msgpack::encode(v, ty)?,
            json: Vec::new(),
        })
    }

    /// Decodes as `ty`, from msgpack when present, else from JSON.
    pub fn decode(&self, ty: &Type) -> Result<Value, DecodeError> {
        if self.msgpack.is_empty() && !self.json.is_empty() {
            json::decode(&self.json, ty)
        } else {
            msgpack::decode(&self.msgpack, ty)
        }
    }
}
