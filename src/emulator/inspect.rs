// SPDX-License-Identifier: MPL-2.0
//! Inspection for tests: a middleware that records every RPC call (answered, failed, throttled
//! or dropped) and the `/_emulator/calls` and `/_emulator/apps` endpoints that show the log and
//! the regions each app holds. Records carry the claimed key id, never a secret or token.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;

use super::faults::Dropped;
use super::params::RpcRequest;
use super::verify::claimed_access_key_id;
use super::{lock, ApiError, AppState};

/// Calls kept; older ones are forgotten so a long demo cannot exhaust memory.
const MAX_CALLS: usize = 100_000;

/// One RPC call as answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// `Action` (empty when missing).
    pub action: String,
    pub app_id: Option<String>,
    /// `TargetRegionIds` as sent (empty when absent or not a JSON array of strings).
    pub target_region_ids: Vec<String>,
    pub request_id: String,
    /// HTTP status; 444 for a dropped connection.
    pub status: u16,
    /// Error code; `None` on success, `"ConnectionDropped"` for a dropped connection.
    pub code: Option<String>,
    /// The key id the request claimed, verified or not.
    pub access_key_id: Option<String>,
}

/// The call log, oldest first.
#[derive(Debug, Default)]
pub struct CallLog {
    calls: VecDeque<CallRecord>,
}

/// The inspection routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_emulator/calls", get(calls_list))
        .route("/_emulator/apps", get(apps_list))
}

/// Middleware: records the call once the inner layers have answered.
pub async fn record(
    State(state): State<AppState>,
    Extension(rpc): Extension<Arc<RpcRequest>>,
    req: Request,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    let code = if response.extensions().get::<Dropped>().is_some() {
        Some("ConnectionDropped".to_string())
    } else {
        response.extensions().get::<ApiError>().map(ApiError::code)
    };
    let call = CallRecord {
        action: rpc.action().unwrap_or_default().to_string(),
        app_id: rpc.param("AppId").map(str::to_string),
        target_region_ids: rpc
            .param("TargetRegionIds")
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default(),
        request_id: rpc.request_id.clone(),
        status: response.status().as_u16(),
        code,
        access_key_id: claimed_access_key_id(&rpc),
    };
    tracing::info!(
        action = %call.action,
        status = call.status,
        code = call.code.as_deref().unwrap_or("-"),
        request_id = %call.request_id,
        access_key_id = call.access_key_id.as_deref().unwrap_or("-"),
        "api call"
    );
    let mut log = lock(&state.inner.calls);
    if log.calls.len() >= MAX_CALLS {
        log.calls.pop_front();
    }
    log.calls.push_back(call);
    drop(log);
    response
}

/// `GET /_emulator/calls`: every recorded call, oldest first.
async fn calls_list(State(state): State<AppState>) -> Json<Vec<CallRecord>> {
    Json(lock(&state.inner.calls).calls.iter().cloned().collect())
}

/// `GET /_emulator/apps`: `{AppId: [regions]}`.
async fn apps_list(State(state): State<AppState>) -> Json<BTreeMap<String, Vec<String>>> {
    Json(lock(&state.inner.store).snapshot())
}
