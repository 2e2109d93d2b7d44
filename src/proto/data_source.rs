// SPDX-License-Identifier: MPL-2.0
//! Data-source RPC messages: ValidateDataResourceConfig and ReadDataSource.
//!
//! NOTE(protocol): as for managed resources, client capabilities are not decoded and
//! `deferred` is never sent: Terraform itself defers reads whose configuration is unknown.

use crate::protocol::{
    ReadDataSourceRequest, ReadDataSourceResponse, ValidateDataResourceConfigRequest,
    ValidateDataResourceConfigResponse,
};

use super::diagnostic::diagnostics;
use super::tfplugin6 as pb;

impl From<pb::validate_data_resource_config::Request> for ValidateDataResourceConfigRequest {
    fn from(r: pb::validate_data_resource_config::Request) -> Self {
        Self {
            type_name: r.type_name,
            config: r.config.map(Into::into),
        }
    }
}

impl From<ValidateDataResourceConfigResponse> for pb::validate_data_resource_config::Response {
    fn from(r: ValidateDataResourceConfigResponse) -> Self {
        Self {
            diagnostics: diagnostics(r.diagnostics),
        }
    }
}

impl From<pb::read_data_source::Request> for ReadDataSourceRequest {
    fn from(r: pb::read_data_source::Request) -> Self {
        Self {
            type_name: r.type_name,
            config: r.config.map(Into::into),
            provider_meta: r.provider_meta.map(Into::into),
        }
    }
}

impl From<ReadDataSourceResponse> for pb::read_data_source::Response {
    fn from(r: ReadDataSourceResponse) -> Self {
        Self {
            state: r.state.map(Into::into),
            diagnostics: diagnostics(r.diagnostics),
            deferred: None,
        }
    }
}

#[cfg(test)]
mod tests;
