// SPDX-License-Identifier: MPL-2.0
//! Tests of aliyun CLI profile selection and conversion.

use super::*;

const FILE: &str = r#"{
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "id-d", "access_key_secret": "SECRET-d",
     "region_id": "cn-hangzhou", "expired_seconds": 0, "output_format": "json"},
    {"name": "work", "mode": "StsToken", "access_key_id": "id-w", "access_key_secret": "SECRET-w",
     "sts_token": "SECRET-tok", "region_id": ""},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "id-r", "access_key_secret": "SECRET-r",
     "ram_role_arn": "acs:ram::1:role/x", "ram_session_name": "s", "expired_seconds": 900,
     "policy": "", "external_id": "ext"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "r1"},
    {"name": "ecs-discover", "mode": "EcsRamRole"},
    {"name": "sso", "mode": "CloudSSO"},
    {"name": "broken", "mode": "StsToken", "access_key_id": "id-b", "access_key_secret": "SECRET-b"}
  ],
  "meta_path": ""
}"#;

fn creds(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: id.into(),
        access_key_secret: secret.into(),
        security_token: token.map(str::to_string),
        expiration: None,
    }
}

#[test]
fn select_ok_cases() {
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        ProfileKind,
    );
    let cases: Vec<Case> = vec![
        (
            "current",
            None,
            "work",
            None,
            ProfileKind::Static(creds("id-w", "SECRET-w", Some("SECRET-tok"))),
        ),
        (
            "named AK",
            Some("default"),
            "default",
            Some("cn-hangzhou"),
            ProfileKind::Static(creds("id-d", "SECRET-d", None)),
        ),
        (
            "RamRoleArn",
            Some("role"),
            "role",
            None,
            ProfileKind::RamRoleArn {
                source: creds("id-r", "SECRET-r", None),
                role: ProfileRole {
                    role_arn: "acs:ram::1:role/x".into(),
                    session_name: Some("s".into()),
                    expired_seconds: Some(900),
                    policy: None,
                    external_id: Some("ext".into()),
                },
            },
        ),
        (
            "EcsRamRole",
            Some("ecs"),
            "ecs",
            None,
            ProfileKind::EcsRamRole {
                role_name: Some("r1".into()),
            },
        ),
        (
            "EcsRamRole discover",
            Some("ecs-discover"),
            "ecs-discover",
            None,
            ProfileKind::EcsRamRole { role_name: None },
        ),
    ];
    for (name, wanted, want_name, want_region, want_kind) in cases {
        let p = select(FILE, wanted.map(|w| (w, "test")), "f")
            .unwrap()
            .unwrap();
        assert_eq!(p.name, want_name, "{name}");
        assert_eq!(p.region.as_deref(), want_region, "{name}");
        assert_eq!(p.kind, want_kind, "{name}");
    }
}

#[test]
fn select_fallbacks() {
    let only_default = r#"{"profiles":[{"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert_eq!(
        select(only_default, None, "f").unwrap().unwrap().name,
        "default"
    );
    let nothing = r#"{"current":"","profiles":[{"name":"x","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert_eq!(select(nothing, None, "f").unwrap(), None);
    let legacy = r#"{"profiles":[{"name":"default","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert!(matches!(
        select(legacy, None, "f").unwrap().unwrap().kind,
        ProfileKind::Static(_)
    ));
}

#[test]
fn select_error_cases() {
    let cases = [
        (
            "unknown profile",
            FILE,
            Some("nope"),
            "profile \"nope\" (named by test) is not in f",
        ),
        ("unsupported mode", FILE, Some("sso"), "mode \"CloudSSO\""),
        (
            "missing token",
            FILE,
            Some("broken"),
            "has mode StsToken but no sts_token",
        ),
        (
            "not json",
            "{\"profiles\": [ SECRET-x",
            None,
            "is not valid: Syntax error at line 1",
        ),
        (
            "wrong type",
            r#"{"profiles": [{"name": "a", "access_key_secret": 5}]}"#,
            None,
            "Data error",
        ),
    ];
    for (name, text, wanted, want) in cases {
        let err = select(text, wanted.map(|w| (w, "test")), "f")
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("SECRET"), "{name}: {err}");
    }
}

#[test]
fn expand_home_cases() {
    let cases = [
        ("tilde", "~/x/c.json", Some("/h"), "/h/x/c.json"),
        ("absolute", "/etc/c.json", Some("/h"), "/etc/c.json"),
        ("no home", "~/c.json", None, "~/c.json"),
    ];
    for (name, input, home, want) in cases {
        assert_eq!(expand_home(input, home), PathBuf::from(want), "{name}");
    }
}
