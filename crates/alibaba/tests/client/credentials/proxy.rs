// SPDX-License-Identifier: MPL-2.0
//! A proxy set in the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, an empty
//! `NO_PROXY`) sees none of the credential exchanges with this machine — ECS metadata,
//! credentials URI, CloudSSO/OAuth bearer, STS — while an https STS elsewhere goes through it,
//! unless `NO_PROXY` names its host. The proxy is a capture server on 127.0.0.1 that records
//! the first line of every request and answers 502.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ehpc_alibaba::credentials::{AssumeRoleConfig, CredentialConfig, Environment};
use ehpc_alibaba::{HttpClient, ProxySettings};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};

use crate::credentials::fake_server::{Server, USER_AGENT};
use crate::credentials::fake_sign_in::{in_an_hour, oauth_profile, profiles, sso_profile};

/// A proxy that records the request line of every connection and refuses to forward.
async fn capture_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut stream = BufReader::new(stream);
                let mut line = String::new();
                let _ = stream.read_line(&mut line).await;
                log.lock().unwrap().push(line.trim().to_string());
                let refuse = b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n";
                let _ = stream.get_mut().write_all(refuse).await;
            });
        }
    });
    (url, seen)
}

/// `srv`'s client, with every proxy variable pointing at `proxy` plus `extra`.
fn proxied(srv: &mut Server, proxy: &str, extra: &[(&str, &str)]) -> Environment {
    let mut vars = vec![
        ("HTTPS_PROXY", proxy),
        ("https_proxy", proxy),
        ("HTTP_PROXY", proxy),
        ("ALL_PROXY", proxy),
    ];
    vars.extend_from_slice(extra);
    let env = srv.env(&vars);
    let quick = Duration::from_secs(2);
    srv.http = HttpClient::with_proxies(quick, quick, USER_AGENT, ProxySettings::from_env(&env));
    env
}

#[tokio::test]
async fn a_proxy_in_the_environment_sees_no_credential_exchange() {
    let (proxy, seen) = capture_proxy().await;
    let mut srv = Server::default().await;
    let env = proxied(&mut srv, &proxy, &[("NO_PROXY", "")]);
    // ECS metadata (IMDSv2 token, then the role's credentials).
    let ecs = srv.env(&[("ALICLOUD_ECS_ROLE_NAME", "instance-role")]);
    let got = srv.credentials(&CredentialConfig::default(), &ecs).await;
    assert!(got.access_key_id.starts_with("STS.ecs"), "{got:?}");
    // A local credentials URI.
    let uri = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    assert!(srv.credentials(&uri, &env).await.security_token.is_some());
    // CloudSSO and OAuth bearer exchanges, then STS AssumeRole signed with their credentials.
    for profile in [
        sso_profile(&srv, "p", &in_an_hour()),
        oauth_profile("p", "CN", &in_an_hour()),
    ] {
        let (mut config, _) = profiles(&srv, &[profile], "p");
        config.assume_role = Some(AssumeRoleConfig {
            role_arn: "acs:ram::123456789012:role/through-no-proxy".into(),
            ..Default::default()
        });
        let got = srv.credentials(&config, &env).await;
        assert!(got.access_key_id.starts_with("STS.assumed"), "{got:?}");
    }
    assert!(!srv.sts_calls().is_empty() && !srv.sign_in_requests().is_empty());
    // https to this machine, a link-local or the metadata address is never tunnelled either
    // (these fail: nothing speaks TLS there).
    let port = srv.base.rsplit(':').next().unwrap_or_default().to_string();
    for target in [
        format!("https://127.0.0.1:{port}/creds"),
        format!("https://localhost:{port}/creds"),
        format!("https://[::1]:{port}/creds"),
        "https://169.254.169.254:9/creds".to_string(),
        "https://100.100.100.200:9/creds".to_string(),
    ] {
        let config = CredentialConfig {
            credentials_uri: Some(target.clone()),
            ..Default::default()
        };
        let resolved = srv.resolve(&config, &env).await.expect("resolve");
        let err = resolved.provider.credentials().await.expect_err(&target);
        assert!(
            seen.lock().unwrap().is_empty(),
            "{target} was proxied: {err}"
        );
    }
    assert_eq!(
        *seen.lock().unwrap(),
        Vec::<String>::new(),
        "the proxy saw nothing"
    );
}

#[tokio::test]
async fn https_sts_elsewhere_goes_through_the_proxy_unless_no_proxy_names_it() {
    for (no_proxy, want) in [
        ("", vec!["CONNECT sts.example.invalid:443 HTTP/1.1"]),
        ("other.example, .example.invalid", vec![]),
    ] {
        let (proxy, seen) = capture_proxy().await;
        let mut srv = Server::default()
            .await
            .with_sts_override("https://sts.example.invalid");
        let env = proxied(&mut srv, &proxy, &[("NO_PROXY", no_proxy)]);
        let config = CredentialConfig {
            access_key: Some("LTAIattr0001".into()),
            secret_key: Some("secret-attr-0001".into()),
            assume_role: Some(AssumeRoleConfig {
                role_arn: "acs:ram::123456789012:role/via-proxy".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let resolved = srv.resolve(&config, &env).await.expect("resolve");
        let err = resolved
            .provider
            .credentials()
            .await
            .expect_err("nothing answers");
        let seen = seen.lock().unwrap().clone();
        // One CONNECT per attempt: the proxy refuses each, so STS is retried.
        let distinct: std::collections::BTreeSet<&str> = seen.iter().map(String::as_str).collect();
        let want: std::collections::BTreeSet<&str> = want.into_iter().collect();
        assert_eq!(distinct, want, "NO_PROXY={no_proxy:?}: {err}");
        // The tunnel request names the host only: no parameter, token or signature.
        assert!(seen.iter().all(|l| !l.contains('?')), "{seen:?}");
    }
}
