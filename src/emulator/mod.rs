// SPDX-License-Identifier: MPL-2.0
//! Local EhpcInstant + STS + ECS-metadata + sign-in (CloudSSO, OAuth) emulator: a strict
//! stand-in for Alibaba's gateway used by the end-to-end tests and the demo. [`app`] builds the
//! axum router (drive it with tower's `oneshot`), [`serve`] runs it on a socket. RPC calls at
//! `/` pass, outermost first, through `params::envelope` (parameters, RequestId, error bodies),
//! `inspect::record` (call log), `faults::inject`, and `verify::authenticate` (signatures)
//! before [`rpc_dispatch`]. The sign-in token exchanges (`sign_in`) answer outside that stack
//! and record their calls themselves. An app named in the configuration exists from the start
//! and holds no target region until SynchronizeApp adds some.

mod conn;
mod error;
mod faults;
mod ids;
mod inspect;
mod metadata;
mod nonce;
mod params;
mod sign_in;
mod store;
mod sts;
mod synchronize;
mod verify;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Json, Router};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Deserialize;
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use tokio::net::TcpListener;

pub use error::{ApiError, ErrorBody};
pub use faults::FaultConfig;
pub use inspect::CallRecord;
pub use store::StoreError;
pub use verify::Api;

use conn::{ConnHandle, KillableListener};
use params::RpcRequest;
use verify::Authenticated;

use crate::alibaba::credentials::mask_access_key_id;

/// The EhpcInstant regions known by default (the endpoint page's list).
pub const DEFAULT_REGIONS: &[&str] = &[
    "cn-beijing",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-northeast-1",
    "ap-southeast-5",
    "ap-northeast-2",
    "ap-southeast-3",
];

/// The ECS role name the metadata endpoint reports when none is configured.
pub const DEFAULT_ECS_ROLE: &str = "ehpc-emulator-role";

/// Nonces remembered at most (replay protection memory bound).
const MAX_NONCES: usize = 200_000;

/// What the emulator knows: credentials, apps, regions, persistence and fault knobs. Also the
/// shape of the `--config` JSON file (`faults` is a nested object of [`FaultConfig`] fields).
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmulatorConfig {
    /// Permanent AccessKeyId -> AccessKeySecret.
    pub credentials: BTreeMap<String, String>,
    /// AppIds that exist (as if created in the console).
    pub apps: Vec<String>,
    /// Regions accepted in `TargetRegionIds` and expanded from `all`.
    pub regions: Vec<String>,
    /// JSON file that keeps apps and their regions across restarts.
    pub state_file: Option<PathBuf>,
    pub faults: FaultConfig,
    /// Role name served by the ECS metadata endpoint.
    pub ecs_role: String,
    /// CloudSSO access tokens that `POST /cloud-credentials` accepts (secrets).
    pub sso_tokens: Vec<String>,
    /// OAuth access tokens that `POST /v1/exchange` accepts (secrets).
    pub oauth_tokens: Vec<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            credentials: BTreeMap::new(),
            apps: Vec::new(),
            regions: DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect(),
            state_file: None,
            faults: FaultConfig::default(),
            ecs_role: DEFAULT_ECS_ROLE.to_string(),
            sso_tokens: Vec::new(),
            oauth_tokens: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// Adds a permanent credential.
    pub fn with_credential(mut self, id: &str, secret: &str) -> Self {
        self.credentials.insert(id.to_string(), secret.to_string());
        self
    }

    /// Adds an app that exists from the start.
    pub fn with_app(mut self, app_id: &str) -> Self {
        self.apps.push(app_id.to_string());
        self
    }
}

// Secrets stay out of Debug output.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field(
                "access_key_ids",
                &self.credentials.keys().collect::<Vec<_>>(),
            )
            .field("apps", &self.apps)
            .field("regions", &self.regions)
            .field("state_file", &self.state_file)
            .field("faults", &self.faults)
            .field("ecs_role", &self.ecs_role)
            .field("sso_token_count", &self.sso_tokens.len())
            .field("oauth_token_count", &self.oauth_tokens.len())
            .finish()
    }
}

/// Why an emulator cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid emulator configuration: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The emulator's notion of "now"; injectable so tests can replay fixed-time vectors.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Shared state of every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    clock: Clock,
}

struct Inner {
    config: EmulatorConfig,
    rng: Mutex<StdRng>,
    store: Mutex<store::AppStore>,
    sts: Mutex<sts::StsStore>,
    nonces: Mutex<nonce::NonceStore>,
    calls: Mutex<inspect::CallLog>,
    metadata: Mutex<metadata::MetadataTokens>,
    bucket: Mutex<Option<faults::TokenBucket>>,
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
    /// Out-of-range fault knobs, no regions, an empty sign-in token, or an unreadable state
    /// file.
    pub fn new(config: EmulatorConfig) -> Result<Self, ConfigError> {
        config.faults.validate().map_err(ConfigError::Invalid)?;
        if config.regions.is_empty() {
            return Err(ConfigError::Invalid("at least one region is needed".into()));
        }
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
        let store = store::AppStore::open(config.state_file.clone(), &config.apps)?;
        let rng = match config.faults.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        let bucket = config.faults.throttle_rps.map(faults::TokenBucket::new);
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

    /// Replaces the clock (timestamps, token and credential expiry).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }

    fn request_id(&self) -> String {
        ids::request_id(&mut *lock(&self.inner.rng))
    }

    fn issue_sts(&self, duration: Duration) -> sts::TempCredential {
        let now = self.now();
        let mut rng = lock(&self.inner.rng);
        lock(&self.inner.sts).issue(&mut *rng, now, duration)
    }
}

/// Locks a mutex; a panic elsewhere must not take the emulator down with it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The router: RPC at `/` (GET or POST), ECS metadata under `/latest/`, the sign-in exchanges
/// at `/cloud-credentials` and `/v1/exchange` (POST), inspection under `/_emulator/`. Anything
/// else answers `404 InvalidApi.NotFound`.
pub fn app(state: AppState) -> Router {
    let rpc = Router::new()
        .route("/", get(rpc_dispatch).post(rpc_dispatch))
        .route_layer(from_fn_with_state(state.clone(), verify::authenticate))
        .route_layer(from_fn_with_state(state.clone(), faults::inject))
        .route_layer(from_fn_with_state(state.clone(), inspect::record))
        .route_layer(from_fn_with_state(state.clone(), params::envelope));
    rpc.merge(metadata::routes())
        .merge(sign_in::routes())
        .merge(inspect::routes())
        .fallback(|| async { ApiError::ApiNotFound.into_response() })
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then drains open requests.
/// Connections are wrapped so that `drop_rate` can close them without a response.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<ConnHandle>();
    axum::serve(KillableListener(listener), service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Runs the API that `verify::authenticate` resolved.
async fn rpc_dispatch(
    State(state): State<AppState>,
    Extension(rpc): Extension<Arc<RpcRequest>>,
    Extension(auth): Extension<Authenticated>,
) -> Result<Json<Value>, ApiError> {
    let key = auth.access_key_id.as_deref().map(mask_access_key_id);
    tracing::debug!(api = ?auth.api, access_key_id = ?key, "authenticated");
    match auth.api {
        // With `--state`, every change is written and fsync'd under the store lock: that waits
        // on the disk, so it runs on a blocking thread rather than an async worker, and other
        // requests (STS, metadata, inspection) keep being served meanwhile.
        Api::SynchronizeApp if state.inner.config.state_file.is_some() => {
            tokio::task::spawn_blocking(move || synchronize::app_synchronize(&state, &rpc))
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "SynchronizeApp handler failed");
                    Err(ApiError::Internal)
                })
        }
        Api::SynchronizeApp => synchronize::app_synchronize(&state, &rpc),
        Api::AssumeRole => sts::role_assume(&state, &rpc),
        Api::AssumeRoleWithOidc => sts::role_assume_with_oidc(&state, &rpc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_shape() {
        let config: EmulatorConfig = serde_json::from_str(
            r#"{"credentials": {"id": "secret"}, "apps": ["a"],
                "faults": {"fail_rate": 0.5, "drop_after_apply_rate": 0.25}}"#,
        )
        .expect("valid config");
        assert_eq!(
            config.regions.len(),
            DEFAULT_REGIONS.len(),
            "default regions kept"
        );
        assert_eq!(config.faults.fail_rate, 0.5);
        assert_eq!(config.faults.drop_after_apply_rate, 0.25);
        assert_eq!(config.ecs_role, DEFAULT_ECS_ROLE);
        assert!(
            !format!("{config:?}").contains("secret\""),
            "secret not in Debug"
        );
        assert!(serde_json::from_str::<EmulatorConfig>(r#"{"fail_rate": 1}"#).is_err());
        let bad = EmulatorConfig {
            faults: FaultConfig {
                drop_rate: 2.0,
                ..FaultConfig::default()
            },
            ..EmulatorConfig::default()
        };
        assert!(matches!(AppState::new(bad), Err(ConfigError::Invalid(_))));
    }

    #[test]
    fn sign_in_tokens_are_configured_but_never_shown() {
        let config: EmulatorConfig = serde_json::from_str(
            r#"{"sso_tokens": ["sso-secret-1", "sso-secret-2"], "oauth_tokens": ["oauth-secret"]}"#,
        )
        .expect("valid config");
        assert_eq!(config.sso_tokens, ["sso-secret-1", "sso-secret-2"]);
        assert_eq!(config.oauth_tokens, ["oauth-secret"]);
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains("sso_token_count: 2") && shown.contains("oauth_token_count: 1"),
            "{shown}"
        );
        let state = AppState::new(config).expect("state");
        assert!(!format!("{state:?}").contains("secret"));
        assert!(EmulatorConfig::default().sso_tokens.is_empty());
        let empty = EmulatorConfig {
            oauth_tokens: vec![String::new()],
            ..EmulatorConfig::default()
        };
        assert!(matches!(AppState::new(empty), Err(ConfigError::Invalid(_))));
    }
}
