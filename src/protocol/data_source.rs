// SPDX-License-Identifier: MPL-2.0
//! Data-source RPC messages. A `None` DynamicValue means the field was absent on the wire.

use super::{Diagnostics, DynamicValue};

/// Called in validate walks and before every read; values may be unknown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateDataResourceConfigRequest {
    pub type_name: String,
    pub config: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateDataResourceConfigResponse {
    pub diagnostics: Diagnostics,
}

/// Called during plan when the configuration is wholly known, otherwise during apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadDataSourceRequest {
    pub type_name: String,
    pub config: Option<DynamicValue>,
    pub provider_meta: Option<DynamicValue>,
}

/// `state` is the object the data source read; absent after an error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadDataSourceResponse {
    pub state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}
