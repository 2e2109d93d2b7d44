// SPDX-License-Identifier: MPL-2.0
//! Refresh and import against the fake cloud.

use std::collections::BTreeSet;

use super::*;
use crate::copies::{Copies, CopyModel, MISSING, NOT_REPORTED};
use crate::resources::app_sync::tests::fake_cloud::{FakeCloud, APP, IMAGE};

fn set(items: &[&str]) -> Attr<BTreeSet<String>> {
    Attr::Known(items.iter().map(|s| s.to_string()).collect())
}

fn state(targets: &[&str], image_id: &str) -> AppSyncModel {
    AppSyncModel {
        app_id: Attr::Known(APP.into()),
        target_region_ids: set(targets),
        region: Attr::Known("cn-hangzhou".into()),
        request_id: Attr::Known("RID-1".into()),
        id: Attr::Known(APP.into()),
        image_id: Attr::Known(image_id.into()),
        copies: Attr::Known(Copies::new()),
        copies_ready: Attr::Known(true),
        ..AppSyncModel::default()
    }
}

async fn refreshed(cloud: &FakeCloud, state: AppSyncModel) -> AppSyncModel {
    refreshed_with(cloud, state, None).await.0
}

/// The refreshed object and the ImageType its reads used, `recorded_type` being the one the
/// private data recorded.
async fn refreshed_with(
    cloud: &FakeCloud,
    state: AppSyncModel,
    recorded_type: Option<&str>,
) -> (AppSyncModel, Option<String>) {
    match refresh(cloud, state, recorded_type, &CancellationToken::new()).await {
        Ok(Refreshed::Present(model, image_type)) => (model, image_type),
        other => panic!("not present: {other:?}"),
    }
}

#[tokio::test]
async fn target_regions_stay_and_vanished_copies_are_recorded_missing() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Available"])
        .with_copy("cn-b", &["CreateFailed"])
        .with_copy("cn-c", &["Creating"])
        .with_copy("cn-e", &["Optimizing"]);
    let targets = ["all", "cn-a", "cn-b", "cn-c", "cn-d", "cn-e"];
    let mut prior = state(&targets, IMAGE);
    let copy = |status: &str| CopyModel {
        image_id: "m-old".into(),
        status: status.into(),
    };
    prior.copies = Attr::Known(Copies::from([
        ("cn-f".to_string(), copy("Available")),
        ("cn-g".to_string(), copy(MISSING)),
    ]));
    let got = refreshed(&cloud, prior).await;
    assert_eq!(got.target_region_ids, set(&targets));
    let statuses: Vec<(String, String)> = got
        .copies
        .known()
        .map(|c| {
            c.iter()
                .map(|(r, c)| (r.clone(), c.status.clone()))
                .collect()
        })
        .unwrap_or_default();
    let want = [
        ("cn-a", "Available"),
        ("cn-b", "CreateFailed"),
        ("cn-c", "Creating"),
        ("cn-e", "Optimizing"),
        ("cn-f", MISSING),
        ("cn-g", MISSING),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect();
    assert_eq!(statuses, want);
    let kept = got
        .copies
        .known()
        .and_then(|c| c.get("cn-f"))
        .map(|c| c.image_id.clone());
    assert_eq!(
        kept.as_deref(),
        Some("m-old"),
        "a missing copy keeps its last image id"
    );
    let state = cloud.state();
    assert_eq!(
        (state.find_calls, state.get_calls),
        (1, 1),
        "one GetImage, and the listing that gives its ImageType"
    );
}

#[tokio::test]
async fn a_container_application_is_read_with_its_image_type() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    cloud.state().container = true;
    let got = refreshed(&cloud, state(&["cn-a"], IMAGE)).await;
    assert_eq!(got.target_region_ids, set(&["cn-a"]));
    assert_eq!(got.copies.known().map(|c| c.len()), Some(1));
}

#[tokio::test]
async fn the_image_id_is_found_once_when_the_state_has_none() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    let got = refreshed(&cloud, state(&["cn-a"], "")).await;
    assert_eq!(got.image_id, Attr::Known(IMAGE.to_string()));
    assert_eq!(got.target_region_ids, set(&["cn-a"]));
    assert_eq!(cloud.state().find_calls, 1);
}

#[tokio::test]
async fn regions_recorded_as_not_reported_stay() {
    let cloud = FakeCloud::new();
    let mut prior = state(&["cn-a"], IMAGE);
    prior.copies = Attr::Known(Copies::from([(
        "cn-a".to_string(),
        CopyModel::not_reported(),
    )]));
    let got = refreshed(&cloud, prior).await;
    assert_eq!(got.target_region_ids, set(&["cn-a"]));
    assert_eq!(
        got.copies
            .known()
            .and_then(|c| c.get("cn-a"))
            .map(|c| c.status.as_str()),
        Some(NOT_REPORTED)
    );
}

#[tokio::test]
async fn an_app_that_is_gone_leaves_the_state_with_a_warning() {
    let cloud = FakeCloud::new();
    cloud.state().exists = false;
    match refresh(
        &cloud,
        state(&["cn-a"], IMAGE),
        None,
        &CancellationToken::new(),
    )
    .await
    {
        Ok(Refreshed::Gone(warning)) => {
            assert_eq!(warning.severity, crate::protocol::Severity::Warning);
            assert!(
                warning.detail.contains("ImageNotFound"),
                "{}",
                warning.detail
            );
        }
        other => panic!("not gone: {other:?}"),
    }
}

#[tokio::test]
async fn an_app_that_is_not_listed_keeps_its_state() {
    let cloud = FakeCloud::new();
    cloud.state().listed = false;
    let prior = state(&["cn-a"], "");
    assert_eq!(refreshed(&cloud, prior.clone()).await, prior);
    assert_eq!(cloud.state().get_calls, 0);
}

#[tokio::test]
async fn import_lists_the_regions_holding_ready_or_pending_copies() {
    let cloud = FakeCloud::new()
        .with_copy("cn-a", &["Available"])
        .with_copy("cn-b", &["Creating"])
        .with_copy("cn-c", &["CreateFailed"]);
    let (got, image_type) = import(&cloud, APP, "cn-hangzhou", &CancellationToken::new())
        .await
        .expect("imported");
    assert_eq!(image_type, "VM");
    assert_eq!(got.target_region_ids, set(&["cn-a", "cn-b"]));
    assert_eq!(got.image_id, Attr::Known(IMAGE.to_string()));
    assert_eq!(got.copies_ready, Attr::Known(true));
    assert!(got.to_value().is_wholly_known());

    let missing = import(
        &cloud,
        "ci-vm-other",
        "cn-hangzhou",
        &CancellationToken::new(),
    )
    .await;
    assert!(missing.is_err_and(|d| d.summary == "Application not found"));
}

/// The ImageType the private data records, beside a recorded image id, spares the listing;
/// without either, the listing tells it, and the refresh returns it to be recorded.
#[tokio::test]
async fn a_recorded_image_type_reads_the_copies_without_listing() {
    let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
    cloud.state().container = true;
    let cases = [
        ("type and image recorded", Some("Container"), IMAGE, 0),
        ("no type recorded", None, IMAGE, 1),
        ("no image recorded", Some("Container"), "", 1),
    ];
    for (name, recorded_type, image_id, lists) in cases {
        let before = {
            let state = cloud.state();
            (state.find_calls, state.get_calls)
        };
        let (got, image_type) =
            refreshed_with(&cloud, state(&["cn-a"], image_id), recorded_type).await;
        let state = cloud.state();
        assert_eq!(state.find_calls - before.0, lists, "{name}: listings");
        assert_eq!(state.get_calls - before.1, 1, "{name}: one GetImage");
        assert_eq!(image_type.as_deref(), Some("Container"), "{name}");
        assert_eq!(got.image_id, Attr::Known(IMAGE.to_string()), "{name}");
        let copies = got.copies.known().cloned().unwrap_or_default();
        assert_eq!(
            copies.get("cn-a").map(|c| c.status.as_str()),
            Some("Available")
        );
    }
}
