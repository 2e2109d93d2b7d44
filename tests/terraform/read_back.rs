// SPDX-License-Identifier: MPL-2.0
//! `ehpc_app_sync` reads the cloud back (issue 17), with the real `terraform` CLI against the
//! emulator: an apply waits for ready copies, a copy deleted or failed out of band shows as
//! one copy to repair (recorded `Missing`, with a warning) and is repaired with one call, an unknown status word ends a wait with a
//! warning, import fills the regions and the generated configuration, `-refresh=false` calls
//! nothing, and a state written at schema version 0 upgrades without a change or a call.
//! Every successful apply is followed by an empty `plan -detailed-exitcode`.

use std::time::{Duration, Instant};

use crate::support::{emulator_and_tf_with, hcl, owned, Emulator, TfDir};

const APP: &str = "ci-vm-e2eReadBack1";
const ADDR: &str = "ehpc_app_sync.x";

/// `resource "ehpc_app_sync" "x"` for [`APP`] with `regions` and `extra` lines.
fn resource(regions: &[&str], extra: &str) -> String {
    hcl::app_sync_with("x", &format!("\"{APP}\""), Some(regions), extra)
}

fn configure(tf: &TfDir, emu: &Emulator, regions: &[&str], extra: &str) {
    tf.main_tf_for(emu, &resource(regions, extra));
}

/// An emulator holding [`APP`], started with `args`, and a working directory with
/// [`resource`] of `regions` and `extra`.
fn start(args: &[&str], regions: &[&str], extra: &str) -> (Emulator, TfDir) {
    emulator_and_tf_with(&[APP], args, &resource(regions, extra))
}

fn status(state: &serde_json::Value, region: &str) -> String {
    state["copies"][region]["status"]
        .as_str()
        .unwrap_or("<none>")
        .to_string()
}

#[test]
fn apply_waits_until_the_copies_are_ready() {
    if !crate::support::terraform_available() {
        return;
    }
    let output = "\noutput \"shanghai_image\" {\n  value = ehpc_app_sync.x.copies[\"cn-shanghai\"].image_id\n}\n";
    let body = format!("{}{output}", resource(&["cn-shanghai", "cn-beijing"], ""));
    let (emu, tf) = emulator_and_tf_with(&[APP], &["--copy-seconds", "2"], &body);
    let started = Instant::now();
    tf.apply();
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(2), "the apply waited: {took:?}");
    let state = tf.state_of(ADDR);
    assert_eq!(status(&state, "cn-shanghai"), "Available");
    assert_eq!(status(&state, "cn-beijing"), "Available");
    assert_eq!(state["copies_ready"], true);
    assert!(
        state["image_id"]
            .as_str()
            .is_some_and(|i| i.starts_with("m-")),
        "{state}"
    );
    let copy_image = state["copies"]["cn-shanghai"]["image_id"].clone();
    assert!(copy_image.as_str().is_some_and(|i| i.starts_with("m-")));
    let shown = tf.tf(&["output", "-raw", "shanghai_image"]).success();
    assert_eq!(shown.stdout.trim(), copy_image.as_str().unwrap_or_default());
    assert_eq!(emu.sync_calls().len(), 1);
    tf.assert_empty_plan();
}

#[test]
fn a_deleted_copy_shows_as_one_copy_to_repair_and_one_call_repairs_it() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&[], &["cn-shanghai", "cn-beijing"], "");
    tf.apply();
    tf.assert_empty_plan();

    emu.delete_copy(APP, "cn-beijing");
    let plan = tf.tf(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(plan.code(), 2, "drift is a change\n{}", plan.dump());
    plan.assert_contains("Copy in cn-beijing will be synchronized again")
        .assert_contains("\"Missing\"")
        .assert_not_contains("Copy in cn-shanghai")
        .assert_contains("1 to change");

    let repair = emu.sync_calls_during(|| tf.apply());
    assert_eq!(repair.len(), 1, "{repair:?}");
    assert!(repair[0].ok() && repair[0].regions == Some(owned(&["cn-beijing"])));
    assert_eq!(status(&tf.state_of(ADDR), "cn-beijing"), "Available");
    tf.assert_empty_plan();
}

#[test]
fn a_failed_copy_fails_the_apply_and_a_later_apply_repairs_it() {
    if !crate::support::terraform_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("emulator.json");
    let state = state.to_str().expect("utf-8 path");
    let emu = Emulator::start(
        &[APP],
        &["--state", state, "--fail-copies-to", "cn-beijing"],
    );
    let tf = TfDir::new();
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "");
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let errors = out.diagnostics("Error");
    assert!(
        errors.iter().any(|e| e.contains("Copy failed")
            && e.contains("\"cn-beijing\"")
            && e.contains("\"CreateFailed\"")),
        "the error names the region and its status: {errors:?}"
    );
    drop(emu);

    // The service recovers; the next apply sends only the failed region.
    let emu = Emulator::start(&[APP], &["--state", state]);
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "");
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].regions, Some(owned(&["cn-beijing"])));
    let values = tf.state_of(ADDR);
    assert_eq!(status(&values, "cn-beijing"), "Available");
    assert_eq!(values["copies_ready"], true);
    tf.assert_empty_plan();
}

#[test]
fn an_unknown_status_word_ends_the_wait_with_a_warning() {
    if !crate::support::terraform_available() {
        return;
    }
    let no_wait = "  wait_for_copies = false\n";
    let (emu, tf) = start(&["--copy-seconds", "3600"], &["cn-shanghai"], no_wait);
    tf.apply();
    let state = tf.state_of(ADDR);
    assert_eq!(
        (status(&state, "cn-shanghai"), &state["copies_ready"]),
        ("Creating".into(), &serde_json::json!(false))
    );
    tf.assert_empty_plan();

    emu.pin_status(APP, "cn-shanghai", "Optimizing");
    configure(&tf, &emu, &["cn-shanghai"], "");
    let started = Instant::now();
    let out = tf.apply();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "no endless wait"
    );
    let warnings = out.provider_warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Copy status not understood") && w.contains("\"Optimizing\"")),
        "{warnings:?}"
    );
    assert_eq!(emu.sync_calls().len(), 1, "resuming the wait sends nothing");
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies_ready"], true);
    tf.assert_empty_plan();
}

#[test]
fn import_reads_the_regions_into_state_and_the_generated_configuration() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    // Copies made before Terraform manages the app (by another configuration).
    let seed = TfDir::new();
    configure(&seed, &emu, &["cn-shanghai", "ap-southeast-1"], "");
    seed.apply();
    let synced = emu.sync_calls().len();

    let tf = TfDir::new();
    tf.main_tf_for(
        &emu,
        &format!("\nimport {{\n  to = {ADDR}\n  id = \"{APP}\"\n}}\n"),
    );
    tf.tf(&["plan", "-input=false", "-generate-config-out=gen.tf"])
        .success();
    let generated = tf.read("gen.tf");
    let flat = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("target_region_ids = [\"ap-southeast-1\", \"cn-shanghai\"]"),
        "gen.tf lists the regions holding copies:\n{generated}"
    );
    tf.apply()
        .assert_contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed");
    assert_eq!(emu.sync_calls().len(), synced, "importing sends nothing");
    let state = tf.state_of(ADDR);
    assert_eq!(status(&state, "cn-shanghai"), "Available");
    tf.assert_empty_plan();
}

#[test]
fn a_plan_without_refresh_calls_nothing() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&[], &["cn-shanghai"], "");
    tf.apply();
    let calls = emu.calls().len();
    let out = tf.tf(&[
        "plan",
        "-refresh=false",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(out.code(), 0, "{}", out.dump());
    assert_eq!(emu.calls().len(), calls, "no call without refresh");
    tf.assert_empty_plan();
    let refreshed = emu.actions().split_off(calls);
    assert_eq!(
        refreshed,
        ["GetImage"],
        "a refresh is one GetImage per resource: the state records the image id, and GetImage \
         is sent the default ImageType"
    );
    // A VM application records nothing in the private data: Terraform copies an instance's
    // private bytes once per instance of the resource while it plans.
    let private = || {
        let state: serde_json::Value =
            serde_json::from_str(&tf.read("terraform.tfstate")).expect("state JSON");
        state["resources"][0]["instances"][0]
            .get("private")
            .cloned()
    };
    assert_eq!(private(), None, "no private record");

    // A record of the default type, as earlier builds wrote it, is read and then dropped.
    let mut state: serde_json::Value =
        serde_json::from_str(&tf.read("terraform.tfstate")).expect("state JSON");
    state["resources"][0]["instances"][0]["private"] = "aW1hZ2UtdHlwZT1WTQ==".into();
    state["serial"] = serde_json::json!(state["serial"].as_u64().unwrap_or(0) + 1);
    tf.write("terraform.tfstate", &state.to_string());
    let before = emu.calls().len();
    tf.tf(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
        .success();
    assert_eq!(emu.actions().split_off(before), ["GetImage"]);
    assert_eq!(private(), None, "the older record is dropped");
    tf.assert_empty_plan();
}

#[test]
fn a_version_0_state_upgrades_without_a_change_or_a_call() {
    if !crate::support::terraform_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("emulator.json");
    let prepared = serde_json::json!({ "apps": { APP: ["cn-shanghai"] } });
    std::fs::write(&state, prepared.to_string()).expect("write emulator state");
    let emu = Emulator::start(&[], &["--state", state.to_str().expect("utf-8 path")]);
    let tf = TfDir::new();
    configure(&tf, &emu, &["cn-shanghai"], "");
    // The state file Terraform 1.11.4 keeps for an ehpc_app_sync of release 0.1.0 (schema
    // version 0: no image_id, copies, copies_ready nor wait_for_copies).
    tf.write(
        "terraform.tfstate",
        include_str!("fixtures/schema-version-0-state.json"),
    );

    let out = tf.tf(&[
        "plan",
        "-refresh=false",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(out.code(), 0, "{}", out.dump());
    assert!(emu.calls().is_empty(), "no call: {:?}", emu.actions());
    tf.assert_empty_plan();
    assert_eq!(
        emu.actions(),
        ["ListImages", "ListImages", "GetImage"],
        "the refresh only reads (one ListImages pass: VM, then Container)"
    );
    tf.apply();
    let upgraded = tf.state_of(ADDR);
    assert_eq!(status(&upgraded, "cn-shanghai"), "Available");
    assert_eq!(
        upgraded["request_id"],
        "6D2C71E2-0B0C-4C4B-9F1D-5A6E7A0C3B21"
    );
    assert!(emu.sync_calls().is_empty());
}

#[test]
fn a_version_1_state_upgrades_without_a_change_or_a_call() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[], &[]);
    let tf = TfDir::new();
    configure(
        &tf,
        &emu,
        &["cn-beijing", "cn-shanghai"],
        "  wait_for_copies = false\n",
    );
    // The state file Terraform 1.11.4 keeps for an ehpc_app_sync at schema version 1 (whose
    // refresh rewrote target_region_ids): the values carry over as they are.
    tf.write(
        "terraform.tfstate",
        include_str!("fixtures/schema-version-1-state.json"),
    );
    tf.tf(&["plan", "-refresh=false", "-input=false", "-out=tfplan"])
        .success()
        .assert_contains("No changes");
    assert!(emu.calls().is_empty(), "no call: {:?}", emu.actions());
    let shown = tf.tf(&["show", "-json", "tfplan"]).success().json();
    let prior = &shown["prior_state"]["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(
        prior["copies"]["cn-shanghai"]["image_id"], "m-e2eshanghai001",
        "{prior}"
    );
    assert_eq!(prior["request_id"], "9A1C3E55-7B2D-4F60-8E14-2C5D7A9B0F31");
    assert_eq!(prior["copies_ready"], false);
}
