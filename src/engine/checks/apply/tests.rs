// SPDX-License-Identifier: MPL-2.0
use std::collections::BTreeMap;

use super::*;
use crate::value::Refinements;

fn s(v: &str) -> Value {
    Value::string(v)
}
fn unknown() -> Value {
    Value::unknown(Type::String)
}
fn set(items: Vec<Value>) -> Value {
    Value::set(Type::String, items)
}
fn list(items: Vec<Value>) -> Value {
    Value::list(Type::String, items)
}
fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}
fn map(pairs: &[(&str, Value)]) -> Value {
    let entries: BTreeMap<String, Value> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Value::map(Type::String, entries)
}

#[test]
fn apply_compatibility_cases() {
    let not_null = Refinements {
        nullable: Some(false),
        ..Refinements::default()
    };
    let root = AttributePath::root();
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, Value, Vec<AttributePath>)> = vec![
        ("equal primitives", s("a"), s("a"), vec![]),
        ("changed primitive", s("a"), s("b"), vec![root.clone()]),
        ("unknown becomes anything", unknown(), s("b"), vec![]),
        ("unknown may become null", unknown(), Value::null(Type::String), vec![]),
        ("not-null refinement kept", Value::unknown_refined(Type::String, not_null.clone()), Value::null(Type::String), vec![root.clone()]),
        ("null stays null", Value::null(Type::String), s("a"), vec![root.clone()]),
        ("value may not vanish", s("a"), Value::null(Type::String), vec![root.clone()]),
        ("known may not turn unknown", s("a"), unknown(), vec![root.clone()]),
        ("object attribute changed", obj(&[("x", s("1")), ("y", unknown())]), obj(&[("x", s("2")), ("y", s("3"))]), vec![root.attr("x")]),
        ("list element changed", list(vec![s("a"), unknown()]), list(vec![s("b"), s("c")]), vec![root.index(0)]),
        ("list length changed", list(vec![s("a")]), list(vec![s("a"), s("b")]), vec![root.clone()]),
        ("empty list is not null", list(vec![]), Value::null(Type::List(Box::new(Type::String))), vec![root.clone()]),
        ("map key appeared", map(&[("a", s("1"))]), map(&[("a", s("1")), ("b", s("2"))]), vec![root.key("b")]),
        ("known set must match", set(vec![s("a"), s("b")]), set(vec![s("a")]), vec![root.clone()]),
        ("set with unknown resolves", set(vec![s("a"), unknown()]), set(vec![s("a"), s("z")]), vec![]),
        ("set elements may coalesce", set(vec![s("a"), unknown()]), set(vec![s("a")]), vec![]),
        ("set may not grow", set(vec![unknown()]), set(vec![s("a"), s("b")]), vec![root.clone()]),
        ("set may not lose known elements", set(vec![s("a"), unknown()]), set(vec![s("b"), s("c")]), vec![root.clone()]),
    ];
    for (name, planned, actual, want) in cases {
        let got: Vec<_> = apply_violations(&planned, &actual)
            .into_iter()
            .map(|v| v.path)
            .collect();
        assert_eq!(got, want, "{name}");
    }
}
