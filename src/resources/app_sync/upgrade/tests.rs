// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::resources::app_sync::model::AppSyncModel;
use crate::resources::app_sync::schema::app_sync_schema;
use crate::value::Attr;

/// A state as release 0.1.0 (schema version 0) stored it.
const VERSION_0: &str = r#"{
  "app_id": "ci-vm-rYfypJKwlN9Y",
  "id": "ci-vm-rYfypJKwlN9Y",
  "region": "cn-hangzhou",
  "request_id": "04F0F334-1335-436C-A1D7-6C044FE73368",
  "target_region_ids": ["cn-shanghai"],
  "timeouts": null
}"#;

#[test]
fn version_0_states_gain_empty_read_attributes_and_a_finished_wait() {
    let ty = app_sync_schema().block.implied_type();
    let json: serde_json::Value = serde_json::from_str(VERSION_0).expect("fixture");
    let upgraded = from_version_0(&json, &ty).expect("upgrades");
    let model = <AppSyncModel>::from_value(&upgraded).expect("decodes");
    assert_eq!(model.image_id, Attr::Known(String::new()));
    let seeded = crate::copies::Copies::from([(
        "cn-shanghai".to_string(),
        crate::copies::CopyModel::not_reported(),
    )]);
    assert_eq!(model.copies, Attr::Known(seeded), "held, not yet read back");
    assert_eq!(model.copies_ready, Attr::Known(true));
    assert_eq!(model.wait_for_copies, Attr::Null);
    assert_eq!(
        model.request_id.known().map(String::as_str),
        Some("04F0F334-1335-436C-A1D7-6C044FE73368")
    );
    assert!(upgraded.is_wholly_known());
}

#[test]
fn version_1_states_carry_over_as_they_are() {
    let ty = app_sync_schema().block.implied_type();
    let json: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../tests/terraform/fixtures/schema-version-1-state.json"
    ))
    .expect("fixture");
    let attributes = &json["resources"][0]["instances"][0]["attributes"];
    let upgraded = from_version_1(attributes, &ty).expect("upgrades");
    let model = <AppSyncModel>::from_value(&upgraded).expect("decodes");
    assert_eq!(model.copies_ready, Attr::Known(false));
    let statuses: Vec<String> = model
        .copies
        .known()
        .map(|c| c.values().map(|c| c.status.clone()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["Available", "Creating"]);
}

#[test]
fn anything_else_is_an_error() {
    let ty = app_sync_schema().block.implied_type();
    for bad in [r#"[1]"#, r#"{"unexpected": "x"}"#] {
        let json: serde_json::Value = serde_json::from_str(bad).expect("json");
        assert!(from_version_0(&json, &ty).is_err(), "{bad}");
        assert!(from_version_1(&json, &ty).is_err(), "{bad}");
    }
}
