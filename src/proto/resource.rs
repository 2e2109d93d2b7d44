// SPDX-License-Identifier: MPL-2.0
//! Managed-resource RPC messages and their shared pieces (DynamicValue, RawState).
//!
//! NOTE(protocol): client capabilities are not decoded (nothing reads them), and `deferred` is
//! never sent: Terraform 1.11 rejects it unless the client allowed deferral, and this provider
//! can always plan conservatively instead.

use crate::protocol::{
    ApplyResourceChangeRequest, ApplyResourceChangeResponse, DynamicValue,
    ImportResourceStateRequest, ImportResourceStateResponse, ImportedResource,
    PlanResourceChangeRequest, PlanResourceChangeResponse, RawState, ReadResourceRequest,
    ReadResourceResponse, UpgradeResourceStateRequest, UpgradeResourceStateResponse,
    ValidateResourceConfigRequest, ValidateResourceConfigResponse,
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

impl From<pb::RawState> for RawState {
    fn from(s: pb::RawState) -> Self {
        Self {
            json: s.json,
            flatmap: s.flatmap.into_iter().collect(),
        }
    }
}

impl From<pb::validate_resource_config::Request> for ValidateResourceConfigRequest {
    fn from(r: pb::validate_resource_config::Request) -> Self {
        Self {
            type_name: r.type_name,
            config: r.config.map(Into::into),
            write_only_allowed: r
                .client_capabilities
                .is_some_and(|c| c.write_only_attributes_allowed),
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
        }
    }
}

impl From<ReadResourceResponse> for pb::read_resource::Response {
    fn from(r: ReadResourceResponse) -> Self {
        Self {
            new_state: r.new_state.map(Into::into),
            diagnostics: diagnostics(r.diagnostics),
            private: r.private,
            deferred: None,
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
            deferred: None,
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
            deferred: None,
        }
    }
}

#[cfg(test)]
mod tests;
