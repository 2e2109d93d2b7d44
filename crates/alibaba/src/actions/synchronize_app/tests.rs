// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn encodes_compact_json_and_omits_empty_regions() {
    let a = SynchronizeApp {
        app_id: "ci-vm-rYfypJKwlN9Y".into(),
        target_region_ids: vec!["cn-shanghai".into(), "cn-beijing".into()],
    };
    let p = a.to_params();
    assert_eq!(p["TargetRegionIds"], r#"["cn-shanghai","cn-beijing"]"#);
    assert_eq!(SynchronizeApp::from_params(&p), Ok(a));
    let none = SynchronizeApp {
        app_id: "x".into(),
        target_region_ids: vec![],
    };
    assert!(!none.to_params().contains_key("TargetRegionIds"));
}

#[test]
fn parses_old_sdk_spacing_and_rejects_bad_input() {
    let mut p = BTreeMap::from([
        ("AppId".to_string(), "a".to_string()),
        (
            "TargetRegionIds".to_string(),
            r#"["cn-shanghai", "all"]"#.to_string(),
        ),
    ]);
    assert_eq!(
        SynchronizeApp::from_params(&p).map(|a| a.target_region_ids.len()),
        Ok(2)
    );
    p.insert("TargetRegionIds".into(), r#"[1,2]"#.into());
    assert!(matches!(
        SynchronizeApp::from_params(&p),
        Err(ParamError::Invalid { .. })
    ));
    p.remove("AppId");
    assert_eq!(
        SynchronizeApp::from_params(&p),
        Err(ParamError::Missing("AppId"))
    );
}
