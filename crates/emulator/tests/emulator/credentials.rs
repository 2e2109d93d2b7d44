// SPDX-License-Identifier: MPL-2.0
//! Temporary credentials: STS AssumeRole tokens (V2 and V3, expiry), unsigned
//! AssumeRoleWithOIDC validation, and the ECS metadata IMDSv2 flow.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use time::OffsetDateTime;

use crate::common::{
    config, map, router, router_at, send, signed, sync_params, timestamp, v2_params, v2_request,
    v3_request, Reply, APP,
};

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
        reply.assert_answer(status, code, name);
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
        Value::String(ehpc_emulator::DEFAULT_ECS_ROLE.to_string())
    );
    let missing = send(&app, get(&format!("{roles}other-role"), Some(&token))).await;
    assert_eq!(missing.status, 404);
    let creds = send(
        &app,
        get(
            &format!("{roles}{}", ehpc_emulator::DEFAULT_ECS_ROLE),
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

/// STS as the provider calls it: `POST /`, every parameter (signature and tokens included) in
/// an `application/x-www-form-urlencoded` body, the V2 signature computed for `POST`.
#[tokio::test]
async fn sts_accepts_every_parameter_in_a_post_form_body() {
    let base = OffsetDateTime::now_utc();
    let (app, _offset) = router_at(config(), base);
    let form = |params: &std::collections::BTreeMap<String, String>| {
        Request::builder()
            .method("POST")
            .uri("/")
            .header("host", crate::common::HOST)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(ehpc_alibaba::signer::canonical_query(params)))
            .expect("request")
    };
    let role = [
        ("RoleArn", "acs:ram::123456:role/deployer"),
        ("RoleSessionName", "terraform"),
    ];
    let assume = v2_params("AssumeRole", "2015-04-01", "testid", base, &role);
    let reply = send(&app, form(&signed("POST", assume.clone(), "testsecret"))).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let (id, secret, token) = credentials_of(&reply);
    // Chained: signed with those temporary credentials, their token in the body too.
    let mut chained = v2_params("AssumeRole", "2015-04-01", &id, base, &role);
    chained.insert("SecurityToken".into(), token);
    let reply = send(&app, form(&signed("POST", chained.clone(), &secret))).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    // A body signed as GET does not match a POST.
    let reply = send(&app, form(&signed("GET", assume, "testsecret"))).await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));
    let oidc = map(&[
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("RoleArn", "acs:ram::123456:role/ci"),
        ("OIDCProviderArn", "acs:ram::123456:oidc-provider/gh"),
        ("OIDCToken", "eyJhbGciOi.payload.sig"),
    ]);
    let reply = send(&app, form(&oidc)).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
}
