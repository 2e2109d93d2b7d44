// SPDX-License-Identifier: MPL-2.0
//! Holding credentials in memory: [`StaticProvider`] for long-lived keys, and [`Cached`],
//! which wraps a [`Fetch`] (STS, ECS metadata, credentials URI, an external command), fetches
//! on first use and refreshes when the credentials expire within [`REFRESH_WINDOW`]. An answer
//! without an expiration is kept for good when it is a plain AccessKey; one carrying a
//! SecurityToken (which always expires, at the earliest 15 minutes after STS issued it) is
//! reused for at most [`UNEXPIRING_TOKEN_REUSE`], then fetched again; and nothing is kept when
//! the fetcher asks to run at every use. Concurrent
//! callers wait on one `tokio::sync::Mutex`, so they share a single refresh. Also the parsing
//! shared by every temporary-credential answer (`Expiration` and the JSON fields).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{mask_access_key_id, CredentialProvider, Credentials};
use crate::error::{sanitize, ID_CHARS};
use crate::{timestamp, Error};

/// Refresh temporary credentials this long before they expire, so that a request signed just
/// before the refresh still reaches the gateway in time.
pub(crate) const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// How long temporary credentials whose answer named no `Expiration` are reused before being
/// fetched again. STS issues tokens for 15 minutes at least; 5 minutes keeps a token that
/// was already old when fetched from failing a long apply with `InvalidSecurityToken`.
pub(crate) const UNEXPIRING_TOKEN_REUSE: Duration = Duration::from_secs(5 * 60);

/// The wall clock, injectable for tests.
pub(crate) type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

pub(crate) fn system_clock() -> Clock {
    Arc::new(SystemTime::now)
}

/// Fetches fresh temporary credentials (over the network, or from an external command).
#[async_trait::async_trait]
pub(crate) trait Fetch: Send + Sync {
    async fn fetch(&self) -> Result<Credentials, Error>;
    fn source(&self) -> String;
    /// Whether an answer without an expiration is kept for good (the default) rather than
    /// fetched again at every use.
    fn keeps_unexpiring(&self) -> bool {
        true
    }
}

/// Long-lived credentials (attributes, environment, a profile's AK/StsToken).
pub(crate) struct StaticProvider {
    pub(crate) credentials: Credentials,
    pub(crate) source: String,
}

#[async_trait::async_trait]
impl CredentialProvider for StaticProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        Ok(self.credentials.clone())
    }
    fn source(&self) -> String {
        self.source.clone()
    }
}

/// A fetcher with its last answer, refreshed near expiry.
pub(crate) struct Cached<F> {
    fetcher: F,
    clock: Clock,
    /// The last answer and when it was fetched.
    current: tokio::sync::Mutex<Option<(Credentials, SystemTime)>>,
}

impl<F: Fetch> Cached<F> {
    pub(crate) fn new(fetcher: F, clock: Clock) -> Self {
        Self {
            fetcher,
            clock,
            current: tokio::sync::Mutex::new(None),
        }
    }
}

/// True when `expiration` is within [`REFRESH_WINDOW`] of `now` (or past). Credentials
/// without an expiration never need a refresh.
pub(crate) fn needs_refresh(now: SystemTime, expiration: Option<SystemTime>) -> bool {
    match expiration {
        None => false,
        Some(exp) => now + REFRESH_WINDOW >= exp,
    }
}

#[async_trait::async_trait]
impl<F: Fetch> CredentialProvider for Cached<F> {
    async fn credentials(&self) -> Result<Credentials, Error> {
        // Held across the fetch: concurrent callers wait here and then reuse its answer.
        let mut current = self.current.lock().await;
        let now = (self.clock)();
        if let Some((c, fetched)) = current.as_ref() {
            let keep = match (c.expiration, &c.security_token) {
                (Some(_), _) => !needs_refresh(now, c.expiration),
                (None, _) if !self.fetcher.keeps_unexpiring() => false,
                (None, None) => true,
                // A clock stepping back counts as "just fetched"; forward, as "too old".
                (None, Some(_)) => now
                    .duration_since(*fetched)
                    .map_or(true, |age| age < UNEXPIRING_TOKEN_REUSE),
            };
            if keep {
                return Ok(c.clone());
            }
        }
        match self.fetcher.fetch().await {
            Ok(fresh) => {
                tracing::debug!(
                    source = %self.fetcher.source(),
                    access_key_id = %mask_access_key_id(&fresh.access_key_id),
                    expiration = ?fresh.expiration,
                    "obtained temporary credentials"
                );
                *current = Some((fresh.clone(), now));
                Ok(fresh)
            }
            // A failed refresh is not fatal while the old credentials still work.
            Err(e) => match current.as_ref().map(|(old, _)| old) {
                Some(old) if old.expiration.is_some_and(|exp| now < exp) => {
                    tracing::warn!(
                        source = %self.fetcher.source(),
                        error = %e,
                        "refreshing credentials failed; using the current ones until they expire"
                    );
                    Ok(old.clone())
                }
                _ => Err(e),
            },
        }
    }
    fn source(&self) -> String {
        self.fetcher.source()
    }
}

/// Parses an `Expiration` such as `2024-05-01T08:00:00Z` (UTC).
pub(crate) fn parse_expiration(s: &str) -> Option<SystemTime> {
    timestamp::parse(s).map(SystemTime::from)
}

/// Reads `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` from a JSON object (the
/// ECS metadata and credentials URI body, or STS's `Credentials`). `what` names the answer in
/// errors, which never quote the body (it holds secrets).
pub(crate) fn temporary_from_json(v: &serde_json::Value, what: &str) -> Result<Credentials, Error> {
    let field = |name: &str| {
        v.get(name)
            .and_then(|x| x.as_str())
            .filter(|s| !s.is_empty())
    };
    let missing = |name: &str| Error::Credentials(format!("{what}: the answer has no {name}"));
    let access_key_id = field("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let access_key_secret = field("AccessKeySecret").ok_or_else(|| missing("AccessKeySecret"))?;
    let security_token = field("SecurityToken");
    let expiration = match field("Expiration") {
        None => None,
        Some(s) => Some(parse_expiration(s).ok_or_else(|| {
            // Server text: sanitised, without the credentials of this very answer.
            let mut secrets = vec![access_key_secret];
            secrets.extend(security_token);
            Error::Credentials(format!(
                "{what}: Expiration {:?} is not of the form 2024-05-01T08:00:00Z",
                sanitize(s, &secrets, ID_CHARS)
            ))
        })?),
    };
    Ok(Credentials {
        access_key_id: access_key_id.to_string(),
        access_key_secret: access_key_secret.to_string(),
        security_token: security_token.map(str::to_string),
        expiration,
    })
}

#[cfg(test)]
mod tests;
