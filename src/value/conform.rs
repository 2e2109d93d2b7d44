// SPDX-License-Identifier: MPL-2.0
//! Type conformance: whether a [`Value`] may stand where a schema [`Type`] is expected.
//!
//! Objects must hold exactly their type's attributes, tuples the right number of elements,
//! and every element must conform in turn; anything conforms to `dynamic`, and a null or
//! unknown `dynamic` may stand for any type.

use super::error::mismatch;
use super::{AttributePath, DecodeError, DecodeErrorKind, Type, Value};

impl Value {
    /// Checks that this value conforms to `ty` (objects hold exactly the type's attributes,
    /// tuples have the right length, every element conforms; anything conforms to `dynamic`).
    pub fn conforms(&self, ty: &Type) -> Result<(), DecodeError> {
        conforms_at(self, ty, &AttributePath::root())
    }

    /// [`Value::conforms`], with errors located under `path` (a value about to be stored there).
    pub(super) fn conforms_at(&self, ty: &Type, path: &AttributePath) -> Result<(), DecodeError> {
        conforms_at(self, ty, path)
    }
}

fn conforms_at(v: &Value, ty: &Type, path: &AttributePath) -> Result<(), DecodeError> {
    let fail = || Err(mismatch(path, &ty.friendly_name(), &v.ty().friendly_name()));
    let each = |elem: &Type| {
        let items = v.elements().unwrap_or_default();
        let one = |(i, e): (usize, &Value)| conforms_at(e, elem, &path.index(i as i64));
        items.iter().enumerate().try_for_each(one)
    };
    if *ty == Type::Dynamic {
        return Ok(());
    }
    if v.is_null() || v.is_unknown() {
        return if type_fits(v.ty(), ty) {
            Ok(())
        } else {
            fail()
        };
    }
    match (ty, v.ty()) {
        (Type::String, Type::String) | (Type::Number, Type::Number) | (Type::Bool, Type::Bool) => {
            Ok(())
        }
        (Type::List(e), Type::List(_)) | (Type::Set(e), Type::Set(_)) => each(e),
        (Type::Tuple(ts), Type::Tuple(_)) => match v.elements() {
            Some(items) if items.len() == ts.len() => {
                let one = |(i, (e, t)): (usize, (&Value, &Type))| {
                    conforms_at(e, t, &path.index(i as i64))
                };
                items.iter().zip(ts).enumerate().try_for_each(one)
            }
            _ => fail(),
        },
        (Type::Map(e), Type::Map(_)) => {
            let mut fields = v.fields().into_iter().flatten();
            fields.try_for_each(|(k, x)| conforms_at(x, e, &path.key(k)))
        }
        (Type::Object(attrs), Type::Object(_)) => {
            let Some(m) = v.fields() else { return fail() };
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                let kind = DecodeErrorKind::UnsupportedAttribute(extra.clone());
                return Err(DecodeError::new(path.clone(), kind));
            }
            attrs.iter().try_for_each(|(name, t)| match m.get(name) {
                Some(x) => conforms_at(x, t, &path.attr(name)),
                None => {
                    let kind = DecodeErrorKind::MissingAttribute(name.clone());
                    Err(DecodeError::new(path.clone(), kind))
                }
            })
        }
        _ => fail(),
    }
}

/// Whether a null or unknown value of type `actual` may stand where `wanted` is expected.
/// `dynamic` on either side fits anything (a null/unknown `dynamic` converts to any type).
fn type_fits(actual: &Type, wanted: &Type) -> bool {
    match (actual, wanted) {
        (Type::Dynamic, _) | (_, Type::Dynamic) => true,
        (Type::List(a), Type::List(w))
        | (Type::Set(a), Type::Set(w))
        | (Type::Map(a), Type::Map(w)) => type_fits(a, w),
        (Type::Object(a), Type::Object(w)) => {
            a.len() == w.len()
                && a.iter()
                    .zip(w)
                    .all(|((ak, at), (wk, wt))| ak == wk && type_fits(at, wt))
        }
        (Type::Tuple(a), Type::Tuple(w)) => {
            a.len() == w.len() && a.iter().zip(w).all(|(at, wt)| type_fits(at, wt))
        }
        (a, w) => a == w,
    }
}

#[cfg(test)]
mod tests;
