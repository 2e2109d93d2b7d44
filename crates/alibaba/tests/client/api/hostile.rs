// SPDX-License-Identifier: MPL-2.0
//! A hostile or broken endpoint, one mode per class of misbehaviour (issue #19): terminal
//! controls and oversized fields, secrets echoed next to a cut, an answer that trickles in,
//! and an error document inside a 2xx.

use std::time::Duration;

use ehpc_alibaba::{signer, CallOptions, Error};
use tokio::time::Instant;

use crate::api::scripted_server::{
    bounded, call, client_with_read_timeout, logs, ok_reply, start, start_server, Reply, SECRET,
    TOKEN,
};

#[tokio::test]
async fn server_text_is_sanitised_and_secrets_are_redacted_before_the_cut() {
    let encoded_token = signer::percent_encode(TOKEN);
    // The secret sits where the 512-character bound cuts the message: redacting after the
    // cut would leave its first characters.
    let message = format!("{}{encoded_token} {SECRET}", "m".repeat(500));
    let reply = Reply::Json(
        400,
        serde_json::json!({
            "Code": "Evil\u{1b}]0;pwned\u{7}",
            "Message": message,
            "RequestId": "REQ\u{9b}2J",
            "Recommend": format!("\u{1b}[2Jsee {SECRET}"),
        }),
        vec![],
    );
    let (_server, client) = start(vec![reply], ok_reply(), Some(TOKEN)).await;
    let err = bounded(call(&client, &CallOptions::default()))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.code, "Evil\u{fffd}]0;pwned\u{fffd}");
    assert_eq!(api.request_id, "REQ\u{fffd}2J");
    // 500 + "<redacted>" + " " = 511 characters, then the bound (512) cuts.
    assert_eq!(
        api.message,
        format!("{}<redacted> <…[cut]", "m".repeat(500))
    );
    assert_eq!(api.recommend, "\u{fffd}[2Jsee <redacted>");
    assert_eq!(
        err.to_string(),
        format!(
            "Evil\u{fffd}]0;pwned\u{fffd} (HTTP 400): {}<redacted> <…[cut]. RequestId: \
             REQ\u{fffd}2J. Diagnosis: \u{fffd}[2Jsee <redacted>",
            "m".repeat(500)
        )
    );
    let captured = logs().0.lock().unwrap().clone();
    for text in [err.to_string(), format!("{err:?}"), captured] {
        for secret in [
            SECRET,
            TOKEN,
            encoded_token.as_str(),
            &SECRET[..8],
            &encoded_token[..8],
        ] {
            assert!(!text.contains(secret), "{secret:?} leaked in {text}");
        }
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
}

#[tokio::test]
async fn a_trickling_answer_times_out_within_the_read_timeout_and_is_retried() {
    // One byte every 200 ms: never a 1 s gap, so a per-read timeout would wait forever.
    let (server, url) = start_server(vec![], Reply::Trickle(Duration::from_millis(200))).await;
    let client = client_with_read_timeout(&url, None, 1, Duration::from_secs(1));
    let started = Instant::now();
    let err = bounded(call(&client, &CallOptions::default()))
        .await
        .unwrap_err();
    let took = started.elapsed();
    match &err {
        Error::Transport { message, .. } => {
            assert_eq!(message, "timed out: no complete answer within 1000 ms");
        }
        other => panic!("expected a transport timeout, got {other:?}"),
    }
    // Retried like any timeout: two attempts of about 1 s each.
    assert_eq!(server.seen(|s| s.len()), 2);
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn an_error_document_in_a_2xx_is_an_error() {
    // Retryable by its code: retried, then the real success is recorded.
    let unavailable = Reply::Json(
        200,
        serde_json::json!({"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "R1"}),
        vec![],
    );
    let (server, client) = start(vec![unavailable], ok_reply(), None).await;
    let id = bounded(call(&client, &CallOptions::default())).await;
    assert_eq!(id.ok().as_deref(), Some("REQ-OK"));
    assert_eq!(server.seen(|s| s.len()), 2);

    // Not retryable by its code: reported at once, with the 2xx status.
    let denied = Reply::Json(
        200,
        serde_json::json!({"Code": "Forbidden.RAM", "Message": "denied", "RequestId": "R2"}),
        vec![],
    );
    let (server, client) = start(vec![denied], ok_reply(), None).await;
    let err = bounded(call(&client, &CallOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(
        (err.api().map(|a| a.status), err.code()),
        (Some(200), Some("Forbidden.RAM"))
    );
    assert!(
        err.to_string()
            .starts_with("Forbidden.RAM (HTTP 200): denied. RequestId: R2."),
        "{err}"
    );
    assert_eq!(server.seen(|s| s.len()), 1);

    // `Success: false` without a code: an error that quotes the answer.
    let failed = Reply::Json(
        200,
        serde_json::json!({"Success": false, "RequestId": "R3"}),
        vec![],
    );
    let (server, client) = start(vec![failed], ok_reply(), None).await;
    let err = bounded(call(&client, &CallOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|a| a.request_id.as_str()), Some("R3"));
    assert!(err.to_string().contains(r#""Success":false"#), "{err}");
    assert_eq!(server.seen(|s| s.len()), 1);

    // Explicit success markers are successes; their RequestId is sanitised too.
    let ok = Reply::Json(
        200,
        serde_json::json!({"Code": "Success", "Success": true, "RequestId": "R4\u{1b}[2J"}),
        vec![],
    );
    let (_server, client) = start(vec![ok], ok_reply(), None).await;
    let id = bounded(call(&client, &CallOptions::default())).await;
    assert_eq!(id.ok().as_deref(), Some("R4\u{fffd}[2J"));
}
