// SPDX-License-Identifier: MPL-2.0
//! [`Value`]: a typed value that may be null or unknown.
//!
//! CONTRACT:
//! * every value carries its type ([`Value::ty`]); a value decoded from a `dynamic` slot carries
//!   its concrete type (only null and unknown values can have type [`Type::Dynamic`]);
//! * set elements are kept de-duplicated and in one canonical order, so `==` is set equality
//!   (elements containing unknowns are never merged: cty cannot tell them apart either);
//! * objects always hold every attribute of their type (null ones included).

use std::collections::BTreeMap;

use super::error::mismatch;
use super::{AttributePath, DecodeError, DecodeErrorKind, FromValue, Number, Type};

/// What is known about an unknown value (cty "refinements"); all `None` means unrefined.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refinements {
    /// `Some(false)`: definitely not null.
    pub nullable: Option<bool>,
    pub string_prefix: Option<String>,
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    pub length_lower: Option<u64>,
    pub length_upper: Option<u64>,
}

impl Refinements {
    /// True when nothing is refined.
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// A cty-like value.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    ty: Type,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Null,
    Unknown(Refinements),
    String(String),
    Number(Number),
    Bool(bool),
    /// Lists, sets and tuples.
    Seq(Vec<Value>),
    /// Maps and objects.
    Fields(BTreeMap<String, Value>),
}

impl Value {
    /// A null value of type `ty`.
    pub fn null(ty: Type) -> Value {
        Value {
            ty,
            kind: Kind::Null,
        }
    }
    /// An unrefined unknown value of type `ty`.
    pub fn unknown(ty: Type) -> Value {
        Value {
            ty,
            kind: Kind::Unknown(Refinements::default()),
        }
    }
    /// An unknown value of type `ty` with refinements.
    pub fn unknown_refined(ty: Type, refinements: Refinements) -> Value {
        Value {
            ty,
            kind: Kind::Unknown(refinements),
        }
    }
    pub fn string(s: impl Into<String>) -> Value {
        Value {
            ty: Type::String,
            kind: Kind::String(s.into()),
        }
    }
    pub fn number(n: Number) -> Value {
        Value {
            ty: Type::Number,
            kind: Kind::Number(n),
        }
    }
    pub fn bool(b: bool) -> Value {
        Value {
            ty: Type::Bool,
            kind: Kind::Bool(b),
        }
    }
    /// A known list with element type `elem`.
    pub fn list(elem: Type, items: Vec<Value>) -> Value {
        Value {
            ty: Type::List(Box::new(elem)),
            kind: Kind::Seq(items),
        }
    }
    /// A known set with element type `elem` (de-duplicated, canonical order).
    pub fn set(elem: Type, mut items: Vec<Value>) -> Value {
        items.sort_by(super::order::canonical_cmp);
        items.dedup_by(|a, b| a == b && a.is_wholly_known());
        Value {
            ty: Type::Set(Box::new(elem)),
            kind: Kind::Seq(items),
        }
    }
    /// A known map with element type `elem`.
    pub fn map(elem: Type, entries: BTreeMap<String, Value>) -> Value {
        Value {
            ty: Type::Map(Box::new(elem)),
            kind: Kind::Fields(entries),
        }
    }
    /// A known tuple; its type is derived from the elements.
    pub fn tuple(items: Vec<Value>) -> Value {
        let ty = Type::Tuple(items.iter().map(|v| v.ty.clone()).collect());
        Value {
            ty,
            kind: Kind::Seq(items),
        }
    }
    /// A known object; its type is derived from the attributes.
    pub fn object(attrs: BTreeMap<String, Value>) -> Value {
        let ty = Type::Object(
            attrs
                .iter()
                .map(|(k, v)| (k.clone(), v.ty.clone()))
                .collect(),
        );
        Value {
            ty,
            kind: Kind::Fields(attrs),
        }
    }
    /// This value under a (schema) type the caller vouches for: decoders use it so that an
    /// object or tuple keeps `dynamic` in its declared type while its values are concrete.
    pub(super) fn retyped(self, ty: Type) -> Value {
        Value {
            ty,
            kind: self.kind,
        }
    }

    pub fn ty(&self) -> &Type {
        &self.ty
    }
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }
    /// Refinements when unknown.
    pub fn refinements(&self) -> Option<&Refinements> {
        match &self.kind {
            Kind::Unknown(r) => Some(r),
            _ => None,
        }
    }
    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match &self.kind {
            Kind::Unknown(_) => false,
            Kind::Seq(items) => items.iter().all(Value::is_wholly_known),
            Kind::Fields(fields) => fields.values().all(Value::is_wholly_known),
            _ => true,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match &self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }
    /// Elements of a known list, set or tuple.
    pub fn elements(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }
    /// Entries of a known map or attributes of a known object.
    pub fn fields(&self) -> Option<&BTreeMap<String, Value>> {
        match &self.kind {
            Kind::Fields(fields) => Some(fields),
            _ => None,
        }
    }
    /// One attribute of a known object.
    pub fn attr(&self, name: &str) -> Option<&Value> {
        match (&self.ty, &self.kind) {
            (Type::Object(_), Kind::Fields(fields)) => fields.get(name),
            _ => None,
        }
    }
    /// Replaces one attribute of a known object (the attribute must exist in its type).
    /// Misuse (not a known object, no such attribute, value of another type) is a bug in the
    /// caller: it panics in debug builds and is ignored in release builds.
    pub fn set_attr(&mut self, name: &str, v: Value) {
        let result = self.try_set_attr(name, v);
        debug_assert!(result.is_ok(), "set_attr: {result:?}");
    }
    /// Like [`Value::set_attr`], reporting misuse as an error instead.
    pub fn try_set_attr(&mut self, name: &str, v: Value) -> Result<(), DecodeError> {
        let path = AttributePath::attribute(name);
        let (Type::Object(attrs), Kind::Fields(fields)) = (&self.ty, &mut self.kind) else {
            return Err(mismatch(
                &AttributePath::root(),
                "known object",
                &self.ty.friendly_name(),
            ));
        };
        let Some(attr_ty) = attrs.get(name) else {
            return Err(DecodeError::new(
                AttributePath::root(),
                DecodeErrorKind::UnsupportedAttribute(name.to_string()),
            ));
        };
        v.conforms_at(attr_ty, &path)?;
        fields.insert(name.to_string(), v);
        Ok(())
    }
    /// Decodes attribute `name` of an object into a typed [`super::Attr`]. An attribute of a
    /// null object reads as null, of an unknown object as unknown.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<super::Attr<T>, DecodeError> {
        let Type::Object(attrs) = &self.ty else {
            return Err(mismatch(
                &AttributePath::root(),
                "object",
                &self.ty.friendly_name(),
            ));
        };
        let missing = || {
            let kind = DecodeErrorKind::MissingAttribute(name.to_string());
            DecodeError::new(AttributePath::root(), kind)
        };
        if !attrs.contains_key(name) {
            return Err(missing());
        }
        match &self.kind {
            Kind::Null => Ok(super::Attr::Null),
            Kind::Unknown(_) => Ok(super::Attr::Unknown),
            Kind::Fields(f) => {
                let v = f.get(name).ok_or_else(missing)?;
                super::Attr::from_value(v, &AttributePath::attribute(name))
            }
            _ => Err(mismatch(
                &AttributePath::root(),
                "object",
                &self.ty.friendly_name(),
            )),
        }
    }
}

#[cfg(test)]
mod tests;
