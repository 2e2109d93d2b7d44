// SPDX-License-Identifier: MPL-2.0
//! The wait on tokio's paused clock: time only moves when every task waits, so elapsed
//! times are exact and no test sleeps for real.

use std::collections::BTreeSet;

use super::*;
use crate::protocol::Severity;
use crate::resources::app_sync::tests::fake_cloud::{FakeCloud, APP, IMAGE};

fn job(regions: &[&str], deadline_in: Duration) -> WaitJob {
    WaitJob {
        region: "cn-hangzhou".into(),
        app_id: APP.into(),
        image_id: IMAGE.into(),
        image_type: Some("VM".into()),
        regions: regions.iter().map(|r| r.to_string()).collect(),
        already_present: BTreeSet::new(),
        known: Copies::new(),
        timeout_kind: TimeoutKind::Create,
        deadline: Instant::now() + deadline_in,
        cancel: CancellationToken::new(),
    }
}

fn summaries(w: &Waited) -> Vec<(Severity, String)> {
    w.diagnostics
        .iter()
        .map(|d| (d.severity, d.summary.clone()))
        .collect()
}

fn status(w: &Waited, region: &str) -> String {
    w.copies
        .get(region)
        .map(|c| c.status.clone())
        .unwrap_or_default()
}

const TEN_MINUTES: Duration = Duration::from_secs(600);

#[tokio::test(start_paused = true)]
async fn ready_copies_cost_one_look_and_no_delay() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    let started = Instant::now();
    let waited = wait_for_copies(&cloud, &job(&["cn-a"], TEN_MINUTES)).await;
    assert!(waited.settled);
    assert_eq!(cloud.state().get_calls, 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(status(&waited, "cn-a"), "Available");
}

#[tokio::test(start_paused = true)]
async fn pending_copies_are_polled_at_growing_intervals_until_ready() {
    let script = ["Creating", "Creating", "Creating", "Available"];
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &script)
        .with_copy("cn-b", &["Creating", "Available"]);
    let started = Instant::now();
    let waited = wait_for_copies(&cloud, &job(&["cn-a", "cn-b"], TEN_MINUTES)).await;
    assert!(waited.settled, "{:?}", waited.diagnostics);
    assert_eq!(cloud.state().get_calls, 4);
    // 250 ms, then 312.5 ms, then 390.625 ms (tokio's timer rounds each up to a millisecond).
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_micros(953_125) && elapsed <= Duration::from_millis(956),
        "{elapsed:?}"
    );
    assert_eq!(summaries(&waited), []);
}

#[tokio::test(start_paused = true)]
async fn pauses_grow_to_a_cap() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Creating"]);
    let started = Instant::now();
    let waited = wait_for_copies(&cloud, &job(&["cn-a"], Duration::from_secs(60))).await;
    assert!(!waited.settled);
    let calls = cloud.state().get_calls;
    // Growing by 5/4 from 250 ms reaches the 5 s cap after 14 pauses (about 19 s), then one
    // look every 5 s until the next pause would pass the deadline.
    assert!((20..=23).contains(&calls), "{calls} looks in 60 s");
    assert!(started.elapsed() <= Duration::from_secs(60));
    assert_eq!(
        summaries(&waited),
        [(Severity::Error, "Copies not ready in time".to_string())]
    );
    assert_eq!(status(&waited, "cn-a"), "Creating", "copies as last seen");
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_wait_names_the_timeout_of_its_operation() {
    for (kind, named, hint) in [
        (
            TimeoutKind::Create,
            "create timeout",
            "timeouts { create = \"30m\" }",
        ),
        (
            TimeoutKind::Update,
            "update timeout",
            "timeouts { update = \"30m\" }",
        ),
    ] {
        let cloud = FakeCloud::new().with_copy("cn-a", &["Creating"]);
        let job = WaitJob {
            timeout_kind: kind,
            ..job(&["cn-a"], Duration::from_secs(1))
        };
        let waited = wait_for_copies(&cloud, &job).await;
        let details: Vec<&str> = waited
            .diagnostics
            .iter()
            .map(|d| d.detail.as_str())
            .collect();
        assert!(
            matches!(details[..], [d] if d.contains(named) && d.contains(hint)),
            "{kind:?}: {details:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_copy_ends_the_wait_with_an_error_naming_region_and_status() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Creating", "CreateFailed"])
        .with_copy("cn-b", &["Creating"]);
    let waited = wait_for_copies(&cloud, &job(&["cn-a", "cn-b"], TEN_MINUTES)).await;
    assert!(!waited.settled);
    let error = &waited.diagnostics.iter().next().expect("an error").clone();
    assert_eq!(error.severity, Severity::Error);
    assert!(
        error.detail.contains("\"cn-a\"") && error.detail.contains("\"CreateFailed\""),
        "{}",
        error.detail
    );
    assert_eq!(
        error.attribute,
        Some(AttributePath::attribute("target_region_ids"))
    );
    assert_eq!(cloud.state().get_calls, 2);
    // A failed create leaves the object tainted: the next plan replaces it, it warns nothing.
    assert!(error.detail.contains("tainted"), "{}", error.detail);

    let cloud = FakeCloud::new().with_copy("cn-a", &["CreateFailed"]);
    let update = WaitJob {
        timeout_kind: TimeoutKind::Update,
        ..job(&["cn-a"], TEN_MINUTES)
    };
    let waited = wait_for_copies(&cloud, &update).await;
    let error = waited.diagnostics.iter().next().expect("an error");
    assert!(
        error.detail.contains("The next plan warns about it") && !error.detail.contains("tainted"),
        "{}",
        error.detail
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_ends_the_wait_for_that_region_with_a_warning() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Creating", "Optimizing"])
        .with_copy("cn-b", &["Creating", "Creating", "Available"]);
    let waited = wait_for_copies(&cloud, &job(&["cn-a", "cn-b"], TEN_MINUTES)).await;
    assert!(waited.settled);
    assert_eq!(cloud.state().get_calls, 3, "no loop on the unknown word");
    let warning = waited.diagnostics.iter().next().expect("a warning").clone();
    assert_eq!(
        (warning.severity, warning.summary.as_str()),
        (Severity::Warning, "Copy status not understood")
    );
    assert!(
        warning.detail.contains("\"Optimizing\""),
        "{}",
        warning.detail
    );
    assert_eq!(status(&waited, "cn-a"), "Optimizing");
}

#[tokio::test(start_paused = true)]
async fn a_region_reported_present_but_not_listed_is_recorded_at_once() {
    let cloud = FakeCloud::new();
    let mut job = job(&["cn-a"], TEN_MINUTES);
    job.already_present.insert("cn-a".into());
    let waited = wait_for_copies(&cloud, &job).await;
    assert!(waited.settled);
    assert_eq!(summaries(&waited), []);
    assert_eq!(status(&waited, "cn-a"), NOT_REPORTED);
    assert_eq!(cloud.state().get_calls, 1);
}

#[tokio::test(start_paused = true)]
async fn a_region_not_listed_after_its_call_is_pending_for_the_grace_period_only() {
    let cloud = FakeCloud::new().with_copy("cn-b", &["Available"]);
    let started = Instant::now();
    let waited = wait_for_copies(&cloud, &job(&["cn-a", "cn-b"], TEN_MINUTES)).await;
    assert!(waited.settled);
    assert!(started.elapsed() >= GRACE && started.elapsed() < GRACE + MAX_PAUSE);
    assert_eq!(
        summaries(&waited),
        [(Severity::Warning, "Copy not reported".to_string())]
    );
    assert_eq!(status(&waited, "cn-a"), NOT_REPORTED);
}

#[tokio::test(start_paused = true)]
async fn stop_provider_interrupts_the_wait_at_once() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Creating"]);
    let job = job(&["cn-a"], TEN_MINUTES);
    let cancel = job.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(7)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let waited = wait_for_copies(&cloud, &job).await;
    assert_eq!(started.elapsed(), Duration::from_secs(7));
    assert_eq!(
        summaries(&waited),
        [(
            Severity::Error,
            "Waiting for copies interrupted".to_string()
        )]
    );
    assert_eq!(status(&waited, "cn-a"), "Creating");
}

#[tokio::test(start_paused = true)]
async fn all_waits_for_every_listed_pending_copy() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Creating", "Available"])
        .with_copy("cn-b", &["Available"]);
    let waited = wait_for_copies(&cloud, &job(&["all"], TEN_MINUTES)).await;
    assert!(waited.settled);
    assert_eq!(cloud.state().get_calls, 2);
    assert_eq!(status(&waited, "cn-a"), "Available");
}

#[tokio::test(start_paused = true)]
async fn nothing_to_wait_for_is_one_read() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Creating"]);
    let waited = wait_for_copies(&cloud, &job(&[], TEN_MINUTES)).await;
    assert!(waited.settled);
    assert_eq!(cloud.state().get_calls, 1);
    assert_eq!(status(&waited, "cn-a"), "Creating");
}
