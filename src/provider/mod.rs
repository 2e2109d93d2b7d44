// SPDX-License-Identifier: MPL-2.0
//! The `ehpc` provider block: its schema ([`schema`]), its typed model and merge with the
//! environment ([`config`]), validation ([`validate`]) and configure, which resolves the
//! credential chain and builds the one [`ehpc_alibaba::Client`] all resources share
//! ([`ProviderData`]); the chain and the client share one lazily built
//! [`ehpc_alibaba::HttpClient`]. Configure never calls the network nor builds the HTTP
//! client; with unknown values (during plan) it never fails either. [`cloud`] is the one seam
//! to the API: the calls as traits (tested against fakes) and how their errors read.

pub mod cloud;
pub mod config;
mod data;
pub mod schema;
pub mod validate;

use std::sync::Arc;

use crate::engine::{
    ConfigureRequest, ConfigureResponse, Provider, ValidateRequest, ValidateResponse,
};
use crate::protocol::{Diagnostic, Diagnostics, Schema};
use crate::value::{Attr, DecodeError};
use ehpc_alibaba::credentials::{self, Environment, ResolveContext};
use ehpc_alibaba::region::is_region_id;
use ehpc_alibaba::{Backoff, Client, ClientConfig, HttpClient, ProxySettings};

pub use cloud::{api_error, read_options, ImagesApi, READ_TIMEOUT};
pub use config::ProviderConfig;
pub use data::ProviderData;

/// The `ehpc` provider.
pub struct EhpcProvider {
    /// `None`: read the process environment at each configure (it may differ between runs
    /// in reattach mode). The unit tests set their own.
    env: Option<Environment>,
}

impl EhpcProvider {
    /// The provider as Terraform runs it: it reads the process environment at configure time.
    pub fn new() -> Self {
        Self { env: None }
    }

    fn environment(&self) -> Environment {
        self.env.clone().unwrap_or_else(Environment::from_process)
    }
}

impl Default for EhpcProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// A decode error of the provider block as a diagnostic at its path.
fn decode_diagnostic(err: &DecodeError) -> Diagnostic {
    let path = err.path.clone();
    Diagnostic::error("Invalid provider configuration", err.to_string()).at(path)
}

/// The User-Agent of every request: `terraform-provider-ehpc/<version>`, followed by
/// `Terraform/<version>` when Terraform said which it is.
fn user_agent(terraform_version: &str) -> String {
    match terraform_version.trim() {
        "" => format!("terraform-provider-ehpc/{}", crate::VERSION),
        version => format!(
            "terraform-provider-ehpc/{} Terraform/{version}",
            crate::VERSION
        ),
    }
}

/// Everything configure does once the block is wholly known.
async fn configure_known(
    config: &ProviderConfig,
    env: &Environment,
    terraform_version: &str,
) -> Result<ProviderData, Diagnostics> {
    let problems = validate::validate(config);
    if problems.has_errors() {
        return Err(problems);
    }
    let endpoints = config.endpoints(env).map_err(Diagnostics)?;
    let settings = config.client_settings();
    // One pool for the credential chain (STS, metadata, credentials URI) and the API client,
    // built at the first request: a plan process never pays for loading root certificates.
    // https requests honour HTTPS_PROXY/NO_PROXY; metadata and loopback targets never do.
    let http = HttpClient::with_proxies(
        settings.connect_timeout,
        settings.read_timeout,
        &user_agent(terraform_version),
        ProxySettings::from_env(env),
    );
    let before_profile = config.region_before_profile(env);
    let ctx = ResolveContext {
        env,
        http: &http,
        endpoints: &endpoints,
        region: before_profile.known().map(String::as_str),
    };
    let resolved = credentials::resolve(&config.credential_config(), &ctx)
        .await
        .map_err(|err| {
            Diagnostics::from(Diagnostic::error(
                "No usable Alibaba Cloud credentials",
                err.to_string(),
            ))
        })?;
    let region = config::resolve_region(&before_profile, resolved.profile_region.as_deref())
        .map_err(Diagnostics::from)?;
    tracing::debug!(region = %region, source = %resolved.source, "provider configured");
    let client = Client::new(ClientConfig {
        credentials: resolved.provider,
        endpoints,
        max_retries: settings.max_retries,
        http,
        backoff: Backoff::default(),
        shared_budget_dir: ehpc_alibaba::shared_budget_dir(env, "terraform-provider-ehpc"),
    });
    Ok(ProviderData::configured(region, client))
}

#[async_trait::async_trait]
impl Provider for EhpcProvider {
    type Data = ProviderData;

    fn schema(&self) -> Schema {
        schema::provider_schema()
    }

    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        match ProviderConfig::decode(&req.config) {
            Ok(config) => resp.diagnostics.extend(validate::validate(&config)),
            Err(err) => resp.diagnostics.push(decode_diagnostic(&err)),
        }
    }

    async fn configure(&self, req: ConfigureRequest, resp: &mut ConfigureResponse<ProviderData>) {
        let config = match ProviderConfig::decode(&req.config) {
            Ok(config) => config,
            Err(err) => {
                resp.diagnostics.push(decode_diagnostic(&err));
                return;
            }
        };
        let env = self.environment();
        if !req.config.is_wholly_known() {
            // NOTE(protocol): during plan the block may reference resources not created yet.
            // Plan with what is known; the apply walk configures again with known values.
            let region = match config.region_before_profile(&env) {
                Attr::Known(r) if is_region_id(&r) => Attr::Known(r),
                _ => Attr::Unknown,
            };
            resp.data = Some(Arc::new(ProviderData::planning(region)));
            return;
        }
        match configure_known(&config, &env, &req.terraform_version).await {
            Ok(data) => resp.data = Some(Arc::new(data)),
            Err(diags) => resp.diagnostics.extend(diags),
        }
    }
}

#[cfg(test)]
mod tests;
