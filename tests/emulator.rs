// SPDX-License-Identifier: MPL-2.0
//! End-to-end tests of the emulator: requests signed with ehpc::alibaba::signer (and the
//! reference's fixed vectors) driven through `emulator::app` with `oneshot`, plus real-socket
//! tests for dropped connections and the `ehpc-emulator` binary (ready line, SIGTERM, --state).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use axum::Router;
use ehpc::alibaba::signer::{self, V3Request};
use ehpc::emulator::{self, AppState, EmulatorConfig, FaultConfig, DEFAULT_REGIONS};
use serde_json::Value;
use time::macros::{datetime, format_description};
use time::OffsetDateTime;
use tower::ServiceExt as _;

const APP: &str = "ci-vm-rYfypJKwlN9Y";
const HOST: &str = "ehpcinstant.cn-hangzhou.aliyuncs.com";
const VECTOR_TIME: OffsetDateTime = datetime!(2024-05-01 08:00:00 UTC);
const VECTOR_NONCE: &str = "c0ffee00c0ffee00c0ffee00c0ffee00";

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_credential("testid", "testsecret")
        .with_app(APP)
}

/// A router whose clock is `base` plus the returned offset (seconds), adjustable by the test.
fn router_at(config: EmulatorConfig, base: OffsetDateTime) -> (Router, Arc<AtomicI64>) {
    let offset = Arc::new(AtomicI64::new(0));
    let clock_offset = offset.clone();
    let state = AppState::new(config)
        .expect("state")
        .with_clock(Arc::new(move || {
            base + time::Duration::seconds(clock_offset.load(Ordering::SeqCst))
        }));
    (emulator::app(state), offset)
}

fn router(config: EmulatorConfig) -> Router {
    router_at(config, OffsetDateTime::now_utc()).0
}

fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .expect("format")
}

fn nonce() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-nonce-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The current SDK's V2 parameter set, unsigned.
fn v2_params(
    action: &str,
    version: &str,
    key: &str,
    at: OffsetDateTime,
    extra: &[(&str, &str)],
) -> BTreeMap<String, String> {
    let mut p = map(&[
        ("Action", action),
        ("Version", version),
        ("Format", "json"),
        ("AccessKeyId", key),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce()),
        ("Timestamp", &timestamp(at)),
    ]);
    p.extend(map(extra));
    p
}

fn sync_params(
    key: &str,
    at: OffsetDateTime,
    regions: &str,
    extra: &[(&str, &str)],
) -> BTreeMap<String, String> {
    // Business parameters first, so `extra` can override them.
    let mut all = vec![("AppId", APP), ("TargetRegionIds", regions)];
    all.extend_from_slice(extra);
    v2_params("SynchronizeApp", "2023-07-01", key, at, &all)
}

fn signed(
    method: &str,
    mut params: BTreeMap<String, String>,
    secret: &str,
) -> BTreeMap<String, String> {
    let sts = signer::string_to_sign_v2(method, &params);
    params.insert("Signature".into(), signer::sign_v2(secret, &sts));
    params
}

fn v2_request(method: &str, params: &BTreeMap<String, String>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(format!("/?{}", signer::canonical_query(params)))
        .header("host", HOST)
        .body(Body::empty())
        .expect("request")
}

fn v3_request(
    query: &BTreeMap<String, String>,
    key: &str,
    secret: &str,
    token: Option<&str>,
    at: OffsetDateTime,
) -> Request<Body> {
    let mut headers = map(&[
        ("host", HOST),
        ("x-acs-action", "SynchronizeApp"),
        ("x-acs-version", "2023-07-01"),
        ("x-acs-content-sha256", &signer::hex_sha256(b"")),
        ("x-acs-date", &timestamp(at)),
        ("x-acs-signature-nonce", &nonce()),
    ]);
    if let Some(token) = token {
        headers.insert("x-acs-security-token".into(), token.into());
    }
    let auth = V3Request {
        method: "POST",
        query,
        headers: &headers,
        body: b"",
    }
    .authorization(key, secret);
    let mut builder = Request::builder()
        .method("POST")
        .uri(format!("/?{}", signer::canonical_query(query)))
        .header("authorization", auth);
    for (k, v) in &headers {
        builder = builder.header(k, v);
    }
    builder.body(Body::empty()).expect("request")
}

struct Reply {
    status: u16,
    headers: HeaderMap,
    json: Value,
}

impl Reply {
    fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or("")
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    Reply {
        status,
        headers,
        json,
    }
}

async fn get_json(app: &Router, path: &str) -> Value {
    send(
        app,
        Request::get(path).body(Body::empty()).expect("request"),
    )
    .await
    .json
}

async fn json_of(resp: reqwest::Response) -> Value {
    let body = resp.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("json body")
}

fn is_request_id(id: &str) -> bool {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
        && id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('A'..='F').contains(&c))
}

#[tokio::test]
async fn v2_c_vector_is_accepted_at_the_vector_time() {
    let (app, _) = router_at(config(), VECTOR_TIME);
    let mut p = sync_params(
        "testid",
        VECTOR_TIME,
        r#"["cn-shanghai","cn-beijing"]"#,
        &[],
    );
    p.insert("SignatureNonce".into(), VECTOR_NONCE.into());
    p.insert("Signature".into(), "QG6zdIRewUgBxgQ9n9ChMGwx/x8=".into());
    let reply = send(&app, v2_request("POST", &p)).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert!(is_request_id(
        reply.json["RequestId"].as_str().unwrap_or("")
    ));
    assert_eq!(
        get_json(&app, "/_emulator/apps").await[APP],
        serde_json::json!(["cn-beijing", "cn-shanghai"])
    );
}

fn v2_d_params(regions: &str) -> BTreeMap<String, String> {
    let mut p = sync_params(
        "testid",
        VECTOR_TIME,
        regions,
        &[("RegionId", "cn-hangzhou"), ("SignatureType", "")],
    );
    p.insert("Format".into(), "JSON".into());
    p.insert("SignatureNonce".into(), VECTOR_NONCE.into());
    p
}

#[tokio::test]
async fn v2_d_old_core_parameter_set_is_accepted_in_query_and_form_body() {
    let (app, _) = router_at(config(), VECTOR_TIME);
    let mut p = v2_d_params(r#"["cn-shanghai", "cn-beijing"]"#);
    p.insert("Signature".into(), "aX6e/XBvDiMSQJZsQcx9y0x//F0=".into());
    let reply = send(&app, v2_request("POST", &p)).await;
    assert_eq!(reply.status, 200, "{}", reply.json);

    // Same set, compact JSON in a form body: needs a fresh emulator (same nonce, same regions).
    let (app, _) = router_at(config(), VECTOR_TIME);
    let mut query = v2_d_params("");
    query.remove("TargetRegionIds");
    query.insert("Signature".into(), "0mE2w7m/Gs7jPvu/fP5UMAN+xQ8=".into());
    let form = signer::canonical_query(&map(&[(
        "TargetRegionIds",
        r#"["cn-shanghai","cn-beijing"]"#,
    )]));
    let req = Request::post(format!("/?{}", signer::canonical_query(&query)))
        .header("host", HOST)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .expect("request");
    let reply = send(&app, req).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(
        get_json(&app, "/_emulator/apps").await[APP],
        serde_json::json!(["cn-beijing", "cn-shanghai"])
    );
}

#[tokio::test]
async fn v3_synchronize_app_vector_is_accepted() {
    let (app, _) = router_at(config(), VECTOR_TIME);
    let query = map(&[
        ("AppId", APP),
        ("TargetRegionIds", r#"["cn-shanghai","cn-beijing"]"#),
    ]);
    let mut req = v3_request(&query, "testid", "testsecret", None, VECTOR_TIME);
    let headers = req.headers_mut();
    headers.insert(
        "x-acs-signature-nonce",
        VECTOR_NONCE.parse().expect("header"),
    );
    headers.insert(
        "authorization",
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=2b422d5c50f04af1bd6b0b29987035bfe18e30e8bfd29de23bf41f682b9f4be3"
            .parse()
            .expect("header"),
    );
    let reply = send(&app, req).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
}

/// (case name, HTTP method, parameters, expected status, expected code)
type V2Case = (
    &'static str,
    &'static str,
    BTreeMap<String, String>,
    u16,
    &'static str,
);

#[tokio::test]
async fn gateway_rejections_have_the_right_code_and_status() {
    let now = OffsetDateTime::now_utc();
    let ok = || sync_params("testid", now, r#"["cn-beijing"]"#, &[]);
    let mut tampered = signed("POST", ok(), "testsecret");
    tampered.insert("AppId".into(), "ci-other".into());
    let mut unsigned_nonce = ok();
    unsigned_nonce.remove("SignatureNonce");
    let no_signature = ok();
    let v2_cases: Vec<V2Case> = vec![
        (
            "wrong secret",
            "POST",
            signed("POST", ok(), "nope"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "tampered parameter",
            "POST",
            tampered,
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "GET-signed sent as POST",
            "POST",
            signed("GET", ok(), "testsecret"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "unknown key",
            "POST",
            signed(
                "POST",
                sync_params("ghost", now, r#"["cn-beijing"]"#, &[]),
                "x",
            ),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (
            "stale timestamp",
            "POST",
            signed(
                "POST",
                sync_params(
                    "testid",
                    now - time::Duration::minutes(16),
                    r#"["cn-beijing"]"#,
                    &[],
                ),
                "testsecret",
            ),
            400,
            "InvalidTimeStamp.Expired",
        ),
        (
            "bad timestamp",
            "POST",
            signed(
                "POST",
                sync_params("testid", now, "[]", &[("Timestamp", "yesterday")]),
                "testsecret",
            ),
            400,
            "InvalidTimeStamp.Format",
        ),
        (
            "missing nonce",
            "POST",
            signed("POST", unsigned_nonce, "testsecret"),
            400,
            "MissingParameter",
        ),
        (
            "missing signature",
            "POST",
            no_signature,
            400,
            "IncompleteSignature",
        ),
        (
            "unknown action",
            "POST",
            signed(
                "POST",
                v2_params("DeleteApp", "2023-07-01", "testid", now, &[]),
                "testsecret",
            ),
            404,
            "InvalidApi.NotFound",
        ),
        (
            "unknown version",
            "POST",
            signed(
                "POST",
                v2_params("SynchronizeApp", "2018-04-12", "testid", now, &[]),
                "testsecret",
            ),
            404,
            "InvalidApi.NotFound",
        ),
        (
            "token with permanent key",
            "POST",
            signed(
                "POST",
                sync_params("testid", now, "[]", &[("SecurityToken", "CAIS")]),
                "testsecret",
            ),
            400,
            "InvalidSecurityToken.Malformed",
        ),
    ];
    let app = router(config());
    for (name, method, params, status, code) in v2_cases {
        let reply = send(&app, v2_request(method, &params)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{name}: {}",
            reply.json
        );
        let request_id = reply.json["RequestId"].as_str().unwrap_or("");
        assert!(is_request_id(request_id), "{name}");
        assert_eq!(reply.json["HostId"], HOST, "{name}");
        assert_eq!(
            reply.json["Recommend"],
            format!("https://api.aliyun.com/troubleshoot?q={code}&product=EhpcInstant&requestId={request_id}"),
            "{name}"
        );
        assert!(
            reply.json["Message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}"
        );
    }
    let wrong = send(&app, v2_request("POST", &signed("POST", ok(), "nope"))).await;
    assert!(wrong.json["Message"]
        .as_str()
        .unwrap_or("")
        .contains("server string to sign is:POST&%2F&AccessKeyId%3Dtestid"));

    let query = map(&[("AppId", APP), ("TargetRegionIds", r#"["cn-beijing"]"#)]);
    let mut bad_hash = v3_request(&query, "testid", "testsecret", None, now);
    bad_hash.headers_mut().insert(
        "x-acs-content-sha256",
        signer::hex_sha256(b"x").parse().expect("header"),
    );
    let mut unsigned_header = v3_request(&query, "testid", "testsecret", None, now);
    unsigned_header
        .headers_mut()
        .insert("x-acs-extra", "1".parse().expect("header"));
    let mut malformed = v3_request(&query, "testid", "testsecret", None, now);
    malformed.headers_mut().insert(
        "authorization",
        "ACS3-HMAC-SHA256 Credential=testid"
            .parse()
            .expect("header"),
    );
    let v3_cases = vec![
        (
            "v3 wrong secret",
            v3_request(&query, "testid", "nope", None, now),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "v3 unknown key",
            v3_request(&query, "ghost", "x", None, now),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (
            "v3 stale date",
            v3_request(
                &query,
                "testid",
                "testsecret",
                None,
                now - time::Duration::minutes(20),
            ),
            400,
            "InvalidTimeStamp.Expired",
        ),
        ("v3 body hash", bad_hash, 400, "IncompleteSignature"),
        (
            "v3 unsigned x-acs header",
            unsigned_header,
            400,
            "IncompleteSignature",
        ),
        (
            "v3 malformed authorization",
            malformed,
            400,
            "IncompleteSignature",
        ),
    ];
    for (name, req, status, code) in v3_cases {
        let reply = send(&app, req).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{name}: {}",
            reply.json
        );
    }
}

#[tokio::test]
async fn replayed_nonce_is_rejected() {
    let app = router(config());
    let params = signed(
        "POST",
        sync_params(
            "testid",
            OffsetDateTime::now_utc(),
            r#"["cn-beijing"]"#,
            &[],
        ),
        "testsecret",
    );
    assert_eq!(send(&app, v2_request("POST", &params)).await.status, 200);
    let replay = send(&app, v2_request("POST", &params)).await;
    assert_eq!((replay.status, replay.code()), (400, "SignatureNonceUsed"));
}

#[tokio::test]
async fn synchronize_app_semantics_and_inspection() {
    let app = router(config());
    let now = OffsetDateTime::now_utc();
    let call = |regions: &str, extra: &[(&str, &str)]| {
        v2_request(
            "POST",
            &signed(
                "POST",
                sync_params("testid", now, regions, extra),
                "testsecret",
            ),
        )
    };
    let cases: Vec<(&str, Request<Body>, u16, &str)> = vec![
        (
            "unknown app",
            call(r#"["cn-beijing"]"#, &[("AppId", "ci-unknown")]),
            404,
            "ImageNotFound",
        ),
        (
            "not a JSON array",
            call("cn-beijing", &[]),
            403,
            "InvalidParams",
        ),
        ("array of numbers", call("[1,2]", &[]), 403, "InvalidParams"),
        (
            "unknown region",
            call(r#"["mars-1"]"#, &[]),
            403,
            "InvalidParams",
        ),
        (
            "missing AppId",
            call(r#"["cn-beijing"]"#, &[("AppId", "")]),
            400,
            "MissingParameter",
        ),
        ("first sync", call(r#"["cn-shanghai"]"#, &[]), 200, ""),
        (
            "one region already holds it",
            call(r#"["cn-beijing","cn-shanghai"]"#, &[]),
            400,
            "ImageAlreadyExists",
        ),
    ];
    for (name, req, status, code) in cases {
        let reply = send(&app, req).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{name}: {}",
            reply.json
        );
        if code == "InvalidParams" {
            assert!(
                reply.json["Message"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("Invalid parameters:"),
                "{name}"
            );
        }
    }
    assert_eq!(
        get_json(&app, "/_emulator/apps").await,
        serde_json::json!({ APP: ["cn-shanghai"] })
    );

    let all = send(&app, call(r#"["all"]"#, &[])).await;
    assert_eq!(all.status, 200);
    let mut every: Vec<&str> = DEFAULT_REGIONS.to_vec();
    every.sort_unstable();
    assert_eq!(
        get_json(&app, "/_emulator/apps").await[APP],
        serde_json::json!(every)
    );
    let again = send(&app, call(r#"["all"]"#, &[])).await;
    assert_eq!((again.status, again.code()), (400, "ImageAlreadyExists"));

    let calls = get_json(&app, "/_emulator/calls").await;
    let calls = calls.as_array().expect("array");
    assert_eq!(calls.len(), 9);
    assert_eq!(
        calls[5],
        serde_json::json!({
            "action": "SynchronizeApp", "app_id": APP, "target_region_ids": ["cn-shanghai"],
            "request_id": calls[5]["request_id"], "status": 200, "code": null, "access_key_id": "testid",
        })
    );
    assert_eq!(calls[7]["request_id"], all.json["RequestId"]);
    assert_eq!(calls[0]["code"], "ImageNotFound");
    assert_eq!(calls[8]["code"], "ImageAlreadyExists");
    assert!(!calls.iter().any(|c| c.to_string().contains("testsecret")));
}

fn credentials_of(reply: &Reply) -> (String, String, String) {
    let c = &reply.json["Credentials"];
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    (s("AccessKeyId"), s("AccessKeySecret"), s("SecurityToken"))
}

#[tokio::test]
async fn sts_credentials_work_for_synchronize_app_and_expire() {
    let base = OffsetDateTime::now_utc();
    let (app, offset) = router_at(config(), base);
    let assume = v2_params(
        "AssumeRole",
        "2015-04-01",
        "testid",
        base,
        &[
            ("RoleArn", "acs:ram::123456:role/deployer"),
            ("RoleSessionName", "terraform"),
            ("DurationSeconds", "900"),
        ],
    );
    let reply = send(
        &app,
        v2_request("GET", &signed("GET", assume, "testsecret")),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(
        reply.json["AssumedRoleUser"]["Arn"],
        "acs:ram::123456:assumed-role/deployer/terraform"
    );
    assert_eq!(
        reply.json["Credentials"]["Expiration"],
        timestamp(base + time::Duration::seconds(900))
    );
    let (id, secret, token) = credentials_of(&reply);
    assert!(id.starts_with("STS."));

    let with_token = |regions: &str, tok: &str| {
        signed(
            "POST",
            sync_params(&id, base, regions, &[("SecurityToken", tok)]),
            &secret,
        )
    };
    assert_eq!(
        send(
            &app,
            v2_request("POST", &with_token(r#"["cn-beijing"]"#, &token))
        )
        .await
        .status,
        200
    );
    let query = map(&[("AppId", APP), ("TargetRegionIds", r#"["cn-shanghai"]"#)]);
    let v3 = send(&app, v3_request(&query, &id, &secret, Some(&token), base)).await;
    assert_eq!(v3.status, 200, "{}", v3.json);

    let no_token = signed(
        "POST",
        sync_params(&id, base, r#"["cn-hangzhou"]"#, &[]),
        &secret,
    );
    assert_eq!(
        send(&app, v2_request("POST", &no_token)).await.code(),
        "MissingSecurityToken"
    );
    let bad = send(
        &app,
        v2_request("POST", &with_token(r#"["cn-hangzhou"]"#, "CAISforged")),
    )
    .await;
    assert_eq!(
        (bad.status, bad.code()),
        (400, "InvalidSecurityToken.Malformed")
    );

    offset.store(901, Ordering::SeqCst);
    let later = base + time::Duration::seconds(901);
    let expired = signed(
        "POST",
        sync_params(
            &id,
            later,
            r#"["cn-hangzhou"]"#,
            &[("SecurityToken", &token)],
        ),
        &secret,
    );
    let reply = send(&app, v2_request("POST", &expired)).await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidSecurityToken.Expired")
    );
}

#[tokio::test]
async fn assume_role_with_oidc_is_unsigned_and_validated() {
    let app = router(config());
    let oidc = |extra: &[(&str, &str)]| {
        let mut p = map(&[
            ("Action", "AssumeRoleWithOIDC"),
            ("Version", "2015-04-01"),
            ("Format", "JSON"),
            ("RoleArn", "acs:ram::123456:role/ci"),
            ("OIDCProviderArn", "acs:ram::123456:oidc-provider/gh"),
            ("OIDCToken", "eyJhbGciOi.payload.sig"),
            ("RoleSessionName", "ci"),
        ]);
        p.extend(map(extra));
        v2_request("POST", &p)
    };
    let cases = vec![
        (
            "missing token",
            oidc(&[("OIDCToken", "")]),
            400,
            "MissingParameter",
        ),
        (
            "missing provider",
            oidc(&[("OIDCProviderArn", "")]),
            400,
            "MissingParameter",
        ),
        (
            "duration too short",
            oidc(&[("DurationSeconds", "100")]),
            400,
            "InvalidParameter.DurationSeconds",
        ),
        (
            "bad role arn",
            oidc(&[("RoleArn", "deployer")]),
            400,
            "InvalidParameter.RoleArn",
        ),
    ];
    for (name, req, status, code) in cases {
        let reply = send(&app, req).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{name}: {}",
            reply.json
        );
    }
    let reply = send(&app, oidc(&[])).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let (id, secret, token) = credentials_of(&reply);
    let now = OffsetDateTime::now_utc();
    let sync = signed(
        "POST",
        sync_params(&id, now, r#"["cn-beijing"]"#, &[("SecurityToken", &token)]),
        &secret,
    );
    assert_eq!(send(&app, v2_request("POST", &sync)).await.status, 200);
}

#[tokio::test]
async fn ecs_metadata_imdsv2_flow() {
    let app = router(config());
    let get = |path: &str, token: Option<&str>| {
        let mut b = Request::get(path);
        if let Some(t) = token {
            b = b.header("x-aliyun-ecs-metadata-token", t);
        }
        b.body(Body::empty()).expect("request")
    };
    let roles = "/latest/meta-data/ram/security-credentials/";
    assert_eq!(
        send(&app, get(roles, None)).await.status,
        200,
        "IMDSv1 before any token"
    );
    let no_ttl = send(
        &app,
        Request::put("/latest/api/token")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(no_ttl.status, 400);
    let token_req = Request::put("/latest/api/token")
        .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
        .body(Body::empty())
        .expect("request");
    let token = send(&app, token_req).await;
    assert_eq!(token.status, 200);
    let token = token.json.as_str().expect("text token").to_string();
    assert_eq!(
        send(&app, get(roles, None)).await.status,
        401,
        "token now required"
    );
    assert_eq!(send(&app, get(roles, Some("forged"))).await.status, 401);
    let role = send(&app, get(roles, Some(&token))).await;
    assert_eq!(
        role.json,
        Value::String(emulator::DEFAULT_ECS_ROLE.to_string())
    );
    let missing = send(&app, get(&format!("{roles}other-role"), Some(&token))).await;
    assert_eq!(missing.status, 404);
    let creds = send(
        &app,
        get(
            &format!("{roles}{}", emulator::DEFAULT_ECS_ROLE),
            Some(&token),
        ),
    )
    .await;
    assert_eq!(creds.json["Code"], "Success");
    for key in ["Expiration", "LastUpdated"] {
        assert!(
            creds.json[key].as_str().is_some_and(|v| v.ends_with('Z')),
            "{key}"
        );
    }
    let s = |k: &str| creds.json[k].as_str().unwrap_or_default().to_string();
    let now = OffsetDateTime::now_utc();
    let sync = signed(
        "POST",
        sync_params(
            &s("AccessKeyId"),
            now,
            r#"["cn-beijing"]"#,
            &[("SecurityToken", &s("SecurityToken"))],
        ),
        &s("AccessKeySecret"),
    );
    assert_eq!(send(&app, v2_request("POST", &sync)).await.status, 200);
}

fn with_faults(faults: FaultConfig) -> Router {
    router(EmulatorConfig {
        faults: FaultConfig {
            seed: Some(42),
            ..faults
        },
        ..config()
    })
}

fn good_call() -> Request<Body> {
    v2_request(
        "POST",
        &signed(
            "POST",
            sync_params("testid", OffsetDateTime::now_utc(), r#"["all"]"#, &[]),
            "testsecret",
        ),
    )
}

#[tokio::test]
async fn fail_rate_one_answers_service_unavailable() {
    let app = with_faults(FaultConfig {
        fail_rate: 1.0,
        ..Default::default()
    });
    let reply = send(&app, good_call()).await;
    assert_eq!((reply.status, reply.code()), (503, "ServiceUnavailable"));
    assert_eq!(
        get_json(&app, "/_emulator/calls").await[0]["code"],
        "ServiceUnavailable"
    );
    assert_eq!(
        get_json(&app, "/_emulator/apps").await[APP],
        serde_json::json!([])
    );
}

/// On tokio's paused clock, which the token bucket reads: no time passes between calls
/// unless the test advances it.
#[tokio::test(start_paused = true)]
async fn throttle_answers_throttling_user_with_retry_after() {
    // Two emulators with the same 2 calls/s budget, both spent at the same instant.
    let mut apps = Vec::new();
    for _ in 0..2 {
        let app = with_faults(FaultConfig {
            throttle_rps: Some(2.0),
            ..Default::default()
        });
        // A full bucket holds one second of calls. (Admitted repeats of the same sync are
        // answered `ImageAlreadyExists`: what counts is that they got past the bucket.)
        assert_eq!(send(&app, good_call()).await.status, 200);
        assert_eq!(send(&app, good_call()).await.code(), "ImageAlreadyExists");
        let reply = send(&app, good_call()).await;
        assert_eq!((reply.status, reply.code()), (400, "Throttling.User"));
        let retry_after: u64 = reply.headers["x-acs-retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("ms");
        assert_eq!(retry_after, 500, "one token accrues in 1/rps");
        apps.push(app);
    }
    // The hint is exact: a millisecond short of it the first emulator still refuses, once it
    // has passed the second (untouched since) admits the call.
    let ms = std::time::Duration::from_millis;
    tokio::time::advance(ms(499)).await;
    assert_eq!(send(&apps[0], good_call()).await.code(), "Throttling.User");
    tokio::time::advance(ms(1)).await;
    assert_eq!(
        send(&apps[1], good_call()).await.code(),
        "ImageAlreadyExists"
    );
}

/// On tokio's paused clock: the injected sleep ends as soon as the runtime is idle, and
/// `Instant` reports how long it was (rounded up to tokio's 1 ms timer tick).
#[tokio::test(start_paused = true)]
async fn latency_delays_the_answer() {
    let app = with_faults(FaultConfig {
        latency_ms: 200,
        ..Default::default()
    });
    let start = tokio::time::Instant::now();
    assert_eq!(send(&app, good_call()).await.status, 200);
    let delayed = start.elapsed();
    let ms = std::time::Duration::from_millis;
    assert!((ms(200)..=ms(201)).contains(&delayed), "{delayed:?}");
}

#[tokio::test]
async fn drop_rate_one_closes_the_connection_without_response() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let app = with_faults(FaultConfig {
        drop_rate: 1.0,
        ..Default::default()
    });
    assert_eq!(
        send(&app, good_call()).await.status,
        444,
        "in-process marker"
    );

    let state = AppState::new(EmulatorConfig {
        faults: FaultConfig {
            drop_rate: 1.0,
            ..Default::default()
        },
        ..config()
    })
    .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(emulator::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let params = signed(
        "POST",
        sync_params("testid", OffsetDateTime::now_utc(), r#"["all"]"#, &[]),
        "testsecret",
    );
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n",
        signer::canonical_query(&params)
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    // EOF or a reset both mean "closed"; what matters is that no byte of a response arrived.
    let _ = socket.read_to_end(&mut received).await;
    assert!(
        received.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&received)
    );

    let calls: Value = json_of(
        reqwest::get(format!("http://{addr}/_emulator/calls"))
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(calls[0]["code"], "ConnectionDropped");
    let _ = stop.send(());
    server.await.expect("join").expect("serve");
}

#[tokio::test]
async fn drop_after_apply_records_the_regions_and_sends_no_answer() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let state = AppState::new(EmulatorConfig {
        faults: FaultConfig {
            drop_after_apply_rate: 1.0,
            ..Default::default()
        },
        ..config()
    })
    .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(emulator::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let params = signed(
        "POST",
        sync_params(
            "testid",
            OffsetDateTime::now_utc(),
            r#"["cn-beijing","cn-shanghai"]"#,
            &[],
        ),
        "testsecret",
    );
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n",
        signer::canonical_query(&params)
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    // EOF or a reset both mean "closed"; what matters is that no byte of the answer arrived.
    let _ = socket.read_to_end(&mut received).await;
    assert!(
        received.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&received)
    );

    let apps: Value = json_of(
        reqwest::get(format!("http://{addr}/_emulator/apps"))
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(apps[APP], serde_json::json!(["cn-beijing", "cn-shanghai"]));
    let calls: Value = json_of(
        reqwest::get(format!("http://{addr}/_emulator/calls"))
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(calls[0]["status"], 200, "the real outcome: {calls}");
    assert_eq!(calls[0]["code"], "ConnectionDroppedAfterApply", "{calls}");
    let _ = stop.send(());
    server.await.expect("join").expect("serve");
}

mod binary {
    use super::*;
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
    use tokio::process::{Child, ChildStdout, Command};

    async fn start(state_file: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ehpc-emulator"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--credential",
                "testid:testsecret",
                "--app",
                APP,
                "--region",
                "cn-beijing",
                "--region",
                "cn-shanghai",
                "--state",
            ])
            .arg(state_file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).await.expect("read ready line");
        let url = line
            .trim_end()
            .strip_prefix("listening on ")
            .expect("ready line")
            .to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        (child, stdout, url)
    }

    async fn terminate(mut child: Child, mut stdout: BufReader<ChildStdout>) {
        let pid = child.id().expect("pid").to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .expect("kill");
        assert!(killed.success());
        let status = child.wait().await.expect("wait");
        assert!(status.success(), "exit status {status:?}");
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).await.expect("read rest");
        assert_eq!(rest, "", "exactly one stdout line");
    }

    async fn sync(url: &str, regions: &str) -> (u16, Value) {
        let params = signed(
            "POST",
            sync_params("testid", OffsetDateTime::now_utc(), regions, &[]),
            "testsecret",
        );
        let resp = reqwest::Client::new()
            .post(format!("{url}/?{}", signer::canonical_query(&params)))
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (status, json_of(resp).await)
    }

    #[tokio::test]
    async fn state_survives_a_restart_and_sigterm_exits_zero() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state_file = dir.path().join("state.json");

        let (child, stdout, url) = start(&state_file).await;
        let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
        assert_eq!(status, 200, "{body}");
        terminate(child, stdout).await;

        let (child, stdout, url) = start(&state_file).await;
        let apps: Value = json_of(
            reqwest::get(format!("{url}/_emulator/apps"))
                .await
                .expect("get"),
        )
        .await;
        assert_eq!(apps, serde_json::json!({ APP: ["cn-beijing"] }));
        let (status, body) = sync(&url, r#"["all"]"#).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
        assert_eq!(
            (status, body["Code"].as_str()),
            (400, Some("ImageAlreadyExists"))
        );
        terminate(child, stdout).await;
    }
}
