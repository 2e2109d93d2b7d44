// SPDX-License-Identifier: MPL-2.0
//! `CloudSSO` and `OAuth` profiles that cannot give credentials: an expired token or a bad
//! profile fails at resolve time, before any request, with the command that signs in again or
//! the key at fault; service errors say what the service answered. No token ever shows in an
//! error.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::credentials::fake_server::Server;
use crate::credentials::fake_sign_in::{
    credentials_error, in_an_hour, oauth_profile, profiles, sso_and_oauth, sso_profile,
    unix_from_now, with_key, OAUTH_PATH, SSO_PATH,
};

const SSO_HINT: &str = "sign in again with `aliyun configure --profile sso --mode CloudSSO`";

#[tokio::test]
async fn an_expired_sign_in_fails_at_resolve_time_with_the_sign_in_command() {
    let srv = Server::default().await;
    let past = json!(unix_from_now(-60));
    let hop = json!({"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": "sso",
        "ram_role_arn": "acs:ram::1:role/after-sso"});
    let all = [
        sso_profile(&srv, "sso", &past.clone()),
        oauth_profile("o", "INTL", &json!(unix_from_now(-1).to_string())),
        hop,
    ];
    let oauth_hint = "run an aliyun CLI command with this profile, e.g. `aliyun sts \
        GetCallerIdentity --profile o`, which refreshes the token";
    for (profile, place, hint) in [
        ("sso", "profile \"sso\"", SSO_HINT),
        ("o", "profile \"o\"", oauth_hint),
        (
            "o",
            "profile \"o\"",
            "`aliyun configure --profile o --mode OAuth`",
        ),
        (
            "hop",
            "profile \"sso\", source_profile of profile \"hop\"",
            SSO_HINT,
        ),
    ] {
        let (config, file) = profiles(&srv, &all, profile);
        let result = srv.resolve(&config, &srv.env(&[])).await;
        let err = credentials_error(profile, result);
        let expired = format!("the sign-in saved in {place} in {file} expired at ");
        assert!(err.contains(&expired), "{expired:?} in {err}");
        assert!(err.contains(hint), "{hint:?} in {err}");
    }
    assert!(srv.requests_outside_sts().is_empty() && srv.sts_calls().is_empty());
}

#[tokio::test]
async fn an_unknown_or_far_expiry_is_not_an_error() {
    let srv = Server::default().await;
    let sso = |expire| sso_profile(&srv, "p", &expire);
    let cases = [
        ("zero", sso(json!(0))),
        ("absent", sso(Value::Null)),
        ("zero string", sso(json!("0"))),
        ("not a number", sso(json!("soon"))),
        ("negative", sso(json!(-5))),
        ("far future", sso(json!(i64::MAX))),
        ("OAuth zero", oauth_profile("p", "", &json!(0))),
        ("OAuth absent", oauth_profile("p", "", &Value::Null)),
    ];
    for (n, (name, profile)) in cases.into_iter().enumerate() {
        let profile = match name {
            "absent" => with_key(profile, "cloud_sso_access_token_expire", Value::Null),
            "OAuth absent" => with_key(profile, "oauth_access_token_expire", Value::Null),
            _ => profile,
        };
        let (config, _) = profiles(&srv, &[profile], "p");
        let r = srv.resolve(&config, &srv.env(&[])).await;
        let r = r.unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = r.provider.credentials().await;
        let c = c.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            c.access_key_id.ends_with(&format!("{:06}", n + 1)),
            "{name}: {c:?}"
        );
    }
}

#[tokio::test]
async fn missing_keys_and_unsafe_urls_name_the_key_and_send_nothing() {
    let srv = Server::default().await;
    let sso = |name: &str| sso_profile(&srv, name, &in_an_hour());
    let oauth = |name: &str, site: &str| oauth_profile(name, site, &in_an_hour());
    let url = "cloud_sso_sign_in_url";
    let unusable = |why: &str| format!("has a {url} that cannot be used: {why}");
    let https_only = |scheme: &str| {
        unusable(&format!(
            "its scheme is \"{scheme}\"; the access token is only sent over https"
        ))
    };
    let no = |mode: &str, key: &str| format!("has mode {mode} but no {key}");
    let no_token = |mode: &str, key: &str, name: &str| {
        let again = format!("sign in with `aliyun configure --profile {name} --mode {mode}`");
        format!("{}: {again}", no(mode, key))
    };
    let plain = json!("http://example.com/login?state=url-secret-q");
    let cases = [
        (with_key(sso("a"), url, Value::Null), no("CloudSSO", url)),
        (
            with_key(sso("b"), "cloud_sso_account_id", json!("  ")),
            no("CloudSSO", "cloud_sso_account_id"),
        ),
        (
            with_key(sso("c"), "cloud_sso_access_config", Value::Null),
            no("CloudSSO", "cloud_sso_access_config"),
        ),
        (
            with_key(sso("d"), "access_token", json!("")),
            no_token("CloudSSO", "access_token", "d"),
        ),
        (with_key(sso("e"), url, plain), https_only("http")),
        (
            with_key(sso("f"), url, json!("ftp://127.0.0.1/login")),
            https_only("ftp"),
        ),
        (
            with_key(sso("g"), url, json!("portal?state=url-secret-q")),
            unusable("it is not a URL"),
        ),
        (
            with_key(oauth("h", "CN"), "oauth_access_token", Value::Null),
            no_token("OAuth", "oauth_access_token", "h"),
        ),
        (
            oauth("i", "EU"),
            "has oauth_site_type \"EU\"; expected CN or INTL".into(),
        ),
    ];
    let all: Vec<Value> = cases.iter().map(|(p, _)| p.clone()).collect();
    for (profile, want) in &cases {
        let name = profile["name"].as_str().expect("a name");
        let (config, file) = profiles(&srv, &all, name);
        let err = credentials_error(name, srv.resolve(&config, &srv.env(&[])).await);
        let named = format!("profile {name:?} in {file} {want}");
        assert!(err.contains(&named), "{named:?} in {err}");
        assert!(!err.contains("url-secret-q"), "{err}");
    }
    assert!(srv.requests_outside_sts().is_empty());
}

#[tokio::test]
async fn service_errors_carry_status_body_and_hint_but_no_token() {
    let srv = Server::default().await;
    let body = json!({"ErrorCode": "InvalidAccessToken", "ErrorMessage": "expired or revoked",
        "RequestId": "r-401", "Padding": "x".repeat(400), "Tail": "tail-marker"})
    .to_string();
    for path in [SSO_PATH, OAUTH_PATH] {
        srv.answer_sign_in(path, StatusCode::UNAUTHORIZED, &body);
    }
    let all = sso_and_oauth(&srv);
    let oauth_hint = "`aliyun sts GetCallerIdentity --profile o`";
    for (n, (profile, service, hint)) in [
        ("sso", "the CloudSSO portal", SSO_HINT),
        ("o", "the OAuth service", oauth_hint),
    ]
    .into_iter()
    .enumerate()
    {
        let (config, file) = profiles(&srv, &all, profile);
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        let err = credentials_error(profile, r.provider.credentials().await);
        for want in [
            format!("profile {profile:?} in {file} ({service} {})", srv.base),
            "HTTP 401: {\"ErrorCode\":\"InvalidAccessToken\"".to_string(),
            "if the sign-in has expired or was revoked".to_string(),
            hint.to_string(),
        ] {
            assert!(err.contains(&want), "{want:?} in {err}");
        }
        assert!(
            !err.contains("tail-marker"),
            "only the start of the body: {err}"
        );
        // An error is not cached: the next call asks again.
        credentials_error(profile, r.provider.credentials().await);
        assert_eq!(srv.sign_in_requests().len(), 2 * (n + 1));
    }
    // A redirect is not followed: the token goes nowhere else.
    let elsewhere = format!("{}/elsewhere", srv.base);
    srv.answer_sign_in(SSO_PATH, StatusCode::TEMPORARY_REDIRECT, &elsewhere);
    let (config, _) = profiles(&srv, &all, "sso");
    let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
    let err = credentials_error("redirect", r.provider.credentials().await);
    assert!(err.contains("HTTP 307") && err.contains(SSO_HINT), "{err}");
    let paths: Vec<_> = srv
        .requests_outside_sts()
        .into_iter()
        .map(|q| q.path)
        .collect();
    assert_eq!(paths[3..], [OAUTH_PATH, SSO_PATH], "/elsewhere never asked");
}

#[tokio::test]
async fn answers_without_a_security_token_or_not_json_are_errors() {
    let no_token = r#"{"CloudCredential": {"AccessKeyId": "STS.x",
        "AccessKeySecret": "answer-secret-1", "Expiration": "2999-01-01T00:00:00Z"}}"#;
    let oauth_no_token = r#"{"accessKeyId": "STS.x", "accessKeySecret": "answer-secret-1",
        "expiration": "2999-01-01T00:00:00Z"}"#;
    let html = "<html>answer-secret-1 sign in</html>";
    let (no_st, not_json) = ("the answer has no SecurityToken", "the answer is not JSON");
    let cases = [
        ("sso", SSO_PATH, no_token, no_st),
        ("o", OAUTH_PATH, oauth_no_token, no_st),
        ("sso", SSO_PATH, html, not_json),
        ("o", OAUTH_PATH, html, not_json),
        (
            "sso",
            SSO_PATH,
            r#"{"RequestId": "r"}"#,
            "the answer has no CloudCredential",
        ),
        (
            "o",
            OAUTH_PATH,
            r#"{"requestId": "r"}"#,
            "the answer has no AccessKeyId",
        ),
    ];
    for (profile, path, answer, want) in cases {
        let srv = Server::default().await;
        srv.answer_sign_in(path, StatusCode::OK, answer);
        let all = sso_and_oauth(&srv);
        let (config, _) = profiles(&srv, &all, profile);
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        let err = credentials_error(want, r.provider.credentials().await);
        assert!(err.contains(want), "{want:?} in {err}");
        assert!(!err.contains("answer-secret-1"), "{err}");
    }
}
