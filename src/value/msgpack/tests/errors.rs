// SPDX-License-Identifier: MPL-2.0
//! The msgpack codec's failures: every decoding error with its path, encoding errors, and
//! arbitrary bytes that must never panic.

use crate::value::msgpack::*;
use crate::value::test_values::{hex, hex_of, list_of};
use crate::value::{DecodeErrorKind, Type, Value};

#[test]
fn decode_errors_carry_paths() {
    let obj = Type::object([("a", Type::String), ("b", Type::Number)]);
    let deep_ty = Type::object([("items", list_of(Type::object([("b", Type::String)])))]);
    let deep = format!("{}c0", "91".repeat(MAX_DEPTH + 1));
    let within = format!("{}c0", "91".repeat(MAX_DEPTH - 2));
    let cases: Vec<(&str, Type, String, &str, DecodeErrorKind)> = vec![
        (
            "missing attribute",
            obj.clone(),
            "81 a1 61 a1 78".into(),
            "(root)",
            DecodeErrorKind::MissingAttribute("b".into()),
        ),
        (
            "extra attribute",
            obj.clone(),
            "83 a1 61 a1 78 a1 62 01 a1 63 01".into(),
            "(root)",
            DecodeErrorKind::UnsupportedAttribute("c".into()),
        ),
        (
            "wrong type",
            obj.clone(),
            "82 a1 61 01 a1 62 01".into(),
            "a",
            mismatch_kind("string", "msgpack integer"),
        ),
        (
            "bin for string",
            Type::String,
            "c4 01 61".into(),
            "(root)",
            mismatch_kind("string", "msgpack binary (msgpack bin, not str)"),
        ),
        (
            "bad number str",
            Type::Number,
            "a3 61 62 63".into(),
            "(root)",
            DecodeErrorKind::InvalidNumber("abc".into()),
        ),
        (
            "tuple length",
            Type::Tuple(vec![Type::Bool]),
            "92 c3 c3".into(),
            "(root)",
            DecodeErrorKind::Malformed("a tuple of 1 elements is required (2 given)".into()),
        ),
        (
            "nested path",
            deep_ty,
            "81 a5 69 74 65 6d 73 92 81 a1 62 a1 78 81 a1 62 07".into(),
            "items[1].b",
            mismatch_kind("string", "msgpack integer"),
        ),
        (
            "truncated",
            Type::String,
            "a5 61 62".into(),
            "(root)",
            DecodeErrorKind::Malformed(String::new()),
        ),
        (
            "truncated array32",
            list_of(Type::Bool),
            "dd ff ff ff ff c3".into(),
            "(root)",
            DecodeErrorKind::Malformed(String::new()),
        ),
        (
            "empty input",
            Type::String,
            String::new(),
            "(root)",
            DecodeErrorKind::Malformed(String::new()),
        ),
        (
            "deep nesting",
            Type::Dynamic,
            deep,
            "(root)",
            DecodeErrorKind::Malformed(format!("nested deeper than {MAX_DEPTH} levels")),
        ),
        (
            "trailing bytes",
            Type::String,
            "c0 c0".into(),
            "(root)",
            DecodeErrorKind::Malformed("1 trailing bytes after the value".into()),
        ),
        (
            "dynamic not a pair",
            Type::Dynamic,
            "91 c0".into(),
            "(root)",
            DecodeErrorKind::Malformed(
                "a dynamic value must be a 2-element array, found msgpack array".into(),
            ),
        ),
        (
            "dynamic bad type",
            Type::Dynamic,
            "92 a3 66 6f 6f c0".into(),
            "(root)",
            DecodeErrorKind::InvalidType(String::new()),
        ),
        (
            "within depth limit decodes but mismatches",
            Type::String,
            within,
            "(root)",
            mismatch_kind("string", "msgpack array"),
        ),
    ];
    for (name, ty, bytes, path, kind) in cases {
        let err = decode(&hex(&bytes), &ty).expect_err(name);
        assert_eq!(err.path.to_string(), path, "{name}: {err}");
        match (&kind, &err.kind) {
            // Messages from rmpv / serde_json are not pinned, only the variant.
            (DecodeErrorKind::Malformed(m), DecodeErrorKind::Malformed(_)) if m.is_empty() => {}
            (DecodeErrorKind::InvalidType(_), DecodeErrorKind::InvalidType(_)) => {}
            _ => assert_eq!(err.kind, kind, "{name}"),
        }
    }
}

fn mismatch_kind(expected: &str, found: &str) -> DecodeErrorKind {
    DecodeErrorKind::TypeMismatch {
        expected: expected.into(),
        found: found.into(),
    }
}

#[test]
fn encode_errors() {
    let obj = Type::object([("a", Type::String), ("b", Type::Number)]);
    let only_a = Value::object([("a".to_string(), Value::string("x"))].into());
    let extra = Value::object(
        [("a", "x"), ("b", "y"), ("c", "z")]
            .map(|(k, v)| (k.to_string(), Value::string(v)))
            .into(),
    );
    let cases = [
        (
            "missing attribute",
            &obj,
            only_a,
            DecodeErrorKind::MissingAttribute("b".into()),
        ),
        (
            "extra attribute",
            &obj,
            extra,
            DecodeErrorKind::UnsupportedAttribute("c".into()),
        ),
        (
            "wrong type",
            &Type::Bool,
            Value::string("x"),
            mismatch_kind("bool", "string"),
        ),
    ];
    for (name, ty, v, kind) in cases {
        assert_eq!(encode(&v, ty).map_err(|e| e.kind), Err(kind), "{name}");
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let ty = Type::object([("a", list_of(Type::Dynamic)), ("b", Type::Number)]);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in 0..2000 {
        let bytes: Vec<u8> = (0..len % 64)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect();
        if let Ok(v) = decode(&bytes, &ty) {
            let again = encode(&v, &ty).and_then(|b| decode(&b, &ty));
            assert_eq!(again, Ok(v), "re-encoding {}", hex_of(&bytes));
        }
    }
}
