// SPDX-License-Identifier: MPL-2.0
//! Copies made by SynchronizeApp, read back with GetImage: pending then ready or failed on the
//! injected clock, ImageAlreadyExists for live copies, and the admin routes that delete a
//! copy or pin its status, after which SynchronizeApp starts a new copy.

use ehpc_emulator::{EmulatorConfig, FaultConfig};

use crate::common::{config, get_json, APP};
use crate::images::Emu;

#[tokio::test]
async fn copies_move_from_pending_to_ready_or_failed_on_the_clock() {
    let emu = Emu::new(EmulatorConfig {
        copy_seconds: 3,
        faults: FaultConfig {
            fail_copies_to: vec!["cn-shanghai".into()],
            ..FaultConfig::default()
        },
        ..config()
    });
    let image = emu.image_id_of(APP).await;
    assert_eq!(emu.copies(&image).await, vec![], "no copy yet");
    assert_eq!(
        emu.sync(APP, &["cn-beijing", "cn-shanghai"]).await.status,
        200
    );
    let pending = emu.copies(&image).await;
    let statuses = |copies: &[(String, String, String)]| -> Vec<(String, String)> {
        copies
            .iter()
            .map(|(r, s, _)| (r.clone(), s.clone()))
            .collect()
    };
    let pair = |r: &str, s: &str| (r.to_string(), s.to_string());
    assert_eq!(
        statuses(&pending),
        vec![
            pair("cn-beijing", "Creating"),
            pair("cn-shanghai", "Creating")
        ]
    );
    for (_, _, id) in &pending {
        assert!(id.starts_with("m-") && *id != image, "{id}");
    }
    emu.advance(2);
    let reply = emu.sync(APP, &["cn-shanghai"]).await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "ImageAlreadyExists"),
        "pending"
    );
    assert_eq!(statuses(&emu.copies(&image).await)[0].1, "Creating");

    emu.advance(1);
    let done = emu.copies(&image).await;
    assert_eq!(
        statuses(&done),
        vec![
            pair("cn-beijing", "Available"),
            pair("cn-shanghai", "CreateFailed")
        ]
    );
    assert_eq!(done[0].2, pending[0].2, "same copy, now ready");
    let reply = emu.sync(APP, &["cn-beijing"]).await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "ImageAlreadyExists"),
        "ready"
    );

    // A failed copy may be redone: a new copy, with a new image id, pending again (and
    // failing again, since the knob still names that region).
    assert_eq!(emu.sync(APP, &["cn-shanghai"]).await.status, 200);
    let only = emu.get_image(&image, &["cn-shanghai"]).await;
    let info = &only.json["Image"]["AdditionalRegionsInfo"];
    assert_eq!(info.as_array().map(Vec::len), Some(1), "{info}");
    assert_eq!(info[0]["Status"], "Creating");
    assert_ne!(info[0]["ImageId"], pending[1].2.as_str());
    let image_json = &only.json["Image"];
    assert_eq!(image_json["AppId"], APP);
    assert_eq!(image_json["VMImageSpec"]["ImageId"], image.as_str());
    assert_eq!(image_json["Status"], "Available");
}

#[tokio::test]
async fn admin_routes_delete_and_pin_copies_then_resynchronize() {
    let emu = Emu::new(config());
    let image = emu.image_id_of(APP).await;
    assert_eq!(
        emu.sync(APP, &["cn-beijing", "cn-shanghai"]).await.status,
        200
    );
    let before = emu.copies(&image).await;
    let path = |region: &str| format!("/_emulator/apps/{APP}/copies/{region}");

    assert_eq!(
        emu.admin("DELETE", &path("cn-beijing"), None).await.status,
        204
    );
    assert_eq!(
        get_json(&emu.app, "/_emulator/apps").await[APP],
        serde_json::json!(["cn-shanghai"])
    );
    let view = get_json(&emu.app, &format!("/_emulator/apps/{APP}")).await;
    assert_eq!(view["image_id"], image.as_str());
    assert_eq!(view["copies"].as_array().map(Vec::len), Some(1), "{view}");
    assert_eq!(view["copies"][0]["region_id"], "cn-shanghai");
    assert_eq!(view["copies"][0]["status"], "Available");
    assert!(view["copies"][0]["started"]
        .as_str()
        .is_some_and(|s| s.ends_with('Z')));

    assert_eq!(
        emu.sync(APP, &["cn-beijing"]).await.status,
        200,
        "deleted copy redone"
    );
    let after = emu.copies(&image).await;
    assert_eq!(after[0].0, "cn-beijing");
    assert_ne!(after[0].2, before[0].2, "new copy image id");

    let pinned = emu
        .admin(
            "PUT",
            &path("cn-shanghai"),
            Some(r#"{"status": "Waiting"}"#),
        )
        .await;
    assert_eq!(
        (pinned.status, &pinned.json["status"]),
        (200, &"Waiting".into())
    );
    assert_eq!(emu.copies(&image).await[1].1, "Waiting");
    let reply = emu.sync(APP, &["cn-shanghai"]).await;
    assert_eq!(
        reply.code(),
        "ImageAlreadyExists",
        "an unknown word counts as live"
    );
    emu.admin(
        "PUT",
        &path("cn-shanghai"),
        Some(r#"{"status": "UnAvailable"}"#),
    )
    .await;
    assert_eq!(
        emu.sync(APP, &["all"]).await.status,
        200,
        "all redoes the unavailable copy"
    );
    assert_eq!(emu.copies(&image).await[1].1, "Available");

    let errors = [
        (
            "PUT",
            path("mars-1"),
            Some(r#"{"status": "Available"}"#),
            404,
        ),
        ("DELETE", path("mars-1"), None, 404),
        (
            "DELETE",
            "/_emulator/apps/ci-unknown/copies/cn-beijing".into(),
            None,
            404,
        ),
        ("GET", "/_emulator/apps/ci-unknown".into(), None, 404),
        ("PUT", path("cn-beijing"), Some(r#"{"status": ""}"#), 400),
        ("PUT", path("cn-beijing"), Some(r#"{"state": "x"}"#), 400),
        ("PUT", path("cn-beijing"), Some("not json"), 400),
    ];
    for (method, path, body, status) in errors {
        assert_eq!(
            emu.admin(method, &path, body).await.status,
            status,
            "{method} {path} {body:?}"
        );
    }
}
