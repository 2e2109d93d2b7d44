// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::AppState;

#[test]
fn config_file_shape() {
    let config: EmulatorConfig = serde_json::from_str(
        r#"{"credentials": {"id": "secret"}, "apps": ["a"],
            "faults": {"fail_rate": 0.5, "drop_after_apply_rate": 0.25}}"#,
    )
    .expect("valid config");
    assert_eq!(
        config.regions.len(),
        DEFAULT_REGIONS.len(),
        "default regions kept"
    );
    assert_eq!(config.faults.fail_rate, 0.5);
    assert_eq!(config.faults.drop_after_apply_rate, 0.25);
    assert_eq!(config.ecs_role, DEFAULT_ECS_ROLE);
    assert!(
        !format!("{config:?}").contains("secret\""),
        "secret not in Debug"
    );
    assert!(serde_json::from_str::<EmulatorConfig>(r#"{"fail_rate": 1}"#).is_err());
    let bad = EmulatorConfig {
        faults: FaultConfig {
            drop_rate: 2.0,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    };
    assert!(matches!(AppState::new(bad), Err(ConfigError::Invalid(_))));
}

#[test]
fn sign_in_tokens_are_configured_but_never_shown() {
    let config: EmulatorConfig = serde_json::from_str(
        r#"{"sso_tokens": ["sso-secret-1", "sso-secret-2"], "oauth_tokens": ["oauth-secret"]}"#,
    )
    .expect("valid config");
    assert_eq!(config.sso_tokens, ["sso-secret-1", "sso-secret-2"]);
    assert_eq!(config.oauth_tokens, ["oauth-secret"]);
    let shown = format!("{config:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(
        shown.contains("sso_token_count: 2") && shown.contains("oauth_token_count: 1"),
        "{shown}"
    );
    let state = AppState::new(config).expect("state");
    assert!(!format!("{state:?}").contains("secret"));
    assert!(EmulatorConfig::default().sso_tokens.is_empty());
    let empty = EmulatorConfig {
        oauth_tokens: vec![String::new()],
        ..EmulatorConfig::default()
    };
    assert!(matches!(AppState::new(empty), Err(ConfigError::Invalid(_))));
}

#[test]
fn image_settings_in_the_config_file() {
    let config: EmulatorConfig = serde_json::from_str(
        r#"{"apps": ["ci-a=m-aaa,name=a", {"app_id": "ci-b", "version": "v2"}],
            "copy_seconds": 3, "faults": {"fail_copies_to": ["cn-shanghai"]}}"#,
    )
    .expect("valid config");
    assert_eq!(config.apps[0].image_id.as_deref(), Some("m-aaa"));
    assert_eq!(config.apps[1].version.as_deref(), Some("v2"));
    assert_eq!(config.copy_seconds, 3);
    assert_eq!(config.faults.fail_copies_to, ["cn-shanghai"]);
    assert!(config.validate().is_ok());
    let typo = EmulatorConfig {
        faults: FaultConfig {
            fail_copies_to: vec!["cn-shangai".into()],
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    };
    assert!(AppState::new(typo).is_err());
    let bad_app: EmulatorConfig =
        serde_json::from_str(r#"{"apps": [{"app_id": "ci-a", "image_id": "x"}]}"#).expect("parses");
    assert!(
        bad_app.validate().is_err(),
        "object entries are validated too"
    );
}
