// SPDX-License-Identifier: MPL-2.0
//! Plan logic of `ehpc_app_sync` as pure functions over models: what the computed attributes
//! (`id`, `region`, `request_id`, `image_id`, `copies`, `copies_ready`) become, and which
//! warnings the plan carries. The rules users rely on: `request_id` and `copies` show "known
//! after apply" exactly when apply will act, and a wait that did not finish (`copies_ready`
//! false) makes the next plan an update whose apply resumes it.

use crate::protocol::Diagnostic;
use crate::value::{Attr, AttributePath};

use crate::copies::Copies;

use super::model::AppSyncModel;
use super::region_diff::{self, Added};
use super::validate::quoted_list;

/// The computed attributes of a plan, plus its warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDecision {
    pub id: Attr<String>,
    pub region: Attr<String>,
    pub request_id: Attr<String>,
    pub image_id: Attr<String>,
    pub copies: Attr<Copies>,
    pub copies_ready: Attr<bool>,
    pub warnings: Vec<Diagnostic>,
}

/// `copies_ready` after an apply that acts: true when it waits (a finished wait), else
/// whatever the copies are then.
fn ready_after(config: &AppSyncModel) -> Attr<bool> {
    if config.waits() {
        Attr::Known(true)
    } else {
        Attr::Unknown
    }
}

/// Whether the prior state holds a wait that did not finish and that the next apply resumes.
pub fn resumes_wait(prior: &AppSyncModel, config: &AppSyncModel) -> bool {
    prior.copies_ready == Attr::Known(false) && config.waits()
}

/// Plan of a new object: `id` = `app_id`, `region` = the configured one else the provider's
/// (unknown while either is unknown), `request_id` unknown (apply calls the API).
pub fn plan_create(config: &AppSyncModel, provider_region: &Attr<String>) -> PlanDecision {
    let region = match &config.region {
        Attr::Null => provider_region.clone(),
        configured => configured.clone(),
    };
    let id = match &config.app_id {
        Attr::Known(app_id) => Attr::Known(app_id.clone()),
        _ => Attr::Unknown,
    };
    PlanDecision {
        id,
        region,
        request_id: Attr::Unknown,
        image_id: Attr::Unknown,
        copies: Attr::Unknown,
        copies_ready: ready_after(config),
        warnings: Vec::new(),
    }
}

/// Plan of a change to an existing object. A new `app_id` or `region` replaces the object and
/// is planned like a create; otherwise only added regions cause a call.
pub fn plan_update(
    prior: &AppSyncModel,
    planned: &AppSyncModel,
    config: &AppSyncModel,
    provider_region: &Attr<String>,
) -> PlanDecision {
    let replaced = planned.app_id != prior.app_id
        || (!config.region.is_null() && config.region != prior.region);
    if replaced {
        // Terraform destroys the old object without a destroy plan of its own, so the
        // destroy warning would never be shown: say it here.
        let mut decision = plan_create(config, provider_region);
        decision.warnings.push(replacement_warning(prior));
        return decision;
    }
    let adds = match region_diff::added(&prior.target_region_ids, &planned.target_region_ids) {
        Added::Nothing => false,
        Added::Regions(_) | Added::Unknown => true,
    };
    let acts = adds || resumes_wait(prior, config);
    let removed: Vec<String> =
        region_diff::removed(&prior.target_region_ids, &planned.target_region_ids)
            .into_iter()
            .collect();
    let mut warnings = Vec::new();
    if !removed.is_empty() {
        warnings.push(
            Diagnostic::warning(
                "Removed regions keep their copies",
                format!(
                    "{} will no longer be listed, but the copies of {} already synchronized there stay: SynchronizeApp cannot remove copies, so no API call is made for removed regions. Delete them in the E-HPC Instant console if they are no longer needed.",
                    quoted_list(&removed),
                    describe_app(prior)
                ),
            )
            .at(AttributePath::attribute("target_region_ids")),
        );
    }
    let image_id = match &prior.image_id {
        Attr::Known(id) if !id.is_empty() => prior.image_id.clone(),
        _ if acts => Attr::Unknown,
        _ => prior.image_id.clone(),
    };
    PlanDecision {
        id: prior.id.clone(),
        region: prior.region.clone(),
        request_id: if acts {
            Attr::Unknown
        } else {
            prior.request_id.clone()
        },
        image_id,
        copies: if acts {
            Attr::Unknown
        } else {
            prior.copies.clone()
        },
        copies_ready: if acts {
            ready_after(config)
        } else {
            prior.copies_ready.clone()
        },
        warnings,
    }
}

/// The warning of a destroy plan (and of the delete of a replaced object): nothing is
/// deleted in the cloud.
pub fn destroy_warning(prior: &AppSyncModel) -> Diagnostic {
    copies_stay(
        prior,
        "Application copies are not deleted",
        "Destroying this ehpc_app_sync only removes it from the Terraform state",
    )
}

/// The warning of a plan that replaces the object (new `app_id` or `region`): the old app's
/// copies stay where they are, as after a destroy.
pub fn replacement_warning(prior: &AppSyncModel) -> Diagnostic {
    copies_stay(
        prior,
        "Replaced application copies are not deleted",
        "Replacing this ehpc_app_sync (a new app_id or region) removes the old object from the Terraform state only",
    )
}

/// `summary`, and `what` happens followed by where the copies of `prior` remain and why.
fn copies_stay(prior: &AppSyncModel, summary: &str, what: &str) -> Diagnostic {
    let targets = prior.targets();
    let where_ = if targets.is_empty() {
        "the regions it was synchronized to".to_string()
    } else {
        quoted_list(&targets)
    };
    Diagnostic::warning(
        summary,
        format!(
            "{what}: the copies of {} in {where_} remain, because SynchronizeApp cannot remove copies and nothing is deleted. Delete them in the E-HPC Instant console if they are no longer needed.",
            describe_app(prior)
        ),
    )
}

fn describe_app(model: &AppSyncModel) -> String {
    match model.app_id.known() {
        Some(id) => format!("application {id:?}"),
        None => "the application".to_string(),
    }
}

#[cfg(test)]
mod tests;
