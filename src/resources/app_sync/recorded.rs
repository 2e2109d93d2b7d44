// SPDX-License-Identifier: MPL-2.0
//! What an apply records: the planned object with the values the apply found. Terraform
//! checks that every value the plan knew comes back unchanged, so a successful apply only
//! fills in what the plan left unknown (the copies it acted on, the RequestId of a call it
//! made). After an error Terraform checks nothing and the state records what was seen, so
//! that the next plan resumes from the truth (`copies_ready` false after a timed-out wait).
//! A copy the plan kept that the apply finds gone is therefore an error ([`kept_copies_gone`]):
//! recording it as kept would be a false success.

use ehpc_alibaba::CopyStatus;

use crate::copies::{is_provider_status, Copies, CopyModel, MISSING};
use crate::protocol::{quoted_list, Diagnostic};
use crate::value::{Attr, AttributePath};

use super::converge::Converged;
use super::model::AppSyncModel;
use super::work::{targets_region, PlannedCopies, PlannedCopy};

/// The state after an apply of `planned` that found `done`; `failed` when it ended with an
/// error.
pub fn applied(
    planned: AppSyncModel<PlannedCopies>,
    done: Converged,
    failed: bool,
) -> AppSyncModel {
    let copies = match planned.copies {
        Attr::Known(entries) if !failed => fill_copies(entries, &done.copies),
        _ => done.copies,
    };
    AppSyncModel {
        request_id: record(planned.request_id, done.request_id, failed),
        image_id: record(planned.image_id, done.image_id, failed),
        copies_ready: record(planned.copies_ready, done.copies_ready, failed),
        copies: Attr::Known(copies),
        app_id: planned.app_id,
        target_region_ids: planned.target_region_ids,
        region: planned.region,
        wait_for_copies: planned.wait_for_copies,
        id: planned.id,
        timeouts: planned.timeouts,
    }
}

/// What the apply found where the plan did not know, or after an error; else the plan's.
fn record<T>(planned: Attr<T>, found: T, failed: bool) -> Attr<T> {
    if failed || planned.is_unknown() {
        Attr::Known(found)
    } else {
        planned
    }
}

/// The planned copies with their unknown entries filled from `read` (a region the apply
/// acted on that GetImage does not list is recorded as not reported). Regions `read` lists
/// beyond the planned keys wait for the next refresh: the plan promised these keys.
fn fill_copies(planned: PlannedCopies, read: &Copies) -> Copies {
    let found = |region: &str| {
        read.get(region)
            .cloned()
            .unwrap_or_else(CopyModel::not_reported)
    };
    planned
        .into_iter()
        .map(|(region, copy)| {
            let copy = match copy {
                PlannedCopy::Kept(copy) => copy,
                // A waited-for copy: the planned image id stays, the status is filled in.
                PlannedCopy::Waited { image_id } => CopyModel {
                    image_id,
                    status: found(&region).status,
                },
                PlannedCopy::Unknown => found(&region),
            };
            (region, copy)
        })
        .collect()
}

/// The error of an apply of `planned` whose `read` shows, in a targeted region (every region
/// under `"all"`) where the plan kept a copy GetImage had reported, no copy at all, or a failed
/// one where the plan kept a ready one: deleted or failed outside Terraform after the plan was
/// made (a saved plan, or `-refresh=false`). The apply does what its plan showed and sends
/// nothing for such a region; the error makes the state record what the read found, and the
/// next plan synchronizes the region again. (A kept pending copy that failed meanwhile is
/// what `wait_for_copies = false` accepts: recorded as planned, repaired after the next
/// refresh.)
pub fn kept_copies_gone(
    planned: &AppSyncModel<PlannedCopies>,
    read: &Copies,
) -> Option<Diagnostic> {
    let Attr::Known(copies) = &planned.copies else {
        return None;
    };
    let targets = planned.target_region_ids.known();
    let targeted = |region: &str| targets.is_some_and(|t| targets_region(t, region));
    let gone: Vec<&String> = copies
        .iter()
        .filter(|(region, copy)| match copy {
            PlannedCopy::Kept(kept) if targeted(region) && reported_live(kept) => {
                match read.get(region.as_str()) {
                    None => true,
                    Some(now) => {
                        now.status == MISSING
                            || (kept.class() == CopyStatus::Ready
                                && now.class() == CopyStatus::Failed)
                    }
                }
            }
            PlannedCopy::Kept(_) => false,
            PlannedCopy::Waited { .. } | PlannedCopy::Unknown => false,
        })
        .map(|(region, _)| region)
        .collect();
    if gone.is_empty() {
        return None;
    }
    let app_id = planned.app_id.known().map_or("", String::as_str);
    let diagnostic = Diagnostic::error(
        "Copies changed since the plan",
        format!(
            "The plan kept the copies of application {app_id:?} in {} as GetImage had reported \
             them, but GetImage now shows no copy there, or a failed one: deleted or failed \
             outside Terraform after the plan was made (a saved plan, or one made with \
             -refresh=false). This apply did what its plan showed and sent nothing for them; \
             the state records what GetImage shows now, and the next plan synchronizes them \
             again.",
            quoted_list(&gone)
        ),
    );
    Some(diagnostic.at(AttributePath::attribute("target_region_ids")))
}

/// Whether `copy` is one GetImage reported, not failed.
fn reported_live(copy: &CopyModel) -> bool {
    !is_provider_status(copy) && copy.class() != CopyStatus::Failed
}

#[cfg(test)]
mod tests;
