// SPDX-License-Identifier: MPL-2.0
//! Typed access to attributes: [`Attr`] (null / unknown / known) and the conversion traits.

use super::{AttributePath, DecodeError, Type, Value};

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

// Implementations required: FromValue + IntoValue for String, bool, i64, Number,
// BTreeSet<T>, Vec<T>, BTreeMap<String, T>; `Attr<T>::from_value` handling null/unknown,
// and `Attr<T>::into_value` producing null/unknown of `T::value_type()`.
