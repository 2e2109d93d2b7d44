// SPDX-License-Identifier: MPL-2.0
//! The order of the credential sources, the environment variable names, and the error that
//! lists every place searched when none has credentials.

use ehpc_alibaba::credentials::CredentialConfig;
use ehpc_alibaba::Error;

use crate::credentials::fake_server::{attrs, with, Server, ENV_AK, PROFILES};

#[tokio::test]
async fn precedence_attributes_env_profile_ecs_uri() {
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let uri = srv.uri();
    let ecs = [("ALIBABA_CLOUD_ECS_METADATA", "instance-role")];
    let uri_env = [("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())];
    let everything: Vec<(&str, &str)> =
        ENV_AK.iter().chain(&ecs).chain(&uri_env).copied().collect();
    let no_ak: Vec<(&str, &str)> = ecs.iter().chain(&uri_env).copied().collect();
    // A file without profiles: the profile step finds nothing and the chain goes on.
    let empty = Some(srv.write_file("empty.json", r#"{"profiles": []}"#));
    type Case<'a> = (
        &'a str,
        CredentialConfig,
        Vec<(&'a str, &'a str)>,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "attributes first",
            attrs(),
            everything.clone(),
            "the configured AccessKey",
            "LTAIattr0001",
        ),
        (
            "then environment",
            CredentialConfig::default(),
            everything,
            "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
            "LTAIenv00001",
        ),
        (
            "then profile",
            CredentialConfig::default(),
            no_ak.clone(),
            "profile \"main\" in ",
            "LTAIprofile1",
        ),
        (
            "then ECS role",
            CredentialConfig {
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            no_ak,
            "ECS RAM role \"instance-role\"",
            "STS.ecs000001",
        ),
        (
            "then URI",
            CredentialConfig {
                shared_credentials_file: empty,
                ..Default::default()
            },
            uri_env.to_vec(),
            "credentials URI http://127.0.0.1:",
            "STS.uri000001",
        ),
    ];
    for (name, config, vars, source, key) in cases {
        let r = srv
            .resolve(&config, &srv.env(&vars))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(r.source.starts_with(source), "{name}: {}", r.source);
        assert_eq!(
            r.provider.credentials().await.unwrap().access_key_id,
            key,
            "{name}"
        );
    }
    let seen = srv.shared.seen.lock().unwrap();
    assert_eq!((seen.imds_creds.len(), seen.uri, seen.sts.len()), (1, 1, 0));
}

#[tokio::test]
async fn legacy_env_names_win_and_half_keys_fail() {
    let srv = Server::default().await;
    let env = srv.env(&with(
        ENV_AK,
        &[
            ("ALICLOUD_ACCESS_KEY", "LTAIlegacy01"),
            ("ALICLOUD_SECRET_KEY", "secret-legacy"),
        ],
    ));
    let r = srv
        .resolve(&CredentialConfig::default(), &env)
        .await
        .unwrap();
    assert_eq!(r.source, "environment (ALICLOUD_ACCESS_KEY)");
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.access_key_secret.as_str()),
        ("LTAIlegacy01", "secret-legacy")
    );

    let env = srv.env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv00001")]);
    let err = srv.resolve_error(&CredentialConfig::default(), &env).await;
    assert!(
        err.contains("the configured AccessKey secret is missing")
            && err.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{err}"
    );
}

#[tokio::test]
async fn no_credentials_lists_every_place() {
    let srv = Server::default().await;
    let err = srv
        .resolve(&CredentialConfig::default(), &srv.env(&[]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials(_)));
    let msg = err.to_string();
    let home = srv.home.path().join(".aliyun").join("config.json");
    let places = [
        "1. the configured AccessKey id / the configured AccessKey secret: not set",
        "2. environment variables ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID",
        &format!("3. aliyun CLI profile: {} does not exist", home.display()),
        "4. ECS instance RAM role: skipped, no role name",
        "5. credentials URI: not set",
        "To fix:",
    ];
    let mut at = 0;
    for p in places {
        let found = msg[at..]
            .find(p)
            .unwrap_or_else(|| panic!("{p:?} missing or out of order in:\n{msg}"));
        at += found + p.len();
    }
    assert_eq!(
        srv.shared.seen.lock().unwrap().imds_tokens,
        0,
        "no metadata probe"
    );
}
