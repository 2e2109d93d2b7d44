// SPDX-License-Identifier: MPL-2.0
//! The credential chain, resolved once at configure time, with the precedence of
//! terraform-provider-alicloud: provider attributes, environment, aliyun CLI profile, ECS
//! instance RAM role, credentials URI; then assume_role / assume_role_with_oidc on top.
//! Temporary credentials are refreshed before they expire; every network call (STS, ECS
//! metadata, credentials URI) is made, and an `External` profile's command run, lazily, on
//! the first `credentials()` call — configuring never leaves the machine nor starts a
//! process; a plan that refreshes or reads a data source makes that call. Entry point:
//! [`resolve`].

use std::collections::HashMap;
use std::ffi::OsString;
use std::time::SystemTime;

use super::Error;

mod cached;
mod chain;
mod config;
mod context;
mod ecs_metadata;
mod env;
mod external;
mod files;
mod helper_process;
mod names;
mod profile;
mod roles;
mod sign_in;
mod sts;
mod uri;

pub use chain::{resolve, resolve_with, ResolveOptions, Resolved};
pub(crate) use config::redact_url;
pub use config::{AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig};
pub use context::ResolveContext;
pub use helper_process::kill_running_helpers;
pub use names::SettingNames;
pub(crate) use sign_in::OAuthSite;

/// A usable credential. `Debug` masks the secret and token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The AccessKey id (`LTAI…`, `STS.…`).
    pub access_key_id: String,
    /// The AccessKey secret; never logged.
    pub access_key_secret: String,
    /// Present for temporary (STS) credentials.
    pub security_token: Option<String>,
    /// When temporary credentials stop working.
    pub expiration: Option<SystemTime>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &mask_access_key_id(&self.access_key_id))
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// Shows only the first 3 and last 3 characters of an access key id (`LTA***xyz`).
pub fn mask_access_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 6 {
        return "***".to_string();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}***{tail}")
}

/// A source of credentials; implementations cache and refresh temporary ones.
#[async_trait::async_trait]
pub trait CredentialProvider: Send + Sync {
    /// Current credentials, refreshed when they expire within the next few minutes.
    async fn credentials(&self) -> Result<Credentials, Error>;
    /// Where the credentials come from, for logs ("environment", "profile default", ...).
    fn source(&self) -> String;
}

/// The environment the chain reads. Tests build one from pairs instead of the process env.
/// `Debug` lists variable names only: values include secrets.
#[derive(Clone, Default)]
pub struct Environment {
    vars: HashMap<String, String>,
}

impl Environment {
    /// The process environment. Variables whose name or value is not UTF-8 are skipped
    /// (`std::env::vars` would panic on them); none of the names the chain reads is affected.
    pub fn from_process() -> Self {
        Self::from_os_pairs(std::env::vars_os())
    }

    fn from_os_pairs(pairs: impl IntoIterator<Item = (OsString, OsString)>) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An environment of exactly these variables (tests and embedders).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The variable's value when set and non-empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that is set and non-empty.
    pub fn first(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Environment")
            .field("names", &names)
            .finish()
    }
}

#[cfg(test)]
mod tests;
