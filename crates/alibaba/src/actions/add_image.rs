// SPDX-License-Identifier: MPL-2.0
//! The `AddImage` action: registers a custom image (an ECS image or a container image) as an
//! E-HPC Instant application. Its two specs travel as JSON strings in the query, as the SDK's
//! `json` style sends object parameters; the registry password inside `ContainerImageSpec` is
//! hidden by the `Debug` of [`RegistryCredential`](super::RegistryCredential).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{get_json, get_opt, put_json, put_opt};
use super::{Action, ContainerImageSpec, ParamError, VmImageSpec};

/// Registers an image. The SDK marks only `Name` required.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddImage {
    /// The image (application) name.
    pub name: String,
    /// `VM` (the service's default) or `Container`.
    pub image_type: Option<String>,
    /// The version label shown beside the name.
    pub image_version: Option<String>,
    /// Free text shown with the image.
    pub description: Option<String>,
    /// For a VM image: the ECS image (`m-…`) to register.
    pub vm_image_spec: Option<VmImageSpec>,
    /// For a container image: where it lives and how to pull it.
    pub container_image_spec: Option<ContainerImageSpec>,
}

/// The answer of `AddImage` (SDK 4.1.0 model). `ImageId` is what GetImage and RemoveImage
/// take; whether it equals the registered ECS image's id is documented nowhere.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddImageResponse {
    /// The service's id of this call, for support requests.
    pub request_id: String,
    /// As the service reports it; absent in some answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Required: an answer without it is not a success.
    pub image_id: String,
}

impl Action for AddImage {
    const ACTION: &'static str = "AddImage";
    type Response = AddImageResponse;

    fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("Name".to_string(), self.name.clone())]);
        put_opt(&mut params, "ImageType", self.image_type.as_deref());
        put_opt(&mut params, "ImageVersion", self.image_version.as_deref());
        put_opt(&mut params, "Description", self.description.as_deref());
        put_json(&mut params, "VMImageSpec", self.vm_image_spec.as_ref());
        put_json(
            &mut params,
            "ContainerImageSpec",
            self.container_image_spec.as_ref(),
        );
        params
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        Ok(Self {
            name: get_opt(params, "Name").ok_or(ParamError::Missing("Name"))?,
            image_type: get_opt(params, "ImageType"),
            image_version: get_opt(params, "ImageVersion"),
            description: get_opt(params, "Description"),
            vm_image_spec: get_json(params, "VMImageSpec")?,
            container_image_spec: get_json(params, "ContainerImageSpec")?,
        })
    }

    fn describe(&self) -> String {
        format!("registering image {:?}", self.name)
    }
}

#[cfg(test)]
mod tests;
