// SPDX-License-Identifier: MPL-2.0
//! Which requests go through a proxy: [`ProxySettings`].
//!
//! Only `https` requests ever do — to the EhpcInstant API, STS, an https credentials URI or a
//! sign-in service — through `HTTPS_PROXY` (else `ALL_PROXY`) unless `NO_PROXY` names the
//! host, as curl and the Alibaba SDKs read them. The proxy sees the host name of the CONNECT
//! tunnel, never the TLS-protected content. Plain http only ever goes to this machine or to the
//! ECS metadata service (see `ServiceUrl::parse`), and those targets are always reached
//! directly: the metadata exchange (IMDSv2 token out, role secret and security token back), a
//! local credentials URI and a local sign-in bearer exchange never cross a proxy, whatever
//! `NO_PROXY` says. `HTTP_PROXY` is therefore never used.

use crate::credentials::Environment;

/// Always reached directly, appended to the user's `NO_PROXY`: this machine, link-local
/// addresses and Alibaba Cloud's metadata address.
pub(crate) const ALWAYS_DIRECT: &str =
    "localhost,127.0.0.0/8,::1,169.254.0.0/16,fe80::/10,100.100.100.200";

/// The proxy settings of the provider's HTTP client. `Debug` never shows a proxy's user-info.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// The proxy for https requests, as written in the environment.
    https: Option<String>,
    /// Where the proxy is not used: the user's `NO_PROXY`, without [`ALWAYS_DIRECT`].
    no_proxy: Option<String>,
}

impl ProxySettings {
    /// No proxy at all.
    pub fn direct() -> Self {
        Self::default()
    }

    /// `HTTPS_PROXY`/`https_proxy`, else `ALL_PROXY`/`all_proxy`; `NO_PROXY`/`no_proxy`.
    pub fn from_env(env: &Environment) -> Self {
        let https = env.first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]);
        Self {
            https: https.map(str::to_string),
            no_proxy: env.first(&["NO_PROXY", "no_proxy"]).map(str::to_string),
        }
    }

    /// The proxy for the client builder, `None` when there is none. The error names the
    /// variable, never its value (a proxy URL may hold a password).
    pub(crate) fn proxy(&self) -> Result<Option<reqwest::Proxy>, String> {
        let Some(url) = &self.https else {
            return Ok(None);
        };
        let no_proxy = match self.no_proxy.as_deref().map(str::trim) {
            Some(user) if !user.is_empty() => format!("{user},{ALWAYS_DIRECT}"),
            _ => ALWAYS_DIRECT.to_string(),
        };
        let invalid = || {
            "HTTPS_PROXY (or ALL_PROXY) is not an http:// or https:// proxy URL; write e.g. \
             http://proxy.example.com:3128"
                .to_string()
        };
        // Other schemes (socks) are not built in; reqwest's error would quote the URL.
        let parsed = reqwest::Url::parse(url.trim()).map_err(|_| invalid())?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(invalid());
        }
        let proxy = reqwest::Proxy::https(parsed).map_err(|_| invalid())?;
        Ok(Some(
            proxy.no_proxy(reqwest::NoProxy::from_string(&no_proxy)),
        ))
    }
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.https.as_deref().map(crate::credentials::redact_url);
        f.debug_struct("ProxySettings")
            .field("https", &shown)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}
