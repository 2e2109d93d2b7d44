// SPDX-License-Identifier: MPL-2.0
//! Managed-resource RPC messages and their shared pieces (DynamicValue, RawState, client
//! capabilities, deferral).

use crate::protocol::{
    ApplyResourceChangeRequest, ApplyResourceChangeResponse, ClientCapabilities, Deferred,
    DeferredReason, DynamicValue, ImportResourceStateRequest, ImportResourceStateResponse,
    ImportedResource, PlanResourceChangeRequest, PlanResourceChangeResponse, RawState,
    ReadResourceRequest, ReadResourceResponse, UpgradeResourceStateRequest,
    UpgradeResourceStateResponse, ValidateResourceConfigRequest, ValidateResourceConfigResponse,
};

use super::diagnostic::diagnostics;
use super::tfplugin6 as pb;

impl From<pb::DynamicValue> for DynamicValue {
    fn from(v: pb::DynamicValue) -> Self {
        Self {
            msgpack: v.msgpack,
            json: v.json,
        }
    }
}

impl From<DynamicValue> for pb::DynamicValue {
    fn from(v: DynamicValue) -> Self {
        Self {
            msgpack: v.msgpack,
            json: v.json,
        }
    }
}

impl From<pb::ClientCapabilities> for ClientCapabilities {
    fn from(c: pb::ClientCapabilities) -> Self {
        Self {
            deferral_allowed: c.deferral_allowed,
            write_only_attributes_allowed: c.write_only_attributes_allowed,
        }
    }
}

impl From<pb::RawState> for RawState {
    fn from(s: pb::RawState) -> Self {
        Self {
            json: s.json,
            flatmap: s.flatmap.into_iter().collect(),
        }
    }
}

impl From<Deferred> for pb::Deferred {
    fn from(d: Deferred) -> Self {
        use pb::deferred::Reason;
        let reason = match d.reason {
            DeferredReason::Unknown => Reason::Unknown,
            DeferredReason::ResourceConfigUnknown => Reason::ResourceConfigUnknown,
            DeferredReason::ProviderConfigUnknown => Reason::ProviderConfigUnknown,
            DeferredReason::AbsentPrereq => Reason::AbsentPrereq,
        };
        Self {
            reason: reason.into(),
        }
    }
}

impl From<pb::validate_resource_config::Request> for ValidateResourceConfigRequest {
    fn from(r: pb::validate_resource_config::Request) -> Self {
        Self {
            type_name: r.type_name,
            config: r.config.map(Into::into),
            client_capabilities: r.client_capabilities.map(Into::into),
        }
    }
}

impl From<ValidateResourceConfigResponse> for pb::validate_resource_config::Response {
    fn from(r: ValidateResourceConfigResponse) -> Self {
        Self {
            diagnostics: diagnostics(r.diagnostics),
        }
    }
}

impl From<pb::upgrade_resource_state::Request> for UpgradeResourceStateRequest {
    fn from(r: pb::upgrade_resource_state::Request) -> Self {
        Self {
            type_name: r.type_name,
            version: r.version,
            raw_state: r.raw_state.map(Into::into),
        }
    }
}

impl From<UpgradeResourceStateResponse> for pb::upgrade_resource_state::Response {
    fn from(r: UpgradeResourceStateResponse) -> Self {
        Self {
            upgraded_state: r.upgraded_state.map(Into::into),
            diagnostics: diagnostics(r.diagnostics),
        }
    }
}

impl From<pb::read_resource::Request> for ReadResourceRequest {
    fn from(r: pb::read_resource::Request) -> Self {
        Self {
            type_name: r.type_name,
            current_state: r.current_state.map(Into::into),
            private: r.private,
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.map(Into::into),
        }
    }
}

impl From<ReadResourceResponse> for pb::read_resource::Response {
    fn from(r: ReadResourceResponse) -> Self {
        Self {
            new_state: r.new_state.map(Into::into),
            diagnostics: diagnostics(r.diagnostics),
            private: r.private,
            deferred: r.deferred.map(Into::into),
        }
    }
}

impl From<pb::plan_resource_change::Request> for PlanResourceChangeRequest {
    fn from(r: pb::plan_resource_change::Request) -> Self {
        Self {
            type_name: r.type_name,
            prior_state: r.prior_state.map(Into::into),
            proposed_new_state: r.proposed_new_state.map(Into::into),
            config: r.config.map(Into::into),
            prior_private: r.prior_private,
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.map(Into::into),
        }
    }
}

impl From<PlanResourceChangeResponse> for pb::plan_resource_change::Response {
    fn from(r: PlanResourceChangeResponse) -> Self {
        Self {
            planned_state: r.planned_state.map(Into::into),
            requires_replace: r.requires_replace.into_iter().map(Into::into).collect(),
            planned_private: r.planned_private,
            diagnostics: diagnostics(r.diagnostics),
            // NOTE(protocol): reserved for Terraform's legacy SDK; must stay false.
            legacy_type_system: false,
            deferred: r.deferred.map(Into::into),
        }
    }
}

impl From<pb::apply_resource_change::Request> for ApplyResourceChangeRequest {
    fn from(r: pb::apply_resource_change::Request) -> Self {
        Self {
            type_name: r.type_name,
            prior_state: r.prior_state.map(Into::into),
            planned_state: r.planned_state.map(Into::into),
            config: r.config.map(Into::into),
            planned_private: r.planned_private,
            provider_meta: r.provider_meta.map(Into::into),
        }
    }
}

impl From<ApplyResourceChangeResponse> for pb::apply_resource_change::Response {
    fn from(r: ApplyResourceChangeResponse) -> Self {
        Self {
            new_state: r.new_state.map(Into::into),
            private: r.private,
            diagnostics: diagnostics(r.diagnostics),
            legacy_type_system: false,
        }
    }
}

impl From<pb::import_resource_state::Request> for ImportResourceStateRequest {
    fn from(r: pb::import_resource_state::Request) -> Self {
        Self {
            type_name: r.type_name,
            id: r.id,
            client_capabilities: r.client_capabilities.map(Into::into),
        }
    }
}

impl From<ImportedResource> for pb::import_resource_state::ImportedResource {
    fn from(r: ImportedResource) -> Self {
        Self {
            type_name: r.type_name,
            state: r.state.map(Into::into),
            private: r.private,
        }
    }
}

impl From<ImportResourceStateResponse> for pb::import_resource_state::Response {
    fn from(r: ImportResourceStateResponse) -> Self {
        Self {
            imported_resources: r.imported_resources.into_iter().map(Into::into).collect(),
            diagnostics: diagnostics(r.diagnostics),
            deferred: r.deferred.map(Into::into),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributePath;

    #[test]
    fn plan_round_trip_keeps_bytes_and_paths() {
        let req = pb::plan_resource_change::Request {
            type_name: "ehpc_app_sync".into(),
            prior_state: None,
            proposed_new_state: Some(pb::DynamicValue {
                msgpack: vec![1, 2],
                json: vec![],
            }),
            config: Some(pb::DynamicValue {
                msgpack: vec![],
                json: b"{}".to_vec(),
            }),
            prior_private: b"p".to_vec(),
            provider_meta: None,
            client_capabilities: None,
        };
        let got = PlanResourceChangeRequest::from(req);
        assert!(got.prior_state.is_none(), "absent stays absent");
        assert_eq!(got.proposed_new_state.map(|v| v.msgpack), Some(vec![1, 2]));
        assert_eq!(got.config.map(|v| v.json), Some(b"{}".to_vec()));
        assert_eq!(got.prior_private, b"p");

        let resp = PlanResourceChangeResponse {
            requires_replace: vec![AttributePath::attribute("name")],
            deferred: Some(Deferred {
                reason: DeferredReason::ProviderConfigUnknown,
            }),
            ..Default::default()
        };
        let got = pb::plan_resource_change::Response::from(resp);
        assert_eq!(got.requires_replace.len(), 1);
        assert!(!got.legacy_type_system);
        assert_eq!(
            got.deferred.map(|d| d.reason),
            Some(pb::deferred::Reason::ProviderConfigUnknown as i32)
        );
    }

    #[test]
    fn deferred_reasons() {
        use pb::deferred::Reason;
        let cases = [
            (DeferredReason::Unknown, Reason::Unknown),
            (
                DeferredReason::ResourceConfigUnknown,
                Reason::ResourceConfigUnknown,
            ),
            (
                DeferredReason::ProviderConfigUnknown,
                Reason::ProviderConfigUnknown,
            ),
            (DeferredReason::AbsentPrereq, Reason::AbsentPrereq),
        ];
        for (input, want) in cases {
            assert_eq!(
                pb::Deferred::from(Deferred { reason: input }).reason,
                want as i32
            );
        }
    }

    #[test]
    fn raw_state_keeps_json_and_flatmap() {
        let s = pb::RawState {
            json: b"{\n  \"id\": \"x\"\n}".to_vec(),
            flatmap: [("id".to_string(), "x".to_string())].into(),
        };
        let got = RawState::from(s);
        assert!(got.json.starts_with(b"{\n"));
        assert_eq!(got.flatmap.get("id").map(String::as_str), Some("x"));
    }
}
