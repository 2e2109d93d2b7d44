// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;

#[test]
fn authorization_header_cases() {
    let ok = "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab";
    assert_eq!(
        parse_authorization(ok),
        Ok(Authorization {
            credential: "id",
            signed_headers: vec!["host", "x-acs-date"],
            signature: "ab",
        })
    );
    let bad = [
        ("no fields", "ACS3-HMAC-SHA256"),
        (
            "other algorithm",
            "ACS3-HMAC-SM3 Credential=id,SignedHeaders=host,Signature=ab",
        ),
        (
            "no signature",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
        ),
        (
            "empty credential",
            "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=a",
        ),
        ("garbage", "ACS3-HMAC-SHA256 nonsense"),
    ];
    for (name, value) in bad {
        assert!(
            matches!(
                parse_authorization(value),
                Err(ApiError::IncompleteSignature(_))
            ),
            "{name}"
        );
    }
}

#[test]
fn timestamp_cases() {
    let now = datetime!(2024-05-01 08:00:00 UTC);
    let cases = [
        ("exact", "2024-05-01T08:00:00Z", Ok(())),
        ("15 min ahead", "2024-05-01T08:15:00Z", Ok(())),
        (
            "16 min late",
            "2024-05-01T07:44:00Z",
            Err(ApiError::TimestampExpired),
        ),
        (
            "millis",
            "2024-05-01T08:00:00.000Z",
            Err(ApiError::TimestampFormat),
        ),
        (
            "no zone",
            "2024-05-01T08:00:00",
            Err(ApiError::TimestampFormat),
        ),
        ("garbage", "yesterday", Err(ApiError::TimestampFormat)),
    ];
    for (name, raw, want) in cases {
        assert_eq!(check_timestamp(raw, now), want, "{name}");
    }
}

#[test]
fn api_resolution() {
    assert_eq!(
        Api::resolve("SynchronizeApp", "2023-07-01"),
        Some(Api::SynchronizeApp)
    );
    assert_eq!(Api::resolve("SynchronizeApp", "2018-04-12"), None);
    assert_eq!(
        Api::resolve("ListImages", "2023-07-01"),
        Some(Api::ListImages)
    );
    assert_eq!(Api::resolve("GetImage", "2023-07-01"), Some(Api::GetImage));
    assert_eq!(Api::resolve("GetImage", "2015-04-01"), None);
    assert_eq!(
        Api::resolve("AssumeRoleWithOIDC", "2015-04-01"),
        Some(Api::AssumeRoleWithOidc)
    );
    assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
}
