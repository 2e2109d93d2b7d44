// SPDX-License-Identifier: MPL-2.0
//! The provider block as a typed model, and its merge with the environment: region, endpoint
//! URLs, client settings and the attribute part of the credential chain. The chain itself
//! (environment credentials, profiles, ECS role, STS) belongs to `alibaba::credentials`.
//! No `Debug` on the model: it holds the secret key, security token and OIDC token.

use std::time::Duration;

use crate::protocol::Diagnostic;
use crate::value::{Attr, AttributePath, DecodeError, Value};
use ehpc_alibaba::credentials::{
    AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig, Environment, SettingNames,
};
use ehpc_alibaba::region::is_region_id;
use ehpc_alibaba::{Endpoints, ServiceUrl};

/// `client_connect_timeout` (ms) when not set: short, as a connection either opens fast or not at
/// all.
pub const DEFAULT_CONNECT_TIMEOUT_MS: i64 = 10_000;
/// `client_read_timeout` (ms) when not set, as in terraform-provider-alicloud.
pub const DEFAULT_READ_TIMEOUT_MS: i64 = 60_000;

/// Environment variables for the region, first set wins: the legacy name first, as the
/// alicloud provider lists them (and as the credential variables are read).
pub const REGION_ENV: [&str; 2] = ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"];
const EHPCINSTANT_ENV: &str = "ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT";
const STS_ENV: &str = "ALIBABA_CLOUD_ENDPOINT_STS";
const ECS_METADATA_ENV: &str = "ALIBABA_CLOUD_ENDPOINT_ECS_METADATA";
const OAUTH_ENV: &str = "ALIBABA_CLOUD_ENDPOINT_OAUTH";

/// How the credential chain's messages name its settings: by this provider's attributes, so
/// that its advice points at what a user writes in the provider block.
pub const CREDENTIAL_ATTRIBUTES: SettingNames = SettingNames {
    access_key_pair: "provider attributes",
    access_key: "the access_key attribute",
    secret_key: "the secret_key attribute",
    profile: "the profile attribute",
    shared_credentials_file: "the shared_credentials_file attribute",
    ecs_role_name: "the ecs_role_name attribute",
    credentials_uri: "the credentials_uri attribute",
    assume_role: "assume_role",
    assume_role_arn: "assume_role.role_arn",
    assume_role_expiration: "assume_role.session_expiration",
    oidc: "assume_role_with_oidc",
    oidc_role_arn: "assume_role_with_oidc.role_arn",
    oidc_provider_arn: "assume_role_with_oidc.oidc_provider_arn",
    oidc_token: "assume_role_with_oidc.oidc_token",
    oidc_token_file: "assume_role_with_oidc.oidc_token_file",
    oidc_expiration: "assume_role_with_oidc.session_expiration",
};

/// The `provider "ehpc"` block. Any field may be unknown during plan.
#[derive(Clone, Default, PartialEq)]
pub struct ProviderConfig {
    pub region: Attr<String>,
    pub access_key: Attr<String>,
    pub secret_key: Attr<String>,
    pub security_token: Attr<String>,
    pub profile: Attr<String>,
    pub shared_credentials_file: Attr<String>,
    pub ecs_role_name: Attr<String>,
    pub credentials_uri: Attr<String>,
    pub max_retries: Attr<i64>,
    pub client_connect_timeout: Attr<i64>,
    pub client_read_timeout: Attr<i64>,
    /// Null when the block is absent.
    pub assume_role: Attr<AssumeRoleBlock>,
    pub assume_role_with_oidc: Attr<OidcBlock>,
    pub endpoints: Attr<EndpointsBlock>,
}

/// The `assume_role` block.
#[derive(Clone, Default, PartialEq)]
pub struct AssumeRoleBlock {
    pub role_arn: Attr<String>,
    pub session_name: Attr<String>,
    pub session_expiration: Attr<i64>,
    pub policy: Attr<String>,
    pub external_id: Attr<String>,
}

/// The `assume_role_with_oidc` block.
#[derive(Clone, Default, PartialEq)]
pub struct OidcBlock {
    pub role_arn: Attr<String>,
    pub oidc_provider_arn: Attr<String>,
    pub oidc_token: Attr<String>,
    pub oidc_token_file: Attr<String>,
    pub role_session_name: Attr<String>,
    pub session_expiration: Attr<i64>,
    pub policy: Attr<String>,
}

/// The `endpoints` block.
#[derive(Clone, Default, PartialEq)]
pub struct EndpointsBlock {
    pub ehpcinstant: Attr<String>,
    pub sts: Attr<String>,
}

/// Connection settings with defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSettings {
    /// `None` (not set): retry until the operation's deadline.
    pub max_retries: Option<u32>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

/// Decodes the LIST-max-1 block `name`: absent (empty list) or null is `Null`.
fn block<T>(
    config: &Value,
    name: &str,
    decode: impl Fn(&Value) -> Result<T, DecodeError>,
) -> Result<Attr<T>, DecodeError> {
    let Some(list) = config.attr(name) else {
        return Ok(Attr::Null);
    };
    if list.is_unknown() {
        return Ok(Attr::Unknown);
    }
    match list.elements().and_then(|items| items.first()) {
        None => Ok(Attr::Null),
        Some(item) if item.is_unknown() => Ok(Attr::Unknown),
        Some(item) => decode(item).map(Attr::Known),
    }
}

impl ProviderConfig {
    /// Decodes the provider block (a value of the schema's implied type; may hold unknowns).
    ///
    /// # Errors
    /// A value that does not fit the model, e.g. a fractional `max_retries`.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            region: v.get("region")?,
            access_key: v.get("access_key")?,
            secret_key: v.get("secret_key")?,
            security_token: v.get("security_token")?,
            profile: v.get("profile")?,
            shared_credentials_file: v.get("shared_credentials_file")?,
            ecs_role_name: v.get("ecs_role_name")?,
            credentials_uri: v.get("credentials_uri")?,
            max_retries: v.get("max_retries")?,
            client_connect_timeout: v.get("client_connect_timeout")?,
            client_read_timeout: v.get("client_read_timeout")?,
            assume_role: block(v, "assume_role", |b| {
                Ok(AssumeRoleBlock {
                    role_arn: b.get("role_arn")?,
                    session_name: b.get("session_name")?,
                    session_expiration: b.get("session_expiration")?,
                    policy: b.get("policy")?,
                    external_id: b.get("external_id")?,
                })
            })?,
            assume_role_with_oidc: block(v, "assume_role_with_oidc", |b| {
                Ok(OidcBlock {
                    role_arn: b.get("role_arn")?,
                    oidc_provider_arn: b.get("oidc_provider_arn")?,
                    oidc_token: b.get("oidc_token")?,
                    oidc_token_file: b.get("oidc_token_file")?,
                    role_session_name: b.get("role_session_name")?,
                    session_expiration: b.get("session_expiration")?,
                    policy: b.get("policy")?,
                })
            })?,
            endpoints: block(v, "endpoints", |b| {
                Ok(EndpointsBlock {
                    ehpcinstant: b.get("ehpcinstant")?,
                    sts: b.get("sts")?,
                })
            })?,
        })
    }

    /// The attribute part of the credential chain (call once the block is wholly known).
    pub fn credential_config(&self) -> CredentialConfig {
        CredentialConfig {
            access_key: known(&self.access_key),
            secret_key: known(&self.secret_key),
            security_token: known(&self.security_token),
            profile: known(&self.profile),
            shared_credentials_file: known(&self.shared_credentials_file),
            ecs_role_name: known(&self.ecs_role_name),
            credentials_uri: known(&self.credentials_uri),
            assume_role: self.assume_role.known().map(|b| AssumeRoleConfig {
                role_arn: known(&b.role_arn).unwrap_or_default(),
                session_name: known(&b.session_name),
                session_expiration: b.session_expiration.known().map(|n| clamp_u32(*n)),
                policy: known(&b.policy),
                external_id: known(&b.external_id),
            }),
            assume_role_with_oidc: self.assume_role_with_oidc.known().map(|b| {
                AssumeRoleWithOidcConfig {
                    role_arn: known(&b.role_arn).unwrap_or_default(),
                    oidc_provider_arn: known(&b.oidc_provider_arn).unwrap_or_default(),
                    oidc_token: known(&b.oidc_token),
                    oidc_token_file: known(&b.oidc_token_file),
                    role_session_name: known(&b.role_session_name),
                    session_expiration: b.session_expiration.known().map(|n| clamp_u32(*n)),
                    policy: known(&b.policy),
                }
            }),
            names: CREDENTIAL_ATTRIBUTES,
        }
    }

    /// Retries and timeouts with defaults applied; out-of-range values (already reported by
    /// validation) fall back to the defaults.
    pub fn client_settings(&self) -> ClientSettings {
        let millis = |a: &Attr<i64>, default: i64| {
            let ms = a.known().copied().filter(|n| *n > 0).unwrap_or(default);
            Duration::from_millis(ms.unsigned_abs())
        };
        let retries = self.max_retries.known().copied().filter(|n| *n >= 0);
        ClientSettings {
            max_retries: retries.map(clamp_u32),
            connect_timeout: millis(&self.client_connect_timeout, DEFAULT_CONNECT_TIMEOUT_MS),
            read_timeout: millis(&self.client_read_timeout, DEFAULT_READ_TIMEOUT_MS),
        }
    }

    /// Endpoint overrides: the `endpoints` block, else `ALIBABA_CLOUD_ENDPOINT_<SERVICE>`.
    ///
    /// # Errors
    /// One diagnostic per URL that does not parse, at its attribute path when it came from
    /// the block, naming the environment variable otherwise.
    pub fn endpoints(&self, env: &Environment) -> Result<Endpoints, Vec<Diagnostic>> {
        let block = self.endpoints.known();
        let mut errors = Vec::new();
        type Parse = fn(&str) -> Result<ServiceUrl, ehpc_alibaba::Error>;
        let mut pick =
            |attr: Option<&Attr<String>>, attr_name: &str, env_name: &str, parse: Parse| {
                let (raw, path) = match attr.and_then(|a| a.known()) {
                    Some(url) => (url.as_str(), Some(endpoint_path(attr_name))),
                    None => (env.get(env_name)?, None),
                };
                match parse(raw) {
                    Ok(url) => Some(url),
                    Err(err) => {
                        let origin = match &path {
                            Some(p) => format!("`{p}`"),
                            None => format!("environment variable {env_name}"),
                        };
                        let d = Diagnostic::error(
                            "Invalid endpoint URL",
                            format!(
                                "The endpoint URL in {origin} is not valid: {err}. Write a base \
                                 URL such as `https://ehpcinstant.cn-hangzhou.aliyuncs.com`."
                            ),
                        );
                        errors.push(match path {
                            Some(p) => d.at(p),
                            None => d,
                        });
                        None
                    }
                }
            };
        let endpoints = Endpoints {
            ehpcinstant: pick(
                block.map(|b| &b.ehpcinstant),
                "ehpcinstant",
                EHPCINSTANT_ENV,
                ServiceUrl::parse,
            ),
            sts: pick(block.map(|b| &b.sts), "sts", STS_ENV, ServiceUrl::parse),
            ecs_metadata: pick(None, "", ECS_METADATA_ENV, ServiceUrl::parse_metadata),
            oauth: pick(None, "", OAUTH_ENV, ServiceUrl::parse),
        };
        if errors.is_empty() {
            Ok(endpoints)
        } else {
            Err(errors)
        }
    }

    /// The region as far as it is known without the credential chain: the attribute, else
    /// the environment. `Null` means "ask the profile"; `Unknown` comes from an unknown attribute.
    pub fn region_before_profile(&self, env: &Environment) -> Attr<String> {
        match &self.region {
            Attr::Null => env
                .first(&REGION_ENV)
                .map_or(Attr::Null, |r| Attr::Known(r.to_string())),
            other => other.clone(),
        }
    }
}

/// The path of attribute `name` inside the `endpoints` block.
pub fn endpoint_path(name: &str) -> AttributePath {
    AttributePath::attribute("endpoints").index(0).attr(name)
}

/// The final region: attribute, then environment, then the profile's `region_id`.
///
/// # Errors
/// No region anywhere, or one that is not a region id; the diagnostic (at `region`) says where
/// the provider looked.
pub fn resolve_region(
    before_profile: &Attr<String>,
    profile_region: Option<&str>,
) -> Result<String, Diagnostic> {
    let path = AttributePath::attribute("region");
    let region = match before_profile {
        Attr::Known(r) => r.clone(),
        _ => match profile_region {
            Some(r) if !r.is_empty() => r.to_string(),
            _ => {
                return Err(Diagnostic::error(
                    "No region configured",
                    format!(
                        "The provider needs a region and looked in: the `region` argument, the \
                         environment variables {} and {}, and the `region_id` of the aliyun CLI \
                         profile. None was set. Add `region = \"cn-hangzhou\"` (for example) to \
                         the provider block or export ALIBABA_CLOUD_REGION.",
                        REGION_ENV[0], REGION_ENV[1]
                    ),
                )
                .at(path))
            }
        },
    };
    if !is_region_id(&region) {
        return Err(Diagnostic::error(
            "Invalid region",
            format!(
                "{region:?} is not a region id; expected a form such as cn-hangzhou or \
                 ap-southeast-1."
            ),
        )
        .at(path));
    }
    Ok(region)
}

fn known(a: &Attr<String>) -> Option<String> {
    a.known().cloned()
}

fn clamp_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
