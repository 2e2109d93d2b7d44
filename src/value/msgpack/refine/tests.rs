// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::value::Number;

#[test]
fn encoding_never_writes_an_empty_refinement_map() {
    let plain = Raw::Ext(EXT_UNKNOWN, vec![0]);
    let cases = [
        ("nothing refined", Type::String, Refinements::default()),
        (
            "maybe null",
            Type::String,
            Refinements {
                nullable: Some(true),
                ..Default::default()
            },
        ),
        (
            "empty prefix",
            Type::String,
            Refinements {
                string_prefix: Some(String::new()),
                ..Default::default()
            },
        ),
        (
            "prefix on a number",
            Type::Number,
            Refinements {
                string_prefix: Some("a".into()),
                ..Default::default()
            },
        ),
        (
            "zero lower length",
            Type::List(Box::new(Type::Bool)),
            Refinements {
                length_lower: Some(0),
                ..Default::default()
            },
        ),
        (
            "dynamic",
            Type::Dynamic,
            Refinements {
                nullable: Some(false),
                ..Default::default()
            },
        ),
    ];
    for (name, ty, r) in cases {
        assert_eq!(unknown_to_ext(&r, &ty), plain, "{name}");
    }
}

#[test]
fn decoding_drops_what_does_not_apply() {
    let bound = Some((Number::from_i64(5), false));
    let cases: Vec<(&str, Type, Vec<u8>, Refinements)> = vec![
        (
            "prefix on number ignored",
            Type::Number,
            vec![0x81, 0x02, 0xa1, 0x61],
            Refinements::default(),
        ),
        (
            "bad bound ignored",
            Type::Number,
            vec![0x81, 0x03, 0x05],
            Refinements::default(),
        ),
        (
            "upper bound",
            Type::Number,
            vec![0x81, 0x04, 0x92, 0x05, 0xc2],
            Refinements {
                number_upper: bound,
                ..Default::default()
            },
        ),
        (
            "string key ignored",
            Type::String,
            vec![0x81, 0xa1, 0x31, 0xc2],
            Refinements::default(),
        ),
        // Found by fuzzing: trivial refinements the encoder drops must be dropped on
        // decode too, or a round trip changes the value.
        (
            "maybe null is trivial",
            Type::List(Box::new(Type::Number)),
            vec![0x81, 0x01, 0xc3],
            Refinements::default(),
        ),
        (
            "empty prefix is trivial",
            Type::String,
            vec![0x81, 0x02, 0xa0],
            Refinements::default(),
        ),
        (
            "length at least zero is trivial",
            Type::List(Box::new(Type::Number)),
            vec![0x81, 0x05, 0x00],
            Refinements::default(),
        ),
        (
            "definitely not null is kept",
            Type::String,
            vec![0x81, 0x01, 0xc2],
            Refinements {
                nullable: Some(false),
                ..Default::default()
            },
        ),
    ];
    for (name, ty, payload, want) in cases {
        assert_eq!(
            unknown_from_ext(EXT_REFINED, &payload, &ty),
            Value::unknown_refined(ty, want),
            "{name}"
        );
    }
    let oversize = vec![0xc0; MAX_PAYLOAD + 1];
    assert_eq!(
        unknown_from_ext(EXT_REFINED, &oversize, &Type::String),
        Value::unknown(Type::String)
    );
    let truncated = [0x82, 0x01];
    assert_eq!(
        unknown_from_ext(EXT_REFINED, &truncated, &Type::String),
        Value::unknown(Type::String)
    );
}
