// SPDX-License-Identifier: MPL-2.0
//! Inspection for tests: a middleware that records every RPC call (answered, failed, throttled
//! or dropped), [`push_exchange`] for the sign-in token exchanges that answer outside it, and
//! the `/_emulator/calls` and `/_emulator/apps` endpoints that show the log and the regions
//! each app holds. Records carry the claimed key id; the received signature and security token
//! are kept apart and listed only by `/_emulator/calls?secrets=true`, so that leak tests can
//! search the provider's logs and state for exactly what went over the wire.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

use super::faults::Dropped;
use super::params::RpcRequest;
use super::verify::claimed_access_key_id;
use super::{lock, ApiError, AppState};

/// Calls kept; older ones are forgotten so a long demo cannot exhaust memory.
const MAX_CALLS: usize = 100_000;

/// One RPC call (or sign-in token exchange) as answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// `Action` (empty when missing).
    pub action: String,
    pub app_id: Option<String>,
    /// `ImageId` (GetImage); left out of the listing when absent, so the SynchronizeApp
    /// records keep their first shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// `ImageType` (GetImage, ListImages) when sent; left out when absent, like `image_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// `TargetRegionIds` as sent (empty when absent or not a JSON array of strings).
    pub target_region_ids: Vec<String>,
    pub request_id: String,
    /// HTTP status; 444 for a dropped connection.
    pub status: u16,
    /// Error code; `None` on success, `"ConnectionDropped"` for a connection dropped before
    /// the call was handled, `"ConnectionDroppedAfterApply"` (with the real status) for an
    /// applied call whose answer was dropped.
    pub code: Option<String>,
    /// The key id the request claimed, verified or not.
    pub access_key_id: Option<String>,
    /// What the request carried that must never leak; not part of the default listing.
    #[serde(skip)]
    pub received: Received,
}

/// The secrets a request sent (as received, verified or not), for leak tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Received {
    /// The V2 `Signature` parameter or the V3 `Signature=` of the Authorization header.
    pub signature: Option<String>,
    /// The V2 `SecurityToken` parameter or the V3 `x-acs-security-token` header; for a sign-in
    /// exchange, the bearer token of its `Authorization` header.
    pub security_token: Option<String>,
}

impl Received {
    fn of(rpc: &RpcRequest) -> Self {
        let v3_signature = rpc.header("authorization").and_then(|value| {
            value
                .split([' ', ','])
                .find_map(|part| part.trim().strip_prefix("Signature="))
                .map(str::to_string)
        });
        Received {
            signature: rpc.param("Signature").map(str::to_string).or(v3_signature),
            security_token: rpc
                .param("SecurityToken")
                .or_else(|| rpc.header("x-acs-security-token"))
                .map(str::to_string),
        }
    }
}

/// `?secrets=true` on `/_emulator/calls` adds each call's [`Received`] fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CallsQuery {
    secrets: bool,
}

/// A call with its received secrets, as listed by `/_emulator/calls?secrets=true`.
#[derive(Serialize)]
struct CallWithSecrets<'a> {
    #[serde(flatten)]
    call: &'a CallRecord,
    #[serde(flatten)]
    received: &'a Received,
}

/// The call log, oldest first.
#[derive(Debug, Default)]
pub(crate) struct CallLog {
    calls: VecDeque<CallRecord>,
}

impl CallLog {
    /// Appends a call, forgetting the oldest beyond [`MAX_CALLS`].
    fn push(&mut self, call: CallRecord) {
        if self.calls.len() >= MAX_CALLS {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

/// The inspection routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_emulator/calls", get(calls_list))
        .route("/_emulator/apps", get(apps_list))
}

/// Middleware: records the call once the inner layers have answered.
pub(crate) async fn record(
    State(state): State<AppState>,
    Extension(rpc): Extension<Arc<RpcRequest>>,
    req: Request,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    let code = if let Some(dropped) = response.extensions().get::<Dropped>() {
        Some(dropped.code().to_string())
    } else {
        response.extensions().get::<ApiError>().map(ApiError::code)
    };
    let call = CallRecord {
        action: rpc.action().unwrap_or_default().to_string(),
        app_id: rpc.param("AppId").map(str::to_string),
        image_id: rpc.param("ImageId").map(str::to_string),
        image_type: rpc.param("ImageType").map(str::to_string),
        target_region_ids: rpc
            .param("TargetRegionIds")
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default(),
        request_id: rpc.request_id.clone(),
        status: response.status().as_u16(),
        code,
        access_key_id: claimed_access_key_id(&rpc),
        received: Received::of(&rpc),
    };
    tracing::info!(
        action = %call.action,
        status = call.status,
        code = call.code.as_deref().unwrap_or("-"),
        request_id = %call.request_id,
        access_key_id = call.access_key_id.as_deref().unwrap_or("-"),
        "api call"
    );
    lock(&state.inner.calls).push(call);
    response
}

/// Records a sign-in token exchange (answered outside the RPC middleware): no key id, app or
/// regions; `bearer` is the token the request carried, kept apart as its received security
/// token and never logged.
pub(crate) fn push_exchange(
    state: &AppState,
    action: &str,
    request_id: String,
    status: u16,
    code: Option<String>,
    bearer: Option<&str>,
) {
    let call = CallRecord {
        action: action.to_string(),
        app_id: None,
        image_id: None,
        image_type: None,
        target_region_ids: Vec::new(),
        request_id,
        status,
        code,
        access_key_id: None,
        received: Received {
            signature: None,
            security_token: bearer.map(str::to_string),
        },
    };
    tracing::info!(
        action = %call.action,
        status = call.status,
        code = call.code.as_deref().unwrap_or("-"),
        request_id = %call.request_id,
        "token exchange"
    );
    lock(&state.inner.calls).push(call);
}

/// `GET /_emulator/calls`: every recorded call, oldest first (with `?secrets=true`, also what
/// each one carried that must never leak).
async fn calls_list(
    State(state): State<AppState>,
    Query(query): Query<CallsQuery>,
) -> Json<serde_json::Value> {
    let log = lock(&state.inner.calls);
    let listed = if query.secrets {
        let calls: Vec<CallWithSecrets<'_>> = log
            .calls
            .iter()
            .map(|call| CallWithSecrets {
                call,
                received: &call.received,
            })
            .collect();
        serde_json::to_value(calls)
    } else {
        serde_json::to_value(&log.calls)
    };
    Json(listed.unwrap_or_default())
}

/// `GET /_emulator/apps`: `{AppId: [regions]}`, every region holding a copy whatever its
/// status (the first shape, which the end-to-end harness reads; `admin` has the full view).
async fn apps_list(State(state): State<AppState>) -> Json<BTreeMap<String, Vec<String>>> {
    Json(lock(&state.inner.store).snapshot())
}

#[cfg(test)]
mod tests;
