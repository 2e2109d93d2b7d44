// SPDX-License-Identifier: MPL-2.0
//! What an update of `ehpc_app_sync` does, decided from the refreshed prior state alone (its
//! `copies`) and the configured regions by one pure function that the plan and the apply
//! both call, so that the apply does exactly what the plan showed:
//!
//! * a targeted region without a copy, or whose copy is failed or [`MISSING`], is sent (one
//!   warning per repaired region says why); under `["all"]` every copy counts as targeted,
//!   and the repair sends those regions explicitly. `"all"` itself is sent only when it is
//!   newly configured (then the copies' regions cannot be known before the apply);
//! * a pending copy is waited for when the last wait did not finish (`copies_ready` false);
//! * a copy whose status word the provider does not understand is warned about and left as
//!   it is: never sent again, never waited for, so it can never make an apply loop;
//! * [`NOT_REPORTED`] and [`MISSING`] entries of regions no longer targeted are dropped, so
//!   a region added back is sent again (ImageAlreadyExists confirms it cheaply).

use std::collections::{BTreeMap, BTreeSet};

use ehpc_alibaba::CopyStatus;

use crate::copies::{copy_type, is_provider_status, Copies, CopyModel, MISSING, NOT_REPORTED};
use crate::protocol::Diagnostic;
use crate::value::{Attr, AttributePath, DecodeError, FromValue, IntoValue, Type, Value};

use super::model::AppSyncModel;
use super::region_diff::{added, Added};
use ehpc_alibaba::actions::ALL_REGIONS;

/// The work of one update.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Regions SynchronizeApp receives (sorted): explicit ids, or `all` alone.
    pub send: BTreeSet<String>,
    /// Regions whose pending copies the apply waits for without sending them again.
    pub wait: BTreeSet<String>,
    /// The prior copies the plan keeps (provider-written entries of untargeted regions
    /// dropped).
    pub kept: Copies,
    /// One warning per targeted region whose copy is repaired or not understood.
    pub warnings: Vec<Diagnostic>,
}

/// A planned copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlannedCopy {
    /// Stays as it is.
    Kept(CopyModel),
    /// A pending copy the apply waits for: its image id stays, its status is known after
    /// apply (so a consumer of the image id is not replaced by the wait).
    Waited { image_id: String },
    /// A region the apply sends: known after apply.
    Unknown,
}

/// The planned copies by region.
pub type PlannedCopies = BTreeMap<String, PlannedCopy>;

impl FromValue for PlannedCopy {
    /// An unknown entry is [`PlannedCopy::Unknown`], one whose status alone is unknown
    /// [`PlannedCopy::Waited`].
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        if v.is_unknown() {
            return Ok(PlannedCopy::Unknown);
        }
        let copy = CopyModel::from_value(v, path)?;
        if v.attr("status").is_some_and(Value::is_unknown) {
            return Ok(PlannedCopy::Waited {
                image_id: copy.image_id,
            });
        }
        Ok(PlannedCopy::Kept(copy))
    }
}

impl IntoValue for PlannedCopy {
    fn value_type() -> Type {
        copy_type()
    }
    fn into_value(self) -> Value {
        match self {
            PlannedCopy::Kept(copy) => copy.into_value(),
            PlannedCopy::Waited { image_id } => Value::object(BTreeMap::from([
                ("image_id".to_string(), Value::string(image_id)),
                ("status".to_string(), Value::unknown(Type::String)),
            ])),
            PlannedCopy::Unknown => Value::unknown(copy_type()),
        }
    }
}

impl Work {
    /// Whether the apply calls or waits at all.
    pub fn acts(&self) -> bool {
        !self.send.is_empty() || !self.wait.is_empty()
    }

    /// The planned `copies`: the kept entries, with those the apply may change unknown;
    /// `None` (the whole map unknown) when `all` is sent, whose regions only the apply sees.
    pub fn planned_copies(&self) -> Option<PlannedCopies> {
        if self.send.contains(ALL_REGIONS) {
            return None;
        }
        let mut planned: PlannedCopies = self
            .kept
            .iter()
            .map(|(r, c)| (r.clone(), PlannedCopy::Kept(c.clone())))
            .collect();
        for region in &self.wait {
            let image_id = self
                .kept
                .get(region)
                .map(|c| c.image_id.clone())
                .unwrap_or_default();
            planned.insert(region.clone(), PlannedCopy::Waited { image_id });
        }
        for region in &self.send {
            planned.insert(region.clone(), PlannedCopy::Unknown);
        }
        Some(planned)
    }
}

/// Whether the configured `targets` target `region`: under `"all"` every region counts.
pub fn targets_region(targets: &BTreeSet<String>, region: &str) -> bool {
    targets.contains(ALL_REGIONS) || targets.contains(region)
}

/// The work of an update from `prior` (refreshed state) to the configured `targets` (null:
/// none), `waits` being the configured `wait_for_copies`.
pub fn work(prior: &AppSyncModel, targets: &BTreeSet<String>, waits: bool) -> Work {
    let copies = prior.copies.known().cloned().unwrap_or_default();
    let every = targets.contains(ALL_REGIONS);
    let kept: Copies = copies
        .iter()
        .filter(|(r, c)| targets_region(targets, r) || !is_provider_status(c))
        .map(|(r, c)| (r.clone(), c.clone()))
        .collect();
    let resumes = prior.copies_ready == Attr::Known(false) && waits;
    let mut work = Work {
        kept,
        ..Work::default()
    };
    let configured = Attr::Known(targets.clone());
    let all_is_new = matches!(
        added(&prior.target_region_ids, &configured),
        Added::Regions(new) if new.contains(ALL_REGIONS)
    );
    if all_is_new {
        work.send.insert(ALL_REGIONS.to_string());
    }
    let mut regions: BTreeSet<&String> = targets.iter().filter(|r| *r != ALL_REGIONS).collect();
    if every {
        regions.extend(copies.keys());
    }
    let app = describe(prior);
    for region in regions {
        let Some(copy) = copies.get(region) else {
            if !all_is_new {
                work.send.insert(region.clone());
            }
            continue;
        };
        match copy.class() {
            CopyStatus::Ready => {}
            CopyStatus::Pending => {
                if resumes {
                    work.wait.insert(region.clone());
                }
            }
            CopyStatus::Failed => {
                work.warnings
                    .push(repair(&app, region, &failed_words(copy)));
                work.send.insert(region.clone());
            }
            CopyStatus::Unknown(_) if copy.status == MISSING => {
                let why = "is missing: GetImage listed it before and no longer does (deleted \
                           outside Terraform?)";
                work.warnings.push(repair(&app, region, why));
                work.send.insert(region.clone());
            }
            CopyStatus::Unknown(_) if copy.status == NOT_REPORTED => {}
            CopyStatus::Unknown(word) => work.warnings.push(not_understood(&app, region, &word)),
        }
    }
    if all_is_new {
        // `all` covers the repairs too: one call, which skips regions holding live copies.
        work.send.retain(|r| r == ALL_REGIONS);
    }
    work
}

fn failed_words(copy: &CopyModel) -> String {
    format!(
        "reports status {:?}, which means the copy failed",
        copy.status
    )
}

fn describe(prior: &AppSyncModel) -> String {
    match prior.app_id.known() {
        Some(id) => format!("application {id:?}"),
        None => "the application".to_string(),
    }
}

fn at_copy(region: &str, d: Diagnostic) -> Diagnostic {
    d.at(AttributePath::attribute("copies").key(region))
}

fn repair(app: &str, region: &str, why: &str) -> Diagnostic {
    at_copy(
        region,
        Diagnostic::warning(
            format!("Copy in {region} will be synchronized again"),
            format!(
                "The copy of {app} in {region:?} {why}. The apply sends {region:?} to \
                 SynchronizeApp again, then waits for the new copy as `wait_for_copies` says; \
                 `copies[{region:?}]` is known after apply, every other copy keeps its value."
            ),
        ),
    )
}

fn not_understood(app: &str, region: &str, word: &str) -> Diagnostic {
    at_copy(
        region,
        Diagnostic::warning(
            "Copy status not understood",
            format!(
                "The copy of {app} in {region:?} reports status {word:?}, which this provider \
                 does not know. The apply neither synchronizes {region:?} again nor waits for \
                 it; check the copy in the E-HPC Instant console. A copy that disappears shows \
                 as {MISSING:?} after the next refresh and is then synchronized again."
            ),
        ),
    )
}

#[cfg(test)]
mod tests;
