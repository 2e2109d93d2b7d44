// SPDX-License-Identifier: MPL-2.0
//! Provider-level RPC messages: schema, metadata, provider config, configure, stop.

use crate::protocol::{
    ConfigureProviderRequest, ConfigureProviderResponse, GetMetadataResponse,
    GetProviderSchemaResponse, StopProviderResponse, ValidateProviderConfigRequest,
    ValidateProviderConfigResponse,
};

use super::diagnostic::diagnostics;
use super::tfplugin6 as pb;

impl From<GetProviderSchemaResponse> for pb::get_provider_schema::Response {
    fn from(r: GetProviderSchemaResponse) -> Self {
        Self {
            // NOTE(protocol): `provider` must be present even when empty, or Terraform fails
            // with "missing provider schema".
            provider: Some(r.provider.into()),
            resource_schemas: r
                .resource_schemas
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
            data_source_schemas: r
                .data_source_schemas
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
            diagnostics: diagnostics(r.diagnostics),
            server_capabilities: Some(r.server_capabilities.into()),
            ..Self::default()
        }
    }
}

impl From<GetMetadataResponse> for pb::get_metadata::Response {
    fn from(r: GetMetadataResponse) -> Self {
        Self {
            server_capabilities: Some(r.server_capabilities.into()),
            diagnostics: diagnostics(r.diagnostics),
            resources: r
                .resources
                .into_iter()
                .map(|type_name| pb::get_metadata::ResourceMetadata { type_name })
                .collect(),
            data_sources: r
                .data_sources
                .into_iter()
                .map(|type_name| pb::get_metadata::DataSourceMetadata { type_name })
                .collect(),
            ..Self::default()
        }
    }
}

impl From<pb::validate_provider_config::Request> for ValidateProviderConfigRequest {
    fn from(r: pb::validate_provider_config::Request) -> Self {
        Self {
            config: r.config.map(Into::into),
        }
    }
}

impl From<ValidateProviderConfigResponse> for pb::validate_provider_config::Response {
    fn from(r: ValidateProviderConfigResponse) -> Self {
        Self {
            diagnostics: diagnostics(r.diagnostics),
        }
    }
}

impl From<pb::configure_provider::Request> for ConfigureProviderRequest {
    fn from(r: pb::configure_provider::Request) -> Self {
        Self {
            terraform_version: r.terraform_version,
            config: r.config.map(Into::into),
        }
    }
}

impl From<ConfigureProviderResponse> for pb::configure_provider::Response {
    fn from(r: ConfigureProviderResponse) -> Self {
        Self {
            diagnostics: diagnostics(r.diagnostics),
        }
    }
}

impl From<StopProviderResponse> for pb::stop_provider::Response {
    fn from(r: StopProviderResponse) -> Self {
        Self { error: r.error }
    }
}

#[cfg(test)]
mod tests;
