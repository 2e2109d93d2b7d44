// SPDX-License-Identifier: MPL-2.0
//! A successful apply keeps what the plan knew and fills in what it did not; a failed one
//! records what it saw.

use std::collections::BTreeMap;

use super::*;
use crate::value::Type;

fn copy(image_id: &str, status: &str) -> CopyModel {
    CopyModel {
        image_id: image_id.into(),
        status: status.into(),
    }
}

fn planned(copies: Value, copies_ready: Value) -> Value {
    Value::object(BTreeMap::from([
        ("request_id".to_string(), Value::string("RID-1")),
        ("image_id".to_string(), Value::string("m-1")),
        ("copies".to_string(), copies),
        ("copies_ready".to_string(), copies_ready),
    ]))
}

fn done() -> Converged {
    Converged {
        request_id: "RID-2".into(),
        image_id: "m-1".into(),
        copies: Copies::from([
            ("cn-a".to_string(), copy("m-a-new", "Available")),
            ("cn-b".to_string(), copy("m-b", "Available")),
            ("cn-z".to_string(), copy("m-z", "Available")),
        ]),
        copies_ready: false,
    }
}

#[test]
fn known_planned_values_stay_and_unknown_ones_are_filled() {
    let copies = Value::map(
        copy_type(),
        BTreeMap::from([
            (
                "cn-a".to_string(),
                copy("m-a-old", "Available").into_value(),
            ),
            ("cn-b".to_string(), Value::unknown(copy_type())),
            ("cn-c".to_string(), Value::unknown(copy_type())),
            (
                "cn-z".to_string(),
                Value::object(BTreeMap::from([
                    ("image_id".to_string(), Value::string("m-z-planned")),
                    ("status".to_string(), Value::unknown(Type::String)),
                ])),
            ),
        ]),
    );
    let state = applied(planned(copies, Value::unknown(Type::Bool)), done(), false);
    let want = Value::map(
        copy_type(),
        BTreeMap::from([
            (
                "cn-a".to_string(),
                copy("m-a-old", "Available").into_value(),
            ),
            ("cn-b".to_string(), copy("m-b", "Available").into_value()),
            ("cn-c".to_string(), CopyModel::not_reported().into_value()),
            (
                "cn-z".to_string(),
                copy("m-z-planned", "Available").into_value(),
            ),
        ]),
    );
    assert_eq!(
        state.attr("copies"),
        Some(&want),
        "planned keys and image ids"
    );
    assert_eq!(state.attr("request_id"), Some(&Value::string("RID-1")));
    assert_eq!(state.attr("copies_ready"), Some(&Value::bool(false)));
}

#[test]
fn an_unknown_map_takes_every_copy_read() {
    let state = applied(
        planned(
            Value::unknown(Type::Map(Box::new(copy_type()))),
            Value::bool(true),
        ),
        done(),
        false,
    );
    assert_eq!(state.attr("copies"), Some(&done().copies.into_value()));
}

#[test]
fn a_failed_apply_records_what_it_saw() {
    let state = applied(
        planned(Copies::new().into_value(), Value::bool(true)),
        done(),
        true,
    );
    assert_eq!(state.attr("copies_ready"), Some(&Value::bool(false)));
    assert_eq!(state.attr("request_id"), Some(&Value::string("RID-2")));
    assert_eq!(state.attr("copies"), Some(&done().copies.into_value()));
}
