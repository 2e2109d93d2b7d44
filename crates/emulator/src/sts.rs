// SPDX-License-Identifier: MPL-2.0
//! STS (2015-04-01): `AssumeRole` (signed) and `AssumeRoleWithOIDC` (anonymous) issue temporary
//! credentials (`STS.`-prefixed key, secret, security token, expiry) that the gateway layer then
//! accepts; the ECS metadata endpoint issues them through
//! [`StsStore::issue`](crate::state::StsStore::issue) too. Roles and OIDC tokens are not checked
//! against any policy: any well-formed request succeeds.

use axum::Json;
use rand::Rng;
use serde_json::{json, Value};
use time::Duration;

use super::params::RpcRequest;
use super::{lock, ApiError, AppState};

/// Default session length, as in the SDKs.
const DEFAULT_DURATION_SECONDS: i64 = 3600;
/// `AssumeRole`: `RoleArn` and `RoleSessionName` required; `DurationSeconds` 900..=43200.
///
/// # Errors
/// `MissingParameter`, `InvalidParameter.RoleArn`, `InvalidParameter.DurationSeconds`.
pub(crate) fn role_assume(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let role_arn = require(rpc, "RoleArn")?;
    let session = require(rpc, "RoleSessionName")?;
    assume(state, rpc, role_arn, session)
}

/// `AssumeRoleWithOIDC` (anonymous): `RoleArn`, `OIDCProviderArn` and `OIDCToken` required;
/// `RoleSessionName` optional. The token's content is not validated.
///
/// # Errors
/// `MissingParameter`, `InvalidParameter.RoleArn`, `InvalidParameter.DurationSeconds`.
pub(crate) fn role_assume_with_oidc(
    state: &AppState,
    rpc: &RpcRequest,
) -> Result<Json<Value>, ApiError> {
    let role_arn = require(rpc, "RoleArn")?;
    require(rpc, "OIDCProviderArn")?;
    require(rpc, "OIDCToken")?;
    let session = rpc.param("RoleSessionName").unwrap_or("oidc-session");
    assume(state, rpc, role_arn, session)
}

fn assume(
    state: &AppState,
    rpc: &RpcRequest,
    role_arn: &str,
    session: &str,
) -> Result<Json<Value>, ApiError> {
    let duration = duration_seconds(rpc.param("DurationSeconds"))?;
    let assumed_arn = assumed_role_arn(role_arn, session)?;
    let cred = state.issue_sts(Duration::seconds(duration));
    let role_id: u64 = lock(&state.inner.rng).random_range(10u64.pow(17)..10u64.pow(18));
    Ok(Json(json!({
        "RequestId": rpc.request_id,
        "AssumedRoleUser": {
            "Arn": assumed_arn,
            "AssumedRoleId": format!("{role_id}:{session}"),
        },
        "Credentials": {
            "AccessKeyId": cred.access_key_id,
            "AccessKeySecret": cred.access_key_secret,
            "SecurityToken": cred.security_token,
            "Expiration": cred.expiration_text(),
        },
    })))
}

fn require<'a>(rpc: &'a RpcRequest, name: &str) -> Result<&'a str, ApiError> {
    rpc.param(name)
        .ok_or_else(|| ApiError::MissingParameter(name.to_string()))
}

fn duration_seconds(raw: Option<&str>) -> Result<i64, ApiError> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_DURATION_SECONDS);
    };
    match raw.parse::<i64>() {
        Ok(n) if (900..=43200).contains(&n) => Ok(n),
        _ => Err(ApiError::InvalidParameter {
            name: "DurationSeconds",
            reason: "must be an integer from 900 to 43200".into(),
        }),
    }
}

/// `acs:ram::<account>:role/<name>` -> `acs:ram::<account>:assumed-role/<name>/<session>`.
fn assumed_role_arn(role_arn: &str, session: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::InvalidParameter {
        name: "RoleArn",
        reason: "must look like acs:ram::<account id>:role/<role name>".into(),
    };
    let rest = role_arn.strip_prefix("acs:ram::").ok_or_else(invalid)?;
    let (account, name) = rest.split_once(":role/").ok_or_else(invalid)?;
    if account.is_empty() || name.is_empty() {
        return Err(invalid());
    }
    Ok(format!("acs:ram::{account}:assumed-role/{name}/{session}"))
}

#[cfg(test)]
mod tests;
