// SPDX-License-Identifier: MPL-2.0
//! The one seam between the provider and Alibaba Cloud: the calls resources and data sources
//! make, as traits implemented by [`Client`] and by test fakes ([`ImagesApi`]: the reads;
//! [`SyncApi`]: SynchronizeApp; [`AppsApi`]: AddImage and RemoveImage), how long a read may
//! take, and how a failed call reads to a user ([`failed`], the one mapping of the client's
//! errors to diagnostics).

mod failure;

use std::time::Duration;

use ehpc_alibaba::actions::{ImageDetail, ImageSummary};
use ehpc_alibaba::{
    AddImage, AddImageResponse, CallOptions, Client, Error, GetImage, ListImages, RemoveImage,
    RemoveImageResponse, SynchronizeApp, SynchronizeAppResponse,
};
use tokio_util::sync::CancellationToken;

pub use failure::{api_error, error_text, failed, Call};

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

/// GetImage of one image, with every copy reported. `image_type` is the application's
/// `ImageType` as ListImages listed it (the service defaults to `VM`, so a container image
/// must say `Container`); `None` (not listed) leaves the service's default.
pub fn by_id(image_id: &str, image_type: Option<&str>) -> GetImage {
    GetImage {
        image_id: image_id.to_string(),
        image_type: image_type.filter(|t| !t.is_empty()).map(str::to_string),
        ..GetImage::default()
    }
}

/// The reads resources and data sources make.
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

/// The copies `ehpc_app_sync` asks for.
#[async_trait::async_trait]
pub trait SyncApi: Send + Sync {
    /// One SynchronizeApp call.
    async fn synchronize_app(
        &self,
        region: &str,
        action: &SynchronizeApp,
        opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error>;
}

/// The registrations `ehpc_app` makes and removes.
#[async_trait::async_trait]
pub trait AppsApi: Send + Sync {
    /// One AddImage call.
    async fn add_image(
        &self,
        region: &str,
        action: &AddImage,
        opts: &CallOptions,
    ) -> Result<AddImageResponse, Error>;

    /// One RemoveImage call.
    async fn remove_image(
        &self,
        region: &str,
        action: &RemoveImage,
        opts: &CallOptions,
    ) -> Result<RemoveImageResponse, Error>;
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

#[async_trait::async_trait]
impl SyncApi for Client {
    async fn synchronize_app(
        &self,
        region: &str,
        action: &SynchronizeApp,
        opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error> {
        Client::synchronize_app(self, region, action, opts).await
    }
}

#[async_trait::async_trait]
impl AppsApi for Client {
    async fn add_image(
        &self,
        region: &str,
        action: &AddImage,
        opts: &CallOptions,
    ) -> Result<AddImageResponse, Error> {
        self.call(region, action, opts).await
    }

    async fn remove_image(
        &self,
        region: &str,
        action: &RemoveImage,
        opts: &CallOptions,
    ) -> Result<RemoveImageResponse, Error> {
        self.call(region, action, opts).await
    }
}
