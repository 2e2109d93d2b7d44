// SPDX-License-Identifier: MPL-2.0
//! The engine: lifecycle dispatch and Terraform's plan/apply rules, enforced once for every
//! resource and data source. It implements [`crate::protocol::ProviderServer`] on top of a
//! [`Provider`], its [`Resource`]s and its [`DataSource`]s, decoding every DynamicValue against the
//! schema so resources see only [`crate::value::Value`]s. It never sees generated protobuf types
//! and does no gRPC.
//!
//! One file per RPC area (schema, configure, validate, plan, apply, read/import/upgrade, data
//! sources, stop); `checks` holds Terraform's plan-validity and apply-compatibility rules, and
//! the data source read rules, as pure functions.

mod apply;
mod checks;
mod codec;
mod configure;
mod data_source;
mod plan;
mod read;
mod schema;
mod stop;
mod traits;
mod upgrade;
mod validate;
mod write_only;

#[cfg(test)]
mod tests;

use std::sync::{Arc, RwLock};

use crate::protocol::*;

use schema::Schemas;
use stop::StopSignal;
pub use traits::*;

/// Serves a [`Provider`] over the protocol surface: decodes requests against the cached schemas,
/// calls the provider, its resources and data sources, checks their answers against Terraform's
/// rules and encodes the responses. Safe under Terraform's parallel calls.
pub struct Engine<P: Provider> {
    provider: P,
    schemas: Schemas<P::Data>,
    /// What the last successful ConfigureProvider produced; replaced by every later one.
    data: RwLock<Option<Arc<P::Data>>>,
    stop: StopSignal,
}

impl<P: Provider> Engine<P> {
    /// Builds the engine serving `provider`, `resources` and `data_sources`, and caches their
    /// schemas (and implied object types) once, so every request is decoded against the same
    /// types.
    pub fn new(
        provider: P,
        resources: Vec<Arc<dyn Resource<P::Data>>>,
        data_sources: Vec<Arc<dyn DataSource<P::Data>>>,
    ) -> Self {
        let schemas = Schemas::build(&provider, resources, data_sources);
        Self {
            provider,
            schemas,
            data: RwLock::new(None),
            stop: StopSignal::default(),
        }
    }
}

#[async_trait::async_trait]
impl<P: Provider> ProviderServer for Engine<P> {
    fn get_provider_schema(&self) -> GetProviderSchemaResponse {
        tracing::debug!(rpc = "GetProviderSchema", "rpc");
        self.schemas.provider_schema_response()
    }

    fn get_metadata(&self) -> GetMetadataResponse {
        tracing::debug!(rpc = "GetMetadata", "rpc");
        self.schemas.metadata_response()
    }

    async fn validate_provider_config(
        &self,
        req: ValidateProviderConfigRequest,
    ) -> ValidateProviderConfigResponse {
        tracing::debug!(rpc = "ValidateProviderConfig", "rpc");
        self.validate_provider(req).await
    }

    async fn configure_provider(&self, req: ConfigureProviderRequest) -> ConfigureProviderResponse {
        tracing::debug!(rpc = "ConfigureProvider", "rpc");
        self.configure(req).await
    }

    async fn validate_resource_config(
        &self,
        req: ValidateResourceConfigRequest,
    ) -> ValidateResourceConfigResponse {
        tracing::debug!(rpc = "ValidateResourceConfig", type_name = %req.type_name, "rpc");
        self.validate_resource(req).await
    }

    async fn upgrade_resource_state(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> UpgradeResourceStateResponse {
        tracing::debug!(rpc = "UpgradeResourceState", type_name = %req.type_name, "rpc");
        self.upgrade(req).await
    }

    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse {
        tracing::debug!(rpc = "ReadResource", type_name = %req.type_name, "rpc");
        self.read(req).await
    }

    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        tracing::debug!(rpc = "PlanResourceChange", type_name = %req.type_name, "rpc");
        self.plan(req).await
    }

    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        tracing::debug!(rpc = "ApplyResourceChange", type_name = %req.type_name, "rpc");
        self.apply(req).await
    }

    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
    ) -> ImportResourceStateResponse {
        tracing::debug!(rpc = "ImportResourceState", type_name = %req.type_name, "rpc");
        self.import(req).await
    }

    async fn validate_data_resource_config(
        &self,
        req: ValidateDataResourceConfigRequest,
    ) -> ValidateDataResourceConfigResponse {
        tracing::debug!(rpc = "ValidateDataResourceConfig", type_name = %req.type_name, "rpc");
        self.validate_data_source(req).await
    }

    async fn read_data_source(&self, req: ReadDataSourceRequest) -> ReadDataSourceResponse {
        tracing::debug!(rpc = "ReadDataSource", type_name = %req.type_name, "rpc");
        self.read_data_resource(req).await
    }

    fn stop_provider(&self) -> StopProviderResponse {
        tracing::debug!(rpc = "StopProvider", "rpc");
        self.stop.stop();
        StopProviderResponse::default()
    }
}
