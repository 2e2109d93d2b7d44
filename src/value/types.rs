// SPDX-License-Identifier: MPL-2.0
//! cty types and their JSON form (the `type` bytes of a schema attribute).

use std::collections::BTreeMap;

/// A cty type. Objects list every attribute; object attribute names are kept sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    /// `"dynamic"`: the concrete type travels with the value.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

impl Type {
    /// Builds an object type from `(name, type)` pairs.
    pub fn object<I, S>(attrs: I) -> Type
    where
        I: IntoIterator<Item = (S, Type)>,
        S: Into<String>,
    {
        Type::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The compact JSON form Terraform expects, e.g. `"string"` or `["set","string"]`.
    pub fn to_json(&self) -> Vec<u8> {
        todo!("value helper")
    }

    /// Parses the JSON form, as found in a schema or inside a `dynamic` value.
    pub fn from_json(bytes: &[u8]) -> Result<Type, super::DecodeError> {
        todo!("value helper: {}", bytes.len())
    }
}
