// SPDX-License-Identifier: MPL-2.0
//! Plan logic of `ehpc_app_sync` as pure functions over models: what the computed attributes
//! (`id`, `region`, `request_id`) become, and which warnings the plan carries. The rule users
//! rely on: `request_id` shows "known after apply" exactly when apply will call the API.

use crate::protocol::Diagnostic;
use crate::value::{Attr, AttributePath};

use super::model::AppSyncModel;
use super::region_diff::{self, Added};
use super::validate::quoted_list;

/// The computed attributes of a plan, plus its warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDecision {
    pub id: Attr<String>,
    pub region: Attr<String>,
    pub request_id: Attr<String>,
    pub warnings: Vec<Diagnostic>,
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
    let request_id = match region_diff::added(&prior.target_region_ids, &planned.target_region_ids)
    {
        Added::Nothing => prior.request_id.clone(),
        Added::Regions(_) | Added::Unknown => Attr::Unknown,
    };
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
    PlanDecision {
        id: prior.id.clone(),
        region: prior.region.clone(),
        request_id,
        warnings,
    }
}

/// The warning of a destroy plan (and of the destroy itself): nothing is deleted in the cloud.
pub fn destroy_warning(prior: &AppSyncModel) -> Diagnostic {
    let targets = prior.targets();
    let where_ = if targets.is_empty() {
        "the regions it was synchronized to".to_string()
    } else {
        quoted_list(&targets)
    };
    Diagnostic::warning(
        "Application copies are not deleted",
        format!(
            "Destroying this ehpc_app_sync only removes it from the Terraform state: the copies of {} in {where_} remain, because SynchronizeApp cannot remove copies and nothing is deleted. Delete them in the E-HPC Instant console if they are no longer needed.",
            describe_app(prior)
        ),
    )
}

/// The warning of a plan that replaces the object (new `app_id` or `region`): the old app's
/// copies stay where they are, as after a destroy.
pub fn replacement_warning(prior: &AppSyncModel) -> Diagnostic {
    let targets = prior.targets();
    let where_ = if targets.is_empty() {
        "the regions it was synchronized to".to_string()
    } else {
        quoted_list(&targets)
    };
    Diagnostic::warning(
        "Replaced application copies are not deleted",
        format!(
            "Replacing this ehpc_app_sync (a new app_id or region) removes the old object from the Terraform state only: the copies of {} in {where_} remain, because SynchronizeApp cannot remove copies and nothing is deleted. Delete them in the E-HPC Instant console if they are no longer needed.",
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
