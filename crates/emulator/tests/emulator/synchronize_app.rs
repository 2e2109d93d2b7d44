// SPDX-License-Identifier: MPL-2.0
//! SynchronizeApp semantics (unknown app, invalid regions, `all`, already-synchronized
//! regions) and the /_emulator/apps and /_emulator/calls inspection endpoints.

use axum::body::Body;
use axum::http::Request;
use ehpc_emulator::{DEFAULT_HOME_REGION, DEFAULT_REGIONS};
use time::OffsetDateTime;

use crate::common::{config, get_json, router, send, signed, sync_params, v2_request, APP};

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
        reply.assert_answer(status, code, name);
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
    // Every region but the application's own.
    let mut every: Vec<&str> = DEFAULT_REGIONS
        .iter()
        .copied()
        .filter(|r| *r != DEFAULT_HOME_REGION)
        .collect();
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
