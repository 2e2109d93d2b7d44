// SPDX-License-Identifier: MPL-2.0
//! What the msgpack and JSON decoders share beyond the error constructors.

use super::error::malformed;
use super::{AttributePath, DecodeError, Type, Value};

/// Decodes the wire elements of a tuple of type `ty` (whose element types are `elems`), one
/// `decode` per element, after checking the count. Shared by the msgpack and JSON decoders.
pub(super) fn decode_tuple<R>(
    items: &[R],
    elems: &[Type],
    ty: &Type,
    path: &AttributePath,
    decode: impl Fn(&R, &Type, &AttributePath) -> Result<Value, DecodeError>,
) -> Result<Value, DecodeError> {
    if items.len() != elems.len() {
        let msg = format!(
            "a tuple of {} elements is required ({} given)",
            elems.len(),
            items.len()
        );
        return Err(malformed(path, msg));
    }
    let values = items
        .iter()
        .zip(elems)
        .enumerate()
        .map(|(i, (r, t))| decode(r, t, &path.index(i as i64)))
        .collect::<Result<_, _>>()?;
    Ok(Value::tuple(values).retyped(ty.clone()))
}
