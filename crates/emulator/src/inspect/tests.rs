// SPDX-License-Identifier: MPL-2.0
use super::*;
use axum::http::{HeaderMap, HeaderValue, Method};

fn rpc(params: &[(&str, &str)], headers: &[(&'static str, &'static str)]) -> RpcRequest {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, HeaderValue::from_static(v));
    }
    RpcRequest {
        method: Method::POST,
        query: Default::default(),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        headers: map,
        body: Default::default(),
        request_id: "RID".into(),
        host: "h".into(),
    }
}

#[test]
fn received_secrets_cases() {
    let v3 = "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=abc123";
    let cases = [
        ("nothing", rpc(&[], &[]), None, None),
        (
            "v2 with token",
            rpc(&[("Signature", "c2ln"), ("SecurityToken", "tok")], &[]),
            Some("c2ln"),
            Some("tok"),
        ),
        (
            "v3 with token header",
            rpc(
                &[],
                &[("authorization", v3), ("x-acs-security-token", "tok3")],
            ),
            Some("abc123"),
            Some("tok3"),
        ),
        (
            "v2 empty signature",
            rpc(&[("Signature", "")], &[]),
            None,
            None,
        ),
    ];
    for (name, req, signature, token) in cases {
        let got = received_of(&req);
        assert_eq!(got.signature.as_deref(), signature, "{name}");
        assert_eq!(got.security_token.as_deref(), token, "{name}");
    }
}

#[test]
fn secrets_are_listed_only_on_request() {
    let call = CallRecord {
        action: "SynchronizeApp".into(),
        app_id: None,
        image_id: None,
        image_type: None,
        target_region_ids: Vec::new(),
        request_id: "RID".into(),
        status: 200,
        code: None,
        access_key_id: Some("id".into()),
        received: Received {
            signature: Some("SIG".into()),
            security_token: Some("TOK".into()),
        },
    };
    let plain = serde_json::to_string(&call).unwrap_or_default();
    assert!(!plain.contains("SIG") && !plain.contains("TOK"), "{plain}");
    let with = serde_json::to_value(CallWithSecrets {
        call: &call,
        received: &call.received,
    })
    .unwrap_or_default();
    assert_eq!(with["signature"], "SIG");
    assert_eq!(with["security_token"], "TOK");
    assert_eq!(with["request_id"], "RID");
}
