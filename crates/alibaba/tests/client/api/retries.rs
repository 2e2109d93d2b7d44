// SPDX-License-Identifier: MPL-2.0
//! Retries of transient failures with a fresh nonce and signature, and throttling that
//! honours `x-acs-retry-after`.

use std::time::Duration;

use ehpc_alibaba::CallOptions;

use crate::api::scripted_server::{call, error_reply, ok_reply, start, Reply};

#[tokio::test]
async fn service_unavailable_is_retried_then_reported() {
    let (server, client) = start(vec![], error_reply(503, "ServiceUnavailable"), None).await;
    let err = call(&client, &CallOptions::default()).await.unwrap_err();
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(
        err.api().map(|a| (a.status, a.request_id.as_str())),
        Some((503, "REQ-ServiceUnavailable"))
    );
    assert!(err.to_string().contains("retry later"), "{err}");
    assert_eq!(server.seen(|s| s.len()), 4, "1 attempt + max_retries 3");
}

#[tokio::test]
async fn retry_then_success_with_fresh_nonce_and_signature() {
    let script = vec![
        error_reply(503, "ServiceUnavailable"),
        error_reply(500, "InternalError"),
        Reply::Raw(502, "<html>Bad Gateway</html>"),
    ];
    let (server, client) = start(script, ok_reply(), None).await;
    assert_eq!(
        call(&client, &CallOptions::default()).await.unwrap(),
        "REQ-OK"
    );
    server.seen(|seen| {
        assert_eq!(seen.len(), 4);
        assert!(seen.iter().all(|r| r.signature_ok));
        let mut nonces: Vec<&str> = seen
            .iter()
            .map(|r| r.params["SignatureNonce"].as_str())
            .collect();
        let mut signatures: Vec<&str> = seen
            .iter()
            .map(|r| r.params["Signature"].as_str())
            .collect();
        nonces.sort_unstable();
        nonces.dedup();
        signatures.sort_unstable();
        signatures.dedup();
        assert_eq!((nonces.len(), signatures.len()), (4, 4));
    });
}

/// Real time, on purpose: the one timed assertion kept in this test binary. The client's
/// reqwest connect/read timeouts are tokio timers, so on a paused clock auto-advance would jump to
/// them (and fail the call) whenever the runtime waits on the socket; and with auto-advance
/// held off, nothing observable tells the test when the client has started its back-off
/// sleep, so stepping the clock could not tell "waited 40 ms" from "waited 5 ms". The bound
/// is the specified behaviour (a retry must not come before `x-acs-retry-after`), not a speed
/// target: it cannot flake, as a tokio sleep never ends early and both arrivals are stamped on
/// the server with the tokio clock the client sleeps on; and with 1-5 ms back-off only the
/// honoured header can make the gap 40 ms. The loop's exact wait is proved on the paused clock
/// by `retry::tests::retry_after_is_honoured`.
#[tokio::test]
async fn throttling_waits_at_least_retry_after() {
    let throttled = Reply::Json(
        400,
        serde_json::json!({"Code": "Throttling.User", "Message": "Request was denied due to user flow control.", "RequestId": "REQ-T"}),
        vec![("x-acs-retry-after", "40")],
    );
    let (server, client) = start(vec![throttled], ok_reply(), None).await;
    assert_eq!(
        call(&client, &CallOptions::default()).await.unwrap(),
        "REQ-OK"
    );
    server.seen(|seen| {
        assert_eq!(seen.len(), 2);
        let gap = seen[1].at.duration_since(seen[0].at);
        assert!(gap >= Duration::from_millis(40), "retried after {gap:?}");
    });
}
