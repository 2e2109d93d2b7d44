// SPDX-License-Identifier: MPL-2.0
//! The tfplugin6 `Provider` gRPC service: every RPC is a short adapter (span, convert in,
//! call [`ProviderServer`], convert out). No business logic lives here.
//!
//! RPCs this provider does not serve (ephemeral resources, functions, moves) answer
//! UNIMPLEMENTED, which Terraform only sends when a schema advertises them.

use std::sync::Arc;

use tonic::{Request, Response, Status};
use tracing::Instrument;

use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer as PbServer};
use crate::protocol::ProviderServer;

/// NOTE(protocol): Terraform sends with no practical size limit; tonic's default 4 MiB
/// decode limit breaks big configurations and states. terraform-plugin-go uses 256 MiB.
const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// The tonic service for `/tfplugin6.Provider/*`, backed by `inner`.
pub(super) fn service(inner: Arc<dyn ProviderServer>) -> PbServer<ProviderService> {
    PbServer::new(ProviderService { inner })
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE)
}

/// Adapts gRPC requests to [`ProviderServer`] calls.
pub(super) struct ProviderService {
    inner: Arc<dyn ProviderServer>,
}

/// `adapt!(self, request, "RpcName", method)` for requests with a `type_name`, and
/// `adapt!(self, request, "RpcName", method, no_type)` for provider-level ones.
macro_rules! adapt {
    ($self:ident, $req:ident, $rpc:literal, $method:ident) => {{
        let req = $req.into_inner();
        let span = tracing::debug_span!("rpc", rpc = $rpc, type_name = %req.type_name);
        adapt!(@call $self, req, $method, span)
    }};
    ($self:ident, $req:ident, $rpc:literal, $method:ident, no_type) => {{
        let req = $req.into_inner();
        let span = tracing::debug_span!("rpc", rpc = $rpc);
        adapt!(@call $self, req, $method, span)
    }};
    (@call $self:ident, $req:ident, $method:ident, $span:ident) => {
        async move {
            tracing::debug!("request received");
            let resp = $self.inner.$method($req.into()).await;
            tracing::debug!(diagnostics = resp.diagnostics.0.len(), "request served");
            Ok(Response::new(resp.into()))
        }
        .instrument($span)
        .await
    };
}

fn unimplemented(rpc: &str) -> Status {
    Status::unimplemented(format!("{rpc} is not supported by the ehpc provider"))
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let _span = tracing::debug_span!("rpc", rpc = "GetMetadata").entered();
        Ok(Response::new(self.inner.get_metadata().into()))
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let _span = tracing::debug_span!("rpc", rpc = "GetProviderSchema").entered();
        Ok(Response::new(self.inner.get_provider_schema().into()))
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        adapt!(
            self,
            req,
            "ValidateProviderConfig",
            validate_provider_config,
            no_type
        )
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        adapt!(
            self,
            req,
            "ValidateResourceConfig",
            validate_resource_config
        )
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        adapt!(
            self,
            req,
            "ValidateDataResourceConfig",
            validate_data_resource_config
        )
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        adapt!(self, req, "UpgradeResourceState", upgrade_resource_state)
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        adapt!(self, req, "ConfigureProvider", configure_provider, no_type)
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        adapt!(self, req, "ReadResource", read_resource)
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        adapt!(self, req, "PlanResourceChange", plan_resource_change)
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        adapt!(self, req, "ApplyResourceChange", apply_resource_change)
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        adapt!(self, req, "ImportResourceState", import_resource_state)
    }

    async fn move_resource_state(
        &self,
        _req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        Err(unimplemented("MoveResourceState"))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        adapt!(self, req, "ReadDataSource", read_data_source)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Err(unimplemented("ValidateEphemeralResourceConfig"))
    }

    async fn open_ephemeral_resource(
        &self,
        _req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Err(unimplemented("OpenEphemeralResource"))
    }

    async fn renew_ephemeral_resource(
        &self,
        _req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Err(unimplemented("RenewEphemeralResource"))
    }

    async fn close_ephemeral_resource(
        &self,
        _req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Err(unimplemented("CloseEphemeralResource"))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Err(unimplemented("GetFunctions"))
    }

    async fn call_function(
        &self,
        _req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Err(unimplemented("CallFunction"))
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // NOTE(protocol): arrives concurrently with in-flight applies and must not wait for
        // them; `stop_provider` only cancels their waits.
        let _span = tracing::debug_span!("rpc", rpc = "StopProvider").entered();
        Ok(Response::new(self.inner.stop_provider().into()))
    }
}
