// SPDX-License-Identifier: MPL-2.0
//! Helpers shared by the value-codec fuzz targets: the fixed schema types the fuzzer decodes
//! against, and the round-trip invariant every successful decode must satisfy.
//!
//! An input's first byte picks the type (so one corpus covers all of them); the rest is the
//! wire payload. Seeds under `fuzz/seeds/<target>/` follow the same layout.

use ehpc::value::{msgpack, Type, Value};

/// The types a decoder is exercised against, indexed by the input's first byte.
pub fn fuzz_types() -> Vec<Type> {
    let string_set = Type::Set(Box::new(Type::String));
    let region_block = Type::object([("region_id", Type::String), ("status", Type::String)]);
    // Shaped like a resource's state: primitives, a set of strings, a nested block list, a
    // single nested block, a map and a tuple, so every decoder branch is reachable.
    let resource = Type::object([
        ("id", Type::String),
        ("app_id", Type::String),
        ("region", Type::String),
        ("request_id", Type::String),
        ("target_region_ids", string_set),
        ("synchronized", Type::List(Box::new(region_block))),
        (
            "timeouts",
            Type::object([("create", Type::String), ("update", Type::String)]),
        ),
        ("tags", Type::Map(Box::new(Type::String))),
        ("weight", Type::Number),
        ("enabled", Type::Bool),
        ("pair", Type::Tuple(vec![Type::String, Type::Number])),
        ("extra", Type::Dynamic),
    ]);
    vec![resource, Type::Dynamic, Type::List(Box::new(Type::Number))]
}

/// Splits a fuzz input into the type it selects and the payload.
pub fn split_input(data: &[u8]) -> Option<(Type, &[u8])> {
    let (&selector, payload) = data.split_first()?;
    let mut types = fuzz_types();
    let index = usize::from(selector) % types.len();
    Some((types.swap_remove(index), payload))
}

/// Checks what must hold for any value a decoder accepted as type `ty`: it conforms to `ty`,
/// msgpack-encodes, decodes back to an equal value, and re-encodes to the same bytes.
///
/// # Panics
/// When any of those fails: that is the bug the fuzzer reports.
pub fn check_round_trip(value: &Value, ty: &Type) {
    if let Err(e) = value.conforms(ty) {
        panic!("decoded value does not conform to its type {ty:?}: {e}\nvalue: {value:?}");
    }
    let bytes = match msgpack::encode(value, ty) {
        Ok(bytes) => bytes,
        Err(e) => panic!("decoded value cannot be encoded: {e}\nvalue: {value:?}"),
    };
    let again = match msgpack::decode(&bytes, ty) {
        Ok(again) => again,
        Err(e) => panic!("re-encoded value does not decode: {e}\nbytes: {bytes:02x?}"),
    };
    assert_eq!(&again, value, "msgpack round trip changed the value");
    let bytes_again = match msgpack::encode(&again, ty) {
        Ok(bytes) => bytes,
        Err(e) => panic!("round-tripped value cannot be encoded: {e}"),
    };
    assert_eq!(bytes_again, bytes, "msgpack encoding is not stable");
}
