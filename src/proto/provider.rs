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
            client_capabilities: r.client_capabilities.map(Into::into),
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
mod tests {
    use super::*;
    use crate::protocol::{Diagnostics, Schema, ServerCapabilities};

    #[test]
    fn schema_response_always_has_provider_and_capabilities() {
        let cases = [
            ("empty", GetProviderSchemaResponse::default(), 0),
            (
                "one resource",
                GetProviderSchemaResponse {
                    resource_schemas: [("ehpc_app_sync".to_string(), Schema::default())].into(),
                    server_capabilities: ServerCapabilities {
                        plan_destroy: true,
                        get_provider_schema_optional: true,
                        move_resource_state: false,
                    },
                    diagnostics: Diagnostics::default(),
                    provider: Schema::default(),
                },
                1,
            ),
        ];
        for (name, input, resources) in cases {
            let caps = input.server_capabilities;
            let got = pb::get_provider_schema::Response::from(input);
            assert!(got.provider.is_some(), "{name}");
            assert_eq!(got.resource_schemas.len(), resources, "{name}");
            let pb_caps = got.server_capabilities.unwrap_or_default();
            assert_eq!(pb_caps.plan_destroy, caps.plan_destroy, "{name}");
            assert_eq!(
                pb_caps.get_provider_schema_optional, caps.get_provider_schema_optional,
                "{name}"
            );
        }
    }

    #[test]
    fn configure_request_keeps_fields() {
        let req = pb::configure_provider::Request {
            terraform_version: "1.11.4".into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0x80],
                json: vec![],
            }),
            client_capabilities: Some(pb::ClientCapabilities {
                deferral_allowed: true,
                write_only_attributes_allowed: false,
            }),
        };
        let got = ConfigureProviderRequest::from(req);
        assert_eq!(got.terraform_version, "1.11.4");
        assert_eq!(got.config.map(|c| c.msgpack), Some(vec![0x80]));
        assert_eq!(
            got.client_capabilities.map(|c| c.deferral_allowed),
            Some(true)
        );
    }
}
