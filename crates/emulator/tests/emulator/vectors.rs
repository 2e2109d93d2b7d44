// SPDX-License-Identifier: MPL-2.0
//! The reference's fixed V2 (old and current SDK parameter sets) and V3 signature vectors,
//! accepted at the vector time.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::Request;
use ehpc_alibaba::signer;

use crate::common::{
    config, get_json, is_request_id, map, router_at, send, sync_params, v2_request, v3_request,
    APP, HOST, VECTOR_NONCE, VECTOR_TIME,
};

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
