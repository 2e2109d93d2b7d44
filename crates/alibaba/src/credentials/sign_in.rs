// SPDX-License-Identifier: MPL-2.0
//! Modes `CloudSSO` and `OAuth` of an aliyun CLI profile: the CLI signed the user in through a
//! browser and saved an access token in the profile; the provider exchanges that token over
//! HTTPS for temporary credentials, at the first `credentials()` call (not at configure time),
//! and again shortly before they expire.
//!
//! - `CloudSSO`: `POST <portal>/cloud-credentials` with `Authorization: Bearer <access_token>`
//!   and `{"AccountId", "AccessConfigurationId"}`; the answer's `CloudCredential` holds
//!   `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`. The portal is the scheme and
//!   host of the profile's `cloud_sso_sign_in_url`.
//! - `OAuth`: `POST <site>/v1/exchange` with the bearer `oauth_access_token`; the answer holds
//!   `{accessKeyId, accessKeySecret, securityToken, expiration}`. The site is
//!   `https://oauth.aliyun.com` (`oauth_site_type` CN, the default) or
//!   `https://oauth.alibabacloud.com` (INTL), or the `ALIBABA_CLOUD_ENDPOINT_OAUTH` override.
//!
//! An expired access token is a configuration error, reported during `plan` with the command
//! that signs in again. NOTE(protocol): Alibaba's SDK refreshes an OAuth token with
//! `oauth_refresh_token` and writes the new tokens back into the CLI file. Refreshing replaces
//! the refresh token, and this provider never writes the user's file, so it never refreshes:
//! it asks the user to run the CLI, which refreshes and saves them. Tokens are never logged
//! nor shown; a bearer token only goes over HTTPS (plain http only to a loopback address, for
//! a local emulator).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{json, Value};

use super::cached::{temporary_from_json, Fetch};
use super::Credentials;
use crate::error::body_excerpt;
use crate::rpc::{credentials_in, exchange, reports_failure};
use crate::{Error, HttpClient};

/// The SDK's read timeout for both exchanges; here it bounds the whole answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an error answer goes into the error message.
const BODY_EXCERPT: usize = 300;

/// A saved access token and when it stops working. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AccessToken {
    pub(crate) value: String,
    /// From the profile's `*_access_token_expire` (Unix seconds); `None` when 0 or absent.
    pub(crate) expires: Option<SystemTime>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"<redacted>")
            .field("expires", &self.expires)
            .finish()
    }
}

impl AccessToken {
    pub(crate) fn new(value: String, expire_unix: i64) -> Self {
        let expires = u64::try_from(expire_unix)
            .ok()
            .filter(|s| *s > 0)
            .map(|s| UNIX_EPOCH + Duration::from_secs(s));
        Self { value, expires }
    }

    /// When the token expired, if it has an expiry and that has passed by `now`.
    pub(crate) fn expired_at(&self, now: SystemTime) -> Option<SystemTime> {
        self.expires.filter(|at| *at <= now)
    }
}

/// Where an OAuth profile signs in (`oauth_site_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OAuthSite {
    China,
    International,
}

impl OAuthSite {
    /// `CN` (also when empty) or `INTL`, in any case.
    pub(crate) fn parse(site_type: &str) -> Option<Self> {
        match site_type.to_ascii_uppercase().as_str() {
            "" | "CN" => Some(Self::China),
            "INTL" => Some(Self::International),
            _ => None,
        }
    }

    pub(crate) fn default_url(self) -> &'static str {
        match self {
            Self::China => "https://oauth.aliyun.com",
            Self::International => "https://oauth.alibabacloud.com",
        }
    }
}

/// What a `CloudSSO` or `OAuth` profile says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SignIn {
    CloudSso {
        /// `scheme://host[:port]` of `cloud_sso_sign_in_url`.
        portal: String,
        account_id: String,
        access_config: String,
        token: AccessToken,
    },
    OAuth {
        site: OAuthSite,
        token: AccessToken,
    },
}

impl SignIn {
    pub(crate) fn token(&self) -> &AccessToken {
        match self {
            Self::CloudSso { token, .. } | Self::OAuth { token, .. } => token,
        }
    }

    /// What to run so that profile `name` holds a valid access token again.
    pub(crate) fn sign_in_again(&self, name: &str) -> String {
        match self {
            Self::CloudSso { .. } => {
                format!("sign in again with `aliyun configure --profile {name} --mode CloudSSO`")
            }
            Self::OAuth { .. } => format!(
                "run an aliyun CLI command with this profile, e.g. `aliyun sts \
                 GetCallerIdentity --profile {name}`, which refreshes the token (this provider \
                 never does: it does not write your config file), or sign in again with \
                 `aliyun configure --profile {name} --mode OAuth`"
            ),
        }
    }
}

/// The origin (`scheme://host[:port]`) of a URL an access token may be sent to (a CloudSSO
/// sign-in URL, the OAuth service): https, or http to a loopback address. The error never
/// quotes the URL's query.
pub(crate) fn bearer_origin(url: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(url.trim()).map_err(|e| format!("it is not a URL ({e})"))?;
    let host = url.host_str().ok_or("it has no host")?;
    let loopback = crate::endpoint::is_loopback_host(host);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        other => {
            return Err(format!(
                "its scheme is {other:?}; the access token is only sent over https"
            ))
        }
    }
    Ok(url.origin().ascii_serialization())
}

/// The keys of a `CloudSSO` or `OAuth` profile, as the aliyun CLI writes them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawSignIn {
    cloud_sso_sign_in_url: String,
    cloud_sso_account_id: String,
    cloud_sso_access_config: String,
    access_token: String,
    /// Unix seconds; kept as JSON so that an odd value cannot make the whole file unreadable.
    cloud_sso_access_token_expire: Value,
    oauth_site_type: String,
    oauth_access_token: String,
    oauth_access_token_expire: Value,
}

impl RawSignIn {
    /// The settings of profile `name` (in file `shown`), mode `OAuth` or else `CloudSSO`.
    /// Nothing is checked against the clock here.
    pub(crate) fn parse(&self, name: &str, oauth: bool, shown: &str) -> Result<SignIn, Error> {
        let mode = if oauth { "OAuth" } else { "CloudSSO" };
        let bad = |what: String| Error::Credentials(format!("profile {name:?} in {shown} {what}"));
        let need = |value: &str, key: &str| {
            Some(value.trim().to_string())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| bad(format!("has mode {mode} but no {key}")))
        };
        let token = |value: &str, key: &str, expire: &Value| {
            let value = need(value, key).map_err(|_| {
                bad(format!(
                    "has mode {mode} but no {key}: sign in with `aliyun configure --profile \
                     {name} --mode {mode}`"
                ))
            })?;
            Ok::<_, Error>(AccessToken::new(value, unix_seconds(expire)))
        };
        if oauth {
            let site = OAuthSite::parse(self.oauth_site_type.trim()).ok_or_else(|| {
                bad(format!(
                    "has oauth_site_type {:?}; expected CN or INTL",
                    self.oauth_site_type
                ))
            })?;
            return Ok(SignIn::OAuth {
                site,
                token: token(
                    &self.oauth_access_token,
                    "oauth_access_token",
                    &self.oauth_access_token_expire,
                )?,
            });
        }
        let url = need(&self.cloud_sso_sign_in_url, "cloud_sso_sign_in_url")?;
        Ok(SignIn::CloudSso {
            portal: bearer_origin(&url).map_err(|why| {
                bad(format!(
                    "has a cloud_sso_sign_in_url that cannot be used: {why}"
                ))
            })?,
            account_id: need(&self.cloud_sso_account_id, "cloud_sso_account_id")?,
            access_config: need(&self.cloud_sso_access_config, "cloud_sso_access_config")?,
            token: token(
                &self.access_token,
                "access_token",
                &self.cloud_sso_access_token_expire,
            )?,
        })
    }
}

/// Unix seconds from a number or a string of digits; 0 (unknown) otherwise.
fn unix_seconds(v: &Value) -> i64 {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .unwrap_or(0)
}

/// Exchanges a profile's access token for temporary credentials.
pub(crate) struct SignInFetcher {
    pub(crate) http: HttpClient,
    pub(crate) sign_in: SignIn,
    /// `scheme://host[:port]` the request goes to.
    pub(crate) base: String,
    /// The profile's name, for the hint in errors.
    pub(crate) profile_name: String,
    /// Where the credentials come from, e.g. `profile "sso" in /home/u/.aliyun/config.json`.
    pub(crate) label: String,
}

impl SignInFetcher {
    fn what(&self) -> String {
        match self.sign_in {
            SignIn::CloudSso { .. } => format!("CloudSSO portal {}", self.base),
            SignIn::OAuth { .. } => format!("OAuth service {}", self.base),
        }
    }

    fn fail(&self, detail: impl std::fmt::Display) -> Error {
        Error::Credentials(format!(
            "{} (the {}): {detail}; if the sign-in has expired or was revoked, {}, then retry",
            self.label,
            self.what(),
            self.sign_in.sign_in_again(&self.profile_name)
        ))
    }
}

#[async_trait::async_trait]
impl Fetch for SignInFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let pool = self.http.pool_for(&self.base)?;
        let request = match &self.sign_in {
            SignIn::CloudSso {
                account_id,
                access_config,
                ..
            } => pool
                .post(format!("{}/cloud-credentials", self.base))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .body(
                    json!({"AccountId": account_id, "AccessConfigurationId": access_config})
                        .to_string(),
                ),
            SignIn::OAuth { .. } => pool
                .post(format!("{}/v1/exchange", self.base))
                .header("Content-Type", "application/json"),
        };
        let request = request.bearer_auth(&self.sign_in.token().value);
        let crate::rpc::Answer { status, body, .. } =
            exchange(request, TIMEOUT).await.map_err(|e| self.fail(e))?;
        if !status.is_success() {
            return Err(self.fail(format_args!(
                "HTTP {}{}",
                status.as_u16(),
                excerpt(&body, &self.sign_in.token().value)
            )));
        }
        let answer: Value =
            serde_json::from_slice(&body).map_err(|_| self.fail("the answer is not JSON"))?;
        if reports_failure(&answer) {
            // An error document in a 2xx: quote it (sanitised, without the token or any
            // credential it may hold) rather than say "no credentials".
            let mut secrets = vec![self.sign_in.token().value.clone()];
            secrets.extend(credentials_in(&answer));
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            let quoted = body_excerpt(&body, &secrets, BODY_EXCERPT);
            return Err(self.fail(format_args!(
                "HTTP {} reporting a failure: {quoted}",
                status.as_u16()
            )));
        }
        let credentials = match &self.sign_in {
            SignIn::CloudSso { .. } => answer.get("CloudCredential").cloned(),
            // Same fields as the others, in lower camel case.
            SignIn::OAuth { .. } => Some(json!({
                "AccessKeyId": answer.get("accessKeyId"),
                "AccessKeySecret": answer.get("accessKeySecret"),
                "SecurityToken": answer.get("securityToken"),
                "Expiration": answer.get("expiration"),
            })),
        }
        .ok_or_else(|| self.fail("the answer has no CloudCredential"))?;
        let got = temporary_from_json(&credentials, &self.source())?;
        if got.security_token.is_none() {
            return Err(self.fail("the answer has no SecurityToken"));
        }
        Ok(got)
    }

    fn source(&self) -> String {
        format!("{} via the {}", self.label, self.what())
    }
}

/// `: <start of the body>` for an error answer, sanitised, without the access `token` (a
/// hostile or broken service may echo the request).
fn excerpt(body: &[u8], token: &str) -> String {
    match body_excerpt(body, &[token], BODY_EXCERPT) {
        t if t.is_empty() => t,
        t => format!(": {t}"),
    }
}

#[cfg(test)]
mod tests;
