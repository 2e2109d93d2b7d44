// SPDX-License-Identifier: MPL-2.0
//! A hostile or broken credential service (issue #19), one set of modes per service whose
//! code path differs: the ECS metadata service, a credentials URI, the CloudSSO and OAuth
//! sign-in exchanges, and STS. For each, an answer that trickles in fails within the
//! service's documented bound, server text with terminal controls comes out exactly as
//! sanitised, a 2xx carrying an error is an error, and no secret of the request (nor a
//! fragment of one) is in the error.

use std::time::Duration;

use axum::http::StatusCode;
use ehpc_alibaba::credentials::{AssumeRoleConfig, CredentialConfig, Resolved};
use ehpc_alibaba::{signer, Error};
use serde_json::json;
use tokio::time::Instant;

use crate::credentials::fake_server::{attrs, Server, PROFILES};
use crate::credentials::fake_sign_in::{
    profiles, sso_and_oauth, OAUTH_PATH, OAUTH_TOKEN, SSO_PATH, SSO_TOKEN,
};
use crate::credentials::misbehave::Misbehaviour::{Answer, Trickle};

/// A `Code` with an OSC title sequence, BEL and a C1 CSI, and how it is shown.
const EVIL: &str = "Evil\u{1b}]0;pwned\u{7}\u{9b}2J";
const EVIL_SHOWN: &str = "Evil\u{fffd}]0;pwned\u{fffd}\u{fffd}2J";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/instance-role";

/// `text` has no terminal control and no 8-character piece of any of `secrets`.
fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    let bad = |c: char| c.is_control() && c != '\n';
    assert!(!text.chars().any(bad), "{what}: a control in {text:?}");
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for piece in chars.windows(8.min(chars.len())) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what}: {piece:?} of a secret in {text}"
            );
        }
    }
}

/// Runs `fetch`, which must fail; returns its error text (checked by [`assert_clean`]) and
/// how long it took.
async fn failing<T>(
    what: &str,
    secrets: &[&str],
    fetch: impl std::future::Future<Output = Result<T, Error>>,
) -> (String, Duration) {
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(120), fetch)
        .await
        .unwrap_or_else(|_| panic!("{what}: never finished"));
    let took = started.elapsed();
    let Err(err) = result else {
        panic!("{what}: expected an error")
    };
    assert!(matches!(err, Error::Credentials(_)), "{what}: {err:?}");
    let text = err.to_string();
    assert_clean(what, &format!("{text} {err:?}"), secrets);
    (text, took)
}

fn ecs_config() -> (CredentialConfig, [(&'static str, &'static str); 1]) {
    let role = [("ALICLOUD_ECS_ROLE_NAME", "instance-role")];
    (CredentialConfig::default(), role)
}

#[tokio::test]
async fn ecs_metadata_trickling_answers_fail_within_one_second_each() {
    let srv = Server::default().await;
    // Faster than the 1 s bound, so that only a bound on the whole answer stops it.
    for path in [TOKEN_PATH, ROLE_PATH] {
        srv.misbehave(path, Trickle(Duration::from_millis(300)));
    }
    let (config, vars) = ecs_config();
    let r = srv.resolve(&config, &srv.env(&vars)).await.unwrap();
    let (err, took) = failing("ecs trickle", &[], r.provider.credentials()).await;
    // The token request times out (IMDSv1 fallback), then the credentials request: 2 x 1 s.
    assert!(
        err.contains("failed: timed out: no complete answer within 1000 ms"),
        "{err}"
    );
    assert_eq!((srv.hits(TOKEN_PATH), srv.hits(ROLE_PATH)), (1, 1));
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(6),
        "{took:?}"
    );
}

#[tokio::test]
async fn ecs_metadata_text_is_sanitised_and_a_failing_2xx_is_an_error() {
    let srv = Server::default().await;
    let session = "imds-session-token";
    // The session token sits where the 128-character bound cuts; the answer also holds
    // working credentials, which a failing Code must not let through.
    let code = format!("{EVIL}{}{session}", "c".repeat(105));
    let body = json!({"Code": code, "AccessKeyId": "STS.ecs", "AccessKeySecret": "ecs-leak-secret",
        "SecurityToken": "ecs-leak-token", "Expiration": "2999-01-01T00:00:00Z"});
    srv.misbehave(ROLE_PATH, Answer(StatusCode::OK, body.to_string()));
    let (config, vars) = ecs_config();
    let r = srv.resolve(&config, &srv.env(&vars)).await.unwrap();
    let (err, _) = failing("ecs code", &[session], r.provider.credentials()).await;
    let shown = format!("{EVIL_SHOWN}{}<redac…[cut]", "c".repeat(105));
    assert_eq!(
        err,
        format!(
            "ECS RAM role \"instance-role\": getting the role's credentials from the ECS \
             metadata service at {} failed: Code is {shown:?}, not \"Success\". Is Terraform \
             running on an ECS instance with this RAM role attached?",
            srv.base
        )
    );

    // A discovered role name is server text too.
    let srv = Server::default().await;
    srv.misbehave(ROLES_PATH, Answer(StatusCode::OK, format!("{EVIL}\n")));
    let evil_role = format!("{ROLES_PATH}{}", signer::percent_encode(EVIL_SHOWN));
    srv.misbehave(
        &evil_role,
        Answer(StatusCode::OK, r#"{"Code":"Success"}"#.into()),
    );
    srv.write_default_profile(PROFILES);
    let config = CredentialConfig {
        profile: Some("ecs-any".into()),
        ..CredentialConfig::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let (err, _) = failing("ecs role", &[session], r.provider.credentials()).await;
    assert_eq!(
        err,
        format!("ECS RAM role {EVIL_SHOWN:?}: the answer has no AccessKeyId")
    );
    assert_eq!(srv.hits(&evil_role), 1);
}

#[tokio::test]
async fn credentials_uri_trickling_answer_fails_within_ten_seconds() {
    let srv = Server::default().await;
    srv.misbehave("/creds", Trickle(Duration::from_secs(1)));
    let config = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let (err, took) = failing("uri trickle", &[], r.provider.credentials()).await;
    assert!(
        err.contains(
            ": timed out: no complete answer within 10000 ms; check the configured credentials URI"
        ),
        "{err}"
    );
    assert_eq!(srv.hits("/creds"), 1);
    assert!(
        took >= Duration::from_secs(10) && took < Duration::from_secs(15),
        "{took:?}"
    );
}

#[tokio::test]
async fn credentials_uri_text_is_sanitised_and_a_failing_2xx_is_an_error() {
    let srv = Server::default().await;
    let query_secret = "uri-query-secret-0001";
    let code = format!("{EVIL} {query_secret}");
    let body =
        json!({"Code": code, "AccessKeyId": "STS.uri", "AccessKeySecret": "uri-leak-secret"});
    srv.misbehave("/creds", Answer(StatusCode::OK, body.to_string()));
    let config = CredentialConfig {
        credentials_uri: Some(format!("{}?token={query_secret}", srv.uri())),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let secrets = [query_secret, "uri-leak-secret"];
    let (err, _) = failing("uri code", &secrets, r.provider.credentials()).await;
    let shown = format!("{EVIL_SHOWN} <redacted>");
    assert_eq!(
        err,
        format!(
            "credentials URI {}: Code is {shown:?}, not \"Success\"; check the configured \
             credentials URI / ALIBABA_CLOUD_CREDENTIALS_URI and that the service behind it is \
             running",
            srv.uri()
        )
    );

    // An Expiration that is not one: quoted sanitised, without the answer's secret.
    let body = json!({"Code": "Success", "AccessKeyId": "STS.uri",
        "AccessKeySecret": "uri-leak-secret", "Expiration": format!("{EVIL}uri-leak-secret")});
    srv.misbehave("/creds", Answer(StatusCode::OK, body.to_string()));
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let (err, _) = failing("uri expiration", &secrets, r.provider.credentials()).await;
    let shown = format!("{EVIL_SHOWN}<redacted>");
    assert!(
        err.ends_with(&format!(
            ": Expiration {shown:?} is not of the form 2024-05-01T08:00:00Z"
        )),
        "{err}"
    );
}

/// The sign-in profiles `sso` and `o`, each resolved; with the label errors start with.
async fn sign_ins(srv: &Server) -> Vec<(&'static str, String, Resolved)> {
    let mut out = Vec::new();
    for (profile, path) in [("sso", SSO_PATH), ("o", OAUTH_PATH)] {
        let (config, file) = profiles(srv, &sso_and_oauth(srv), profile);
        let r = srv.resolve(&config, &srv.env(&[])).await.expect("resolve");
        let service = if profile == "sso" {
            "CloudSSO portal"
        } else {
            "OAuth service"
        };
        let label = format!("profile {profile:?} in {file} (the {service} {})", srv.base);
        out.push((path, label, r));
    }
    out
}

#[tokio::test]
async fn sign_in_trickling_answers_fail_within_ten_seconds() {
    let srv = Server::default().await;
    for path in [SSO_PATH, OAUTH_PATH] {
        srv.misbehave(path, Trickle(Duration::from_secs(1)));
    }
    let both = sign_ins(&srv).await;
    // Both at once: one 10 s wait.
    tokio::join!(trickled(&both[0]), trickled(&both[1]));
    assert_eq!((srv.hits(SSO_PATH), srv.hits(OAUTH_PATH)), (1, 1));
}

/// One sign-in of [`sign_ins`] against a trickling service: it fails after 10 s.
async fn trickled((path, label, r): &(&'static str, String, Resolved)) {
    let secrets = [SSO_TOKEN, OAUTH_TOKEN];
    let (err, took) = failing(path, &secrets, r.provider.credentials()).await;
    let want = format!("{label}: timed out: no complete answer within 10000 ms; if the sign-in");
    assert!(err.starts_with(&want), "{want:?} in {err}");
    assert!(
        took >= Duration::from_secs(10) && took < Duration::from_secs(15),
        "{took:?}"
    );
}

#[tokio::test]
async fn sign_in_text_is_sanitised_and_a_failing_2xx_is_an_error() {
    // An error page: controls, then the access token where the 300-character excerpt cuts.
    // 11 characters of controls and "Evil", 284 of padding, then the token.
    let srv = Server::default().await;
    let page = |token: &str| format!("\u{1b}[31mEvil\u{7}\u{9b}{}{token} tail", "m".repeat(284));
    let shown = format!(
        "\u{fffd}[31mEvil\u{fffd}\u{fffd}{}<reda…[cut]",
        "m".repeat(284)
    );
    for (path, token) in [(SSO_PATH, SSO_TOKEN), (OAUTH_PATH, OAUTH_TOKEN)] {
        srv.misbehave(path, Answer(StatusCode::BAD_GATEWAY, page(token)));
    }
    for (_, label, r) in sign_ins(&srv).await {
        let (err, _) = failing(&label, &[SSO_TOKEN, OAUTH_TOKEN], r.provider.credentials()).await;
        let want = format!("{label}: HTTP 502: {shown}; if the sign-in has expired or was revoked");
        assert!(err.starts_with(&want), "{want:?} in {err}");
    }

    // A 2xx carrying an error Code (CloudSSO) or `success: false` (OAuth), next to working
    // credentials: an error, quoted without the credentials.
    let srv = Server::default().await;
    let sso = json!({"Code": EVIL, "Message": "denied", "CloudCredential": {"AccessKeyId": "STS.x",
        "AccessKeySecret": "sso-leak-secret", "SecurityToken": "sso-leak-token"}});
    let oauth = json!({"success": false, "message": EVIL, "accessKeyId": "STS.y",
        "accessKeySecret": "oauth-leak-secret"});
    srv.misbehave(SSO_PATH, Answer(StatusCode::OK, sso.to_string()));
    srv.misbehave(OAUTH_PATH, Answer(StatusCode::OK, oauth.to_string()));
    let quoted = [
        format!(
            r#"{{"CloudCredential":{{"AccessKeyId":"STS.x","AccessKeySecret":"<redacted>","SecurityToken":"<redacted>"}},"Code":"{}","Message":"denied"}}"#,
            json_escaped_shown()
        ),
        format!(
            r#"{{"accessKeyId":"STS.y","accessKeySecret":"<redacted>","message":"{}","success":false}}"#,
            json_escaped_shown()
        ),
    ];
    let secrets = [
        SSO_TOKEN,
        OAUTH_TOKEN,
        "sso-leak-secret",
        "sso-leak-token",
        "oauth-leak-secret",
    ];
    for ((_, label, r), quoted) in sign_ins(&srv).await.into_iter().zip(quoted) {
        let (err, _) = failing(&label, &secrets, r.provider.credentials()).await;
        let want = format!("{label}: HTTP 200 reporting a failure: {quoted}; if the sign-in");
        assert!(err.starts_with(&want), "{want:?} in {err}");
    }
}

/// [`EVIL`] as serde_json writes it in a body (controls escaped as `\uXXXX`), once
/// sanitised: the escapes are plain text, so only the raw C1 character is replaced.
fn json_escaped_shown() -> String {
    json!(EVIL)
        .to_string()
        .trim_matches('"')
        .replace('\u{9b}', "\u{fffd}")
}

/// AssumeRole signed with [`attrs`], whose secret is `secret-attr-0001`.
async fn assume_role(srv: &Server) -> Resolved {
    let config = CredentialConfig {
        assume_role: Some(AssumeRoleConfig {
            role_arn: "acs:ram::1:role/deployer".into(),
            ..Default::default()
        }),
        ..attrs()
    };
    srv.resolve(&config, &srv.env(&[])).await.unwrap()
}

#[tokio::test]
async fn sts_trickling_answers_fail_within_the_read_timeout_per_attempt() {
    // STS has client_read_timeout per attempt and 3 retries (backoff of at most 0.2 + 0.4 +
    // 0.8 s between them): 4 x 2 s + 1.4 s at most.
    let srv = Server::default()
        .await
        .with_read_timeout(Duration::from_secs(2));
    srv.misbehave("/", Trickle(Duration::from_secs(1)));
    let r = assume_role(&srv).await;
    let (err, took) = failing(
        "sts trickle",
        &["secret-attr-0001"],
        r.provider.credentials(),
    )
    .await;
    assert!(
        err.starts_with(&format!(
            "assuming role acs:ram::1:role/deployer: STS AssumeRole at {} failed: ",
            srv.base
        )) && err.contains("timed out: no complete answer within 2000 ms"),
        "{err}"
    );
    assert_eq!(srv.hits("/"), 4);
    assert!(
        took >= Duration::from_secs(8) && took < Duration::from_secs(15),
        "{took:?}"
    );
}

#[tokio::test]
async fn sts_text_is_sanitised_and_a_failing_2xx_is_an_error() {
    let srv = Server::default().await;
    let secret = "secret-attr-0001";
    // The source secret sits where the 512-character bound cuts the message.
    let message = format!("{}{secret} tail", "m".repeat(505));
    let body = json!({"Code": EVIL, "Message": message, "RequestId": format!("R\u{1b}[2J")});
    srv.misbehave("/", Answer(StatusCode::FORBIDDEN, body.to_string()));
    let r = assume_role(&srv).await;
    let (err, _) = failing("sts error", &[secret], r.provider.credentials()).await;
    let prefix = format!(
        "assuming role acs:ram::1:role/deployer: STS AssumeRole at {} failed: ",
        srv.base
    );
    assert_eq!(
        err,
        format!(
            "{prefix}{EVIL_SHOWN} (HTTP 403): {}<redact…[cut]. RequestId: R\u{fffd}[2J.",
            "m".repeat(505)
        )
    );

    // A 2xx carrying an error Code, or `Success: false`, next to working credentials.
    let creds = json!({"AccessKeyId": "STS.z", "AccessKeySecret": "sts-leak-secret",
        "SecurityToken": "sts-leak-token", "Expiration": "2999-01-01T00:00:00Z"});
    for (name, body) in [
        (
            "code",
            json!({"Code": "Forbidden.RAM", "Message": "denied", "RequestId": "R1", "Credentials": creds}),
        ),
        (
            "success",
            json!({"Success": false, "RequestId": "R2", "Credentials": creds}),
        ),
    ] {
        srv.misbehave("/", Answer(StatusCode::OK, body.to_string()));
        let r = assume_role(&srv).await;
        let secrets = [secret, "sts-leak-secret", "sts-leak-token"];
        let (err, _) = failing(name, &secrets, r.provider.credentials()).await;
        assert!(err.starts_with(&prefix), "{name}: {err}");
        assert!(err.contains("HTTP 200"), "{name}: {err}");
    }
}
