// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::value::AttributePath;

#[test]
fn plan_round_trip_keeps_bytes_and_paths() {
    let req = pb::plan_resource_change::Request {
        type_name: "ehpc_app_sync".into(),
        prior_state: None,
        proposed_new_state: Some(pb::DynamicValue {
            msgpack: vec![1, 2],
            json: vec![],
        }),
        config: Some(pb::DynamicValue {
            msgpack: vec![],
            json: b"{}".to_vec(),
        }),
        prior_private: b"p".to_vec(),
        provider_meta: None,
        client_capabilities: None,
    };
    let got = PlanResourceChangeRequest::from(req);
    assert!(got.prior_state.is_none(), "absent stays absent");
    assert_eq!(got.proposed_new_state.map(|v| v.msgpack), Some(vec![1, 2]));
    assert_eq!(got.config.map(|v| v.json), Some(b"{}".to_vec()));
    assert_eq!(got.prior_private, b"p");

    let resp = PlanResourceChangeResponse {
        requires_replace: vec![AttributePath::attribute("name")],
        ..Default::default()
    };
    let got = pb::plan_resource_change::Response::from(resp);
    assert_eq!(got.requires_replace.len(), 1);
    assert!(!got.legacy_type_system);
    assert!(got.deferred.is_none(), "never deferred");
}

#[test]
fn raw_state_keeps_json_and_flatmap() {
    let s = pb::RawState {
        json: b"{\n  \"id\": \"x\"\n}".to_vec(),
        flatmap: [("id".to_string(), "x".to_string())].into(),
    };
    let got = RawState::from(s);
    assert!(got.json.starts_with(b"{\n"));
    assert_eq!(got.flatmap.get("id").map(String::as_str), Some("x"));
}
