// SPDX-License-Identifier: MPL-2.0
//! [`EmulatorConfig`]: what the emulator knows at start (credentials, apps, regions, state
//! file, copy time, fault knobs, sign-in tokens), also the shape of the `--config` JSON file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use crate::app_spec::AppSpec;
use crate::store::StoreError;

mod faults;

pub use faults::FaultConfig;
pub(crate) use faults::THROTTLE_RATE_RETRY_AFTER_MS;

/// The region applications live in by default (the provider tests' region).
pub const DEFAULT_HOME_REGION: &str = "cn-hangzhou";

/// The EhpcInstant regions known by default: the client's list of the endpoint page's regions,
/// so the emulator and the provider's unknown-region warning never disagree.
pub const DEFAULT_REGIONS: &[&str] = ehpc_alibaba::region::KNOWN_REGIONS;

/// The ECS role name the metadata endpoint reports when none is configured.
pub const DEFAULT_ECS_ROLE: &str = "ehpc-emulator-role";

/// What the emulator knows: credentials, apps, regions, persistence and fault knobs. Also the
/// shape of the `--config` JSON file (`faults` is a nested object of [`FaultConfig`] fields).
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmulatorConfig {
    /// Permanent AccessKeyId -> AccessKeySecret.
    pub credentials: BTreeMap<String, String>,
    /// Apps that exist (as if created in the console): `"APP_ID[=IMAGE_ID][,name=NAME]
    /// [,version=VERSION]"` strings or `{"app_id", "image_id", "name", "version"}` objects.
    pub apps: Vec<AppSpec>,
    /// Regions accepted in `TargetRegionIds` and expanded from `all`.
    pub regions: Vec<String>,
    /// The region the applications live in: `all` copies to every other region.
    pub home_region: String,
    /// JSON file that keeps apps and their regions across restarts.
    pub state_file: Option<PathBuf>,
    /// Seconds a copy started by SynchronizeApp stays `Creating` before it is ready (or
    /// `CreateFailed` in a region of `faults.fail_copies_to`); 0 means ready at once.
    pub copy_seconds: u64,
    pub faults: FaultConfig,
    /// Role name served by the ECS metadata endpoint.
    pub ecs_role: String,
    /// CloudSSO access tokens that `POST /cloud-credentials` accepts (secrets).
    pub sso_tokens: Vec<String>,
    /// OAuth access tokens that `POST /v1/exchange` accepts (secrets).
    pub oauth_tokens: Vec<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            credentials: BTreeMap::new(),
            apps: Vec::new(),
            regions: DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect(),
            home_region: DEFAULT_HOME_REGION.to_string(),
            state_file: None,
            copy_seconds: 0,
            faults: FaultConfig::default(),
            ecs_role: DEFAULT_ECS_ROLE.to_string(),
            sso_tokens: Vec::new(),
            oauth_tokens: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// Adds a permanent credential.
    pub fn with_credential(mut self, id: &str, secret: &str) -> Self {
        self.credentials.insert(id.to_string(), secret.to_string());
        self
    }

    /// Adds an app that exists from the start.
    pub fn with_app(mut self, app_id: &str) -> Self {
        self.apps.push(AppSpec::new(app_id));
        self
    }

    /// Adds an app with its image identity (ImageId, name, version).
    pub fn with_app_spec(mut self, spec: AppSpec) -> Self {
        self.apps.push(spec);
        self
    }

    /// Checks what deserializing cannot: app entries, and that failing copy regions are
    /// known regions (a typo would otherwise silently fail nothing).
    ///
    /// # Errors
    /// A description of the first problem.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.faults.validate().map_err(ConfigError::Invalid)?;
        if self.regions.is_empty() {
            return Err(ConfigError::Invalid("at least one region is needed".into()));
        }
        for spec in &self.apps {
            spec.validate().map_err(ConfigError::Invalid)?;
        }
        if let Some(region) = self
            .faults
            .fail_copies_to
            .iter()
            .find(|r| !self.regions.contains(r))
        {
            return Err(ConfigError::Invalid(format!(
                "fail_copies_to names {region:?}, which is not a known region"
            )));
        }
        Ok(())
    }
}

// Secrets stay out of Debug output.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field(
                "access_key_ids",
                &self.credentials.keys().collect::<Vec<_>>(),
            )
            .field("apps", &self.apps)
            .field("regions", &self.regions)
            .field("home_region", &self.home_region)
            .field("state_file", &self.state_file)
            .field("copy_seconds", &self.copy_seconds)
            .field("faults", &self.faults)
            .field("ecs_role", &self.ecs_role)
            .field("sso_token_count", &self.sso_tokens.len())
            .field("oauth_token_count", &self.oauth_tokens.len())
            .finish()
    }
}

/// Why an emulator cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid emulator configuration: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests;
