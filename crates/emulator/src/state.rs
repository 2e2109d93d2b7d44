// SPDX-License-Identifier: MPL-2.0
//! [`AppState`]: what every handler shares (configuration, apps, STS credentials, nonces, the
//! call log, metadata tokens, the throttling bucket) and the injectable [`Clock`]. The types of
//! the shared parts live here or below (`store`, `nonce`, and this module's children), never in
//! the handler modules that use them.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rand::rngs::StdRng;
use rand::SeedableRng;
use time::{Duration, OffsetDateTime};

use crate::config::{ConfigError, EmulatorConfig};
use crate::{ids, nonce, store};

mod call_log;
mod metadata_tokens;
mod sts_store;
mod token_bucket;

pub use call_log::CallRecord;
pub(crate) use call_log::{CallLog, Received};
pub(crate) use metadata_tokens::MetadataTokens;
pub(crate) use sts_store::{StsStore, TempCredential};
pub(crate) use token_bucket::TokenBucket;

/// Nonces remembered at most (replay protection memory bound).
const MAX_NONCES: usize = 200_000;

/// The emulator's notion of "now"; injectable so tests can replay fixed-time vectors.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Shared state of every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
    clock: Clock,
}

pub(crate) struct Inner {
    pub(crate) config: EmulatorConfig,
    pub(crate) rng: Mutex<StdRng>,
    pub(crate) store: Mutex<store::AppStore>,
    pub(crate) sts: Mutex<StsStore>,
    pub(crate) nonces: Mutex<nonce::NonceStore>,
    pub(crate) calls: Mutex<CallLog>,
    pub(crate) metadata: Mutex<MetadataTokens>,
    pub(crate) bucket: Mutex<Option<TokenBucket>>,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Builds the state, loading `state_file` when it exists; the clock is the system's.
    ///
    /// # Errors
    /// Out-of-range fault knobs, no regions, a bad app entry, a failing copy region that is
    /// not a known region, an empty sign-in token, or an unreadable state file.
    pub fn new(config: EmulatorConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        if config
            .sso_tokens
            .iter()
            .chain(&config.oauth_tokens)
            .any(String::is_empty)
        {
            return Err(ConfigError::Invalid(
                "sso_tokens and oauth_tokens must not hold an empty token".into(),
            ));
        }
        // The system clock: `with_clock` comes later. It only dates apps new to the store.
        let store = store::AppStore::open(
            config.state_file.clone(),
            &config.apps,
            OffsetDateTime::now_utc(),
        )?;
        let rng = match config.faults.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        let bucket = config.faults.throttle_rps.map(TokenBucket::new);
        let inner = Inner {
            config,
            rng: Mutex::new(rng),
            store: Mutex::new(store),
            sts: Mutex::default(),
            nonces: Mutex::new(nonce::NonceStore::new(MAX_NONCES)),
            calls: Mutex::default(),
            metadata: Mutex::default(),
            bucket: Mutex::new(bucket),
        };
        Ok(Self {
            inner: Arc::new(inner),
            clock: Arc::new(OffsetDateTime::now_utc),
        })
    }

    /// Replaces the clock (timestamps, token and credential expiry, copy progress); the apps
    /// just created are dated by the new clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        lock(&self.inner.store).redate_fresh(clock());
        self.clock = clock;
        self
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }

    pub(crate) fn request_id(&self) -> String {
        ids::request_id(&mut *lock(&self.inner.rng))
    }

    pub(crate) fn issue_sts(&self, duration: Duration) -> TempCredential {
        let now = self.now();
        let mut rng = lock(&self.inner.rng);
        lock(&self.inner.sts).issue(&mut *rng, now, duration)
    }
}

/// Locks a mutex; a panic elsewhere must not take the emulator down with it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
