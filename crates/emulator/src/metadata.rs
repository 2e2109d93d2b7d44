// SPDX-License-Identifier: MPL-2.0
//! The ECS instance metadata endpoints of the EcsRamRole credential path: an IMDSv2 session
//! token, the instance's role name, and that role's temporary credentials (issued by the STS
//! store, so the gateway accepts them). Once any token has been issued every read needs one,
//! as on an instance with IMDSv2 enforced. Errors are plain text, as the metadata server's.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use time::Duration;

use super::{ids, lock, ApiError, AppState};
use ehpc_alibaba::timestamp;

/// Longest token lifetime the metadata server grants (6 hours).
const MAX_TOKEN_TTL_SECONDS: i64 = 21_600;
/// Lifetime of role credentials; real instances rotate them well before expiry.
const ROLE_CREDENTIAL_LIFETIME: Duration = Duration::hours(6);

/// The metadata routes, under `/latest/`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/latest/api/token", put(token_create))
        .route(
            "/latest/meta-data/ram/security-credentials/",
            get(role_list),
        )
        .route(
            "/latest/meta-data/ram/security-credentials/{role}",
            get(role_credentials_get),
        )
}

/// `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` (1..=21600).
async fn token_create(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<String, ApiError> {
    let ttl = headers
        .get("x-aliyun-ecs-metadata-token-ttl-seconds")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|ttl| (1..=MAX_TOKEN_TTL_SECONDS).contains(ttl))
        .ok_or_else(|| {
            ApiError::MetadataBadRequest(
                "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600".into(),
            )
        })?;
    let token = ids::metadata_token(&mut *lock(&state.inner.rng));
    let now = state.now();
    lock(&state.inner.metadata).issue(token.clone(), now, now + Duration::seconds(ttl));
    Ok(token)
}

/// `GET .../security-credentials/`: the instance's role name.
async fn role_list(State(state): State<AppState>, headers: HeaderMap) -> Result<String, ApiError> {
    authorize(&state, &headers)?;
    Ok(state.inner.config.ecs_role.clone())
}

/// `GET .../security-credentials/<role>`: fresh temporary credentials for the role.
async fn role_credentials_get(
    State(state): State<AppState>,
    Path(role): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers)?;
    if role != state.inner.config.ecs_role {
        return Err(ApiError::MetadataNotFound);
    }
    let cred = state.issue_sts(ROLE_CREDENTIAL_LIFETIME);
    Ok(Json(json!({
        "Code": "Success",
        "AccessKeyId": cred.access_key_id,
        "AccessKeySecret": cred.access_key_secret,
        "SecurityToken": cred.security_token,
        "Expiration": cred.expiration_text(),
        "LastUpdated": timestamp::format(state.now()),
    })))
}

/// NOTE(protocol): IMDSv1 (no token) works until the first token is issued; after that a
/// valid, unexpired `X-aliyun-ecs-metadata-token` is required (IMDSv2 hardening).
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let presented = headers
        .get("x-aliyun-ecs-metadata-token")
        .and_then(|v| v.to_str().ok());
    if lock(&state.inner.metadata).admits(presented, state.now()) {
        Ok(())
    } else {
        Err(ApiError::MetadataUnauthorized)
    }
}
