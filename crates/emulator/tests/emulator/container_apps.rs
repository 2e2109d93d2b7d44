// SPDX-License-Identifier: MPL-2.0
//! Container applications (`--app ID,type=Container`): ListImages lists them only when asked
//! for `ImageType=Container` (the SDK's default is `VM`), GetImage answers them with
//! `ContainerImageSpec` when asked with that type and `ImageNotFound` otherwise.

use ehpc_alibaba::{GetImage, ListImages};
use ehpc_emulator::AppSpec;

use crate::common::{config, APP};
use crate::images::Emu;

const CONTAINER_APP: &str = "ci-ctr-app01";

fn emulator() -> Emu {
    let spec: AppSpec = format!("{CONTAINER_APP},type=Container")
        .parse()
        .expect("valid spec");
    Emu::new(config().with_app_spec(spec))
}

fn listed(reply: &crate::common::Reply) -> Vec<(String, String)> {
    let images = reply.json["Images"].as_array().cloned().unwrap_or_default();
    images
        .iter()
        .map(|i| {
            let field = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (field("AppId"), field("ImageType"))
        })
        .collect()
}

fn of_type(image_type: Option<&str>) -> ListImages {
    ListImages {
        image_type: image_type.map(str::to_string),
        ..ListImages::default()
    }
}

#[tokio::test]
async fn list_images_shows_container_apps_only_when_asked() {
    let emu = emulator();
    let vm = (APP.to_string(), "VM".to_string());
    let container = (CONTAINER_APP.to_string(), "Container".to_string());
    for (name, request, want) in [
        ("no type: VM", of_type(None), vec![vm.clone()]),
        ("VM", of_type(Some("VM")), vec![vm.clone()]),
        ("Container", of_type(Some("Container")), vec![container]),
    ] {
        let reply = emu.call(&request).await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.json);
        assert_eq!(listed(&reply), want, "{name}");
        assert_eq!(reply.json["TotalCount"], 1, "{name}");
    }
}

#[tokio::test]
async fn get_image_needs_the_container_type() {
    let emu = emulator();
    let page = emu.call(&of_type(Some("Container"))).await.json;
    let image_id = page["Images"][0]["ImageId"]
        .as_str()
        .expect("listed")
        .to_string();
    let get = |image_type: Option<&str>| GetImage {
        image_id: image_id.clone(),
        image_type: image_type.map(str::to_string),
        ..GetImage::default()
    };
    for missing in [None, Some("VM")] {
        let reply = emu.call(&get(missing)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (404, "ImageNotFound"),
            "{missing:?}"
        );
    }
    let reply = emu.call(&get(Some("Container"))).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let image = &reply.json["Image"];
    assert_eq!(image["ImageType"], "Container");
    assert_eq!(image["AppId"], CONTAINER_APP);
    assert!(image.get("VMImageSpec").is_none(), "{image}");
    let spec = &image["ContainerImageSpec"];
    assert!(
        spec["RegistryUrl"]
            .as_str()
            .is_some_and(|u| u.contains(CONTAINER_APP)),
        "{spec}"
    );
    assert!(
        spec.get("RegistryCredential").is_none(),
        "no password is ever served"
    );
}
