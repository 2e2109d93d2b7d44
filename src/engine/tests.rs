// SPDX-License-Identifier: MPL-2.0
//! Engine tests through the `ProviderServer` surface, with a closure-field test double
//! (framework style) over a small schema: required+requires_replace `name`, optional
//! `description`, optional+computed `region`, computed `id`, optional set `tags`, and a
//! SINGLE nested block `timeouts { create, update }`; and a data source double over required
//! `name`, optional `filter`, optional+computed `region`, computed `id` and computed list
//! `versions`. Inputs are encoded with the msgpack codec exactly as Terraform would send them.

mod apply;
mod data_source;
mod lifecycle;
mod plan;
mod rpc;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::engine::*;
use crate::protocol::*;
use crate::value::{msgpack, AttributePath, Type, Value};

pub(super) const TYPE_NAME: &str = "test_thing";
pub(super) const DATA_TYPE_NAME: &str = "test_lookup";

/// What every resource call receives.
pub(super) struct TestData;

type Hook<Req, Resp> = Box<dyn Fn(Req, &mut Resp) + Send + Sync>;

/// Behaviour of the double; `None` means "leave the pre-filled response alone" (create fills
/// the computed `id` and `region`, import reports "not supported").
#[derive(Default)]
pub(super) struct Hooks {
    pub(super) validate: Option<Hook<ValidateRequest, ValidateResponse>>,
    pub(super) modify_plan: Option<Hook<ModifyPlanRequest<TestData>, ModifyPlanResponse>>,
    pub(super) create: Option<Hook<CreateRequest<TestData>, CreateResponse>>,
    pub(super) read: Option<Hook<ReadRequest<TestData>, ReadResponse>>,
    pub(super) update: Option<Hook<UpdateRequest<TestData>, UpdateResponse>>,
    pub(super) delete: Option<Hook<DeleteRequest<TestData>, DeleteResponse>>,
    pub(super) import: Option<Hook<ImportRequest<TestData>, ImportResponse>>,
    pub(super) upgrade: Option<Hook<UpgradeRequest, UpgradeResponse>>,
    /// When set, `read` signals it and then waits for its cancellation token.
    pub(super) read_waits_for_stop: Option<Arc<Notify>>,
}

/// The names of the resource methods called, in order.
pub(super) type Calls = Arc<Mutex<Vec<&'static str>>>;

struct TestResource {
    hooks: Hooks,
    calls: Calls,
}

impl TestResource {
    fn record(&self, name: &'static str) {
        self.calls.lock().expect("calls lock").push(name);
    }
}

fn run<Req, Resp>(hook: Option<&Hook<Req, Resp>>, req: Req, resp: &mut Resp) {
    if let Some(hook) = hook {
        hook(req, resp);
    }
}

#[async_trait::async_trait]
impl Resource<TestData> for TestResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }
    fn schema(&self) -> Schema {
        resource_schema()
    }
    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        self.record("validate");
        run(self.hooks.validate.as_ref(), req, resp);
    }
    async fn modify_plan(&self, req: ModifyPlanRequest<TestData>, resp: &mut ModifyPlanResponse) {
        self.record("modify_plan");
        run(self.hooks.modify_plan.as_ref(), req, resp);
    }
    async fn create(&self, req: CreateRequest<TestData>, resp: &mut CreateResponse) {
        self.record("create");
        match &self.hooks.create {
            Some(hook) => hook(req, resp),
            None => {
                resp.state.set_attr("id", s("id-1"));
                if resp.state.attr("region").is_some_and(Value::is_unknown) {
                    resp.state.set_attr("region", s("region-1"));
                }
            }
        }
    }
    async fn read(&self, req: ReadRequest<TestData>, resp: &mut ReadResponse) {
        self.record("read");
        if let Some(started) = &self.hooks.read_waits_for_stop {
            started.notify_one();
            req.cancel.cancelled().await;
            resp.diagnostics
                .error("Cancelled", "the read was interrupted by StopProvider");
            return;
        }
        run(self.hooks.read.as_ref(), req, resp);
    }
    async fn update(&self, req: UpdateRequest<TestData>, resp: &mut UpdateResponse) {
        self.record("update");
        run(self.hooks.update.as_ref(), req, resp);
    }
    async fn delete(&self, req: DeleteRequest<TestData>, resp: &mut DeleteResponse) {
        self.record("delete");
        run(self.hooks.delete.as_ref(), req, resp);
    }
    async fn import_state(&self, req: ImportRequest<TestData>, resp: &mut ImportResponse) {
        self.record("import");
        match &self.hooks.import {
            Some(hook) => hook(req, resp),
            None => resp
                .diagnostics
                .error("Resource import not supported", TYPE_NAME),
        }
    }
    async fn upgrade_state(&self, req: UpgradeRequest, resp: &mut UpgradeResponse) {
        self.record("upgrade");
        run(self.hooks.upgrade.as_ref(), req, resp);
    }
}

/// Behaviour of the data source double; `None` for `read` fills every computed attribute the
/// read must set (`id`, `region` when unknown, `versions`).
#[derive(Default)]
pub(super) struct DataHooks {
    pub(super) validate: Option<Hook<ValidateRequest, ValidateResponse>>,
    pub(super) read: Option<Hook<ReadDataRequest<TestData>, ReadDataResponse>>,
    /// When set, `read` signals it and then waits for its cancellation token.
    pub(super) read_waits_for_stop: Option<Arc<Notify>>,
}

struct TestDataSource {
    hooks: DataHooks,
    calls: Calls,
}

#[async_trait::async_trait]
impl DataSource<TestData> for TestDataSource {
    fn type_name(&self) -> &'static str {
        DATA_TYPE_NAME
    }
    fn schema(&self) -> Schema {
        data_source_schema()
    }
    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        self.calls.lock().expect("calls lock").push("data_validate");
        run(self.hooks.validate.as_ref(), req, resp);
    }
    async fn read(&self, req: ReadDataRequest<TestData>, resp: &mut ReadDataResponse) {
        self.calls.lock().expect("calls lock").push("data_read");
        if let Some(started) = &self.hooks.read_waits_for_stop {
            started.notify_one();
            req.cancel.cancelled().await;
            resp.diagnostics
                .error("Cancelled", "the read was interrupted by StopProvider");
            return;
        }
        match &self.hooks.read {
            Some(hook) => hook(req, resp),
            None => {
                resp.state.set_attr("id", s("id-1"));
                if resp.state.attr("region").is_some_and(Value::is_unknown) {
                    resp.state.set_attr("region", s("region-1"));
                }
                resp.state
                    .set_attr("versions", Value::list(Type::String, vec![s("1.0")]));
            }
        }
    }
}

pub(super) struct TestProvider;

#[async_trait::async_trait]
impl Provider for TestProvider {
    type Data = TestData;

    fn schema(&self) -> Schema {
        let endpoint = Attribute::new("endpoint", Type::String, "API endpoint").optional();
        Schema {
            version: 0,
            block: Block {
                attributes: vec![endpoint],
                ..Block::default()
            },
        }
    }

    /// Fails when `endpoint` is "fail"; accepts unknowns.
    async fn configure(&self, req: ConfigureRequest, resp: &mut ConfigureResponse<TestData>) {
        if req.config.attr("endpoint").and_then(Value::as_str) == Some("fail") {
            resp.diagnostics
                .error("Invalid endpoint", "the test endpoint says fail");
            return;
        }
        resp.data = Some(Arc::new(TestData));
    }
}

/// The test resource schema (version 1, so versions 0 and 2 are "older" and "newer").
pub(super) fn resource_schema() -> Schema {
    let opt = |name: &str| Attribute::new(name, Type::String, "").optional();
    let timeouts = NestedBlock {
        type_name: "timeouts".to_string(),
        block: Block {
            attributes: vec![opt("create"), opt("update")],
            ..Block::default()
        },
        nesting: NestingMode::Single,
        min_items: 0,
        max_items: 0,
    };
    let block = Block {
        attributes: vec![
            Attribute::new("id", Type::String, "").computed(),
            Attribute::new("name", Type::String, "")
                .required()
                .requires_replace(),
            opt("description"),
            opt("region").computed(),
            Attribute::new("tags", Type::Set(Box::new(Type::String)), "").optional(),
        ],
        block_types: vec![timeouts],
        ..Block::default()
    };
    Schema { version: 1, block }
}

pub(super) fn ty() -> Type {
    resource_schema().block.implied_type()
}

/// The data source double's schema.
pub(super) fn data_source_schema() -> Schema {
    let string = |name: &str| Attribute::new(name, Type::String, "");
    let block = Block {
        attributes: vec![
            string("name").required(),
            string("filter").optional(),
            string("region").optional().computed(),
            string("id").computed(),
            Attribute::new("versions", Type::List(Box::new(Type::String)), "").computed(),
        ],
        ..Block::default()
    };
    Schema { version: 0, block }
}

pub(super) fn data_ty() -> Type {
    data_source_schema().block.implied_type()
}

/// An engine over the double, not yet configured.
pub(super) fn new_engine(hooks: Hooks) -> (Engine<TestProvider>, Calls) {
    let calls = Calls::default();
    let resource = Arc::new(TestResource {
        hooks,
        calls: calls.clone(),
    });
    (Engine::new(TestProvider, vec![resource], Vec::new()), calls)
}

/// An engine over the resource double (default hooks) and the data source double, configured
/// when `configure` is set.
pub(super) async fn data_engine(
    hooks: DataHooks,
    configure: bool,
) -> (Engine<TestProvider>, Calls) {
    let calls = Calls::default();
    let resource = Arc::new(TestResource {
        hooks: Hooks::default(),
        calls: calls.clone(),
    });
    let data_source = Arc::new(TestDataSource {
        hooks,
        calls: calls.clone(),
    });
    let engine = Engine::new(TestProvider, vec![resource], vec![data_source]);
    if configure {
        let resp = engine
            .configure_provider(ConfigureProviderRequest::default())
            .await;
        assert_eq!(resp.diagnostics, Diagnostics::default());
    }
    (engine, calls)
}

/// An engine over the double after a successful ConfigureProvider.
pub(super) async fn configured(hooks: Hooks) -> (Engine<TestProvider>, Calls) {
    let (engine, calls) = new_engine(hooks);
    let resp = engine
        .configure_provider(ConfigureProviderRequest::default())
        .await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    (engine, calls)
}

pub(super) fn called(c: &Calls) -> Vec<&'static str> {
    c.lock().expect("calls lock").clone()
}

pub(super) fn s(v: &str) -> Value {
    Value::string(v)
}

pub(super) fn unknown() -> Value {
    Value::unknown(Type::String)
}

/// A resource object: every attribute null except `fields`.
pub(super) fn obj(fields: &[(&str, Value)]) -> Value {
    object_of(ty(), fields)
}

/// An object of `ty`: every attribute null except `fields`.
pub(super) fn object_of(ty: Type, fields: &[(&str, Value)]) -> Value {
    let Type::Object(attrs) = ty else {
        unreachable!("implied type is an object")
    };
    let mut map: BTreeMap<String, Value> = attrs
        .into_iter()
        .map(|(name, t)| (name, Value::null(t)))
        .collect();
    for (name, v) in fields {
        map.insert(name.to_string(), v.clone());
    }
    Value::object(map)
}

/// A `timeouts` block value.
pub(super) fn timeouts(create: Option<&str>) -> Value {
    let create = create.map(s).unwrap_or_else(|| Value::null(Type::String));
    let update = Value::null(Type::String);
    Value::object(BTreeMap::from([
        ("create".to_string(), create),
        ("update".to_string(), update),
    ]))
}

/// `v` as Terraform sends it: msgpack of the resource type.
pub(super) fn dv(v: &Value) -> DynamicValue {
    dv_of(v, &ty())
}

/// `v` as Terraform sends it: msgpack of `ty`.
pub(super) fn dv_of(v: &Value, ty: &Type) -> DynamicValue {
    let msgpack = msgpack::encode(v, ty).expect("test value encodes");
    DynamicValue {
        msgpack,
        json: Vec::new(),
    }
}

/// A response value decoded back (absent = null).
pub(super) fn decoded(dv: Option<&DynamicValue>) -> Value {
    match dv {
        Some(dv) => dv.decode(&ty()).expect("engine output decodes"),
        None => Value::null(ty()),
    }
}

/// The error diagnostics as (summary, attribute path) pairs.
pub(super) fn errors(d: &Diagnostics) -> Vec<(String, Option<AttributePath>)> {
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.summary.clone(), d.attribute.clone()))
        .collect()
}

pub(super) fn path(name: &str) -> AttributePath {
    AttributePath::attribute(name)
}
