// SPDX-License-Identifier: MPL-2.0
//! What a provider, its resources and its data sources implement. Shaped after
//! terraform-plugin-framework: each method takes a request and a pre-filled response that carries
//! the diagnostics.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::protocol::{Diagnostics, Schema};
use crate::value::{AttributePath, Value};

/// The provider block: its schema and configuration. `Data` is what configuration produces and
/// every resource call receives (e.g. an API client). The resources are handed to
/// [`super::Engine::new`] beside the provider, so the provider never names them.
#[async_trait::async_trait]
pub trait Provider: Send + Sync + 'static {
    type Data: Send + Sync + 'static;

    fn schema(&self) -> Schema;

    /// Validate-walk checks of the provider block; `req.config` may contain unknowns.
    async fn validate_config(&self, _req: ValidateRequest, _resp: &mut ValidateResponse) {}

    /// Builds `Data` from the provider block. May run several times per process (reattach) and,
    /// during plan, with unknown values: it must then succeed without calling any API.
    async fn configure(&self, req: ConfigureRequest, resp: &mut ConfigureResponse<Self::Data>);
}

/// One managed resource type. Required: `type_name`, `schema`, `create`, `read`, `update`,
/// `delete`. The rest have documented defaults.
#[async_trait::async_trait]
pub trait Resource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// The full type name, e.g. `ehpc_app_sync`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Checks beyond types and required-ness; `req.config` may contain unknowns, which must
    /// never be rejected. Default: nothing to check.
    async fn validate_config(&self, _req: ValidateRequest, _resp: &mut ValidateResponse) {}

    /// Refines the engine's plan (see [`ModifyPlanResponse`]); also called for destroys
    /// (`req.planned` null) so that warnings show at plan time. Default: keep the engine's plan.
    async fn modify_plan(&self, _req: ModifyPlanRequest<D>, _resp: &mut ModifyPlanResponse) {}

    async fn create(&self, req: CreateRequest<D>, resp: &mut CreateResponse);
    async fn read(&self, req: ReadRequest<D>, resp: &mut ReadResponse);
    async fn update(&self, req: UpdateRequest<D>, resp: &mut UpdateResponse);
    async fn delete(&self, req: DeleteRequest<D>, resp: &mut DeleteResponse);

    /// Default: an error saying the resource does not support import.
    async fn import_state(&self, req: ImportRequest<D>, resp: &mut ImportResponse) {
        let _ = req;
        resp.diagnostics.error(
            "Resource import not supported",
            format!("{} does not support import.", self.type_name()),
        );
    }

    /// Upgrades state written by an older schema version. The engine itself decodes state
    /// written at the current version. Default: an error naming the unsupported version.
    async fn upgrade_state(&self, req: UpgradeRequest, resp: &mut UpgradeResponse) {
        resp.diagnostics.error(
            "Unsupported state version",
            format!(
                "{} cannot upgrade state from schema version {}.",
                self.type_name(),
                req.version
            ),
        );
    }
}

/// One data source type (a `data` block). Required: `type_name`, `schema`, `read`. The engine
/// decodes the configuration against the schema, never calls `read` with unknown values, and
/// checks the result (see [`ReadDataResponse`]), so every data source obeys Terraform's rules.
#[async_trait::async_trait]
pub trait DataSource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// The full type name, e.g. `ehpc_apps`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Checks beyond types and required-ness; `req.config` may contain unknowns, which must
    /// never be rejected. Default: nothing to check.
    async fn validate_config(&self, _req: ValidateRequest, _resp: &mut ValidateResponse) {}

    /// Reads the object the configuration describes. Called during plan when the configuration
    /// is wholly known, otherwise during apply once it is.
    async fn read(&self, req: ReadDataRequest<D>, resp: &mut ReadDataResponse);
}

/// Config to validate (provider block, resource or data source); may contain unknowns.
#[derive(Clone, Debug)]
pub struct ValidateRequest {
    pub config: Value,
}

#[derive(Clone, Debug, Default)]
pub struct ValidateResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Clone, Debug)]
pub struct ConfigureRequest {
    /// Terraform's version, e.g. "1.11.4" (for the User-Agent).
    pub terraform_version: String,
    /// The provider block; may contain unknowns during plan.
    pub config: Value,
}

#[derive(Debug)]
pub struct ConfigureResponse<D> {
    /// Set on success; replaces any earlier configuration.
    pub data: Option<Arc<D>>,
    pub diagnostics: Diagnostics,
}

impl<D> Default for ConfigureResponse<D> {
    fn default() -> Self {
        Self {
            data: None,
            diagnostics: Diagnostics::default(),
        }
    }
}

/// Plan refinement. `prior` is null on create; `planned` and `config` are null on destroy.
pub struct ModifyPlanRequest<D> {
    pub config: Value,
    pub prior: Value,
    /// The engine's plan: the proposed new state; on create, computed attributes with a null
    /// config are unknown; on update they carry the prior value.
    pub planned: Value,
    pub prior_private: Vec<u8>,
    pub data: Arc<D>,
}

/// Pre-filled with the engine's plan. A resource may set computed attributes (known or
/// unknown) and add replace paths; the engine then checks the plan against Terraform's rules
/// and adds replace paths for attributes marked `requires_replace` that changed.
/// `planned_private` starts as the prior private bytes; `requires_replace` starts empty.
#[derive(Clone, Debug)]
pub struct ModifyPlanResponse {
    pub planned: Value,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct CreateRequest<D> {
    pub config: Value,
    pub planned: Value,
    pub planned_private: Vec<u8>,
    pub data: Arc<D>,
    /// Cancelled by StopProvider.
    pub cancel: CancellationToken,
}

/// `state` starts as the plan. On error, the engine returns no state unless the resource left
/// a wholly known one (a failed create leaves nothing behind). "Left" means replaced the
/// pre-filled plan: an untouched plan is never recorded as state after a failure. `private`
/// starts as the planned private bytes.
#[derive(Clone, Debug)]
pub struct CreateResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ReadRequest<D> {
    pub state: Value,
    pub private: Vec<u8>,
    pub data: Arc<D>,
    pub cancel: CancellationToken,
}

/// `state` starts as the current state; set it to null when the object is gone. `private`
/// starts as the stored private bytes (echoed back to Terraform unless replaced).
#[derive(Clone, Debug)]
pub struct ReadResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct UpdateRequest<D> {
    pub config: Value,
    pub prior: Value,
    pub planned: Value,
    pub planned_private: Vec<u8>,
    pub data: Arc<D>,
    pub cancel: CancellationToken,
}

/// `state` starts as the plan. On error, the engine keeps the prior state unless the resource
/// left a wholly known one (replaced the pre-filled plan), so the next apply retries the same
/// change. `private` starts as the planned private bytes.
#[derive(Clone, Debug)]
pub struct UpdateResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct DeleteRequest<D> {
    pub prior: Value,
    pub private: Vec<u8>,
    pub data: Arc<D>,
    pub cancel: CancellationToken,
}

/// On success the engine returns a null state; on error it keeps the prior state.
#[derive(Clone, Debug, Default)]
pub struct DeleteResponse {
    pub diagnostics: Diagnostics,
}

pub struct ImportRequest<D> {
    pub id: String,
    pub data: Arc<D>,
    pub cancel: CancellationToken,
}

/// `state` starts as a null value of the resource type; set it to the imported object.
#[derive(Clone, Debug)]
pub struct ImportResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// A data source read. `config` is wholly known (the engine refuses to read otherwise).
pub struct ReadDataRequest<D> {
    pub config: Value,
    pub data: Arc<D>,
    /// Cancelled by StopProvider.
    pub cancel: CancellationToken,
}

/// `state` starts as the configuration with every computed attribute it leaves null set to
/// unknown; the read must set each of them (to null when the object has no such value). On
/// error no state is returned. Otherwise the engine reports a provider bug instead of a result
/// unless the state conforms to the schema, is wholly known and keeps every configured value.
#[derive(Clone, Debug)]
pub struct ReadDataResponse {
    pub state: Value,
    pub diagnostics: Diagnostics,
}

/// State JSON written by schema `version` (older than the current one).
#[derive(Clone, Debug)]
pub struct UpgradeRequest {
    pub version: i64,
    pub json: serde_json::Value,
}

/// `state` must be set to a value of the current schema's type on success.
#[derive(Clone, Debug)]
pub struct UpgradeResponse {
    pub state: Value,
    pub diagnostics: Diagnostics,
}
