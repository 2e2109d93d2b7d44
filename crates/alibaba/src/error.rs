// SPDX-License-Identifier: MPL-2.0
//! Typed API errors. Messages say what to do; no secret ever appears in one.
//!
//! [`ApiError::from_response`] turns any error answer (JSON from the gateway or the service, or
//! an HTML page from a proxy) into one value with the HTTP status; [`ApiError::describe`] adds a
//! hint per documented code, in the client's own terms (the AccessKey secret, the target
//! regions): the caller adds where its user sets them. [`ErrorCode`] types the codes callers
//! act on ([`Error::is`], [`ApiError::is`]).

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

mod code;
mod hints;
mod sanitize;

pub use code::ErrorCode;
pub use sanitize::{body_excerpt, sanitize, CUT_MARKER, REDACTED, REPLACEMENT};
pub(crate) use sanitize::{redact, sanitize_tail, ID_CHARS, TEXT_CHARS};

/// An error answer from an Alibaba Cloud endpoint (gateway or service), with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    /// The HTTP status of the answer.
    pub status: u16,
    /// E.g. `ImageNotFound`, `Throttling.User`, `SignatureDoesNotMatch`. Empty when the body
    /// was not a JSON error (then `message` describes the body).
    pub code: String,
    /// The service's own words (sanitized); may be empty.
    pub message: String,
    /// The service's id of the call, for support requests; may be empty.
    pub request_id: String,
    /// The gateway host that answered; may be empty.
    pub host_id: String,
    /// The troubleshooting link the gateway suggests; may be empty.
    pub recommend: String,
    /// RAM denials: the raw `AccessDeniedDetail` object, as compact JSON.
    pub access_denied_detail: String,
    /// From the `x-acs-retry-after` header (milliseconds), when present.
    pub retry_after: Option<Duration>,
    /// The EhpcInstant action answered (e.g. `ListImages`), so that a RAM denial names the
    /// action to allow; empty for other services.
    pub action: String,
    /// For an error about the credentials (see [`ApiError::is_credential_error`]): which
    /// credentials were sent, so that a stale key is found where it was configured.
    pub credential: Option<CredentialUse>,
}

/// Which credentials a rejected call was signed with: never the secret, only where the key
/// came from and the first characters of its id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CredentialUse {
    /// Where the chain found the key, as [`CredentialProvider::source`] says it (e.g.
    /// `environment (ALICLOUD_ACCESS_KEY)`, `profile "default" (mode AK)`).
    ///
    /// [`CredentialProvider::source`]: crate::credentials::CredentialProvider::source
    pub source: String,
    /// The key id's first 4 characters and `****` (see [`key_id_hint`]).
    pub key_id: String,
}

/// The first 4 characters of an AccessKey id and `****`: enough to tell two keys apart in an
/// error, too little to use (`LTAI****`). Ids of 8 characters or fewer show only `****`.
pub fn key_id_hint(id: &str) -> String {
    if id.chars().count() <= 8 {
        return "****".to_string();
    }
    let head: String = id.chars().take(4).collect();
    format!("{head}****")
}

/// Everything a call to the API can fail with.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// The service or gateway answered with an error. Boxed: it is large, and errors travel
    /// through every `Result` of the client.
    #[error("{}", .0.describe())]
    Api(Box<ApiError>),
    /// No answer: connection refused or reset, TLS failure, read timeout.
    #[error("request to {endpoint} failed: {message}")]
    Transport {
        /// `scheme://host[:port]` of the request.
        endpoint: String,
        /// What the HTTP stack said (sanitized).
        message: String,
    },
    /// The connection was refused or the host not found: most likely a wrong endpoint or
    /// region. `endpoint` is `scheme://host[:port]`; the caller words what to check.
    #[error("could not connect to {endpoint}: {message}")]
    Unreachable {
        /// `scheme://host[:port]` that could not be reached.
        endpoint: String,
        /// What the HTTP stack said (sanitized).
        message: String,
    },
    /// StopProvider (Ctrl-C) cancelled the call.
    #[error(
        "cancelled: Terraform asked the provider to stop (interrupt) while the call was {during}"
    )]
    Cancelled {
        /// What the call was doing, e.g. `synchronizing app X from region cn-hangzhou`.
        during: String,
    },
    /// The overall deadline (the resource's timeout) passed; `last` is the last attempt's error.
    #[error("gave up after {attempts} attempt(s) when the deadline passed; last error: {last}")]
    DeadlineExceeded {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's error.
        last: Box<Error>,
    },
    /// The server asked to wait (`x-acs-retry-after`) longer than was left before the
    /// deadline, so the retry it asked for could not be made; `last` is its error.
    #[error(
        "gave up after {attempts} attempt(s): the server asked to wait {} ms before retrying \
         (x-acs-retry-after) but only {} ms were left before the deadline; last error: {last}",
        retry_after.as_millis(),
        left.as_millis()
    )]
    RetryAfterPastDeadline {
        /// How many attempts were made.
        attempts: u32,
        /// How long the server asked to wait.
        retry_after: Duration,
        /// How long was left before the deadline.
        left: Duration,
        /// The error that came with the request to wait.
        last: Box<Error>,
    },
    /// Credentials could not be found or obtained; the message lists where we looked.
    #[error("{0}")]
    Credentials(String),
    /// Invalid client configuration (e.g. an endpoint URL that is not a URL).
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// The API error behind this error, looking through `DeadlineExceeded` and
    /// `RetryAfterPastDeadline`.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::DeadlineExceeded { last, .. } | Error::RetryAfterPastDeadline { last, .. } => {
                last.api()
            }
            _ => None,
        }
    }

    /// This error with `action` recorded as the EhpcInstant action its API error answered.
    pub(crate) fn answering(mut self, action: &str) -> Error {
        match &mut self {
            Error::Api(api) => api.action = action.to_string(),
            Error::DeadlineExceeded { last, .. } | Error::RetryAfterPastDeadline { last, .. } => {
                let inner = std::mem::replace(&mut **last, Error::Config(String::new()));
                **last = inner.answering(action);
            }
            _ => {}
        }
        self
    }

    /// Whether the API error behind this error (see [`Error::api`]) has `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.api().is_some_and(|api| api.is(code))
    }

    /// The API error code (e.g. `ImageNotFound`), when the service answered with one.
    pub fn code(&self) -> Option<&str> {
        self.api()
            .map(|a| a.code.as_str())
            .filter(|c| !c.is_empty())
    }
}

/// How much of a non-JSON body an error message quotes.
const BODY_EXCERPT_CHARS: usize = 200;

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

impl ApiError {
    /// An error about an answer that carried no error document (code empty).
    pub(crate) fn without_code(status: u16, message: String) -> ApiError {
        ApiError {
            status,
            code: String::new(),
            message,
            request_id: String::new(),
            host_id: String::new(),
            recommend: String::new(),
            access_denied_detail: String::new(),
            retry_after: None,
            action: String::new(),
            credential: None,
        }
    }

    /// Whether the gateway rejected the credentials themselves (unknown, disabled or wrong key,
    /// bad signature, bad or missing STS token), so that the source of the key matters.
    pub fn is_credential_error(&self) -> bool {
        [
            ErrorCode::SignatureDoesNotMatch,
            ErrorCode::IncompleteSignature,
            ErrorCode::MissingSecurityToken,
            ErrorCode::InvalidAccessKeyId,
            ErrorCode::InvalidSecurityToken,
        ]
        .into_iter()
        .any(|code| self.is(code))
    }

    /// Whether the answered code is `code` (or of its family, see [`ErrorCode`]).
    pub fn is(&self, code: ErrorCode) -> bool {
        code.matches(&self.code)
    }

    /// Builds the error from an HTTP answer. Reads `Code`/`code`, `Message`/`message`,
    /// `RequestId`/`requestId` (else the `x-acs-request-id` header), `HostId`, `Recommend`,
    /// `AccessDeniedDetail`, and the `x-acs-retry-after` header (positive milliseconds).
    /// Every field is [`sanitize`]d; [`ApiError::from_response_redacting`] also removes the
    /// request's secrets.
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
        Self::from_response_redacting(status, headers, body, &[])
    }

    /// [`ApiError::from_response`], removing `secrets` (an error page may echo the request)
    /// from each whole field before it is bounded.
    pub fn from_response_redacting(
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        secrets: &[&str],
    ) -> ApiError {
        let clean = |text: &str, max: usize| sanitize(text, secrets, max);
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        let mut err = ApiError::without_code(status, String::new());
        err.request_id = clean(header("x-acs-request-id").unwrap_or_default(), ID_CHARS);
        err.retry_after = retry_after;
        let json = serde_json::from_slice::<Value>(body).ok();
        let Some(obj) = json.as_ref().and_then(Value::as_object) else {
            err.message = describe_body(status, body, secrets);
            return err;
        };
        let field = |names: &[&str], max: usize| {
            names.iter().find_map(|n| obj.get(*n)).map(|v| match v {
                Value::String(s) => clean(&without_string_to_sign(s), max),
                other => clean(&other.to_string(), max),
            })
        };
        err.code = field(&["Code", "code"], ID_CHARS).unwrap_or_default();
        err.message = field(&["Message", "message"], TEXT_CHARS).unwrap_or_default();
        if let Some(id) = field(&["RequestId", "requestId"], ID_CHARS) {
            err.request_id = id;
        }
        err.host_id = field(&["HostId", "hostId"], ID_CHARS).unwrap_or_default();
        err.recommend = field(&["Recommend", "recommend"], TEXT_CHARS).unwrap_or_default();
        err.access_denied_detail = field(&["AccessDeniedDetail"], TEXT_CHARS).unwrap_or_default();
        if err.code.is_empty() && err.message.is_empty() {
            err.message = describe_body(status, body, secrets);
        }
        err
    }

    /// One paragraph for humans: code, message, HTTP status, RequestId and what to do.
    pub fn describe(&self) -> String {
        let mut out = if self.code.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("{} (HTTP {})", self.code, self.status)
        };
        let message = self.message.trim().trim_end_matches('.');
        if !message.is_empty() {
            out.push_str(": ");
            out.push_str(message);
        }
        out.push('.');
        if !self.request_id.is_empty() {
            out.push_str(&format!(" RequestId: {}.", self.request_id));
        }
        if let Some(hint) = self.hint() {
            out.push(' ');
            out.push_str(&hint);
        }
        if let Some(used) = &self.credential {
            out.push_str(&format!(
                " The request was signed with AccessKey id {} from {}.",
                used.key_id, used.source
            ));
        }
        if !self.recommend.is_empty() {
            out.push_str(&format!(" Diagnosis: {}", self.recommend));
        }
        out
    }

    /// What the user can do about this code.
    fn hint(&self) -> Option<String> {
        let denied = [
            "Forbidden.RAM",
            "ActionUnauthorized",
            "Forbidden",
            "NoPermission",
        ];
        if !denied.contains(&self.code.as_str()) {
            return hints::fixed(&self.code, self.status).map(str::to_string);
        }
        let fallback = match self.action.as_str() {
            "" => "ehpc:SynchronizeApp".to_string(),
            action => format!("ehpc:{action}"),
        };
        let action = self.denied_action().unwrap_or(fallback);
        Some(format!(
            "The RAM user or role is not allowed to call this API: grant it a RAM policy that \
             allows `{action}`."
        ))
    }

    /// `AccessDeniedDetail.AuthAction`, e.g. `ehpc:SynchronizeApp`.
    fn denied_action(&self) -> Option<String> {
        let detail: Value = serde_json::from_str(&self.access_denied_detail).ok()?;
        detail
            .get("AuthAction")?
            .as_str()
            // Parsed back out of the stored (escaped) JSON: its text is raw again.
            .map(|s| sanitize(s, &[], ID_CHARS))
            .filter(|s| !s.is_empty())
    }
}

/// A message for a body that is not a JSON error: empty, or quoted (see [`body_excerpt`]).
fn describe_body(status: u16, body: &[u8], secrets: &[&str]) -> String {
    let excerpt = body_excerpt(body, secrets, BODY_EXCERPT_CHARS);
    if excerpt.is_empty() {
        return format!("the endpoint answered HTTP {status} with an empty body");
    }
    format!("the endpoint answered HTTP {status} with a body that is not a JSON error: {excerpt}")
}

/// NOTE(protocol): SignatureDoesNotMatch messages end with the server's string to sign
/// ("… our calculation. server string to sign is:POST&…"), which holds the SecurityToken and
/// key id; keep only the human sentence before it, without the dangling "server" that
/// introduces it.
fn without_string_to_sign(message: &str) -> std::borrow::Cow<'_, str> {
    let Some(pos) = message.to_ascii_lowercase().find("string to sign") else {
        return message.into();
    };
    let mut head = message[..pos].trim_end();
    for lead in ["the server's", "server's", "the server", "server"] {
        let cut = head.len().saturating_sub(lead.len());
        if head.is_char_boundary(cut) && head[cut..].eq_ignore_ascii_case(lead) {
            head = head[..cut].trim_end();
            break;
        }
    }
    let head = head.trim_end_matches([' ', ':', ',', ';', '.']);
    if head.is_empty() {
        "the signature does not match the server's calculation".into()
    } else {
        head.to_string().into()
    }
}

#[cfg(test)]
mod tests;
