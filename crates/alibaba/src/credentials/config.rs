// SPDX-License-Identifier: MPL-2.0
//! The chain's configured settings, as its caller hands them over: values only (`None` when
//! not set), and how messages name them ([`SettingNames`]). The environment is read by the
//! chain itself, so that precedence lives in one place. `Debug` never shows a secret.

use std::fmt;

use super::SettingNames;

/// The configured credential settings (a Terraform provider's block attributes, for one).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CredentialConfig {
    /// `access_key`: an AccessKey id. Env fallback: `ALICLOUD_ACCESS_KEY`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`.
    pub access_key: Option<String>,
    /// `secret_key` (sensitive). Env fallback: `ALICLOUD_SECRET_KEY`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.
    pub secret_key: Option<String>,
    /// `security_token` (sensitive), for STS credentials. Env fallback: `ALICLOUD_SECURITY_TOKEN`,
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub security_token: Option<String>,
    /// `profile`: a profile of the aliyun CLI file. Env fallback: `ALICLOUD_PROFILE`,
    /// `ALIBABA_CLOUD_PROFILE`; else the file's `current` profile.
    pub profile: Option<String>,
    /// `shared_credentials_file`: the aliyun CLI JSON file. Env fallback:
    /// `ALICLOUD_SHARED_CREDENTIALS_FILE`, `ALIBABA_CLOUD_CREDENTIALS_FILE`; default
    /// `~/.aliyun/config.json`.
    pub shared_credentials_file: Option<String>,
    /// `ecs_role_name`: the RAM role of the ECS instance Terraform runs on. Env fallback:
    /// `ALICLOUD_ECS_ROLE_NAME`, `ALIBABA_CLOUD_ECS_METADATA`.
    pub ecs_role_name: Option<String>,
    /// `credentials_uri`: a local credentials sidecar. Env fallback: `ALICLOUD_CREDENTIALS_URI`,
    /// `ALIBABA_CLOUD_CREDENTIALS_URI`.
    pub credentials_uri: Option<String>,
    /// The `assume_role` block.
    pub assume_role: Option<AssumeRoleConfig>,
    /// The `assume_role_with_oidc` block.
    pub assume_role_with_oidc: Option<AssumeRoleWithOidcConfig>,
    /// How messages name these settings; default: the client's own words.
    pub names: SettingNames,
}

/// The `assume_role` block: STS AssumeRole signed with the credentials found by the chain.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AssumeRoleConfig {
    /// `role_arn`, e.g. `acs:ram::123456789012:role/terraform`. Empty means "not set": then
    /// `ALICLOUD_ASSUME_ROLE_ARN` / `ALIBABA_CLOUD_ROLE_ARN`.
    pub role_arn: String,
    /// `session_name`; else `ALICLOUD_ASSUME_ROLE_SESSION_NAME` /
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`; default `terraform`.
    pub session_name: Option<String>,
    /// `session_expiration` in seconds (900..=43200); else
    /// `ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION`, else the profile's `expired_seconds`, else 3600.
    pub session_expiration: Option<u32>,
    /// `policy`: a RAM policy document further restricting the session.
    pub policy: Option<String>,
    /// `external_id`, required by some roles' trust policies.
    pub external_id: Option<String>,
}

/// The `assume_role_with_oidc` block: STS AssumeRoleWithOIDC (unsigned), as CI systems such as
/// GitHub Actions use. Needs no AccessKey.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AssumeRoleWithOidcConfig {
    /// `role_arn`; empty means "not set": then `ALIBABA_CLOUD_ROLE_ARN`.
    pub role_arn: String,
    /// `oidc_provider_arn`; empty means "not set": then `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.
    pub oidc_provider_arn: String,
    /// `oidc_token` (sensitive); else `ALIBABA_CLOUD_OIDC_TOKEN`.
    pub oidc_token: Option<String>,
    /// `oidc_token_file`, re-read at every refresh (CI systems rotate it); else
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.
    pub oidc_token_file: Option<String>,
    /// `role_session_name`; else `ALIBABA_CLOUD_ROLE_SESSION_NAME`; default `terraform`.
    pub role_session_name: Option<String>,
    /// `session_expiration` in seconds (900..=43200), default 3600.
    pub session_expiration: Option<u32>,
    /// `policy`: a RAM policy document further restricting the session.
    pub policy: Option<String>,
}

fn redacted(v: Option<&String>) -> Option<&'static str> {
    v.map(|_| "<redacted>")
}

impl fmt::Debug for CredentialConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialConfig")
            .field(
                "access_key",
                &self.access_key.as_deref().map(super::mask_access_key_id),
            )
            .field("secret_key", &redacted(self.secret_key.as_ref()))
            .field("security_token", &redacted(self.security_token.as_ref()))
            .field("profile", &self.profile)
            .field("shared_credentials_file", &self.shared_credentials_file)
            .field("ecs_role_name", &self.ecs_role_name)
            .field(
                "credentials_uri",
                &self.credentials_uri.as_ref().map(|u| redact_url(u)),
            )
            .field("assume_role", &self.assume_role)
            .field("assume_role_with_oidc", &self.assume_role_with_oidc)
            .field("names", &self.names)
            .finish()
    }
}

impl fmt::Debug for AssumeRoleConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleConfig")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("session_expiration", &self.session_expiration)
            .field("policy", &self.policy.as_ref().map(|_| "<set>"))
            .field("external_id", &self.external_id.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl fmt::Debug for AssumeRoleWithOidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleWithOidcConfig")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("oidc_token", &redacted(self.oidc_token.as_ref()))
            .field("oidc_token_file", &self.oidc_token_file)
            .field("role_session_name", &self.role_session_name)
            .field("session_expiration", &self.session_expiration)
            .field("policy", &self.policy.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// A URL fit for messages: scheme, host, port and path only, taken from the parsed URL (so a
/// user-info holding `/`, `?` or `#` cannot shift what is cut). Credentials sidecars sometimes
/// carry a token in the query string or user-info, so neither is ever shown; text that does
/// not parse as a URL with a host is never echoed at all.
pub(crate) fn redact_url(url: &str) -> String {
    const UNPARSEABLE: &str = "<unparseable URL>";
    let Ok(parsed) = reqwest::Url::parse(url.trim()) else {
        return UNPARSEABLE.to_string();
    };
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return UNPARSEABLE.to_string();
    };
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = match parsed.path() {
        "/" => "",
        p => p,
    };
    format!("{}://{host}{port}{path}", parsed.scheme())
}

#[cfg(test)]
mod tests;
