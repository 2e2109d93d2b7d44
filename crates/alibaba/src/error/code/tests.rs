// SPDX-License-Identifier: MPL-2.0
//! Tests of the typed error codes, matched on the API error and through a deadline.

use super::*;
use crate::{ApiError, Error};

#[test]
fn codes_are_matched_by_type_and_family() {
    let cases = [
        ("ImageNotFound", ErrorCode::ImageNotFound, true),
        ("ImageNotFoundX", ErrorCode::ImageNotFound, false),
        ("ServiceAPIError", ErrorCode::ServiceApiError, true),
        ("Throttling.User", ErrorCode::Throttling, true),
        ("Throttling", ErrorCode::Throttling, true),
        (
            "InvalidAccessKeyId.Inactive",
            ErrorCode::InvalidAccessKeyId,
            true,
        ),
        (
            "InvalidSecurityToken.Expired",
            ErrorCode::InvalidSecurityToken,
            true,
        ),
        ("InvalidParams", ErrorCode::ImageAlreadyExists, false),
        ("", ErrorCode::DbError, false),
    ];
    for (code, typed, expected) in cases {
        let mut api = ApiError::without_code(400, "msg".to_string());
        api.code = code.to_string();
        assert_eq!(api.is(typed), expected, "{code} is {typed}");
        assert_eq!(
            Error::from(api.clone()).is(typed),
            expected,
            "{code} is {typed}"
        );
        let late = Error::DeadlineExceeded {
            attempts: 2,
            last: Box::new(Error::from(api)),
        };
        assert_eq!(late.is(typed), expected, "through the deadline: {code}");
    }
    assert!(!Error::Config("x".into()).is(ErrorCode::DbError));
}
