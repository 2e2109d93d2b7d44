// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::protocol::{Diagnostics, Schema, ServerCapabilities};

#[test]
fn schema_response_always_has_provider_and_capabilities() {
    let cases = [
        ("empty", GetProviderSchemaResponse::default(), 0, 0),
        (
            "one resource",
            GetProviderSchemaResponse {
                resource_schemas: [("ehpc_app_sync".to_string(), Schema::default())].into(),
                data_source_schemas: [
                    ("ehpc_app".to_string(), Schema::default()),
                    ("ehpc_apps".to_string(), Schema::default()),
                ]
                .into(),
                server_capabilities: ServerCapabilities {
                    plan_destroy: true,
                    get_provider_schema_optional: true,
                    move_resource_state: false,
                },
                diagnostics: Diagnostics::default(),
                provider: Schema::default(),
            },
            1,
            2,
        ),
    ];
    for (name, input, resources, data_sources) in cases {
        let caps = input.server_capabilities;
        let got = pb::get_provider_schema::Response::from(input);
        assert!(got.provider.is_some(), "{name}");
        assert_eq!(got.resource_schemas.len(), resources, "{name}");
        assert_eq!(got.data_source_schemas.len(), data_sources, "{name}");
        let pb_caps = got.server_capabilities.unwrap_or_default();
        assert_eq!(pb_caps.plan_destroy, caps.plan_destroy, "{name}");
        assert_eq!(
            pb_caps.get_provider_schema_optional, caps.get_provider_schema_optional,
            "{name}"
        );
    }
}

#[test]
fn metadata_lists_resources_and_data_sources() {
    let got = pb::get_metadata::Response::from(GetMetadataResponse {
        resources: vec!["ehpc_app_sync".into()],
        data_sources: vec!["ehpc_app".into(), "ehpc_apps".into()],
        ..Default::default()
    });
    assert_eq!(
        got.resources
            .into_iter()
            .map(|r| r.type_name)
            .collect::<Vec<_>>(),
        ["ehpc_app_sync"]
    );
    assert_eq!(
        got.data_sources
            .into_iter()
            .map(|d| d.type_name)
            .collect::<Vec<_>>(),
        ["ehpc_app", "ehpc_apps"]
    );
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
