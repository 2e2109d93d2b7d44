// SPDX-License-Identifier: MPL-2.0
//! The richer view of an app and the admin routes that change its copies, for tests and the
//! demo (never fault-injected, never signed, like the rest of `/_emulator/`):
//! * `GET /_emulator/apps/{app}`: `{app_id, image_id, name, version, create_time, copies:
//!   [{region_id, image_id, status, started, ready_at, fails, pinned}]}`;
//! * `PUT /_emulator/apps/{app}/copies/{region}` with `{"status": "WORD"}` pins the copy's
//!   status (any word; `CreateFailed` or `UnAvailable` let SynchronizeApp start a new copy),
//!   `{"status": null}` unpins it; answers the copy as in the view;
//! * `DELETE /_emulator/apps/{app}/copies/{region}` forgets the copy (`204`), as if it was
//!   removed in that region; SynchronizeApp may then start a new one.
//!
//! Unknown apps or copies answer `404 ImageNotFound`; changes are persisted in `--state`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ehpc_alibaba::timestamp;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::image::{AppRecord, ImageCopy};
use super::{lock, ApiError, AppState};

/// The admin routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_emulator/apps/{app}", get(app_view))
        .route(
            "/_emulator/apps/{app}/copies/{region}",
            axum::routing::put(copy_pin).delete(copy_delete),
        )
}

/// `GET /_emulator/apps/{app}`.
#[derive(Debug, Serialize)]
struct AppView {
    app_id: String,
    image_id: String,
    name: Option<String>,
    version: Option<String>,
    create_time: String,
    /// In region order.
    copies: Vec<CopyView>,
}

/// One copy as the admin routes show it, its status computed at the time of the request.
#[derive(Debug, Serialize)]
struct CopyView {
    region_id: String,
    image_id: String,
    status: String,
    /// When the SynchronizeApp that started it was applied.
    started: String,
    /// When it stops being `Creating` (unless pinned).
    ready_at: String,
    /// Whether it ends `CreateFailed` (`--fail-copies-to`).
    fails: bool,
    /// Whether its status was set with `PUT`.
    pinned: bool,
}

impl CopyView {
    fn of(region: &str, copy: &ImageCopy, now: OffsetDateTime) -> Self {
        Self {
            region_id: region.to_string(),
            image_id: copy.image_id.clone(),
            status: copy.status(now).to_string(),
            started: timestamp::format(copy.started),
            ready_at: timestamp::format(copy.ready_at),
            fails: copy.fails,
            pinned: copy.status.is_some(),
        }
    }
}

impl AppView {
    fn of(app_id: &str, record: &AppRecord, now: OffsetDateTime) -> Self {
        Self {
            app_id: app_id.to_string(),
            image_id: record.image_id.clone(),
            name: record.name.clone(),
            version: record.version.clone(),
            create_time: timestamp::format(record.created),
            copies: record
                .copies
                .iter()
                .map(|(region, copy)| CopyView::of(region, copy, now))
                .collect(),
        }
    }
}

/// The body of `PUT …/copies/{region}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinBody {
    status: Option<String>,
}

async fn app_view(State(state): State<AppState>, Path(app): Path<String>) -> Response {
    let now = state.now();
    let store = lock(&state.inner.store);
    match store.get(&app) {
        Some(record) => Json(AppView::of(&app, record, now)).into_response(),
        None => ApiError::ImageNotFound(app).into_response(),
    }
}

async fn copy_pin(
    State(state): State<AppState>,
    Path((app, region)): Path<(String, String)>,
    body: Result<Json<PinBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let status = match body {
        Ok(Json(PinBody { status: Some(s) })) if s.is_empty() => {
            return bad_request("status must not be empty")
        }
        Ok(Json(PinBody { status })) => status,
        Err(e) => return bad_request(&e.body_text()),
    };
    let now = state.now();
    let shown = region.clone();
    let changed = change(&state, &app, &region, move |copy| {
        copy.status = status;
        CopyView::of(&shown, copy, now)
    })
    .await;
    match changed {
        Ok(view) => Json(view).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn copy_delete(
    State(state): State<AppState>,
    Path((app, region)): Path<(String, String)>,
) -> Response {
    let key = region.clone();
    let deleted = change_app(&state, &app, move |record| {
        record.copies.remove(&key).map(|_| ())
    })
    .await;
    match deleted {
        Ok(Some(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(None) => ApiError::ImageNotFound(format!("{app} in {region}")).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Applies `f` to the copy of `app` in `region` and persists.
async fn change<T: Send + 'static>(
    state: &AppState,
    app: &str,
    region: &str,
    f: impl FnOnce(&mut ImageCopy) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let key = region.to_string();
    change_app(state, app, move |record| record.copies.get_mut(&key).map(f))
        .await?
        .ok_or_else(|| ApiError::ImageNotFound(format!("{app} in {region}")))
}

/// Applies `f` to the app and persists; an unknown app is `ImageNotFound`. With `--state`
/// the write waits on the disk, so it runs on a blocking thread (as SynchronizeApp does).
async fn change_app<T: Send + 'static>(
    state: &AppState,
    app: &str,
    f: impl FnOnce(&mut AppRecord) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    let app = app.to_string();
    tokio::task::spawn_blocking(move || {
        let updated = lock(&state.inner.store).update(&app, f);
        match updated {
            Ok(Some(out)) => Ok(out),
            Ok(None) => Err(ApiError::ImageNotFound(app)),
            Err(e) => {
                tracing::error!(error = %e, "cannot persist emulator state");
                Err(ApiError::Internal)
            }
        }
    })
    .await
    .unwrap_or_else(|e| {
        tracing::error!(error = %e, "admin handler failed");
        Err(ApiError::Internal)
    })
}

fn bad_request(reason: &str) -> Response {
    let body = serde_json::json!({ "Code": "BadRequest", "Message": reason });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
