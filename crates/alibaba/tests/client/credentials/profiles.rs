// SPDX-License-Identifier: MPL-2.0
//! aliyun CLI profiles: every mode, chained RamRoleArn profiles, and how a missing profile
//! is reported.

use ehpc_alibaba::credentials::CredentialConfig;

use crate::credentials::fake_server::{Server, PROFILES};

#[tokio::test]
async fn profile_modes() {
    let srv = Server::default().await;
    let file = srv.home.path().join("cli.json");
    std::fs::write(&file, PROFILES).unwrap();
    let config = |profile: &str| CredentialConfig {
        profile: Some(profile.into()),
        shared_credentials_file: Some(file.to_string_lossy().into()),
        ..Default::default()
    };
    let env = srv.env(&[]);

    let r = srv.resolve(&config("main"), &env).await.unwrap();
    assert_eq!(r.profile_region.as_deref(), Some("cn-shanghai"));
    let main = format!("profile \"main\" in {} (mode AK)", file.display());
    assert_eq!(r.source, main);

    let c = srv.credentials(&config("sts"), &env).await;
    assert_eq!(c.security_token.as_deref(), Some("profile-token-2"));

    let r = srv.resolve(&config("role"), &env).await.unwrap();
    assert!(
        r.source
            .starts_with("AssumeRole acs:ram::1:role/from-profile via profile \"role\""),
        "{}",
        r.source
    );
    assert!(
        srv.sts_calls().is_empty(),
        "STS must not be called by resolve"
    );
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.assumed000001"
    );
    let q = &srv.sts_calls()[0];
    assert_eq!(q["AccessKeyId"], "LTAIprofile1");
    assert_eq!(
        (q["RoleSessionName"].as_str(), q["DurationSeconds"].as_str()),
        ("prof-session", "1800")
    );
    assert_eq!(q["ExternalId"], "ext-p");

    let c = srv.credentials(&config("ecs"), &env).await;
    assert_eq!(c.access_key_id, "STS.ecs000001");
    let c = srv.credentials(&config("ecs-any"), &env).await;
    assert_eq!(c.access_key_id, "STS.ecs000002");
    assert_eq!(
        srv.shared.seen.lock().unwrap().imds_role_lists,
        1,
        "only ecs-any discovers the role"
    );

    for (profile, want) in [
        ("sso", "has mode CloudSSO but no cloud_sso_sign_in_url"),
        (
            "nope",
            "profile \"nope\" (named by the configured profile name) is not in",
        ),
    ] {
        let err = srv.resolve_error(&config(profile), &env).await;
        assert!(err.contains(want), "{profile}: {err}");
    }
    // The environment names the profile too; ALICLOUD_PROFILE wins over ALIBABA_CLOUD_PROFILE.
    let by_env = CredentialConfig {
        profile: None,
        ..config("x")
    };
    let env = srv.env(&[
        ("ALIBABA_CLOUD_PROFILE", "main"),
        ("ALICLOUD_PROFILE", "sts"),
    ]);
    assert!(srv
        .resolve(&by_env, &env)
        .await
        .unwrap()
        .source
        .starts_with("profile \"sts\""));
}

#[tokio::test]
async fn chainable_profile_assumes_each_role_in_turn() {
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let config = CredentialConfig {
        profile: Some("hop2".into()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert!(srv.sts_calls().is_empty(), "resolve calls no STS");
    assert_eq!(r.profile_region, None, "hop2 names no region of its own");
    for part in [
        "AssumeRole acs:ram::1:role/second via ",
        "AssumeRole acs:ram::1:role/first via ",
        "profile \"main\", source_profile of profile \"hop1\", source_profile of profile \"hop2\"",
    ] {
        assert!(r.source.contains(part), "{part:?} in {}", r.source);
    }

    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.assumed000002");
    let calls = srv.sts_calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|q| {
            (
                q["AccessKeyId"].as_str(),
                q.get("SecurityToken").map(String::as_str),
                q["RoleArn"].as_str(),
                q["RoleSessionName"].as_str(),
                q["DurationSeconds"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "LTAIprofile1",
                None,
                "acs:ram::1:role/first",
                "hop-1",
                "3600"
            ),
            (
                "STS.assumed000001",
                Some("assumed-token-1"),
                "acs:ram::1:role/second",
                "terraform",
                "900"
            ),
        ],
        "the first hop signs with the source profile's AccessKey, the second with the first \
         hop's temporary credentials"
    );
    // Cached: a second caller gets the same credentials without another hop.
    r.provider.credentials().await.unwrap();
    assert_eq!(srv.sts_calls().len(), 2);

    // An inner hop's settings are checked at resolve time, naming its profile.
    let config = CredentialConfig {
        profile: Some("via-short".into()),
        ..Default::default()
    };
    let err = srv.resolve_error(&config, &srv.env(&[])).await;
    assert!(
        err.contains("expired_seconds of profile \"short\" must be between 900 and 43200"),
        "{err}"
    );
    assert_eq!(srv.sts_calls().len(), 2, "no call for an invalid chain");
}

#[tokio::test]
async fn named_profile_without_default_file_is_an_error() {
    let srv = Server::default().await;
    let env = srv.env(&[("ALIBABA_CLOUD_PROFILE", "work")]);
    let err = srv.resolve_error(&CredentialConfig::default(), &env).await;
    assert!(
        err.contains("profile \"work\" was requested by environment (ALIBABA_CLOUD_PROFILE)"),
        "{err}"
    );
    assert!(err.contains(".aliyun/config.json does not exist"), "{err}");
}
