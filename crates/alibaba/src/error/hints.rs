// SPDX-License-Identifier: MPL-2.0
//! What to do about an error code, in the client's own terms: the AccessKey and its secret,
//! the security token, the target regions. A caller that knows where its user sets them
//! (a provider attribute, a command-line flag) adds that.

use super::ErrorCode;

/// The advice for `code` (HTTP `status`) that needs nothing but the code; `None` for a code
/// without one (and for RAM denials, whose advice names the denied action).
pub(super) fn fixed(code: &str, status: u16) -> Option<&'static str> {
    let typed = |typed: ErrorCode| typed.matches(code);
    let hint = match code {
        "SignatureDoesNotMatch" => {
            "The AccessKey secret is wrong: the server computed a different signature with the \
             secret it holds for this AccessKey id. Check that the secret belongs to the key id \
             (a stale secret, or a key id and a secret from two different sources)."
        }
        "IncompleteSignature" => {
            "The request signature was incomplete or malformed; check that the AccessKey id and \
             secret are complete and contain no stray whitespace."
        }
        "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId" => {
            "No AccessKey with this id exists (deleted, mistyped, or of another account)."
        }
        "InvalidAccessKeyId.Inactive" => {
            "The AccessKey is disabled; enable it in the RAM console or use an active AccessKey."
        }
        "InvalidTimeStamp.Expired" => {
            "This machine's clock differs from Alibaba Cloud's by more than 15 minutes; \
             synchronise it (NTP) and retry."
        }
        "InvalidTimeStamp.Format" | "IllegalTimestamp" => {
            "The request timestamp was rejected; check this machine's clock and time zone \
             settings."
        }
        "SignatureNonceUsed" => {
            "The request nonce was already used; this is transient, retry the operation."
        }
        "MissingSecurityToken" => {
            "Temporary (STS) credentials need a security token: send it with the AccessKey, or \
             assume a RAM role."
        }
        _ if typed(ErrorCode::InvalidSecurityToken) => {
            "The temporary credentials expired or are invalid: refresh the security token, or \
             assume a RAM role so they are renewed automatically."
        }
        "Forbidden.RiskControl" => {
            "The account is restricted by Alibaba Cloud risk control; contact Alibaba Cloud \
             support with the RequestId."
        }
        _ if typed(ErrorCode::Throttling) => {
            "The API's flow control limit was reached: make fewer calls at once, or allow more \
             time for retries."
        }
        "InvalidApi.NotFound" | "InvalidProduct.NotFound" | "InvalidVersion" => {
            "The endpoint does not serve EhpcInstant 2023-07-01: check the region and any \
             endpoint override."
        }
        "ImageNotFound" => {
            "The application or image does not exist in this region; check its id and the \
             region."
        }
        "ImageAlreadyExists" => {
            "The app already exists in a target region (or the image is already registered): \
             stop targeting that region or delete the copy first."
        }
        "InvalidParams" => {
            "A parameter was rejected: each target region must be a region id where E-HPC \
             Instant is available (e.g. cn-shanghai) or the single value \"all\"."
        }
        "MissingParameter" => "A required parameter (such as the AppId) was missing.",
        "DbError" | "ServiceAPIError" | "EcsError" | "AliyunError" | "InternalError"
        | "UnknownError" => {
            "This is a service-side error: retry later, and if it persists contact Alibaba \
             Cloud support with the RequestId."
        }
        "ServiceUnavailable" => "The service is temporarily unavailable: retry later.",
        "" if status >= 500 => {
            "The endpoint (or a proxy in front of it) failed: retry later, and check any \
             endpoint override."
        }
        "" => {
            "The answer was not an Alibaba Cloud error document: check the endpoint and any \
             proxy between this machine and Alibaba Cloud."
        }
        _ => return None,
    };
    Some(hint)
}
