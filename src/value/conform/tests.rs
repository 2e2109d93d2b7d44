// SPDX-License-Identifier: MPL-2.0
use super::*;

use crate::value::test_values::{obj, s};

#[test]
fn conforms() {
    let ty = Type::object([
        ("a", Type::String),
        ("d", Type::Dynamic),
        ("l", Type::List(Box::new(Type::Number))),
    ]);
    let good = obj(vec![
        ("a", s("x")),
        ("d", Value::bool(true)),
        ("l", Value::null(Type::Dynamic)),
    ]);
    assert_eq!(good.conforms(&ty), Ok(()));
    let bad_elem = Value::list(Type::Number, vec![s("x")]);
    let cases = [
        (
            "missing",
            obj(vec![("a", s("x")), ("d", s("x"))]),
            "(root)",
            DecodeErrorKind::MissingAttribute("l".into()),
        ),
        (
            "extra",
            obj(vec![
                ("a", s("x")),
                ("d", s("x")),
                ("l", Value::null(Type::Dynamic)),
                ("z", s("x")),
            ]),
            "(root)",
            DecodeErrorKind::UnsupportedAttribute("z".into()),
        ),
        (
            "element",
            obj(vec![("a", s("x")), ("d", s("x")), ("l", bad_elem)]),
            "l[0]",
            DecodeErrorKind::TypeMismatch {
                expected: "number".into(),
                found: "string".into(),
            },
        ),
        (
            "null of other type",
            obj(vec![
                ("a", Value::null(Type::Bool)),
                ("d", s("x")),
                ("l", Value::null(Type::Dynamic)),
            ]),
            "a",
            DecodeErrorKind::TypeMismatch {
                expected: "string".into(),
                found: "bool".into(),
            },
        ),
    ];
    for (name, v, path, kind) in cases {
        let err = v.conforms(&ty).expect_err(name);
        assert_eq!(
            (err.path.to_string(), err.kind),
            (path.to_string(), kind),
            "{name}"
        );
    }
}
