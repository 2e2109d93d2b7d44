// SPDX-License-Identifier: MPL-2.0
//! Encoding and decoding of action parameters shared by every action: JSON-array lists, page
//! numbers, and the errors a gateway reports for a bad parameter.

use std::collections::BTreeMap;

/// Why a parameter set is not a valid request for an action.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The gateway's `MissingParameter`.
    #[error(
        "the input parameter \"{0}\" that is mandatory for processing this request is not supplied"
    )]
    Missing(&'static str),
    /// The service's `InvalidParams`.
    #[error("Invalid parameters: {name} {reason}")]
    Invalid {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
}

/// Puts `list` as one compact JSON array string (as the SDK's `json` array style does);
/// nothing when the list is empty.
pub(super) fn put_list(params: &mut BTreeMap<String, String>, name: &str, list: &[String]) {
    if !list.is_empty() {
        // Serializing a slice of strings to JSON cannot fail.
        let json = serde_json::to_string(list).unwrap_or_default();
        params.insert(name.to_string(), json);
    }
}

/// Puts `value` when set.
pub(super) fn put_opt(params: &mut BTreeMap<String, String>, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        params.insert(name.to_string(), v.to_string());
    }
}

/// A JSON array of strings (`what` says of which, for the error), in any valid JSON spacing
/// (the older core SDK sends `["a", "b"]`); empty when absent.
pub(super) fn get_list(
    params: &BTreeMap<String, String>,
    name: &'static str,
    what: &str,
) -> Result<Vec<String>, ParamError> {
    match params.get(name) {
        None => Ok(Vec::new()),
        Some(raw) => serde_json::from_str::<Vec<String>>(raw).map_err(|_| ParamError::Invalid {
            name,
            reason: format!("must be a JSON array of {what}"),
        }),
    }
}

/// An optional non-empty string parameter.
pub(super) fn get_opt(params: &BTreeMap<String, String>, name: &str) -> Option<String> {
    params.get(name).filter(|v| !v.is_empty()).cloned()
}

/// An optional positive integer parameter (page number or size).
pub(super) fn get_positive(
    params: &BTreeMap<String, String>,
    name: &'static str,
) -> Result<Option<u32>, ParamError> {
    match params.get(name) {
        None => Ok(None),
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(ParamError::Invalid {
                name,
                reason: "must be a positive integer".to_string(),
            }),
        },
    }
}

/// Puts `value` as one compact JSON object string (the SDK's `json` style for an object
/// parameter); nothing when it is `None`.
pub(super) fn put_json<T: serde::Serialize>(
    params: &mut BTreeMap<String, String>,
    name: &str,
    value: Option<&T>,
) {
    if let Some(json) = value.and_then(|v| serde_json::to_string(v).ok()) {
        params.insert(name.to_string(), json);
    }
}

/// An optional JSON object parameter; `None` when absent.
pub(super) fn get_json<T: serde::de::DeserializeOwned>(
    params: &BTreeMap<String, String>,
    name: &'static str,
) -> Result<Option<T>, ParamError> {
    match params.get(name) {
        None => Ok(None),
        Some(raw) => serde_json::from_str(raw)
            .map(Some)
            .map_err(|_| ParamError::Invalid {
                name,
                reason: "must be a JSON object of the documented fields".to_string(),
            }),
    }
}
