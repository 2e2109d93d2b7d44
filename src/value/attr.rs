// SPDX-License-Identifier: MPL-2.0
//! Typed access to attributes: [`Attr`] (null / unknown / known) and the conversion traits.
//!
//! Resources read their configuration, plan and state as typed models; these conversions
//! never panic: a value of the wrong type is a [`DecodeError`] located by its path.

use std::collections::{BTreeMap, BTreeSet};

use super::{AttributePath, DecodeError, DecodeErrorKind, Number, Type, Value};

/// An attribute as a resource sees it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }
    /// The known value, if any.
    pub fn known(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }
}

impl<T: FromValue> Attr<T> {
    /// Null becomes [`Attr::Null`], unknown [`Attr::Unknown`], anything else goes through
    /// [`FromValue`].
    pub fn from_value(v: &Value, path: &AttributePath) -> Result<Attr<T>, DecodeError> {
        if v.is_null() {
            Ok(Attr::Null)
        } else if v.is_unknown() {
            Ok(Attr::Unknown)
        } else {
            T::from_value(v, path).map(Attr::Known)
        }
    }
}

impl<T: IntoValue> Attr<T> {
    /// Null and unknown become null / unknown values of `T::value_type()`.
    pub fn into_value(self) -> Value {
        match self {
            Attr::Null => Value::null(T::value_type()),
            Attr::Unknown => Value::unknown(T::value_type()),
            Attr::Known(v) => v.into_value(),
        }
    }
}

/// Conversion from a known, non-null [`Value`].
pub trait FromValue: Sized {
    /// `path` locates `v` for error messages.
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError>;
}

/// Conversion into a [`Value`] of a fixed type.
pub trait IntoValue {
    fn value_type() -> Type;
    fn into_value(self) -> Value;
}

/// The error for `v` not being a known `expected`.
fn unexpected(v: &Value, expected: &str, path: &AttributePath) -> DecodeError {
    let kind = if v.is_unknown() {
        DecodeErrorKind::UnexpectedUnknown
    } else {
        let found = if v.is_null() {
            "null".to_string()
        } else {
            v.ty().friendly_name()
        };
        DecodeErrorKind::TypeMismatch {
            expected: expected.to_string(),
            found,
        }
    };
    DecodeError::new(path.clone(), kind)
}

impl FromValue for String {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| unexpected(v, "string", path))
    }
}

impl FromValue for bool {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        v.as_bool().ok_or_else(|| unexpected(v, "bool", path))
    }
}

impl FromValue for Number {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        v.as_number()
            .cloned()
            .ok_or_else(|| unexpected(v, "number", path))
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let n = v.as_number().ok_or_else(|| unexpected(v, "number", path))?;
        n.to_i64().ok_or_else(|| {
            DecodeError::new(path.clone(), DecodeErrorKind::InvalidNumber(n.to_string()))
        })
    }
}

/// The elements of a known `v` whose type passes `is_kind`.
fn elements_of<'a>(
    v: &'a Value,
    is_kind: fn(&Type) -> bool,
    expected: &str,
    path: &AttributePath,
) -> Result<&'a [Value], DecodeError> {
    match v.elements() {
        Some(items) if is_kind(v.ty()) => Ok(items),
        _ => Err(unexpected(v, expected, path)),
    }
}

impl<T: FromValue + Ord> FromValue for BTreeSet<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let items = elements_of(v, |t| matches!(t, Type::Set(_)), "set", path)?;
        let each = |(i, e)| T::from_value(e, &path.index(i as i64));
        items.iter().enumerate().map(each).collect()
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let items = elements_of(v, |t| matches!(t, Type::List(_)), "list", path)?;
        let each = |(i, e)| T::from_value(e, &path.index(i as i64));
        items.iter().enumerate().map(each).collect()
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let fields = match v.fields() {
            Some(f) if matches!(v.ty(), Type::Map(_)) => f,
            _ => return Err(unexpected(v, "map", path)),
        };
        let each = |(k, e): (&String, &Value)| Ok((k.clone(), T::from_value(e, &path.key(k))?));
        fields.iter().map(each).collect()
    }
}

impl IntoValue for String {
    fn value_type() -> Type {
        Type::String
    }
    fn into_value(self) -> Value {
        Value::string(self)
    }
}

impl IntoValue for bool {
    fn value_type() -> Type {
        Type::Bool
    }
    fn into_value(self) -> Value {
        Value::bool(self)
    }
}

impl IntoValue for i64 {
    fn value_type() -> Type {
        Type::Number
    }
    fn into_value(self) -> Value {
        Value::number(Number::from_i64(self))
    }
}

impl IntoValue for Number {
    fn value_type() -> Type {
        Type::Number
    }
    fn into_value(self) -> Value {
        Value::number(self)
    }
}

impl<T: IntoValue> IntoValue for BTreeSet<T> {
    fn value_type() -> Type {
        Type::Set(Box::new(T::value_type()))
    }
    fn into_value(self) -> Value {
        Value::set(
            T::value_type(),
            self.into_iter().map(T::into_value).collect(),
        )
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn value_type() -> Type {
        Type::List(Box::new(T::value_type()))
    }
    fn into_value(self) -> Value {
        Value::list(
            T::value_type(),
            self.into_iter().map(T::into_value).collect(),
        )
    }
}

impl<T: IntoValue> IntoValue for BTreeMap<String, T> {
    fn value_type() -> Type {
        Type::Map(Box::new(T::value_type()))
    }
    fn into_value(self) -> Value {
        Value::map(
            T::value_type(),
            self.into_iter().map(|(k, v)| (k, v.into_value())).collect(),
        )
    }
}

#[cfg(test)]
mod tests;
