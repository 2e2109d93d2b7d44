// SPDX-License-Identifier: MPL-2.0
//! Golden tests for the msgpack codec: (name, type, value, hex) tables checked both ways,
//! lenient inputs Terraform may send, and every decoding error with its path.
//!
//! Kept beside `msgpack.rs` rather than at its bottom only to respect the file-size rule.

use super::msgpack::*;
use super::{DecodeErrorKind, Number, Refinements, Type, Value};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
fn num(s: &str) -> Value {
    Value::number(Number::parse(s).unwrap())
}
fn list_of(t: Type) -> Type {
    Type::List(Box::new(t))
}
fn nested_type() -> Type {
    Type::object([
        ("block", Type::object([("x", Type::Bool)])),
        ("id", Type::String),
        ("n", Type::Number),
        ("tags", Type::Map(Box::new(Type::String))),
    ])
}
fn nested_value() -> Value {
    let block = Value::object([("x".to_string(), Value::bool(true))].into());
    let tags = Value::map(Type::String, [("k".to_string(), Value::string("v"))].into());
    let attrs = [
        ("block".to_string(), block),
        ("id".to_string(), Value::string("i")),
        ("n".to_string(), Value::null(Type::Number)),
        ("tags".to_string(), tags),
    ];
    Value::object(attrs.into())
}

/// (name, type, value, canonical bytes): decode(bytes) == value and encode(value) == bytes.
fn golden() -> Vec<(&'static str, Type, Value, &'static str)> {
    let not_null_ab = Refinements {
        nullable: Some(false),
        string_prefix: Some("ab".into()),
        ..Default::default()
    };
    let non_negative = Refinements {
        nullable: Some(false),
        number_lower: Some((Number::from_i64(0), true)),
        ..Default::default()
    };
    let one_to_three = Refinements {
        length_lower: Some(1),
        length_upper: Some(3),
        ..Default::default()
    };
    vec![
        ("null", Type::String, Value::null(Type::String), "c0"),
        ("null object", nested_type(), Value::null(nested_type()), "c0"),
        ("unknown", Type::String, Value::unknown(Type::String), "d4 00 00"),
        ("unknown dynamic", Type::Dynamic, Value::unknown(Type::Dynamic), "d4 00 00"),
        (
            "refined string",
            Type::String,
            Value::unknown_refined(Type::String, not_null_ab),
            "c7 07 0c 82 01 c2 02 a2 61 62",
        ),
        (
            "refined number",
            Type::Number,
            Value::unknown_refined(Type::Number, non_negative),
            "c7 07 0c 82 01 c2 03 92 00 c3",
        ),
        (
            "refined list length",
            list_of(Type::String),
            Value::unknown_refined(list_of(Type::String), one_to_three),
            "c7 05 0c 82 05 01 06 03",
        ),
        ("string", Type::String, Value::string("hi"), "a2 68 69"),
        ("empty string", Type::String, Value::string(""), "a0"),
        ("true", Type::Bool, Value::bool(true), "c3"),
        ("false", Type::Bool, Value::bool(false), "c2"),
        ("fixint", Type::Number, num("7"), "07"),
        ("negative fixint", Type::Number, num("-1"), "ff"),
        ("int8", Type::Number, num("-33"), "d0 df"),
        ("uint16", Type::Number, num("300"), "cd 01 2c"),
        ("i64 max", Type::Number, num("9223372036854775807"), "cf 7f ff ff ff ff ff ff ff"),
        ("i64 min", Type::Number, num("-9223372036854775808"), "d3 80 00 00 00 00 00 00 00"),
        ("fraction", Type::Number, num("0.5"), "cb 3f e0 00 00 00 00 00 00"),
        ("exact big float", Type::Number, num("1e20"), "cb 44 15 af 1d 78 b5 8c 40"),
        (
            "30 digits as str",
            Type::Number,
            num("123456789012345678901234567890"),
            "be 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30",
        ),
        ("decimal tenth as str", Type::Number, num("0.1"), "a3 30 2e 31"),
        ("huge as str", Type::Number, num("1e400"), "a5 31 65 34 30 30"),
        (
            "set",
            Type::Set(Box::new(Type::String)),
            Value::set(Type::String, vec![Value::string("b"), Value::string("a")]),
            "92 a1 61 a1 62",
        ),
        ("list", list_of(Type::Number), Value::list(Type::Number, vec![num("2"), num("1")]), "92 02 01"),
        ("empty list", list_of(Type::Number), Value::list(Type::Number, vec![]), "90"),
        (
            "map sorted",
            Type::Map(Box::new(Type::Number)),
            Value::map(Type::Number, [("b".into(), num("1")), ("a".into(), num("2"))].into()),
            "82 a1 61 02 a1 62 01",
        ),
        (
            "nested object with null attribute",
            nested_type(),
            nested_value(),
            "84 a5 62 6c 6f 63 6b 81 a1 78 c3 a2 69 64 a1 69 a1 6e c0 a4 74 61 67 73 81 a1 6b a1 76",
        ),
        (
            "tuple",
            Type::Tuple(vec![Type::String, Type::Number]),
            Value::tuple(vec![Value::string("a"), num("1")]),
            "92 a1 61 01",
        ),
        (
            "dynamic string",
            Type::Dynamic,
            Value::string("x"),
            "92 c4 08 22 73 74 72 69 6e 67 22 a1 78",
        ),
        ("dynamic null", Type::Dynamic, Value::null(Type::Dynamic), "c0"),
    ]
}

#[test]
fn golden_vectors_both_ways() {
    for (name, ty, value, bytes) in golden() {
        let bytes = hex(bytes);
        assert_eq!(decode(&bytes, &ty).as_ref(), Ok(&value), "{name}: decode");
        assert_eq!(
            encode(&value, &ty).map(|b| hex_of(&b)),
            Ok(hex_of(&bytes)),
            "{name}: encode"
        );
    }
}

fn hex_of(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn lenient_decoding() {
    let set_ty = Type::Set(Box::new(Type::String));
    let cases: Vec<(&str, Type, &str, Value)> = vec![
        (
            "any ext is unknown",
            Type::Bool,
            "d5 07 01 02",
            Value::unknown(Type::Bool),
        ),
        (
            "malformed refinement",
            Type::String,
            "c7 02 0c 91 c0",
            Value::unknown(Type::String),
        ),
        (
            "unknown refinement key ignored",
            Type::String,
            "c7 03 0c 81 63 c3",
            Value::unknown_refined(Type::String, Refinements::default()),
        ),
        (
            "uint64 above i64",
            Type::Number,
            "cf ff ff ff ff ff ff ff ff",
            num("18446744073709551615"),
        ),
        ("float32", Type::Number, "ca 3f c0 00 00", num("1.5")),
        ("number as str", Type::Number, "a4 2d 30 2e 35", num("-0.5")),
        (
            "integral float",
            Type::Number,
            "cb 40 00 00 00 00 00 00 00",
            num("2"),
        ),
        (
            "set dedup and order",
            set_ty.clone(),
            "93 a1 62 a1 61 a1 62",
            Value::set(Type::String, vec![Value::string("a"), Value::string("b")]),
        ),
        (
            "dynamic type as str",
            Type::Dynamic,
            "92 a8 22 73 74 72 69 6e 67 22 a1 78",
            Value::string("x"),
        ),
        (
            "nil in dynamic",
            Type::Dynamic,
            "c0",
            Value::null(Type::Dynamic),
        ),
    ];
    for (name, ty, bytes, want) in cases {
        assert_eq!(decode(&hex(bytes), &ty), Ok(want), "{name}");
    }
    let a = decode(&hex("92 a1 61 a1 62"), &set_ty);
    let b = decode(&hex("92 a1 62 a1 61"), &set_ty);
    assert_eq!(a, b, "set equality ignores wire order");
}

#[test]
fn dynamic_object_keeps_declared_type() {
    let ty = Type::object([("d", Type::Dynamic)]);
    let bytes = hex("81 a1 64 92 c4 08 22 6e 75 6d 62 65 72 22 05");
    let v = decode(&bytes, &ty).unwrap();
    assert_eq!(v.ty(), &ty);
    assert_eq!(v.attr("d").map(Value::ty), Some(&Type::Number));
    assert_eq!(encode(&v, &ty).unwrap(), bytes);
}

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
