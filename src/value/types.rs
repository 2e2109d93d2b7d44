// SPDX-License-Identifier: MPL-2.0
//! cty types and their JSON form (the `type` bytes of a schema attribute).
//!
//! Terraform describes every attribute type, and the concrete type inside a `dynamic` value,
//! as compact JSON: `"string"`, `["list","number"]`, `["object",{"a":"bool"}]`, ...

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{AttributePath, DecodeError, DecodeErrorKind};

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
        self.to_json_value().to_string().into_bytes()
    }

    /// Parses the JSON form, as found in a schema or inside a `dynamic` value.
    /// Also accepts the 3-element object form with optional attribute names
    /// (`["object",{...},["a"]]`); optionality is not kept.
    pub fn from_json(bytes: &[u8]) -> Result<Type, super::DecodeError> {
        let json: Json = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
        Type::from_json_value(&json)
    }

    /// Converts an already parsed JSON type description.
    pub(super) fn from_json_value(json: &Json) -> Result<Type, DecodeError> {
        match json {
            Json::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(invalid(format!("unknown primitive type {other:?}"))),
            },
            Json::Array(items) => {
                let (kind, rest) = match items.split_first() {
                    Some((Json::String(kind), rest)) => (kind.as_str(), rest),
                    _ => return Err(invalid("type array must start with a kind name".into())),
                };
                match (kind, rest) {
                    ("list", [elem]) => Ok(Type::List(Box::new(Type::from_json_value(elem)?))),
                    ("set", [elem]) => Ok(Type::Set(Box::new(Type::from_json_value(elem)?))),
                    ("map", [elem]) => Ok(Type::Map(Box::new(Type::from_json_value(elem)?))),
                    ("object", [Json::Object(attrs)]) => object_from_json(attrs),
                    ("object", [Json::Object(attrs), Json::Array(optional)])
                        if optional.iter().all(Json::is_string) =>
                    {
                        object_from_json(attrs)
                    }
                    ("tuple", [Json::Array(elems)]) => elems
                        .iter()
                        .map(Type::from_json_value)
                        .collect::<Result<_, _>>()
                        .map(Type::Tuple),
                    _ => Err(invalid(format!("malformed {kind:?} type"))),
                }
            }
            other => Err(invalid(format!("unexpected JSON {other} in type"))),
        }
    }

    fn to_json_value(&self) -> Json {
        let pair = |kind: &str, inner: Json| Json::Array(vec![Json::from(kind), inner]);
        match self {
            Type::String => Json::from("string"),
            Type::Number => Json::from("number"),
            Type::Bool => Json::from("bool"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(e) => pair("list", e.to_json_value()),
            Type::Set(e) => pair("set", e.to_json_value()),
            Type::Map(e) => pair("map", e.to_json_value()),
            Type::Object(attrs) => pair(
                "object",
                Json::Object(
                    attrs
                        .iter()
                        .map(|(k, t)| (k.clone(), t.to_json_value()))
                        .collect(),
                ),
            ),
            Type::Tuple(elems) => pair("tuple", elems.iter().map(Type::to_json_value).collect()),
        }
    }

    /// A short name for error messages, e.g. `list of string`.
    pub fn friendly_name(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::Dynamic => "dynamic".into(),
            Type::List(e) => format!("list of {}", e.friendly_name()),
            Type::Set(e) => format!("set of {}", e.friendly_name()),
            Type::Map(e) => format!("map of {}", e.friendly_name()),
            Type::Object(_) => "object".into(),
            Type::Tuple(_) => "tuple".into(),
        }
    }

    /// True for lists, sets and maps (the types cty length refinements apply to).
    pub fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Set(_) | Type::Map(_))
    }
}

fn object_from_json(attrs: &serde_json::Map<String, Json>) -> Result<Type, DecodeError> {
    attrs
        .iter()
        .map(|(k, t)| Ok((k.clone(), Type::from_json_value(t)?)))
        .collect::<Result<_, _>>()
        .map(Type::Object)
}

fn invalid(msg: String) -> DecodeError {
    DecodeError::new(AttributePath::root(), DecodeErrorKind::InvalidType(msg))
}

#[cfg(test)]
mod tests;
