// SPDX-License-Identifier: MPL-2.0
//! Typed API errors. Messages say what to do; no secret ever appears in one.
//!
//! [`ApiError::from_response`] turns any error answer (JSON from the gateway or the service, or
//! an HTML page from a proxy) into one value with the HTTP status; [`ApiError::describe`] adds a
//! hint per documented code. The hints name provider attributes (`secret_key`, `max_retries`)
//! but nothing else of Terraform.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

/// An error answer from an Alibaba Cloud endpoint (gateway or service), with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    pub status: u16,
    /// E.g. `ImageNotFound`, `Throttling.User`, `SignatureDoesNotMatch`. Empty when the body
    /// was not a JSON error (then `message` describes the body).
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub host_id: String,
    pub recommend: String,
    /// RAM denials: the raw `AccessDeniedDetail` object, as compact JSON.
    pub access_denied_detail: String,
    /// From the `x-acs-retry-after` header (milliseconds), when present.
    pub retry_after: Option<Duration>,
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
    Transport { endpoint: String, message: String },
    /// StopProvider (Ctrl-C) cancelled the call.
    #[error(
        "cancelled: Terraform asked the provider to stop (interrupt) while the call was {during}"
    )]
    Cancelled { during: String },
    /// The overall deadline (the resource's timeout) passed; `last` is the last attempt's error.
    #[error("gave up after {attempts} attempt(s) when the deadline passed; last error: {last}")]
    DeadlineExceeded { attempts: u32, last: Box<Error> },
    /// Credentials could not be found or obtained; the message lists where we looked.
    #[error("{0}")]
    Credentials(String),
    /// Invalid client configuration (e.g. an endpoint URL that is not a URL).
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// The API error behind this error, looking through `DeadlineExceeded`.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::DeadlineExceeded { last, .. } => last.api(),
            _ => None,
        }
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
        }
    }

    /// Builds the error from an HTTP answer. Reads `Code`/`code`, `Message`/`message`,
    /// `RequestId`/`requestId` (else the `x-acs-request-id` header), `HostId`, `Recommend`,
    /// `AccessDeniedDetail`, and the `x-acs-retry-after` header (positive milliseconds).
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
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
        err.request_id = header("x-acs-request-id").unwrap_or_default().to_string();
        err.retry_after = retry_after;
        let json = serde_json::from_slice::<Value>(body).ok();
        let Some(obj) = json.as_ref().and_then(Value::as_object) else {
            err.message = describe_body(status, body);
            return err;
        };
        let field = |names: &[&str]| {
            names.iter().find_map(|n| obj.get(*n)).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        err.code = field(&["Code", "code"]).unwrap_or_default();
        err.message = field(&["Message", "message"]).unwrap_or_default();
        if let Some(id) = field(&["RequestId", "requestId"]) {
            err.request_id = id;
        }
        err.host_id = field(&["HostId", "hostId"]).unwrap_or_default();
        err.recommend = field(&["Recommend", "recommend"]).unwrap_or_default();
        err.access_denied_detail = field(&["AccessDeniedDetail"]).unwrap_or_default();
        if err.code.is_empty() && err.message.is_empty() {
            err.message = describe_body(status, body);
        }
        // NOTE(protocol): SignatureDoesNotMatch messages end with the server's string to sign,
        // which holds the SecurityToken and key id; keep only the human part.
        if let Some(pos) = err.message.to_ascii_lowercase().find("string to sign") {
            err.message.truncate(pos);
            err.message = format!(
                "{} (the server's string to sign is omitted)",
                err.message.trim_end()
            );
        }
        err
    }

    /// Replaces every occurrence of the given secrets (and their percent-encoded forms) with
    /// `<redacted>`, in case an error page echoes the request.
    pub(crate) fn redact(&mut self, secrets: &[&str]) {
        for field in [
            &mut self.message,
            &mut self.recommend,
            &mut self.access_denied_detail,
        ] {
            *field = redact(field, secrets);
        }
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
        if !self.recommend.is_empty() {
            out.push_str(&format!(" Diagnosis: {}", self.recommend));
        }
        out
    }

    /// What the user can do about this code.
    fn hint(&self) -> Option<String> {
        let code = self.code.as_str();
        let hint = match code {
            "SignatureDoesNotMatch" => "The signature was rejected: check that secret_key is the AccessKey secret that belongs to access_key.".to_string(),
            "IncompleteSignature" => "The request signature was incomplete or malformed; check that access_key and secret_key are complete and contain no stray whitespace.".to_string(),
            "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId" => "Check access_key: no AccessKey with this id exists.".to_string(),
            "InvalidAccessKeyId.Inactive" => "The AccessKey is disabled; enable it in the RAM console or configure an active access_key.".to_string(),
            "InvalidTimeStamp.Expired" => "This machine's clock differs from Alibaba Cloud's by more than 15 minutes; synchronise it (NTP) and retry.".to_string(),
            "InvalidTimeStamp.Format" | "IllegalTimestamp" => "The request timestamp was rejected; check this machine's clock and time zone settings.".to_string(),
            "SignatureNonceUsed" => "The request nonce was already used; this is transient, retry the operation.".to_string(),
            "MissingSecurityToken" => "Temporary (STS) credentials need a security token: set security_token, or use assume_role.".to_string(),
            c if c.starts_with("InvalidSecurityToken") => "The temporary credentials expired or are invalid: refresh security_token, or use assume_role so they are renewed automatically.".to_string(),
            "Forbidden.RAM" | "ActionUnauthorized" | "Forbidden" | "NoPermission" => {
                let action = self.denied_action().unwrap_or_else(|| "ehpc:SynchronizeApp".to_string());
                format!("The RAM user or role is not allowed to call this API: grant it a RAM policy that allows `{action}`.")
            }
            "Forbidden.RiskControl" => "The account is restricted by Alibaba Cloud risk control; contact Alibaba Cloud support with the RequestId.".to_string(),
            c if c.contains("Throttling") => "The API's flow control limit was reached: lower Terraform's -parallelism or raise max_retries.".to_string(),
            "InvalidApi.NotFound" | "InvalidProduct.NotFound" | "InvalidVersion" => "The endpoint does not serve EhpcInstant 2023-07-01: check the region and any endpoint override.".to_string(),
            "ImageNotFound" => "The app_id does not exist in this region; check the app id and the region.".to_string(),
            "ImageAlreadyExists" => "The app already exists in a target region; remove that region from target_region_ids or delete the copy first.".to_string(),
            "InvalidParams" => "Check target_region_ids: each must be a region id where E-HPC Instant is available (e.g. cn-shanghai) or the single value \"all\".".to_string(),
            "MissingParameter" => "A required parameter was missing; check app_id.".to_string(),
            "DbError" | "ServiceAPIError" | "EcsError" | "AliyunError" | "InternalError" | "UnknownError" => "This is a service-side error: retry later, and if it persists contact Alibaba Cloud support with the RequestId.".to_string(),
            "ServiceUnavailable" => "The service is temporarily unavailable: retry later.".to_string(),
            "" if self.status >= 500 => "The endpoint (or a proxy in front of it) failed: retry later, and check any endpoint override.".to_string(),
            "" => "The answer was not an Alibaba Cloud error document: check the endpoint and any proxy between this machine and Alibaba Cloud.".to_string(),
            _ => return None,
        };
        Some(hint)
    }

    /// `AccessDeniedDetail.AuthAction`, e.g. `ehpc:SynchronizeApp`.
    fn denied_action(&self) -> Option<String> {
        let detail: Value = serde_json::from_str(&self.access_denied_detail).ok()?;
        detail
            .get("AuthAction")?
            .as_str()
            .map(str::to_string)
            .filter(|s| !s.is_empty())
    }
}

/// A message for a body that is not a JSON error: empty, or quoted (trimmed, one line, cut).
fn describe_body(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return format!("the endpoint answered HTTP {status} with an empty body");
    }
    let mut excerpt: String = one_line.chars().take(BODY_EXCERPT_CHARS).collect();
    if one_line.chars().count() > BODY_EXCERPT_CHARS {
        excerpt.push('…');
    }
    format!("the endpoint answered HTTP {status} with a body that is not a JSON error: {excerpt}")
}

/// Replaces each secret, raw or percent-encoded (once or twice, as in a string to sign).
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        let once = super::signer::percent_encode(secret);
        let twice = super::signer::percent_encode(&once);
        for form in [twice, once, secret.to_string()] {
            if out.contains(&form) {
                out = out.replace(&form, "<redacted>");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
        ];
        for (name, status, body, want) in cases {
            let e = ApiError::from_response(status, &HeaderMap::new(), body.as_bytes());
            assert!(e.code.is_empty(), "{name}");
            assert!(e.message.contains(want), "{name}: {}", e.message);
        }
        let e = ApiError::from_response(502, &HeaderMap::new(), long.as_bytes());
        assert!(
            e.message.chars().count() < 300 && e.message.ends_with('…'),
            "{}",
            e.message
        );
    }

    #[test]
    fn string_to_sign_is_cut_from_signature_errors() {
        let body = br#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dsecret-token"}"#;
        let e = ApiError::from_response(400, &HeaderMap::new(), body);
        assert!(!e.message.contains("secret-token"), "{}", e.message);
        assert!(
            e.message.starts_with("Specified signature is not matched"),
            "{}",
            e.message
        );
    }

    #[test]
    fn describe_gives_a_hint_per_code() {
        let cases = [
            ("SignatureDoesNotMatch", 400, "check that secret_key"),
            ("IncompleteSignature", 400, "incomplete or malformed"),
            ("InvalidAccessKeyId.NotFound", 404, "Check access_key"),
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
                "refresh security_token, or use assume_role",
            ),
            ("MissingSecurityToken", 400, "security_token"),
            ("Forbidden.RAM", 403, "`ehpc:SynchronizeApp`"),
            ("ActionUnauthorized", 403, "`ehpc:SynchronizeApp`"),
            ("Throttling.User", 400, "-parallelism or raise max_retries"),
            (
                "InvalidApi.NotFound",
                404,
                "does not serve EhpcInstant 2023-07-01",
            ),
            ("ImageNotFound", 404, "app_id does not exist"),
            ("ImageAlreadyExists", 400, "already exists"),
            ("InvalidParams", 403, "Check target_region_ids"),
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
    fn redaction_covers_encoded_forms() {
        let token = "CAIS/tok+en==";
        let once = crate::alibaba::signer::percent_encode(token);
        let twice = crate::alibaba::signer::percent_encode(&once);
        let text = format!("a {token} b {once} c {twice} d");
        assert_eq!(
            redact(&text, &[token]),
            "a <redacted> b <redacted> c <redacted> d"
        );
        let mut e = ApiError::without_code(502, format!("echo {token}"));
        e.redact(&[token]);
        assert_eq!(e.message, "echo <redacted>");
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
}
