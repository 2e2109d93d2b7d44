// SPDX-License-Identifier: MPL-2.0
//! No secret in errors, Debug output or the logs of any test in this binary.

use ehpc_alibaba::{signer, CallOptions, Error};

use crate::api::scripted_server::{
    call, client_for, logs, ok_reply, start, Capture, Reply, KEY_ID, SECRET, TOKEN,
};

#[tokio::test]
async fn no_secret_in_errors_debug_output_or_logs() {
    use tracing_subscriber::layer::SubscriberExt;
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    // A signature error whose message echoes a string to sign holding the token, and an error
    // page echoing the request, as proxies do.
    let encoded_token = signer::percent_encode(TOKEN);
    let leaky_message = format!(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3D{}",
        signer::percent_encode(&encoded_token)
    );
    let script = vec![
        Reply::Json(
            400,
            serde_json::json!({"Code": "SignatureDoesNotMatch", "Message": leaky_message, "RequestId": "R1"}),
            vec![],
        ),
        Reply::Json(
            400,
            serde_json::json!({"Code": "Echo", "Message": format!("echo {TOKEN} {encoded_token} {SECRET}")}),
            vec![],
        ),
        Reply::Json(
            403,
            serde_json::json!({"Code": "Forbidden.RAM", "Message": "denied", "RequestId": "R3",
            "AccessDeniedDetail": {"AuthAction": "ehpc:SynchronizeApp", "NoPermissionType": "ImplicitDeny"}}),
            vec![],
        ),
    ];
    let (server, client) = start(script, ok_reply(), Some(TOKEN)).await;
    let mut texts = vec![format!("{client:?}")];
    for _ in 0..3 {
        let err = call(&client, &CallOptions::default()).await.unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
        texts.push(err.api().map(|a| a.describe()).unwrap_or_default());
    }
    assert!(
        texts[1].contains("The AccessKey secret is wrong"),
        "{}",
        texts[1]
    );
    assert!(
        texts
            .last()
            .is_some_and(|t| t.contains("`ehpc:SynchronizeApp`")),
        "{texts:?}"
    );

    // A transport failure: a port with nothing listening.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let err = call(&client_for(&url, Some(TOKEN), 0), &CallOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    texts.push(err.to_string());
    texts.push(format!("{err:?}"));

    // Every test of this binary logs with the same secrets, so all of their output is checked.
    let captured = logs().0.lock().unwrap().clone();
    assert!(
        captured.contains("LTA***001"),
        "masked key id expected in logs:\n{captured}"
    );
    let mut secrets = vec![
        SECRET.to_string(),
        TOKEN.to_string(),
        encoded_token,
        KEY_ID.to_string(),
    ];
    secrets.extend(server.seen(|s| {
        s.iter()
            .map(|r| r.params["Signature"].clone())
            .collect::<Vec<_>>()
    }));
    for text in texts.iter().chain([&captured]) {
        assert!(
            !text.contains('?') || !text.contains("Signature="),
            "query leaked: {text}"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "secret {secret:?} leaked in: {text}"
            );
        }
    }
}
