// SPDX-License-Identifier: MPL-2.0
//! Unit tests of [`super::Value`]: constructors, accessors, equality and type checks.

use super::*;
use crate::value::Attr;

use crate::value::test_values::{obj, s};
fn sample() -> Value {
    let tags = Value::map(Type::String, [("env".to_string(), s("prod"))].into());
    let regions = Value::list(Type::String, vec![s("a"), Value::unknown(Type::String)]);
    obj(vec![
        ("id", s("x")),
        ("tags", tags),
        ("regions", regions),
        ("n", Value::null(Type::Number)),
    ])
}

#[test]
fn accessors() {
    let v = sample();
    assert!(!v.is_wholly_known());
    assert!(obj(vec![("id", s("x"))]).is_wholly_known());
    assert_eq!(v.attr("id").and_then(Value::as_str), Some("x"));
    assert_eq!(v.attr("nope"), None);
    assert_eq!(Value::bool(true).as_bool(), Some(true));
    assert_eq!(s("x").as_bool(), None);
    assert_eq!(
        Value::unknown(Type::Bool).refinements(),
        Some(&Refinements::default())
    );
    assert_eq!(s("x").refinements(), None);
    assert_eq!(
        v.attr("tags").and_then(Value::fields).map(BTreeMap::len),
        Some(1)
    );
    assert_eq!(
        Value::tuple(vec![s("a"), Value::bool(true)]).ty(),
        &Type::Tuple(vec![Type::String, Type::Bool])
    );
}

#[test]
fn typed_get() {
    let v = sample();
    assert_eq!(v.get::<String>("id"), Ok(Attr::Known("x".into())));
    assert_eq!(v.get::<i64>("n"), Ok(Attr::Null));
    let err = v.get::<bool>("id").unwrap_err();
    assert_eq!(err.path.to_string(), "id");
    let err = v.get::<Vec<String>>("regions").unwrap_err();
    assert_eq!(
        (err.path.to_string(), err.kind),
        ("regions[1]".into(), DecodeErrorKind::UnexpectedUnknown)
    );
    assert!(matches!(
        v.get::<String>("nope").map_err(|e| e.kind),
        Err(DecodeErrorKind::MissingAttribute(_))
    ));
    let ty = v.ty().clone();
    assert_eq!(
        Value::unknown(ty.clone()).get::<String>("id"),
        Ok(Attr::Unknown)
    );
    assert_eq!(Value::null(ty).get::<String>("id"), Ok(Attr::Null));
    assert!(s("x").get::<String>("id").is_err());
}

#[test]
fn set_attr() {
    let mut v = sample();
    v.set_attr("id", s("y"));
    assert_eq!(v.attr("id"), Some(&s("y")));
    v.set_attr("n", Value::unknown(Type::Number));
    assert!(v.attr("n").is_some_and(Value::is_unknown));
    let errors = [
        ("no such attribute", "nope", s("x")),
        ("wrong type", "id", Value::bool(true)),
    ];
    for (name, attr, val) in errors {
        assert!(v.try_set_attr(attr, val).is_err(), "{name}");
    }
    assert!(s("x").try_set_attr("id", s("y")).is_err(), "not an object");
}
