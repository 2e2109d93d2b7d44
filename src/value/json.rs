// SPDX-License-Identifier: MPL-2.0
//! The JSON form of values (RawState): no unknowns; missing object attributes become null.
//!
//! Numbers beyond f64 precision survive: the document is read by `json_text`, which keeps
//! number literals as text, and converted here, directed by the schema [`Type`]. Like cty,
//! primitives convert leniently (numeric strings, stringified numbers and booleans).

use std::collections::BTreeMap;

use super::decode::decode_tuple;
use super::error::malformed;
use super::json_text::{self, Json};
use super::{AttributePath, DecodeError, DecodeErrorKind, Number, Type, Value};

/// Decodes JSON `bytes` (compact or indented) as a value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let json = json_text::parse(bytes)?;
    from_json(&json, ty, &AttributePath::root())
}

fn json_kind(j: &Json) -> &'static str {
    match j {
        Json::Null => "JSON null",
        Json::Bool(_) => "JSON boolean",
        Json::Number(_) => "JSON number",
        Json::String(_) => "JSON string",
        Json::Array(_) => "JSON array",
        Json::Object(_) => "JSON object",
    }
}

fn wrong(j: &Json, ty: &Type, path: &AttributePath) -> DecodeError {
    let kind = DecodeErrorKind::TypeMismatch {
        expected: ty.friendly_name(),
        found: json_kind(j).to_string(),
    };
    DecodeError::new(path.clone(), kind)
}

/// Converts a parsed document to a value of `ty`. Like cty, primitives convert leniently
/// (a number from a numeric string, a string from a number or boolean).
fn from_json(j: &Json, ty: &Type, path: &AttributePath) -> Result<Value, DecodeError> {
    let invalid =
        |s: &str| DecodeError::new(path.clone(), DecodeErrorKind::InvalidNumber(s.to_string()));
    let items = || match j {
        Json::Array(items) => Ok(items),
        _ => Err(wrong(j, ty, path)),
    };
    let each = |items: &[Json], elem: &Type| -> Result<Vec<Value>, DecodeError> {
        let one = |(i, e)| from_json(e, elem, &path.index(i as i64));
        items.iter().enumerate().map(one).collect()
    };
    match (ty, j) {
        (_, Json::Null) => Ok(Value::null(ty.clone())),
        (Type::Dynamic, _) => dynamic_from_json(j, path),
        (Type::String, Json::String(s) | Json::Number(s)) => Ok(Value::string(s.clone())),
        (Type::String, Json::Bool(b)) => Ok(Value::string(b.to_string())),
        (Type::Number, Json::Number(s) | Json::String(s)) => Number::parse(s)
            .map(Value::number)
            .ok_or_else(|| invalid(s)),
        (Type::Bool, Json::Bool(b)) => Ok(Value::bool(*b)),
        (Type::Bool, Json::String(s)) if s == "true" || s == "false" => {
            Ok(Value::bool(s == "true"))
        }
        (Type::List(elem), _) => Ok(Value::list((**elem).clone(), each(items()?, elem)?)),
        (Type::Set(elem), _) => Ok(Value::set((**elem).clone(), each(items()?, elem)?)),
        (Type::Tuple(elems), _) => decode_tuple(items()?, elems, ty, path, from_json),
        (Type::Map(elem), Json::Object(pairs)) => {
            let mut values = BTreeMap::new();
            for (k, e) in pairs {
                let v = from_json(e, elem, &path.key(k))?;
                if values.insert(k.clone(), v).is_some() {
                    return Err(malformed(path, format!("duplicate key {k:?}")));
                }
            }
            Ok(Value::map((**elem).clone(), values))
        }
        (Type::Object(attrs), Json::Object(pairs)) => {
            let mut values = BTreeMap::new();
            for (k, e) in pairs {
                let Some(attr_ty) = attrs.get(k) else {
                    let kind = DecodeErrorKind::UnsupportedAttribute(k.clone());
                    return Err(DecodeError::new(path.clone(), kind));
                };
                if values
                    .insert(k.clone(), from_json(e, attr_ty, &path.attr(k))?)
                    .is_some()
                {
                    return Err(malformed(path, format!("duplicate key {k:?}")));
                }
            }
            for (name, attr_ty) in attrs {
                values
                    .entry(name.clone())
                    .or_insert_with(|| Value::null(attr_ty.clone()));
            }
            Ok(Value::object(values).retyped(ty.clone()))
        }
        _ => Err(wrong(j, ty, path)),
    }
}

/// NOTE(protocol): a `dynamic` value in JSON is `{"type": <type JSON>, "value": <value>}`.
fn dynamic_from_json(j: &Json, path: &AttributePath) -> Result<Value, DecodeError> {
    let Json::Object(pairs) = j else {
        return Err(wrong(j, &Type::Dynamic, path));
    };
    let (mut ty, mut value) = (None, None);
    for (k, e) in pairs {
        match k.as_str() {
            "type" => ty = Some(e),
            "value" => value = Some(e),
            other => {
                return Err(malformed(
                    path,
                    format!("invalid key {other:?} in a dynamic value"),
                ))
            }
        }
    }
    let (Some(ty), Some(value)) = (ty, value) else {
        return Err(malformed(
            path,
            "a dynamic value needs both \"type\" and \"value\"".into(),
        ));
    };
    let ty =
        Type::from_json_value(&to_serde(ty)).map_err(|e| DecodeError::new(path.clone(), e.kind))?;
    from_json(value, &ty, path)
}

/// A type description as serde_json sees it (type descriptions hold no numbers worth keeping).
fn to_serde(j: &Json) -> serde_json::Value {
    use serde_json::Value as S;
    match j {
        Json::Null => S::Null,
        Json::Bool(b) => S::Bool(*b),
        Json::Number(s) => s.parse().map_or(S::Null, S::Number),
        Json::String(s) => S::String(s.clone()),
        Json::Array(items) => S::Array(items.iter().map(to_serde).collect()),
        Json::Object(pairs) => S::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests;
