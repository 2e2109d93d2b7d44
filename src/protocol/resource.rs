// SPDX-License-Identifier: MPL-2.0
//! Managed-resource RPC messages. A `None` DynamicValue means the field was absent on the wire.

use std::collections::BTreeMap;

use crate::value::AttributePath;

use super::{Diagnostics, DynamicValue};

/// Stored state as Terraform keeps it: JSON in the schema of the version that wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawState {
    pub json: Vec<u8>,
    pub flatmap: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateResourceConfigRequest {
    pub type_name: String,
    pub config: Option<DynamicValue>,
    /// ClientCapabilities.write_only_attributes_allowed: false for a Terraform that does not
    /// know write-only attributes (and would store their values in state).
    pub write_only_allowed: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateResourceConfigResponse {
    pub diagnostics: Diagnostics,
}

/// Called for every instance in state before any refresh or plan, even at the same version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpgradeResourceStateRequest {
    pub type_name: String,
    pub version: i64,
    pub raw_state: Option<RawState>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpgradeResourceStateResponse {
    pub upgraded_state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadResourceRequest {
    pub type_name: String,
    pub current_state: Option<DynamicValue>,
    pub private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadResourceResponse {
    /// A null new state means "gone": Terraform plans a create.
    pub new_state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
    pub private: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Option<DynamicValue>,
    pub proposed_new_state: Option<DynamicValue>,
    pub config: Option<DynamicValue>,
    pub prior_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanResourceChangeResponse {
    pub planned_state: Option<DynamicValue>,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Option<DynamicValue>,
    pub planned_state: Option<DynamicValue>,
    pub config: Option<DynamicValue>,
    pub planned_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyResourceChangeResponse {
    pub new_state: Option<DynamicValue>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportResourceStateRequest {
    pub type_name: String,
    pub id: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedResource {
    pub type_name: String,
    pub state: Option<DynamicValue>,
    pub private: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportResourceStateResponse {
    pub imported_resources: Vec<ImportedResource>,
    pub diagnostics: Diagnostics,
}
