// SPDX-License-Identifier: MPL-2.0
//! `ApiError`: every answer the emulator gives that is not a success, with the gateway's (or the
//! service's) code, HTTP status and message. RPC errors render as Alibaba's JSON error body
//! `{RequestId, HostId, Code, Message, Recommend}`; ECS-metadata errors render as plain text, as
//! the metadata server does. Messages never contain secrets, tokens or signatures.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ehpc_alibaba::ErrorCode;
use serde::Serialize;

/// An error answer. The response carries a clone of the error as an extension so that the
/// outer RPC layer can re-render the body with the request's own `RequestId` and host, and the
/// call log can read the code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server computed a different signature. NOTE(protocol): the message ends with the
    /// server's string to sign (old core SDKs compare it with theirs); a `SecurityToken` in it is
    /// redacted here.
    #[error(
        "Specified signature does not match our calculation. server string to sign \
         is:{string_to_sign}"
    )]
    SignatureDoesNotMatch { string_to_sign: String },
    /// Missing or malformed signature parameters or `Authorization` header.
    #[error("The request signature does not conform to Aliyun standards. {0}")]
    IncompleteSignature(String),
    #[error("Specified access key is not found.")]
    AccessKeyNotFound,
    #[error(
        "Specified time stamp or date header is expired: more than 15 minutes away from the \
         server time."
    )]
    TimestampExpired,
    #[error("The specified timestamp or date header is not in the format yyyy-MM-ddTHH:mm:ssZ.")]
    TimestampFormat,
    #[error("Specified signature nonce was used already.")]
    NonceUsed,
    #[error(
        "The input parameter \"{0}\" that is mandatory for processing this request is not \
         supplied."
    )]
    MissingParameter(String),
    /// A parameter that the gateway or STS validates; the code is `InvalidParameter.<name>`.
    #[error("The parameter \"{name}\" is invalid: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    #[error("Specified api is not found, please check your url and method.")]
    ApiNotFound,
    #[error("The security token is required when an STS access key is used.")]
    MissingSecurityToken,
    #[error("The security token you provided has expired.")]
    SecurityTokenExpired,
    #[error("The security token you provided is invalid.")]
    SecurityTokenMalformed,
    /// SynchronizeApp: the AppId is not an app the emulator holds.
    #[error("The specified image does not exist: {0}")]
    ImageNotFound(String),
    /// SynchronizeApp: bad `TargetRegionIds`. The text starts with "Invalid parameters: ".
    #[error("{0}")]
    InvalidParams(String),
    /// SynchronizeApp: a requested region already holds the app; nothing was recorded.
    #[error("The image already exists in region(s): {0}")]
    ImageAlreadyExists(String),
    /// RemoveImage: the app is marked as used by jobs; nothing was removed.
    #[error("Image is still used by jobs: {0}")]
    ImageInUse(String),
    /// Fault injection (`--fail-rate`).
    #[error("The request has failed due to a temporary failure of the server.")]
    ServiceUnavailable,
    /// Fault injection (`--throttle-rps`); the client may retry after `retry_after_ms`.
    #[error("Request was denied due to user flow control.")]
    Throttled { retry_after_ms: u64 },
    /// Persisting `--state` failed (details are logged, not returned).
    #[error("The request processing has failed due to some unknown error.")]
    Internal,
    /// ECS metadata: missing, unknown or expired IMDSv2 token.
    #[error("Unauthorized")]
    MetadataUnauthorized,
    /// ECS metadata: no such role.
    #[error("Not Found")]
    MetadataNotFound,
    /// ECS metadata: bad token TTL header.
    #[error("{0}")]
    MetadataBadRequest(String),
}

/// Alibaba's error body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    pub request_id: String,
    pub host_id: String,
    pub code: String,
    pub message: String,
    pub recommend: String,
}

impl ApiError {
    /// The error code as the gateway spells it: the client's [`ErrorCode`] for the codes the
    /// provider acts on, so both sides spell them once.
    pub fn code(&self) -> String {
        let code = match self {
            Self::SignatureDoesNotMatch { .. } => ErrorCode::SignatureDoesNotMatch.as_str(),
            Self::IncompleteSignature(_) => ErrorCode::IncompleteSignature.as_str(),
            Self::AccessKeyNotFound => "InvalidAccessKeyId.NotFound",
            Self::TimestampExpired => "InvalidTimeStamp.Expired",
            Self::TimestampFormat => "InvalidTimeStamp.Format",
            Self::NonceUsed => "SignatureNonceUsed",
            Self::MissingParameter(_) => ErrorCode::MissingParameter.as_str(),
            Self::InvalidParameter { name, .. } => return format!("InvalidParameter.{name}"),
            Self::ApiNotFound => "InvalidApi.NotFound",
            Self::MissingSecurityToken => ErrorCode::MissingSecurityToken.as_str(),
            Self::SecurityTokenExpired => "InvalidSecurityToken.Expired",
            Self::SecurityTokenMalformed => "InvalidSecurityToken.Malformed",
            Self::ImageNotFound(_) => ErrorCode::ImageNotFound.as_str(),
            Self::InvalidParams(_) => ErrorCode::InvalidParams.as_str(),
            Self::ImageAlreadyExists(_) => ErrorCode::ImageAlreadyExists.as_str(),
            Self::ImageInUse(_) => ErrorCode::ImageInUse.as_str(),
            Self::ServiceUnavailable => ErrorCode::ServiceUnavailable.as_str(),
            Self::Throttled { .. } => "Throttling.User",
            Self::Internal => "InternalError",
            Self::MetadataUnauthorized => "Unauthorized",
            Self::MetadataNotFound => "NotFound",
            Self::MetadataBadRequest(_) => "BadRequest",
        };
        code.to_string()
    }

    /// The HTTP status the gateway answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::AccessKeyNotFound
            | Self::ApiNotFound
            | Self::ImageNotFound(_)
            | Self::MetadataNotFound => StatusCode::NOT_FOUND,
            Self::InvalidParams(_) | Self::ImageInUse(_) => StatusCode::FORBIDDEN,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::MetadataUnauthorized => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn is_metadata(&self) -> bool {
        matches!(
            self,
            Self::MetadataUnauthorized | Self::MetadataNotFound | Self::MetadataBadRequest(_)
        )
    }

    /// The JSON body for a request with this id, sent to `host`.
    pub fn body(&self, request_id: &str, host: &str) -> ErrorBody {
        let code = self.code();
        ErrorBody {
            recommend: format!(
                "https://api.aliyun.com/troubleshoot?q={code}&product=EhpcInstant&\
                 requestId={request_id}"
            ),
            request_id: request_id.to_string(),
            host_id: host.to_string(),
            message: self.to_string(),
            code,
        }
    }

    /// The full response for a request with this id, sent to `host`.
    pub fn to_response(&self, request_id: &str, host: &str) -> Response {
        let mut response = if self.is_metadata() {
            (self.status(), self.to_string()).into_response()
        } else {
            let body = serde_json::to_vec(&self.body(request_id, host)).unwrap_or_default();
            (
                self.status(),
                [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
                body,
            )
                .into_response()
        };
        if let Self::Throttled { retry_after_ms } = self {
            response
                .headers_mut()
                .insert("x-acs-retry-after", HeaderValue::from(*retry_after_ms));
        }
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for ApiError {
    /// Renders with a fresh request id and no host; the RPC envelope layer replaces both.
    fn into_response(self) -> Response {
        let request_id = super::ids::request_id(&mut rand::rng());
        self.to_response(&request_id, "")
    }
}

#[cfg(test)]
mod tests;
