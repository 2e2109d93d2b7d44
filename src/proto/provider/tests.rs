// SPDX-License-Identifier: MPL-2.0
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
}
