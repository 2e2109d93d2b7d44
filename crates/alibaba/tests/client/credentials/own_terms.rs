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

fn profile(name: &str) -> CredentialConfig {
    CredentialConfig {
        profile: Some(name.into()),
        ..Default::default()
    }
}

fn oidc(role_arn: &str, provider_arn: &str) -> AssumeRoleWithOidcConfig {
    AssumeRoleWithOidcConfig {
        role_arn: role_arn.into(),
        oidc_provider_arn: provider_arn.into(),
        ..Default::default()
    }
}

fn with_oidc(settings: AssumeRoleWithOidcConfig) -> CredentialConfig {
    CredentialConfig {
        assume_role_with_oidc: Some(settings),
        ..Default::default()
    }
}

fn assume(role_arn: &str, session_expiration: Option<u32>) -> AssumeRoleConfig {
    AssumeRoleConfig {
        role_arn: role_arn.into(),
        session_expiration,
        ..Default::default()
    }
}

/// Every error of resolving: each setting missing, half set, out of range or in conflict.
fn failing_configs(srv: &Server) -> Vec<(&'static str, CredentialConfig)> {
    let bad_mode = r#"{"profiles": [{"name": "p", "mode": "SomethingNew"}]}"#;
    let bad_mode = Some(srv.write_file("bad-mode.json", bad_mode));
    let none = CredentialConfig::default;
    vec![
        ("nothing", none()),
        (
            "nothing, a role to assume",
            CredentialConfig {
                assume_role: Some(assume("acs:ram::1:role/x", None)),
                ..none()
            },
        ),
        (
            "key id only",
            CredentialConfig {
                access_key: Some("LTAIattr0001".into()),
                ..none()
            },
        ),
        (
            "secret only",
            CredentialConfig {
                secret_key: Some("secret".into()),
                ..none()
            },
        ),
        (
            "key and OIDC",
            CredentialConfig {
                assume_role_with_oidc: Some(oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")),
                ..attrs()
            },
        ),
        (
            "OIDC without a role",
            with_oidc(oidc("", "acs:ram::1:oidc/x")),
        ),
        (
            "OIDC without a provider",
            with_oidc(oidc("acs:ram::1:role/ci", "")),
        ),
        (
            "OIDC without a token",
            with_oidc(oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")),
        ),
        (
            "OIDC too short",
            with_oidc(AssumeRoleWithOidcConfig {
                oidc_token: Some("token".into()),
                session_expiration: Some(60),
                ..oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")
            }),
        ),
        (
            "role without an ARN",
            CredentialConfig {
                assume_role: Some(assume("", None)),
                ..attrs()
            },
        ),
        (
            "role too short",
            CredentialConfig {
                assume_role: Some(assume("acs:ram::1:role/x", Some(60))),
                ..attrs()
            },
        ),
        ("profile without a file", profile("work")),
        (
            "profile of an unknown mode",
            CredentialConfig {
                shared_credentials_file: bad_mode,
                ..none()
            },
        ),
        (
            "remote plain-HTTP URI",
            CredentialConfig {
                credentials_uri: Some("http://203.0.113.7/creds".into()),
                ..none()
            },
        ),
    ]
}

#[tokio::test]
async fn no_message_or_source_names_a_terraform_attribute() {
    let srv = Server::default().await;
    let mut texts = Vec::new();
    let home = srv.env(&[]);
    let no_home = Environment::from_pairs(Vec::<(String, String)>::new());
    let without_home = [
        ("nothing without HOME", CredentialConfig::default()),
        ("profile without HOME", profile("work")),
    ];
    let with_home = failing_configs(&srv)
        .into_iter()
        .map(|(n, c)| (n, c, &home));
    let cases = with_home.chain(without_home.into_iter().map(|(n, c)| (n, c, &no_home)));
    for (name, config, env) in cases {
        assert_eq!(config.names, SettingNames::NEUTRAL, "{name}");
        match srv.resolve(&config, env).await {
            Ok(r) => panic!("{name}: resolved from {}", r.source),
            Err(e) => texts.push((name, e.to_string())),
        }
    }
    // Errors of the first fetch, and the sources of what resolves.
    srv.write_default_profile(PROFILES);
    let lazy = [
        (
            "unreadable OIDC token file",
            with_oidc(AssumeRoleWithOidcConfig {
                oidc_token_file: Some(srv.home.path().join("absent").display().to_string()),
                ..oidc("acs:ram::1:role/ci", "acs:ram::1:oidc/x")
            }),
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
                assume_role: Some(assume("acs:ram::1:role/x", None)),
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
