// SPDX-License-Identifier: MPL-2.0
use ehpc_alibaba::actions::RegionCopy;

use super::*;

fn copy(status: &str) -> CopyModel {
    CopyModel {
        image_id: format!("m-{status}"),
        status: status.to_string(),
    }
}

#[test]
fn an_answer_becomes_copies_by_region_with_sanitised_text() {
    let image = ImageDetail {
        additional_regions_info: vec![
            RegionCopy {
                image_id: Some("m-sh".into()),
                region_id: "cn-shanghai".into(),
                status: Some("Creating".into()),
            },
            RegionCopy {
                image_id: None,
                region_id: "ap-southeast-1".into(),
                status: Some("Avail\u{1b}[31mable".into()),
            },
            RegionCopy {
                image_id: Some("m-x".into()),
                region_id: "not a region\u{7}".into(),
                status: Some("Available".into()),
            },
        ],
        ..ImageDetail::default()
    };
    let want = Copies::from([
        (
            "ap-southeast-1".to_string(),
            CopyModel {
                image_id: String::new(),
                status: "Avail\u{FFFD}[31mable".into(),
            },
        ),
        (
            "cn-shanghai".to_string(),
            CopyModel {
                image_id: "m-sh".into(),
                status: "Creating".into(),
            },
        ),
    ]);
    assert_eq!(copies_of(&image), want);
}

#[test]
fn regions_holding_copies() {
    let copies = Copies::from([
        ("a-1".to_string(), copy("Available")),
        ("b-1".to_string(), copy("Creating")),
        ("c-1".to_string(), copy("CreateFailed")),
        ("d-1".to_string(), copy("Deprecated")),
        ("e-1".to_string(), CopyModel::not_reported()),
    ]);
    let held: Vec<&str> = ["a-1", "b-1", "c-1", "d-1", "e-1", "f-1"]
        .into_iter()
        .filter(|r| holds_copy(&copies, r))
        .collect();
    assert_eq!(held, ["a-1", "b-1", "d-1", "e-1"]);
    assert_eq!(
        live_regions(&copies),
        BTreeSet::from(["a-1".to_string(), "b-1".to_string()])
    );
}

#[test]
fn not_reported_regions_are_kept_until_listed() {
    let prior = Copies::from([
        ("a-1".to_string(), CopyModel::not_reported()),
        ("b-1".to_string(), CopyModel::not_reported()),
        ("c-1".to_string(), copy("Available")),
    ]);
    let read = Copies::from([("b-1".to_string(), copy("Available"))]);
    let got = keep_not_reported(read, &prior);
    assert_eq!(
        got,
        Copies::from([
            ("a-1".to_string(), CopyModel::not_reported()),
            ("b-1".to_string(), copy("Available")),
        ])
    );
}

#[test]
fn copies_round_trip_through_values() {
    let copies = Copies::from([("a-1".to_string(), copy("Available"))]);
    let value = crate::value::IntoValue::into_value(copies.clone());
    assert_eq!(
        value.ty(),
        &Type::Map(Box::new(copy_type())),
        "the schema's map of objects"
    );
    let back: Copies =
        crate::value::FromValue::from_value(&value, &AttributePath::root()).expect("decodes");
    assert_eq!(back, copies);
}
