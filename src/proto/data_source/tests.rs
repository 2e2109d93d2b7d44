// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::value::AttributePath;

fn dv(msgpack: &[u8]) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: msgpack.to_vec(),
        json: vec![],
    }
}

#[test]
fn requests_keep_type_name_and_bytes() {
    let got = ValidateDataResourceConfigRequest::from(pb::validate_data_resource_config::Request {
        type_name: "ehpc_app".into(),
        config: Some(dv(&[0x80])),
    });
    assert_eq!(got.type_name, "ehpc_app");
    assert_eq!(got.config.map(|c| c.msgpack), Some(vec![0x80]));

    let got = ReadDataSourceRequest::from(pb::read_data_source::Request {
        type_name: "ehpc_apps".into(),
        config: Some(dv(&[0x81])),
        provider_meta: None,
        client_capabilities: Some(pb::ClientCapabilities {
            deferral_allowed: true,
            write_only_attributes_allowed: true,
        }),
    });
    assert_eq!(got.type_name, "ehpc_apps");
    assert_eq!(got.config.map(|c| c.msgpack), Some(vec![0x81]));
    assert!(got.provider_meta.is_none(), "absent stays absent");
}

#[test]
fn responses_keep_state_and_diagnostics_and_never_defer() {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(Diagnostic::error("Bad", "bad name").at(AttributePath::attribute("name")));
    let got = pb::read_data_source::Response::from(ReadDataSourceResponse {
        state: Some(crate::protocol::DynamicValue {
            msgpack: vec![0x80],
            json: vec![],
        }),
        diagnostics: diagnostics.clone(),
    });
    assert_eq!(got.state.map(|s| s.msgpack), Some(vec![0x80]));
    assert_eq!(got.diagnostics.len(), 1);
    assert!(got.diagnostics[0].attribute.is_some(), "path kept");
    assert!(got.deferred.is_none(), "never deferred");

    let got =
        pb::validate_data_resource_config::Response::from(ValidateDataResourceConfigResponse {
            diagnostics,
        });
    assert_eq!(got.diagnostics.len(), 1);
}
