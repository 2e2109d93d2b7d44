// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn duration_cases() {
    let cases = [
        ("default", None, Ok(3600)),
        ("min", Some("900"), Ok(900)),
        ("max", Some("43200"), Ok(43200)),
        (
            "too short",
            Some("899"),
            Err("InvalidParameter.DurationSeconds"),
        ),
        (
            "too long",
            Some("43201"),
            Err("InvalidParameter.DurationSeconds"),
        ),
        (
            "not a number",
            Some("1h"),
            Err("InvalidParameter.DurationSeconds"),
        ),
    ];
    for (name, raw, want) in cases {
        assert_eq!(
            duration_seconds(raw).map_err(|e| e.code()),
            want.map_err(str::to_string),
            "{name}"
        );
    }
}

#[test]
fn role_arn_cases() {
    assert_eq!(
        assumed_role_arn("acs:ram::123:role/deployer", "tf"),
        Ok("acs:ram::123:assumed-role/deployer/tf".to_string())
    );
    for bad in [
        "deployer",
        "acs:ram:::role/x",
        "acs:ram::123:user/x",
        "acs:ram::1:role/",
    ] {
        assert!(assumed_role_arn(bad, "s").is_err(), "{bad}");
    }
}
