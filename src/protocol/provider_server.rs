// SPDX-License-Identifier: MPL-2.0
//! [`ProviderServer`]: the protocol surface the gRPC layer drives, implemented by the engine.

use super::*;

/// Every tfplugin6 RPC Terraform 1.11 calls, in domain types. Implementations must be safe under
/// Terraform's parallel calls, and `stop_provider` must answer at once (it arrives concurrently
/// with in-flight applies and only cancels their waits).
#[async_trait::async_trait]
pub trait ProviderServer: Send + Sync + 'static {
    fn get_provider_schema(&self) -> GetProviderSchemaResponse;
    fn get_metadata(&self) -> GetMetadataResponse;
    async fn validate_provider_config(
        &self,
        req: ValidateProviderConfigRequest,
    ) -> ValidateProviderConfigResponse;
    async fn configure_provider(&self, req: ConfigureProviderRequest) -> ConfigureProviderResponse;
    async fn validate_resource_config(
        &self,
        req: ValidateResourceConfigRequest,
    ) -> ValidateResourceConfigResponse;
    async fn upgrade_resource_state(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> UpgradeResourceStateResponse;
    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse;
    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
    ) -> ImportResourceStateResponse;
    async fn validate_data_resource_config(
        &self,
        req: ValidateDataResourceConfigRequest,
    ) -> ValidateDataResourceConfigResponse;
    async fn read_data_source(&self, req: ReadDataSourceRequest) -> ReadDataSourceResponse;
    /// Cancels every in-flight request's waits; later requests run normally.
    fn stop_provider(&self) -> StopProviderResponse;
}
