// SPDX-License-Identifier: MPL-2.0
//! `terraform-provider-benchnull`: the benchmark's plugin floor, built as a Cargo example
//! (`cargo build --release --example terraform-provider-benchnull`). It is this project's
//! plugin stack (handshake, AutoMTLS, gRPC, msgpack, the engine's plan rules) serving one
//! resource, `benchnull_app_sync`, with `ehpc_app_sync`'s exact schema but no work at all:
//! no credentials, no HTTP call, no read: the state is the plan with every computed value
//! filled in, and a refresh returns the state as it is.
//!
//! `terraform_data` runs inside Terraform and is the floor of any resource; this is the floor
//! of any resource served by a plugin process through this stack. The benchmark reports both,
//! so a reader can tell Terraform's cost of talking to a plugin from this provider's own work.

use std::collections::BTreeMap;
use std::sync::Arc;

use ehpc::engine::{
    ConfigureRequest, ConfigureResponse, CreateRequest, CreateResponse, DeleteRequest,
    DeleteResponse, Engine, Provider, ReadRequest, ReadResponse, Resource, UpdateRequest,
    UpdateResponse,
};
use ehpc::protocol::{Block, ProviderServer, Schema};
use ehpc::resources::app_sync::schema::app_sync_schema;
use ehpc::value::{Type, Value};

/// The region a real provider would default to; any known string serves.
const REGION: &str = "cn-hangzhou";
/// The image id of every copy: any known string of a real id's length serves.
const IMAGE_ID: &str = "m-bench0000000000000000";
/// The RequestId an apply records: any known string of a real one's length (36) serves.
/// Terraform rewrites the whole state file after each instance's apply (n² bytes encoded for
/// an apply of n): a floor whose state were smaller than the provider's would be faster for
/// that alone.
const REQUEST_ID: &str = "00000000-0000-0000-0000-000000000000";

struct NullProvider;

#[async_trait::async_trait]
impl Provider for NullProvider {
    type Data = ();

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }

    async fn configure(&self, _req: ConfigureRequest, resp: &mut ConfigureResponse<()>) {
        resp.data = Some(Arc::new(()));
    }
}

struct NullAppSync;

/// The plan with the computed attributes it left unknown made known, as a real apply would:
/// every attribute the schema computes (an apply that left one unknown would be invalid), with
/// one ready copy per target region, so the state is as large as the provider's.
fn applied(planned: Value) -> Value {
    let mut state = planned;
    let app_id = (state.attr("app_id").cloned()).unwrap_or_else(|| Value::null(Type::String));
    let copy_ty = Type::object([("image_id", Type::String), ("status", Type::String)]);
    let regions: Vec<String> = state
        .attr("target_region_ids")
        .and_then(Value::elements)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let copies = regions
        .into_iter()
        .map(|region| {
            let copy = BTreeMap::from([
                ("image_id".to_string(), Value::string(IMAGE_ID)),
                ("status".to_string(), Value::string("Available")),
            ]);
            (region, Value::object(copy))
        })
        .collect();
    for (name, value) in [
        ("id", app_id),
        ("region", Value::string(REGION)),
        ("request_id", Value::string(REQUEST_ID)),
        ("image_id", Value::string(IMAGE_ID)),
        ("copies", Value::map(copy_ty, copies)),
        ("copies_ready", Value::bool(true)),
    ] {
        if state.attr(name).is_some_and(Value::is_unknown) {
            state.set_attr(name, value);
        }
    }
    state
}

#[async_trait::async_trait]
impl Resource<()> for NullAppSync {
    fn type_name(&self) -> &'static str {
        "benchnull_app_sync"
    }

    fn schema(&self) -> Schema {
        app_sync_schema()
    }

    async fn create(&self, req: CreateRequest<()>, resp: &mut CreateResponse) {
        resp.state = applied(req.planned);
    }

    async fn read(&self, req: ReadRequest<()>, resp: &mut ReadResponse) {
        resp.state = req.state;
    }

    async fn update(&self, req: UpdateRequest<()>, resp: &mut UpdateResponse) {
        resp.state = applied(req.planned);
    }

    async fn delete(&self, _req: DeleteRequest<()>, _resp: &mut DeleteResponse) {}
}

/// The provider's allocator (see `src/main.rs`): the floor is this project's plugin stack.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub(crate) fn main() -> anyhow::Result<()> {
    // The same logging, runtime and server as the real provider's main.rs.
    ehpc::server::logging::init_from_env();
    let provider: Arc<dyn ProviderServer> = Arc::new(Engine::new(
        NullProvider,
        vec![Arc::new(NullAppSync)],
        Vec::new(),
    ));
    Ok(ehpc::server::run_process(provider, false)?)
}
