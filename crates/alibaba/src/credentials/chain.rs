// SPDX-License-Identifier: MPL-2.0
//! [`resolve`]: the chain, in the order of terraform-provider-alicloud (provider attributes,
//! environment, aliyun CLI profile, ECS instance RAM role, credentials URI), then
//! `assume_role` on top. Resolution is local: files and environment only. STS, the ECS
//! metadata service and the credentials URI are called, and an `External` profile's command
//! is run, on the first `credentials()` call: configuring the provider touches no network
//! and starts no process (a plan that refreshes or reads a data source does make that call).
//!
//! NOTE(protocol): two deliberate differences from alicloud. The ECS step runs only when a role
//! name is configured (or a profile says `EcsRamRole`): probing 100.100.100.200 off ECS costs
//! a timeout on every run. And an `assume_role_with_oidc` block replaces steps 1-5 instead of
//! being skipped when some AccessKey is lying around: the block states the intent.

use std::sync::Arc;
use std::time::Duration;

use super::cached::{system_clock, Cached, Clock, StaticProvider};
use super::context::ResolveContext;
use super::ecs_metadata::EcsRoleFetcher;
use super::env::{places_looked, static_keys};
use super::external::{ExternalFetcher, DEFAULT_TIMEOUT};
use super::names::no_credentials;
use super::profile::{self, ProfileKind, ProfileRole};
use super::roles::{assume_role_fetcher, oidc_fetcher, profile_role_fetcher};
use super::sign_in::{bearer_origin, SignIn, SignInFetcher};
use super::uri::{check_uri, UriFetcher};
use super::{CredentialConfig, CredentialProvider, Environment, SettingNames};
use crate::{timestamp, Error};

/// Settings of the chain beside its [`CredentialConfig`]; [`resolve`] takes the defaults.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    /// How long an `External` profile's `process_command` may run before it is killed and
    /// the fetch fails. Default: 60 s.
    pub process_timeout: Duration,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        Self {
            process_timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The outcome of [`resolve`].
pub struct Resolved {
    /// Hand this to `ClientConfig::credentials`.
    pub provider: Arc<dyn CredentialProvider>,
    /// The `region_id` of the profile that supplied the credentials, a fallback for `region`.
    pub profile_region: Option<String>,
    /// Where the credentials come from, e.g. `profile "default" in /home/u/.aliyun/config.json`.
    pub source: String,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("source", &self.source)
            .field("profile_region", &self.profile_region)
            .finish_non_exhaustive()
    }
}

/// Steps 1-5 found this.
struct Base {
    provider: Arc<dyn CredentialProvider>,
    profile_region: Option<String>,
    profile_role: Option<ProfileRole>,
}

/// Finds the provider's credentials (see the module docs for the order). Errors are
/// `Error::Credentials` (nothing found, half an AccessKey, a bad profile) or `Error::Config`
/// (an invalid `assume_role` / `assume_role_with_oidc` setting).
pub async fn resolve(
    config: &CredentialConfig,
    ctx: &ResolveContext<'_>,
) -> Result<Resolved, Error> {
    resolve_with(config, ctx, &ResolveOptions::default()).await
}

/// [`resolve`] with other [`ResolveOptions`].
pub async fn resolve_with(
    config: &CredentialConfig,
    ctx: &ResolveContext<'_>,
    options: &ResolveOptions,
) -> Result<Resolved, Error> {
    let clock = system_clock();
    let names = &config.names;
    let base = match &config.assume_role_with_oidc {
        Some(oidc) => {
            if config.access_key.is_some() || config.secret_key.is_some() {
                return Err(Error::Config(format!(
                    "{} / {} and {} are both set; remove one of them",
                    names.access_key, names.secret_key, names.oidc
                )));
            }
            let provider: Arc<dyn CredentialProvider> =
                Arc::new(Cached::new(oidc_fetcher(oidc, names, ctx)?, clock.clone()));
            Base {
                provider,
                profile_region: None,
                profile_role: None,
            }
        }
        None => chain(config, ctx, options, clock.clone()).await?,
    };
    let provider = match (&config.assume_role, base.profile_role) {
        (None, None) => base.provider,
        (block, profile_role) => {
            if block.is_some() && profile_role.is_some() {
                tracing::debug!(
                    "{} overrides the profile's RamRoleArn role",
                    names.assume_role
                );
            }
            let fetcher = assume_role_fetcher(
                config,
                profile_role,
                base.provider,
                ctx,
                base.profile_region.as_deref(),
            )?;
            Arc::new(Cached::new(fetcher, clock)) as Arc<dyn CredentialProvider>
        }
    };
    let source = provider.source();
    tracing::info!(%source, "Alibaba Cloud credentials resolved");
    Ok(Resolved {
        provider,
        profile_region: base.profile_region,
        source,
    })
}

async fn chain(
    config: &CredentialConfig,
    ctx: &ResolveContext<'_>,
    options: &ResolveOptions,
    clock: Clock,
) -> Result<Base, Error> {
    let found = |provider: Arc<dyn CredentialProvider>| Base {
        provider,
        profile_region: None,
        profile_role: None,
    };
    if let Some(f) = static_keys(config, ctx.env)? {
        return Ok(found(Arc::new(StaticProvider {
            credentials: f.credentials,
            source: f.source,
        })));
    }
    let names = &config.names;
    let mut looked: Vec<String> = places_looked(names).into();
    let mut ecs_role: Option<Option<String>> = None;
    let mut profile_region = None;
    match profile::lookup(config, ctx.env).await? {
        profile::Lookup::NotFound(why) => looked.push(why),
        profile::Lookup::Found { profile, source } => {
            profile_region = profile.region;
            match profile.kind {
                // The ECS step comes later: a configured role name takes precedence.
                ProfileKind::EcsRamRole { role_name } => ecs_role = Some(role_name),
                kind => {
                    let hop = Hop {
                        ctx,
                        clock,
                        region: profile_region.as_deref(),
                        process_timeout: options.process_timeout,
                        names,
                    };
                    // The profile's own role, if any, is left to `resolve`, where the
                    // assume_role block may override it.
                    let (provider, profile_role) = hop.split(kind, source)?;
                    return Ok(Base {
                        provider,
                        profile_region,
                        profile_role,
                    });
                }
            }
        }
    }
    let configured_role = attribute_or_env(
        config.ecs_role_name.as_deref(),
        ctx.env,
        &["ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"],
    );
    if let Some(role_name) = configured_role.map(Some).or(ecs_role) {
        return Ok(Base {
            provider: ecs_provider(ctx, role_name, clock),
            profile_region,
            profile_role: None,
        });
    }
    looked.push(format!(
        "ECS instance RAM role: skipped, no role name (set {}, ALICLOUD_ECS_ROLE_NAME or \
         ALIBABA_CLOUD_ECS_METADATA; the metadata service is never probed without one)",
        names.ecs_role_name
    ));
    let uri = attribute_or_env(
        config.credentials_uri.as_deref(),
        ctx.env,
        &["ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"],
    );
    if let Some(uri) = uri {
        let from = match config.credentials_uri.as_deref().filter(|v| !v.is_empty()) {
            Some(_) => names.credentials_uri,
            None if ctx.env.get("ALICLOUD_CREDENTIALS_URI").is_some() => {
                "environment variable ALICLOUD_CREDENTIALS_URI"
            }
            None => "environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
        };
        check_uri(&uri, from)?;
        let provider = Arc::new(Cached::new(
            UriFetcher {
                http: ctx.http.clone(),
                uri,
                setting: names.credentials_uri,
            },
            clock,
        ));
        return Ok(Base {
            provider,
            profile_region,
            profile_role: None,
        });
    }
    looked.push(format!(
        "credentials URI: not set ({}, ALICLOUD_CREDENTIALS_URI, ALIBABA_CLOUD_CREDENTIALS_URI)",
        names.credentials_uri
    ));
    Err(no_credentials(&looked, names, config.assume_role.is_some()))
}

/// The ECS instance RAM role's credentials (`None`: discover the role name).
fn ecs_provider(
    ctx: &ResolveContext<'_>,
    role_name: Option<String>,
    clock: Clock,
) -> Arc<dyn CredentialProvider> {
    let fetcher = EcsRoleFetcher {
        http: ctx.http.clone(),
        base: ctx.endpoints.ecs_metadata().as_str().to_string(),
        role_name,
        imds_v1_disabled: ctx
            .env
            .get("ALIBABA_CLOUD_IMDSV1_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
    };
    Arc::new(Cached::new(fetcher, clock))
}

/// Builds what a profile provides; for `ChainableRamRoleArn`, recursively, whatever its
/// `source_profile` provides with that profile's own role (if any) assumed on top.
struct Hop<'a, 'c> {
    ctx: &'a ResolveContext<'c>,
    clock: Clock,
    region: Option<&'a str>,
    process_timeout: Duration,
    names: &'a SettingNames,
}

impl Hop<'_, '_> {
    /// What profile `name` (of kind `kind`, described by `label`) provides, its role assumed.
    fn provider(
        &self,
        kind: ProfileKind,
        name: &str,
        label: String,
    ) -> Result<Arc<dyn CredentialProvider>, Error> {
        Ok(match self.split(kind, label)? {
            (base, None) => base,
            (base, Some(role)) => {
                let label = self.names.assume_role;
                let fetcher = profile_role_fetcher(role, name, base, self.ctx, self.region, label)?;
                Arc::new(Cached::new(fetcher, self.clock.clone()))
            }
        })
    }

    /// What a profile of kind `kind` provides before its own role, and that role.
    fn split(
        &self,
        kind: ProfileKind,
        label: String,
    ) -> Result<(Arc<dyn CredentialProvider>, Option<ProfileRole>), Error> {
        Ok(match kind {
            ProfileKind::Static(credentials) => {
                // The mode in the source, so that an auth error says which kind of key failed.
                let mode = match credentials.security_token {
                    Some(_) => "StsToken",
                    None => "AK",
                };
                let source = format!("{label} (mode {mode})");
                (
                    Arc::new(StaticProvider {
                        credentials,
                        source,
                    }),
                    None,
                )
            }
            ProfileKind::RamRoleArn { source, role } => (
                Arc::new(StaticProvider {
                    credentials: source,
                    source: format!("{label} (mode RamRoleArn)"),
                }),
                Some(role),
            ),
            ProfileKind::EcsRamRole { role_name } => {
                (ecs_provider(self.ctx, role_name, self.clock.clone()), None)
            }
            ProfileKind::External(command) => {
                let fetcher = ExternalFetcher {
                    command,
                    profile: label,
                    timeout: self.process_timeout,
                };
                (Arc::new(Cached::new(fetcher, self.clock.clone())), None)
            }
            ProfileKind::SignIn { name, sign_in } => {
                (self.sign_in_provider(name, sign_in, label)?, None)
            }
            ProfileKind::Chained {
                source_name,
                source,
                role,
            } => {
                let inner = format!("profile {source_name:?}, source_profile of {label}");
                (self.provider(*source, &source_name, inner)?, Some(role))
            }
        })
    }

    /// A `CloudSSO` or `OAuth` profile's token exchange. An access token that has already
    /// expired is an error now, during `plan`, rather than at the first API call.
    fn sign_in_provider(
        &self,
        name: String,
        sign_in: SignIn,
        label: String,
    ) -> Result<Arc<dyn CredentialProvider>, Error> {
        if let Some(at) = sign_in.token().expired_at((self.clock)()) {
            return Err(Error::Credentials(format!(
                "the sign-in saved in {label} expired at {}: {}",
                timestamp::format(at.into()),
                sign_in.sign_in_again(&name)
            )));
        }
        let base = match &sign_in {
            SignIn::CloudSso { portal, .. } => portal.clone(),
            SignIn::OAuth { site, .. } => bearer_origin(&self.ctx.endpoints.oauth_for(*site))
                .map_err(|why| {
                    Error::Config(format!(
                        "the OAuth endpoint override (ALIBABA_CLOUD_ENDPOINT_OAUTH) cannot be \
                         used for {label}: {why}"
                    ))
                })?,
        };
        let fetcher = SignInFetcher {
            http: self.ctx.http.clone(),
            sign_in,
            base,
            profile_name: name,
            label,
        };
        Ok(Arc::new(Cached::new(fetcher, self.clock.clone())))
    }
}

/// A provider attribute when set and non-empty, else the first of its environment variables.
fn attribute_or_env(attribute: Option<&str>, env: &Environment, vars: &[&str]) -> Option<String> {
    attribute
        .filter(|v| !v.is_empty())
        .or_else(|| env.first(vars))
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
