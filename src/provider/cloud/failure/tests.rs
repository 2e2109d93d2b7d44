// SPDX-License-Identifier: MPL-2.0
//! Tests of the one mapping of client errors to diagnostics: summaries, the attribute or flag
//! the provider adds to the client's advice, and each operation's own advice.

use super::*;

fn api(status: u16, code: &str, action: &str) -> Error {
    let mut err = ApiError::from_response(status, &Default::default(), b"{}");
    err.code = code.to_string();
    err.message = format!("{code} message");
    err.request_id = "RID".to_string();
    err.action = action.to_string();
    Error::from(err)
}

#[test]
fn the_provider_names_the_attribute_or_flag_behind_a_code() {
    let cases = [
        ("IncompleteSignature", "access_key and secret_key"),
        ("InvalidAccessKeyId.Inactive", "an active access_key"),
        (
            "MissingSecurityToken",
            "set security_token, or use assume_role",
        ),
        (
            "InvalidSecurityToken.Expired",
            "refresh security_token, or use assume_role",
        ),
        (
            "Throttling.User",
            "-parallelism, or allow more time for retries",
        ),
        ("ImageNotFound", "Check app_id"),
        ("ImageAlreadyExists", "from target_region_ids"),
        ("InvalidParams", "Check target_region_ids"),
        ("MissingParameter", "Check app_id"),
    ];
    for (code, advice) in cases {
        let d = failed(
            &Call::read("SynchronizeApp"),
            &api(400, code, "SynchronizeApp"),
        );
        assert_eq!(d.summary, format!("SynchronizeApp failed: {code}"));
        assert!(
            d.detail.starts_with(&format!(
                "{code} (HTTP 400): {code} message. RequestId: RID."
            )),
            "{code}: the client's description comes first: {}",
            d.detail
        );
        assert!(d.detail.contains(advice), "{code}: {}", d.detail);
    }
}

#[test]
fn target_region_advice_is_only_for_synchronize_app() {
    for code in ["ImageAlreadyExists", "InvalidParams", "MissingParameter"] {
        let text = error_text(&api(400, code, "AddImage"));
        assert!(!text.contains("target_region_ids"), "{text}");
        assert!(!text.contains("app_id"), "{text}");
    }
    let text = error_text(&api(404, "ImageNotFound", "GetImage"));
    assert!(text.contains("Check app_id"), "{text}");
    assert_eq!(
        error_text(&api(400, "SomethingNew", "GetImage")),
        "SomethingNew (HTTP 400): SomethingNew message. RequestId: RID."
    );
}

#[test]
fn advice_reaches_through_a_deadline() {
    let late = Error::DeadlineExceeded {
        attempts: 3,
        last: Box::new(api(400, "Throttling.User", "ListImages")),
    };
    let d = api_error("ListImages", &late);
    assert_eq!(d.summary, "ListImages timed out");
    assert!(
        d.detail.contains("Lower Terraform's -parallelism"),
        "{}",
        d.detail
    );
    assert!(
        d.detail.ends_with("check the endpoint and retry later."),
        "{}",
        d.detail
    );
}

#[test]
fn summaries_name_the_action_and_what_happened() {
    let unreachable = Error::Unreachable {
        endpoint: "http://127.0.0.1:1".into(),
        message: "connection refused".into(),
    };
    let cancelled = Error::Cancelled {
        during: "listing".into(),
    };
    let past = Error::RetryAfterPastDeadline {
        attempts: 1,
        retry_after: std::time::Duration::from_secs(9),
        left: std::time::Duration::from_secs(1),
        last: Box::new(api(400, "Throttling.User", "ListImages")),
    };
    let cases = [
        (api(502, "", "ListImages"), "ListImages failed: HTTP 502"),
        (unreachable, "ListImages failed: endpoint unreachable"),
        (cancelled, "ListImages cancelled"),
        (past.clone(), "ListImages failed"),
        (Error::Config("bad".into()), "ListImages failed"),
    ];
    for (err, summary) in cases {
        assert_eq!(api_error("ListImages", &err).summary, summary, "{err:?}");
    }
    let mut call = Call::read("SynchronizeApp");
    call.throttled = Some("Raise the timeout.".into());
    let d = failed(&call, &past);
    assert_eq!(d.summary, "SynchronizeApp throttled past its timeout");
    assert!(
        d.detail.contains("Lower Terraform's -parallelism"),
        "{}",
        d.detail
    );
    assert!(d.detail.ends_with(". Raise the timeout."), "{}", d.detail);
}

#[test]
fn a_subject_says_what_the_call_was_for() {
    let call = Call::read("GetImage").about("Reading application \"a\" in cn-x".into());
    let d = failed(&call, &api(406, "DbError", "GetImage"));
    assert_eq!(d.summary, "GetImage failed: DbError");
    assert!(
        d.detail
            .starts_with("Reading application \"a\" in cn-x: DbError (HTTP 406)"),
        "{}",
        d.detail
    );
    let refused = Error::Unreachable {
        endpoint: "http://127.0.0.1:1".into(),
        message: "connection refused".into(),
    };
    let text = failed(&call, &refused).detail;
    assert!(
        text.contains("Check the E-HPC Instant endpoint http://127.0.0.1:1"),
        "{text}"
    );
}
