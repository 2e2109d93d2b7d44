// SPDX-License-Identifier: MPL-2.0
//! The `SynchronizeApp` action (EhpcInstant 2023-07-01): encoded by the client, parsed back by
//! the emulator, so both sides agree on one definition of its parameters.

use std::collections::BTreeMap;

use super::params::{get_list, put_list};
use super::{Action, ParamError};

/// The `TargetRegionIds` value meaning "every other region not yet synchronized" (the one
/// definition: the provider sends it, the emulator interprets it).
pub const ALL_REGIONS: &str = "all";

/// Copies an application (AppId such as `ci-vm-rYfypJKwlN9Y`) to other regions.
/// `TargetRegionIds` may contain [`ALL_REGIONS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynchronizeApp {
    /// The AppId (`ci-vm-…`) to copy.
    pub app_id: String,
    /// Sent as one compact JSON array; omitted when empty.
    pub target_region_ids: Vec<String>,
}

/// The success answer: a RequestId and nothing else (the API has no job handle).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct SynchronizeAppResponse {
    /// The service's id of this call: the only trace a synchronization leaves.
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

impl Action for SynchronizeApp {
    const ACTION: &'static str = "SynchronizeApp";
    type Response = SynchronizeAppResponse;

    /// `AppId`, and `TargetRegionIds` as one compact JSON array (omitted when empty).
    fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("AppId".to_string(), self.app_id.clone())]);
        put_list(&mut params, "TargetRegionIds", &self.target_region_ids);
        params
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        let app_id = params
            .get("AppId")
            .filter(|v| !v.is_empty())
            .ok_or(ParamError::Missing("AppId"))?
            .clone();
        let target_region_ids = get_list(params, "TargetRegionIds", "region id strings")?;
        Ok(Self {
            app_id,
            target_region_ids,
        })
    }

    fn describe(&self) -> String {
        format!("synchronizing app {}", self.app_id)
    }
}

#[cfg(test)]
mod tests;
