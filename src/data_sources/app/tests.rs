// SPDX-License-Identifier: MPL-2.0
use std::collections::{BTreeMap, HashMap};

use ehpc_alibaba::actions::RegionCopy;
use ehpc_alibaba::Error;

use super::*;
use crate::data_sources::tests::{api_err, assert_valid_result, config_of, read_input, FakeApi};

const APP: &str = "ci-vm-dsApp1";

fn summary() -> ImageSummary {
    ImageSummary {
        app_id: APP.into(),
        image_id: "m-ds1".into(),
        image_type: "VM".into(),
        name: Some("gromacs".into()),
        version: Some("2024.1".into()),
        create_time: Some("2026-01-02T03:04:05Z".into()),
        ..ImageSummary::default()
    }
}

fn detail() -> ImageDetail {
    ImageDetail {
        app_id: Some(APP.into()),
        image_type: Some("VM".into()),
        name: Some("gromacs\u{1b}[31m".into()),
        status: Some("Available".into()),
        additional_regions_info: vec![RegionCopy {
            image_id: Some("m-sh".into()),
            region_id: "cn-shanghai".into(),
            status: Some("Creating".into()),
        }],
        ..ImageDetail::default()
    }
}

fn api() -> FakeApi {
    FakeApi {
        images: vec![summary()],
        details: HashMap::from([("m-ds1".to_string(), detail())]),
        ..FakeApi::default()
    }
}

fn config(attrs: &[(&str, Value)]) -> Value {
    config_of(&app_schema(), attrs)
}

#[test]
fn the_schema_requires_app_id_and_computes_the_rest() {
    let schema = app_schema();
    let attr = |n: &str| schema.block.attribute(n).unwrap();
    assert!(attr("app_id").required);
    assert!(attr("region").optional && attr("region").computed);
    for name in [
        "image_id",
        "name",
        "version",
        "image_type",
        "status",
        "create_time",
    ] {
        assert!(attr(name).computed && !attr(name).optional, "{name}");
        assert_eq!(attr(name).ty, Some(Type::String), "{name}");
    }
    assert_eq!(attr("copies").ty, Some(Type::Map(Box::new(copy_type()))));
}

#[test]
fn config_decodes_with_unknowns_and_validation_points_at_the_attribute() {
    let c = config(&[
        ("app_id", Value::unknown(Type::String)),
        ("region", Value::string("cn-beijing")),
    ]);
    let decoded = AppConfig::from_value(&c).unwrap();
    assert_eq!(decoded.app_id, Attr::Unknown);
    assert_eq!(decoded.region, Attr::Known("cn-beijing".into()));
    assert!(validate(&decoded).0.is_empty(), "unknowns pass");

    let bad = AppConfig {
        app_id: Attr::Known("ci vm".into()),
        region: Attr::Known("Hangzhou".into()),
    };
    let paths: Vec<_> = validate(&bad)
        .0
        .into_iter()
        .map(|d| d.attribute.unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            AttributePath::attribute("app_id"),
            AttributePath::attribute("region")
        ]
    );
}

#[tokio::test]
async fn find_lists_then_gets_the_image_with_its_type() {
    let api = api();
    let found = find(&api, "cn-hangzhou", APP, &CallOptions::default())
        .await
        .unwrap();
    assert_eq!(found.summary, summary());
    let calls = api.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].starts_with("ListImages cn-hangzhou"), "{calls:?}");
    assert!(calls[1].starts_with("GetImage cn-hangzhou"), "{calls:?}");
    assert!(calls[1].contains("image_id: \"m-ds1\""), "{calls:?}");
    assert!(calls[1].contains("image_type: Some(\"VM\")"), "{calls:?}");
}

#[tokio::test]
async fn a_missing_app_is_an_error_at_app_id_naming_the_region() {
    let api = api();
    let err = find(&api, "cn-beijing", "ci-vm-nope", &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.summary, "Application not found");
    assert_eq!(err.attribute, Some(AttributePath::attribute("app_id")));
    assert!(err.detail.contains("\"ci-vm-nope\""), "{}", err.detail);
    assert!(err.detail.contains("cn-beijing"), "{}", err.detail);
    assert!(
        !err.detail.contains("looks like an ImageId"),
        "{}",
        err.detail
    );
    assert_eq!(api.calls.lock().unwrap().len(), 1, "no GetImage");
    // An ImageId given as app_id: the error says which id app_id takes.
    let err = find(&api, "cn-beijing", "m-ds1", &CallOptions::default())
        .await
        .unwrap_err();
    assert!(
        err.detail.contains("looks like an ImageId"),
        "{}",
        err.detail
    );
}

#[tokio::test]
async fn an_image_gone_between_list_and_get_is_not_found_too() {
    let api = FakeApi {
        images: vec![summary()],
        ..FakeApi::default()
    };
    let err = find(&api, "cn-hangzhou", APP, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.summary, "Application not found");
}

#[tokio::test]
async fn a_failed_listing_is_the_api_error() {
    let api = FakeApi {
        list_error: Some(api_err(403, "Forbidden")),
        ..FakeApi::default()
    };
    let err = find(&api, "cn-hangzhou", APP, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.summary, "ListImages failed: Forbidden");
    assert_eq!(err.attribute, None);
    let cancelled = Error::Cancelled {
        during: "listing".into(),
    };
    assert_eq!(
        api_error("ListImages", &cancelled).summary,
        "ListImages cancelled"
    );
}

/// The state a read of `found` in `region` leaves for configuration `c`.
fn filled(schema: &Schema, c: &Value, region: &str, found: &FoundApp) -> Value {
    let mut state = read_input(schema, c);
    let config = AppConfig::from_value(c).expect("the configuration decodes");
    AppRead::new(&config, region, found).write(&mut state);
    state
}

#[test]
fn a_read_sets_every_computed_attribute_and_echoes_the_config() {
    let schema = app_schema();
    let c = config(&[("app_id", Value::string(APP))]);
    let found = FoundApp {
        summary: summary(),
        detail: detail(),
    };
    let state = filled(&schema, &c, "cn-hangzhou", &found);
    assert_valid_result(&schema, &c, &state);
    let get = |n: &str| state.attr(n).unwrap().clone();
    assert_eq!(get("region").as_str(), Some("cn-hangzhou"));
    assert_eq!(get("image_id").as_str(), Some("m-ds1"));
    assert_eq!(
        get("name").as_str(),
        Some("gromacs\u{FFFD}[31m"),
        "GetImage wins, plain"
    );
    assert_eq!(get("version").as_str(), Some("2024.1"), "from the listing");
    assert_eq!(get("status").as_str(), Some("Available"));
    assert_eq!(get("create_time").as_str(), Some("2026-01-02T03:04:05Z"));
    let copy = BTreeMap::from([
        ("image_id".to_string(), Value::string("m-sh")),
        ("status".to_string(), Value::string("Creating")),
    ]);
    let copies = BTreeMap::from([("cn-shanghai".to_string(), Value::object(copy))]);
    assert_eq!(get("copies"), Value::map(copy_type(), copies));
}

#[test]
fn a_read_keeps_a_configured_region_and_nulls_what_is_not_reported() {
    let schema = app_schema();
    let c = config(&[
        ("app_id", Value::string(APP)),
        ("region", Value::string("cn-beijing")),
    ]);
    let found = FoundApp {
        summary: ImageSummary {
            app_id: APP.into(),
            image_id: "m-1".into(),
            ..ImageSummary::default()
        },
        detail: ImageDetail::default(),
    };
    let state = filled(&schema, &c, "cn-beijing", &found);
    assert_valid_result(&schema, &c, &state);
    for name in ["name", "version", "image_type", "status", "create_time"] {
        assert!(state.attr(name).unwrap().is_null(), "{name}");
    }
    assert_eq!(
        state.attr("copies").unwrap(),
        &Value::map(copy_type(), BTreeMap::new()),
        "no copies is an empty map"
    );
}
