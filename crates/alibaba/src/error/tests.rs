// SPDX-License-Identifier: MPL-2.0
//! Tests of error parsing, redaction and the per-code hints.

use super::*;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, reqwest::header::HeaderValue::from_static(v));
    }
    h
}

fn coded(status: u16, code: &str) -> ApiError {
    let mut e = ApiError::without_code(status, "msg".to_string());
    e.code = code.to_string();
    e.request_id = "RID".to_string();
    e
}

#[test]
fn parses_error_documents() {
    let body = br#"{"RequestId":"R1","HostId":"ehpcinstant.cn-hangzhou.aliyuncs.com","Code":"Forbidden.RAM",
        "Message":"User not authorized.","Recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM",
        "AccessDeniedDetail":{"AuthAction":"ehpc:SynchronizeApp","NoPermissionType":"ImplicitDeny"}}"#;
    let e = ApiError::from_response(403, &headers(&[("x-acs-retry-after", "1500")]), body);
    assert_eq!(
        (e.status, e.code.as_str(), e.request_id.as_str()),
        (403, "Forbidden.RAM", "R1")
    );
    assert_eq!(e.host_id, "ehpcinstant.cn-hangzhou.aliyuncs.com");
    assert_eq!(e.message, "User not authorized.");
    assert!(e.recommend.starts_with("https://api.aliyun.com/"));
    assert_eq!(
        e.access_denied_detail,
        r#"{"AuthAction":"ehpc:SynchronizeApp","NoPermissionType":"ImplicitDeny"}"#
    );
    assert_eq!(e.retry_after, Some(Duration::from_millis(1500)));

    let lower = ApiError::from_response(
        400,
        &HeaderMap::new(),
        br#"{"code":"Throttling","message":"m","requestId":"R2"}"#,
    );
    assert_eq!(
        (
            lower.code.as_str(),
            lower.message.as_str(),
            lower.request_id.as_str()
        ),
        ("Throttling", "m", "R2")
    );
    let by_header = ApiError::from_response(
        500,
        &headers(&[("x-acs-request-id", "R3"), ("x-acs-retry-after", "x")]),
        b"",
    );
    assert_eq!(
        (by_header.request_id.as_str(), by_header.retry_after),
        ("R3", None)
    );
}

#[test]
fn non_json_bodies_are_described() {
    let long = "x".repeat(500);
    let cases = [
        ("empty", 502, "".to_string(), "HTTP 502 with an empty body"),
        (
            "whitespace",
            503,
            " \n ".to_string(),
            "HTTP 503 with an empty body",
        ),
        (
            "html",
            404,
            "<html>\n<b>Not  Found</b></html>".to_string(),
            "not a JSON error: <html> <b>Not Found</b></html>",
        ),
        (
            "json without code",
            500,
            r#"{"a":1}"#.to_string(),
            r#"not a JSON error: {"a":1}"#,
        ),
        (
            "json array",
            500,
            "[1]".to_string(),
            "not a JSON error: [1]",
        ),
        (
            "terminal escape",
            500,
            "bad\x1b[2Jgateway".to_string(),
            "not a JSON error: bad\u{fffd}[2Jgateway",
        ),
    ];
    for (name, status, body, want) in cases {
        let e = ApiError::from_response(status, &HeaderMap::new(), body.as_bytes());
        assert!(e.code.is_empty(), "{name}");
        assert!(e.message.contains(want), "{name}: {}", e.message);
    }
    let e = ApiError::from_response(502, &HeaderMap::new(), long.as_bytes());
    assert!(
        e.message.chars().count() < 300 && e.message.ends_with("…[cut]"),
        "{}",
        e.message
    );
}

#[test]
fn string_to_sign_is_cut_from_signature_errors() {
    let body = br#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dsecret-token"}"#;
    let e = ApiError::from_response(400, &HeaderMap::new(), body);
    assert!(!e.message.contains("secret-token"), "{}", e.message);
    assert_eq!(
        e.message,
        "Specified signature is not matched with our calculation"
    );
    assert_eq!(
        e.describe(),
        "SignatureDoesNotMatch (HTTP 400): Specified signature is not matched with our \
         calculation. The AccessKey secret is wrong: the server computed a different signature \
         with the secret it holds for this AccessKey id. Check that the secret belongs to the \
         key id (a stale secret, or a key id and a secret from two different sources)."
    );
}

#[test]
fn signature_messages_lose_the_string_to_sign_and_its_lead_in() {
    let cases = [
        (
            "Specified signature does not match our calculation. server string to sign is:GET&x",
            "Specified signature does not match our calculation",
        ),
        (
            "The server's string to sign is: x",
            "the signature does not match the server's calculation",
        ),
        (
            "Bad signature; the server string to sign was: x",
            "Bad signature",
        ),
        ("no echo here.", "no echo here."),
    ];
    for (message, want) in cases {
        assert_eq!(without_string_to_sign(message), want, "{message}");
    }
}

#[test]
fn credential_errors_name_the_key_source_and_a_masked_id() {
    let mut e = coded(400, "SignatureDoesNotMatch");
    assert!(e.is_credential_error());
    e.credential = Some(CredentialUse {
        source: "environment (ALICLOUD_ACCESS_KEY)".into(),
        key_id: key_id_hint("LTAI5tStaleKeyId"),
    });
    let text = e.describe();
    assert!(
        text.ends_with(
            " The request was signed with AccessKey id LTAI**** from environment \
             (ALICLOUD_ACCESS_KEY)."
        ),
        "{text}"
    );
    for code in [
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId.Inactive",
        "InvalidSecurityToken.Expired",
        "MissingSecurityToken",
        "IncompleteSignature",
    ] {
        assert!(coded(400, code).is_credential_error(), "{code}");
    }
    for code in ["Throttling", "Forbidden.RAM", "ImageNotFound", ""] {
        assert!(!coded(400, code).is_credential_error(), "{code}");
    }
    assert_eq!(key_id_hint("LTAI5tAbCdEfGh"), "LTAI****");
    assert_eq!(key_id_hint("short"), "****");
    assert_eq!(key_id_hint("12345678"), "****");
}

#[test]
fn describe_gives_a_hint_per_code() {
    let cases = [
        (
            "SignatureDoesNotMatch",
            400,
            "The AccessKey secret is wrong",
        ),
        ("IncompleteSignature", 400, "incomplete or malformed"),
        (
            "InvalidAccessKeyId.NotFound",
            404,
            "No AccessKey with this id exists",
        ),
        ("InvalidAccessKeyId.Inactive", 400, "disabled"),
        (
            "InvalidTimeStamp.Expired",
            400,
            "more than 15 minutes; synchronise it (NTP)",
        ),
        ("SignatureNonceUsed", 400, "nonce"),
        (
            "InvalidSecurityToken.Expired",
            400,
            "refresh the security token, or assume a RAM role",
        ),
        ("MissingSecurityToken", 400, "need a security token"),
        ("Forbidden.RAM", 403, "`ehpc:SynchronizeApp`"),
        ("ActionUnauthorized", 403, "`ehpc:SynchronizeApp`"),
        (
            "Throttling.User",
            400,
            "make fewer calls at once, or allow more time for retries",
        ),
        (
            "InvalidApi.NotFound",
            404,
            "does not serve EhpcInstant 2023-07-01",
        ),
        ("ImageNotFound", 404, "does not exist in this region"),
        ("ImageAlreadyExists", 400, "already exists"),
        (
            "InvalidParams",
            403,
            "each target region must be a region id",
        ),
        (
            "DbError",
            406,
            "contact Alibaba Cloud support with the RequestId",
        ),
        ("ServiceAPIError", 406, "service-side"),
        ("EcsError", 406, "service-side"),
        ("AliyunError", 406, "service-side"),
        ("ServiceUnavailable", 503, "retry later"),
    ];
    for (code, status, hint) in cases {
        let text = coded(status, code).describe();
        assert!(
            text.starts_with(&format!("{code} (HTTP {status}): msg. RequestId: RID. ")),
            "{text}"
        );
        assert!(text.contains(hint), "{code}: {text}");
        // The client knows nothing of Terraform: its caller names the attribute or flag.
        for terraform in [
            "access_key",
            "secret_key",
            "security_token",
            "assume_role",
            "app_id",
            "target_region_ids",
            "max_retries",
            "parallelism",
        ] {
            assert!(
                !text.contains(terraform),
                "{code} names {terraform}: {text}"
            );
        }
    }
    let mut denied = coded(403, "Forbidden.RAM");
    denied.access_denied_detail = r#"{"AuthAction":"ehpc:GetImage"}"#.to_string();
    assert!(denied.describe().contains("`ehpc:GetImage`"));
    assert_eq!(
        coded(400, "SomethingNew").describe(),
        "SomethingNew (HTTP 400): msg. RequestId: RID."
    );
}

#[test]
fn every_field_is_sanitised_and_redacted_before_it_is_bounded() {
    let token = "CAIS/tok+en==";
    let once = crate::signer::percent_encode(token);
    let long = "m".repeat(TEXT_CHARS);
    let body = serde_json::json!({
        "Code": "Bad\u{1b}[2JCode",
        "Message": format!("{once} {long}"),
        "RequestId": format!("R\u{7}{}", "9".repeat(ID_CHARS)),
        "HostId": "host\u{9b}",
        "Recommend": format!("see {token}\nnext"),
        "AccessDeniedDetail": {"AuthAction": "ehpc:\u{1b}]0;x\u{7}Sync"},
    });
    let e = ApiError::from_response_redacting(
        403,
        &headers(&[]),
        body.to_string().as_bytes(),
        &[token],
    );
    assert_eq!(e.code, "Bad\u{fffd}[2JCode");
    let want = format!(
        "<redacted> {}…[cut]",
        &long[..TEXT_CHARS - "<redacted> ".len()]
    );
    assert_eq!(e.message, want);
    assert_eq!(
        e.request_id,
        format!("R\u{fffd}{}…[cut]", "9".repeat(ID_CHARS - 2))
    );
    assert_eq!(e.host_id, "host\u{fffd}");
    assert_eq!(e.recommend, "see <redacted>\nnext");
    let denied = ApiError {
        code: "Forbidden.RAM".to_string(),
        ..e.clone()
    };
    assert!(
        denied
            .describe()
            .contains("`ehpc:\u{fffd}]0;x\u{fffd}Sync`"),
        "{}",
        denied.describe()
    );
    let text = e.describe();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
}

#[test]
fn accessors_look_through_deadline() {
    let inner = Error::from(coded(503, "ServiceUnavailable"));
    let outer = Error::DeadlineExceeded {
        attempts: 2,
        last: Box::new(inner),
    };
    assert_eq!(outer.code(), Some("ServiceUnavailable"));
    assert_eq!(
        Error::from(ApiError::without_code(502, String::new())).code(),
        None
    );
    assert!(Error::Config("x".into()).api().is_none());
}

#[test]
fn a_ram_denial_names_the_action_that_was_refused() {
    let cases = [
        ("", "", "`ehpc:SynchronizeApp`"),
        ("ListImages", "", "`ehpc:ListImages`"),
        (
            "GetImage",
            r#"{"AuthAction":"ehpc:GetImage"}"#,
            "`ehpc:GetImage`",
        ),
        ("GetImage", r#"{"AuthAction":"ehpc:Other"}"#, "`ehpc:Other`"),
    ];
    for (action, detail, want) in cases {
        let mut denied = coded(403, "Forbidden.RAM");
        denied.action = action.to_string();
        denied.access_denied_detail = detail.to_string();
        assert!(
            denied.describe().contains(want),
            "{action}: {}",
            denied.describe()
        );
    }
    let late = Error::DeadlineExceeded {
        attempts: 2,
        last: Box::new(Error::from(coded(403, "Forbidden.RAM"))),
    }
    .answering("ListImages");
    assert_eq!(late.api().map(|a| a.action.as_str()), Some("ListImages"));
}
