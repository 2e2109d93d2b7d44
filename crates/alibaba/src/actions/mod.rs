// SPDX-License-Identifier: MPL-2.0
//! The EhpcInstant API actions, one struct each, as mini-redis keeps one type per command:
//! the client encodes an action into its query parameters ([`Action::to_params`]), the
//! emulator parses them back ([`Action::from_params`]), and both agree on the answer's shape
//! ([`Action::Response`], named field by field as Alibaba's SDK 4.1.0 models name them).

mod add_image;
mod get_image;
mod list_images;
mod params;
mod remove_image;
mod synchronize_app;

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

pub use add_image::{AddImage, AddImageResponse};
pub use get_image::{
    ContainerImageSpec, DocumentInfo, GetImage, GetImageResponse, ImageDetail, RegionCopy,
    RegistryCredential, VmImageSpec,
};
pub use list_images::{ImageSummary, ListImages, ListImagesResponse};
pub use params::ParamError;
pub use remove_image::{RemoveImage, RemoveImageResponse};
pub use synchronize_app::{SynchronizeApp, SynchronizeAppResponse, ALL_REGIONS};

/// The API version of every EhpcInstant action.
pub const EHPC_INSTANT_VERSION: &str = "2023-07-01";

/// The values of `ImageType` (SDK 4.1.0). Both `ListImages` and `GetImage` default to `VM`
/// when it is not sent, so a container application is only seen by asking for `Container`.
pub const IMAGE_TYPES: [&str; 2] = ["VM", "Container"];

/// The `ImageType` the service assumes when a request sends none (SDK 4.1.0: "default VM").
pub const DEFAULT_IMAGE_TYPE: &str = IMAGE_TYPES[0];

/// One EhpcInstant API action: its name, its parameters both ways, and its success answer.
pub trait Action: Sized {
    /// The `Action` parameter, e.g. `SynchronizeApp`.
    const ACTION: &'static str;
    /// The success answer; a 2xx body that does not decode into it is an error.
    type Response: DeserializeOwned;

    /// The business parameters, exactly as the current SDK sends them.
    fn to_params(&self) -> BTreeMap<String, String>;

    /// Parses the business parameters of a received request (the emulator's side).
    ///
    /// # Errors
    /// A missing required parameter or one that does not parse, as the gateway reports it.
    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError>;

    /// What the call does, for error messages and logs ("synchronizing app X").
    fn describe(&self) -> String;
}

#[cfg(test)]
mod tests;
