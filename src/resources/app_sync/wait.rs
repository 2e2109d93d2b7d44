// SPDX-License-Identifier: MPL-2.0
//! Waiting until copies are ready: the first GetImage right after the SynchronizeApp call,
//! then at growing intervals up to a cap, within the apply's deadline, cancelled by
//! StopProvider. Each region ends one way (see the module's rules below); none waits forever:
//!
//! * ready: done; pending: wait on; failed: the apply fails, naming region and status;
//! * a status word nobody documented: stop waiting for that region, with a warning quoting it;
//! * not listed: SynchronizeApp said it already held the app → recorded as not reported at
//!   once; otherwise pending for [`GRACE`], then recorded as not reported with a warning.

use std::collections::BTreeSet;
use std::time::Duration;

use ehpc_alibaba::actions::ALL_REGIONS;
use ehpc_alibaba::{CallOptions, CopyStatus, Error};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::protocol::{quoted_list, Diagnostic, Diagnostics};
use crate::value::AttributePath;

use super::timeouts::TimeoutKind;
use crate::copies::{copies_of, keep_not_reported, Copies, CopyModel, NOT_REPORTED};
use crate::provider::cloud::{by_id, error_text, ImagesApi};

/// The pause before the second look; each later pause is 5/4 of the one before.
pub const FIRST_PAUSE: Duration = Duration::from_millis(250);
/// The longest pause between two looks.
pub const MAX_PAUSE: Duration = Duration::from_secs(5);
/// How long a region SynchronizeApp accepted may be missing from GetImage before the wait
/// stops counting it as pending.
pub const GRACE: Duration = Duration::from_secs(30);

/// What to wait for.
#[derive(Clone, Debug)]
pub struct WaitJob {
    /// The region whose endpoint answers.
    pub region: String,
    pub app_id: String,
    pub image_id: String,
    /// The `ImageType` ListImages listed (see [`by_id`]).
    pub image_type: Option<String>,
    /// The regions to wait for; `all` means every copy GetImage lists.
    pub regions: BTreeSet<String>,
    /// Regions SynchronizeApp answered ImageAlreadyExists for.
    pub already_present: BTreeSet<String>,
    /// The copies known before (regions recorded as not reported stay so).
    pub known: Copies,
    /// The `timeouts` attribute that bounds the wait (named when it passes).
    pub timeout_kind: TimeoutKind,
    pub deadline: Instant,
    pub cancel: CancellationToken,
}

/// How a wait ended: the copies as last seen, whether every region was settled, and the
/// warnings (unknown statuses, regions not reported) or the error (failed copy, timeout,
/// interruption, a read that failed).
#[derive(Clone, Debug, Default)]
pub struct Waited {
    pub copies: Copies,
    pub settled: bool,
    pub diagnostics: Diagnostics,
}

fn at_targets(d: Diagnostic) -> Diagnostic {
    d.at(AttributePath::attribute("target_region_ids"))
}

/// Waits for `job`'s copies (see the module doc).
pub async fn wait_for_copies<A: ImagesApi + ?Sized>(api: &A, job: &WaitJob) -> Waited {
    let started = Instant::now();
    let opts = CallOptions {
        deadline: Some(job.deadline),
        cancel: job.cancel.clone(),
    };
    let mut waited = Waited {
        copies: job.known.clone(),
        ..Waited::default()
    };
    let mut open: BTreeSet<String> = job.regions.clone();
    let every = open.remove(ALL_REGIONS);
    let mut pause = FIRST_PAUSE;
    loop {
        let image = match api
            .get_image(
                &job.region,
                &by_id(&job.image_id, job.image_type.as_deref()),
                &opts,
            )
            .await
        {
            Ok(image) => image,
            Err(err) => {
                waited.diagnostics.push(read_failed(&err, job, &open));
                return waited;
            }
        };
        waited.copies = keep_not_reported(copies_of(&image), &waited.copies);
        if every {
            let pending = waited
                .copies
                .iter()
                .filter(|(_, c)| c.class() == CopyStatus::Pending);
            open.extend(pending.map(|(r, _)| r.clone()));
        }
        for region in open.clone() {
            let copy = waited.copies.get(&region).cloned();
            let settled = match copy.as_ref().map(CopyModel::class) {
                Some(CopyStatus::Ready) => true,
                Some(CopyStatus::Pending) => false,
                Some(CopyStatus::Failed) => {
                    let status = copy.map(|c| c.status).unwrap_or_default();
                    waited.diagnostics.push(at_targets(Diagnostic::error(
                        "Copy failed",
                        format!(
                            "The copy of application {:?} to {region:?} reports status \
                             {status:?}: the copy failed. {}",
                            job.app_id,
                            next_apply_after_failure(job.timeout_kind, &region)
                        ),
                    )));
                    return waited;
                }
                Some(CopyStatus::Unknown(word)) => {
                    if word != NOT_REPORTED {
                        waited.diagnostics.push(at_targets(Diagnostic::warning(
                            "Copy status not understood",
                            format!(
                                "The copy of application {:?} to {region:?} reports status \
                                 {word:?}, which this provider does not know; it stopped \
                                 waiting for that region. Check the copy in the E-HPC Instant \
                                 console.",
                                job.app_id
                            ),
                        )));
                    }
                    true
                }
                None if job.already_present.contains(&region) || started.elapsed() >= GRACE => {
                    if !job.already_present.contains(&region) {
                        waited.diagnostics.push(at_targets(Diagnostic::warning(
                            "Copy not reported",
                            format!(
                                "GetImage does not list a copy of application {:?} in \
                                 {region:?} {} after it was synchronized; the provider stopped \
                                 waiting for it and records it as not reported.",
                                job.app_id,
                                super::timeouts::format_duration(GRACE)
                            ),
                        )));
                    }
                    waited
                        .copies
                        .insert(region.clone(), CopyModel::not_reported());
                    true
                }
                None => false,
            };
            if settled {
                open.remove(&region);
            }
        }
        if open.is_empty() {
            waited.settled = true;
            return waited;
        }
        tracing::info!(app_id = %job.app_id, waiting_for = ?open, "waiting for copies to be ready");
        if Instant::now() + pause > job.deadline {
            waited
                .diagnostics
                .push(timed_out(job, &open, &waited.copies));
            return waited;
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = job.cancel.cancelled() => {
                waited.diagnostics.push(interrupted(job, &open));
                return waited;
            }
        }
        pause = (pause * 5 / 4).min(MAX_PAUSE);
    }
}

fn still(open: &BTreeSet<String>) -> String {
    let regions: Vec<String> = open.iter().cloned().collect();
    quoted_list(&regions)
}

fn resume_hint() -> &'static str {
    "The state records the copies as last seen; the next apply resumes waiting without \
     synchronizing these regions again."
}

fn timed_out(job: &WaitJob, open: &BTreeSet<String>, copies: &Copies) -> Diagnostic {
    let statuses: Vec<String> = open
        .iter()
        .map(|r| match copies.get(r) {
            Some(c) => format!("{r}: {}", c.status),
            None => format!("{r}: not listed yet"),
        })
        .collect();
    Diagnostic::error(
        "Copies not ready in time",
        format!(
            "The copies of application {:?} were not all ready when the {} timeout passed \
             ({}). {} Raise the timeout if copies take longer, e.g. {}.",
            job.app_id,
            job.timeout_kind.name(),
            statuses.join(", "),
            resume_hint(),
            job.timeout_kind.raise_hint()
        ),
    )
}

fn interrupted(job: &WaitJob, open: &BTreeSet<String>) -> Diagnostic {
    Diagnostic::error(
        "Waiting for copies interrupted",
        format!(
            "Terraform asked the provider to stop while it waited for the copies of application \
             {:?} in {}. {}",
            job.app_id,
            still(open),
            resume_hint()
        ),
    )
}

/// What the next plan and apply do about a copy that failed in `region` during an apply of
/// `kind`: a failed create leaves Terraform's object tainted, a failed update does not.
fn next_apply_after_failure(kind: TimeoutKind, region: &str) -> String {
    match kind {
        TimeoutKind::Create => format!(
            "Terraform marks the new object tainted: the next plan replaces it, and that apply \
             sends only the regions without a live copy, {region:?} among them."
        ),
        TimeoutKind::Update | TimeoutKind::Delete => {
            format!("The next plan warns about it, and its apply synchronizes {region:?} again.")
        }
    }
}

fn read_failed(err: &Error, job: &WaitJob, open: &BTreeSet<String>) -> Diagnostic {
    let summary = match err {
        Error::Cancelled { .. } => "Waiting for copies interrupted",
        Error::DeadlineExceeded { .. } => "Copies not ready in time",
        _ => "Reading the copies failed",
    };
    let what = error_text(err);
    Diagnostic::error(
        summary,
        format!(
            "GetImage for application {:?} (image {}), waiting for {}: {what}. {}",
            job.app_id,
            job.image_id,
            still(open),
            resume_hint()
        ),
    )
}

#[cfg(test)]
mod tests;
