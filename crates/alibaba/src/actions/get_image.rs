// SPDX-License-Identifier: MPL-2.0
//! The `GetImage` action: one image (application) by its ImageId (`m-…`, not the AppId), with
//! its copies in other regions (`AdditionalRegionsInfo`). Copy status words are documented
//! nowhere; they are kept verbatim here and classified by `copy_status`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{get_list, get_opt, put_list, put_opt};
use super::{Action, ParamError};

/// Reads one image. The SDK makes every parameter optional; the service needs `ImageId`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetImage {
    /// The ImageId (`m-…`) to read.
    pub image_id: String,
    /// `VM` (the service's default) or `Container`.
    pub image_type: Option<String>,
    /// `Public` or `Custom`.
    pub image_category: Option<String>,
    /// Which regions' copies to report (undocumented; presumably all when empty).
    pub additional_region_ids: Vec<String>,
}

/// The answer of `GetImage`; names and JSON types of the SDK 4.1.0 model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetImageResponse {
    /// The service's id of this call, for support requests.
    pub request_id: String,
    /// As the service reports it; absent in some answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// How many images matched (1 for a found image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Required: an answer without it is not a success.
    pub image: ImageDetail,
}

/// The image itself. It has no top-level ImageId: the source image id is
/// `VMImageSpec.ImageId`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageDetail {
    /// `ci-vm-…`: what SynchronizeApp takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// `VM` or `Container`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// The image (application) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The version label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Free text shown with the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// e.g. "40 GiB".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// When the image was registered, as the service words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// The image's own status word, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// For a VM image: its source ECS image.
    #[serde(
        rename = "VMImageSpec",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vm_image_spec: Option<VmImageSpec>,
    /// For a container image: where it lives and how to pull it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_image_spec: Option<ContainerImageSpec>,
    /// The image's attached document, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_info: Option<DocumentInfo>,
    /// The copies in other regions; absent when there are none.
    #[serde(default)]
    pub additional_regions_info: Vec<RegionCopy>,
}

/// `VMImageSpec`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VmImageSpec {
    /// CPU architecture, e.g. `x86_64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// The source ECS image (`m-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// Operating system tag, e.g. `CentOS 7.6 64 bit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_tag: Option<String>,
    /// Operating system platform, e.g. `CentOS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

/// `ContainerImageSpec`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerImageSpec {
    /// CPU architecture, e.g. `x86_64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// Whether the registry is an ACR Enterprise Edition instance.
    #[serde(
        rename = "IsACREnterprise",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_acr_enterprise: Option<bool>,
    /// Whether the image lives in Alibaba Cloud Container Registry.
    #[serde(
        rename = "IsACRRegistry",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_acr_registry: Option<bool>,
    /// Operating system tag of the container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_tag: Option<String>,
    /// Operating system platform of the container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// How to sign in to a private registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_credential: Option<RegistryCredential>,
    /// The ACR Enterprise Edition instance id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_cri_id: Option<String>,
    /// The image's address in its registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_url: Option<String>,
}

/// `ContainerImageSpec.RegistryCredential`. Its password is never logged: the `Debug` of
/// this struct hides it.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegistryCredential {
    /// The registry password (hidden by `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The registry host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The registry user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
}

impl std::fmt::Debug for RegistryCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryCredential")
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("server", &self.server)
            .field("user_name", &self.user_name)
            .finish()
    }
}

/// `DocumentInfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DocumentInfo {
    /// The document text, encoded as `encoding_mode` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The document's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// How `document` is encoded (e.g. `Base64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_mode: Option<String>,
}

/// One entry of `AdditionalRegionsInfo`: the copy in `region_id`, with its own image id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegionCopy {
    /// The copy's own image id in `region_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The region that holds the copy.
    #[serde(default)]
    pub region_id: String,
    /// Verbatim, as the service reports it (see `copy_status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl Action for GetImage {
    const ACTION: &'static str = "GetImage";
    type Response = GetImageResponse;

    fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("ImageId".to_string(), self.image_id.clone())]);
        put_opt(&mut params, "ImageType", self.image_type.as_deref());
        put_opt(&mut params, "ImageCategory", self.image_category.as_deref());
        put_list(
            &mut params,
            "AdditionalRegionIds",
            &self.additional_region_ids,
        );
        params
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        Ok(Self {
            image_id: get_opt(params, "ImageId").ok_or(ParamError::Missing("ImageId"))?,
            image_type: get_opt(params, "ImageType"),
            image_category: get_opt(params, "ImageCategory"),
            additional_region_ids: get_list(params, "AdditionalRegionIds", "region id strings")?,
        })
    }

    fn describe(&self) -> String {
        format!("reading image {}", self.image_id)
    }
}

#[cfg(test)]
mod tests;
