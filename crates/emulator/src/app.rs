// SPDX-License-Identifier: MPL-2.0
//! [`app`], the axum router with its middleware stack, [`serve`] on a socket, and the RPC
//! dispatch to the handler of each API.

use std::future::Future;
use std::sync::Arc;

use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Json, Router};
use ehpc_alibaba::credentials::mask_access_key_id;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::conn::{ConnHandle, KillableListener};
use crate::params::RpcRequest;
use crate::verify::{Api, Authenticated};
use crate::{
    admin, faults, images, inspect, metadata, params, registration, sign_in, sts, synchronize,
    verify, ApiError, AppState,
};

/// The router: RPC at `/` (GET or POST), ECS metadata under `/latest/`, the sign-in exchanges
/// at `/cloud-credentials` and `/v1/exchange` (POST), inspection and the copy admin routes
/// under `/_emulator/`. Anything
/// else answers `404 InvalidApi.NotFound`.
pub fn app(state: AppState) -> Router {
    let rpc = Router::new()
        .route("/", get(rpc_dispatch).post(rpc_dispatch))
        .route_layer(from_fn_with_state(state.clone(), verify::authenticate))
        .route_layer(from_fn_with_state(state.clone(), faults::inject))
        .route_layer(from_fn_with_state(state.clone(), inspect::record))
        .route_layer(from_fn_with_state(state.clone(), params::envelope));
    rpc.merge(metadata::routes())
        .merge(sign_in::routes())
        .merge(inspect::routes())
        .merge(admin::routes())
        .merge(registration::routes())
        .fallback(|| async { ApiError::ApiNotFound.into_response() })
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then drains open requests.
/// Connections are wrapped so that `drop_rate` can close them without a response.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<ConnHandle>();
    axum::serve(KillableListener(listener), service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Runs the API that `verify::authenticate` resolved.
async fn rpc_dispatch(
    State(state): State<AppState>,
    Extension(rpc): Extension<Arc<RpcRequest>>,
    Extension(auth): Extension<Authenticated>,
) -> Result<Json<Value>, ApiError> {
    let key = auth.access_key_id.as_deref().map(mask_access_key_id);
    tracing::debug!(api = ?auth.api, access_key_id = ?key, "authenticated");
    match auth.api {
        // With `--state`, every change is written and fsync'd under the store lock: that waits
        // on the disk, so it runs on a blocking thread rather than an async worker, and other
        // requests (STS, metadata, inspection) keep being served meanwhile.
        Api::SynchronizeApp => changing(state, rpc, synchronize::app_synchronize).await,
        Api::AddImage => changing(state, rpc, registration::image_add).await,
        Api::RemoveImage => changing(state, rpc, registration::image_remove).await,
        Api::ListImages => images::images_list(&state, &rpc),
        Api::GetImage => images::image_get(&state, &rpc),
        Api::AssumeRole => sts::role_assume(&state, &rpc),
        Api::AssumeRoleWithOidc => sts::role_assume_with_oidc(&state, &rpc),
    }
}

/// Runs a handler that changes the store: on a blocking thread when `--state` is written.
async fn changing(
    state: AppState,
    rpc: Arc<RpcRequest>,
    handler: fn(&AppState, &RpcRequest) -> Result<Json<Value>, ApiError>,
) -> Result<Json<Value>, ApiError> {
    if state.inner.config.state_file.is_none() {
        return handler(&state, &rpc);
    }
    tokio::task::spawn_blocking(move || handler(&state, &rpc))
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "RPC handler failed");
            Err(ApiError::Internal)
        })
}
