// SPDX-License-Identifier: MPL-2.0
//! STS on top of the chain: `AssumeRole` (V2-signed with the source credentials) and
//! `AssumeRoleWithOIDC` (anonymous: the OIDC token is the proof), both as HTTPS POST with every
//! parameter in the form body: the source security token and the OIDC token are never in a URL.
//! Both are fetchers for [`super::cached::Cached`], so STS is called on first use and again near
//! expiry, never at resolve time. The OIDC token file is re-read at every call: CI systems rotate
//! it. Errors are scrubbed of the source secret, token and OIDC token, which a gateway's "string to
//! sign" echo could otherwise carry.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::cached::{temporary_from_json, Fetch};
use super::files::read_bounded;
use super::{mask_access_key_id, CredentialProvider, Credentials, SettingNames};
use crate::error::redact;
use crate::retry::with_retries;
use crate::rpc::{send_once_as, Placement, RpcCall};
use crate::{CallOptions, Error, HttpClient, ServiceUrl};

pub(crate) const STS_VERSION: &str = "2015-04-01";
/// STS is on the path of every first call; a few quick retries ride out a blip (alicloud
/// retries its OIDC call up to 5 times) without stalling Terraform for long.
const MAX_RETRIES: u32 = 3;
const CALL_BUDGET: Duration = Duration::from_secs(60);

/// What every STS call needs besides its parameters.
pub(crate) struct StsTarget {
    pub(crate) http: HttpClient,
    pub(crate) endpoint: ServiceUrl,
}

/// The role settings shared by both actions, already defaulted and validated.
pub(crate) struct RoleRequest {
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) duration_seconds: u32,
    pub(crate) policy: Option<String>,
}

impl RoleRequest {
    fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::from([
            ("RoleArn".to_string(), self.role_arn.clone()),
            ("RoleSessionName".to_string(), self.session_name.clone()),
            (
                "DurationSeconds".to_string(),
                self.duration_seconds.to_string(),
            ),
        ]);
        if let Some(policy) = &self.policy {
            p.insert("Policy".to_string(), policy.clone());
        }
        p
    }
}

/// Valid `session_expiration` values, as STS and alicloud accept them.
pub(crate) const DURATION_RANGE: std::ops::RangeInclusive<u32> = 900..=43200;

/// Calls one STS action with retries and reads `Credentials` from the answer.
async fn call(
    target: &StsTarget,
    action: &str,
    params: BTreeMap<String, String>,
    credentials: Option<&Credentials>,
    during: &str,
    secrets: &[&str],
) -> Result<Credentials, Error> {
    let rpc = RpcCall {
        method: "POST",
        action,
        version: STS_VERSION,
        params,
        credentials,
    };
    let opts = CallOptions {
        deadline: Some(tokio::time::Instant::now() + CALL_BUDGET),
        ..CallOptions::default()
    };
    let rpc_ref = &rpc;
    let answer = with_retries(MAX_RETRIES, &opts, during, |_| {
        send_once_as(&target.http, &target.endpoint, rpc_ref, Placement::FormBody)
    })
    .await
    .map_err(|e| {
        Error::Credentials(redact(
            &format!(
                "{during}: STS {action} at {} failed: {e}",
                target.endpoint.as_str()
            ),
            secrets,
        ))
    })?;
    let creds = answer.get("Credentials").ok_or_else(|| {
        Error::Credentials(format!(
            "{during}: the STS {action} answer has no Credentials"
        ))
    })?;
    temporary_from_json(creds, &format!("{during}: STS {action}"))
}

/// `assume_role`: AssumeRole signed with the credentials of `source`.
pub(crate) struct AssumeRoleFetcher {
    pub(crate) target: StsTarget,
    pub(crate) source: Arc<dyn CredentialProvider>,
    pub(crate) role: RoleRequest,
    pub(crate) external_id: Option<String>,
    /// The first word of its source, e.g. `AssumeRole` (see [`SettingNames::assume_role`]).
    pub(crate) label: &'static str,
}

#[async_trait::async_trait]
impl Fetch for AssumeRoleFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let source = self.source.credentials().await?;
        let mut params = self.role.params();
        if let Some(id) = &self.external_id {
            params.insert("ExternalId".to_string(), id.clone());
        }
        tracing::debug!(
            role_arn = %self.role.role_arn,
            source_access_key_id = %mask_access_key_id(&source.access_key_id),
            endpoint = %self.target.endpoint.as_str(),
            "calling STS AssumeRole"
        );
        let mut secrets = vec![source.access_key_secret.as_str()];
        secrets.extend(source.security_token.as_deref());
        let during = format!("assuming role {}", self.role.role_arn);
        call(
            &self.target,
            "AssumeRole",
            params,
            Some(&source),
            &during,
            &secrets,
        )
        .await
    }

    fn source(&self) -> String {
        format!(
            "{} {} via {}",
            self.label,
            self.role.role_arn,
            self.source.source()
        )
    }
}

/// Where the OIDC token comes from.
pub(crate) enum OidcToken {
    Inline(String),
    /// Re-read at every STS call.
    File(String),
}

/// `assume_role_with_oidc`: AssumeRoleWithOIDC, unsigned.
pub(crate) struct OidcFetcher {
    pub(crate) target: StsTarget,
    pub(crate) role: RoleRequest,
    pub(crate) provider_arn: String,
    pub(crate) token: OidcToken,
    /// How its messages and source name the AssumeRoleWithOIDC settings.
    pub(crate) names: SettingNames,
}

impl OidcFetcher {
    async fn token(&self) -> Result<String, Error> {
        match &self.token {
            OidcToken::Inline(t) => Ok(t.clone()),
            OidcToken::File(path) => match read_bounded(std::path::Path::new(path)).await {
                Ok(read) if !read.text.trim().is_empty() => Ok(read.text.trim().to_string()),
                Ok(_) => Err(Error::Credentials(format!(
                    "{}: the OIDC token file {path} is empty",
                    self.names.oidc
                ))),
                Err(e) => Err(Error::Credentials(format!(
                    "{}: the OIDC token file {path} cannot be read: {e}; check {} / \
                     ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                    self.names.oidc, self.names.oidc_token_file
                ))),
            },
        }
    }
}

#[async_trait::async_trait]
impl Fetch for OidcFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let token = self.token().await?;
        let mut params = self.role.params();
        params.insert("OIDCProviderArn".to_string(), self.provider_arn.clone());
        params.insert("OIDCToken".to_string(), token.clone());
        tracing::debug!(
            role_arn = %self.role.role_arn,
            oidc_provider_arn = %self.provider_arn,
            endpoint = %self.target.endpoint.as_str(),
            "calling STS AssumeRoleWithOIDC"
        );
        let during = format!("assuming role {} with OIDC", self.role.role_arn);
        call(
            &self.target,
            "AssumeRoleWithOIDC",
            params,
            None,
            &during,
            &[token.as_str()],
        )
        .await
    }

    fn source(&self) -> String {
        format!("{} {}", self.names.oidc, self.role.role_arn)
    }
}
