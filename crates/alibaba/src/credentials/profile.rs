// SPDX-License-Identifier: MPL-2.0
//! Step 3 of the chain: a profile of the aliyun CLI file (`~/.aliyun/config.json`).
//!
//! NOTE(protocol): `ALIBABA_CLOUD_CREDENTIALS_FILE` names an INI file to Alibaba's SDKs but
//! the CLI JSON file to terraform-provider-alicloud; we follow alicloud (JSON). Unlike alicloud,
//! the file is also read when no profile is named (its `current` profile, else `default`), as
//! the SDKs and the CLI do. A missing default file is "not found"; a file or profile the user
//! named explicitly must exist. Parse errors report a position only: the file holds secrets.
//! Nothing here runs or fetches anything: an `External` profile's command is only split, and
//! only accepted from a file that no one but the user can write (see `files`). The file is
//! read only when it is a regular file of at most 1 MiB.

use std::path::PathBuf;

use serde::Deserialize;

use super::external::ExternalCommand;
use super::files;
use super::sign_in::{RawSignIn, SignIn};
use super::{CredentialConfig, Credentials, Environment, SettingNames};
use crate::Error;

const FILE_VARS: &[&str] = &[
    "ALICLOUD_SHARED_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
];
const PROFILE_VARS: &[&str] = &["ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"];

/// What a profile provides.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ProfileKind {
    /// Modes `AK` and `StsToken`.
    Static(Credentials),
    /// Mode `RamRoleArn`: an AccessKey plus the role to assume with it.
    RamRoleArn {
        source: Credentials,
        role: ProfileRole,
    },
    /// Mode `EcsRamRole`; no role name means "discover it from the metadata service".
    EcsRamRole { role_name: Option<String> },
    /// Mode `External`: what `process_command` prints, run at first use (see `external`).
    External(ExternalCommand),
    /// Modes `CloudSSO` and `OAuth`: a saved access token, exchanged at first use (see
    /// `sign_in`). `name` is the profile's, for the sign-in hint.
    SignIn { name: String, sign_in: SignIn },
    /// Mode `ChainableRamRoleArn`: what another profile (`source_profile`) provides, then this
    /// profile's role.
    Chained {
        source_name: String,
        source: Box<ProfileKind>,
        role: ProfileRole,
    },
}

/// The role settings of a `RamRoleArn` or `ChainableRamRoleArn` profile.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ProfileRole {
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
    pub(crate) expired_seconds: Option<u32>,
    pub(crate) policy: Option<String>,
    pub(crate) external_id: Option<String>,
}

/// A selected profile.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Profile {
    pub(crate) name: String,
    pub(crate) region: Option<String>,
    pub(crate) kind: ProfileKind,
}

/// The outcome of step 3.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// Nothing usable; the text says why, for the "no credentials" error.
    NotFound(String),
    Found {
        profile: Box<Profile>,
        source: String,
    },
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u64,
    policy: String,
    external_id: String,
    ram_role_name: String,
    source_profile: String,
    process_command: String,
    region_id: String,
    /// The keys of modes `CloudSSO` and `OAuth`.
    #[serde(flatten)]
    sign_in: RawSignIn,
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// Reads step 3 from the file named by the attribute, the environment or the default path.
pub(crate) async fn lookup(config: &CredentialConfig, env: &Environment) -> Result<Lookup, Error> {
    let names = &config.names;
    let explicit_file = match config
        .shared_credentials_file
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        Some(f) => Some((f.to_string(), names.shared_credentials_file.to_string())),
        None => FILE_VARS.iter().find_map(|&v| {
            env.get(v)
                .map(|f| (f.to_string(), format!("environment ({v})")))
        }),
    };
    let wanted = match config.profile.as_deref().filter(|s| !s.is_empty()) {
        Some(p) => Some((p.to_string(), names.profile.to_string())),
        None => PROFILE_VARS.iter().find_map(|&v| {
            env.get(v)
                .map(|p| (p.to_string(), format!("environment ({v})")))
        }),
    };
    let home = env.first(&["HOME", "USERPROFILE"]);
    let path = match (&explicit_file, home) {
        (Some((f, _)), home) => expand_home(f, home),
        (None, Some(home)) => PathBuf::from(home).join(".aliyun").join("config.json"),
        (None, None) => {
            return match wanted {
                Some((p, from)) => Err(Error::Credentials(format!(
                    "profile {p:?} was requested by {from}, but HOME is not set, so the aliyun \
                     CLI file cannot be found: set {}",
                    names.shared_credentials_file
                ))),
                None => Ok(Lookup::NotFound(format!(
                    "aliyun CLI profile: HOME is not set and {} is not set",
                    names.shared_credentials_file
                ))),
            };
        }
    };
    let shown = path.display().to_string();
    let read = match files::read_bounded(&path).await {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit_file.is_none() => {
            return match wanted {
                Some((p, from)) => Err(Error::Credentials(format!(
                    "profile {p:?} was requested by {from}, but {shown} does not exist: run \
                     `aliyun configure --profile {p}` or set {}",
                    names.shared_credentials_file
                ))),
                None => Ok(Lookup::NotFound(format!(
                    "aliyun CLI profile: {shown} does not exist"
                ))),
            };
        }
        Err(e) => {
            let from = explicit_file
                .map(|(_, from)| from)
                .unwrap_or_else(|| "default".into());
            return Err(Error::Credentials(format!(
                "the aliyun CLI file {shown} (from {from}) cannot be read: {e}"
            )));
        }
    };
    match select(
        &read.text,
        wanted.as_ref().map(|(p, from)| (p.as_str(), from.as_str())),
        &shown,
        names,
    )? {
        None => Ok(Lookup::NotFound(format!(
            "aliyun CLI profile: {shown} has no current profile and no profile named \"default\""
        ))),
        Some(profile) => {
            if let Some(runner) = runs_a_program(&profile.name, &profile.kind) {
                let why = format!("profile {runner:?} in it runs its process_command");
                files::check_private(&shown, &read, files::current_user(), &why)?;
            }
            let source = format!("profile {:?} in {shown}", profile.name);
            Ok(Lookup::Found {
                profile: Box::new(profile),
                source,
            })
        }
    }
}

/// The profile whose `process_command` a selected profile would run (itself, or the
/// `source_profile` it chains to), if any.
fn runs_a_program<'a>(name: &'a str, kind: &'a ProfileKind) -> Option<&'a str> {
    match kind {
        ProfileKind::External(_) => Some(name),
        ProfileKind::Chained {
            source_name,
            source,
            ..
        } => runs_a_program(source_name, source),
        _ => None,
    }
}

fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Parses the file and picks the profile: `wanted` (name, where it was named), else the
/// file's `current`, else `default`. `Ok(None)` when nothing was named and nothing matched.
pub(crate) fn select(
    text: &str,
    wanted: Option<(&str, &str)>,
    shown: &str,
    settings: &SettingNames,
) -> Result<Option<Profile>, Error> {
    let file: File = serde_json::from_str(text).map_err(|e| {
        Error::Credentials(format!(
            "the aliyun CLI file {shown} is not valid: {:?} error at line {} column {} \
             (expected {{\"current\": ..., \"profiles\": [...]}})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let names = || {
        file.profiles
            .iter()
            .map(|p| format!("{:?}", p.name))
            .collect::<Vec<_>>()
    };
    let index = match wanted {
        Some((name, from)) => match file.profiles.iter().position(|p| p.name == name) {
            Some(i) => i,
            None => {
                return Err(Error::Credentials(format!(
                    "profile {name:?} (named by {from}) is not in {shown}; profiles there: [{}]",
                    names().join(", ")
                )))
            }
        },
        None => {
            let by_name = |n: &str| {
                file.profiles
                    .iter()
                    .position(|p| !n.is_empty() && p.name == n)
            };
            match by_name(&file.current).or_else(|| by_name("default")) {
                Some(i) => i,
                None => return Ok(None),
            }
        }
    };
    convert(&file.profiles, index, (shown, settings), &mut Vec::new()).map(Some)
}

const SUPPORTED: &str =
    "AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, External, CloudSSO, OAuth";

/// Converts `profiles[index]`, following `source_profile` for `ChainableRamRoleArn`; `chain`
/// holds the profiles being converted, so that a loop is an error rather than a hang. `file`:
/// the file as messages show it, and how they name the caller's settings.
fn convert(
    profiles: &[RawProfile],
    index: usize,
    file: (&str, &SettingNames),
    chain: &mut Vec<String>,
) -> Result<Profile, Error> {
    let (shown, names) = file;
    let raw = &profiles[index];
    let name = &raw.name;
    let need = |value: &str, key: &str, mode: &str| {
        non_empty(value.to_string()).ok_or_else(|| {
            Error::Credentials(format!(
                "profile {name:?} in {shown} has mode {mode} but no {key}"
            ))
        })
    };
    // Older CLI versions wrote no mode for AccessKey profiles.
    let mode = if raw.mode.is_empty() && !raw.access_key_id.is_empty() {
        "AK"
    } else {
        raw.mode.as_str()
    };
    let access_key = |mode: &str| -> Result<Credentials, Error> {
        Ok(Credentials {
            access_key_id: need(&raw.access_key_id, "access_key_id", mode)?,
            access_key_secret: need(&raw.access_key_secret, "access_key_secret", mode)?,
            security_token: None,
            expiration: None,
        })
    };
    let role = |mode: &str| -> Result<ProfileRole, Error> {
        Ok(ProfileRole {
            role_arn: need(&raw.ram_role_arn, "ram_role_arn", mode)?,
            session_name: non_empty(raw.ram_session_name.clone()),
            // The CLI writes 0 for "not set".
            expired_seconds: u32::try_from(raw.expired_seconds).ok().filter(|s| *s > 0),
            policy: non_empty(raw.policy.clone()),
            external_id: non_empty(raw.external_id.clone()),
        })
    };
    let kind = match mode {
        "AK" => ProfileKind::Static(access_key(mode)?),
        "StsToken" => {
            let mut c = access_key(mode)?;
            c.security_token = Some(need(&raw.sts_token, "sts_token", mode)?);
            ProfileKind::Static(c)
        }
        "RamRoleArn" => ProfileKind::RamRoleArn {
            source: access_key(mode)?,
            role: role(mode)?,
        },
        "ChainableRamRoleArn" => {
            let source_name = need(&raw.source_profile, "source_profile", mode)?;
            let role = role(mode)?;
            chain.push(name.clone());
            if chain.contains(&source_name) {
                return Err(Error::Credentials(format!(
                    "profiles in {shown} form a loop through source_profile: {} -> {source_name}",
                    chain.join(" -> ")
                )));
            }
            let Some(at) = profiles.iter().position(|p| p.name == source_name) else {
                return Err(Error::Credentials(format!(
                    "profile {name:?} in {shown} has source_profile {source_name:?}, which is \
                     not in that file"
                )));
            };
            let source = convert(profiles, at, file, chain)?;
            chain.pop();
            ProfileKind::Chained {
                source_name,
                source: Box::new(source.kind),
                role,
            }
        }
        "EcsRamRole" => ProfileKind::EcsRamRole {
            role_name: non_empty(raw.ram_role_name.clone()),
        },
        "External" => {
            let command = need(raw.process_command.trim(), "process_command", mode)?;
            // The command is never quoted: its arguments may hold secrets.
            let command = ExternalCommand::parse(&command).map_err(|why| {
                Error::Credentials(format!(
                    "profile {name:?} in {shown} has a process_command that cannot be split into \
                     arguments: {why} (it runs without a shell; quote as in sh)"
                ))
            })?;
            ProfileKind::External(command)
        }
        "CloudSSO" | "OAuth" => ProfileKind::SignIn {
            name: name.clone(),
            sign_in: raw.sign_in.parse(name, mode == "OAuth", shown)?,
        },
        "" => {
            return Err(Error::Credentials(format!(
                "profile {name:?} in {shown} has no mode; supported modes: {SUPPORTED}"
            )))
        }
        other => {
            return Err(Error::Credentials(format!(
                "profile {name:?} in {shown} uses mode {other:?}, which this provider does not \
                 support (supported: {SUPPORTED}); for OIDC use {}, otherwise pick another \
                 profile",
                names.oidc
            )))
        }
    };
    Ok(Profile {
        name: name.clone(),
        region: non_empty(raw.region_id.clone()),
        kind,
    })
}

#[cfg(test)]
mod tests;
