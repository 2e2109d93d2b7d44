// SPDX-License-Identifier: MPL-2.0
//! STS AssumeRole and AssumeRoleWithOIDC: lazy signed calls, caching and refresh, settings
//! validation, and OIDC chained into AssumeRole.

use ehpc_alibaba::credentials::{AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig};

use crate::credentials::fake_server::{attrs, with, Server, ENV_AK};

#[tokio::test]
async fn assume_role_is_lazy_signed_and_cached() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        assume_role: Some(AssumeRoleConfig {
            role_arn: "acs:ram::1:role/deployer".into(),
            external_id: Some("ext-1".into()),
            policy: Some(r#"{"Version":"1","Statement":[]}"#.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&with(
        ENV_AK,
        &[("ALIBABA_CLOUD_SECURITY_TOKEN", "env-source-token")],
    ));
    // The fake STS knows the env key, so a valid signature proves V2 signing with the source.
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(
        r.source,
        "AssumeRole acs:ram::1:role/deployer via environment (ALIBABA_CLOUD_ACCESS_KEY_ID)"
    );
    assert_eq!(srv.sts_calls().len(), 0);
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.assumed000001");
    assert_eq!(c.security_token.as_deref(), Some("assumed-token-1"));
    assert!(c.expiration.is_some());
    r.provider.credentials().await.unwrap();
    let calls = srv.sts_calls();
    assert_eq!(calls.len(), 1, "far-from-expiry credentials are cached");
    let q = &calls[0];
    for (k, v) in [
        ("Action", "AssumeRole"),
        ("Version", "2015-04-01"),
        ("DurationSeconds", "3600"),
        ("RoleSessionName", "terraform"),
        ("ExternalId", "ext-1"),
        ("SecurityToken", "env-source-token"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("RoleArn", "acs:ram::1:role/deployer"),
    ] {
        assert_eq!(q.get(k).map(String::as_str), Some(v), "{k}");
    }
    assert!(q.contains_key("Policy"));
}

#[tokio::test]
async fn assume_role_validates_settings_without_network() {
    let srv = Server::default().await;
    let role = |session_expiration, role_arn: &str| CredentialConfig {
        assume_role: Some(AssumeRoleConfig {
            role_arn: role_arn.into(),
            session_expiration,
            ..Default::default()
        }),
        ..attrs()
    };
    let cases = [
        (
            "too short",
            role(Some(600), "arn"),
            vec![],
            "between 900 and 43200",
        ),
        (
            "too long",
            role(Some(50_000), "arn"),
            vec![],
            "between 900 and 43200",
        ),
        (
            "no arn",
            role(None, ""),
            vec![],
            "the AssumeRole role ARN is required",
        ),
        (
            "bad env expiration",
            role(None, "arn"),
            vec![("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION", "soon")],
            "must be a number",
        ),
    ];
    for (name, config, vars, want) in cases {
        let err = srv.resolve_error(&config, &srv.env(&vars)).await;
        assert!(err.contains(want), "{name}: {err}");
    }
    let env = srv.env(&[("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/env")]);
    let r = srv.resolve(&role(Some(0), ""), &env).await.unwrap();
    assert!(r
        .source
        .starts_with("AssumeRole acs:ram::1:role/env via the configured AccessKey"));
    assert!(srv.sts_calls().is_empty());
}

#[tokio::test]
async fn oidc_round_trip_rereads_token_file_and_refreshes() {
    let srv = Server::expiring_soon().await;
    let token_file = srv.home.path().join("oidc-token");
    std::fs::write(&token_file, "oidc-jwt-first\n").unwrap();
    let config = CredentialConfig {
        assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
            oidc_token_file: Some(token_file.to_string_lossy().into()),
            session_expiration: Some(900),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&[
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/ci"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/gh",
        ),
    ]);
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(r.source, "AssumeRoleWithOIDC acs:ram::1:role/ci");
    assert_eq!(srv.sts_calls().len(), 0);
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.oidc000001"
    );
    std::fs::write(&token_file, "oidc-jwt-rotated").unwrap();
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.oidc000002"
    );
    let calls = srv.sts_calls();
    let tokens: Vec<&str> = calls.iter().map(|q| q["OIDCToken"].as_str()).collect();
    assert_eq!(tokens, ["oidc-jwt-first", "oidc-jwt-rotated"]);
    assert_eq!(calls[0]["OIDCProviderArn"], "acs:ram::1:oidc-provider/gh");
    assert_eq!(
        (
            calls[0]["DurationSeconds"].as_str(),
            calls[0]["RoleSessionName"].as_str()
        ),
        ("900", "terraform")
    );
}

#[tokio::test]
async fn oidc_then_assume_role_chains() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
            role_arn: "acs:ram::1:role/ci".into(),
            oidc_provider_arn: "acs:ram::1:oidc-provider/gh".into(),
            ..Default::default()
        }),
        assume_role: Some(AssumeRoleConfig {
            role_arn: "acs:ram::2:role/target".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&[("ALIBABA_CLOUD_OIDC_TOKEN", "oidc-jwt-inline")]);
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(
        r.source,
        "AssumeRole acs:ram::2:role/target via AssumeRoleWithOIDC acs:ram::1:role/ci"
    );
    // The fake STS cannot verify signatures made with OIDC-issued keys: the answer is an
    // error, but both calls must have happened in order, the second signed with the first's key.
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(err.contains("InvalidAccessKeyId.NotFound"), "{err}");
    let calls = srv.sts_calls();
    assert_eq!(calls[0]["Action"], "AssumeRoleWithOIDC");
    assert_eq!(calls[1]["AccessKeyId"], "STS.oidc000001");
    assert_eq!(calls[1]["SecurityToken"], "oidc-token-1");
}
