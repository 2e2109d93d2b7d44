// SPDX-License-Identifier: MPL-2.0
//! Inspection for tests: a middleware that records every RPC call (answered, failed, throttled
//! or dropped), [`push_exchange`] for the sign-in token exchanges that answer outside it, and
//! the `/_emulator/calls` and `/_emulator/apps` endpoints that show the log and the regions
//! each app holds. Records carry the claimed key id; the received signature and security token
//! are kept apart and listed only by `/_emulator/calls?secrets=true`, so that leak tests can
//! search the provider's logs and state for exactly what went over the wire.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

use super::faults::Dropped;
use super::params::RpcRequest;
use super::state::{CallRecord, Received};
use super::verify::claimed_access_key_id;
use super::{lock, ApiError, AppState};

/// What `rpc` carried that must never leak (its [`Received`] secrets).
fn received_of(rpc: &RpcRequest) -> Received {
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
        received: received_of(&rpc),
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
            .calls()
            .map(|call| CallWithSecrets {
                call,
                received: &call.received,
            })
            .collect();
        serde_json::to_value(calls)
    } else {
        serde_json::to_value(log.calls().collect::<Vec<_>>())
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
