// SPDX-License-Identifier: MPL-2.0
//! `ehpc_app_sync`: copies an E-HPC Instant application to other regions with SynchronizeApp
//! and reads the copies back. This file wires the [`Resource`] methods to the parts:
//! [`schema`] and [`model`]; [`validate`]; [`plan`] with [`work`] (what an update sends and
//! waits for, decided once for the plan and again, identically, for the apply), [`region_diff`]
//! (removed regions) and [`timeouts`] (Go-style durations); [`converge`] (an apply: read, send
//! what is missing with [`synchronize`], [`wait`] for the copies) and [`recorded`] (the state it
//! leaves); [`refresh`] (read and import, over [`reads`]); [`private`] (the ImageType kept in
//! Terraform's private data, and the destroy plan's mark); [`upgrade`] (states of schema
//! versions 0 and 1). Delete makes no API call: copies cannot be removed.

pub mod converge;
pub mod model;
pub mod plan;
pub mod private;
pub mod reads;
pub mod recorded;
pub mod refresh;
pub mod region_diff;
pub mod schema;
pub mod synchronize;
pub mod timeouts;
pub mod upgrade;
pub mod validate;
pub mod wait;
pub mod work;

use std::time::Duration;

use crate::engine::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ImportRequest, ImportResponse,
    ModifyPlanRequest, ModifyPlanResponse, ReadRequest, ReadResponse, Resource, UpdateRequest,
    UpdateResponse, UpgradeRequest, UpgradeResponse, ValidateRequest, ValidateResponse,
};
use crate::protocol::{Diagnostic, Schema};
use crate::provider::ProviderData;
use crate::value::{Attr, DecodeError, Value};

use self::converge::{Intent, Known};
use self::model::{AppSyncModel, TimeoutsModel};
use self::private::DESTROY_WARNED;
use self::recorded::{applied, kept_copies_gone};
use self::refresh::Refreshed;
use self::synchronize::SyncJob;
use self::timeouts::{parse_duration, TimeoutKind, DEFAULT_TIMEOUT};
use self::validate::validate;
use self::work::PlannedCopies;
use crate::provider::validate::app_id_problem;

/// The model of a planned object, whose copies may be unknown.
type PlannedModel = AppSyncModel<PlannedCopies>;

/// The `ehpc_app_sync` resource type.
#[derive(Clone, Debug, Default)]
pub struct AppSync;

impl AppSync {
    pub fn new() -> Self {
        Self
    }
}

fn decode_diagnostic(err: &DecodeError) -> Diagnostic {
    crate::engine::decode_diagnostic("ehpc_app_sync", err)
}

/// A bug diagnostic: the engine guarantees known values at apply, so this should never show.
fn not_known(what: &str) -> Diagnostic {
    Diagnostic::error(
        "Value unknown at apply",
        format!(
            "{what} is still unknown at apply time. This is a bug in the provider; please \
             report it."
        ),
    )
}

/// The `timeouts` value of `kind`, or the default (values were checked at validate time).
fn timeout(timeouts: &Attr<TimeoutsModel>, kind: TimeoutKind) -> Duration {
    timeouts
        .known()
        .and_then(|t| t.of(kind))
        .and_then(Attr::known)
        .and_then(|s| parse_duration(s).ok())
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// The job of an apply, from the planned model: its endpoint, app, deadline and cancellation.
fn job(
    planned: &PlannedModel,
    timeout_kind: TimeoutKind,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<SyncJob, Diagnostic> {
    let app_id = planned.app_id.known().ok_or_else(|| not_known("app_id"))?;
    let region = planned.region.known().ok_or_else(|| not_known("region"))?;
    let timeout = timeout(&planned.timeouts, timeout_kind);
    Ok(SyncJob {
        region: region.clone(),
        app_id: app_id.clone(),
        timeout_kind,
        timeout,
        deadline: tokio::time::Instant::now() + timeout,
        cancel,
    })
}

fn not_configured() -> Diagnostic {
    Diagnostic::error(
        "Provider not configured",
        "The ehpc provider has no API client: its configuration was not fully known. This is a bug \
         in the provider; please report it.",
    )
}

#[async_trait::async_trait]
impl Resource<ProviderData> for AppSync {
    fn type_name(&self) -> &'static str {
        "ehpc_app_sync"
    }

    fn schema(&self) -> Schema {
        schema::app_sync_schema()
    }

    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        match AppSyncModel::from_value(&req.config) {
            Ok(config) => {
                let targets = model::known_targets(&req.config);
                resp.diagnostics.extend(validate(&config, &targets));
            }
            Err(err) => resp.diagnostics.push(decode_diagnostic(&err)),
        }
    }

    async fn modify_plan(
        &self,
        req: ModifyPlanRequest<ProviderData>,
        resp: &mut ModifyPlanResponse,
    ) {
        if req.planned.is_null() {
            // NOTE(protocol): destroy plans reach us only with plan_destroy; this is where the
            // user learns that nothing is deleted in the cloud. The mark in the planned private
            // data tells the delete that this destroy was planned, and warned about, here.
            match AppSyncModel::from_value(&req.prior) {
                Ok(prior) => resp.diagnostics.push(plan::destroy_warning(&prior)),
                Err(err) => resp.diagnostics.push(decode_diagnostic(&err)),
            }
            resp.planned_private = DESTROY_WARNED.to_vec();
            return;
        }
        let decoded = (|| {
            let planned = AppSyncModel::from_value(&req.planned)?;
            let config = AppSyncModel::from_value(&req.config)?;
            let prior = if req.prior.is_null() {
                None
            } else {
                Some(AppSyncModel::from_value(&req.prior)?)
            };
            Ok::<_, DecodeError>((planned, config, prior))
        })();
        let (planned, config, prior) = match decoded {
            Ok(models) => models,
            Err(err) => return resp.diagnostics.push(decode_diagnostic(&err)),
        };
        let provider_region = req.data.region();
        if config.region.is_null() {
            // A configured region was checked at validate time; the provider's is known now.
            let targets = model::known_targets(&req.config);
            if let Some(d) = validate::own_region_problem(provider_region, &targets) {
                return resp.diagnostics.push(d);
            }
        }
        let decision = match &prior {
            None => plan::plan_create(&config, provider_region),
            Some(prior) => plan::plan_update(prior, &planned, &config, provider_region),
        };
        // Only computed attributes change; configured values stay exactly as planned.
        decision.computed.write(&mut resp.planned);
        for w in decision.warnings {
            resp.diagnostics.push(w);
        }
    }

    async fn create(&self, req: CreateRequest<ProviderData>, resp: &mut CreateResponse) {
        // A create that changed nothing in the cloud leaves no state: start from null.
        resp.state = Value::null(req.planned.ty().clone());
        let planned = match PlannedModel::from_value(&req.planned) {
            Ok(m) => m,
            Err(err) => return resp.diagnostics.push(decode_diagnostic(&err)),
        };
        let Some(client) = req.data.client() else {
            return resp.diagnostics.push(not_configured());
        };
        let job = match job(&planned, TimeoutKind::Create, req.cancel.clone()) {
            Ok(job) => job,
            Err(d) => return resp.diagnostics.push(d),
        };
        let intent = Intent {
            send: planned.targets().into_iter().collect(),
            omit_targets: planned.target_region_ids.is_null(),
            wait_also: Default::default(),
            waits: planned.waits(),
        };
        // The replacement of a tainted object resumes its wait without a call: the RequestId
        // of the call it resumes is the one its delete handed over, in this same apply.
        let known = Known {
            request_id: req
                .data
                .take_request_id(&job.region, &job.app_id)
                .unwrap_or_default(),
            ..Known::default()
        };
        let (converged, diags) = converge::converge(client, &job, &intent, &known).await;
        let failed = diags.has_errors();
        resp.diagnostics.extend(diags);
        if let Some(done) = converged {
            record_image_type(&mut resp.private, done.image_type.as_deref());
            // Recorded even beside an error (a wait that timed out): the call was made.
            resp.state = applied(planned, done, failed).to_value();
        }
    }

    async fn read(&self, req: ReadRequest<ProviderData>, resp: &mut ReadResponse) {
        // `resp.state` holds the current state: kept as it is unless the read says otherwise.
        let Some(client) = req.data.client() else {
            return;
        };
        let state = match AppSyncModel::from_value(&req.state) {
            Ok(m) => m,
            Err(err) => return resp.diagnostics.push(decode_diagnostic(&err)),
        };
        let recorded_type = private::image_type(&req.private);
        match refresh::refresh(client, state, recorded_type, &req.cancel).await {
            Ok(Refreshed::Present(model, image_type)) => {
                record_image_type(&mut resp.private, image_type.as_deref());
                resp.state = model.to_value();
            }
            Ok(Refreshed::Gone(warning)) => {
                resp.diagnostics.push(warning);
                resp.state = Value::null(req.state.ty().clone());
            }
            Err(d) => resp.diagnostics.push(d),
        }
    }

    async fn update(&self, req: UpdateRequest<ProviderData>, resp: &mut UpdateResponse) {
        // On failure the prior state stays, so the next apply retries the same added regions.
        let models = AppSyncModel::from_value(&req.prior)
            .and_then(|prior| Ok((prior, PlannedModel::from_value(&req.planned)?)));
        let (prior, planned) = match models {
            Ok(models) => models,
            Err(err) => {
                resp.state = req.prior;
                return resp.diagnostics.push(decode_diagnostic(&err));
            }
        };
        let targets = match &planned.target_region_ids {
            Attr::Known(targets) => targets.clone(),
            Attr::Null => Default::default(),
            Attr::Unknown => {
                resp.state = req.prior;
                return resp.diagnostics.push(not_known("target_region_ids"));
            }
        };
        // The same decision as the plan's, from the same prior state and configuration.
        let work = work::work(&prior, &targets, planned.waits());
        if !work.acts() {
            // Nothing to do: state = plan, no call. (The apply-time plan knows the regions,
            // so it left nothing unknown; should it have, the prior values fill it in.)
            let kept = converge::Converged {
                // Nothing read: the private data keeps the ImageType it recorded.
                image_type: None,
                request_id: prior.request_id.known().cloned().unwrap_or_default(),
                image_id: prior.image_id.known().cloned().unwrap_or_default(),
                copies: work.kept.clone(),
                copies_ready: prior.copies_ready.known().copied().unwrap_or(true),
            };
            resp.state = applied(planned, kept, false).to_value();
            return;
        }
        let intent = Intent {
            send: work.send.clone(),
            omit_targets: false,
            wait_also: work.wait.clone(),
            waits: planned.waits(),
        };
        let known = Known {
            request_id: prior.request_id.known().cloned().unwrap_or_default(),
            image_id: prior.image_id.known().cloned().unwrap_or_default(),
            image_type: private::image_type(&req.planned_private).map(str::to_string),
            copies: prior.copies.known().cloned().unwrap_or_default(),
        };
        let outcome = match req.data.client() {
            None => Err(not_configured()),
            Some(client) => match job(&planned, TimeoutKind::Update, req.cancel.clone()) {
                Ok(job) => Ok(converge::converge(client, &job, &intent, &known).await),
                Err(d) => Err(d),
            },
        };
        match outcome {
            Ok((Some(done), mut diags)) => {
                if let Some(gone) = kept_copies_gone(&planned, &done.copies) {
                    diags.push(gone);
                }
                let failed = diags.has_errors();
                resp.diagnostics.extend(diags);
                record_image_type(&mut resp.private, done.image_type.as_deref());
                resp.state = applied(planned, done, failed).to_value();
            }
            Ok((None, diags)) => {
                resp.diagnostics.extend(diags);
                resp.state = req.prior;
            }
            Err(d) => {
                resp.diagnostics.push(d);
                resp.state = req.prior;
            }
        }
    }

    async fn delete(&self, req: DeleteRequest<ProviderData>, resp: &mut DeleteResponse) {
        // No API call: copies cannot be removed. A destroy plan already warned (and marked
        // its private data); the old object of a replacement (`-replace`, a changed app_id
        // with create_before_destroy, a tainted object) had no destroy plan, so warn here.
        let prior = match AppSyncModel::from_value(&req.prior) {
            Ok(prior) => prior,
            Err(err) => return resp.diagnostics.push(decode_diagnostic(&err)),
        };
        if req.private != DESTROY_WARNED {
            resp.diagnostics.push(plan::destroy_warning(&prior));
        }
        // A replacement's create runs next in this apply: hand it the RequestId, so a create
        // that only resumes the wait (no call) still records the call it resumes.
        if let (Some(region), Some(app_id), Some(id)) = (
            prior.region.known(),
            prior.app_id.known(),
            prior.request_id.known(),
        ) {
            if !id.is_empty() {
                req.data.hand_over_request_id(region, app_id, id);
            }
        }
    }

    async fn import_state(&self, req: ImportRequest<ProviderData>, resp: &mut ImportResponse) {
        if let Some(problem) = app_id_problem(&req.id) {
            return resp.diagnostics.push(Diagnostic::error(
                "Invalid import id",
                format!(
                    "{problem} Import with the application id: terraform import \
                     ehpc_app_sync.NAME APP_ID."
                ),
            ));
        }
        let Attr::Known(region) = req.data.region().clone() else {
            return resp.diagnostics.push(Diagnostic::error(
                "Provider region unknown",
                "Import needs the provider's region, which is not known yet; set `region` in the \
                 provider block to a known value.",
            ));
        };
        let Some(client) = req.data.client() else {
            return resp.diagnostics.push(not_configured());
        };
        match refresh::import(client, &req.id, &region, &req.cancel).await {
            Ok((model, image_type)) => {
                record_image_type(&mut resp.private, Some(&image_type));
                resp.state = model.to_value();
            }
            Err(d) => resp.diagnostics.push(d),
        }
    }

    async fn upgrade_state(&self, req: UpgradeRequest, resp: &mut UpgradeResponse) {
        match req.version {
            0 => match upgrade::from_version_0(&req.json, resp.state.ty()) {
                Ok(state) => resp.state = state,
                Err(d) => resp.diagnostics.push(d),
            },
            1 => match upgrade::from_version_1(&req.json, resp.state.ty()) {
                Ok(state) => resp.state = state,
                Err(d) => resp.diagnostics.push(d),
            },
            other => resp.diagnostics.push(Diagnostic::error(
                "Unsupported state version",
                format!("ehpc_app_sync cannot upgrade state from schema version {other}."),
            )),
        }
    }
}

/// Records the ImageType the reads used in the object's private data; without one (an
/// application not listed), the private data stays as it was.
fn record_image_type(private: &mut Vec<u8>, image_type: Option<&str>) {
    if let Some(image_type) = image_type {
        *private = private::recording(image_type);
    }
}

#[cfg(test)]
mod tests;
