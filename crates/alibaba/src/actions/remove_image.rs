// SPDX-License-Identifier: MPL-2.0
//! The `RemoveImage` action: removes a custom image's registration by its ImageId. The
//! reference says nothing of the ECS image behind it or of copies in other regions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{get_opt, put_opt};
use super::{Action, ParamError};

/// Removes one image (application) by its ImageId (`m-…`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoveImage {
    /// The ImageId (`m-…`) to remove.
    pub image_id: String,
    /// `VM` (the service's default) or `Container`.
    pub image_type: Option<String>,
}

/// The answer of `RemoveImage`: `{"RequestId", "Success"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveImageResponse {
    /// The service's id of this call, for support requests.
    pub request_id: String,
    /// As the service reports it; absent in some answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
}

impl Action for RemoveImage {
    const ACTION: &'static str = "RemoveImage";
    type Response = RemoveImageResponse;

    fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("ImageId".to_string(), self.image_id.clone())]);
        put_opt(&mut params, "ImageType", self.image_type.as_deref());
        params
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        Ok(Self {
            image_id: get_opt(params, "ImageId").ok_or(ParamError::Missing("ImageId"))?,
            image_type: get_opt(params, "ImageType"),
        })
    }

    fn describe(&self) -> String {
        format!("removing image {}", self.image_id)
    }
}

#[cfg(test)]
mod tests;
