// SPDX-License-Identifier: MPL-2.0
//! Gateway authentication, as a middleware in front of the RPC handlers: resolves the API from
//! Action + Version, then checks a V2 (`HMAC-SHA1`, query and form parameters) or V3
//! (`ACS3-HMAC-SHA256`, `Authorization` header) signature with the same pure functions the
//! client signs with, plus timestamp skew, nonce replay and STS security tokens. It owns no
//! action semantics; handlers receive an [`Authenticated`] extension.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use time::{Duration, OffsetDateTime};

use super::params::RpcRequest;
use super::{lock, ApiError, AppState};
use crate::signature_v3::{self, V3Request, V3_ALGORITHM};
use ehpc_alibaba::actions::EHPC_INSTANT_VERSION;
use ehpc_alibaba::signer;
use ehpc_alibaba::{
    timestamp, Action, AddImage, GetImage, ListImages, RemoveImage, SynchronizeApp,
};

/// Largest accepted clock difference between client and emulator.
const MAX_SKEW: Duration = Duration::minutes(15);

/// The APIs the emulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    SynchronizeApp,
    ListImages,
    GetImage,
    AddImage,
    RemoveImage,
    AssumeRole,
    AssumeRoleWithOidc,
}

impl Api {
    /// The API named by `Action` and `Version`, if the emulator implements it.
    pub fn resolve(action: &str, version: &str) -> Option<Self> {
        match (action, version) {
            (SynchronizeApp::ACTION, EHPC_INSTANT_VERSION) => Some(Self::SynchronizeApp),
            (ListImages::ACTION, EHPC_INSTANT_VERSION) => Some(Self::ListImages),
            (GetImage::ACTION, EHPC_INSTANT_VERSION) => Some(Self::GetImage),
            (AddImage::ACTION, EHPC_INSTANT_VERSION) => Some(Self::AddImage),
            (RemoveImage::ACTION, EHPC_INSTANT_VERSION) => Some(Self::RemoveImage),
            ("AssumeRole", "2015-04-01") => Some(Self::AssumeRole),
            ("AssumeRoleWithOIDC", "2015-04-01") => Some(Self::AssumeRoleWithOidc),
            _ => None,
        }
    }

    /// NOTE(protocol): AssumeRoleWithOIDC is anonymous; the OIDC token is the proof.
    fn is_signed(self) -> bool {
        self != Self::AssumeRoleWithOidc
    }
}

/// What the handlers learn from authentication.
#[derive(Clone, Debug)]
pub(crate) struct Authenticated {
    pub api: Api,
    /// The verified key id (`None` for anonymous APIs).
    pub access_key_id: Option<String>,
}

/// Middleware: answers the gateway's error, or passes the request on with [`Authenticated`].
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    Extension(rpc): Extension<Arc<RpcRequest>>,
    mut req: Request,
    next: Next,
) -> Response {
    match check(&state, &rpc) {
        Ok(auth) => {
            req.extensions_mut().insert(auth);
            next.run(req).await
        }
        Err(err) => err.into_response(),
    }
}

/// Resolves the API and verifies the request's signature.
///
/// # Errors
/// The gateway's codes: `MissingParameter`, `InvalidApi.NotFound`, `IncompleteSignature`,
/// `InvalidAccessKeyId.NotFound`, `InvalidTimeStamp.*`, `SignatureDoesNotMatch`,
/// `SignatureNonceUsed`, `MissingSecurityToken`, `InvalidSecurityToken.*`.
pub(crate) fn check(state: &AppState, rpc: &RpcRequest) -> Result<Authenticated, ApiError> {
    let action = rpc
        .action()
        .ok_or_else(|| ApiError::MissingParameter("Action".into()))?;
    let version = rpc
        .version()
        .ok_or_else(|| ApiError::MissingParameter("Version".into()))?;
    let api = Api::resolve(action, version).ok_or(ApiError::ApiNotFound)?;
    if !api.is_signed() {
        return Ok(Authenticated {
            api,
            access_key_id: None,
        });
    }
    let access_key_id = match rpc.header("authorization") {
        Some(value) if value.starts_with("ACS3-") => verify_v3(state, rpc, value)?,
        _ => verify_v2(state, rpc)?,
    };
    Ok(Authenticated {
        api,
        access_key_id: Some(access_key_id),
    })
}

/// The key id a request claims (verified or not), for the call log.
pub(crate) fn claimed_access_key_id(rpc: &RpcRequest) -> Option<String> {
    if let Some(key) = rpc.param("AccessKeyId") {
        return Some(key.to_string());
    }
    let value = rpc.header("authorization")?;
    parse_authorization(value)
        .ok()
        .map(|a| a.credential.to_string())
}

fn verify_v2(state: &AppState, rpc: &RpcRequest) -> Result<String, ApiError> {
    let signature = rpc
        .param("Signature")
        .ok_or_else(|| ApiError::IncompleteSignature("Signature is missing.".into()))?;
    match rpc.param("SignatureMethod") {
        Some("HMAC-SHA1") => {}
        _ => return Err(incomplete("SignatureMethod must be HMAC-SHA1.")),
    }
    match rpc.param("SignatureVersion") {
        Some("1.0") => {}
        _ => return Err(incomplete("SignatureVersion must be 1.0.")),
    }
    let key_id = required(rpc.param("AccessKeyId"), "AccessKeyId")?;
    let nonce = required(rpc.param("SignatureNonce"), "SignatureNonce")?;
    let timestamp = required(rpc.param("Timestamp"), "Timestamp")?;
    let now = state.now();
    check_timestamp(timestamp, now)?;
    let secret = secret_for(state, key_id, rpc.param("SecurityToken"), now)?;

    let mut signed = rpc.params.clone();
    signed.remove("Signature");
    let string_to_sign = signer::string_to_sign_v2(rpc.method.as_str(), &signed);
    if !constant_time_eq(&signer::sign_v2(&secret, &string_to_sign), signature) {
        // Secrets never leave the process: show the token's place, not its value.
        if let Some(token) = signed.get_mut("SecurityToken") {
            *token = "<redacted>".into();
        }
        return Err(ApiError::SignatureDoesNotMatch {
            string_to_sign: signer::string_to_sign_v2(rpc.method.as_str(), &signed),
        });
    }
    remember_nonce(state, key_id, nonce, now)?;
    Ok(key_id.to_string())
}

fn verify_v3(state: &AppState, rpc: &RpcRequest, authorization: &str) -> Result<String, ApiError> {
    let auth = parse_authorization(authorization)?;
    for name in rpc.headers.keys().map(|n| n.as_str()) {
        if (name == "host" || name.starts_with("x-acs-")) && !auth.signed_headers.contains(&name) {
            return Err(incomplete(&format!("Header {name} must be signed.")));
        }
    }
    let nonce = required(rpc.header("x-acs-signature-nonce"), "x-acs-signature-nonce")?;
    let date = required(rpc.header("x-acs-date"), "x-acs-date")?;
    let content_hash = required(rpc.header("x-acs-content-sha256"), "x-acs-content-sha256")?;
    let now = state.now();
    check_timestamp(date, now)?;
    let secret = secret_for(
        state,
        auth.credential,
        rpc.header("x-acs-security-token"),
        now,
    )?;
    if !content_hash.eq_ignore_ascii_case(&signature_v3::hex_sha256(&rpc.body)) {
        return Err(incomplete(
            "x-acs-content-sha256 is not the SHA-256 of the body.",
        ));
    }
    let mut headers = BTreeMap::new();
    for name in &auth.signed_headers {
        let value = rpc
            .header(name)
            .ok_or_else(|| incomplete(&format!("Signed header {name} is missing.")))?;
        headers.insert(name.to_string(), value.to_string());
    }
    let request = V3Request {
        method: rpc.method.as_str(),
        query: &rpc.query,
        headers: &headers,
        body: &rpc.body,
    };
    if !constant_time_eq(
        &request.signature(&secret),
        &auth.signature.to_ascii_lowercase(),
    ) {
        return Err(ApiError::SignatureDoesNotMatch {
            string_to_sign: request.string_to_sign(),
        });
    }
    remember_nonce(state, auth.credential, nonce, now)?;
    Ok(auth.credential.to_string())
}

/// The parts of a V3 `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let malformed = || incomplete("The Authorization header is malformed.");
    let (algorithm, rest) = value.trim().split_once(' ').ok_or_else(malformed)?;
    if algorithm != V3_ALGORITHM {
        return Err(incomplete(
            "The signature algorithm must be ACS3-HMAC-SHA256.",
        ));
    }
    let mut fields = BTreeMap::new();
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=').ok_or_else(malformed)?;
        fields.insert(k, v);
    }
    let field = |name| fields.get(name).copied().filter(|v| !v.is_empty());
    let (Some(credential), Some(signed), Some(signature)) = (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    ) else {
        return Err(malformed());
    };
    Ok(Authorization {
        credential,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

fn secret_for(
    state: &AppState,
    key_id: &str,
    token: Option<&str>,
    now: OffsetDateTime,
) -> Result<String, ApiError> {
    if key_id.starts_with("STS.") {
        let sts = lock(&state.inner.sts);
        let cred = sts.lookup(key_id).ok_or(ApiError::AccessKeyNotFound)?;
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::MissingSecurityToken)?;
        if !constant_time_eq(&cred.security_token, token) {
            return Err(ApiError::SecurityTokenMalformed);
        }
        if cred.expiration <= now {
            return Err(ApiError::SecurityTokenExpired);
        }
        return Ok(cred.access_key_secret.clone());
    }
    let secret = state
        .inner
        .config
        .credentials
        .get(key_id)
        .ok_or(ApiError::AccessKeyNotFound)?;
    // A token is meaningless with a permanent key; the gateway refuses the pair.
    if token.is_some_and(|t| !t.is_empty()) {
        return Err(ApiError::SecurityTokenMalformed);
    }
    Ok(secret.clone())
}

fn check_timestamp(raw: &str, now: OffsetDateTime) -> Result<(), ApiError> {
    let at = timestamp::parse(raw).ok_or(ApiError::TimestampFormat)?;
    if (at - now).abs() > MAX_SKEW {
        return Err(ApiError::TimestampExpired);
    }
    Ok(())
}

fn remember_nonce(
    state: &AppState,
    key_id: &str,
    nonce: &str,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    if lock(&state.inner.nonces).check_and_insert(key_id, nonce, now) {
        Ok(())
    } else {
        Err(ApiError::NonceUsed)
    }
}

fn required<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, ApiError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::MissingParameter(name.to_string()))
}

fn incomplete(detail: &str) -> ApiError {
    ApiError::IncompleteSignature(detail.to_string())
}

/// Compares secrets-derived strings without an early exit on the first differing byte.
pub(super) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests;
