// SPDX-License-Identifier: MPL-2.0
//! EhpcInstant `AddImage` and `RemoveImage` (2023-07-01): registering a custom image as an
//! application and removing it, plus the admin knob that marks an app as used by jobs.
//! Parameters are parsed with the client's own `from_params`; authentication, the call log
//! and fault injection happened before, as for every RPC.
//!
//! Semantics chosen where the reference says nothing (guesses, see the notes):
//! * AddImage answers a new AppId (`ci-vm-` and 12 letters or digits, for both image types)
//!   and an `ImageId`: for a VM image the ECS image id it was given, for a container image a
//!   generated `m-…` id. A VM image registered twice answers 400 `ImageAlreadyExists`; a
//!   container image may be registered any number of times.
//! * RemoveImage deletes the registration with its copies (the copies stay behind as ECS
//!   images in their regions, which GetImage no longer reports); an unknown ImageId answers
//!   404 `ImageNotFound`, an app marked in use 403 `ImageInUse` (nothing removed).
//! * `GET /_emulator/apps/{app}/registration` shows what AddImage recorded (`image_type`,
//!   `description`, `container_image_spec` without password, `in_use`, `password_received`);
//! * `PUT /_emulator/apps/{app}/in-use` with `{"in_use": true|false}` sets that mark;
//!   `DELETE /_emulator/apps/{app}/image` removes the app (`204`) as if someone removed it in
//!   the console (in use or not).
//!
//! The registry password is never kept: the record holds the container spec without it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use ehpc_alibaba::actions::ContainerImageSpec;
use ehpc_alibaba::RemoveImageResponse;
use ehpc_alibaba::{Action, AddImage, AddImageResponse, ParamError, RemoveImage};
use rand::distr::Alphanumeric;
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::image::{AppRecord, Registration};
use super::params::RpcRequest;
use super::{ids, lock, ApiError, AppState};

/// The image type of an app: what AddImage recorded, else what `--app` said, else `VM`.
pub(crate) fn image_type(record: &AppRecord) -> &str {
    record.image_type()
}

/// Whether ListImages lists `record` at `now`: an app AddImage registered only once
/// `hidden_seconds` (`faults.list_registered_after_seconds`) have passed.
pub(crate) fn listed(record: &AppRecord, now: time::OffsetDateTime, hidden_seconds: u64) -> bool {
    let hidden = time::Duration::seconds(i64::try_from(hidden_seconds).unwrap_or(i64::MAX));
    record.registration.is_none()
        || record
            .created
            .checked_add(hidden)
            .is_some_and(|listed_at| now >= listed_at)
}

/// The admin routes: the in-use mark, and removal outside the API.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_emulator/apps/{app}/in-use",
            axum::routing::put(in_use_set),
        )
        .route(
            "/_emulator/apps/{app}/registration",
            axum::routing::get(registration_view),
        )
        .route(
            "/_emulator/apps/{app}/image",
            axum::routing::delete(app_forget),
        )
}

/// Handles a verified AddImage call.
///
/// # Errors
/// `MissingParameter` (Name), `InvalidParams` (type, missing spec), `ImageAlreadyExists`
/// (a VM image registered before), `InternalError` when `--state` cannot be written.
pub(crate) fn image_add(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let request = AddImage::from_params(&rpc.params).map_err(param_error)?;
    let image_type = request.image_type.clone().unwrap_or_else(|| "VM".into());
    let now = state.now();
    let suffix: String = {
        let mut rng = lock(&state.inner.rng);
        (0..12)
            .map(|_| char::from(rng.sample(Alphanumeric)))
            .collect()
    };
    let app_id = format!("ci-vm-{suffix}");
    let mut password_received = false;
    let (image_id, container_image_spec) = match image_type.as_str() {
        "VM" => {
            let id = request
                .vm_image_spec
                .as_ref()
                .and_then(|s| s.image_id.clone())
                .ok_or_else(|| invalid("VMImageSpec.ImageId is required for a VM image"))?;
            (id, None)
        }
        "Container" => {
            let mut spec: ContainerImageSpec = request
                .container_image_spec
                .clone()
                .filter(|s| s.registry_url.as_deref().is_some_and(|u| !u.is_empty()))
                .ok_or_else(|| invalid("ContainerImageSpec.RegistryUrl is required"))?;
            if let Some(credential) = spec.registry_credential.as_mut() {
                password_received = credential.password.take().is_some_and(|p| !p.is_empty());
            }
            (ids::image_id(&format!("container/{app_id}")), Some(spec))
        }
        _ => return Err(invalid("ImageType must be one of VM, Container")),
    };
    let mut store = lock(&state.inner.store);
    if store.by_image_id(&image_id).is_some() {
        return Err(ApiError::ImageAlreadyExists(image_id));
    }
    let mut record = AppRecord::registered(&image_id, now);
    record.name = Some(request.name.clone());
    record.version = request.image_version.clone();
    record.registration = Some(Box::new(Registration {
        image_type,
        description: request.description.clone(),
        container_image_spec,
        in_use: false,
        password_received,
    }));
    store
        .insert(&app_id, record)
        .map_err(|e| persist_error(&e))?;
    answer(&AddImageResponse {
        request_id: rpc.request_id.clone(),
        success: Some(true),
        image_id,
    })
}

/// Handles a verified RemoveImage call.
///
/// # Errors
/// `MissingParameter` (ImageId), `ImageNotFound`, `ImageInUse`, `InternalError`.
pub(crate) fn image_remove(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let request = RemoveImage::from_params(&rpc.params).map_err(param_error)?;
    let wanted_type = request.image_type.as_deref().unwrap_or("VM");
    let mut store = lock(&state.inner.store);
    let not_found = || ApiError::ImageNotFound(request.image_id.clone());
    let (app_id, record) = store.by_image_id(&request.image_id).ok_or_else(not_found)?;
    if image_type(record) != wanted_type {
        return Err(not_found());
    }
    if record.registration.as_ref().is_some_and(|r| r.in_use) {
        return Err(ApiError::ImageInUse(request.image_id.clone()));
    }
    let app_id = app_id.clone();
    store.remove(&app_id).map_err(|e| persist_error(&e))?;
    answer(&RemoveImageResponse {
        request_id: rpc.request_id.clone(),
        success: Some(true),
    })
}

/// The body of `PUT /_emulator/apps/{app}/in-use`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InUseBody {
    in_use: bool,
}

async fn in_use_set(
    State(state): State<AppState>,
    Path(app): Path<String>,
    Json(body): Json<InUseBody>,
) -> Response {
    let updated = lock(&state.inner.store).update(&app, |record| {
        let registration = record.registration.get_or_insert_with(|| {
            Box::new(Registration {
                image_type: "VM".into(),
                ..Registration::default()
            })
        });
        registration.in_use = body.in_use;
    });
    match updated {
        Ok(Some(())) => {
            Json(serde_json::json!({ "app_id": app, "in_use": body.in_use })).into_response()
        }
        Ok(None) => ApiError::ImageNotFound(app).into_response(),
        Err(e) => persist_error(&e).into_response(),
    }
}

async fn registration_view(State(state): State<AppState>, Path(app): Path<String>) -> Response {
    let store = lock(&state.inner.store);
    match store.get(&app) {
        Some(record) => Json(record.registration.clone().unwrap_or_default()).into_response(),
        None => ApiError::ImageNotFound(app).into_response(),
    }
}

async fn app_forget(State(state): State<AppState>, Path(app): Path<String>) -> Response {
    match lock(&state.inner.store).remove(&app) {
        Ok(true) => axum::http::StatusCode::NO_CONTENT.into_response(),
        Ok(false) => ApiError::ImageNotFound(app).into_response(),
        Err(e) => persist_error(&e).into_response(),
    }
}

fn invalid(reason: &str) -> ApiError {
    ApiError::InvalidParams(format!("Invalid parameters: {reason}"))
}

fn param_error(e: ParamError) -> ApiError {
    match e {
        ParamError::Missing(name) => ApiError::MissingParameter(name.to_string()),
        invalid @ ParamError::Invalid { .. } => ApiError::InvalidParams(invalid.to_string()),
    }
}

fn persist_error(e: &crate::StoreError) -> ApiError {
    tracing::error!(error = %e, "cannot persist emulator state");
    ApiError::Internal
}

fn answer<T: Serialize>(response: &T) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(response).map(Json).map_err(|e| {
        tracing::error!(error = %e, "cannot serialize an answer");
        ApiError::Internal
    })
}
