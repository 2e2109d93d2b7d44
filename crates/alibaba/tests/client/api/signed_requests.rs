// SPDX-License-Identifier: MPL-2.0
//! The exact signed request the client sends, with and without a security token.

use axum::http::Method;
use ehpc_alibaba::CallOptions;

use crate::api::scripted_server::{call, ok_reply, start, KEY_ID, TOKEN, USER_AGENT};

#[tokio::test]
async fn success_sends_the_exact_signed_request() {
    let (server, client) = start(vec![], ok_reply(), None).await;
    assert_eq!(
        call(&client, &CallOptions::default()).await.unwrap(),
        "REQ-OK"
    );
    server.seen(|seen| {
        assert_eq!(seen.len(), 1);
        let r = &seen[0];
        assert!(r.signature_ok);
        assert_eq!(r.method, Method::POST);
        assert!(r.body.is_empty());
        let keys: Vec<&str> = r.params.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "AccessKeyId",
                "Action",
                "AppId",
                "Format",
                "Signature",
                "SignatureMethod",
                "SignatureNonce",
                "SignatureVersion",
                "TargetRegionIds",
                "Timestamp",
                "Version",
            ]
        );
        let p = |k: &str| r.params[k].as_str();
        assert_eq!(p("AccessKeyId"), KEY_ID);
        assert_eq!(p("Action"), "SynchronizeApp");
        assert_eq!(p("AppId"), "ci-vm-rYfypJKwlN9Y");
        assert_eq!(p("Format"), "json");
        assert_eq!(p("SignatureMethod"), "HMAC-SHA1");
        assert_eq!(p("SignatureVersion"), "1.0");
        assert_eq!(p("TargetRegionIds"), r#"["cn-shanghai","cn-beijing"]"#);
        assert_eq!(p("Version"), "2023-07-01");
        assert_eq!(p("SignatureNonce").len(), 32);
        let ts = p("Timestamp");
        assert!(
            ts.len() == 20 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
            "{ts}"
        );
        let h = |k: &str| {
            r.headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        assert_eq!(h("x-acs-action"), "SynchronizeApp");
        assert_eq!(h("x-acs-version"), "2023-07-01");
        let ua = h("user-agent");
        assert_eq!(ua, USER_AGENT);
    });
}

#[tokio::test]
async fn temporary_credentials_send_the_security_token() {
    let (server, client) = start(vec![], ok_reply(), Some(TOKEN)).await;
    call(&client, &CallOptions::default()).await.unwrap();
    server.seen(|seen| {
        assert!(seen[0].signature_ok);
        assert_eq!(
            seen[0].params.get("SecurityToken").map(String::as_str),
            Some(TOKEN)
        );
    });
}
