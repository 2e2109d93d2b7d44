// SPDX-License-Identifier: MPL-2.0
use super::*;

fn sample_object() -> Type {
    Type::object([
        ("id", Type::String),
        ("tags", Type::Map(Box::new(Type::String))),
        ("n", Type::Number),
    ])
}

#[test]
fn json_round_trip() {
    let cases = [
        ("string", Type::String, r#""string""#),
        ("number", Type::Number, r#""number""#),
        ("bool", Type::Bool, r#""bool""#),
        ("dynamic", Type::Dynamic, r#""dynamic""#),
        (
            "set",
            Type::Set(Box::new(Type::String)),
            r#"["set","string"]"#,
        ),
        (
            "list",
            Type::List(Box::new(Type::Bool)),
            r#"["list","bool"]"#,
        ),
        (
            "map",
            Type::Map(Box::new(Type::Number)),
            r#"["map","number"]"#,
        ),
        (
            "object sorted",
            sample_object(),
            r#"["object",{"id":"string","n":"number","tags":["map","string"]}]"#,
        ),
        (
            "tuple",
            Type::Tuple(vec![Type::String, Type::Dynamic]),
            r#"["tuple",["string","dynamic"]]"#,
        ),
        (
            "empty object",
            Type::object::<_, String>([]),
            r#"["object",{}]"#,
        ),
    ];
    for (name, ty, json) in cases {
        assert_eq!(String::from_utf8_lossy(&ty.to_json()), json, "{name}");
        assert_eq!(Type::from_json(json.as_bytes()), Ok(ty), "{name}");
    }
}

#[test]
fn accepts_optional_attribute_form_and_whitespace() {
    let json = br#"[ "object", {"n": "number", "id": "string", "tags": ["map","string"]}, ["n"] ]"#;
    assert_eq!(Type::from_json(json), Ok(sample_object()));
}

#[test]
fn rejects_malformed() {
    let cases = [
        ("unknown primitive", r#""strng""#),
        ("number", "1"),
        ("empty array", "[]"),
        ("list without element", r#"["list"]"#),
        ("list extra", r#"["list","string","string"]"#),
        ("object not map", r#"["object",["string"]]"#),
        ("optional not names", r#"["object",{},[1]]"#),
        ("tuple not array", r#"["tuple","string"]"#),
        ("unknown kind", r#"["bag","string"]"#),
        ("not json", "[\"list\","),
        (
            "deep",
            &format!("{}\"string\"{}", "[\"list\",".repeat(200), "]".repeat(200)),
        ),
    ];
    for (name, json) in cases {
        let err = Type::from_json(json.as_bytes()).expect_err(name);
        assert!(
            matches!(err.kind, DecodeErrorKind::InvalidType(_)),
            "{name}: {err}"
        );
    }
}
