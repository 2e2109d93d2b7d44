// SPDX-License-Identifier: MPL-2.0
//! [`HttpClient`]: the HTTP connection pools of a configured provider, shared by the API
//! client and the credential chain (STS, ECS metadata, credentials URI).
//!
//! There are two pools, each built on its first request, not at configure time. The one for
//! `https://` loads the system root certificates (several ms of CPU), and a `terraform plan`
//! process configures the provider without ever calling the cloud. The one for `http://`, which
//! only ever reaches this machine or the ECS metadata service (see `ServiceUrl::parse`), has no
//! root certificates and no proxy: a process that never speaks https (credentials from the
//! metadata service alone, a local emulator) never loads them, and with no roots that pool
//! could not complete a TLS handshake even if it were handed an https URL.
//!
//! Redirects are never followed, for any service: a redirect would carry a signed query, a
//! metadata token or a request to another host. Proxies: only what [`ProxySettings`] says,
//! never reqwest's own reading of the environment (which would also send the metadata and
//! loopback credential exchanges through a proxy).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::Error;

mod proxy;
pub use proxy::ProxySettings;

/// The provider's HTTP client: timeouts, user agent, no redirects, TLS certificates always
/// verified. Cheap to clone; clones share the same lazily built connection pools.
#[derive(Clone)]
pub struct HttpClient {
    shared: Arc<Shared>,
}

struct Shared {
    connect_timeout: Duration,
    read_timeout: Duration,
    user_agent: String,
    proxies: ProxySettings,
    /// For every URL not written `http://`: the system roots and the proxy. Built once, at the
    /// first such request; a build failure is kept and reported by every such request.
    tls: OnceLock<Result<reqwest::Client, String>>,
    /// For `http://` URLs: no root certificates, no proxy. Built once, at the first such request.
    plaintext: OnceLock<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.shared.connect_timeout)
            .field("read_timeout", &self.shared.read_timeout)
            .field("user_agent", &self.shared.user_agent)
            .field("proxies", &self.shared.proxies)
            .field("tls_built", &self.shared.tls.get().is_some())
            .field("plaintext_built", &self.shared.plaintext.get().is_some())
            .finish()
    }
}

impl HttpClient {
    /// A client with these timeouts (`client_connect_timeout`, `client_read_timeout`) that
    /// sends `user_agent` (the caller names itself, e.g. `terraform-provider-ehpc/0.1.0
    /// Terraform/1.11.4`).
    /// Builds nothing yet, and uses no proxy (see [`HttpClient::with_proxies`]).
    pub fn new(connect_timeout: Duration, read_timeout: Duration, user_agent: &str) -> Self {
        Self::with_proxies(
            connect_timeout,
            read_timeout,
            user_agent,
            ProxySettings::direct(),
        )
    }

    /// [`HttpClient::new`] whose https requests go through the proxy of `proxies` (typically
    /// [`ProxySettings::from_env`]); loopback, link-local and metadata targets never do.
    pub fn with_proxies(
        connect_timeout: Duration,
        read_timeout: Duration,
        user_agent: &str,
        proxies: ProxySettings,
    ) -> Self {
        let user_agent = user_agent.trim().to_string();
        let shared = Shared {
            connect_timeout,
            read_timeout,
            user_agent,
            proxies,
            tls: OnceLock::new(),
            plaintext: OnceLock::new(),
        };
        HttpClient {
            shared: Arc::new(shared),
        }
    }

    /// The User-Agent every request carries.
    pub fn user_agent(&self) -> &str {
        &self.shared.user_agent
    }

    /// `client_read_timeout`: how long one request may take, from sending it to having read
    /// its whole answer.
    pub(crate) fn read_timeout(&self) -> Duration {
        self.shared.read_timeout
    }

    /// The shared connection pool for `url`: the plaintext one for `http://` URLs, else the one
    /// that verifies certificates against the system roots. Each is built by its first caller
    /// (concurrent first callers wait for that one build). Failing to build is an
    /// `Error::Config`.
    pub(crate) fn pool_for(&self, url: &str) -> Result<&reqwest::Client, Error> {
        let s = &*self.shared;
        let plaintext = url
            .get(..PLAINTEXT_SCHEME.len())
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case(PLAINTEXT_SCHEME));
        let built = if plaintext {
            s.plaintext.get_or_init(|| {
                tracing::debug!("building the HTTP client for http:// (no root certificates)");
                // Empty and exclusive: the system roots are not loaded, and no certificate
                // could verify.
                s.builder()
                    .tls_certs_only([])
                    .build()
                    .map_err(|e| e.to_string())
            })
        } else {
            s.tls.get_or_init(|| {
                tracing::debug!("building the HTTP client (loads the system root certificates)");
                let builder = match s.proxies.proxy()? {
                    Some(proxy) => s.builder().proxy(proxy),
                    None => s.builder(),
                };
                builder.build().map_err(|e| e.to_string())
            })
        };
        built
            .as_ref()
            .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))
    }
}

/// The only URLs the plaintext pool serves.
const PLAINTEXT_SCHEME: &str = "http://";

impl Shared {
    /// What both pools share: timeouts, user agent, no redirects, no proxy from reqwest's own
    /// reading of the environment.
    fn builder(&self) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(self.connect_timeout)
            // No whole-request timeout here: `rpc::exchange`, which every request goes
            // through, bounds each one, body included, with its own limit; a second timer
            // per request would only cost its set-up.
            .user_agent(self.user_agent.clone())
            // RPC endpoints never redirect; following one would resend the signed query
            // elsewhere, and the metadata service's session token with it.
            .redirect(reqwest::redirect::Policy::none())
    }
}

#[cfg(test)]
mod tests;
