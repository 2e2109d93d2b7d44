// SPDX-License-Identifier: MPL-2.0
//! Injected faults: failures, throttling with a retry hint, latency, and connections dropped
//! before or after the call took effect (over a real socket).

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use ehpc_alibaba::signer;
use ehpc_emulator::{EmulatorConfig, FaultConfig};
use serde_json::Value;
use time::OffsetDateTime;

use crate::common::{
    config, get_json, json_of, router, send, serve, signed, sync_params, v2_request, Served, APP,
};

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
    let app = with_faults(FaultConfig {
        drop_rate: 1.0,
        ..Default::default()
    });
    assert_eq!(
        send(&app, good_call()).await.status,
        444,
        "in-process marker"
    );

    let served = serve(EmulatorConfig {
        faults: FaultConfig {
            drop_rate: 1.0,
            ..Default::default()
        },
        ..config()
    })
    .await;
    let received = raw_sync(&served, r#"["all"]"#).await;
    assert!(
        received.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&received)
    );

    let calls = served_json(&served, "/_emulator/calls").await;
    assert_eq!(calls[0]["code"], "ConnectionDropped");
    served.stop().await;
}

#[tokio::test]
async fn drop_after_apply_records_the_regions_and_sends_no_answer() {
    let served = serve(EmulatorConfig {
        faults: FaultConfig {
            drop_after_apply_rate: 1.0,
            ..Default::default()
        },
        ..config()
    })
    .await;
    let received = raw_sync(&served, r#"["cn-beijing","cn-shanghai"]"#).await;
    assert!(
        received.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&received)
    );

    let apps = served_json(&served, "/_emulator/apps").await;
    assert_eq!(apps[APP], serde_json::json!(["cn-beijing", "cn-shanghai"]));
    let calls = served_json(&served, "/_emulator/calls").await;
    assert_eq!(calls[0]["status"], 200, "the real outcome: {calls}");
    assert_eq!(calls[0]["code"], "ConnectionDroppedAfterApply", "{calls}");
    served.stop().await;
}

/// Sends a signed SynchronizeApp of `regions` to `served` over a raw connection, so that a
/// dropped connection is seen as such; returns every byte that came back before it closed.
async fn raw_sync(served: &Served, regions: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = served.url.trim_start_matches("http://");
    let params = signed(
        "POST",
        sync_params("testid", OffsetDateTime::now_utc(), regions, &[]),
        "testsecret",
    );
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n",
        signer::canonical_query(&params)
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    // EOF or a reset both mean "closed"; what matters is that no byte of an answer arrived.
    let _ = socket.read_to_end(&mut received).await;
    received
}

/// `GET path` on `served`, as JSON.
async fn served_json(served: &Served, path: &str) -> Value {
    json_of(
        reqwest::get(format!("{}{path}", served.url))
            .await
            .expect("get"),
    )
    .await
}
