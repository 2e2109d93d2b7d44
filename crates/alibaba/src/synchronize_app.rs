// SPDX-License-Identifier: MPL-2.0
//! The `SynchronizeApp` action (EhpcInstant 2023-07-01): encoded by the client, parsed back by
//! the emulator, so both sides agree on one definition of its parameters.

use std::collections::BTreeMap;

/// Copies an application (AppId such as `ci-vm-rYfypJKwlN9Y`) to other regions.
/// `TargetRegionIds` may contain `"all"`: every other region not yet synchronized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynchronizeApp {
    pub app_id: String,
    /// Sent as one compact JSON array; omitted when empty.
    pub target_region_ids: Vec<String>,
}

/// The success answer: a RequestId and nothing else (the API has no job handle).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct SynchronizeAppResponse {
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// Why a parameter set is not a valid `SynchronizeApp` request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The gateway's `MissingParameter`.
    #[error(
        "the input parameter \"{0}\" that is mandatory for processing this request is not supplied"
    )]
    Missing(&'static str),
    /// The service's `InvalidParams`.
    #[error("Invalid parameters: {name} {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl SynchronizeApp {
    pub const ACTION: &'static str = "SynchronizeApp";
    pub const VERSION: &'static str = "2023-07-01";

    /// The business parameters, exactly as the current SDK sends them (compact JSON array).
    pub fn to_params(&self) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("AppId".to_string(), self.app_id.clone())]);
        if !self.target_region_ids.is_empty() {
            // Serializing a Vec<String> to JSON cannot fail.
            let regions = serde_json::to_string(&self.target_region_ids).unwrap_or_default();
            params.insert("TargetRegionIds".to_string(), regions);
        }
        params
    }

    /// Parses the parameters of a received request. Accepts any valid JSON spacing, as the
    /// older core SDK sends `["a", "b"]`.
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ParamError> {
        let app_id = params
            .get("AppId")
            .filter(|v| !v.is_empty())
            .ok_or(ParamError::Missing("AppId"))?
            .clone();
        let target_region_ids = match params.get("TargetRegionIds") {
            None => Vec::new(),
            Some(raw) => {
                serde_json::from_str::<Vec<String>>(raw).map_err(|_| ParamError::Invalid {
                    name: "TargetRegionIds",
                    reason: "must be a JSON array of region id strings".to_string(),
                })?
            }
        };
        Ok(Self {
            app_id,
            target_region_ids,
        })
    }
}

#[cfg(test)]
mod tests;
