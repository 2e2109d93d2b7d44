// SPDX-License-Identifier: MPL-2.0
//! Gateway rejections: wrong signatures, unknown keys, stale or bad timestamps, missing
//! parameters, unknown APIs, V3 header checks and replayed nonces, with Alibaba's error body.

use std::collections::BTreeMap;

use ehpc_emulator::signature_v3;
use time::OffsetDateTime;

use crate::common::{
    config, is_request_id, map, router, send, signed, sync_params, v2_params, v2_request,
    v3_request, APP, HOST,
};

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
        reply.assert_answer(status, code, name);
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
        signature_v3::hex_sha256(b"x").parse().expect("header"),
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
        reply.assert_answer(status, code, name);
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
