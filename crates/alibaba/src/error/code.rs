// SPDX-License-Identifier: MPL-2.0
//! The error codes callers act on, typed: `err.is(ErrorCode::ImageNotFound)` instead of
//! comparing strings, so a misspelt code is a compile error, not a branch never taken.

/// An error code of EhpcInstant (documented per action) or of the Alibaba Cloud gateway.
///
/// A family of gateway codes is one variant: [`ErrorCode::Throttling`] matches every code
/// containing `Throttling` (`Throttling.User`, `Throttling.Api`, …);
/// [`ErrorCode::InvalidAccessKeyId`] and [`ErrorCode::InvalidSecurityToken`] match every
/// code they begin (`InvalidAccessKeyId.NotFound`, `InvalidSecurityToken.Expired`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 400: the application already exists in (one of) the target regions, or the image is
    /// already registered.
    ImageAlreadyExists,
    /// 403: a parameter was rejected (e.g. a target region id).
    InvalidParams,
    /// 404: no such application or image in this region.
    ImageNotFound,
    /// 403: RemoveImage refused: jobs still use the image.
    ImageInUse,
    /// 406: the service's database failed.
    DbError,
    /// 406: a service the API calls failed.
    ServiceApiError,
    /// 406: ECS failed.
    EcsError,
    /// 406: another Alibaba Cloud service failed.
    AliyunError,
    /// 503: the service is temporarily unavailable.
    ServiceUnavailable,
    /// A required parameter was missing.
    MissingParameter,
    /// The API's flow control limit was reached (any `Throttling` code).
    Throttling,
    /// The signature computed with the AccessKey secret did not match.
    SignatureDoesNotMatch,
    /// The signature was incomplete or malformed.
    IncompleteSignature,
    /// The AccessKey id is unknown or disabled (`InvalidAccessKeyId`, `.NotFound`,
    /// `.Inactive`).
    InvalidAccessKeyId,
    /// The STS security token is invalid or expired (`InvalidSecurityToken`, `.Expired`, …).
    InvalidSecurityToken,
    /// Temporary credentials were sent without their security token.
    MissingSecurityToken,
}

impl ErrorCode {
    /// The code as the API spells it (the family's root for [`ErrorCode::Throttling`],
    /// [`ErrorCode::InvalidAccessKeyId`] and [`ErrorCode::InvalidSecurityToken`]).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ImageAlreadyExists => "ImageAlreadyExists",
            ErrorCode::InvalidParams => "InvalidParams",
            ErrorCode::ImageNotFound => "ImageNotFound",
            ErrorCode::ImageInUse => "ImageInUse",
            ErrorCode::DbError => "DbError",
            ErrorCode::ServiceApiError => "ServiceAPIError",
            ErrorCode::EcsError => "EcsError",
            ErrorCode::AliyunError => "AliyunError",
            ErrorCode::ServiceUnavailable => "ServiceUnavailable",
            ErrorCode::MissingParameter => "MissingParameter",
            ErrorCode::Throttling => "Throttling",
            ErrorCode::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            ErrorCode::IncompleteSignature => "IncompleteSignature",
            ErrorCode::InvalidAccessKeyId => "InvalidAccessKeyId",
            ErrorCode::InvalidSecurityToken => "InvalidSecurityToken",
            ErrorCode::MissingSecurityToken => "MissingSecurityToken",
        }
    }

    /// Whether the answered `code` is this one (or of this family).
    pub fn matches(self, code: &str) -> bool {
        let root = self.as_str();
        match self {
            ErrorCode::Throttling => code.contains(root),
            ErrorCode::InvalidAccessKeyId | ErrorCode::InvalidSecurityToken => {
                code.starts_with(root)
            }
            _ => code == root,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
