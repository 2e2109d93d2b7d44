// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::value::{Number, Type};

use crate::value::test_values::{obj, s};

#[test]
fn sets_are_canonical() {
    let a = Value::set(Type::String, vec![s("b"), s("a"), s("b")]);
    let b = Value::set(Type::String, vec![s("a"), s("b")]);
    assert_eq!(a, b);
    assert_eq!(a.elements().map(<[Value]>::len), Some(2));
    let nums = |xs: &[&str]| {
        let items = xs
            .iter()
            .map(|x| Value::number(Number::parse(x).unwrap()))
            .collect();
        Value::set(Type::Number, items)
    };
    assert_eq!(
        nums(&["1.0", "1", "10", "2"]),
        nums(&["2", "10", "1"]),
        "numeric dedup and order"
    );
    let objs = |xs: &[&str]| {
        Value::set(
            Type::Dynamic,
            xs.iter().map(|x| obj(vec![("k", s(x))])).collect(),
        )
    };
    assert_eq!(objs(&["b", "a", "a"]), objs(&["a", "b"]), "objects");
    let unknowns = Value::set(
        Type::String,
        vec![Value::unknown(Type::String), Value::unknown(Type::String)],
    );
    assert_eq!(
        unknowns.elements().map(<[Value]>::len),
        Some(2),
        "unknowns are never merged"
    );
}

#[test]
fn mixed_kinds_have_a_total_order() {
    let mut items = vec![
        Value::unknown(Type::String),
        Value::null(Type::String),
        obj(vec![("a", s("x"))]),
        Value::list(Type::String, vec![s("x")]),
        s("x"),
        Value::number(Number::from_i64(1)),
        Value::bool(false),
    ];
    let want = items.iter().rev().cloned().collect::<Vec<_>>();
    items.sort_by(canonical_cmp);
    assert_eq!(items, want);
}
