// SPDX-License-Identifier: MPL-2.0
//! The canonical order of set elements, so that sets compare equal whatever order Terraform
//! sent their elements in.
//!
//! It is a total order over values that agrees with `==` for wholly known values; unknowns
//! sort last and compare equal to each other (they are never merged, see `Value::set`).

use std::cmp::Ordering;

use super::Value;

/// Primitives first, then collections, structural values, null and unknown.
fn rank(v: &Value) -> u8 {
    if v.as_bool().is_some() {
        0
    } else if v.as_number().is_some() {
        1
    } else if v.as_str().is_some() {
        2
    } else if v.elements().is_some() {
        3
    } else if v.fields().is_some() {
        4
    } else if v.is_null() {
        5
    } else {
        6
    }
}

pub(super) fn canonical_cmp(a: &Value, b: &Value) -> Ordering {
    let by_type = || match a.ty() == b.ty() {
        true => Ordering::Equal,
        false => a.ty().to_json().cmp(&b.ty().to_json()),
    };
    rank(a).cmp(&rank(b)).then_with(by_type).then_with(|| {
        if let (Some(x), Some(y)) = (a.as_bool(), b.as_bool()) {
            x.cmp(&y)
        } else if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
            x.cmp(y)
        } else if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
            x.cmp(y)
        } else if let (Some(x), Some(y)) = (a.elements(), b.elements()) {
            cmp_iter(x.iter(), y.iter())
        } else if let (Some(x), Some(y)) = (a.fields(), b.fields()) {
            x.keys()
                .cmp(y.keys())
                .then_with(|| cmp_iter(x.values(), y.values()))
        } else {
            Ordering::Equal
        }
    })
}

fn cmp_iter<'a>(
    x: impl Iterator<Item = &'a Value>,
    mut y: impl Iterator<Item = &'a Value>,
) -> Ordering {
    for a in x {
        let Some(b) = y.next() else {
            return Ordering::Greater;
        };
        match canonical_cmp(a, b) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    if y.next().is_some() {
        Ordering::Less
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Number, Type};
    use super::*;

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
}
