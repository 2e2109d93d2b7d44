// SPDX-License-Identifier: MPL-2.0
//! Golden tests for the msgpack codec: (name, type, value, hex) tables checked both ways, and
//! lenient inputs Terraform may send. Errors are in `tests/errors.rs`.

mod errors;

use super::*;
use crate::value::test_values::{hex, hex_of, list_of};
use crate::value::{Number, Refinements, Type, Value};

fn num(s: &str) -> Value {
    Value::number(Number::parse(s).unwrap())
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
