// SPDX-License-Identifier: MPL-2.0
//! One RPC-style call attempt (EhpcInstant, STS): common parameters, V2 signature, send, and
//! the answer as JSON or a typed error.
//!
//! Every parameter of an EhpcInstant call travels in the URL query string and the body is empty, as
//! Alibaba's current SDKs send it; STS calls carry theirs in a POST form body
//! ([`Placement::FormBody`]), so that no token is ever part of a URL. Each attempt gets a fresh
//! timestamp, nonce and signature, so retries are never rejected as replays. The query (signature,
//! token) is never logged nor put in an error.

use std::collections::BTreeMap;

use std::time::Duration;

use time::OffsetDateTime;

use super::credentials::Credentials;
use super::error::{sanitize, ID_CHARS};
use super::{signer, timestamp, ApiError, Error, HttpClient, ServiceUrl};

/// One RPC call to make: what the retry loop repeats, attempt after attempt.
pub(crate) struct RpcCall<'a> {
    /// `"POST"` or `"GET"`; it is part of the string to sign.
    pub method: &'static str,
    pub action: &'a str,
    pub version: &'a str,
    /// The business parameters (e.g. `AppId`); the common ones are added per attempt.
    pub params: BTreeMap<String, String>,
    /// `None` sends an anonymous, unsigned request (STS `AssumeRoleWithOIDC`).
    pub credentials: Option<&'a Credentials>,
}

/// A fresh `SignatureNonce`: 128 random bits as 32 lower-case hex digits.
pub(crate) fn new_nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Every query parameter of one attempt, `Signature` included when signed. Pure: the time and
/// nonce are inputs so tests can pin the output against the reference vectors.
pub(crate) fn build_query(
    call: &RpcCall<'_>,
    now: OffsetDateTime,
    nonce: &str,
) -> BTreeMap<String, String> {
    let mut q = call.params.clone();
    let mut set = |k: &str, v: &str| {
        q.insert(k.to_string(), v.to_string());
    };
    set("Action", call.action);
    set("Version", call.version);
    set("Format", "json");
    set("Timestamp", &timestamp::format(now));
    set("SignatureNonce", nonce);
    if let Some(c) = call.credentials {
        set("AccessKeyId", &c.access_key_id);
        set("SignatureMethod", "HMAC-SHA1");
        set("SignatureVersion", "1.0");
        if let Some(token) = c.security_token.as_deref().filter(|t| !t.is_empty()) {
            set("SecurityToken", token);
        }
        let signature = signer::sign_v2(
            &c.access_key_secret,
            &signer::string_to_sign_v2(call.method, &q),
        );
        q.insert("Signature".to_string(), signature);
    }
    q
}

/// Largest answer body read from any endpoint (API, STS, ECS metadata, credentials URI).
/// Real answers are a few hundred bytes; the cap keeps a broken proxy or a hostile endpoint
/// from making the provider buffer without bound.
pub(crate) const MAX_ANSWER_BYTES: usize = 1 << 20;

/// Reads an answer body of at most [`MAX_ANSWER_BYTES`]; the error text names no URL.
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(describe_transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(format!(
                "the answer is larger than {MAX_ANSWER_BYTES} bytes; check the endpoint"
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An answer read to its end.
pub(crate) struct Answer {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// Sends `request` and reads its whole answer, all within `limit`. Every request of the crate
/// (API, STS, ECS metadata, sign-in, credentials URI) goes through here: a per-read timeout
/// alone would let an endpoint that trickles one byte every few seconds hold a call forever.
/// The error text names no URL.
pub(crate) async fn exchange(
    request: reqwest::RequestBuilder,
    limit: Duration,
) -> Result<Answer, String> {
    let whole = async {
        let mut response = request.send().await.map_err(describe_transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(response).await?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    };
    tokio::time::timeout(limit, whole)
        .await
        .unwrap_or_else(|_| Err(timed_out(limit)))
}

/// The words of a request stopped at its limit, sending or reading.
fn timed_out(limit: Duration) -> String {
    format!(
        "timed out: no complete answer within {} ms",
        limit.as_millis()
    )
}

/// Sends one attempt to `base` and returns the parsed JSON answer (2xx) or the error.
/// The User-Agent is the one of `http`.
///
/// Transport errors name only `scheme://host[:port]`, never the query.
pub(crate) async fn send_once(
    http: &HttpClient,
    base: &ServiceUrl,
    call: &RpcCall<'_>,
) -> Result<serde_json::Value, Error> {
    send_once_as(http, base, call, Placement::Query).await
}

/// Where an attempt's parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// All in the URL query, as Alibaba's SDKs send EhpcInstant calls.
    Query,
    /// All, `Signature` included, in an `application/x-www-form-urlencoded` POST body, the URL
    /// being `/`: nothing secret (OIDC token, security token, signature) is in a URL, which
    /// proxies and access logs record. The V2 signature covers query and form parameters alike
    /// (the gateway merges them), so it is the same as with [`Placement::Query`] for `POST`.
    FormBody,
}

/// [`send_once`] with the parameters where `placement` says; `FormBody` needs a `POST` call.
pub(crate) async fn send_once_as(
    http: &HttpClient,
    base: &ServiceUrl,
    call: &RpcCall<'_>,
    placement: Placement,
) -> Result<serde_json::Value, Error> {
    let pool = http.pool_for(base.as_str())?;
    let query = build_query(call, OffsetDateTime::now_utc(), &new_nonce());
    let method = if call.method == "GET" {
        reqwest::Method::GET
    } else {
        reqwest::Method::POST
    };
    let request = match placement {
        Placement::Query => {
            let url = format!("{}/?{}", base.as_str(), signer::canonical_query(&query));
            pool.request(method, url)
        }
        Placement::FormBody => pool
            .request(method, format!("{}/", base.as_str()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(signer::canonical_query(&query)),
    };
    let request = request
        .header("x-acs-action", call.action)
        .header("x-acs-version", call.version);
    let Answer {
        status,
        headers,
        body,
    } = exchange(request, http.read_timeout())
        .await
        .map_err(|message| {
            let endpoint = base.to_string();
            if message.starts_with(CONNECT_FAILED) {
                Error::Unreachable { endpoint, message }
            } else {
                Error::Transport { endpoint, message }
            }
        })?;
    let secrets = secrets_of(call, &query);
    let error = || ApiError::from_response_redacting(status.as_u16(), &headers, &body, &secrets);
    if !status.is_success() {
        return Err(Error::from(error()));
    }
    let mut answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
        let mut err = error();
        err.message = format!(
            "the answer to {} was not JSON ({})",
            call.action, err.message
        );
        Error::from(err)
    })?;
    // A gateway or proxy may wrap a failure in a 2xx: recording it as a success would hide it.
    if reports_failure(&answer) {
        // It may also hold credentials (STS `Credentials`): never quoted.
        let held = credentials_in(&answer);
        let mut secrets = secrets.clone();
        secrets.extend(held.iter().map(String::as_str));
        return Err(Error::from(ApiError::from_response_redacting(
            status.as_u16(),
            &headers,
            &body,
            &secrets,
        )));
    }
    // The one string of a success the client keeps (logs, Terraform state).
    if let Some(id) = answer.get_mut("RequestId") {
        if let Some(text) = id.as_str() {
            *id = serde_json::Value::String(sanitize(text, &secrets, ID_CHARS));
        }
    }
    Ok(answer)
}

/// `Code` values that mean success in the answers of Alibaba Cloud services.
const SUCCESS_CODES: &[&str] = &["", "Success", "OK", "200", "0"];

/// Whether a 2xx answer is an error document: a `Code` other than a success marker, or
/// `Success: false`.
pub(crate) fn reports_failure(answer: &serde_json::Value) -> bool {
    use serde_json::Value;
    let code = ["Code", "code"].iter().find_map(|k| answer.get(*k));
    let bad_code = match code {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !SUCCESS_CODES.iter().any(|ok| s.eq_ignore_ascii_case(ok)),
        Some(Value::Number(n)) => !SUCCESS_CODES.contains(&n.to_string().as_str()),
        Some(_) => true,
    };
    let success_false = ["Success", "success"]
        .iter()
        .any(|k| answer.get(*k) == Some(&Value::Bool(false)));
    bad_code || success_false
}

/// The keys under which an answer hands out a credential's secret parts.
const CREDENTIAL_KEYS: &[&str] = &[
    "AccessKeySecret",
    "SecurityToken",
    "accessKeySecret",
    "securityToken",
];

/// The secret parts of any credential an answer holds, at any depth: an error document that
/// also carries credentials is quoted without them.
pub(crate) fn credentials_in(answer: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let mut found = Vec::new();
    let mut pending = vec![answer];
    while let Some(v) = pending.pop() {
        match v {
            Value::Object(fields) => {
                for (k, v) in fields {
                    match v.as_str() {
                        Some(s) if CREDENTIAL_KEYS.contains(&k.as_str()) => {
                            found.push(s.to_string());
                        }
                        _ => pending.push(v),
                    }
                }
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// This attempt's secrets, which an error page that echoes the request could hold: the
/// signature, the security token, the OIDC token (STS) and the secret key.
fn secrets_of<'a>(call: &'a RpcCall<'_>, query: &'a BTreeMap<String, String>) -> Vec<&'a str> {
    let mut secrets: Vec<&str> = ["Signature", "SecurityToken", "OIDCToken"]
        .iter()
        .filter_map(|k| query.get(*k).map(String::as_str))
        .collect();
    if let Some(c) = call.credentials {
        secrets.push(&c.access_key_secret);
    }
    secrets
}

/// How [`describe_transport`] starts the text of a connection that could not be opened
/// (refused, unknown host, TLS handshake): [`send_once`] makes it an `Error::Unreachable`.
const CONNECT_FAILED: &str = "could not connect";

/// The cause chain of a transport error, without the URL (it holds the signature and token).
fn describe_transport(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        CONNECT_FAILED
    } else {
        "no valid answer"
    };
    let e = e.without_url();
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    if causes.is_empty() {
        format!("{kind}: {e}")
    } else {
        format!("{kind}: {e}: {}", causes.join(": "))
    }
}

#[cfg(test)]
mod tests;
