// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn codes_and_statuses() {
    let cases: Vec<(&str, ApiError, &str, u16)> = vec![
        (
            "signature",
            ApiError::SignatureDoesNotMatch {
                string_to_sign: "x".into(),
            },
            "SignatureDoesNotMatch",
            400,
        ),
        (
            "unknown key",
            ApiError::AccessKeyNotFound,
            "InvalidAccessKeyId.NotFound",
            404,
        ),
        ("api", ApiError::ApiNotFound, "InvalidApi.NotFound", 404),
        (
            "params",
            ApiError::InvalidParams("Invalid parameters: x".into()),
            "InvalidParams",
            403,
        ),
        (
            "image",
            ApiError::ImageNotFound("a".into()),
            "ImageNotFound",
            404,
        ),
        (
            "exists",
            ApiError::ImageAlreadyExists("r".into()),
            "ImageAlreadyExists",
            400,
        ),
        (
            "throttle",
            ApiError::Throttled { retry_after_ms: 5 },
            "Throttling.User",
            400,
        ),
        (
            "unavailable",
            ApiError::ServiceUnavailable,
            "ServiceUnavailable",
            503,
        ),
        (
            "duration",
            ApiError::InvalidParameter {
                name: "DurationSeconds",
                reason: "r".into(),
            },
            "InvalidParameter.DurationSeconds",
            400,
        ),
    ];
    for (name, err, code, status) in cases {
        assert_eq!(
            (err.code(), err.status().as_u16()),
            (code.to_string(), status),
            "{name}"
        );
    }
}

#[test]
fn body_shape_and_retry_header() {
    let body = ApiError::NonceUsed.body("ID-1", "h");
    assert_eq!(body.code, "SignatureNonceUsed");
    assert_eq!(
        body.recommend,
        "https://api.aliyun.com/troubleshoot?q=SignatureNonceUsed&product=EhpcInstant&requestId=ID-1"
    );
    let resp = ApiError::Throttled {
        retry_after_ms: 250,
    }
    .to_response("ID", "h");
    assert_eq!(resp.headers()["x-acs-retry-after"], "250");
}
