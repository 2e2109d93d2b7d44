// SPDX-License-Identifier: MPL-2.0
use super::*;

fn state_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("count", Type::Number),
        ("ratio", Type::Number),
        ("enabled", Type::Bool),
        ("regions", Type::Set(Box::new(Type::String))),
        ("tags", Type::Map(Box::new(Type::String))),
        ("extra", Type::Dynamic),
        ("timeouts", Type::object([("create", Type::String)])),
    ])
}

fn num(s: &str) -> Value {
    Value::number(Number::parse(s).unwrap())
}

#[test]
fn state_documents() {
    let indented = r#"{
  "id": "app-1",
  "count": 123456789012345678901234567890,
  "ratio": 0.1,
  "enabled": true,
  "regions": ["cn-shanghai", "cn-hangzhou", "cn-shanghai"],
  "tags": {"b": "2", "a": "1"},
  "extra": {"type": ["list", "number"], "value": [1.5e3]},
  "timeouts": null
}"#;
    let compact: String = indented.split_whitespace().collect();
    let v = decode(indented.as_bytes(), &state_type()).unwrap();
    assert_eq!(
        decode(compact.as_bytes(), &state_type()),
        Ok(v.clone()),
        "compact == indented"
    );
    assert_eq!(v.ty(), &state_type());
    let cases = [
        ("id", Value::string("app-1")),
        ("count", num("123456789012345678901234567890")),
        ("ratio", num("0.1")),
        ("enabled", Value::bool(true)),
        (
            "regions",
            Value::set(
                Type::String,
                vec![Value::string("cn-hangzhou"), Value::string("cn-shanghai")],
            ),
        ),
        (
            "tags",
            Value::map(
                Type::String,
                [("a", "1"), ("b", "2")]
                    .map(|(k, v)| (k.into(), Value::string(v)))
                    .into(),
            ),
        ),
        ("extra", Value::list(Type::Number, vec![num("1500")])),
        (
            "timeouts",
            Value::null(Type::object([("create", Type::String)])),
        ),
    ];
    for (name, want) in cases {
        assert_eq!(v.attr(name), Some(&want), "{name}");
    }
    assert_eq!(
        v.attr("count")
            .and_then(Value::as_number)
            .map(|n| n.to_string())
            .as_deref(),
        Some("123456789012345678901234567890")
    );
}

#[test]
fn missing_attributes_are_null() {
    let v = decode(br#"{"id":"x","timeouts":{}}"#, &state_type()).unwrap();
    assert_eq!(v.attr("count"), Some(&Value::null(Type::Number)));
    assert_eq!(v.attr("extra"), Some(&Value::null(Type::Dynamic)));
    let timeouts = v.attr("timeouts").unwrap();
    assert_eq!(timeouts.attr("create"), Some(&Value::null(Type::String)));
    assert!(v.conforms(&state_type()).is_ok());
}

#[test]
fn lenient_primitives() {
    let cases = [
        ("number from string", Type::Number, r#""-0.5""#, num("-0.5")),
        (
            "string from number",
            Type::String,
            "12.50",
            Value::string("12.50"),
        ),
        (
            "string from bool",
            Type::String,
            "true",
            Value::string("true"),
        ),
        (
            "bool from string",
            Type::Bool,
            r#""false""#,
            Value::bool(false),
        ),
        (
            "escapes",
            Type::String,
            r#""a\"\u00e9\n""#,
            Value::string("a\"é\n"),
        ),
        (
            "tuple",
            Type::Tuple(vec![Type::String, Type::Bool]),
            r#"["a",false]"#,
            Value::tuple(vec![Value::string("a"), Value::bool(false)]),
        ),
    ];
    for (name, ty, json, want) in cases {
        assert_eq!(decode(json.as_bytes(), &ty), Ok(want), "{name}");
    }
}

#[test]
fn errors_carry_paths() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let cases: Vec<(&str, Type, String, &str, Option<DecodeErrorKind>)> = vec![
        (
            "unsupported attribute",
            state_type(),
            r#"{"idd":"x"}"#.into(),
            "(root)",
            Some(DecodeErrorKind::UnsupportedAttribute("idd".into())),
        ),
        (
            "nested unsupported",
            state_type(),
            r#"{"timeouts":{"delete":"1m"}}"#.into(),
            "timeouts",
            Some(DecodeErrorKind::UnsupportedAttribute("delete".into())),
        ),
        (
            "wrong type",
            state_type(),
            r#"{"tags":{"a":[]}}"#.into(),
            r#"tags["a"]"#,
            Some(DecodeErrorKind::TypeMismatch {
                expected: "string".into(),
                found: "JSON array".into(),
            }),
        ),
        (
            "bad number",
            Type::Number,
            r#""ten""#.into(),
            "(root)",
            Some(DecodeErrorKind::InvalidNumber("ten".into())),
        ),
        ("trailing", Type::Bool, "true x".into(), "(root)", None),
        ("deep nesting", Type::Dynamic, deep, "(root)", None),
        (
            "dynamic without type",
            Type::Dynamic,
            r#"{"value":1}"#.into(),
            "(root)",
            None,
        ),
        (
            "duplicate key",
            state_type(),
            r#"{"id":"a","id":"b"}"#.into(),
            "(root)",
            None,
        ),
    ];
    for (name, ty, json, path, kind) in cases {
        let err = decode(json.as_bytes(), &ty).expect_err(name);
        assert_eq!(err.path.to_string(), path, "{name}: {err}");
        match kind {
            Some(kind) => assert_eq!(err.kind, kind, "{name}"),
            None => assert!(
                matches!(err.kind, DecodeErrorKind::Malformed(_)),
                "{name}: {err}"
            ),
        }
    }
    assert!(decode(b"\xff", &Type::String).is_err(), "invalid UTF-8");
}
