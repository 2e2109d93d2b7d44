// SPDX-License-Identifier: MPL-2.0
//! What every resource and data source shares about calls: the reads they make ([`ImagesApi`],
//! a trait so their logic is tested against fakes), how long a read may take, and how
//! an error of the Alibaba client reads to a user (the summary names the action and the code;
//! the detail is the client's description: code, message, HTTP status, RequestId, what to do,
//! and the RAM action a denial refused).

use std::time::Duration;

use ehpc_alibaba::actions::{ImageDetail, ImageSummary};
use ehpc_alibaba::{CallOptions, Client, Error, GetImage, ListImages};
use tokio_util::sync::CancellationToken;

use crate::protocol::Diagnostic;

/// How long one read may take, retries and every ListImages page included: the default read
/// timeout of a resource, so a throttled or unreachable endpoint fails the plan instead of
/// hanging it.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// The bounds of one read: [`READ_TIMEOUT`] from now, cancelled by StopProvider.
pub fn read_options(cancel: CancellationToken) -> CallOptions {
    CallOptions {
        deadline: Some(tokio::time::Instant::now() + READ_TIMEOUT),
        cancel,
    }
}

/// `err` of `action` (e.g. `ListImages`) as an error diagnostic: "<Action> failed: <Code>",
/// "<Action> cancelled" or "<Action> timed out".
pub fn api_error(action: &str, err: &Error) -> Diagnostic {
    match err {
        Error::Api(api) => {
            let code = if api.code.is_empty() {
                format!("HTTP {}", api.status)
            } else {
                api.code.clone()
            };
            Diagnostic::error(format!("{action} failed: {code}"), api.describe())
        }
        Error::Cancelled { .. } => {
            Diagnostic::error(format!("{action} cancelled"), format!("{err}."))
        }
        Error::DeadlineExceeded { .. } => Diagnostic::error(
            format!("{action} timed out"),
            format!(
                "{err}. A read may take {} minutes, retries included; check the endpoint and \
                 retry later.",
                READ_TIMEOUT.as_secs() / 60
            ),
        ),
        Error::Unreachable { .. } => Diagnostic::error(
            format!("{action} failed: endpoint unreachable"),
            error_text(err),
        ),
        other => Diagnostic::error(format!("{action} failed"), other.to_string()),
    }
}

/// An error's text for a diagnostic; a refused connection also says what to check.
pub fn error_text(err: &Error) -> String {
    match err {
        Error::Unreachable { endpoint, .. } => format!(
            "{err}. Check the E-HPC Instant endpoint {endpoint}: an `endpoints {{ ehpcinstant = \
             ... }}` override (or ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT) must name a reachable \
             server, and without one the provider's or resource's `region` must be a region \
             where E-HPC Instant is available."
        ),
        other => other.to_string(),
    }
}

/// The reads resources and data sources make; implemented by [`Client`] and by test fakes.
#[async_trait::async_trait]
pub trait ImagesApi: Send + Sync {
    /// The image of app `app_id` in `region`, `None` when there is none.
    async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error>;

    /// Every image matching `filter` in `region`, all pages walked.
    async fn list_images(
        &self,
        region: &str,
        filter: &ListImages,
        opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error>;

    /// One image with its copies.
    async fn get_image(
        &self,
        region: &str,
        action: &GetImage,
        opts: &CallOptions,
    ) -> Result<ImageDetail, Error>;
}

#[async_trait::async_trait]
impl ImagesApi for Client {
    async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error> {
        Client::find_app(self, region, app_id, opts).await
    }

    async fn list_images(
        &self,
        region: &str,
        filter: &ListImages,
        opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error> {
        Client::list_images(self, region, filter, opts).await
    }

    async fn get_image(
        &self,
        region: &str,
        action: &GetImage,
        opts: &CallOptions,
    ) -> Result<ImageDetail, Error> {
        Ok(self.call(region, action, opts).await?.image)
    }
}
