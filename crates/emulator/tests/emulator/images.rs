// SPDX-License-Identifier: MPL-2.0
//! ListImages and GetImage, built with the client's own action structs and signed like any
//! call: paging and filters, unknown ImageIds, the gateway checks and the latency knob; and
//! [`Emu`], the helper `copies` and `sdk_model` share.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use ehpc_alibaba::{Action, GetImage, ListImages, SynchronizeApp};
use ehpc_emulator::{AppSpec, EmulatorConfig, FaultConfig};
use time::OffsetDateTime;

use crate::common::{config, get_json, router_at, send, signed, v2_params, v2_request, Reply, APP};

/// An emulator on a clock the test moves.
pub(crate) struct Emu {
    pub app: Router,
    base: OffsetDateTime,
    offset: Arc<AtomicI64>,
}

impl Emu {
    pub(crate) fn new(config: EmulatorConfig) -> Self {
        let base = OffsetDateTime::now_utc();
        let (app, offset) = router_at(config, base);
        Self { app, base, offset }
    }

    /// Moves the emulator's clock forward.
    pub(crate) fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Sends `action`, encoded by the client's `to_params`, V2-signed at the emulator's now.
    pub(crate) async fn call<A: Action>(&self, action: &A) -> Reply {
        let now = self.base + time::Duration::seconds(self.offset.load(Ordering::SeqCst));
        let mut params = v2_params(A::ACTION, "2023-07-01", "testid", now, &[]);
        params.extend(action.to_params());
        send(
            &self.app,
            v2_request("POST", &signed("POST", params, "testsecret")),
        )
        .await
    }

    pub(crate) async fn sync(&self, app_id: &str, regions: &[&str]) -> Reply {
        let action = SynchronizeApp {
            app_id: app_id.into(),
            target_region_ids: regions.iter().map(|r| r.to_string()).collect(),
        };
        self.call(&action).await
    }

    pub(crate) async fn get_image(&self, image_id: &str, regions: &[&str]) -> Reply {
        let action = GetImage {
            image_id: image_id.into(),
            additional_region_ids: regions.iter().map(|r| r.to_string()).collect(),
            ..GetImage::default()
        };
        self.call(&action).await
    }

    /// The AppId of the image `image_id`, as a client finds it: ListImages with `ImageIds`.
    pub(crate) async fn image_id_app(&self, image_id: &str) -> String {
        let filter = ListImages {
            image_ids: vec![image_id.into()],
            ..ListImages::default()
        };
        let page = self.call(&filter).await.json;
        page["Images"][0]["AppId"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The app's ImageId, as a client finds it: ListImages, matching AppId.
    pub(crate) async fn image_id_of(&self, app_id: &str) -> String {
        let page = self.call(&ListImages::default()).await.json;
        let images = page["Images"].as_array().cloned().unwrap_or_default();
        let image = images.iter().find(|i| i["AppId"] == app_id);
        image
            .and_then(|i| i["ImageId"].as_str())
            .expect("listed")
            .to_string()
    }

    /// `AdditionalRegionsInfo` as (region, status, image id).
    pub(crate) async fn copies(&self, image_id: &str) -> Vec<(String, String, String)> {
        let reply = self.get_image(image_id, &[]).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let info = reply.json["Image"]["AdditionalRegionsInfo"].clone();
        info.as_array()
            .expect("AdditionalRegionsInfo array")
            .iter()
            .map(|c| {
                let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (s("RegionId"), s("Status"), s("ImageId"))
            })
            .collect()
    }

    /// An admin call: method, path and optional JSON body; returns the status and the body.
    pub(crate) async fn admin(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let body = Body::from(body.unwrap_or_default().to_string());
        send(&self.app, req.body(body).expect("request")).await
    }
}

pub(crate) fn apps(n: usize) -> EmulatorConfig {
    (0..n).fold(
        EmulatorConfig::default().with_credential("testid", "testsecret"),
        |c, i| {
            let name = if i % 2 == 0 { "solver" } else { "mesher" };
            let spec = format!("ci-vm-app{i:02},name={name},version=v{i}");
            c.with_app_spec(spec.parse::<AppSpec>().expect("spec"))
        },
    )
}

pub(crate) fn ids_of(reply: &Reply) -> Vec<String> {
    let images = reply.json["Images"].as_array().cloned().unwrap_or_default();
    images
        .iter()
        .map(|i| i["AppId"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn list_images_pages_in_app_order_with_total_count() {
    let emu = Emu::new(apps(5));
    let mut seen = Vec::new();
    for (page, want) in [(1, 2), (2, 2), (3, 1), (4, 0)] {
        let reply = emu
            .call(&ListImages {
                page_number: Some(page),
                page_size: Some(2),
                ..ListImages::default()
            })
            .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        assert_eq!(reply.json["TotalCount"], 5, "page {page}");
        assert_eq!(reply.json["PageNumber"], page, "page {page}");
        assert_eq!(reply.json["PageSize"], 2, "page {page}");
        assert_eq!(ids_of(&reply).len(), want, "page {page}");
        seen.extend(ids_of(&reply));
    }
    let every: Vec<String> = (0..5).map(|i| format!("ci-vm-app{i:02}")).collect();
    assert_eq!(seen, every, "each app once, in AppId order");

    let default = emu.call(&ListImages::default()).await;
    assert_eq!(
        (&default.json["PageNumber"], &default.json["PageSize"]),
        (&1.into(), &20.into())
    );
    assert_eq!(ids_of(&default), every);
    let first = &default.json["Images"][0];
    assert_eq!(first["Name"], "solver");
    assert_eq!(first["Version"], "v0");
    assert_eq!(first["ImageType"], "VM");
}

#[tokio::test]
async fn list_images_filters() {
    let emu = Emu::new(apps(5));
    let id1 = emu.image_id_of("ci-vm-app01").await;
    let id4 = emu.image_id_of("ci-vm-app04").await;
    let list = |f: fn(&mut ListImages)| {
        let mut request = ListImages::default();
        f(&mut request);
        request
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let by_ids = ListImages {
        image_ids: vec![id4.clone(), id1.clone(), "m-unknown".into()],
        ..ListImages::default()
    };
    let reply = emu.call(&by_ids).await;
    assert_eq!(ids_of(&reply), s(&["ci-vm-app01", "ci-vm-app04"]));
    assert_eq!(reply.json["TotalCount"], 2);
    let cases: Vec<(&str, ListImages, Vec<String>)> = vec![
        (
            "names",
            list(|r| r.image_names = vec!["mesher".into()]),
            s(&["ci-vm-app01", "ci-vm-app03"]),
        ),
        (
            "unknown name",
            list(|r| r.image_names = vec!["x".into()]),
            vec![],
        ),
        (
            "Container",
            list(|r| r.image_type = Some("Container".into())),
            vec![],
        ),
        (
            "Public",
            list(|r| r.image_category = Some("Public".into())),
            vec![],
        ),
        (
            "VM, Custom, Merge",
            list(|r| {
                r.image_type = Some("VM".into());
                r.image_category = Some("Custom".into());
                r.mode = Some("Merge".into());
                r.image_names = vec!["solver".into()];
            }),
            s(&["ci-vm-app00", "ci-vm-app02", "ci-vm-app04"]),
        ),
    ];
    for (name, request, want) in cases {
        let reply = emu.call(&request).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.json);
        assert_eq!(ids_of(&reply), want, "{name}");
        assert_eq!(reply.json["TotalCount"], want.len(), "{name}");
    }
    let bad: Vec<(&str, ListImages)> = vec![
        ("type", list(|r| r.image_type = Some("Bogus".into()))),
        ("mode", list(|r| r.mode = Some("All".into()))),
        ("category", list(|r| r.image_category = Some("Mine".into()))),
    ];
    for (name, request) in bad {
        let reply = emu.call(&request).await;
        assert_eq!(
            (reply.status, reply.code()),
            (403, "InvalidParams"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_image_id_and_gateway_checks() {
    let emu = Emu::new(config());
    let image = emu.image_id_of(APP).await;
    let cases = [
        ("m-unknown", 404, "ImageNotFound"),
        (APP, 404, "ImageNotFound"),
        ("", 400, "MissingParameter"),
    ];
    for (id, status, code) in cases {
        let reply = emu.get_image(id, &[]).await;
        reply.assert_answer(status, code, &format!("{id:?}"));
    }
    let container = GetImage {
        image_id: image.clone(),
        image_type: Some("Container".into()),
        ..GetImage::default()
    };
    assert_eq!(emu.call(&container).await.code(), "ImageNotFound");

    // Same gateway as SynchronizeApp: a wrong secret is refused before the handler.
    let mut params = v2_params(
        "GetImage",
        "2023-07-01",
        "testid",
        OffsetDateTime::now_utc(),
        &[],
    );
    params.insert("ImageId".into(), image.clone());
    let reply = send(
        &emu.app,
        v2_request("POST", &signed("POST", params, "wrong")),
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));

    let calls = get_json(&emu.app, "/_emulator/calls").await;
    let last = calls
        .as_array()
        .and_then(|c| c.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["action"], "GetImage");
    assert_eq!(last["image_id"], image.as_str());
    assert_eq!(last["code"], "SignatureDoesNotMatch");
    assert!(
        calls[0].get("image_id").is_none(),
        "ListImages has no ImageId field"
    );
}

/// On tokio's paused clock, as in `faults`: the latency knob delays the new actions too.
#[tokio::test(start_paused = true)]
async fn latency_applies_to_list_and_get() {
    let emu = Emu::new(EmulatorConfig {
        faults: FaultConfig {
            latency_ms: 150,
            ..FaultConfig::default()
        },
        ..config()
    });
    let start = tokio::time::Instant::now();
    let image = emu.image_id_of(APP).await;
    assert_eq!(emu.get_image(&image, &[]).await.status, 200);
    let ms = std::time::Duration::from_millis;
    assert!(
        (ms(300)..=ms(302)).contains(&start.elapsed()),
        "{:?}",
        start.elapsed()
    );
}
