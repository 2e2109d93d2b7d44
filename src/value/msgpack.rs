// SPDX-License-Identifier: MPL-2.0
//! The msgpack form of values used in DynamicValue (see the protocol reference §5.3).
//!
//! `rmpv` does the framing; this module maps its generic values to and from [`Value`]s,
//! directed by the schema [`Type`] (lists, sets and tuples all look like arrays on the wire).
//! Input is untrusted: nesting depth is bounded and nothing here panics.

use std::collections::BTreeMap;

use rmpv::Value as Raw;

mod refine;
mod scalar;

use self::scalar::{number_from_raw, number_to_raw, raw_kind, str_of, wrong};
use super::decode::decode_tuple;
use super::error::{malformed, mismatch};
use super::{AttributePath, DecodeError, DecodeErrorKind, Type, Value};

/// Nesting of arrays and maps beyond this is rejected (a leaf inside costs up to one level).
pub const MAX_DEPTH: usize = 256;

/// rmpv spends two depth units per array/map level and up to three on a leaf.
const RMPV_DEPTH: usize = 2 * MAX_DEPTH;

/// Decodes `bytes` as a value of type `ty`. Unknown = any ext type (ext 12 = refined).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let root = AttributePath::root();
    let mut rest = bytes;
    let raw = rmpv::decode::read_value_with_max_depth(&mut rest, RMPV_DEPTH).map_err(|e| {
        let msg = match e {
            rmpv::decode::Error::DepthLimitExceeded => {
                format!("nested deeper than {MAX_DEPTH} levels")
            }
            other => format!("invalid msgpack: {other}"),
        };
        malformed(&root, msg)
    })?;
    if !rest.is_empty() {
        return Err(malformed(
            &root,
            format!("{} trailing bytes after the value", rest.len()),
        ));
    }
    from_raw(&raw, ty, &root)
}

/// Encodes `v` as type `ty` (which may be `Dynamic` where the value is concrete).
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, DecodeError> {
    let raw = to_raw(v, ty, &AttributePath::root())?;
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &raw)
        .map_err(|e| malformed(&AttributePath::root(), format!("cannot write msgpack: {e}")))?;
    Ok(out)
}

fn from_raw(raw: &Raw, ty: &Type, path: &AttributePath) -> Result<Value, DecodeError> {
    // NOTE(protocol): cty treats every extension as unknown, whatever its type code.
    if let Raw::Ext(code, payload) = raw {
        return Ok(refine::unknown_from_ext(*code, payload, ty));
    }
    if let Raw::Nil = raw {
        return Ok(Value::null(ty.clone()));
    }
    let items = || match raw {
        Raw::Array(items) => Ok(items),
        _ => Err(wrong(raw, ty, path)),
    };
    let decode_each = |items: &[Raw], elem: &Type| -> Result<Vec<Value>, DecodeError> {
        let each = |(i, r)| from_raw(r, elem, &path.index(i as i64));
        items.iter().enumerate().map(each).collect()
    };
    match ty {
        Type::String => str_of(raw, path)?
            .map(Value::string)
            .ok_or_else(|| wrong(raw, ty, path)),
        Type::Number => number_from_raw(raw, path).map(Value::number),
        Type::Bool => raw
            .as_bool()
            .map(Value::bool)
            .ok_or_else(|| wrong(raw, ty, path)),
        Type::List(elem) => Ok(Value::list((**elem).clone(), decode_each(items()?, elem)?)),
        Type::Set(elem) => Ok(Value::set((**elem).clone(), decode_each(items()?, elem)?)),
        Type::Tuple(elems) => decode_tuple(items()?, elems, ty, path, from_raw),
        Type::Map(elem) => {
            let entries = entries_of(raw, ty, path, |_, _| Ok(()))?;
            let each = |(k, r): (String, &Raw)| Ok((k.clone(), from_raw(r, elem, &path.key(&k))?));
            let values = entries.into_iter().map(each).collect::<Result<_, _>>()?;
            Ok(Value::map((**elem).clone(), values))
        }
        Type::Object(attrs) => {
            let check = |k: &str, p: &AttributePath| match attrs.contains_key(k) {
                true => Ok(()),
                false => Err(DecodeError::new(
                    p.clone(),
                    DecodeErrorKind::UnsupportedAttribute(k.to_string()),
                )),
            };
            let entries = entries_of(raw, ty, path, check)?;
            let mut values = BTreeMap::new();
            for (name, attr_ty) in attrs {
                let r = entries.get(name).ok_or_else(|| {
                    DecodeError::new(
                        path.clone(),
                        DecodeErrorKind::MissingAttribute(name.clone()),
                    )
                })?;
                values.insert(name.clone(), from_raw(r, attr_ty, &path.attr(name))?);
            }
            Ok(Value::object(values).retyped(ty.clone()))
        }
        Type::Dynamic => dynamic_from_raw(raw, path),
    }
}

/// The entries of a msgpack map with str keys, each key vetted by `check`; duplicates rejected.
fn entries_of<'a>(
    raw: &'a Raw,
    ty: &Type,
    path: &AttributePath,
    check: impl Fn(&str, &AttributePath) -> Result<(), DecodeError>,
) -> Result<BTreeMap<String, &'a Raw>, DecodeError> {
    let Raw::Map(pairs) = raw else {
        return Err(wrong(raw, ty, path));
    };
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        let Some(key) = str_of(k, path)? else {
            return Err(malformed(
                path,
                format!("map key is a msgpack {}, not a string", raw_kind(k)),
            ));
        };
        check(key, path)?;
        if out.insert(key.to_string(), v).is_some() {
            return Err(malformed(path, format!("duplicate key {key:?}")));
        }
    }
    Ok(out)
}

/// NOTE(protocol): a `dynamic` slot is nil or `[type JSON (str or bin), value]`.
fn dynamic_from_raw(raw: &Raw, path: &AttributePath) -> Result<Value, DecodeError> {
    match raw {
        Raw::Nil => Ok(Value::null(Type::Dynamic)),
        Raw::Array(pair) if pair.len() == 2 => {
            let type_json: &[u8] = match &pair[0] {
                Raw::String(s) => s.as_bytes(),
                Raw::Binary(b) => b,
                other => return Err(wrong(other, &Type::Dynamic, path)),
            };
            let ty =
                Type::from_json(type_json).map_err(|e| DecodeError::new(path.clone(), e.kind))?;
            from_raw(&pair[1], &ty, path)
        }
        other => Err(malformed(
            path,
            format!(
                "a dynamic value must be a 2-element array, found msgpack {}",
                raw_kind(other)
            ),
        )),
    }
}

fn to_raw(v: &Value, ty: &Type, path: &AttributePath) -> Result<Raw, DecodeError> {
    if *ty == Type::Dynamic && *v.ty() != Type::Dynamic {
        // NOTE(protocol): cty writes the type JSON as msgpack bin; readers accept str too.
        let inner = to_raw(v, v.ty(), path)?;
        return Ok(Raw::Array(vec![Raw::Binary(v.ty().to_json()), inner]));
    }
    if let Some(r) = v.refinements() {
        return Ok(refine::unknown_to_ext(r, ty));
    }
    if v.is_null() {
        return Ok(Raw::Nil);
    }
    let fail = || Err(mismatch(path, &ty.friendly_name(), &v.ty().friendly_name()));
    let seq = |items: &[Value], elem: &Type| -> Result<Raw, DecodeError> {
        let each = |(i, e)| to_raw(e, elem, &path.index(i as i64));
        Ok(Raw::Array(
            items
                .iter()
                .enumerate()
                .map(each)
                .collect::<Result<_, _>>()?,
        ))
    };
    match (ty, v.ty()) {
        (Type::String, _) => v.as_str().map(Raw::from).map_or_else(fail, Ok),
        (Type::Bool, _) => v.as_bool().map(Raw::Boolean).map_or_else(fail, Ok),
        (Type::Number, _) => v.as_number().map(number_to_raw).map_or_else(fail, Ok),
        (Type::List(elem), Type::List(_)) | (Type::Set(elem), Type::Set(_)) => match v.elements() {
            Some(items) => seq(items, elem),
            None => fail(),
        },
        (Type::Tuple(elems), Type::Tuple(_)) => match v.elements() {
            Some(items) if items.len() == elems.len() => {
                let each = |(i, (e, t))| to_raw(e, t, &path.index(i as i64));
                let raws = items.iter().zip(elems).enumerate().map(each);
                Ok(Raw::Array(raws.collect::<Result<_, _>>()?))
            }
            _ => fail(),
        },
        (Type::Map(elem), Type::Map(_)) => match v.fields() {
            // BTreeMap iteration gives the sorted keys cty writes.
            Some(f) => {
                let each = |(k, e): (&String, &Value)| {
                    Ok((Raw::from(k.as_str()), to_raw(e, elem, &path.key(k))?))
                };
                Ok(Raw::Map(f.iter().map(each).collect::<Result<_, _>>()?))
            }
            None => fail(),
        },
        (Type::Object(attrs), Type::Object(_)) => {
            let Some(f) = v.fields() else { return fail() };
            if let Some(extra) = f.keys().find(|k| !attrs.contains_key(*k)) {
                let kind = DecodeErrorKind::UnsupportedAttribute(extra.clone());
                return Err(DecodeError::new(path.clone(), kind));
            }
            let each = |(k, t): (&String, &Type)| match f.get(k) {
                Some(e) => Ok((Raw::from(k.as_str()), to_raw(e, t, &path.attr(k))?)),
                None => Err(DecodeError::new(
                    path.clone(),
                    DecodeErrorKind::MissingAttribute(k.clone()),
                )),
            };
            Ok(Raw::Map(attrs.iter().map(each).collect::<Result<_, _>>()?))
        }
        _ => fail(),
    }
}

#[cfg(test)]
mod tests;
