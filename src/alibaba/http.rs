// SPDX-License-Identifier: MPL-2.0
//! [`HttpClient`]: the one HTTP connection pool of a configured provider, shared by the API
//! client and the credential chain (STS, ECS metadata, credentials URI).
//!
//! The pool is built on the first request, not at configure time: building it loads the
//! system root certificates (~10-20 ms of CPU), and a `terraform plan` process configures
//! the provider without ever calling the cloud. Redirects are never followed, for any service:
//! a redirect would carry a signed query, a metadata token or a request to another host.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::Error;

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
    /// Built once, at the first request; a build failure is kept and reported by every request.
    pool: OnceLock<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.shared.connect_timeout)
            .field("read_timeout", &self.shared.read_timeout)
            .field("user_agent", &self.shared.user_agent)
            .field("built", &self.shared.pool.get().is_some())
            .finish()
    }
}

impl HttpClient {
    /// A client with these timeouts (`client_connect_timeout`, `client_read_timeout`) whose
    /// User-Agent is `terraform-provider-ehpc/<version>`, followed by `user_agent_suffix`
    /// (e.g. `Terraform/1.11.4`) when not blank. Builds nothing yet.
    pub fn new(connect_timeout: Duration, read_timeout: Duration, user_agent_suffix: &str) -> Self {
        let user_agent = match user_agent_suffix.trim() {
            "" => format!("terraform-provider-ehpc/{}", crate::VERSION),
            suffix => format!("terraform-provider-ehpc/{} {suffix}", crate::VERSION),
        };
        let shared = Shared {
            connect_timeout,
            read_timeout,
            user_agent,
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

    /// The shared connection pool, built by the first caller (concurrent first callers wait
    /// for that one build). Failing to build it is an `Error::Config`.
    pub(crate) fn pool(&self) -> Result<&reqwest::Client, Error> {
        let s = &*self.shared;
        let built = s.pool.get_or_init(|| {
            tracing::debug!("building the HTTP client (loads the system root certificates)");
            reqwest::Client::builder()
                .connect_timeout(s.connect_timeout)
                .read_timeout(s.read_timeout)
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

    /// Whether the pool has been built (tests: configure must not build it).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.shared.pool.get().is_some()
    }

    /// Whether `self` and `other` share one pool.
    #[cfg(test)]
    pub(crate) fn shares_pool_with(&self, other: &HttpClient) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(suffix: &str) -> HttpClient {
        HttpClient::new(Duration::from_secs(1), Duration::from_secs(2), suffix)
    }

    #[test]
    fn user_agents() {
        let base = format!("terraform-provider-ehpc/{}", crate::VERSION);
        let cases = [
            ("no suffix", "", base.clone()),
            ("blank suffix", "  ", base.clone()),
            (
                "terraform version",
                "Terraform/1.11.4",
                format!("{base} Terraform/1.11.4"),
            ),
        ];
        for (name, suffix, want) in cases {
            assert_eq!(client(suffix).user_agent(), want, "{name}");
        }
    }

    #[test]
    fn nothing_is_built_before_the_first_request_and_clones_share_one_pool() {
        let first = client("");
        let clone = first.clone();
        assert!(!first.is_built() && !clone.is_built());
        assert!(format!("{first:?}").contains("built: false"));
        assert!(first.shares_pool_with(&clone));
        assert!(!first.shares_pool_with(&client("")));

        let from_clone = clone.pool().map(|p| p as *const reqwest::Client);
        assert!(first.is_built(), "building through a clone builds for all");
        let from_first = first.pool().map(|p| p as *const reqwest::Client);
        assert!(from_clone.is_ok());
        assert_eq!(from_clone.ok(), from_first.ok(), "one reqwest::Client");
    }
}
