// SPDX-License-Identifier: MPL-2.0
//! ListImages and GetImage through the real client over HTTP: signed requests with the SDK's
//! parameters, ListImages walked page by page, one pass shared by concurrent lookups of apps,
//! and answers without the success shape reported as errors.

use ehpc_alibaba::{CallOptions, GetImage};
use serde_json::json;

const ZERO: std::time::Duration = std::time::Duration::ZERO;

use crate::api::scripted_server::{error_reply, start, start_paged, start_paged_by_type, Reply};

fn page(first: usize, count: usize, total: usize) -> Reply {
    let images: Vec<_> = (first..first + count)
        .map(|i| {
            json!({"AppId": format!("ci-vm-app{i:03}"), "ImageId": format!("m-img{i:04}"),
                   "ImageType": "VM", "Name": format!("app {i}")})
        })
        .collect();
    let body = json!({"RequestId": format!("REQ-PAGE-{first}"), "Success": true,
                      "TotalCount": total, "PageSize": 20, "Images": images});
    Reply::Json(200, body, vec![])
}

#[tokio::test]
async fn list_images_walks_every_page_with_signed_requests() {
    let pages = vec![page(0, 20, 45), page(20, 20, 45), page(40, 5, 45)];
    let (server, client) = start_paged(pages, error_reply(500, "NoMorePages"), ZERO).await;
    let images = client
        .list_images("cn-hangzhou", &Default::default(), &CallOptions::default())
        .await
        .unwrap();
    assert_eq!(images.len(), 45);
    assert_eq!(images[44].image_id, "m-img0044");
    server.seen(|seen| {
        let pages: Vec<_> = seen
            .iter()
            .map(|r| {
                assert!(r.signature_ok);
                assert_eq!(r.params["Action"], "ListImages");
                assert_eq!(r.params["Version"], "2023-07-01");
                r.params["PageNumber"].clone()
            })
            .collect();
        assert_eq!(pages[0], "1", "the first page alone says how many follow");
        let mut rest = pages[1..].to_vec();
        rest.sort();
        assert_eq!(rest, ["2", "3"]);
    });
}

#[tokio::test]
async fn concurrent_app_lookups_share_one_listing() {
    // Pages answered by number whatever the ImageType: each type's walk sees the same two.
    let pages = vec![page(0, 20, 30), page(20, 10, 30)];
    let (server, client) = start_paged(pages, error_reply(500, "SecondPass"), ZERO).await;
    let opts = CallOptions::default();
    let lookups = (0..30).map(|i| {
        let client = client.clone();
        let opts = opts.clone();
        tokio::spawn(async move {
            let app = format!("ci-vm-app{i:03}");
            client.find_app("cn-hangzhou", &app, &opts).await
        })
    });
    for (i, lookup) in lookups.collect::<Vec<_>>().into_iter().enumerate() {
        let found = lookup.await.unwrap().unwrap();
        assert_eq!(found.map(|f| f.image_id), Some(format!("m-img{i:04}")));
    }
    let mut types = server.seen(|seen| {
        seen.iter()
            .map(|r| r.params.get("ImageType").cloned().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    types.sort();
    assert_eq!(
        types,
        ["Container", "Container", "VM", "VM"],
        "one pass for 30 lookups: the two pages of each image type"
    );
}

#[tokio::test]
async fn get_image_sends_the_image_id_and_reads_the_copies() {
    let answer = json!({"RequestId": "REQ-IMG", "Success": true, "TotalCount": 1,
        "Image": {"AppId": "ci-vm-app001", "Status": "Available",
                  "VMImageSpec": {"ImageId": "m-img001"},
                  "AdditionalRegionsInfo": [{"ImageId": "m-sh", "RegionId": "cn-shanghai", "Status": "Creating"}]}});
    let (server, client) = start(
        vec![Reply::Json(200, answer, vec![])],
        error_reply(500, "Once"),
        None,
    )
    .await;
    let action = GetImage {
        image_id: "m-img001".into(),
        additional_region_ids: vec!["cn-shanghai".into()],
        ..GetImage::default()
    };
    let got = client
        .call("cn-hangzhou", &action, &CallOptions::default())
        .await
        .unwrap();
    assert_eq!(
        got.image.additional_regions_info[0].status.as_deref(),
        Some("Creating")
    );
    server.seen(|seen| {
        assert!(seen[0].signature_ok);
        assert_eq!(seen[0].params["ImageId"], "m-img001");
        assert_eq!(seen[0].params["AdditionalRegionIds"], r#"["cn-shanghai"]"#);
    });
}

#[tokio::test]
async fn an_answer_without_the_success_shape_is_an_error() {
    let no_image = Reply::Json(200, json!({"RequestId": "REQ-NO-IMAGE"}), vec![]);
    let (_server, client) = start(vec![no_image], error_reply(500, "Once"), None).await;
    let action = GetImage {
        image_id: "m-img001".into(),
        ..GetImage::default()
    };
    let err = client
        .call("cn-hangzhou", &action, &CallOptions::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the answer to GetImage has no Image"),
        "{err}"
    );
}

#[tokio::test]
async fn a_thousand_images_at_50_ms_an_answer_are_listed_with_overlapping_pages() {
    use ehpc_alibaba::image_index::PAGES_IN_FLIGHT;
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};

    const LATENCY: Duration = Duration::from_millis(50);
    let pages = (0..50).map(|p| page(p * 20, 20, 1000)).collect();
    let (server, client) = start_paged(pages, error_reply(500, "NoMorePages"), LATENCY).await;
    let started = Instant::now();
    let images = client
        .list_images("cn-hangzhou", &Default::default(), &CallOptions::default())
        .await
        .unwrap();
    let took = started.elapsed();
    let names: Vec<_> = images.iter().map(|i| i.image_id.clone()).collect();
    let want: Vec<_> = (0..1000).map(|i| format!("m-img{i:04}")).collect();
    assert_eq!(names, want, "every image once, in page order");
    assert_eq!(server.seen(|s| s.len()), 50, "one call a page");
    let most = server.most_in_flight.load(Ordering::SeqCst);
    assert_eq!(
        most, PAGES_IN_FLIGHT,
        "the pages after the first overlap, boundedly"
    );
    // One page after another would take 50 × 50 ms; overlapped, 1 + ⌈49 / 8⌉ answers' time.
    assert!(took < LATENCY * 25, "took {took:?}");
}

#[tokio::test]
async fn find_app_walks_both_image_types_at_once_and_joins_them_in_order() {
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};

    const LATENCY: Duration = Duration::from_millis(300);
    // The same app in both walks' answers (as a service might list it): VM, then Container.
    let listing = |image_type: &str, image_id: &str| {
        let body = json!({"RequestId": "REQ-TYPED", "Success": true, "TotalCount": 1,
            "PageSize": 20, "Images": [{"AppId": "ci-vm-app001", "ImageId": image_id,
                                        "ImageType": image_type}]});
        vec![Reply::Json(200, body, vec![])]
    };
    let (server, client) = start_paged_by_type(
        listing("VM", "m-vm"),
        listing("Container", "m-container"),
        error_reply(500, "NoMorePages"),
        LATENCY,
    )
    .await;
    let started = Instant::now();
    let found = client
        .find_app("cn-hangzhou", "ci-vm-app001", &CallOptions::default())
        .await
        .unwrap()
        .expect("listed");
    let took = started.elapsed();
    // Joined VM then Container, as one walk after the other: the later listing of an app
    // both walks return is the one the index keeps, as before the walks overlapped.
    assert_eq!(found.image_type, "Container");
    assert_eq!(found.image_id, "m-container");
    let mut types = server.seen(|seen| {
        seen.iter()
            .map(|r| r.params.get("ImageType").cloned().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    types.sort();
    assert_eq!(types, ["Container", "VM"]);
    assert_eq!(
        server.most_in_flight.load(Ordering::SeqCst),
        2,
        "the walks overlap"
    );
    assert!(
        took < LATENCY * 2,
        "took {took:?}: one walk after the other"
    );
}
