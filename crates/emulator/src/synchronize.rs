// SPDX-License-Identifier: MPL-2.0
//! EhpcInstant `SynchronizeApp` (2023-07-01) semantics: which regions a request starts a copy
//! in (those without a pending or ready copy: a failed or deleted copy may be redone), and the
//! service's errors (`ImageNotFound`, `InvalidParams`, `ImageAlreadyExists`). Parameters are
//! parsed with the client's own `SynchronizeApp::from_params`; authentication happened before.

use std::collections::BTreeSet;

use axum::Json;
use serde_json::{json, Value};
use time::Duration;

use super::params::RpcRequest;
use super::{lock, ApiError, AppState};
use ehpc_alibaba::actions::ALL_REGIONS;
use ehpc_alibaba::{Action, ParamError, SynchronizeApp};

/// Handles a verified SynchronizeApp call: starts a copy in each new region (replacing a
/// failed one) and answers `{RequestId}`.
///
/// # Errors
/// `MissingParameter` (AppId), `ImageNotFound`, `InvalidParams`, `ImageAlreadyExists`, or
/// `InternalError` when `--state` cannot be written.
pub(crate) fn app_synchronize(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let request = SynchronizeApp::from_params(&rpc.params).map_err(|e| match e {
        ParamError::Missing(name) => ApiError::MissingParameter(name.to_string()),
        invalid @ ParamError::Invalid { .. } => ApiError::InvalidParams(invalid.to_string()),
    })?;
    let now = state.now();
    let config = &state.inner.config;
    let mut store = lock(&state.inner.store);
    let holding = store
        .get(&request.app_id)
        .map(|record| record.live_regions(now))
        .ok_or_else(|| ApiError::ImageNotFound(request.app_id.clone()))?;
    let added = plan(
        &config.regions,
        &config.home_region,
        &holding,
        &request.target_region_ids,
    )?;
    let copy_time = Duration::seconds(i64::try_from(config.copy_seconds).unwrap_or(i64::MAX));
    store
        .update(&request.app_id, |record| {
            for region in &added {
                let fails = config.faults.fail_copies_to.contains(region);
                record.start_copy(region, now, copy_time, fails);
            }
        })
        .map_err(|e| {
            tracing::error!(error = %e, "cannot persist emulator state");
            ApiError::Internal
        })?;
    Ok(Json(json!({ "RequestId": rpc.request_id })))
}

/// The regions a request adds, in request order (for `all`: known-region order); `holding`
/// are the regions with a live copy, `home` the region the application lives in: `all`
/// means every *other* region, as the API reference words it, and the home region already
/// holds the application.
///
/// # Errors
/// `InvalidParams` for an unknown region; `ImageAlreadyExists` when a named
/// region (the home region included) already holds the app, or `all` leaves nothing to add.
pub(crate) fn plan(
    known: &[String],
    home: &str,
    holding: &BTreeSet<String>,
    requested: &[String],
) -> Result<Vec<String>, ApiError> {
    if requested.is_empty() {
        // NOTE(protocol): TargetRegionIds is documented as optional; without it there is
        // nothing to copy, so the call succeeds and records nothing.
        return Ok(Vec::new());
    }
    let mut added: Vec<String> = Vec::new();
    for region in requested {
        if region == ALL_REGIONS {
            continue;
        }
        if !known.contains(region) {
            return Err(invalid(&format!("unknown region {region:?}")));
        }
        if holding.contains(region) || region == home {
            return Err(ApiError::ImageAlreadyExists(region.clone()));
        }
        if !added.contains(region) {
            added.push(region.clone());
        }
    }
    if requested.iter().any(|r| r == ALL_REGIONS) {
        for region in known {
            if region != home && !holding.contains(region) && !added.contains(region) {
                added.push(region.clone());
            }
        }
    }
    if added.is_empty() {
        // Only `all` can get here: every known region already holds the app.
        return Err(ApiError::ImageAlreadyExists(ALL_REGIONS.into()));
    }
    Ok(added)
}

fn invalid(reason: &str) -> ApiError {
    ApiError::InvalidParams(format!("Invalid parameters: TargetRegionIds {reason}"))
}

#[cfg(test)]
mod tests;
