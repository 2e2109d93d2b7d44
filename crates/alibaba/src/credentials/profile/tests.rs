// SPDX-License-Identifier: MPL-2.0
//! Tests of aliyun CLI profile selection and conversion.

use super::*;

/// [`select`] of `wanted` (named by "test") in a file shown as `f`.
fn pick(text: &str, wanted: Option<&str>) -> Result<Option<Profile>, Error> {
    select(
        text,
        wanted.map(|w| (w, "test")),
        "f",
        &SettingNames::NEUTRAL,
    )
}

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
    {"name": "oidc", "mode": "OIDC"},
    {"name": "broken", "mode": "StsToken", "access_key_id": "id-b",
     "access_key_secret": "SECRET-b"},
    {"name": "ext", "mode": "External", "process_command": " tool 'a b' ",
     "region_id": "cn-beijing"},
    {"name": "ext-blank", "mode": "External", "process_command": " \t"},
    {"name": "ext-open", "mode": "External", "process_command": "tool --key 'SECRET-arg"}
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
        (
            "External",
            Some("ext"),
            "ext",
            Some("cn-beijing"),
            ProfileKind::External(ExternalCommand::parse("tool 'a b'").unwrap()),
        ),
    ];
    for (name, wanted, want_name, want_region, want_kind) in cases {
        let p = pick(FILE, wanted).unwrap().unwrap();
        assert_eq!(p.name, want_name, "{name}");
        assert_eq!(p.region.as_deref(), want_region, "{name}");
        assert_eq!(p.kind, want_kind, "{name}");
    }
}

#[test]
fn select_fallbacks() {
    let only_default = r#"{"profiles":[{"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert_eq!(pick(only_default, None).unwrap().unwrap().name, "default");
    let nothing = r#"{"current":"","profiles":[{"name":"x","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert_eq!(pick(nothing, None).unwrap(), None);
    let legacy = r#"{"profiles":[{"name":"default","access_key_id":"a","access_key_secret":"b"}]}"#;
    assert!(matches!(
        pick(legacy, None).unwrap().unwrap().kind,
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
        ("unsupported mode", FILE, Some("oidc"), "mode \"OIDC\""),
        (
            "missing token",
            FILE,
            Some("broken"),
            "has mode StsToken but no sts_token",
        ),
        (
            "External without a command",
            FILE,
            Some("ext-blank"),
            "profile \"ext-blank\" in f has mode External but no process_command",
        ),
        (
            "External with an unclosed quote",
            FILE,
            Some("ext-open"),
            "profile \"ext-open\" in f has a process_command that cannot be split into \
             arguments: a single quote is not closed",
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
        let err = pick(text, wanted).unwrap_err().to_string();
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("SECRET"), "{name}: {err}");
    }
}

const CHAINS: &str = r#"{"profiles": [
  {"name": "base", "mode": "AK", "access_key_id": "id-b", "access_key_secret": "SECRET-b",
   "region_id": "cn-beijing"},
  {"name": "hop1", "mode": "ChainableRamRoleArn", "source_profile": "base",
   "ram_role_arn": "acs:ram::1:role/one", "ram_session_name": "s1", "region_id": "cn-shanghai"},
  {"name": "hop2", "mode": "ChainableRamRoleArn", "source_profile": "hop1",
   "ram_role_arn": "acs:ram::1:role/two", "expired_seconds": 1200, "external_id": "ext-2"},
  {"name": "from-role", "mode": "ChainableRamRoleArn", "source_profile": "role",
   "ram_role_arn": "acs:ram::1:role/three"},
  {"name": "role", "mode": "RamRoleArn", "access_key_id": "id-r", "access_key_secret": "SECRET-r",
   "ram_role_arn": "acs:ram::1:role/x"},
  {"name": "no-source", "mode": "ChainableRamRoleArn", "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "no-arn", "mode": "ChainableRamRoleArn", "source_profile": "base"},
  {"name": "dangling", "mode": "ChainableRamRoleArn", "source_profile": "gone",
   "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "self", "mode": "ChainableRamRoleArn", "source_profile": "self",
   "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "ping", "mode": "ChainableRamRoleArn", "source_profile": "pong",
   "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "pong", "mode": "ChainableRamRoleArn", "source_profile": "ping",
   "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "to-broken", "mode": "ChainableRamRoleArn", "source_profile": "broken",
   "ram_role_arn": "acs:ram::1:role/y"},
  {"name": "broken", "mode": "AK", "access_key_id": "id-x"}
]}"#;

fn role(arn: &str) -> ProfileRole {
    ProfileRole {
        role_arn: arn.into(),
        ..ProfileRole::default()
    }
}

#[test]
fn chainable_profiles_follow_their_source() {
    let chained =
        |source_name: &str, source: ProfileKind, role: ProfileRole| ProfileKind::Chained {
            source_name: source_name.into(),
            source: Box::new(source),
            role,
        };
    let hop1 = || {
        chained(
            "base",
            ProfileKind::Static(creds("id-b", "SECRET-b", None)),
            ProfileRole {
                session_name: Some("s1".into()),
                ..role("acs:ram::1:role/one")
            },
        )
    };
    let hop2 = chained(
        "hop1",
        hop1(),
        ProfileRole {
            expired_seconds: Some(1200),
            external_id: Some("ext-2".into()),
            ..role("acs:ram::1:role/two")
        },
    );
    let from_role = chained(
        "role",
        ProfileKind::RamRoleArn {
            source: creds("id-r", "SECRET-r", None),
            role: role("acs:ram::1:role/x"),
        },
        role("acs:ram::1:role/three"),
    );
    let cases = [
        ("one hop", "hop1", Some("cn-shanghai"), hop1()),
        // The region is the selected profile's own, never its source's.
        ("two hops", "hop2", None, hop2),
        ("a RamRoleArn source", "from-role", None, from_role),
    ];
    for (name, wanted, want_region, want_kind) in cases {
        let p = pick(CHAINS, Some(wanted)).unwrap().expect(name);
        assert_eq!(p.name, wanted, "{name}");
        assert_eq!(p.region.as_deref(), want_region, "{name}");
        assert_eq!(p.kind, want_kind, "{name}");
    }
}

#[test]
fn chainable_profile_errors() {
    let cases = [
        (
            "no source_profile",
            "no-source",
            "has mode ChainableRamRoleArn but no source_profile",
        ),
        (
            "no role",
            "no-arn",
            "has mode ChainableRamRoleArn but no ram_role_arn",
        ),
        (
            "dangling",
            "dangling",
            "has source_profile \"gone\", which is not in that file",
        ),
        (
            "itself",
            "self",
            "form a loop through source_profile: self -> self",
        ),
        (
            "a loop",
            "ping",
            "form a loop through source_profile: ping -> pong -> ping",
        ),
        (
            "a broken source",
            "to-broken",
            "profile \"broken\" in f has mode AK but no access_key_secret",
        ),
    ];
    for (name, wanted, want) in cases {
        let err = pick(CHAINS, Some(wanted)).unwrap_err().to_string();
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
