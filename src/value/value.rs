// SPDX-License-Identifier: MPL-2.0
//! [`Value`]: a typed value that may be null or unknown.
//!
//! CONTRACT (filled in by the value implementation):
//! * every value carries its type ([`Value::ty`]); a value decoded from a `dynamic` slot carries
//!   its concrete type;
//! * set elements are kept de-duplicated and in one canonical order, so `==` is set equality;
//! * objects always hold every attribute of their type (null ones included).

use std::collections::BTreeMap;

use super::{AttributePath, DecodeError, FromValue, Number, Type};

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
        Value { ty, kind: Kind::Null }
    }
    /// An unrefined unknown value of type `ty`.
    pub fn unknown(ty: Type) -> Value {
        Value { ty, kind: Kind::Unknown(Refinements::default()) }
    }
    /// An unknown value of type `ty` with refinements.
    pub fn unknown_refined(ty: Type, refinements: Refinements) -> Value {
        Value { ty, kind: Kind::Unknown(refinements) }
    }
    pub fn string(s: impl Into<String>) -> Value {
        Value { ty: Type::String, kind: Kind::String(s.into()) }
    }
    pub fn number(n: Number) -> Value {
        Value { ty: Type::Number, kind: Kind::Number(n) }
    }
    pub fn bool(b: bool) -> Value {
        Value { ty: Type::Bool, kind: Kind::Bool(b) }
    }
    /// A known list with element type `elem`.
    pub fn list(elem: Type, items: Vec<Value>) -> Value {
        todo!("{elem:?}{items:?}")
    }
    /// A known set with element type `elem` (de-duplicated, canonical order).
    pub fn set(elem: Type, items: Vec<Value>) -> Value {
        todo!("{elem:?}{items:?}")
    }
    /// A known map with element type `elem`.
    pub fn map(elem: Type, entries: BTreeMap<String, Value>) -> Value {
        todo!("{elem:?}{entries:?}")
    }
    /// A known tuple; its type is derived from the elements.
    pub fn tuple(items: Vec<Value>) -> Value {
        todo!("{items:?}")
    }
    /// A known object; its type is derived from the attributes.
    pub fn object(attrs: BTreeMap<String, Value>) -> Value {
        todo!("{attrs:?}")
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
        todo!()
    }
    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        todo!()
    }
    pub fn as_str(&self) -> Option<&str> {
        todo!()
    }
    pub fn as_bool(&self) -> Option<bool> {
        todo!()
    }
    pub fn as_number(&self) -> Option<&Number> {
        todo!()
    }
    /// Elements of a known list, set or tuple.
    pub fn elements(&self) -> Option<&[Value]> {
        todo!()
    }
    /// Entries of a known map or attributes of a known object.
    pub fn fields(&self) -> Option<&BTreeMap<String, Value>> {
        todo!()
    }
    /// One attribute of a known object.
    pub fn attr(&self, name: &str) -> Option<&Value> {
        todo!("{name}")
    }
    /// Replaces one attribute of a known object (the attribute must exist in its type).
    pub fn set_attr(&mut self, name: &str, v: Value) {
        todo!("{name}{v:?}")
    }
    /// The value at `path`, if every step exists and is known.
    pub fn get_path(&self, path: &AttributePath) -> Option<&Value> {
        todo!("{path}")
    }
    /// Decodes attribute `name` of a known object into a typed [`super::Attr`].
    pub fn get<T: FromValue>(&self, name: &str) -> Result<super::Attr<T>, DecodeError> {
        todo!("{name}")
    }
    /// Checks that this value conforms to `ty` (objects hold exactly the type's attributes, ...).
    pub fn conforms(&self, ty: &Type) -> Result<(), DecodeError> {
        todo!("{ty:?}")
    }
}
