// SPDX-License-Identifier: MPL-2.0
//! The SynchronizeApp calls of an apply, over the [`SyncApi`] seam so the logic is tested
//! against a fake: one call for the given regions; when it answers ImageAlreadyExists for
//! several regions, one call per region so that none is skipped silently. Its failures read
//! through the provider's one mapping ([`failed`]), with what to do about the `timeouts`
//! that bound them and the attribute an error code points at.

use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::protocol::{quoted_list, Diagnostic};
use crate::provider::cloud::{failed, Call, SyncApi};
use crate::provider::validate::image_id_hint;
use crate::value::AttributePath;
use ehpc_alibaba::actions::ALL_REGIONS;
use ehpc_alibaba::{Action, ApiError, CallOptions, Error, ErrorCode, SynchronizeApp};

use super::timeouts::TimeoutKind;

/// One synchronization an apply asks for.
#[derive(Clone, Debug)]
pub struct SyncJob {
    /// The region whose endpoint receives the call.
    pub region: String,
    pub app_id: String,
    /// Which `timeouts` attribute bounds the job.
    pub timeout_kind: TimeoutKind,
    pub timeout: Duration,
    /// When the apply ends: `timeout` after it started. The calls and the wait share it.
    pub deadline: Instant,
    pub cancel: CancellationToken,
}

impl SyncJob {
    /// `action` made by this apply: bounded by its timeout, and naming it when that passes.
    pub fn call<'a>(&self, action: &'a str) -> Call<'a> {
        self.timeout_kind.call(action, self.timeout)
    }
}

/// A successful synchronization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOutcome {
    /// RequestId of the last call made, whether it succeeded or answered ImageAlreadyExists
    /// (issue: "request_id records the last call made").
    pub last_request_id: String,
    /// Whether any call answered ImageAlreadyExists.
    pub saw_already_exists: bool,
    /// Regions that already held the application (sorted).
    pub already_present: Vec<String>,
}

impl SyncOutcome {
    /// The RequestId the state records: the last call's; when that answer carried none,
    /// `fallback` (the prior value on update, "" on create).
    pub fn recorded_request_id(&self, fallback: &str) -> String {
        if self.last_request_id.is_empty() {
            fallback.to_string()
        } else {
            self.last_request_id.clone()
        }
    }

    /// The warning naming the regions that already held the application, if any.
    pub fn warning(&self, app_id: &str) -> Option<Diagnostic> {
        if !self.saw_already_exists {
            return None;
        }
        let regions = match self.already_present.as_slice() {
            [] => "the target regions".to_string(),
            [all] if all == ALL_REGIONS => format!("every region {all:?} copies to"),
            present => quoted_list(present),
        };
        Some(Diagnostic::warning(
            "Application already synchronized",
            format!(
                "Application {app_id:?} was already present in {regions} (ImageAlreadyExists): \
                copied before, or by an earlier attempt of this apply whose answer was lost. \
                Nothing more was copied there; the apply counts these regions as synchronized."
            ),
        ))
    }
}

/// A failed synchronization: the error, and the regions that were synchronized before it.
#[derive(Clone, Debug)]
pub struct SyncFailure {
    pub error: Error,
    pub synchronized: Vec<String>,
}

fn already_exists(err: &Error) -> Option<&ApiError> {
    // Only a direct answer counts; a deadline that passed after such an answer is a failure.
    match err {
        Error::Api(api) if api.is(ErrorCode::ImageAlreadyExists) => Some(api),
        _ => None,
    }
}

/// Runs `job` for `targets` (sorted; empty means `TargetRegionIds` is omitted): one call for
/// all targets, then one call per target if that call answered ImageAlreadyExists while
/// covering several regions.
///
/// # Errors
/// The first error that is not ImageAlreadyExists, with the regions done before it.
pub async fn synchronize<A: SyncApi + ?Sized>(
    api: &A,
    job: &SyncJob,
    targets: &[String],
) -> Result<SyncOutcome, SyncFailure> {
    let opts = CallOptions {
        deadline: Some(job.deadline),
        cancel: job.cancel.clone(),
    };
    let call = |targets: Vec<String>| {
        let action = SynchronizeApp {
            app_id: job.app_id.clone(),
            target_region_ids: targets,
        };
        let opts = opts.clone();
        async move { api.synchronize_app(&job.region, &action, &opts).await }
    };
    let first = match call(targets.to_vec()).await {
        Ok(resp) => {
            return Ok(SyncOutcome {
                last_request_id: resp.request_id,
                saw_already_exists: false,
                already_present: vec![],
            })
        }
        Err(err) => err,
    };
    let Some(api_error) = already_exists(&first) else {
        return Err(SyncFailure {
            error: first,
            synchronized: vec![],
        });
    };
    if targets.len() <= 1 {
        return Ok(SyncOutcome {
            last_request_id: api_error.request_id.clone(),
            saw_already_exists: true,
            already_present: targets.to_vec(),
        });
    }
    // Which of the regions already held the app is not said: ask region by region.
    let mut outcome = SyncOutcome {
        last_request_id: String::new(),
        saw_already_exists: true,
        already_present: vec![],
    };
    let mut synchronized = Vec::new();
    for target in targets {
        match call(vec![target.clone()]).await {
            Ok(resp) => {
                outcome.last_request_id = resp.request_id;
                synchronized.push(target.clone());
            }
            Err(err) => match already_exists(&err) {
                Some(api) => {
                    outcome.last_request_id = api.request_id.clone();
                    outcome.already_present.push(target.clone());
                }
                None => {
                    return Err(SyncFailure {
                        error: err,
                        synchronized,
                    })
                }
            },
        }
    }
    Ok(outcome)
}

/// The diagnostic of a failed job.
pub fn failure_diagnostic(failure: &SyncFailure, job: &SyncJob) -> Diagnostic {
    let mut d = error_diagnostic(&failure.error, job);
    if !failure.synchronized.is_empty() {
        d.detail.push_str(&format!(
            "\n\n{} {} synchronized before the failure; the next apply retries every region and \
             counts those as already present.",
            quoted_list(&failure.synchronized),
            if failure.synchronized.len() == 1 {
                "was"
            } else {
                "were"
            }
        ));
    }
    d
}

/// A client error of `job` as a diagnostic (see [`failed`]): summary "SynchronizeApp failed:
/// <Code>", attributed to `app_id` for ImageNotFound and to `target_region_ids` for
/// InvalidParams; a cancellation, the deadline or a pause past it say what the next apply
/// does and which timeout to raise.
pub fn error_diagnostic(err: &Error, job: &SyncJob) -> Diagnostic {
    let call = Call {
        cancelled: Some(
            "The call may or may not have reached E-HPC Instant; the next apply synchronizes \
             the same regions again."
                .to_string(),
        ),
        ..job.call(SynchronizeApp::ACTION)
    };
    let mut d = failed(&call, err);
    match err {
        Error::Api(api) if api.is(ErrorCode::ImageNotFound) => {
            d.detail.push_str(&image_id_hint(&job.app_id));
            d.at(AttributePath::attribute("app_id"))
        }
        Error::Api(api) if api.is(ErrorCode::InvalidParams) => {
            d.at(AttributePath::attribute("target_region_ids"))
        }
        _ => d,
    }
}

#[cfg(test)]
mod tests;
