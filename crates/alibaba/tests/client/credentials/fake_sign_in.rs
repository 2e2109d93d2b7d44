// SPDX-License-Identifier: MPL-2.0
//! The fake server's sign-in routes, merged into its router: a CloudSSO portal
//! (`POST /cloud-credentials`) and the OAuth service (`POST /v1/exchange`), recording every
//! request they (and any path no route serves) receive; plus the `CloudSSO` and `OAuth`
//! profiles and the checks the sign-in tests share.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use ehpc_alibaba::credentials::CredentialConfig;
use ehpc_alibaba::Error;
use serde_json::{json, Value};

use crate::credentials::fake_server::{header, temporary, Server, Shared};

pub(super) const SSO_PATH: &str = "/cloud-credentials";
pub(super) const OAUTH_PATH: &str = "/v1/exchange";

/// The access tokens and the refresh token of the profiles below.
pub(super) const SSO_TOKEN: &str = "sso-access-token-0001";
pub(super) const OAUTH_TOKEN: &str = "oauth-access-token-0001";
pub(super) const OAUTH_REFRESH: &str = "oauth-refresh-token-0001";

/// One request to a sign-in route, or to a path no route serves.
#[derive(Clone, Debug)]
pub(super) struct SignInRequest {
    pub method: String,
    pub path: String,
    /// What follows `Bearer ` in `Authorization`.
    pub bearer: Option<String>,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    pub user_agent: Option<String>,
    /// The body, empty or not.
    pub body: String,
    /// The body parsed as JSON, when it is.
    pub json: Option<Value>,
    /// Every header line and the body, for leak searches.
    pub raw: String,
}

/// Answers that replace the normal one, by path: (status, body).
#[derive(Default)]
pub(super) struct Overrides(Mutex<BTreeMap<String, (StatusCode, String)>>);

type S = State<Arc<Shared>>;

fn request(method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> SignInRequest {
    let body = String::from_utf8_lossy(body).into_owned();
    let mut raw = String::new();
    for (name, value) in headers {
        raw.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    raw.push_str(&body);
    SignInRequest {
        method: method.to_string(),
        path: uri.path().to_string(),
        bearer: header(headers, "authorization")
            .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string)),
        content_type: header(headers, "content-type"),
        accept: header(headers, "accept"),
        user_agent: header(headers, "user-agent"),
        json: serde_json::from_str(&body).ok(),
        body,
        raw,
    }
}

/// Records a sign-in request and returns its number (from 1) and the override, if any.
fn record(s: &Shared, got: SignInRequest) -> (usize, Option<(StatusCode, String)>) {
    let answer = s.sign_in_answers.0.lock().unwrap().get(&got.path).cloned();
    let mut seen = s.seen.lock().unwrap();
    seen.sign_in.push(got);
    (seen.sign_in.len(), answer)
}

/// `status` with `body`; for a redirection, `body` is the `Location`.
fn reply(status: StatusCode, body: String) -> Response {
    if status.is_redirection() {
        return (status, [("location", body)]).into_response();
    }
    let json = serde_json::from_str::<Value>(&body).is_ok();
    let content_type = if json {
        "application/json"
    } else {
        "text/html"
    };
    (status, [("content-type", content_type)], body).into_response()
}

/// The checks both services make before answering.
fn refused(got: &SignInRequest) -> Option<Response> {
    if got.method != "POST" {
        return Some(StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    got.bearer.is_none().then(|| {
        let body = json!({"ErrorCode": "NoAccessToken", "ErrorMessage": "no bearer token"});
        reply(StatusCode::UNAUTHORIZED, body.to_string())
    })
}

/// Credentials as `temporary` issues them (kind `sso` or `oauth`), without its `Code`.
fn issued(s: &Shared, kind: &str, n: usize) -> Value {
    let mut c = temporary(s, kind, n);
    if let Some(fields) = c.as_object_mut() {
        fields.remove("Code");
    }
    c
}

async fn cloud_credentials(
    State(s): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    exchange(
        &s,
        &method,
        &uri,
        &headers,
        &body,
        |n| json!({"CloudCredential": issued(&s, "sso", n), "RequestId": format!("sso-req-{n}")}),
    )
}

async fn oauth_exchange(
    State(s): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    exchange(&s, &method, &uri, &headers, &body, |n| {
        let c = issued(&s, "oauth", n);
        json!({"accessKeyId": c["AccessKeyId"], "accessKeySecret": c["AccessKeySecret"],
            "securityToken": c["SecurityToken"], "expiration": c["Expiration"],
            "requestId": format!("oauth-req-{n}")})
    })
}

/// Records the request, then answers the test's override for this path if any, else the
/// refusal of a bad request, else `success(n)` for the n-th request.
fn exchange(
    s: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    success: impl FnOnce(usize) -> Value,
) -> Response {
    let got = request(method, uri, headers, body);
    let refusal = refused(&got);
    let (n, answer) = record(s, got);
    if let Some((status, body)) = answer {
        return reply(status, body);
    }
    if let Some(refusal) = refusal {
        return refusal;
    }
    reply(StatusCode::OK, success(n).to_string())
}

/// Any request no route serves: recorded, then 404.
async fn unrouted(
    State(s): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let got = request(&method, &uri, &headers, &body);
    s.seen.lock().unwrap().unrouted.push(got);
    StatusCode::NOT_FOUND
}

/// The sign-in routes and the fallback, for the fake server's router.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(SSO_PATH, any(cloud_credentials))
        .route(OAUTH_PATH, any(oauth_exchange))
        .fallback(unrouted)
}

impl Server {
    /// From now on, `path` answers `status` with `body` (the `Location` of a redirection).
    pub(super) fn answer_sign_in(&self, path: &str, status: StatusCode, body: &str) {
        let mut answers = self.shared.sign_in_answers.0.lock().unwrap();
        answers.insert(path.to_string(), (status, body.to_string()));
    }

    pub(super) fn sign_in_requests(&self) -> Vec<SignInRequest> {
        self.shared.seen.lock().unwrap().sign_in.clone()
    }

    /// Requests to sign-in routes and to paths no route serves.
    pub(super) fn requests_outside_sts(&self) -> Vec<SignInRequest> {
        let seen = self.shared.seen.lock().unwrap();
        seen.sign_in.iter().chain(&seen.unrouted).cloned().collect()
    }
}

/// Unix seconds `delta` from now.
pub(super) fn unix_from_now(delta: i64) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(now).unwrap_or(i64::MAX) + delta
}

/// A complete `CloudSSO` profile whose portal is the fake server; `expire` as the CLI writes
/// `cloud_sso_access_token_expire`.
pub(super) fn sso_profile(srv: &Server, name: &str, expire: &Value) -> Value {
    json!({"name": name, "mode": "CloudSSO", "region_id": "cn-hangzhou",
        "cloud_sso_sign_in_url": format!("{}/device/login?state=sso-url-state", srv.base),
        "cloud_sso_account_id": "1234567890", "cloud_sso_access_config": "ac-admin",
        "access_token": SSO_TOKEN, "cloud_sso_access_token_expire": expire})
}

/// Profiles `sso` and `o` (OAuth, site CN), with tokens valid for an hour.
pub(super) fn sso_and_oauth(srv: &Server) -> Vec<Value> {
    let hour = in_an_hour();
    vec![
        sso_profile(srv, "sso", &hour),
        oauth_profile("o", "", &hour),
    ]
}

/// A complete `OAuth` profile of site `site` (`oauth_site_type`).
pub(super) fn oauth_profile(name: &str, site: &str, expire: &Value) -> Value {
    json!({"name": name, "mode": "OAuth", "oauth_site_type": site,
        "oauth_access_token": OAUTH_TOKEN, "oauth_access_token_expire": expire,
        "oauth_refresh_token": OAUTH_REFRESH})
}

/// Writes `sign-in.json` (under the server's HOME) holding `profiles`; returns the config
/// selecting `profile` in it, and the file's path.
pub(super) fn profiles(
    srv: &Server,
    profiles: &[Value],
    profile: &str,
) -> (CredentialConfig, String) {
    let text = json!({"current": "", "profiles": profiles}).to_string();
    let file = srv.write_file("sign-in.json", &text);
    let config = CredentialConfig {
        profile: Some(profile.into()),
        shared_credentials_file: Some(file.clone()),
        ..Default::default()
    };
    (config, file)
}

/// A token expiry an hour from now, as the CLI writes it.
pub(super) fn in_an_hour() -> Value {
    json!(unix_from_now(3600))
}

/// `profile` with `key` set to `value`, or removed when `value` is null.
pub(super) fn with_key(mut profile: Value, key: &str, value: Value) -> Value {
    let fields = profile.as_object_mut().expect("a profile object");
    match value {
        Value::Null => fields.remove(key),
        v => fields.insert(key.to_string(), v),
    };
    profile
}

/// Neither an access token nor the refresh token is in `text`.
pub(super) fn assert_no_token(what: &str, text: &str) {
    for token in [SSO_TOKEN, OAUTH_TOKEN, OAUTH_REFRESH] {
        assert!(!text.contains(token), "{what}: {token} in {text}");
    }
}

/// The credentials error of `result`, checked for tokens in its text and `Debug`.
pub(super) fn credentials_error<T>(what: &str, result: Result<T, Error>) -> String {
    let Err(err) = result else {
        panic!("{what}: expected an error")
    };
    assert!(matches!(err, Error::Credentials(_)), "{what}: {err:?}");
    assert_no_token(what, &format!("{err} {err:?}"));
    err.to_string()
}
