// SPDX-License-Identifier: MPL-2.0
//! The `ListImages` action: one page of the images (applications) an account holds. It has no
//! filter by AppId, so finding an app's ImageId means walking the pages (see `image_index`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{get_list, get_opt, get_positive, put_list, put_opt};
use super::{Action, ParamError};

/// Lists images, one page at a time. Every filter is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListImages {
    /// `Public` or `Custom`.
    pub image_category: Option<String>,
    /// `VM` or `Container`.
    pub image_type: Option<String>,
    /// Only these ImageIds (`m-…`); all when empty.
    pub image_ids: Vec<String>,
    /// Only these image names; all when empty.
    pub image_names: Vec<String>,
    /// `List` (every version) or `Merge` (the latest version only).
    pub mode: Option<String>,
    /// 1-based; the service's default is 1.
    pub page_number: Option<u32>,
    /// The service's default is 20.
    pub page_size: Option<u32>,
}

/// One page of `ListImages`. Field names and JSON types are those of the SDK 4.1.0 model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListImagesResponse {
    /// The service's id of this call, for support requests.
    pub request_id: String,
    /// As the service reports it; absent in some answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// How many images match, over all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// This page's number, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u64>,
    /// The most images a page holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u64>,
    /// Absent on an empty page.
    #[serde(default)]
    pub images: Vec<ImageSummary>,
}

/// An image as `ListImages` reports it. `AppId`, `ImageId` and `ImageType` are always there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageSummary {
    /// `ci-vm-…`: what SynchronizeApp takes.
    pub app_id: String,
    /// `m-…`: what GetImage takes.
    pub image_id: String,
    /// `VM` or `Container`.
    pub image_type: String,
    /// The image (application) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The version label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Operating system tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_tag: Option<String>,
    /// When the image was registered, as the service words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When the image last changed, as the service words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Free text shown with the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The id of the image's attached document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<i64>,
    /// The service's ordering weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

impl Action for ListImages {
    const ACTION: &'static str = "ListImages";
    type Response = ListImagesResponse;

    fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::new();
        put_opt(&mut params, "ImageCategory", self.image_category.as_deref());
        put_opt(&mut params, "ImageType", self.image_type.as_deref());
        put_list(&mut params, "ImageIds", &self.image_ids);
        put_list(&mut params, "ImageNames", &self.image_names);
        put_opt(&mut params, "Mode", self.mode.as_deref());
        let number = self.page_number.map(|n| n.to_string());
        put_opt(&mut params, "PageNumber", number.as_deref());
        let size = self.page_size.map(|n| n.to_string());
        put_opt(&mut params, "PageSize", size.as_deref());
        params
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        Ok(Self {
            image_category: get_opt(params, "ImageCategory"),
            image_type: get_opt(params, "ImageType"),
            image_ids: get_list(params, "ImageIds", "image id strings")?,
            image_names: get_list(params, "ImageNames", "image name strings")?,
            mode: get_opt(params, "Mode"),
            page_number: get_positive(params, "PageNumber")?,
            page_size: get_positive(params, "PageSize")?,
        })
    }

    fn describe(&self) -> String {
        format!("listing images (page {})", self.page_number.unwrap_or(1))
    }
}

#[cfg(test)]
mod tests;
