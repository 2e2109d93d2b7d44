// SPDX-License-Identifier: MPL-2.0
//! [`HttpClient`]: the one HTTP connection pool of a configured provider, shared by the API
//! client and the credential chain (STS, ECS metadata, credentials URI).
//!
//! The pool is built on the first request, not at configure time: building it loads the
//! system root certificates (~10-20 ms of CPU), and a `terraform plan` process configures
//! the provider without ever calling the cloud. Redirects are never followed, for any service:
//! a redirect would carry a signed query, a metadata token or a request to another host.
//! Proxies: only what [`ProxySettings`] says, never reqwest's own reading of the environment
//! (which would also send the metadata and loopback credential exchanges through a proxy).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::Error;

mod proxy;
pub use proxy::ProxySettings;

/// The provider's HTTP client: timeouts, user agent, no redirects, TLS certificates always
/// verified. Cheap to clone; clones share one lazily built connection pool.
#[derive(Clone)]
pub struct HttpClient {
    shared: Arc<Shared>,
}

struct Shared {
    connect_timeout: Duration,
    read_timeout: Duration,
    user_agent: String,
    proxies: ProxySettings,
    /// Built once, at the first request; a build failure is kept and reported by every request.
    pool: OnceLock<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.shared.connect_timeout)
            .field("read_timeout", &self.shared.read_timeout)
            .field("user_agent", &self.shared.user_agent)
            .field("proxies", &self.shared.proxies)
            .field("built", &self.shared.pool.get().is_some())
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
            pool: OnceLock::new(),
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

    /// The shared connection pool, built by the first caller (concurrent first callers wait
    /// for that one build). Failing to build it is an `Error::Config`.
    pub(crate) fn pool(&self) -> Result<&reqwest::Client, Error> {
        let s = &*self.shared;
        let built = s.pool.get_or_init(|| {
            tracing::debug!("building the HTTP client (loads the system root certificates)");
            let builder = reqwest::Client::builder().no_proxy();
            let builder = match s.proxies.proxy()? {
                Some(proxy) => builder.proxy(proxy),
                None => builder,
            };
            builder
                .connect_timeout(s.connect_timeout)
                // No whole-request timeout here: `rpc::exchange`, which every request goes
                // through, bounds each one, body included, with its own limit; a second timer
                // per request would only cost its set-up.
                .user_agent(s.user_agent.clone())
                // RPC endpoints never redirect; following one would resend the signed query
                // elsewhere, and the metadata service's session token with it.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| e.to_string())
        });
        built
            .as_ref()
            .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))
    }
}

#[cfg(test)]
mod tests;
