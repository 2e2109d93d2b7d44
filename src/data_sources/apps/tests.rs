// SPDX-License-Identifier: MPL-2.0
use super::filter::AppEntry;
use super::*;
use crate::data_sources::tests::{assert_valid_result, config_of, read_input};

fn strings(items: &[&str]) -> Value {
    Value::set(
        Type::String,
        items.iter().map(|s| Value::string(*s)).collect(),
    )
}

fn entry(app_id: &str) -> AppEntry {
    AppEntry {
        app_id: app_id.into(),
        image_id: format!("m-{app_id}"),
        name: Some("n".into()),
        version: None,
        os_tag: None,
        create_time: None,
        description: None,
    }
}

#[test]
fn the_schema_has_optional_filters_and_computed_results() {
    let schema = apps_schema();
    let attr = |n: &str| schema.block.attribute(n).unwrap();
    for name in ["names", "name_regex", "image_category"] {
        assert!(attr(name).optional && !attr(name).computed, "{name}");
    }
    for name in ["image_type", "region"] {
        assert!(attr(name).optional && attr(name).computed, "{name}");
    }
    for name in ["apps", "ids"] {
        assert!(attr(name).computed && !attr(name).optional, "{name}");
    }
}

#[test]
fn config_decodes_a_set_with_unknown_elements_as_unknown() {
    let schema = apps_schema();
    let partly = Value::set(
        Type::String,
        vec![Value::string("a"), Value::unknown(Type::String)],
    );
    let c = config_of(&schema, &[("names", partly)]);
    let decoded = AppsConfig::from_value(&c).unwrap();
    assert_eq!(decoded.names, Attr::Unknown);
    assert_eq!(decoded.image_type, Attr::Null);

    let c = config_of(
        &schema,
        &[
            ("names", strings(&["b", "a"])),
            ("name_regex", Value::string("^a")),
        ],
    );
    let decoded = AppsConfig::from_value(&c).unwrap();
    let names: Vec<&str> = decoded
        .names
        .known()
        .unwrap()
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(decoded.name_regex, Attr::Known("^a".into()));
}

/// The state a read listing `apps` in `region` leaves for configuration `c`.
fn filled(schema: &Schema, c: &Value, region: &str, apps: Vec<AppEntry>) -> Value {
    let config = AppsConfig::from_value(c).expect("the configuration decodes");
    let filter = Filter::from_config(&config).expect("a valid filter");
    let mut state = read_input(schema, c);
    AppsRead::new(&config, region, &filter, apps).write(&mut state);
    state
}

#[test]
fn a_read_sets_defaults_and_apps_and_echoes_the_config() {
    let schema = apps_schema();
    let c = config_of(&schema, &[("names", strings(&["n"]))]);
    let state = filled(&schema, &c, "cn-hangzhou", vec![entry("a"), entry("b")]);
    assert_valid_result(&schema, &c, &state);
    assert_eq!(state.attr("region").unwrap().as_str(), Some("cn-hangzhou"));
    assert_eq!(state.attr("image_type").unwrap().as_str(), Some("VM"));
    let ids: Vec<_> = state.attr("ids").unwrap().elements().unwrap().to_vec();
    assert_eq!(ids, [Value::string("a"), Value::string("b")]);
    let apps = state.attr("apps").unwrap().elements().unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[1].attr("image_id").unwrap().as_str(), Some("m-b"));
    assert!(apps[1].attr("version").unwrap().is_null());
}

#[test]
fn a_read_keeps_configured_region_and_type_and_lists_nothing_as_empty() {
    let schema = apps_schema();
    let c = config_of(
        &schema,
        &[
            ("region", Value::string("cn-beijing")),
            ("image_type", Value::string("Container")),
        ],
    );
    let state = filled(&schema, &c, "cn-beijing", vec![]);
    assert_valid_result(&schema, &c, &state);
    assert_eq!(state.attr("ids").unwrap().elements(), Some(&[][..]));
    assert_eq!(state.attr("apps").unwrap().elements(), Some(&[][..]));
}
