// SPDX-License-Identifier: MPL-2.0
//! The RPC envelope: the outermost layer on `/`. It buffers the body, merges the query string
//! and an `application/x-www-form-urlencoded` body into one parameter map (as the gateway does
//! for V2 signatures), assigns the request's `RequestId`, and re-renders any `ApiError` body
//! with that id and the request's host. Signature checks live in `verify`, not here.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState};

/// Largest request body accepted; SynchronizeApp bodies are tiny.
const MAX_BODY: usize = 1 << 20;

/// One received RPC request, shared with the inner layers as an `Arc<RpcRequest>` extension.
pub(crate) struct RpcRequest {
    pub method: Method,
    /// Query-string parameters only (what V3 signs as its canonical query).
    pub query: BTreeMap<String, String>,
    /// Query and form-body parameters merged (what V2 signs and what actions read).
    pub params: BTreeMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The `RequestId` every answer to this request carries.
    pub request_id: String,
    /// The `Host` header, echoed as `HostId` in error bodies.
    pub host: String,
}

// Parameters and headers hold signatures and security tokens: show only names.
impl fmt::Debug for RpcRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RpcRequest")
            .field("method", &self.method)
            .field("params", &self.params.keys().collect::<Vec<_>>())
            .field("request_id", &self.request_id)
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl RpcRequest {
    /// A header's value when it is present and valid text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Action` from the parameters (V2) or the `x-acs-action` header (V3).
    pub(crate) fn action(&self) -> Option<&str> {
        self.params
            .get("Action")
            .map(String::as_str)
            .or_else(|| self.header("x-acs-action"))
    }

    /// `Version` from the parameters (V2) or the `x-acs-version` header (V3).
    pub(crate) fn version(&self) -> Option<&str> {
        self.params
            .get("Version")
            .map(String::as_str)
            .or_else(|| self.header("x-acs-version"))
    }

    /// A parameter, treating an empty value as absent.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Middleware: builds the [`RpcRequest`], runs the inner layers, and finishes error bodies.
pub(crate) async fn envelope(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let request_id = state.request_id();
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        let err = ApiError::InvalidParameter {
            name: "Body",
            reason: "the request body is unreadable or larger than 1 MiB".into(),
        };
        return err.to_response(&request_id, &host);
    };
    let query = parse_urlencoded(parts.uri.query().unwrap_or_default());
    let mut params = query.clone();
    if is_form(&parts.headers) {
        params.extend(parse_urlencoded(&String::from_utf8_lossy(&body)));
    }
    let rpc = Arc::new(RpcRequest {
        method: parts.method.clone(),
        query,
        params,
        headers: parts.headers.clone(),
        body: body.clone(),
        request_id,
        host,
    });
    let mut req = Request::from_parts(parts, Body::from(body));
    req.extensions_mut().insert(rpc.clone());
    let response = next.run(req).await;
    match response.extensions().get::<ApiError>() {
        Some(err) => err.to_response(&rpc.request_id, &rpc.host),
        None => response.into_response(),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

/// Decodes `a=1&b=x+y%2F` into a map (`+` is a space; bad escapes are kept literally; the last
/// of repeated names wins). NOTE(protocol): SDKs send `+` for spaces on the wire; only the
/// decoded value matters for signatures, which re-encode canonically.
pub(crate) fn parse_urlencoded(input: &str) -> BTreeMap<String, String> {
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex_pair(bytes[i + 1], bytes[i + 2]).is_some() => {
                out.extend(hex_pair(bytes[i + 1], bytes[i + 2]));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_pair(hi: u8, lo: u8) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(hi)? * 16 + digit(lo)?) as u8)
}

#[cfg(test)]
mod tests;
