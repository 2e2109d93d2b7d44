// SPDX-License-Identifier: MPL-2.0
//! The documented API errors and non-JSON answers: typed, clearly worded and not retried.

use ehpc_alibaba::CallOptions;

use crate::api::scripted_server::{call, error_reply, ok_reply, start, Reply};

#[tokio::test]
async fn documented_errors_are_typed_and_not_retried() {
    let cases = [
        (400, "ImageAlreadyExists", "target region"),
        (403, "InvalidParams", "target region"),
        (404, "ImageNotFound", "does not exist in this region"),
        (406, "DbError", "service-side"),
        (406, "ServiceAPIError", "service-side"),
        (406, "EcsError", "service-side"),
        (406, "AliyunError", "service-side"),
    ];
    for (status, code, hint) in cases {
        let (server, client) = start(vec![error_reply(status, code)], ok_reply(), None).await;
        let err = call(&client, &CallOptions::default()).await.unwrap_err();
        let api = err
            .api()
            .unwrap_or_else(|| panic!("{code}: not an API error: {err:?}"));
        assert_eq!((api.status, api.code.as_str()), (status, code));
        assert_eq!(api.request_id, format!("REQ-{code}"));
        assert_eq!(api.host_id, "ehpcinstant.cn-hangzhou.aliyuncs.com");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "{code} (HTTP {status}): message for {code}. RequestId: REQ-{code}."
            )),
            "{text}"
        );
        assert!(text.contains(hint), "{code}: {text}");
        assert_eq!(server.seen(|s| s.len()), 1, "{code} must not be retried");
    }
}

#[tokio::test]
async fn non_json_answers_still_give_clear_errors() {
    let cases = [
        (
            Reply::Raw(404, "<html><body>Not Found</body></html>"),
            "HTTP 404",
            "Not Found",
        ),
        (Reply::Raw(403, ""), "HTTP 403", "empty body"),
        (Reply::Raw(200, "this is not json"), "HTTP 200", "not JSON"),
        (
            Reply::Json(200, serde_json::json!({"Other": 1}), vec![]),
            "HTTP 200",
            "no RequestId",
        ),
    ];
    for (reply, status, detail) in cases {
        let (server, client) = start(vec![reply], ok_reply(), None).await;
        let err = call(&client, &CallOptions::default()).await.unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(status) && text.contains(detail), "{text}");
        assert_eq!(err.code(), None);
        assert_eq!(server.seen(|s| s.len()), 1);
    }
}
