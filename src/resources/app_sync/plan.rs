// SPDX-License-Identifier: MPL-2.0
//! Plan logic of `ehpc_app_sync` as pure functions over models: what the computed attributes
//! (`id`, `region`, `request_id`, `image_id`, `copies`, `copies_ready`) become, and which
//! warnings the plan carries. The rules users rely on: `request_id` and `copies` show "known
//! after apply" exactly when apply will act, and a wait that did not finish (`copies_ready`
//! false) makes the next plan an update whose apply resumes it.

use crate::copies::holds_copy;
use crate::value::{Attr, AttributePath};

use super::model::{AppSyncModel, Computed};
use super::region_diff;
use super::work::{work, PlannedCopies};
use crate::protocol::{quoted_list, Diagnostic};
use ehpc_alibaba::actions::ALL_REGIONS;

/// The computed attributes of a plan, plus its warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDecision {
    /// `copies` is wholly unknown, or a known map whose entries may be unknown.
    pub computed: Computed<PlannedCopies>,
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
    let computed = Computed {
        id,
        region,
        request_id: Attr::Unknown,
        image_id: Attr::Unknown,
        copies: Attr::Unknown,
        copies_ready: ready_after(config),
    };
    PlanDecision {
        computed,
        warnings: config
            .target_region_ids
            .known()
            .filter(|t| t.is_empty())
            .map(|_| nothing_synchronized(config))
            .into_iter()
            .collect(),
    }
}

/// Plan of a change to an existing object. A new `app_id` or `region` replaces the object and
/// is planned like a create; otherwise [`work`] says what the apply sends and waits for, and
/// only the values it may change are unknown.
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
    let mut warnings = Vec::new();
    let removed: Vec<String> =
        region_diff::removed(&prior.target_region_ids, &planned.target_region_ids)
            .into_iter()
            .collect();
    if !removed.is_empty() {
        warnings.push(
            Diagnostic::warning(
                "Removed regions keep their copies",
                format!(
                    "{} will no longer be listed, but the copies of {} already synchronized there \
                     stay: SynchronizeApp cannot remove copies, so no API call is made for removed \
                     regions. Delete them in the E-HPC Instant console if they are no longer \
                     needed.",
                    quoted_list(&removed),
                    describe_app(prior)
                ),
            )
            .at(AttributePath::attribute("target_region_ids")),
        );
    }
    let keeps_image = matches!(&prior.image_id, Attr::Known(id) if !id.is_empty());
    let targets = match &planned.target_region_ids {
        Attr::Known(targets) => targets.clone(),
        Attr::Null => Default::default(),
        // Regions known only at apply: any of it may change.
        Attr::Unknown => {
            let computed = Computed {
                id: prior.id.clone(),
                region: prior.region.clone(),
                request_id: Attr::Unknown,
                image_id: if keeps_image {
                    prior.image_id.clone()
                } else {
                    Attr::Unknown
                },
                copies: Attr::Unknown,
                copies_ready: ready_after(config),
            };
            return PlanDecision { computed, warnings };
        }
    };
    let work = work(prior, &targets, config.waits());
    warnings.extend(work.warnings.iter().cloned());
    let resumes = resumes_wait(prior, config);
    let copies_ready = if !work.send.is_empty() {
        ready_after(config)
    } else if resumes {
        // A resumed wait ends ready or with an error (whose state Terraform does not check).
        Attr::Known(true)
    } else {
        prior.copies_ready.clone()
    };
    let acts = work.acts();
    let computed = Computed {
        id: prior.id.clone(),
        region: prior.region.clone(),
        request_id: if work.send.is_empty() {
            prior.request_id.clone()
        } else {
            Attr::Unknown
        },
        image_id: if keeps_image || !acts {
            prior.image_id.clone()
        } else {
            Attr::Unknown
        },
        copies: match work.planned_copies() {
            Some(planned) => Attr::Known(planned),
            None => Attr::Unknown,
        },
        copies_ready,
    };
    PlanDecision { computed, warnings }
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
        "Replacing this ehpc_app_sync (a new app_id or region) removes the old object from the \
         Terraform state only",
    )
}

/// The warning of a create whose `target_region_ids` is `[]`: no call is made.
fn nothing_synchronized(config: &AppSyncModel) -> Diagnostic {
    Diagnostic::warning(
        "Nothing is synchronized",
        format!(
            "target_region_ids is empty, so the apply makes no SynchronizeApp call and copies \
             {} nowhere; it only reads the copies that exist. List regions, or [\"all\"], to \
             synchronize; omit the attribute to call SynchronizeApp without TargetRegionIds.",
            describe_app(config)
        ),
    )
    .at(AttributePath::attribute("target_region_ids"))
}

/// `summary`, and `what` happens followed by where the copies of `prior` remain and why.
fn copies_stay(prior: &AppSyncModel, summary: &str, what: &str) -> Diagnostic {
    // The regions holding copies when known (an `all` names no region), else the targets.
    let holding: Vec<String> = prior
        .copies
        .known()
        .map(|copies| {
            copies
                .keys()
                .filter(|r| holds_copy(copies, r))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let targets: Vec<String> = if holding.is_empty() {
        prior
            .targets()
            .into_iter()
            .filter(|r| r != ALL_REGIONS)
            .collect()
    } else {
        holding
    };
    let where_ = if targets.is_empty() {
        "the regions it was synchronized to".to_string()
    } else {
        quoted_list(&targets)
    };
    Diagnostic::warning(
        summary,
        format!(
            "{what}: the copies of {} in {where_} remain, because SynchronizeApp cannot remove \
             copies and nothing is deleted. Delete them in the E-HPC Instant console if they are \
             no longer needed.",
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
