// SPDX-License-Identifier: MPL-2.0
//! AddImage and RemoveImage, built with the client's own action structs: a registered app is
//! listed and read back, a VM image registers once, a container image gets a generated ImageId
//! and never keeps its registry password, RemoveImage honours the in-use knob, and every call
//! is logged and persisted.

use axum::body::Body;
use axum::http::Request;
use ehpc_alibaba::actions::{ContainerImageSpec, RegistryCredential, VmImageSpec};
use ehpc_alibaba::{AddImage, GetImage, ListImages, RemoveImage};

use crate::common::{config, get_json, send};
use crate::images::Emu;

fn vm(image_id: &str) -> AddImage {
    AddImage {
        name: "solver".into(),
        image_version: Some("v2".into()),
        description: Some("a solver".into()),
        vm_image_spec: Some(VmImageSpec {
            image_id: Some(image_id.into()),
            ..VmImageSpec::default()
        }),
        ..AddImage::default()
    }
}

fn container() -> AddImage {
    AddImage {
        name: "web".into(),
        image_type: Some("Container".into()),
        container_image_spec: Some(ContainerImageSpec {
            registry_url: Some("reg.example/ns/web:1".into()),
            registry_credential: Some(RegistryCredential {
                password: Some("hunter2-registry".into()),
                server: Some("reg.example".into()),
                user_name: Some("u".into()),
            }),
            ..ContainerImageSpec::default()
        }),
        ..AddImage::default()
    }
}

async fn set_in_use(emu: &Emu, app_id: &str, in_use: bool) -> u16 {
    let req = Request::put(format!("/_emulator/apps/{app_id}/in-use"))
        .header("content-type", "application/json")
        .body(Body::from(format!(r#"{{"in_use":{in_use}}}"#)))
        .expect("request");
    send(&emu.app, req).await.status
}

#[tokio::test]
async fn a_vm_image_registers_once_and_reads_back_by_either_id() {
    let emu = Emu::new(config());
    let added = emu.call(&vm("m-src0000000000000001")).await;
    assert_eq!(added.status, 200, "{}", added.json);
    assert_eq!(added.json["ImageId"], "m-src0000000000000001");
    assert_eq!(added.json["Success"], true);

    let filter = ListImages {
        image_ids: vec!["m-src0000000000000001".into()],
        ..ListImages::default()
    };
    let page = emu.call(&filter).await.json;
    assert_eq!(page["TotalCount"], 1, "{page}");
    let app_id = page["Images"][0]["AppId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        app_id.starts_with("ci-vm-") && app_id.len() == 18,
        "{app_id}"
    );
    assert_eq!(page["Images"][0]["Name"], "solver");
    assert_eq!(page["Images"][0]["Version"], "v2");
    let by_name = ListImages {
        image_names: vec!["solver".into()],
        ..ListImages::default()
    };
    assert_eq!(emu.call(&by_name).await.json["TotalCount"], 1);

    let got = emu.get_image("m-src0000000000000001", &[]).await;
    assert_eq!(got.json["Image"]["AppId"], app_id.as_str());
    assert_eq!(got.json["Image"]["Description"], "a solver");

    let again = emu.call(&vm("m-src0000000000000001")).await;
    assert_eq!((again.status, again.code()), (400, "ImageAlreadyExists"));
    let missing = emu
        .call(&AddImage {
            vm_image_spec: None,
            ..vm("x")
        })
        .await;
    assert_eq!((missing.status, missing.code()), (403, "InvalidParams"));
}

#[tokio::test]
async fn a_container_image_gets_a_generated_id_and_loses_its_password() {
    let emu = Emu::new(config());
    let first = emu.call(&container()).await;
    let second = emu.call(&container()).await;
    let (a, b) = (&first.json["ImageId"], &second.json["ImageId"]);
    assert!(a.as_str().is_some_and(|id| id.starts_with("m-")), "{a}");
    assert_ne!(a, b, "each registration is its own application");
    let id = a.as_str().unwrap_or_default();
    // GetImage assumes VM: a container image is found only with its type.
    assert_eq!(emu.get_image(id, &[]).await.code(), "ImageNotFound");
    let got = emu
        .call(&GetImage {
            image_id: id.into(),
            image_type: Some("Container".into()),
            ..GetImage::default()
        })
        .await;
    assert_eq!(got.json["Image"]["ImageType"], "Container", "{}", got.json);
    let spec = &got.json["Image"]["ContainerImageSpec"];
    assert_eq!(spec["RegistryUrl"], "reg.example/ns/web:1");
    assert_eq!(spec["RegistryCredential"]["UserName"], "u");
    assert!(!got.json.to_string().contains("hunter2-registry"));
    let app_id = got.json["Image"]["AppId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let recorded = get_json(&emu.app, &format!("/_emulator/apps/{app_id}/registration")).await;
    assert_eq!(recorded["password_received"], true, "{recorded}");
    let containers = ListImages {
        image_type: Some("Container".into()),
        ..ListImages::default()
    };
    assert_eq!(emu.call(&containers).await.json["TotalCount"], 2);
}

#[tokio::test]
async fn remove_image_honours_the_in_use_knob_and_forgets_the_app() {
    let emu = Emu::new(config());
    emu.call(&vm("m-src0000000000000002")).await;
    let app_id = emu.image_id_app("m-src0000000000000002").await;
    emu.sync(&app_id, &["cn-shanghai"]).await;
    let remove = RemoveImage {
        image_id: "m-src0000000000000002".into(),
        image_type: None,
    };

    assert_eq!(set_in_use(&emu, &app_id, true).await, 200);
    let refused = emu.call(&remove).await;
    assert_eq!((refused.status, refused.code()), (403, "ImageInUse"));
    assert_eq!(
        emu.get_image("m-src0000000000000002", &[]).await.status,
        200
    );

    assert_eq!(set_in_use(&emu, &app_id, false).await, 200);
    let removed = emu.call(&remove).await;
    assert_eq!(removed.status, 200, "{}", removed.json);
    assert_eq!(removed.json["Success"], true);
    let gone = emu.get_image("m-src0000000000000002", &[]).await;
    assert_eq!((gone.status, gone.code()), (404, "ImageNotFound"));
    let again = emu.call(&remove).await;
    assert_eq!((again.status, again.code()), (404, "ImageNotFound"));
    assert_eq!(set_in_use(&emu, &app_id, true).await, 404);

    let calls = get_json(&emu.app, "/_emulator/calls").await;
    let actions: Vec<&str> = calls
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["action"].as_str())
        .filter(|a| a.ends_with("Image"))
        .collect();
    assert!(
        actions.contains(&"AddImage") && actions.contains(&"RemoveImage"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn registrations_and_removals_persist_in_the_state_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = config();
    cfg.state_file = Some(dir.path().join("state.json"));
    let emu = Emu::new(cfg.clone());
    emu.call(&vm("m-src0000000000000003")).await;
    emu.call(&container()).await;
    let text = std::fs::read_to_string(dir.path().join("state.json")).expect("state");
    assert!(!text.contains("hunter2-registry"), "{text}");

    let restarted = Emu::new(cfg.clone());
    assert_eq!(
        restarted
            .get_image("m-src0000000000000003", &[])
            .await
            .status,
        200
    );
    let remove = RemoveImage {
        image_id: "m-src0000000000000003".into(),
        image_type: Some("VM".into()),
    };
    assert_eq!(restarted.call(&remove).await.status, 200);
    let again = Emu::new(cfg);
    assert_eq!(
        again.get_image("m-src0000000000000003", &[]).await.status,
        404
    );
}
