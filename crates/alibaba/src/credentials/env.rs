// SPDX-License-Identifier: MPL-2.0
//! Steps 1 and 2 of the chain: a configured AccessKey, else the environment.
//!
//! NOTE(protocol): like terraform-provider-alicloud, each of the three values (key id, secret,
//! token) is taken from its attribute, else from its environment variables, so a key id in the
//! configuration may be paired with a secret exported in the environment. Among the variables
//! the legacy `ALICLOUD_*` names win over `ALIBABA_CLOUD_*` (then `ALIBABACLOUD_*`), exactly as
//! alicloud's `DefaultFunc`s list them, even though alicloud documents them as deprecated.

use super::{CredentialConfig, Credentials, Environment, SettingNames};
use crate::Error;

pub(crate) const ACCESS_KEY_VARS: &[&str] = &[
    "ALICLOUD_ACCESS_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
];
pub(crate) const SECRET_KEY_VARS: &[&str] = &[
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
];
pub(crate) const SECURITY_TOKEN_VARS: &[&str] = &[
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
];

/// Where one value came from: a configured setting (named as the caller names it, see
/// [`SettingNames`]) or an environment variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Setting(&'static str),
    Env(&'static str),
}

/// Credentials found by steps 1-2 and a description of where.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) credentials: Credentials,
    pub(crate) source: String,
}

fn pick<'a>(
    attr: Option<&'a str>,
    attr_name: &'static str,
    env: &'a Environment,
    vars: &[&'static str],
) -> Option<(&'a str, Origin)> {
    if let Some(v) = attr.filter(|v| !v.is_empty()) {
        return Some((v, Origin::Setting(attr_name)));
    }
    vars.iter()
        .find_map(|&name| env.get(name).map(|v| (v, Origin::Env(name))))
}

/// The AccessKey of steps 1-2, `None` when neither half is set anywhere; an error when only
/// one half is (naming the missing one and where it was looked for).
pub(crate) fn static_keys(
    config: &CredentialConfig,
    env: &Environment,
) -> Result<Option<Found>, Error> {
    let names = &config.names;
    let id = pick(
        config.access_key.as_deref(),
        names.access_key,
        env,
        ACCESS_KEY_VARS,
    );
    let secret = pick(
        config.secret_key.as_deref(),
        names.secret_key,
        env,
        SECRET_KEY_VARS,
    );
    let (id, secret) = match (id, secret) {
        (None, None) => return Ok(None),
        (Some(id), Some(secret)) => (id, secret),
        (Some((_, origin)), None) => {
            return Err(half_pair(origin, names.secret_key, SECRET_KEY_VARS));
        }
        (None, Some((_, origin))) => {
            return Err(half_pair(origin, names.access_key, ACCESS_KEY_VARS));
        }
    };
    let token = pick(
        config.security_token.as_deref(),
        "the configured security token",
        env,
        SECURITY_TOKEN_VARS,
    );
    let source = describe(id.1, secret.1, names);
    Ok(Some(Found {
        credentials: Credentials {
            access_key_id: id.0.to_string(),
            access_key_secret: secret.0.to_string(),
            security_token: token.map(|(t, _)| t.to_string()),
            expiration: None,
        },
        source,
    }))
}

fn origin_text(o: Origin) -> String {
    match o {
        Origin::Setting(name) => name.to_string(),
        Origin::Env(v) => format!("environment ({v})"),
    }
}

fn describe(id: Origin, secret: Origin, names: &SettingNames) -> String {
    match (id, secret) {
        (Origin::Setting(_), Origin::Setting(_)) => names.access_key_pair.to_string(),
        (Origin::Env(v), Origin::Env(_)) => format!("environment ({v})"),
        (a, b) => format!("{} + {}", origin_text(a), origin_text(b)),
    }
}

fn half_pair(found: Origin, missing: &str, missing_vars: &[&str]) -> Error {
    Error::Credentials(format!(
        "an access key half was found ({}) but {missing} is missing: set {missing} or one \
         of {}, or remove the other half",
        origin_text(found),
        missing_vars.join(", ")
    ))
}

/// The chain-error lines for steps 1-2 when they found nothing.
pub(crate) fn places_looked(names: &SettingNames) -> [String; 2] {
    [
        format!("{} / {}: not set", names.access_key, names.secret_key),
        format!(
            "environment variables {} / {}: not set",
            ACCESS_KEY_VARS.join(", "),
            SECRET_KEY_VARS.join(", ")
        ),
    ]
}

#[cfg(test)]
mod tests;
