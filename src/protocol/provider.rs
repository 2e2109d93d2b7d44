// SPDX-License-Identifier: MPL-2.0
//! Provider-level RPC messages.

use std::collections::BTreeMap;

use super::{Diagnostics, DynamicValue, Schema};

/// Optional protocol features this server supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerCapabilities {
    /// Terraform sends PlanResourceChange for destroys too (so we can warn at plan time).
    pub plan_destroy: bool,
    /// Terraform may cache the schema per command instead of asking every process.
    pub get_provider_schema_optional: bool,
    pub move_resource_state: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GetProviderSchemaResponse {
    pub provider: Schema,
    pub resource_schemas: BTreeMap<String, Schema>,
    pub data_source_schemas: BTreeMap<String, Schema>,
    pub server_capabilities: ServerCapabilities,
    pub diagnostics: Diagnostics,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GetMetadataResponse {
    pub server_capabilities: ServerCapabilities,
    pub resources: Vec<String>,
    pub data_sources: Vec<String>,
    pub diagnostics: Diagnostics,
}

/// Called in validate and plan walks; values may be unknown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateProviderConfigRequest {
    pub config: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateProviderConfigResponse {
    pub diagnostics: Diagnostics,
}

/// May arrive more than once per process (reattach), and with unknown values during plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigureProviderRequest {
    pub terraform_version: String,
    pub config: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigureProviderResponse {
    pub diagnostics: Diagnostics,
}

/// StopProvider's answer; `error` empty means success.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StopProviderResponse {
    pub error: String,
}
