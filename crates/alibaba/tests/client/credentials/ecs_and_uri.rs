// SPDX-License-Identifier: MPL-2.0
//! The ECS metadata service (IMDSv2 with v1 fallback) and the credentials URI: refresh near
//! expiry, redirects, and caching shared by concurrent callers.

use ehpc_alibaba::credentials::CredentialConfig;

use crate::credentials::fake_server::{Knobs, Server};

#[tokio::test]
async fn ecs_metadata_imds_v2_then_v1_fallback() {
    for (imds_v2, v1_disabled, want_token, want_ok) in [
        (true, false, Some("imds-session-token"), true),
        (false, false, None, true),
        (false, true, None, false),
    ] {
        let name = format!("imds_v2={imds_v2} v1_disabled={v1_disabled}");
        let srv = Server::start(Knobs { imds_v2, ttl: 3600 }).await;
        let mut vars = vec![("ALICLOUD_ECS_ROLE_NAME", "instance-role")];
        if v1_disabled {
            vars.push(("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"));
        }
        let r = srv
            .resolve(&CredentialConfig::default(), &srv.env(&vars))
            .await
            .unwrap();
        assert_eq!(
            srv.shared.seen.lock().unwrap().imds_tokens,
            0,
            "{name}: resolve is local"
        );
        let got = r.provider.credentials().await;
        assert_eq!(got.is_ok(), want_ok, "{name}: {got:?}");
        let seen = srv.shared.seen.lock().unwrap();
        assert_eq!(seen.imds_tokens, 1, "{name}");
        let sent: Vec<Option<&str>> = seen.imds_creds.iter().map(Option::as_deref).collect();
        let want: Vec<Option<&str>> = if want_ok { vec![want_token] } else { vec![] };
        assert_eq!(sent, want, "{name}");
    }
}

#[tokio::test]
async fn uri_credentials_refresh_near_expiry() {
    let srv = Server::expiring_soon().await;
    let config = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert_eq!(srv.shared.seen.lock().unwrap().uri, 0, "resolve is local");
    let first = r.provider.credentials().await.unwrap();
    let second = r.provider.credentials().await.unwrap();
    assert_eq!(
        (first.access_key_id.as_str(), second.access_key_id.as_str()),
        ("STS.uri000001", "STS.uri000002")
    );
    // The provider's one HTTP client, with its User-Agent, made both requests.
    let ua = crate::credentials::fake_server::USER_AGENT.to_string();
    assert_eq!(
        srv.shared.seen.lock().unwrap().uri_user_agents,
        [ua.as_str(), ua.as_str()]
    );
}

#[tokio::test]
async fn uri_redirects_are_not_followed() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        credentials_uri: Some(format!("{}/moved?token=uri-secret-0001", srv.base)),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(err.contains("HTTP 302"), "{err}");
    assert!(err.contains("redirect"), "{err}");
    assert!(!err.contains("uri-secret-0001"), "{err}");
    assert_eq!(
        srv.shared.seen.lock().unwrap().uri,
        0,
        "target never called"
    );
}

#[tokio::test]
async fn fresh_credentials_are_cached_and_shared_by_concurrent_callers() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let p = &r.provider;
    let (a, b, c) = tokio::join!(p.credentials(), p.credentials(), p.credentials());
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(a == b && b == c);
    assert_eq!(p.credentials().await.unwrap(), a);
    assert_eq!(srv.shared.seen.lock().unwrap().uri, 1);
}

#[tokio::test]
async fn uri_in_plain_http_only_to_this_machine() {
    let srv = Server::default().await;
    let cases = [
        (
            CredentialConfig {
                credentials_uri: Some("http://u:pw@203.0.113.7:8080/creds?t=uri-secret".into()),
                ..Default::default()
            },
            vec![],
            "from the configured credentials URI",
            "use https://203.0.113.7:8080/creds",
        ),
        (
            CredentialConfig::default(),
            vec![("ALIBABA_CLOUD_CREDENTIALS_URI", "ftp://127.0.0.1/creds")],
            "from environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
            "write an https URL",
        ),
        (
            CredentialConfig::default(),
            vec![("ALICLOUD_CREDENTIALS_URI", "127.0.0.1:9/creds")],
            "from environment variable ALICLOUD_CREDENTIALS_URI",
            "<unparseable URL>",
        ),
    ];
    for (config, vars, from, hint) in cases {
        let err = srv.resolve(&config, &srv.env(&vars)).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ehpc_alibaba::Error::Config(_)), "{text}");
        assert!(text.contains(from) && text.contains(hint), "{text}");
        assert!(
            !text.contains("uri-secret") && !text.contains("pw"),
            "{text}"
        );
    }
    assert_eq!(srv.shared.seen.lock().unwrap().uri, 0, "nothing was sent");
}
