// SPDX-License-Identifier: MPL-2.0
//! An apply against the fake cloud on tokio's paused clock: read first, send only what is
//! missing, wait, and record what was seen even when the wait fails.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::*;
use crate::copies::NOT_REPORTED;
use crate::protocol::Severity;
use crate::resources::app_sync::tests::fake_cloud::{FakeCloud, APP, IMAGE};
use crate::resources::app_sync::timeouts::TimeoutKind;

fn job(timeout: Duration) -> SyncJob {
    SyncJob {
        region: "cn-hangzhou".into(),
        app_id: APP.into(),
        timeout_kind: TimeoutKind::Create,
        timeout,
        deadline: tokio::time::Instant::now() + timeout,
        cancel: CancellationToken::new(),
    }
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn statuses(c: &Converged) -> Vec<(String, String)> {
    c.copies
        .iter()
        .map(|(r, c)| (r.clone(), c.status.clone()))
        .collect()
}

fn severities(d: &Diagnostics) -> Vec<(Severity, String)> {
    d.iter().map(|d| (d.severity, d.summary.clone())).collect()
}

const TEN_MINUTES: Duration = Duration::from_secs(600);

/// An apply of `intent` over `known`, with ten minutes to go.
async fn apply(cloud: &FakeCloud, intent: &Intent, known: &Known) -> Outcome {
    converge(cloud, &job(TEN_MINUTES), intent, known).await
}

/// The intent that sends `regions` (and, when `waits`, waits for them).
fn sending(regions: &[&str], waits: bool) -> Intent {
    Intent::sending(set(regions), waits)
}

#[tokio::test(start_paused = true)]
async fn sends_only_regions_without_a_live_copy_then_waits_for_all() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Available"])
        .with_copy("cn-b", &["Creating", "Available"])
        .with_copy("cn-c", &["CreateFailed"]);
    let wanted = set(&["cn-a", "cn-b", "cn-c", "cn-d"]);
    let (done, diags) = apply(
        &cloud,
        &Intent::sending(wanted.clone(), true),
        &Known::default(),
    )
    .await;
    assert_eq!(severities(&diags), []);
    let done = done.expect("state to record");
    assert_eq!(
        cloud.state().sync_calls,
        [vec!["cn-c".to_string(), "cn-d".to_string()]]
    );
    assert_eq!(done.request_id, "RID-SYNC-1");
    assert_eq!(done.image_id, IMAGE);
    assert!(done.copies_ready);
    assert!(
        statuses(&done).iter().all(|(_, s)| s == "Available"),
        "{:?}",
        statuses(&done)
    );
}

#[tokio::test(start_paused = true)]
async fn every_region_already_live_makes_no_call_and_keeps_the_request_id() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    let known = Known {
        request_id: "RID-OLD".into(),
        image_id: IMAGE.into(),
        ..Known::default()
    };
    let (done, diags) = apply(&cloud, &sending(&["cn-a"], true), &known).await;
    assert_eq!(severities(&diags), []);
    assert_eq!(done.map(|d| d.request_id), Some("RID-OLD".to_string()));
    let state = cloud.state();
    assert!(state.sync_calls.is_empty());
    assert_eq!(
        (state.find_calls, state.get_calls),
        (0, 2),
        "the known image id is read with the default ImageType, without a listing"
    );
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_wait_records_the_call_and_the_copies_as_last_seen() {
    let cloud = FakeCloud::new();
    cloud.state().new_copy = vec!["Creating"];
    let (done, diags) = converge(
        &cloud,
        &job(Duration::from_secs(3)),
        &sending(&["cn-a"], true),
        &Known::default(),
    )
    .await;
    assert_eq!(
        severities(&diags),
        [(Severity::Error, "Copies not ready in time".to_string())]
    );
    let done = done.expect("the call was made: recorded");
    assert_eq!(done.request_id, "RID-SYNC-1");
    assert!(!done.copies_ready);
    assert_eq!(
        statuses(&done),
        [("cn-a".to_string(), "Creating".to_string())]
    );
}

#[tokio::test(start_paused = true)]
async fn without_waiting_the_copies_are_read_once() {
    let cloud = FakeCloud::new();
    let (done, diags) = apply(&cloud, &sending(&["cn-a"], false), &Known::default()).await;
    assert_eq!(severities(&diags), []);
    let done = done.expect("recorded");
    assert!(!done.copies_ready, "the copy is still being made");
    assert_eq!(
        statuses(&done),
        [("cn-a".to_string(), "Creating".to_string())]
    );
    let state = cloud.state();
    assert_eq!((state.sync_calls.len(), state.get_calls), (1, 2));
}

#[tokio::test(start_paused = true)]
async fn an_app_listimages_does_not_list_is_synchronized_with_a_warning_and_settles() {
    let cloud = FakeCloud::new();
    cloud.state().listed = false;
    let (done, diags) = apply(&cloud, &sending(&["cn-a"], true), &Known::default()).await;
    assert_eq!(
        severities(&diags),
        [(Severity::Warning, "Application not listed".to_string())]
    );
    let done = done.expect("recorded");
    assert_eq!((done.image_id.as_str(), done.copies_ready), ("", true));
    assert_eq!(cloud.state().sync_calls.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_read_before_the_call_changes_nothing() {
    let cloud = FakeCloud::new();
    cloud.state().exists = false;
    let known = Known {
        image_id: IMAGE.into(),
        ..Known::default()
    };
    let (done, diags) = apply(&cloud, &sending(&["cn-a"], true), &known).await;
    assert!(done.is_none());
    assert_eq!(
        severities(&diags),
        [(
            Severity::Error,
            "GetImage failed: ImageNotFound".to_string()
        )]
    );
    assert!(cloud.state().sync_calls.is_empty());
}

#[tokio::test(start_paused = true)]
async fn omitted_target_regions_send_the_call_without_them() {
    let cloud = FakeCloud::new();
    let intent = Intent {
        omit_targets: true,
        ..sending(&[], true)
    };
    let (done, diags) = apply(&cloud, &intent, &Known::default()).await;
    assert_eq!(severities(&diags), []);
    assert!(done.is_some_and(|d| d.copies_ready));
    assert_eq!(cloud.state().sync_calls, [Vec::<String>::new()]);
}

#[tokio::test(start_paused = true)]
async fn no_regions_to_send_make_no_call() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    let (done, diags) = apply(&cloud, &sending(&[], true), &Known::default()).await;
    assert_eq!(severities(&diags), []);
    assert!(done.is_some_and(|d| d.copies_ready));
    assert!(cloud.state().sync_calls.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_resumed_wait_sends_nothing_and_waits_for_the_pending_copy() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Creating", "Creating", "Available"]);
    let known = Known {
        request_id: "RID-OLD".into(),
        image_id: IMAGE.into(),
        ..Known::default()
    };
    let intent = Intent {
        wait_also: set(&["cn-a"]),
        ..sending(&[], true)
    };
    let (done, diags) = apply(&cloud, &intent, &known).await;
    assert_eq!(severities(&diags), []);
    let done = done.expect("recorded");
    assert!(cloud.state().sync_calls.is_empty());
    assert_eq!(
        (done.request_id.as_str(), done.copies_ready),
        ("RID-OLD", true)
    );
    assert_eq!(
        statuses(&done),
        [("cn-a".to_string(), "Available".to_string())]
    );
}

#[tokio::test(start_paused = true)]
async fn a_sent_region_get_image_does_not_list_is_not_reported_without_waiting() {
    let cloud = FakeCloud::new();
    cloud.state().hidden = vec!["cn-a".to_string()];
    let known = Known {
        image_id: IMAGE.into(),
        ..Known::default()
    };
    let (done, _) = apply(&cloud, &sending(&["cn-a"], false), &known).await;
    let done = done.expect("recorded");
    assert_eq!(
        statuses(&done),
        [("cn-a".to_string(), NOT_REPORTED.to_string())]
    );
}

/// A container application: every GetImage (before the call and during the wait) is sent
/// `ImageType=Container`, or the fake, like the service, does not find the image.
#[tokio::test(start_paused = true)]
async fn a_container_application_converges_like_a_vm_one() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    cloud.state().container = true;
    let intent = sending(&["cn-a", "cn-b"], true);
    let (done, diags) = apply(&cloud, &intent, &Known::default()).await;
    assert_eq!(severities(&diags), []);
    let done = done.expect("state to record");
    assert_eq!(cloud.state().sync_calls, [vec!["cn-b".to_string()]]);
    assert!(done.copies_ready);
    assert_eq!(statuses(&done).len(), 2, "{:?}", statuses(&done));
}

/// An update whose state records the image id and whose private data records the ImageType
/// reads the copies without listing; the type the reads used is returned for the private
/// data, whether recorded or listed.
#[tokio::test(start_paused = true)]
async fn a_recorded_image_type_spares_the_listing() {
    for (recorded_type, lists) in [(Some("Container"), 0), (None, 1)] {
        let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
        cloud.state().container = true;
        let known = Known {
            image_id: IMAGE.into(),
            image_type: recorded_type.map(str::to_string),
            ..Known::default()
        };
        let (done, diags) = apply(&cloud, &sending(&["cn-a", "cn-b"], true), &known).await;
        assert_eq!(severities(&diags), []);
        let done = done.expect("recorded");
        assert_eq!(cloud.state().find_calls, lists, "{recorded_type:?}");
        assert_eq!(done.image_type.as_deref(), Some("Container"));
        assert_eq!(cloud.state().sync_calls, [vec!["cn-b".to_string()]]);
        assert!(done.copies_ready);
    }
}

/// An update of a container application whose private data lost its record: GetImage does not
/// know the image as a VM one, the listing tells its type, and the outcome records it.
#[tokio::test(start_paused = true)]
async fn a_lost_container_record_is_found_by_the_listing() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    cloud.state().container = true;
    let known = Known {
        image_id: IMAGE.into(),
        ..Known::default()
    };
    let (done, diags) = apply(&cloud, &sending(&["cn-a"], true), &known).await;
    assert_eq!(severities(&diags), []);
    let done = done.expect("an outcome");
    assert_eq!(done.image_type.as_deref(), Some("Container"));
    assert!(done.copies_ready);
    let state = cloud.state();
    assert!(state.sync_calls.is_empty());
    assert_eq!(state.find_calls, 1, "one listing after the first GetImage");
}

#[test]
fn a_read_of_the_apply_that_runs_out_names_the_apply_timeout() {
    let late = Error::DeadlineExceeded {
        attempts: 111,
        last: Box::new(Error::Transport {
            endpoint: "https://x".into(),
            message: "timed out: no complete answer within 1000 ms".into(),
        }),
    };
    let d = apply_read_failed(&late, "ListImages", &job(TEN_MINUTES));
    assert_eq!(d.summary, "ListImages timed out");
    assert!(
        d.detail.contains("create timeout (10m)")
            && d.detail.contains("timeouts { create = \"30m\" }")
            && !d.detail.contains("A read may take"),
        "{}",
        d.detail
    );
    assert_eq!(
        d.attribute.map(|p| p.to_string()),
        Some("app_id".to_string())
    );
    // A refresh's read is bounded by the read timeout, and says so.
    let read = crate::resources::app_sync::reads::read_failed(&late, "ListImages", APP, "cn-a");
    assert!(
        read.detail.contains("A read may take 5 minutes"),
        "{}",
        read.detail
    );
}
