// SPDX-License-Identifier: MPL-2.0
//! `resource "ehpc_app"`: registers an image as an E-HPC Instant application (AddImage),
//! reads it back (ListImages for its AppId, GetImage on refresh) and removes it on destroy
//! (RemoveImage). There is no update API: every argument replaces the application, and an
//! update only ever changes `timeouts`. The API calls live in [`calls`], the arguments and the
//! imported state in [`model`], the checks and the plan in [`plan`].

pub mod calls;
pub mod model;
pub mod plan;
pub mod schema;

use std::time::Duration;

use ehpc_alibaba::Client;
use tokio_util::sync::CancellationToken;

use crate::data_sources::text_attr;
use crate::engine::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportRequest, ImportResponse,
    ModifyPlanRequest, ModifyPlanResponse, ReadRequest, ReadResponse, Resource, UpdateRequest,
    UpdateResponse, ValidateRequest, ValidateResponse,
};
use crate::protocol::{Diagnostic, Schema};
use crate::provider::{api_error, read_options, ProviderData};
use crate::resources::app_sync::timeouts::{parse_duration, TimeoutKind, DEFAULT_TIMEOUT};
use crate::value::{Attr, Value};

use self::calls::Bounds;
use self::model::{known_text, AppArgs, AppComputed, CONTAINER, VM};

const TYPE_NAME: &str = "ehpc_app";

/// The `ehpc_app` resource type.
#[derive(Clone, Debug, Default)]
pub struct App;

impl App {
    pub fn new() -> Self {
        Self
    }
}

fn bug(what: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid ehpc_app value",
        format!("{what}. This is a bug in the provider; please report it."),
    )
}

fn not_configured() -> Diagnostic {
    bug("The ehpc provider has no API client at apply time")
}

/// The timeout `kind` of `timeouts { … }` in `v`, else the default.
fn timeout(v: &Value, kind: TimeoutKind) -> Duration {
    v.attr("timeouts")
        .and_then(|t| known_text(t, kind.name()))
        .and_then(|s| parse_duration(&s).ok())
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// The bounds of the `kind` operation on `v`: its `timeouts` attribute, else the default.
fn bounds(v: &Value, kind: TimeoutKind, cancel: CancellationToken) -> Bounds {
    Bounds::apply(kind, timeout(v, kind), cancel)
}

/// The region, ImageId and image type a state records.
fn located(state: &Value) -> Result<(String, String, String), Diagnostic> {
    let region = known_text(state, "region").ok_or_else(|| bug("The state has no region"))?;
    let image_id = known_text(state, "image_id").ok_or_else(|| bug("The state has no image_id"))?;
    let kind = known_text(state, "image_type").unwrap_or_else(|| VM.to_string());
    Ok((region, image_id, kind))
}

#[async_trait::async_trait]
impl Resource<ProviderData> for App {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema::app_schema()
    }

    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        resp.diagnostics.extend(plan::validate(&req.config));
    }

    async fn modify_plan(
        &self,
        req: ModifyPlanRequest<ProviderData>,
        resp: &mut ModifyPlanResponse,
    ) {
        if req.planned.is_null() {
            return;
        }
        let region = req.data.region();
        plan::refine(&req.config, &req.prior, &req.prior_private, region, resp);
    }

    async fn create(&self, req: CreateRequest<ProviderData>, resp: &mut CreateResponse) {
        let args = match AppArgs::from_config(&req.config) {
            Ok(args) => args,
            Err(err) => return resp.diagnostics.push(bug(&err.to_string())),
        };
        let Some(region) = known_text(&req.planned, "region") else {
            return resp.diagnostics.push(bug("The planned region is unknown"));
        };
        let Some(client) = req.data.client() else {
            return resp.diagnostics.push(not_configured());
        };
        let bounds = bounds(&req.planned, TimeoutKind::Create, req.cancel.clone());
        let registered = match calls::register(client, &region, &args, &bounds).await {
            Ok(registered) => registered,
            Err(d) => return resp.diagnostics.push(d),
        };
        registered
            .warnings
            .into_iter()
            .for_each(|w| resp.diagnostics.push(w));
        let image_id = registered.image_id;
        // From here on the application exists: whatever happens, it goes into the state.
        let mut state = req.planned.clone();
        let mut computed = AppComputed::registered(&image_id, &args.image_type);
        let summary =
            match calls::read_back(client, &region, &image_id, &args.image_type, &bounds).await {
                Ok(summary) => summary,
                Err(d) => {
                    computed.write(&mut state);
                    resp.state = state;
                    return resp.diagnostics.push(d);
                }
            };
        computed.app_id = Some(Attr::Known(summary.app_id.clone()));
        let opts = &bounds.opts;
        match calls::detail(client, &region, &image_id, &args.image_type, opts).await {
            Ok(Some(detail)) => computed = computed.then(AppComputed::read(&detail)),
            Ok(None) => {}
            Err(err) => resp.diagnostics.push(Diagnostic::warning(
                "Status not read",
                bounds.failed("GetImage", &err).detail,
            )),
        }
        if computed.create_time == Some(Attr::Null) {
            computed.create_time = Some(text_attr(summary.create_time.as_deref()));
        }
        computed.write(&mut state);
        resp.state = state;
    }

    async fn read(&self, req: ReadRequest<ProviderData>, resp: &mut ReadResponse) {
        let Some(client) = req.data.client() else {
            return;
        };
        let (region, image_id, kind) = match located(&req.state) {
            Ok(found) => found,
            Err(d) => return resp.diagnostics.push(d),
        };
        let opts = read_options(req.cancel.clone());
        match calls::detail(client, &region, &image_id, &kind, &opts).await {
            Ok(Some(detail)) => AppComputed::read(&detail).write(&mut resp.state),
            Ok(None) => {
                resp.diagnostics.push(Diagnostic::warning(
                    "Application removed outside Terraform",
                    format!(
                        "GetImage answers ImageNotFound for the image {image_id} in {region}: \
                         the application was removed outside Terraform. It is dropped from \
                         the state; the next apply registers it again."
                    ),
                ));
                resp.state = Value::null(req.state.ty().clone());
            }
            Err(err) => resp.diagnostics.push(api_error("GetImage", &err)),
        }
    }

    /// Every argument replaces the application, so an update only changes `timeouts`: the
    /// planned state is the new state, with no call.
    async fn update(&self, _req: UpdateRequest<ProviderData>, _resp: &mut UpdateResponse) {}

    async fn delete(&self, req: DeleteRequest<ProviderData>, resp: &mut DeleteResponse) {
        let Some(client) = req.data.client() else {
            return resp.diagnostics.push(not_configured());
        };
        let (region, image_id, kind) = match located(&req.prior) {
            Ok(found) => found,
            Err(d) => return resp.diagnostics.push(d),
        };
        let bounds = bounds(&req.prior, TimeoutKind::Delete, req.cancel.clone());
        if let Err(d) = calls::remove(client, &region, &image_id, &kind, &bounds).await {
            resp.diagnostics.push(d);
        }
    }

    async fn import_state(&self, req: ImportRequest<ProviderData>, resp: &mut ImportResponse) {
        let Some(client) = req.data.client() else {
            return resp.diagnostics.push(not_configured());
        };
        let Some(region) = req.data.region().known().cloned() else {
            return resp
                .diagnostics
                .push(bug("The provider's region is unknown at import"));
        };
        let bounds = Bounds::read(req.cancel.clone());
        match import(client, &region, req.id.trim(), &bounds).await {
            Ok(state) => {
                resp.state = state;
                resp.private = plan::IMPORTED.to_vec();
            }
            Err(d) => resp.diagnostics.push(d),
        }
    }
}

/// The state of the application `id`: an AppId (`ci-…`) or an ImageId.
async fn import(
    client: &Client,
    region: &str,
    id: &str,
    bounds: &Bounds,
) -> Result<Value, Diagnostic> {
    let opts = &bounds.opts;
    let not_found = || {
        Diagnostic::error(
            "Cannot import ehpc_app",
            format!(
                "No application with the image ID or application ID {id:?} in region \
                 {region}. Import with the ImageId (`m-…`) or the AppId (`ci-vm-…`) of an \
                 application of the provider's region."
            ),
        )
    };
    let found = if id.starts_with("ci-") {
        match client.find_app(region, id, opts).await {
            Ok(Some(summary)) => Some((summary.image_id, summary.image_type)),
            Ok(None) => None,
            Err(err) => return Err(api_error("ListImages", &err)),
        }
    } else {
        None
    };
    let (image_id, kinds) = match found {
        Some((image_id, kind)) => (image_id, vec![kind]),
        None if id.starts_with("ci-") => return Err(not_found()),
        None => (id.to_string(), vec![VM.to_string(), CONTAINER.to_string()]),
    };
    for kind in kinds {
        let detail = calls::detail(client, region, &image_id, &kind, opts)
            .await
            .map_err(|err| api_error("GetImage", &err))?;
        let Some(mut detail) = detail else { continue };
        detail.image_type.get_or_insert(kind.clone());
        let app_id = match detail.app_id.clone() {
            Some(app_id) => app_id,
            None => {
                calls::read_back(client, region, &image_id, &kind, bounds)
                    .await?
                    .app_id
            }
        };
        return Ok(model::imported_state(region, &image_id, &app_id, &detail));
    }
    Err(not_found())
}

#[cfg(test)]
mod tests;
