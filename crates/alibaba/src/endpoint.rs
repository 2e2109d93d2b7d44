// SPDX-License-Identifier: MPL-2.0
//! Endpoint URLs: regional defaults and user overrides (e.g. a local emulator).
//!
//! EhpcInstant is a regional product with no central endpoint, so its default URL is built from
//! the region id; STS defaults to the central `sts.aliyuncs.com` (or a regional host on request)
//! and the ECS metadata service lives at a fixed link-local address. Overrides are validated
//! once, at configure time, so a typo surfaces as a configuration error rather than a failed call.

use super::Error;
use crate::region::is_region_id;

/// A validated endpoint base URL: `https://host[:port]`, or `http://` to this machine (a local
/// emulator) — and, for the ECS metadata service only, to the link-local metadata address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceUrl {
    /// `scheme://host[:port]`, never a trailing slash.
    url: String,
    plaintext: bool,
}

impl ServiceUrl {
    /// Parses a user-given URL; `Error::Config` names what is wrong with it.
    ///
    /// Accepted: `https`, or `http` to a loopback host (`is_loopback_host`), a host, an
    /// optional port and an optional `/` path. Rejected: plain http to any other host (the
    /// requests carry signatures, security tokens and OIDC tokens), other schemes, user info
    /// (credentials do not belong in an endpoint), paths, query strings and fragments (the
    /// signed RPC request owns the path and the query).
    pub fn parse(s: &str) -> Result<ServiceUrl, Error> {
        Self::parse_allowing(s, is_loopback_host)
    }

    /// [`ServiceUrl::parse`] for the ECS metadata service override, which also accepts plain
    /// http to a link-local or metadata address (`is_metadata_host`): the metadata service
    /// has no https endpoint.
    pub fn parse_metadata(s: &str) -> Result<ServiceUrl, Error> {
        Self::parse_allowing(s, |h| is_loopback_host(h) || is_metadata_host(h))
    }

    fn parse_allowing(s: &str, cleartext_ok: impl Fn(&str) -> bool) -> Result<ServiceUrl, Error> {
        let trimmed = s.trim();
        // User info or a query could hold secrets: never echo such input back.
        let shown = if trimmed.contains('@') || trimmed.contains('?') {
            "<redacted>".to_string()
        } else {
            trimmed.to_string()
        };
        let bad = |why: &str| Error::Config(format!("invalid endpoint URL \"{shown}\": {why}"));
        let url = reqwest::Url::parse(trimmed).map_err(|e| {
            bad(&format!(
                "{e} (expected something like https://ehpcinstant.cn-hangzhou.aliyuncs.com)"
            ))
        })?;
        let plaintext = match url.scheme() {
            "https" => false,
            "http" => true,
            other => {
                return Err(bad(&format!(
                    "the scheme must be https or http, not \"{other}\""
                )))
            }
        };
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(bad("a host name is required"));
        };
        if plaintext && !cleartext_ok(host) {
            let https = format!(
                "https://{}",
                url.authority().rsplit('@').next().unwrap_or(host)
            );
            return Err(bad(&format!(
                "plain http is only allowed to this machine (localhost, 127.0.0.1, [::1]), for a \
                 local emulator; requests carry signatures and tokens: use {https}"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("user name or password in the URL is not supported"));
        }
        if url.query().is_some() {
            return Err(bad("a query string (?...) is not allowed"));
        }
        if url.fragment().is_some() {
            return Err(bad("a fragment (#...) is not allowed"));
        }
        if !matches!(url.path(), "" | "/") {
            return Err(bad(
                "a path is not allowed; give only scheme, host and port",
            ));
        }
        // The origin serialization omits a default port and brackets IPv6 hosts.
        Ok(ServiceUrl {
            url: url.origin().ascii_serialization(),
            plaintext,
        })
    }

    /// True for `http://` (logged as a warning by the client).
    pub(crate) fn is_plaintext(&self) -> bool {
        self.plaintext
    }

    /// The URL without a trailing slash, e.g. `http://127.0.0.1:4567`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// An https URL for a host we build ourselves from a validated region id.
    fn https(host: &str) -> ServiceUrl {
        ServiceUrl {
            url: format!("https://{host}"),
            plaintext: false,
        }
    }
}

impl std::fmt::Display for ServiceUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

/// Endpoint overrides for every service the client calls; `None` means the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// Default `https://ehpcinstant.<region>.aliyuncs.com`.
    pub ehpcinstant: Option<ServiceUrl>,
    /// Default `https://sts.aliyuncs.com` (or `https://sts.<region>.aliyuncs.com`).
    pub sts: Option<ServiceUrl>,
    /// Default `http://100.100.100.200`.
    pub ecs_metadata: Option<ServiceUrl>,
    /// The OAuth service of an `OAuth` aliyun CLI profile; default by its site,
    /// `https://oauth.aliyun.com` or `https://oauth.alibabacloud.com`.
    pub oauth: Option<ServiceUrl>,
}

/// The ECS instance metadata service (plain HTTP on a link-local address, by design).
const ECS_METADATA_URL: &str = "http://100.100.100.200";

impl Endpoints {
    /// The EhpcInstant endpoint serving `region` (e.g. `cn-hangzhou`): the override when set
    /// (it then serves every region, as an emulator does), else the regional public host.
    pub(crate) fn ehpcinstant_for(&self, region: &str) -> Result<ServiceUrl, Error> {
        match &self.ehpcinstant {
            Some(url) => Ok(url.clone()),
            None => Ok(ServiceUrl::https(&format!(
                "ehpcinstant.{}.aliyuncs.com",
                checked_region(region)?
            ))),
        }
    }

    /// The STS endpoint: the override when set, else `sts.<region>.aliyuncs.com` when a region
    /// is given (closer and more reliable outside mainland China), else `sts.aliyuncs.com`.
    pub(crate) fn sts_for(&self, region: Option<&str>) -> Result<ServiceUrl, Error> {
        match (&self.sts, region) {
            (Some(url), _) => Ok(url.clone()),
            (None, Some(r)) => Ok(ServiceUrl::https(&format!(
                "sts.{}.aliyuncs.com",
                checked_region(r)?
            ))),
            (None, None) => Ok(ServiceUrl::https("sts.aliyuncs.com")),
        }
    }

    /// The OAuth service for an `OAuth` profile of `site`: the override when set, else the
    /// site's public host.
    pub(crate) fn oauth_for(&self, site: crate::credentials::OAuthSite) -> String {
        match &self.oauth {
            Some(url) => url.as_str().to_string(),
            None => site.default_url().to_string(),
        }
    }

    /// The ECS metadata service: the override when set, else `http://100.100.100.200`.
    pub fn ecs_metadata(&self) -> ServiceUrl {
        self.ecs_metadata.clone().unwrap_or_else(|| ServiceUrl {
            url: ECS_METADATA_URL.to_string(),
            plaintext: true,
        })
    }
}

/// Whether `host` (as [`reqwest::Url::host_str`] gives it) is this machine: `localhost` or a
/// loopback address (127.0.0.0/8, `[::1]`). Plain http is allowed only there.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host_ip(host).is_some_and(|ip| ip.is_loopback())
}

/// Whether `host` is an instance metadata address: link-local (169.254.0.0/16, `fe80::/10`) or
/// Alibaba Cloud's `100.100.100.200`. Such traffic never leaves the host's network segment.
pub(crate) fn is_metadata_host(host: &str) -> bool {
    match host_ip(host) {
        Some(std::net::IpAddr::V4(ip)) => ip.is_link_local() || ip.octets() == [100, 100, 100, 200],
        Some(std::net::IpAddr::V6(ip)) => (ip.segments()[0] & 0xffc0) == 0xfe80,
        None => false,
    }
}

fn host_ip(host: &str) -> Option<std::net::IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// A region id becomes part of a host name, so it must be one (see [`is_region_id`]).
fn checked_region(region: &str) -> Result<&str, Error> {
    if is_region_id(region) {
        Ok(region)
    } else {
        Err(Error::Config(format!(
            "invalid region id \"{}\": expected lower-case letters, digits and dashes, e.g. \
             cn-hangzhou",
            region.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests;
