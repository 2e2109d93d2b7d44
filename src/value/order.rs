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
mod tests;
