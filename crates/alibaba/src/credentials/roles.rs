// SPDX-License-Identifier: MPL-2.0
//! The STS steps of the chain, as fetchers: AssumeRole (its settings, the environment, or a
//! profile's role), the inner role hops of a `ChainableRamRoleArn` profile, and
//! AssumeRoleWithOIDC. Building one checks its settings; nothing is sent until the first
//! `credentials()` call.

use std::sync::Arc;

use super::context::ResolveContext;
use super::profile::ProfileRole;
use super::sts::{
    AssumeRoleFetcher, OidcFetcher, OidcToken, RoleRequest, StsTarget, DURATION_RANGE,
};
use super::{AssumeRoleWithOidcConfig, CredentialConfig, CredentialProvider, SettingNames};
use crate::Error;

/// `endpoints.sts`, else the regional endpoint when a region is known, else the central one.
pub(super) fn sts_target(
    ctx: &ResolveContext<'_>,
    profile_region: Option<&str>,
) -> Result<StsTarget, Error> {
    Ok(StsTarget {
        http: ctx.http.clone(),
        endpoint: ctx.endpoints.sts_for(ctx.region.or(profile_region))?,
    })
}

/// Where the role ARN of the AssumeRole settings is read from when they name none.
const ROLE_ARN_VARS: &[&str] = &["ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"];

fn duration(value: Option<u32>, what: &str) -> Result<u32, Error> {
    let seconds = value.unwrap_or(3600);
    if DURATION_RANGE.contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Error::Config(format!(
            "{what} must be between 900 and 43200 seconds (15 minutes to 12 hours), not {seconds}"
        )))
    }
}

/// The last role hop: the `assume_role` block (with its environment variables), or else the
/// role of the selected `RamRoleArn` / `ChainableRamRoleArn` profile.
pub(super) fn assume_role_fetcher(
    config: &CredentialConfig,
    profile_role: Option<ProfileRole>,
    source: Arc<dyn CredentialProvider>,
    ctx: &ResolveContext<'_>,
    profile_region: Option<&str>,
) -> Result<AssumeRoleFetcher, Error> {
    let env = ctx.env;
    let names = &config.names;
    let block = config.assume_role.as_ref();
    // The block wins over the profile's role; the profile only fills what the block lacks.
    let profile_role = match block {
        Some(_) => ProfileRole::default(),
        None => profile_role.unwrap_or_default(),
    };
    let text = |v: Option<&String>| v.filter(|s| !s.is_empty()).cloned();
    let role_arn = text(block.map(|b| &b.role_arn))
        .or_else(|| block.and_then(|_| env.first(ROLE_ARN_VARS).map(str::to_string)))
        .or(Some(profile_role.role_arn).filter(|s| !s.is_empty()))
        .ok_or_else(|| {
            Error::Config(format!(
                "{} is required (or set {})",
                names.assume_role_arn,
                ROLE_ARN_VARS.join(" / ")
            ))
        })?;
    let session_name = text(block.and_then(|b| b.session_name.as_ref()))
        .or_else(|| {
            env.first(&[
                "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
                "ALIBABA_CLOUD_ROLE_SESSION_NAME",
            ])
            .map(str::to_string)
        })
        .or(profile_role.session_name)
        .unwrap_or_else(|| "terraform".to_string());
    let env_expiration = match env.get("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION") {
        None => None,
        Some(v) => Some(v.parse::<u32>().map_err(|_| {
            Error::Config(format!(
                "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION must be a number of seconds, not {v:?}"
            ))
        })?),
    };
    // alicloud treats 0 as "not set".
    let seconds = block
        .and_then(|b| b.session_expiration)
        .filter(|s| *s > 0)
        .or(env_expiration)
        .or(profile_role.expired_seconds);
    let role = RoleRequest {
        role_arn,
        session_name,
        duration_seconds: duration(seconds, names.assume_role_expiration)?,
        policy: text(block.and_then(|b| b.policy.as_ref())).or(profile_role.policy),
    };
    Ok(AssumeRoleFetcher {
        target: sts_target(ctx, profile_region)?,
        source,
        role,
        external_id: text(block.and_then(|b| b.external_id.as_ref())).or(profile_role.external_id),
        label: names.assume_role,
    })
}

/// One hop of a profile chain: `source` assumes a profile's role (the `RamRoleArn` source of a
/// `ChainableRamRoleArn` profile, or an inner `ChainableRamRoleArn`). Only the profile's own
/// settings apply; the `assume_role` block and its environment variables are for the last hop.
pub(super) fn profile_role_fetcher(
    role: ProfileRole,
    profile: &str,
    source: Arc<dyn CredentialProvider>,
    ctx: &ResolveContext<'_>,
    profile_region: Option<&str>,
    label: &'static str,
) -> Result<AssumeRoleFetcher, Error> {
    let request = RoleRequest {
        role_arn: role.role_arn,
        session_name: role.session_name.unwrap_or_else(|| "terraform".to_string()),
        duration_seconds: duration(
            role.expired_seconds,
            &format!("expired_seconds of profile {profile:?}"),
        )?,
        policy: role.policy,
    };
    Ok(AssumeRoleFetcher {
        target: sts_target(ctx, profile_region)?,
        source,
        role: request,
        external_id: role.external_id,
        label,
    })
}

/// `assume_role_with_oidc`, its settings falling back to the `ALIBABA_CLOUD_*` variables.
pub(super) fn oidc_fetcher(
    oidc: &AssumeRoleWithOidcConfig,
    names: &SettingNames,
    ctx: &ResolveContext<'_>,
) -> Result<OidcFetcher, Error> {
    let env = ctx.env;
    let setting = |value: &str, var: &str, attr: &str| {
        Some(value.to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| env.get(var).map(str::to_string))
            .ok_or_else(|| Error::Config(format!("{attr} is required (or set {var})")))
    };
    let role_arn = setting(
        &oidc.role_arn,
        "ALIBABA_CLOUD_ROLE_ARN",
        names.oidc_role_arn,
    )?;
    let provider_arn = setting(
        &oidc.oidc_provider_arn,
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        names.oidc_provider_arn,
    )?;
    let non_empty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let token = match (
        non_empty(&oidc.oidc_token),
        non_empty(&oidc.oidc_token_file),
    ) {
        (Some(t), _) => OidcToken::Inline(t),
        (None, Some(f)) => OidcToken::File(f),
        (None, None) => match (
            env.get("ALIBABA_CLOUD_OIDC_TOKEN"),
            env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
        ) {
            (Some(t), _) => OidcToken::Inline(t.to_string()),
            (None, Some(f)) => OidcToken::File(f.to_string()),
            (None, None) => {
                return Err(Error::Config(format!(
                    "{} needs an OIDC token: set {} or {}, or ALIBABA_CLOUD_OIDC_TOKEN or \
                     ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                    names.oidc, names.oidc_token, names.oidc_token_file
                )))
            }
        },
    };
    let session_name = non_empty(&oidc.role_session_name)
        .or_else(|| {
            env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "terraform".to_string());
    let role = RoleRequest {
        role_arn,
        session_name,
        duration_seconds: duration(
            oidc.session_expiration.filter(|s| *s > 0),
            names.oidc_expiration,
        )?,
        policy: non_empty(&oidc.policy),
    };
    Ok(OidcFetcher {
        target: sts_target(ctx, None)?,
        role,
        provider_arn,
        token,
        names: *names,
    })
}
