// SPDX-License-Identifier: MPL-2.0
//! [`SettingNames`]: how the chain's messages and sources name the settings of a
//! [`CredentialConfig`](super::CredentialConfig). The client knows nothing of the program
//! that configures it, so its defaults describe each setting in the client's own terms
//! ("the configured AccessKey id"); a caller whose users set these values under other names
//! (a Terraform provider's attributes, a CLI's flags) passes those names instead, so that
//! the advice points at what its users can change. Here too: the error that lists every
//! place the chain looked, and how to fix it.

use crate::Error;

/// The words for each setting, used verbatim inside the chain's messages; each is a noun
/// phrase ("the configured credentials URI", "the credentials_uri attribute").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingNames {
    /// Where an AccessKey whose id and secret were both configured comes from, in a
    /// credential source ("signed with AccessKey id LTAI**** from {this}").
    pub access_key_pair: &'static str,
    /// The AccessKey id setting.
    pub access_key: &'static str,
    /// The AccessKey secret setting.
    pub secret_key: &'static str,
    /// The aliyun CLI profile name setting.
    pub profile: &'static str,
    /// The setting naming the aliyun CLI file.
    pub shared_credentials_file: &'static str,
    /// The ECS instance RAM role name setting.
    pub ecs_role_name: &'static str,
    /// The credentials URI setting.
    pub credentials_uri: &'static str,
    /// The AssumeRole settings as a whole; also the prefix of an assumed role's source
    /// ("{this} acs:ram::1:role/x via ...").
    pub assume_role: &'static str,
    /// The role ARN of the AssumeRole settings.
    pub assume_role_arn: &'static str,
    /// The session lifetime of the AssumeRole settings.
    pub assume_role_expiration: &'static str,
    /// The AssumeRoleWithOIDC settings as a whole; also the prefix of their source.
    pub oidc: &'static str,
    /// The role ARN of the AssumeRoleWithOIDC settings.
    pub oidc_role_arn: &'static str,
    /// The OIDC provider ARN of the AssumeRoleWithOIDC settings.
    pub oidc_provider_arn: &'static str,
    /// The inline OIDC token setting.
    pub oidc_token: &'static str,
    /// The OIDC token file setting.
    pub oidc_token_file: &'static str,
    /// The session lifetime of the AssumeRoleWithOIDC settings.
    pub oidc_expiration: &'static str,
}

impl SettingNames {
    /// The client's own words, naming no caller's attribute or flag.
    pub const NEUTRAL: SettingNames = SettingNames {
        access_key_pair: "the configured AccessKey",
        access_key: "the configured AccessKey id",
        secret_key: "the configured AccessKey secret",
        profile: "the configured profile name",
        shared_credentials_file: "the configured shared credentials file",
        ecs_role_name: "the configured ECS role name",
        credentials_uri: "the configured credentials URI",
        assume_role: "AssumeRole",
        assume_role_arn: "the AssumeRole role ARN",
        assume_role_expiration: "the AssumeRole session expiration",
        oidc: "AssumeRoleWithOIDC",
        oidc_role_arn: "the AssumeRoleWithOIDC role ARN",
        oidc_provider_arn: "the AssumeRoleWithOIDC OIDC provider ARN",
        oidc_token: "the configured OIDC token",
        oidc_token_file: "the configured OIDC token file",
        oidc_expiration: "the AssumeRoleWithOIDC session expiration",
    };
}

impl Default for SettingNames {
    fn default() -> Self {
        Self::NEUTRAL
    }
}

/// The error when no step of the chain found credentials: each place it `looked`, and what
/// to set.
pub(crate) fn no_credentials(looked: &[String], names: &SettingNames, assume_role: bool) -> Error {
    let mut msg = String::from("no Alibaba Cloud credentials found");
    if assume_role {
        msg.push_str(&format!(
            " ({} needs source credentials to sign STS AssumeRole)",
            names.assume_role
        ));
    }
    msg.push_str(". Looked, in order, at:\n");
    for (i, place) in looked.iter().enumerate() {
        msg.push_str(&format!("  {}. {place}\n", i + 1));
    }
    let n = names;
    msg.push_str(&format!(
        "To fix: set {} and {}, or export ALIBABA_CLOUD_ACCESS_KEY_ID and \
         ALIBABA_CLOUD_ACCESS_KEY_SECRET, or run `aliyun configure` (or set {} / {}), or set {} \
         on an ECS instance, or {}; in CI, use {}.",
        n.access_key,
        n.secret_key,
        n.profile,
        n.shared_credentials_file,
        n.ecs_role_name,
        n.credentials_uri,
        n.oidc
    ));
    Error::Credentials(msg)
}
