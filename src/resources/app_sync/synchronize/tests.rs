// SPDX-License-Identifier: MPL-2.0
//! Tests of the SynchronizeApp logic of an apply, against a closure-field fake API.

use std::sync::Mutex;

use super::*;
use crate::protocol::Diagnostics;
use ehpc_alibaba::SynchronizeAppResponse;

/// A job's outcome as converge reports it: the recorded RequestId on success, and the
/// diagnostics.
async fn run<A: SyncApi + ?Sized>(
    api: &A,
    job: &SyncJob,
    targets: &[String],
    fallback_request_id: &str,
) -> (Option<String>, Diagnostics) {
    let mut diags = Diagnostics::default();
    match synchronize(api, job, targets).await {
        Ok(outcome) => {
            if let Some(w) = outcome.warning(&job.app_id) {
                diags.push(w);
            }
            (
                Some(outcome.recorded_request_id(fallback_request_id)),
                diags,
            )
        }
        Err(failure) => {
            diags.push(failure_diagnostic(&failure, job));
            (None, diags)
        }
    }
}

const IMAGE_ALREADY_EXISTS: &str = ErrorCode::ImageAlreadyExists.as_str();

type Answer = Box<dyn Fn(&[String]) -> Result<SynchronizeAppResponse, Error> + Send + Sync>;

/// Records the target regions of every call and answers with `answer`.
struct FakeApi {
    calls: Mutex<Vec<Vec<String>>>,
    deadlines: Mutex<Vec<Option<Instant>>>,
    answer: Answer,
}

impl FakeApi {
    fn new(
        answer: impl Fn(&[String]) -> Result<SynchronizeAppResponse, Error> + Send + Sync + 'static,
    ) -> Self {
        Self {
            calls: Mutex::new(Vec::new()),
            deadlines: Mutex::new(Vec::new()),
            answer: Box::new(answer),
        }
    }
    fn calls(&self) -> Vec<Vec<String>> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl SyncApi for FakeApi {
    async fn synchronize_app(
        &self,
        region: &str,
        action: &SynchronizeApp,
        opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error> {
        assert_eq!((region, action.app_id.as_str()), ("cn-hangzhou", "app-1"));
        if let Ok(mut deadlines) = self.deadlines.lock() {
            deadlines.push(opts.deadline);
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(action.target_region_ids.clone());
        }
        (self.answer)(&action.target_region_ids)
    }
}

fn api_error(code: &str, status: u16, request_id: &str) -> Error {
    Error::from(ApiError {
        status,
        code: code.to_string(),
        message: format!("{code} message"),
        request_id: request_id.to_string(),
        host_id: String::new(),
        recommend: String::new(),
        access_denied_detail: String::new(),
        retry_after: None,
        action: String::new(),
        credential: None,
    })
}

fn answered(request_id: &str) -> SynchronizeAppResponse {
    SynchronizeAppResponse {
        request_id: request_id.to_string(),
    }
}

fn job() -> SyncJob {
    SyncJob {
        region: "cn-hangzhou".into(),
        app_id: "app-1".into(),
        timeout_kind: TimeoutKind::Update,
        timeout: Duration::from_secs(600),
        deadline: tokio::time::Instant::now() + Duration::from_secs(600),
        cancel: CancellationToken::new(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn one_call_with_all_targets() {
    let api = FakeApi::new(|_| Ok(answered("RID-1")));
    let (rid, diags) = run(&api, &job(), &strings(&["cn-a", "cn-b"]), "prior").await;
    assert_eq!(rid.as_deref(), Some("RID-1"));
    assert_eq!(diags, Diagnostics::default());
    assert_eq!(api.calls(), vec![strings(&["cn-a", "cn-b"])]);
}

#[tokio::test]
async fn already_exists_for_several_regions_retries_one_by_one() {
    // cn-b already holds the app; the combined call fails as a whole.
    let api = FakeApi::new(|targets| match targets {
        [one] if one == "cn-b" => Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-EXISTS-B")),
        [one] => Ok(answered(&format!("RID-{one}"))),
        _ => Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-EXISTS")),
    });
    let outcome = synchronize(&api, &job(), &strings(&["cn-a", "cn-b", "cn-c"])).await;
    assert_eq!(
        api.calls(),
        vec![
            strings(&["cn-a", "cn-b", "cn-c"]),
            strings(&["cn-a"]),
            strings(&["cn-b"]),
            strings(&["cn-c"])
        ]
    );
    let outcome = outcome.map_err(|f| f.error.to_string());
    assert_eq!(
        outcome.clone(),
        Ok(SyncOutcome {
            last_request_id: "RID-cn-c".into(),
            saw_already_exists: true,
            already_present: strings(&["cn-b"]),
        })
    );
    let outcome = outcome.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.recorded_request_id("prior"), "RID-cn-c");
    let warning = outcome.warning("app-1").map(|w| (w.severity, w.detail));
    assert!(
        matches!(&warning, Some((crate::protocol::Severity::Warning, d)) if d.contains("\"cn-b\"")),
        "{warning:?}"
    );
}

#[tokio::test]
async fn request_id_is_the_last_call_made_even_when_it_answered_already_exists() {
    // cn-c, the last region asked, already holds the app: its answer's RequestId is recorded.
    let api = FakeApi::new(|targets| match targets {
        [one] if one == "cn-c" => Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-EXISTS-C")),
        [one] => Ok(answered(&format!("RID-{one}"))),
        _ => Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-EXISTS")),
    });
    let (rid, diags) = run(&api, &job(), &strings(&["cn-a", "cn-c"]), "prior").await;
    assert_eq!(rid.as_deref(), Some("RID-EXISTS-C"));
    assert!(!diags.has_errors());
}

#[tokio::test]
async fn every_region_already_there() {
    let api = FakeApi::new(|targets| {
        Err(api_error(
            IMAGE_ALREADY_EXISTS,
            400,
            &format!("RID-EXISTS-{}", targets.len()),
        ))
    });
    let (rid, diags) = run(&api, &job(), &strings(&["cn-a", "cn-b"]), "prior").await;
    assert_eq!(api.calls().len(), 3);
    assert_eq!(
        rid.as_deref(),
        Some("RID-EXISTS-1"),
        "the last answer's RequestId"
    );
    assert_eq!(diags.iter().count(), 1);
    assert!(diags
        .iter()
        .all(|d| d.detail.contains("\"cn-a\" and \"cn-b\"")));
    assert!(!diags.has_errors());
}

#[tokio::test]
async fn single_region_already_there_is_a_warning_not_a_retry() {
    let api = FakeApi::new(|_| Err(api_error(IMAGE_ALREADY_EXISTS, 400, "")));
    let (rid, diags) = run(&api, &job(), &strings(&["cn-a"]), "prior").await;
    assert_eq!(api.calls().len(), 1);
    assert_eq!(
        rid.as_deref(),
        Some("prior"),
        "no RequestId in the answer: keep the fallback"
    );
    assert!(!diags.has_errors());
    assert_eq!(diags.iter().count(), 1);
}

#[tokio::test]
async fn a_failure_during_the_fallback_names_the_regions_done() {
    let api = FakeApi::new(|targets| match targets {
        [one] if one == "cn-a" => Ok(answered("RID-a")),
        [_] => Err(api_error("InvalidParams", 403, "RID-BAD")),
        _ => Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-EXISTS")),
    });
    let (j, targets) = (job(), strings(&["cn-a", "cn-b"]));
    let failure = synchronize(&api, &j, &targets).await.err();
    assert_eq!(
        failure.as_ref().map(|f| f.synchronized.clone()),
        Some(strings(&["cn-a"]))
    );
    let api2 = FakeApi::new(|_| Err(api_error("ImageNotFound", 404, "RID-NF")));
    let (rid, diags) = run(&api2, &j, &targets, "prior").await;
    assert_eq!(rid, None);
    assert!(diags.has_errors());
}

#[test]
fn error_diagnostics_are_attributed() {
    let j = job();
    let cases = [
        (
            "not found",
            api_error("ImageNotFound", 404, "RID"),
            "SynchronizeApp failed: ImageNotFound",
            Some("app_id"),
        ),
        (
            "invalid params",
            api_error("InvalidParams", 403, "RID"),
            "SynchronizeApp failed: InvalidParams",
            Some("target_region_ids"),
        ),
        (
            "throttled",
            api_error("Throttling.User", 400, "RID"),
            "SynchronizeApp failed: Throttling.User",
            None,
        ),
        (
            "no code",
            api_error("", 502, ""),
            "SynchronizeApp failed: HTTP 502",
            None,
        ),
        (
            "cancelled",
            Error::Cancelled {
                during: "waiting".into(),
            },
            "SynchronizeApp cancelled",
            None,
        ),
        (
            "transport",
            Error::Transport {
                endpoint: "https://x".into(),
                message: "refused".into(),
            },
            "SynchronizeApp failed",
            None,
        ),
    ];
    for (name, err, summary, path) in cases {
        let d = error_diagnostic(&err, &j);
        assert_eq!(d.summary, summary, "{name}");
        assert_eq!(
            d.attribute.map(|p| p.to_string()),
            path.map(str::to_string),
            "{name}"
        );
    }
}

#[test]
fn deadline_diagnostic_names_the_timeout() {
    let err = Error::DeadlineExceeded {
        attempts: 3,
        last: Box::new(Error::Transport {
            endpoint: "https://x".into(),
            message: "timed out".into(),
        }),
    };
    let d = error_diagnostic(&err, &job());
    assert_eq!(d.summary, "SynchronizeApp timed out");
    assert!(
        d.detail.contains("update timeout (10m)")
            && d.detail.contains("timeouts { update = \"30m\" }"),
        "{}",
        d.detail
    );
}

#[tokio::test(start_paused = true)]
async fn every_call_shares_the_apply_deadline() {
    let api = FakeApi::new(|targets: &[String]| {
        if targets.len() > 1 {
            Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-E"))
        } else {
            Ok(answered("RID-1"))
        }
    });
    let job = job();
    // Time passes between the start of the apply and its call: no fresh deadline.
    tokio::time::advance(Duration::from_secs(30)).await;
    let targets = strings(&["cn-a", "cn-b"]);
    synchronize(&api, &job, &targets)
        .await
        .expect("synchronized");
    let deadlines = api.deadlines.lock().map(|d| d.clone()).unwrap_or_default();
    assert_eq!(deadlines, vec![Some(job.deadline); 3]);
}

#[tokio::test]
async fn all_already_there_says_every_region() {
    let api = FakeApi::new(|_| Err(api_error(IMAGE_ALREADY_EXISTS, 400, "RID-ALL")));
    let outcome = synchronize(&api, &job(), &strings(&["all"]))
        .await
        .map_err(|f| f.error.to_string());
    let warning = outcome.map(|o| o.warning("app-1").map(|w| w.detail));
    assert!(
        matches!(&warning, Ok(Some(d)) if d.contains("present in every region \"all\" copies to")),
        "{warning:?}"
    );
}

#[test]
fn image_not_found_for_an_image_id_says_app_id_takes_the_app_id() {
    let not_found = api_error("ImageNotFound", 404, "RID-NF");
    let swapped = SyncJob {
        app_id: "m-bp1akkkr1rkxtb".into(),
        ..job()
    };
    let d = error_diagnostic(&not_found, &swapped);
    assert!(
        d.detail
            .contains("\"m-bp1akkkr1rkxtb\" looks like an ImageId (m-…): app_id takes"),
        "{}",
        d.detail
    );
    // An id of the AppId's shape gets no such hint.
    let d = error_diagnostic(&not_found, &job());
    assert!(!d.detail.contains("looks like an ImageId"), "{}", d.detail);
}
