// SPDX-License-Identifier: MPL-2.0
//! aliyun CLI profiles of modes `CloudSSO` and `OAuth` when all goes well: the access token is
//! exchanged at the first `credentials()` call only, with exactly the SDK's request, then
//! cached and refreshed near expiry; a `ChainableRamRoleArn` profile assumes its role with the
//! exchanged credentials. The failures are in `sign_in_errors`.

use ehpc_alibaba::ServiceUrl;
use serde_json::{json, Value};

use crate::credentials::fake_server::Server;
use crate::credentials::fake_sign_in::{
    assert_no_token, in_an_hour, oauth_profile, profiles, sso_and_oauth, sso_profile,
    unix_from_now, OAUTH_PATH, OAUTH_REFRESH, OAUTH_TOKEN, SSO_PATH, SSO_TOKEN,
};

#[tokio::test]
async fn cloud_sso_exchange_is_lazy_exact_and_cached() {
    let srv = Server::default().await;
    let (config, file) = profiles(&srv, &[sso_profile(&srv, "sso", &in_an_hour())], "sso");
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
    let ua = crate::credentials::fake_server::USER_AGENT.to_string();
    assert_eq!(q.user_agent.as_deref(), Some(ua.as_str()));
    assert!(
        !q.raw.contains("sso-url-state"),
        "only the URL's origin is used"
    );
}

#[tokio::test]
async fn cloud_sso_credentials_near_expiry_are_fetched_again() {
    let srv = Server::expiring_soon().await;
    let (config, _) = profiles(&srv, &[sso_profile(&srv, "sso", &in_an_hour())], "sso");
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
        .map(|i| oauth_profile(&format!("o{i}"), sites[i], &expire.clone()))
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
        let (config, _) = profiles(&srv, &[oauth_profile("o", site, &in_an_hour())], "o");
        // Resolve only: the credentials would come from the real service.
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        assert!(
            r.source.ends_with(&format!("via the OAuth service {url}")),
            "{}",
            r.source
        );
    }
    // An override in plain http to another machine would carry the token in clear: it is
    // refused where it is parsed, with the https form to use.
    let err = ServiceUrl::parse("http://203.0.113.1:9").expect_err("refused");
    assert!(
        err.to_string().contains("use https://203.0.113.1:9"),
        "{err}"
    );
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
            "AssumeRole acs:ram::1:role/after-sign-in via ".to_string(),
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
