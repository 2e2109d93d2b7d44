// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::{app, EmulatorConfig, FaultConfig};
use axum::body::Body;
use ehpc_alibaba::signer;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use tower::ServiceExt as _;

const APP: &str = "ci-vm-dropAfterApply";

/// A signed V2 SynchronizeApp request (nonce `nonce`) for `regions`.
fn sync_request(nonce: &str, regions: &str) -> Request {
    let mut params: BTreeMap<String, String> = [
        ("Action", "SynchronizeApp"),
        ("Version", "2023-07-01"),
        ("Format", "json"),
        ("AccessKeyId", "id"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        (
            "Timestamp",
            &ehpc_alibaba::timestamp::format(OffsetDateTime::now_utc()),
        ),
        ("AppId", APP),
        ("TargetRegionIds", regions),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let string_to_sign = signer::string_to_sign_v2("POST", &params);
    params.insert(
        "Signature".into(),
        signer::sign_v2("secret", &string_to_sign),
    );
    axum::http::Request::post(format!("/?{}", signer::canonical_query(&params)))
        .header("host", "ehpcinstant.cn-hangzhou.aliyuncs.com")
        .body(Body::empty())
        .unwrap_or_default()
}

async fn get(router: &axum::Router, path: &str) -> serde_json::Value {
    let req = axum::http::Request::get(path)
        .body(Body::empty())
        .unwrap_or_default();
    let Ok(resp) = router.clone().oneshot(req).await;
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await;
    serde_json::from_slice(&body.unwrap_or_default()).unwrap_or_default()
}

/// (case, drop_after_apply_rate, regions sent by two calls in turn, the logged
/// (status, code) of each call, the regions the app holds at the end)
type Case = (
    &'static str,
    f64,
    [&'static str; 2],
    [(u16, Option<&'static str>); 2],
    &'static [&'static str],
);

#[tokio::test]
async fn drop_after_apply_cases() {
    const LOST: Option<&str> = Some("ConnectionDroppedAfterApply");
    let cases: [Case; 3] = [
        (
            "answers lost, regions kept",
            1.0,
            [r#"["cn-beijing"]"#, r#"["cn-shanghai"]"#],
            [(200, LOST), (200, LOST)],
            &["cn-beijing", "cn-shanghai"],
        ),
        (
            "an error answer is never dropped",
            1.0,
            [r#"["cn-beijing"]"#, r#"["cn-beijing"]"#],
            [(200, LOST), (400, Some("ImageAlreadyExists"))],
            &["cn-beijing"],
        ),
        (
            "rate 0 answers",
            0.0,
            [r#"["cn-beijing"]"#, r#"["cn-beijing"]"#],
            [(200, None), (400, Some("ImageAlreadyExists"))],
            &["cn-beijing"],
        ),
    ];
    for (name, rate, regions, want, held) in cases {
        let config = EmulatorConfig {
            faults: FaultConfig {
                drop_after_apply_rate: rate,
                seed: Some(7),
                ..FaultConfig::default()
            },
            ..EmulatorConfig::default()
                .with_credential("id", "secret")
                .with_app(APP)
        };
        let Ok(state) = AppState::new(config) else {
            panic!("{name}: valid config");
        };
        let router = app(state);
        for (i, r) in regions.iter().enumerate() {
            let Ok(resp) = router
                .clone()
                .oneshot(sync_request(&format!("{name}-{i}"), r))
                .await;
            // Without a socket there is nothing to close: the in-process caller still
            // gets the real answer.
            assert_eq!(resp.status().as_u16(), want[i].0, "{name}: call {i}");
        }
        let calls = get(&router, "/_emulator/calls").await;
        for (i, (status, code)) in want.iter().enumerate() {
            assert_eq!(calls[i]["status"], *status, "{name}: call {i}: {calls}");
            assert_eq!(
                calls[i]["code"].as_str(),
                *code,
                "{name}: call {i}: {calls}"
            );
        }
        let apps = get(&router, "/_emulator/apps").await;
        assert_eq!(apps[APP], serde_json::json!(held), "{name}");
    }
}
