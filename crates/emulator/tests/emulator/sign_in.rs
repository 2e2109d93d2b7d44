// SPDX-License-Identifier: MPL-2.0
//! The sign-in token exchanges over real HTTP: CloudSSO `POST /cloud-credentials` and OAuth
//! `POST /v1/exchange` (credential shapes, credentials that then sign SynchronizeApp, refusals),
//! their call-log records (token only among the secrets), and the binary's token flags.

use ehpc_emulator::EmulatorConfig;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::io::AsyncReadExt as _;
use tokio::process::Command;

use crate::common::{
    config, is_request_id, json_of, ready_url, serve, sync_over_http, terminate, APP,
};

const SSO_TOKEN: &str = "sso-access-token-5Kq2vX";
const OAUTH_TOKEN: &str = "oauth-access-token-R8mW4z";
const GOOD_BODY: &str = r#"{"AccountId": "1234567890", "AccessConfigurationId": "ac-00aa11"}"#;

fn with_tokens() -> EmulatorConfig {
    EmulatorConfig {
        sso_tokens: vec![SSO_TOKEN.into()],
        oauth_tokens: vec![OAUTH_TOKEN.into()],
        ..config()
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `POST /cloud-credentials` as the credentials SDK sends it, with this `Authorization`.
async fn sso(url: &str, authorization: Option<String>, body: &str) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{url}/cloud-credentials"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(value) = authorization {
        req = req.header("Authorization", value);
    }
    let resp = req.send().await.expect("send");
    (resp.status().as_u16(), json_of(resp).await)
}

/// `POST /v1/exchange` with no body and this `Authorization`.
async fn oauth(url: &str, authorization: Option<String>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{url}/v1/exchange"))
        .header("Content-Type", "application/json");
    if let Some(value) = authorization {
        req = req.header("Authorization", value);
    }
    let resp = req.send().await.expect("send");
    (resp.status().as_u16(), json_of(resp).await)
}

fn text(value: &Value, key: &str) -> String {
    let field = value[key].as_str().unwrap_or_default();
    assert!(!field.is_empty(), "{key} in {value}");
    field.to_string()
}

/// Checks an `Expiration` is UTC `...Z` about one hour from now.
fn assert_one_hour(expiration: &str) {
    assert!(expiration.ends_with('Z'), "{expiration}");
    let at = OffsetDateTime::parse(expiration, &Rfc3339).expect("RFC 3339 expiration");
    let left = at - OffsetDateTime::now_utc();
    assert!(
        (time::Duration::minutes(59)..=time::Duration::minutes(61)).contains(&left),
        "{expiration}"
    );
}

/// Checks issued credentials (their fields named by `keys`: key id, secret, security token,
/// expiration) are STS ones that expire in an hour and sign a SynchronizeApp to `region`.
async fn assert_signs_synchronize_app(url: &str, cred: &Value, keys: [&str; 4], region: &str) {
    let [id, secret, token, expiration] = keys.map(|key| text(cred, key));
    assert!(id.starts_with("STS."), "{id}");
    assert_one_hour(&expiration);
    let sync = sync_over_http(
        url,
        (&id, &secret),
        &format!("[\"{region}\"]"),
        &[("SecurityToken", &token)],
    )
    .await;
    assert_eq!(sync.0, 200, "{}", sync.1);
}

fn assert_error_body(name: &str, body: &Value, code: &str) {
    assert_eq!(body["ErrorCode"], code, "{name}: {body}");
    assert!(body["ErrorMessage"].as_str().is_some(), "{name}: {body}");
    assert!(is_request_id(&text(body, "RequestId")), "{name}: {body}");
    assert!(
        !body.to_string().contains(SSO_TOKEN),
        "{name}: token echoed"
    );
}

#[tokio::test]
async fn cloud_sso_exchange_issues_credentials_that_sign_synchronize_app() {
    let served = serve(with_tokens()).await;
    let (status, body) = sso(&served.url, Some(bearer(SSO_TOKEN)), GOOD_BODY).await;
    assert_eq!(status, 200, "{body}");
    assert!(is_request_id(&text(&body, "RequestId")), "{body}");
    let keys = [
        "AccessKeyId",
        "AccessKeySecret",
        "SecurityToken",
        "Expiration",
    ];
    assert_signs_synchronize_app(&served.url, &body["CloudCredential"], keys, "cn-beijing").await;
    served.stop().await;
}

#[tokio::test]
async fn cloud_sso_refuses_bad_tokens_and_bodies() {
    let served = serve(with_tokens()).await;
    let token_cases = [
        ("wrong token", Some(bearer("nope")), GOOD_BODY),
        ("no authorization", None, GOOD_BODY),
        ("empty bearer", Some("Bearer ".into()), GOOD_BODY),
        ("not bearer", Some(format!("Basic {SSO_TOKEN}")), GOOD_BODY),
        ("oauth token", Some(bearer(OAUTH_TOKEN)), GOOD_BODY),
        ("token checked first", Some(bearer("nope")), "x"),
    ];
    for (name, authorization, body) in token_cases {
        let (status, reply) = sso(&served.url, authorization, body).await;
        assert_eq!(status, 401, "{name}: {reply}");
        assert_error_body(name, &reply, "InvalidAccessToken");
    }
    let body_cases = [
        ("not json", "AccountId=1"),
        ("empty body", ""),
        ("array", "[]"),
        ("no AccountId", r#"{"AccessConfigurationId": "ac-1"}"#),
        (
            "empty id",
            r#"{"AccountId": "1", "AccessConfigurationId": ""}"#,
        ),
        (
            "numeric id",
            r#"{"AccountId": 1, "AccessConfigurationId": "ac-1"}"#,
        ),
    ];
    for (name, body) in body_cases {
        let (status, reply) = sso(&served.url, Some(bearer(SSO_TOKEN)), body).await;
        assert_eq!(status, 400, "{name}: {reply}");
        assert_error_body(name, &reply, "InvalidParameter");
    }
    let (got, reply) = sso(&served.url, Some(format!("bearer {SSO_TOKEN}")), GOOD_BODY).await;
    assert_eq!(got, 200, "scheme is case-insensitive: {reply}");
    served.stop().await;
}

#[tokio::test]
async fn oauth_exchange_issues_credentials_that_sign_synchronize_app() {
    let served = serve(with_tokens()).await;
    let (status, body) = oauth(&served.url, Some(bearer(OAUTH_TOKEN))).await;
    assert_eq!(status, 200, "{body}");
    assert!(is_request_id(&text(&body, "requestId")), "{body}");
    let keys = [
        "accessKeyId",
        "accessKeySecret",
        "securityToken",
        "expiration",
    ];
    assert_signs_synchronize_app(&served.url, &body, keys, "cn-shanghai").await;
    served.stop().await;
}

#[tokio::test]
async fn oauth_exchange_refuses_bad_tokens() {
    let served = serve(with_tokens()).await;
    for (name, authorization) in [
        ("wrong token", Some(bearer("nope"))),
        ("no authorization", None),
        ("sso token", Some(bearer(SSO_TOKEN))),
        ("not bearer", Some(OAUTH_TOKEN.to_string())),
    ] {
        let (status, body) = oauth(&served.url, authorization).await;
        assert_eq!(status, 401, "{name}: {body}");
        assert_error_body(name, &body, "InvalidAccessToken");
        assert!(
            !body.to_string().contains(OAUTH_TOKEN),
            "{name}: token echoed"
        );
    }
    served.stop().await;
}

#[tokio::test]
async fn without_configured_tokens_every_exchange_is_refused() {
    let served = serve(config()).await;
    for token in [SSO_TOKEN, OAUTH_TOKEN, ""] {
        assert_eq!(
            sso(&served.url, Some(bearer(token)), GOOD_BODY).await.0,
            401
        );
        assert_eq!(oauth(&served.url, Some(bearer(token))).await.0, 401);
    }
    served.stop().await;
}

#[tokio::test]
async fn exchanges_are_logged_with_the_token_only_among_secrets() {
    let served = serve(with_tokens()).await;
    let url = &served.url;
    assert_eq!(sso(url, Some(bearer(SSO_TOKEN)), GOOD_BODY).await.0, 200);
    assert_eq!(sso(url, Some(bearer("wrong-sso")), GOOD_BODY).await.0, 401);
    assert_eq!(sso(url, Some(bearer(SSO_TOKEN)), "{}").await.0, 400);
    assert_eq!(oauth(url, Some(bearer(OAUTH_TOKEN))).await.0, 200);
    assert_eq!(oauth(url, None).await.0, 401);

    let get = |query: &str| reqwest::get(format!("{url}/_emulator/calls{query}"));
    let calls = json_of(get("").await.expect("get")).await;
    let listed = calls.to_string();
    for secret in [SSO_TOKEN, OAUTH_TOKEN, "wrong-sso"] {
        assert!(!listed.contains(secret), "{secret} in default listing");
    }
    let calls = calls.as_array().expect("array").clone();
    let sso_action = "CloudSSO.CreateCloudCredential";
    let count = |action: &str| calls.iter().filter(|c| c["action"] == action).count();
    assert_eq!(
        (count(sso_action), count("OAuth.Exchange")),
        (3, 2),
        "{listed}"
    );
    let outcomes: Vec<Value> = calls
        .iter()
        .map(|c| json!([c["action"], c["status"], c["code"], c["access_key_id"]]))
        .collect();
    assert_eq!(
        outcomes,
        [
            json!([sso_action, 200, null, null]),
            json!([sso_action, 401, "InvalidAccessToken", null]),
            json!([sso_action, 400, "InvalidParameter", null]),
            json!(["OAuth.Exchange", 200, null, null]),
            json!(["OAuth.Exchange", 401, "InvalidAccessToken", null]),
        ]
    );
    assert!(calls.iter().all(|c| is_request_id(&text(c, "request_id"))));

    let secrets = json_of(get("?secrets=true").await.expect("get")).await;
    let tokens: Vec<&Value> = secrets
        .as_array()
        .expect("array")
        .iter()
        .map(|c| &c["security_token"])
        .collect();
    let expected = [
        json!(SSO_TOKEN),
        json!("wrong-sso"),
        json!(SSO_TOKEN),
        json!(OAUTH_TOKEN),
        Value::Null,
    ];
    assert_eq!(tokens, expected.iter().collect::<Vec<_>>());
    served.stop().await;
}

#[tokio::test]
async fn binary_takes_token_flags_and_config_keys_and_never_logs_tokens() {
    let bin = env!("CARGO_BIN_EXE_ehpc-emulator");
    let empty = Command::new(bin)
        .args(["--sso-token", ""])
        .output()
        .await
        .expect("run emulator");
    assert!(!empty.status.success(), "an empty --sso-token is refused");

    let dir = tempfile::tempdir().expect("tempdir");
    let config_file = dir.path().join("emulator.json");
    let from_file = "oauth-from-config-file-T3bn";
    std::fs::write(
        &config_file,
        json!({ "oauth_tokens": [from_file] }).to_string(),
    )
    .expect("write config");
    let mut child = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--credential",
            "testid:testsecret",
        ])
        .args([
            "--app",
            APP,
            "--sso-token",
            SSO_TOKEN,
            "--oauth-token",
            OAUTH_TOKEN,
        ])
        .arg("--config")
        .arg(&config_file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn emulator");
    let mut stderr = child.stderr.take().expect("stderr");
    let logs = tokio::spawn(async move {
        let mut text = String::new();
        stderr.read_to_string(&mut text).await.expect("read stderr");
        text
    });
    let (url, _stdout) = ready_url(&mut child).await;
    let url = url.as_str();

    assert_eq!(sso(url, Some(bearer(SSO_TOKEN)), GOOD_BODY).await.0, 200);
    assert_eq!(sso(url, Some(bearer("wrong-sso")), GOOD_BODY).await.0, 401);
    assert_eq!(oauth(url, Some(bearer(OAUTH_TOKEN))).await.0, 200);
    assert_eq!(
        oauth(url, Some(bearer(from_file))).await.0,
        200,
        "flags add to --config"
    );

    assert!(terminate(&mut child).await.success());
    let logs = logs.await.expect("join");
    assert!(logs.contains("CloudSSO.CreateCloudCredential"), "{logs}");
    for secret in [SSO_TOKEN, OAUTH_TOKEN, from_file, "wrong-sso"] {
        assert!(!logs.contains(secret), "{secret} logged: {logs}");
    }
}
