// SPDX-License-Identifier: MPL-2.0
//! What an apply records: the planned object with the values the apply found. Terraform
//! checks that every value the plan knew comes back unchanged, so a successful apply only
//! fills in what the plan left unknown (the copies it acted on, the RequestId of a call it
//! made). After an error Terraform checks nothing and the state records what was seen, so
//! that the next plan resumes from the truth (`copies_ready` false after a timed-out wait).

use crate::copies::{Copies, CopyModel};
use crate::value::Attr;

use super::converge::Converged;
use super::model::AppSyncModel;
use super::work::{PlannedCopies, PlannedCopy};

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

#[cfg(test)]
mod tests;
