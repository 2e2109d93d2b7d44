// SPDX-License-Identifier: MPL-2.0
//! aliyun CLI profiles of modes `CloudSSO` and `OAuth`: the access token is exchanged at the
//! first `credentials()` call only, with exactly the SDK's request, then cached and refreshed
//! near expiry; an expired token or a bad profile fails at resolve time with the command that
//! signs in again; service errors say what the service answered; a `ChainableRamRoleArn`
//! profile assumes its role with the exchanged credentials. No token ever shows in an error.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::fake_server::{Knobs, Server};
use crate::fake_sign_in::{
    assert_no_token, credentials_error, in_an_hour, oauth_profile, profiles, sso_and_oauth,
    sso_profile, unix_from_now, with_key, OAUTH_PATH, OAUTH_REFRESH, OAUTH_TOKEN, SSO_PATH,
    SSO_TOKEN,
};

const SSO_HINT: &str = "sign in again with `aliyun configure --profile sso --mode CloudSSO`";

#[tokio::test]
async fn cloud_sso_exchange_is_lazy_exact_and_cached() {
    let srv = Server::default().await;
    let (config, file) = profiles(&srv, &[sso_profile(&srv, "sso", in_an_hour())], "sso");
    let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
    assert!(
        srv.requests_outside_sts().is_empty(),
        "resolve sends nothing"
    );
    let want = format!(
        "profile \"sso\" in {file} via the CloudSSO portal {}",
        srv.base
    );
    assert_eq!(r.source, want);
    assert_eq!(r.profile_region.as_deref(), Some("cn-hangzhou"));
    assert_no_token("Debug of Resolved", &format!("{r:?}"));

    let c = r.provider.credentials().await.expect("credentials");
    let got = (c.access_key_id.as_str(), c.access_key_secret.as_str());
    assert_eq!(got, ("STS.sso000001", "sso-secret-1"));
    assert_eq!(c.security_token.as_deref(), Some("sso-token-1"));
    assert!(c.expiration.is_some());
    // Far from expiry: cached, also for concurrent callers.
    let (a, b) = tokio::join!(r.provider.credentials(), r.provider.credentials());
    assert!(a.expect("cached") == c && b.expect("cached") == c);

    let sent = srv.requests_outside_sts();
    assert_eq!(sent.len(), 1, "one exchange: {sent:?}");
    let q = &sent[0];
    assert_eq!((q.method.as_str(), q.path.as_str()), ("POST", SSO_PATH));
    assert_eq!(q.bearer.as_deref(), Some(SSO_TOKEN));
    assert_eq!(q.content_type.as_deref(), Some("application/json"));
    assert_eq!(q.accept.as_deref(), Some("application/json"));
    let body = json!({"AccountId": "1234567890", "AccessConfigurationId": "ac-admin"});
    assert_eq!(q.json.as_ref(), Some(&body), "{}", q.body);
    let ua = format!("terraform-provider-ehpc/{} Terraform/1.11.4", ehpc::VERSION);
    assert_eq!(q.user_agent.as_deref(), Some(ua.as_str()));
    assert!(
        !q.raw.contains("sso-url-state"),
        "only the URL's origin is used"
    );
}

#[tokio::test]
async fn cloud_sso_credentials_near_expiry_are_fetched_again() {
    // Credentials expiring in 2 minutes are inside the refresh window: every call refreshes.
    let srv = Server::start(Knobs {
        imds_v2: true,
        ttl: 120,
    })
    .await;
    let (config, _) = profiles(&srv, &[sso_profile(&srv, "sso", in_an_hour())], "sso");
    let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
    let first = r.provider.credentials().await.expect("first");
    let second = r.provider.credentials().await.expect("second");
    let ids = (first.access_key_id.as_str(), second.access_key_id.as_str());
    assert_eq!(ids, ("STS.sso000001", "STS.sso000002"));
    let bearers: Vec<_> = srv
        .sign_in_requests()
        .into_iter()
        .map(|q| q.bearer)
        .collect();
    assert_eq!(bearers, [Some(SSO_TOKEN.into()), Some(SSO_TOKEN.into())]);
}

#[tokio::test]
async fn oauth_uses_the_override_for_every_site_and_never_sends_the_refresh_token() {
    let srv = Server::default().await;
    let sites = ["", "CN", "INTL", "intl"];
    // The CLI may write the expiry as a string.
    let expire = json!(unix_from_now(3600).to_string());
    let all: Vec<Value> = (0..sites.len())
        .map(|i| oauth_profile(&format!("o{i}"), sites[i], expire.clone()))
        .collect();
    for (i, site) in sites.iter().enumerate() {
        let (config, file) = profiles(&srv, &all, &format!("o{i}"));
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        let want = format!(
            "profile \"o{i}\" in {file} via the OAuth service {}",
            srv.base
        );
        assert_eq!(r.source, want, "site {site:?}");
        assert_eq!(srv.sign_in_requests().len(), i, "resolve sends nothing");
        let c = r.provider.credentials().await.expect("credentials");
        let n = i + 1;
        assert_eq!(c.access_key_id, format!("STS.oauth{n:06}"), "site {site:?}");
        assert_eq!(c.access_key_secret, format!("oauth-secret-{n}"));
        assert_eq!(c.security_token, Some(format!("oauth-token-{n}")));
        assert!(c.expiration.is_some());
        r.provider.credentials().await.expect("cached");
    }
    let sent = srv.requests_outside_sts();
    assert_eq!(
        sent.len(),
        sites.len(),
        "one exchange per profile: {sent:?}"
    );
    for q in &sent {
        assert_eq!((q.method.as_str(), q.path.as_str()), ("POST", OAUTH_PATH));
        assert_eq!(q.bearer.as_deref(), Some(OAUTH_TOKEN));
        assert_eq!(q.content_type.as_deref(), Some("application/json"));
        assert_eq!(q.body, "", "the exchange has no body");
        assert!(!q.raw.contains(OAUTH_REFRESH), "{}", q.raw);
    }
}

#[tokio::test]
async fn oauth_without_override_goes_to_its_site() {
    let srv = Server::default().await.with_oauth_override(None);
    for (site, url) in [
        ("CN", "https://oauth.aliyun.com"),
        ("", "https://oauth.aliyun.com"),
        ("INTL", "https://oauth.alibabacloud.com"),
    ] {
        let (config, _) = profiles(&srv, &[oauth_profile("o", site, in_an_hour())], "o");
        // Resolve only: the credentials would come from the real service.
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        assert!(
            r.source.ends_with(&format!("via the OAuth service {url}")),
            "{}",
            r.source
        );
    }
    // An override in plain http to another machine would carry the token in clear.
    let srv = srv.with_oauth_override(Some("http://203.0.113.1:9"));
    let (config, _) = profiles(&srv, &[oauth_profile("o", "CN", in_an_hour())], "o");
    let err = srv
        .resolve(&config, &srv.env(&[]))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("only sent over https"), "{err}");
}

#[tokio::test]
async fn an_expired_sign_in_fails_at_resolve_time_with_the_sign_in_command() {
    let srv = Server::default().await;
    let past = json!(unix_from_now(-60));
    let hop = json!({"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": "sso",
        "ram_role_arn": "acs:ram::1:role/after-sso"});
    let all = [
        sso_profile(&srv, "sso", past.clone()),
        oauth_profile("o", "INTL", json!(unix_from_now(-1).to_string())),
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
    let sso = |expire| sso_profile(&srv, "p", expire);
    let cases = [
        ("zero", sso(json!(0))),
        ("absent", sso(Value::Null)),
        ("zero string", sso(json!("0"))),
        ("not a number", sso(json!("soon"))),
        ("negative", sso(json!(-5))),
        ("far future", sso(json!(i64::MAX))),
        ("OAuth zero", oauth_profile("p", "", json!(0))),
        ("OAuth absent", oauth_profile("p", "", Value::Null)),
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
    let sso = |name: &str| sso_profile(&srv, name, in_an_hour());
    let oauth = |name: &str, site: &str| oauth_profile(name, site, in_an_hour());
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

#[tokio::test]
async fn chainable_role_over_a_sign_in_profile_signs_with_its_credentials() {
    for (source, kind, service) in [
        ("sso", "sso", "CloudSSO portal"),
        ("o", "oauth", "OAuth service"),
    ] {
        let srv = Server::default().await;
        let hop = json!({"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": source,
            "ram_role_arn": "acs:ram::1:role/after-sign-in", "ram_session_name": "after"});
        let all = [sso_and_oauth(&srv), vec![hop]].concat();
        let (config, _) = profiles(&srv, &all, "hop");
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        assert!(srv.requests_outside_sts().is_empty() && srv.sts_calls().is_empty());
        for part in [
            "assume_role acs:ram::1:role/after-sign-in via ".to_string(),
            format!("profile {source:?}, source_profile of profile \"hop\" in "),
            format!("via the {service} {}", srv.base),
        ] {
            assert!(r.source.contains(&part), "{part:?} in {}", r.source);
        }
        // The fake STS only answers when the signature is made with the exchanged secret.
        let c = r.provider.credentials().await.expect("credentials");
        assert_eq!(c.access_key_id, "STS.assumed000001");
        r.provider.credentials().await.expect("cached");
        let calls = srv.sts_calls();
        assert_eq!((srv.sign_in_requests().len(), calls.len()), (1, 1));
        let q = &calls[0];
        let signed_with = (
            q["AccessKeyId"].as_str(),
            q.get("SecurityToken").map(String::as_str),
        );
        let token = format!("{kind}-token-1");
        assert_eq!(
            signed_with,
            (format!("STS.{kind}000001").as_str(), Some(token.as_str()))
        );
        assert_eq!(q["RoleArn"], "acs:ram::1:role/after-sign-in");
        assert_eq!(q["RoleSessionName"], "after");
        assert_no_token("STS query", &format!("{q:?}"));
    }
}
