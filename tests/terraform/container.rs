// SPDX-License-Identifier: MPL-2.0
//! A container application (ImageType `Container`) end to end, with the real `terraform` CLI
//! against the emulator: create waits for its copies, refresh and import read it back, and
//! every GetImage and ListImages the provider sends names an `ImageType` (the service defaults
//! to `VM`, and the emulator, like the service is expected to, does not find a container
//! image asked for as a VM one).

use std::time::Duration;
use std::time::Instant;

use crate::support::{emulator_and_tf_with, hcl, Emulator, TfDir};

const APP: &str = "ci-ctr-e2eContainer1";
const ADDR: &str = "ehpc_app_sync.x";

fn status(state: &serde_json::Value, region: &str) -> String {
    state["copies"][region]["status"]
        .as_str()
        .unwrap_or("<none>")
        .to_string()
}

/// Every read call the emulator answered carried an `ImageType`; the GetImage ones
/// `Container`. Returns how many GetImage calls there were.
fn reads_named_the_type(emu: &Emulator) -> usize {
    let calls = emu.calls();
    let mut gets = 0;
    for call in &calls {
        match call["action"].as_str() {
            Some("GetImage") => {
                gets += 1;
                assert_eq!(call["image_type"], "Container", "{call}");
            }
            Some("ListImages") => assert!(call["image_type"].is_string(), "{calls:#?}"),
            _ => {}
        }
    }
    gets
}

#[test]
fn a_container_application_creates_waits_refreshes_and_imports() {
    if !crate::support::terraform_available() {
        return;
    }
    let app = format!("{APP},type=Container");
    let body = hcl::app_sync("x", APP, Some(&["cn-shanghai", "cn-beijing"]));
    let (emu, tf) = emulator_and_tf_with(&[&app], &["--copy-seconds", "2"], &body);
    let started = Instant::now();
    tf.apply();
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "the apply waited"
    );
    let state = tf.state_of(ADDR);
    assert_eq!(status(&state, "cn-shanghai"), "Available", "{state}");
    assert_eq!(status(&state, "cn-beijing"), "Available", "{state}");
    assert_eq!(state["copies_ready"], true);
    assert!(state["image_id"].as_str().is_some_and(|i| !i.is_empty()));
    // Refresh: a deleted copy is seen (the read found the container image).
    emu.delete_copy(APP, "cn-beijing");
    tf.plan()
        .assert_contains("1 to change")
        .assert_contains("cn-beijing");
    tf.apply();
    tf.assert_empty_plan();
    let synced = emu.sync_calls().len();

    // Import into a fresh configuration.
    let imported = TfDir::new();
    imported.main_tf_for(
        &emu,
        &format!("\nimport {{\n  to = {ADDR}\n  id = \"{APP}\"\n}}\n"),
    );
    imported
        .tf(&["plan", "-input=false", "-generate-config-out=gen.tf"])
        .success();
    let generated = imported.read("gen.tf");
    let flat = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("target_region_ids = [\"cn-beijing\", \"cn-shanghai\"]"),
        "{generated}"
    );
    imported
        .apply()
        .assert_contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed");
    imported.assert_empty_plan();
    assert_eq!(emu.sync_calls().len(), synced, "importing sends nothing");
    assert!(
        reads_named_the_type(&emu) >= 4,
        "GetImage on create, refresh, import"
    );
}

/// A container application's object records its ImageType in the private data, so a refresh
/// is one GetImage. Without the record (an edited state, or one written before types were
/// recorded) GetImage does not know the image as a VM one; one ListImages pass (VM, then
/// Container) tells the type, the refresh records it again, and the next is one GetImage.
#[test]
fn a_lost_type_record_costs_one_listing_and_is_written_again() {
    if !crate::support::terraform_available() {
        return;
    }
    let app = format!("{APP},type=Container");
    let body = hcl::app_sync("x", APP, Some(&["cn-shanghai"]));
    let (emu, tf) = emulator_and_tf_with(&[&app], &[], &body);
    tf.apply();
    let private = |tf: &TfDir| {
        let state: serde_json::Value =
            serde_json::from_str(&tf.read("terraform.tfstate")).expect("state JSON");
        state["resources"][0]["instances"][0]["private"].clone()
    };
    assert!(private(&tf).is_string(), "a record: {}", private(&tf));
    let refresh = |tf: &TfDir| {
        let before = emu.calls().len();
        tf.tf(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
            .success();
        emu.actions().split_off(before)
    };
    assert_eq!(refresh(&tf), ["GetImage"]);

    let mut state: serde_json::Value =
        serde_json::from_str(&tf.read("terraform.tfstate")).expect("state JSON");
    state["resources"][0]["instances"][0]["private"] = serde_json::Value::Null;
    state["serial"] = serde_json::json!(state["serial"].as_u64().unwrap_or(0) + 1);
    tf.write("terraform.tfstate", &state.to_string());
    assert_eq!(
        refresh(&tf),
        ["GetImage", "ListImages", "ListImages", "GetImage"]
    );
    assert!(private(&tf).is_string(), "recorded again: {}", private(&tf));
    assert_eq!(refresh(&tf), ["GetImage"]);
    tf.assert_empty_plan();
}
