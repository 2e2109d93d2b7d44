// SPDX-License-Identifier: MPL-2.0
//! The read side of the API as the resource uses it, behind [`ReadApi`] so the wait and
//! refresh logic is tested against fakes: the application's image by AppId (one shared
//! ListImages pass, see `ehpc_alibaba::image_index`) and one image with its copies.

use ehpc_alibaba::actions::{GetImageResponse, ImageSummary};
use ehpc_alibaba::{CallOptions, Client, Error, GetImage};

use crate::protocol::Diagnostic;
use crate::value::AttributePath;

/// Reads EhpcInstant; implemented by [`Client`] and by test fakes.
#[async_trait::async_trait]
pub trait ReadApi: Send + Sync {
    /// The image of `app_id` in `region`, `None` when ListImages does not list it.
    async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error>;

    /// The image `image_id` with its copies in other regions.
    async fn get_image(
        &self,
        region: &str,
        image_id: &str,
        opts: &CallOptions,
    ) -> Result<GetImageResponse, Error>;
}

#[async_trait::async_trait]
impl ReadApi for Client {
    async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error> {
        Client::find_app(self, region, app_id, opts).await
    }

    async fn get_image(
        &self,
        region: &str,
        image_id: &str,
        opts: &CallOptions,
    ) -> Result<GetImageResponse, Error> {
        let action = GetImage {
            image_id: image_id.to_string(),
            ..GetImage::default()
        };
        self.call(region, &action, opts).await
    }
}

/// A read that failed, for `app_id` in `region`, as a diagnostic at `app_id` (see
/// [`crate::provider::api_error`]).
pub fn read_failed(err: &Error, action: &str, app_id: &str, region: &str) -> Diagnostic {
    let mut d = crate::provider::api_error(action, err);
    d.detail = format!("Reading application {app_id:?} in {region}: {}", d.detail);
    d.at(AttributePath::attribute("app_id"))
}
