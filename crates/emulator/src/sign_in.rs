// SPDX-License-Identifier: MPL-2.0
//! The token exchanges behind the aliyun CLI's sign-in profile modes: the CloudSSO portal's
//! `POST /cloud-credentials` (CreateCloudCredential: an SSO access token plus an account and
//! access configuration) and the OAuth server's `POST /v1/exchange` (an OAuth access token).
//! Both take `Authorization: Bearer <token>`, accept only the tokens the configuration lists
//! (`sso_tokens`, `oauth_tokens`; none listed means every call is refused) and answer 1-hour
//! temporary credentials from the STS store, which the gateway then accepts. Every call goes to
//! the call log (`CloudSSO.CreateCloudCredential`, `OAuth.Exchange`) with the bearer token kept
//! apart as a received secret; no log line carries it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use time::Duration;

use super::inspect;
use super::verify::constant_time_eq;
use super::AppState;

/// Lifetime of the credentials either exchange issues.
const CREDENTIAL_LIFETIME: Duration = Duration::hours(1);
/// Call-log action of the CloudSSO exchange.
const SSO_ACTION: &str = "CloudSSO.CreateCloudCredential";
/// Call-log action of the OAuth exchange.
const OAUTH_ACTION: &str = "OAuth.Exchange";

/// The sign-in routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cloud-credentials", post(cloud_credential_create))
        .route("/v1/exchange", post(oauth_exchange))
}

/// A refused exchange; the message never quotes the request.
enum Refusal {
    /// 401: no bearer token, or one the configuration does not list.
    Token(&'static str),
    /// 400: the CloudSSO body is not the expected JSON object.
    Body(String),
}

impl Refusal {
    fn parts(self) -> (StatusCode, &'static str, String) {
        match self {
            Self::Token(m) => (StatusCode::UNAUTHORIZED, "InvalidAccessToken", m.into()),
            Self::Body(m) => (StatusCode::BAD_REQUEST, "InvalidParameter", m),
        }
    }
}

/// `POST /cloud-credentials` with `{"AccountId": ..., "AccessConfigurationId": ...}`.
async fn cloud_credential_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = bearer(&headers);
    let request_id = state.request_id();
    let outcome = authorize(token, &state.inner.config.sso_tokens)
        .and_then(|()| check_body(&body))
        .map(|()| {
            let cred = state.issue_sts(CREDENTIAL_LIFETIME);
            json!({
                "CloudCredential": {
                    "AccessKeyId": cred.access_key_id,
                    "AccessKeySecret": cred.access_key_secret,
                    "SecurityToken": cred.security_token,
                    "Expiration": cred.expiration_text(),
                },
                "RequestId": &request_id,
            })
        });
    answer(&state, SSO_ACTION, token, request_id, outcome)
}

/// `POST /v1/exchange`; the body, if any, is ignored.
async fn oauth_exchange(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = bearer(&headers);
    let request_id = state.request_id();
    let outcome = authorize(token, &state.inner.config.oauth_tokens).map(|()| {
        let cred = state.issue_sts(CREDENTIAL_LIFETIME);
        json!({
            "accessKeyId": cred.access_key_id,
            "accessKeySecret": cred.access_key_secret,
            "securityToken": cred.security_token,
            "expiration": cred.expiration_text(),
            "requestId": &request_id,
        })
    });
    answer(&state, OAUTH_ACTION, token, request_id, outcome)
}

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Accepts a token the configuration lists, comparing without an early exit.
fn authorize(token: Option<&str>, accepted: &[String]) -> Result<(), Refusal> {
    let token = token.ok_or(Refusal::Token("A bearer access token is required."))?;
    if accepted
        .iter()
        .fold(false, |found, a| found | constant_time_eq(a, token))
    {
        Ok(())
    } else {
        Err(Refusal::Token("The access token is invalid or expired."))
    }
}

/// The CloudSSO body must be a JSON object with both ids as non-empty strings.
fn check_body(body: &[u8]) -> Result<(), Refusal> {
    let value: Value = serde_json::from_slice(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| Refusal::Body("The request body must be a JSON object.".into()))?;
    for field in ["AccountId", "AccessConfigurationId"] {
        if value[field].as_str().is_none_or(str::is_empty) {
            return Err(Refusal::Body(format!(
                "{field} is required and must be a non-empty string."
            )));
        }
    }
    Ok(())
}

/// Records the call and renders the outcome. NOTE(protocol): neither service documents its
/// error body; `{ErrorCode, ErrorMessage, RequestId}` is our assumption. Clients rely only on
/// the status and quote the body.
fn answer(
    state: &AppState,
    action: &str,
    token: Option<&str>,
    request_id: String,
    outcome: Result<Value, Refusal>,
) -> Response {
    let (status, code, body) = match outcome {
        Ok(body) => (StatusCode::OK, None, body),
        Err(refusal) => {
            let (status, code, message) = refusal.parts();
            let body =
                json!({"ErrorCode": code, "ErrorMessage": message, "RequestId": &request_id});
            (status, Some(code.to_string()), body)
        }
    };
    inspect::push_exchange(state, action, request_id, status.as_u16(), code, token);
    (status, Json(body)).into_response()
}
