// SPDX-License-Identifier: MPL-2.0
//! What an apply does, as one function over the API traits: read the copies first, send only
//! the regions that hold no copy, or a failed one (a copy whose status word is not understood
//! is not sent again: ImageAlreadyExists stays rare, and resuming a wait sends nothing), then
//! wait for the copies (or read them once when `wait_for_copies` is false). One deadline, the
//! `timeouts` value, bounds the whole of it.

use std::collections::BTreeSet;

use ehpc_alibaba::{CallOptions, CopyStatus, Error};

use crate::copies::{copies_of, holds_copy, keep_not_reported, Copies, CopyModel};
use crate::protocol::{Diagnostic, Diagnostics};
use crate::value::AttributePath;

use super::reads::{failed_reading, read_recorded};
use super::synchronize::{self, SyncJob};
use super::wait::{wait_for_copies, WaitJob};
use crate::provider::cloud::{ImagesApi, SyncApi};
use ehpc_alibaba::actions::ALL_REGIONS;

/// What the state knew before this apply.
#[derive(Clone, Debug, Default)]
pub struct Known {
    pub request_id: String,
    /// Empty when not known yet.
    pub image_id: String,
    /// The application's ImageType as the object's private data recorded it (a VM application
    /// records none); with a known image id, the apply reads the copies without a ListImages
    /// pass either way (see `reads::read_recorded`).
    pub image_type: Option<String>,
    pub copies: Copies,
}

/// What an apply leaves in state. `copies_ready` is false when the wait did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converged {
    /// The ImageType the reads used (listed or recorded), for the private data.
    pub image_type: Option<String>,
    pub request_id: String,
    pub image_id: String,
    pub copies: Copies,
    pub copies_ready: bool,
}

/// The outcome: `None` when nothing changed in the cloud and the state must stay as it was;
/// otherwise what to record, even beside an error (the call was made: a timed-out wait must
/// lose nothing).
pub type Outcome = (Option<Converged>, Diagnostics);

/// What an apply was planned to do.
#[derive(Clone, Debug, Default)]
pub struct Intent {
    /// Regions to send (explicit ids, or `all`); those the first read shows holding a live
    /// copy are not sent again (a tainted create resumes its wait without a call).
    pub send: BTreeSet<String>,
    /// Call SynchronizeApp without `TargetRegionIds` (a create that configures no regions).
    pub omit_targets: bool,
    /// Regions whose pending copies the apply waits for without sending them.
    pub wait_also: BTreeSet<String>,
    /// `wait_for_copies`: wait for the copies, or read them once.
    pub waits: bool,
}

impl Intent {
    /// Sends `send` and, when `waits`, waits for those regions.
    pub fn sending(send: BTreeSet<String>, waits: bool) -> Self {
        Intent {
            send,
            waits,
            ..Intent::default()
        }
    }
}

/// Runs an apply of `intent` with `job`'s endpoint, app, deadline and cancellation.
pub async fn converge<A: SyncApi + ImagesApi + ?Sized>(
    api: &A,
    job: &SyncJob,
    intent: &Intent,
    known: &Known,
) -> Outcome {
    let deadline = job.deadline;
    let opts = CallOptions {
        deadline: Some(deadline),
        cancel: job.cancel.clone(),
    };
    let mut diags = Diagnostics::default();
    let mut image_id = known.image_id.clone();
    let mut image_type = known.image_type.clone();
    // The listing tells the image id of a new object and the ImageType GetImage needs; an
    // object whose state records its image id reads its copies without it.
    if image_id.is_empty() {
        match api.find_app(&job.region, &job.app_id, &opts).await {
            Ok(found) => {
                if let Some(found) = found {
                    image_type = Some(found.image_type);
                    image_id = found.image_id;
                }
            }
            Err(err) => return (None, apply_read_failed(&err, "ListImages", job).into()),
        }
    }
    let before = if image_id.is_empty() {
        Copies::new()
    } else {
        let read = read_recorded(
            api,
            &job.region,
            &job.app_id,
            &image_id,
            image_type.as_deref(),
            &opts,
        );
        match read.await {
            Ok((image, read_type)) => {
                image_type = Some(read_type);
                keep_not_reported(copies_of(&image), &known.copies)
            }
            Err(failure) => {
                return (
                    None,
                    apply_read_failed(&failure.error, failure.action, job).into(),
                )
            }
        }
    };
    let to_send: Vec<String> = intent
        .send
        .iter()
        .filter(|r| r.as_str() == ALL_REGIONS || !holds_copy(&before, r))
        .cloned()
        .collect();
    let mut request_id = known.request_id.clone();
    let mut confirmed: BTreeSet<String> = BTreeSet::new();
    let mut already_present = BTreeSet::new();
    if intent.omit_targets || !to_send.is_empty() {
        match synchronize::synchronize(api, job, &to_send).await {
            Ok(outcome) => {
                if let Some(w) = outcome.warning(&job.app_id) {
                    diags.push(w);
                }
                request_id = outcome.recorded_request_id(&request_id);
                already_present.extend(outcome.already_present);
                confirmed.extend(to_send.into_iter().filter(|r| r != ALL_REGIONS));
            }
            Err(failure) => {
                diags.push(synchronize::failure_diagnostic(&failure, job));
                return (None, diags);
            }
        }
    }
    if image_id.is_empty() {
        // A new app may be listed only now; find_app walks the pages once more on a miss.
        match api.find_app(&job.region, &job.app_id, &opts).await {
            Ok(Some(found)) => {
                image_id = found.image_id;
                image_type = Some(found.image_type);
            }
            Ok(None) => {
                diags.push(not_listed(job));
                let done = Converged {
                    image_type,
                    request_id,
                    image_id,
                    copies: not_reported(Copies::new(), &confirmed),
                    copies_ready: true,
                };
                return (Some(done), diags);
            }
            Err(err) => {
                diags.push(apply_read_failed(&err, "ListImages", job));
                let done = Converged {
                    image_type,
                    request_id,
                    image_id,
                    copies: not_reported(before, &confirmed),
                    copies_ready: false,
                };
                return (Some(done), diags);
            }
        }
    }
    let watched: BTreeSet<String> = intent.send.union(&intent.wait_also).cloned().collect();
    let wait_job = WaitJob {
        region: job.region.clone(),
        app_id: job.app_id.clone(),
        image_id: image_id.clone(),
        image_type: image_type.clone(),
        regions: if intent.waits {
            watched.clone()
        } else {
            BTreeSet::new()
        },
        already_present,
        known: before,
        timeout_kind: job.timeout_kind,
        deadline,
        cancel: job.cancel.clone(),
    };
    // Without waiting this is one read: the first look settles an empty set of regions.
    let waited = wait_for_copies(api, &wait_job).await;
    diags.extend(waited.diagnostics);
    let copies = not_reported(waited.copies, &confirmed);
    let copies_ready = if intent.waits {
        waited.settled
    } else {
        watched.iter().all(|r| {
            r.as_str() == ALL_REGIONS
                || copies
                    .get(r)
                    .is_some_and(|c| c.class() == CopyStatus::Ready)
        })
    };
    let done = Converged {
        image_type,
        request_id,
        image_id,
        copies,
        copies_ready,
    };
    (Some(done), diags)
}

/// A read of the apply `job` that failed: its words name the apply's timeout, which bounds it.
fn apply_read_failed(err: &Error, action: &str, job: &SyncJob) -> Diagnostic {
    failed_reading(err, job.call(action), &job.app_id, &job.region)
}

/// `copies` with every region SynchronizeApp accepted or confirmed that GetImage does not
/// list recorded as not reported, whatever `wait_for_copies` is: the region keeps its key,
/// so the next plan neither sends it again nor flips between "add" and "already exists".
fn not_reported(mut copies: Copies, confirmed: &BTreeSet<String>) -> Copies {
    for region in confirmed {
        copies
            .entry(region.clone())
            .or_insert_with(CopyModel::not_reported);
    }
    copies
}

fn not_listed(job: &SyncJob) -> Diagnostic {
    Diagnostic::warning(
        "Application not listed",
        format!(
            "ListImages does not list application {:?} in {}, so its copies cannot be read nor \
             waited for; `image_id` and `copies` stay empty. SynchronizeApp accepted it.",
            job.app_id, job.region
        ),
    )
    .at(AttributePath::attribute("app_id"))
}

#[cfg(test)]
mod tests;
