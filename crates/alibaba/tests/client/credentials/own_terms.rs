// SPDX-License-Identifier: MPL-2.0
//! The chain speaks in its own terms: with the default [`SettingNames`], no error it returns
//! and no source it reports names a Terraform attribute or block. A caller that wants its
//! own names passes them (the provider's tests check its attribute names come through).

use ehpc_alibaba::credentials::{
    AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig, Environment, SettingNames,
};

use crate::credentials::fake_server::{attrs, Server, PROFILES};

/// Names of the provider's attributes and blocks, and words that only make sense there.
const TERRAFORM_WORDS: &[&str] = &[
    "access_key",
    "secret_key",
    "security_token",
    "profile attribute",
    "shared_credentials_file",
    "ecs_role_name",
    "credentials_uri",
    "assume_role",
    "assume_role_with_oidc",
    "role_arn",
    "session_expiration",
    "oidc_provider_arn",
    "oidc_token",
    "oidc_token_file",
    "attribute",
    "provider block",
];

/// Whether `text` holds `word` as a whole word (`ram_role_arn`, a key of the aliyun CLI
/// file, is not `role_arn`).
fn names(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

fn oidc(role_arn: &str, provider_arn: &str) -> AssumeRoleWithOidcConfig {
    AssumeRoleWithOidcConfig {
        role_arn: role_arn.into(),
        oidc_provider_arn: provider_arn.into(),
        ..Default::default()
    }
}

fn assume(role_arn: &str, session_expiration: Option<u32>) -> Option<AssumeRoleConfig> {
    Some(AssumeRoleConfig {
        role_arn: role_arn.into(),
        session_expiration,
        ..Default::default()
    })
}

/// Every error of resolving: each setting missing, half set, out of range or in conflict.
fn failing_configs(srv: &Server) -> Vec<(&'static str, CredentialConfig, Environment)> {
    let bad_mode = r#"{"profiles": [{"name": "p", "mode": "SomethingNew"}]}"#;
    let bad_mode = Some(srv.write_file("bad-mode.json", bad_mode));
    let none = CredentialConfig::default;
    let home = || srv.env(&[]);
    vec![
        ("nothing", none(), home()),
        (
            "nothing, a role to assume",
            CredentialConfig {
                assume_role: assume("acs:ram::1:role/x", None),
                ..none()
            },
            home(),
        ),
        (
            "key id only",
            CredentialConfig {
                access_key: Some("LTAIattr0001".into()),
                ..none()
            },
            home(),
        ),
        (
            "secret only",
            CredentialConfig {
                secret_key: Some("secret".into()),
                ..none()
            },
            home(),
        ),
        (
            "key and OIDC",
            CredentialConfig {
                assume_role_with_oidc: Some(oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")),
                ..attrs()
            },
            home(),
        ),
        (
            "OIDC without a role",
            CredentialConfig {
                assume_role_with_oidc: Some(oidc("", "acs:ram::1:oidc/x")),
                ..none()
            },
            home(),
        ),
        (
            "OIDC without a provider",
            CredentialConfig {
                assume_role_with_oidc: Some(oidc("acs:ram::1:role/ci", "")),
                ..none()
            },
            home(),
        ),
        (
            "OIDC without a token",
            CredentialConfig {
                assume_role_with_oidc: Some(oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")),
                ..none()
            },
            home(),
        ),
        (
            "OIDC too short",
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    oidc_token: Some("token".into()),
                    session_expiration: Some(60),
                    ..oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")
                }),
                ..none()
            },
            home(),
        ),
        (
            "role without an ARN",
            CredentialConfig {
                assume_role: assume("", None),
                ..attrs()
            },
            home(),
        ),
        (
            "role too short",
            CredentialConfig {
                assume_role: assume("acs:ram::1:role/x", Some(60)),
                ..attrs()
            },
            home(),
        ),
        (
            "profile without a file",
            CredentialConfig {
                profile: Some("work".into()),
                ..none()
            },
            home(),
        ),
        (
            "profile without HOME",
            CredentialConfig {
                profile: Some("work".into()),
                ..none()
            },
            Environment::from_pairs(Vec::<(String, String)>::new()),
        ),
        (
            "nothing without HOME",
            none(),
            Environment::from_pairs(Vec::<(String, String)>::new()),
        ),
        (
            "profile of an unknown mode",
            CredentialConfig {
                shared_credentials_file: bad_mode,
                ..none()
            },
            home(),
        ),
        (
            "remote plain-HTTP URI",
            CredentialConfig {
                credentials_uri: Some("http://203.0.113.7/creds".into()),
                ..none()
            },
            home(),
        ),
    ]
}

#[tokio::test]
async fn no_message_or_source_names_a_terraform_attribute() {
    let srv = Server::default().await;
    let mut texts = Vec::new();
    for (name, config, env) in failing_configs(&srv) {
        assert_eq!(config.names, SettingNames::NEUTRAL, "{name}");
        match srv.resolve(&config, &env).await {
            Ok(r) => panic!("{name}: resolved from {}", r.source),
            Err(e) => texts.push((name, e.to_string())),
        }
    }
    // Errors of the first fetch, and the sources of what resolves.
    srv.write_default_profile(PROFILES);
    let lazy = [
        (
            "unreadable OIDC token file",
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    oidc_token_file: Some(srv.home.path().join("absent").display().to_string()),
                    ..oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")
                }),
                ..Default::default()
            },
        ),
        (
            "URI that refuses",
            CredentialConfig {
                credentials_uri: Some(format!("{}/absent", srv.base)),
                ..Default::default()
            },
        ),
        (
            "configured key, role",
            CredentialConfig {
                assume_role: assume("acs:ram::1:role/x", None),
                ..attrs()
            },
        ),
        (
            "profile role",
            CredentialConfig {
                profile: Some("role".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, config) in lazy {
        let resolved = srv.resolve(&config, &srv.env(&[])).await;
        let resolved = resolved.unwrap_or_else(|e| panic!("{name}: {e}"));
        texts.push((name, resolved.source.clone()));
        if let Err(e) = resolved.provider.credentials().await {
            texts.push((name, e.to_string()));
        }
    }
    assert!(texts.len() >= 20, "{texts:?}");
    for (name, text) in &texts {
        for word in TERRAFORM_WORDS {
            assert!(!names(text, word), "{name} names {word}: {text}");
        }
    }
}

#[test]
fn whole_words_only() {
    assert!(names("set role_arn", "role_arn"));
    assert!(names("assume_role.role_arn is required", "role_arn"));
    assert!(!names("no ram_role_arn", "role_arn"));
    assert!(!names("no access_key_id", "access_key"));
    assert!(!names("the neutral words", "attribute"));
}
