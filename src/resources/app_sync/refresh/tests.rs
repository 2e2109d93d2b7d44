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
        (0, 1),
        "one GetImage, with the default ImageType: no listing"
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

/// A recorded image id is read with GetImage alone: with the ImageType the private data
/// records, or without one with the service's default (a VM application records none). A
/// container application whose record was lost is found by the listing after GetImage does
/// not know it as a VM one; an object without an image id is listed first.
#[tokio::test]
async fn a_recorded_image_id_is_read_with_the_recorded_or_the_default_type() {
    let cases = [
        ("VM, nothing recorded", false, None, IMAGE, (0, 1), "VM"),
        (
            "VM, an older record",
            false,
            Some("VM"),
            IMAGE,
            (0, 1),
            "VM",
        ),
        (
            "Container recorded",
            true,
            Some("Container"),
            IMAGE,
            (0, 1),
            "Container",
        ),
        (
            "Container, record lost",
            true,
            None,
            IMAGE,
            (1, 2),
            "Container",
        ),
        (
            "Container, no image",
            true,
            Some("Container"),
            "",
            (1, 1),
            "Container",
        ),
    ];
    for (name, container, recorded_type, image_id, calls, read_type) in cases {
        let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
        cloud.state().container = container;
        let (got, image_type) =
            refreshed_with(&cloud, state(&["cn-a"], image_id), recorded_type).await;
        let state = cloud.state();
        assert_eq!(
            (state.find_calls, state.get_calls),
            calls,
            "{name}: listings, GetImage calls"
        );
        assert_eq!(image_type.as_deref(), Some(read_type), "{name}");
        assert_eq!(got.image_id, Attr::Known(IMAGE.to_string()), "{name}");
        let copies = got.copies.known().cloned().unwrap_or_default();
        assert_eq!(
            copies.get("cn-a").map(|c| c.status.as_str()),
            Some("Available"),
            "{name}"
        );
    }
}

/// GetImage's ImageNotFound removes the object only after the listing shows no other type: a
/// wrong record (here `VM` for a container application) costs a listing, not the object.
#[tokio::test]
async fn an_image_not_found_asks_the_listing_before_the_object_is_removed() {
    let cases = [
        (Some("VM"), true, false),
        (None, true, false),
        (None, false, true),
        (Some("Container"), false, true),
    ];
    for (recorded_type, exists, gone) in cases {
        let cloud = FakeCloud::new().with_copy("cn-a", &["Available"]);
        cloud.state().container = true;
        cloud.state().exists = exists;
        let got = refresh(
            &cloud,
            state(&["cn-a"], IMAGE),
            recorded_type,
            &CancellationToken::new(),
        )
        .await;
        let case = format!("recorded {recorded_type:?}, exists {exists}");
        match got {
            Ok(Refreshed::Gone(_)) => assert!(gone, "{case}: removed"),
            Ok(Refreshed::Present(_, image_type)) => {
                assert!(!gone, "{case}: kept");
                assert_eq!(image_type.as_deref(), Some("Container"), "{case}");
            }
            Err(diag) => panic!("{case}: {diag:?}"),
        }
        assert_eq!(cloud.state().find_calls, 1, "{case}: one listing");
    }
}
