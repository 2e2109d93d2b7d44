// SPDX-License-Identifier: MPL-2.0
//! The EhpcInstant client: one per configured provider.
//!
//! It uses the provider's one HTTP connection pool ([`HttpClient`], shared with the credential
//! chain) and owns one adaptive rate budget, shared by every resource of the provider. A call
//! fetches credentials afresh for each attempt (temporary ones may be refreshed in between),
//! waits for the rate budget, signs and sends, and retries within the caller's deadline and
//! cancellation token. Logs carry the masked access key id only.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::actions::{
    Action, ImageSummary, ListImages, SynchronizeApp, SynchronizeAppResponse, EHPC_INSTANT_VERSION,
    IMAGE_TYPES,
};
use super::credentials::{mask_access_key_id, CredentialProvider};
use super::image_index::{walk_pages, ImageIndex};
use super::rate_limit::RateLimiter;
use super::retry::{self, Backoff};
use super::rpc::{self, RpcCall};
use super::{key_id_hint, ApiError, CredentialUse, Endpoints, Error, HttpClient};

/// The User-Agent of a client whose caller does not name itself.
pub const DEFAULT_USER_AGENT: &str = concat!("ehpc-alibaba/", env!("CARGO_PKG_VERSION"));

/// Everything a client needs; built by the provider at configure time.
#[derive(Clone)]
pub struct ClientConfig {
    /// Where each call's signing key comes from.
    pub credentials: Arc<dyn CredentialProvider>,
    /// Where each service is reached.
    pub endpoints: Endpoints,
    /// The most retries after the first attempt; `None`: retry until the call's deadline
    /// (as terraform-provider-alicloud does), at most
    /// [`RETRIES_WITHOUT_DEADLINE`](crate::RETRIES_WITHOUT_DEADLINE) without one.
    pub max_retries: Option<u32>,
    /// Timeouts and User-Agent; the provider hands the same handle to the credential chain,
    /// so both share one connection pool.
    pub http: HttpClient,
    /// Delays between retries (tests use short ones).
    pub backoff: Backoff,
    /// Where the rate budget shared by the processes of one account lives
    /// ([`shared_budget_dir`](crate::shared_budget_dir)); `None`: each process keeps its own.
    pub shared_budget_dir: Option<std::path::PathBuf>,
}

impl ClientConfig {
    /// A configuration with the defaults of terraform-provider-alicloud where it has them:
    /// 60 s connect and read timeouts; retries until each call's deadline; default endpoints;
    /// the User-Agent
    /// `ehpc-alibaba/<version>`.
    pub fn new(credentials: Arc<dyn CredentialProvider>) -> Self {
        let timeout = Duration::from_secs(60);
        ClientConfig {
            credentials,
            endpoints: Endpoints::default(),
            max_retries: None,
            http: HttpClient::new(timeout, timeout, DEFAULT_USER_AGENT),
            backoff: Backoff::default(),
            shared_budget_dir: None,
        }
    }
}

/// Bounds for one logical call (all its retries).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Give up when this instant passes (the resource's timeout).
    pub deadline: Option<tokio::time::Instant>,
    /// Cancelled by StopProvider.
    pub cancel: CancellationToken,
}

/// Signs, sends and retries EhpcInstant calls; cheap to clone (shares connections and the
/// rate budget).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    budget: Arc<RateLimiter>,
    /// AppId -> image, one ListImages pass per region shared by every caller.
    images: ImageIndex,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.config.credentials.source())
            .field("endpoints", &self.inner.config.endpoints)
            .field("max_retries", &self.inner.config.max_retries)
            .field("http", &self.inner.config.http)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Creates the shared rate budget and warns about plain-http endpoint overrides. The HTTP
    /// connection pool is built at the first call, so configuring for a plan costs nothing;
    /// a failure to build it is an `Error::Config` of that call.
    pub fn new(config: ClientConfig) -> Client {
        let e = &config.endpoints;
        for (name, url) in [
            ("ehpcinstant", &e.ehpcinstant),
            ("sts", &e.sts),
            ("ecs_metadata", &e.ecs_metadata),
            ("oauth", &e.oauth),
        ] {
            if let Some(url) = url.as_ref().filter(|u| u.is_plaintext()) {
                tracing::warn!(
                    endpoint = name,
                    url = url.as_str(),
                    "endpoint override uses plain http: requests are not encrypted (acceptable \
                     only for a local emulator)"
                );
            }
        }
        let budget = Arc::new(RateLimiter::new(config.shared_budget_dir.clone()));
        let inner = Inner {
            config,
            budget,
            images: ImageIndex::default(),
        };
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Calls SynchronizeApp against the endpoint of `region`.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub async fn synchronize_app(
        &self,
        region: &str,
        action: &SynchronizeApp,
        opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error> {
        self.call(region, action, opts).await
    }

    /// Every image matching `filter` in `region`, walking ListImages page by page (the
    /// filter's own page number is ignored).
    ///
    /// # Errors
    /// As [`Client::call`], or a server whose pages do not end within
    /// [`image_index::MAX_PAGES`](crate::image_index::MAX_PAGES).
    pub async fn list_images(
        &self,
        region: &str,
        filter: &ListImages,
        opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error> {
        walk_pages(filter, |page| async move {
            self.call(region, &page, opts).await
        })
        .await
    }

    /// The image of the app `app_id` (`ci-vm-…`) in `region`, VM or container, `None` when
    /// there is none; its `image_type` says which (what GetImage must be sent). One pass
    /// serves every caller of this client (see [`crate::image_index`]).
    ///
    /// A pass walks ListImages once per [`IMAGE_TYPES`] value, each sent explicitly: the
    /// service defaults `ImageType` to `VM` (SDK 4.1.0), so a walk without it would never see
    /// a container application. The walks run at once (through the same rate budget) and
    /// their images are joined in [`IMAGE_TYPES`] order, VM then Container, as one walk after
    /// the other would give them.
    ///
    /// # Errors
    /// The error of the pass that was needed.
    pub async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error> {
        let walk_type = |image_type: &'static str| async move {
            let filter = ListImages {
                image_type: Some(image_type.to_string()),
                ..ListImages::default()
            };
            let mut images = self.list_images(region, &filter, opts).await?;
            for image in images.iter_mut().filter(|i| i.image_type.is_empty()) {
                image.image_type = image_type.to_string();
            }
            Ok::<_, Error>(images)
        };
        let walk = || async move {
            let by_type = futures_util::future::try_join_all(IMAGE_TYPES.map(walk_type)).await?;
            Ok(by_type.into_iter().flatten().collect())
        };
        self.inner.images.find(region, app_id, walk).await
    }

    /// Calls `action` against the EhpcInstant endpoint of `region`: signed, within the shared
    /// rate budget, retried within `opts`' deadline and cancellation.
    ///
    /// # Errors
    /// What the service answered ([`Error::Api`]), the transport, the credentials, or a 2xx
    /// answer that does not have the action's success shape (an [`ApiError`] of status 200).
    pub async fn call<A: Action>(
        &self,
        region: &str,
        action: &A,
        opts: &CallOptions,
    ) -> Result<A::Response, Error> {
        let during = format!("{} from region {region}", action.describe());
        let value = self
            .call_with_retries(
                A::ACTION,
                EHPC_INSTANT_VERSION,
                action.to_params(),
                region,
                opts,
                &during,
            )
            .await
            .map_err(|e| e.answering(A::ACTION))?;
        serde_json::from_value::<A::Response>(value).map_err(|e| {
            let mut api = ApiError::without_code(200, shape_problem(A::ACTION, &e));
            api.action = A::ACTION.to_string();
            Error::from(api)
        })
    }

    /// One logical signed POST call to the EhpcInstant endpoint of `region`: credentials, rate
    /// budget, send, retry.
    async fn call_with_retries(
        &self,
        action: &str,
        version: &str,
        params: std::collections::BTreeMap<String, String>,
        region: &str,
        opts: &CallOptions,
        during: &str,
    ) -> Result<serde_json::Value, Error> {
        let inner = &*self.inner;
        let base = &inner.config.endpoints.ehpcinstant_for(region)?;
        let params = &params;
        let (backoff, max_retries) = (&inner.config.backoff, inner.config.max_retries);
        retry::with_retries_using(backoff, max_retries, opts, during, |attempt| async move {
            // Per attempt: a refreshed temporary credential must be picked up by the retry.
            let creds = inner.config.credentials.credentials().await?;
            let ticket = inner
                .budget
                .acquire(&creds.access_key_id, base.as_str())
                .await;
            let call = RpcCall {
                method: "POST",
                action,
                version,
                params: params.clone(),
                credentials: Some(&creds),
            };
            let mut result = rpc::send_once(&inner.config.http, base, &call).await;
            if let Err(Error::Api(api)) = &mut result {
                if api.is_credential_error() {
                    api.credential = Some(CredentialUse {
                        source: inner.config.credentials.source(),
                        key_id: key_id_hint(&creds.access_key_id),
                    });
                }
            }
            if let Ok(_) | Err(Error::Api(_)) = &result {
                let throttled = result.as_ref().err().filter(|e| retry::is_throttling(e));
                let hint = throttled.and_then(|e| e.api()?.retry_after);
                inner.budget.record(&ticket, throttled.is_some(), hint);
            }
            // Field values are computed only when the level is on: nothing is formatted for
            // a log nobody reads.
            let key = || mask_access_key_id(&creds.access_key_id);
            match &result {
                Ok(v) => tracing::debug!(
                    action,
                    region,
                    attempt,
                    endpoint = base.as_str(),
                    access_key_id = %key(),
                    request_id = v.get("RequestId").and_then(|r| r.as_str()).unwrap_or_default(),
                    "call succeeded"
                ),
                Err(e) => tracing::debug!(
                    action,
                    region,
                    attempt,
                    endpoint = base.as_str(),
                    access_key_id = %key(),
                    status = e.api().map(|a| a.status),
                    code = e.code().unwrap_or_default(),
                    request_id = e.api().map(|a| a.request_id.as_str()).unwrap_or_default(),
                    allowed_rate = inner.budget.allowed_rate(),
                    error = %e,
                    "call failed"
                ),
            }
            result
        })
        .await
    }
}

/// Why a 2xx answer is not `action`'s success answer. serde's message may quote a value the
/// server sent, so only a missing field's name (ours) is kept.
fn shape_problem(action: &str, err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(field) => format!("the answer to {action} has no {field}"),
        None => format!("the answer to {action} does not have the shape of a success answer"),
    }
}
