// SPDX-License-Identifier: MPL-2.0
//! Hand-written tfplugin6 domain types: requests, responses, schemas and diagnostics.
//!
//! These mirror the wire messages of protocol 6.8 without protobuf nesting
//! (`PlanResourceChangeRequest`, not `PlanResourceChange_Request`). Generated types live in the
//! private `proto` module, which converts to and from these. Nothing here does I/O.

mod data_source;
mod diagnostic;
mod dynamic_value;
mod provider;
mod provider_server;
mod resource;
mod schema;

pub use data_source::{
    ReadDataSourceRequest, ReadDataSourceResponse, ValidateDataResourceConfigRequest,
    ValidateDataResourceConfigResponse,
};
pub use diagnostic::{quoted_list, Diagnostic, Diagnostics, Severity};
pub use dynamic_value::DynamicValue;
pub use provider::{
    ConfigureProviderRequest, ConfigureProviderResponse, GetMetadataResponse,
    GetProviderSchemaResponse, ServerCapabilities, StopProviderResponse,
    ValidateProviderConfigRequest, ValidateProviderConfigResponse,
};
pub use provider_server::ProviderServer;
pub use resource::{
    ApplyResourceChangeRequest, ApplyResourceChangeResponse, ImportResourceStateRequest,
    ImportResourceStateResponse, ImportedResource, PlanResourceChangeRequest,
    PlanResourceChangeResponse, RawState, ReadResourceRequest, ReadResourceResponse,
    UpgradeResourceStateRequest, UpgradeResourceStateResponse, ValidateResourceConfigRequest,
    ValidateResourceConfigResponse,
};
pub use schema::{Attribute, Block, NestedBlock, NestingMode, Schema, StringKind};
