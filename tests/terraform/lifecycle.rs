// SPDX-License-Identifier: MPL-2.0
//! End-to-end lifecycle of `ehpc_app_sync` with the real `terraform` CLI against the
//! emulator (issue 4): create, adding and removing regions, replacing on an app_id change,
//! destroy. Each step is checked on both sides: what the emulator recorded
//! (/_emulator/calls, /_emulator/apps) and what Terraform printed and stored, and every
//! successful apply is followed by `terraform plan -detailed-exitcode` exiting 0.

use std::collections::BTreeSet;

use crate::support::{emulator_and_tf, hcl, owned, strings, Emulator, TfDir, REGION};

const APP: &str = "ci-vm-e2eLifecycle1";
const APP2: &str = "ci-vm-e2eLifecycle2";
const ADDR: &str = "ehpc_app_sync.x";

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The resource `x` syncing `app` to `regions`.
fn sync_x(app: &str, regions: &[&str]) -> String {
    hcl::app_sync("x", app, Some(regions))
}

/// An emulator holding [`APP`] and a working directory with [`sync_x`] of it to `regions`.
fn start(regions: &[&str]) -> (Emulator, TfDir) {
    emulator_and_tf(&[APP], &sync_x(APP, regions))
}

/// Rewrites main.tf as the emulator's provider block plus [`sync_x`].
fn config(tf: &TfDir, emu: &Emulator, app: &str, regions: &[&str]) {
    tf.main_tf_for(emu, &sync_x(app, regions));
}

/// Asserts that the emulator holds copies of [`APP`] in (at least) `regions`.
#[track_caller]
fn assert_copies_in(emu: &Emulator, regions: &[&str]) {
    let held = emu.regions_of(APP);
    assert!(held.is_superset(&set(regions)), "{held:?}");
}

fn request_id(tf: &TfDir) -> String {
    let state = tf.state_of(ADDR);
    state["request_id"]
        .as_str()
        .unwrap_or_else(|| panic!("request_id not a string: {state:#}"))
        .to_string()
}

#[test]
fn create_sends_every_region_sorted_and_records_the_request_id() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["cn-shanghai", "ap-southeast-1"]);
    tf.apply()
        .assert_contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");

    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "exactly one SynchronizeApp: {calls:?}");
    let call = &calls[0];
    assert!(call.ok(), "the call succeeded: {call:?}");
    assert_eq!(call.app_id, APP);
    assert_eq!(
        call.regions,
        Some(owned(&["ap-southeast-1", "cn-shanghai"]))
    );
    assert!(!call.request_id.is_empty());
    assert_copies_in(&emu, &["ap-southeast-1", "cn-shanghai"]);

    let state = tf.state_of(ADDR);
    assert_eq!(state["id"], APP);
    assert_eq!(state["app_id"], APP);
    assert_eq!(state["region"], REGION);
    assert_eq!(state["request_id"], call.request_id.as_str());
    assert_eq!(
        strings(&state["target_region_ids"]),
        set(&["ap-southeast-1", "cn-shanghai"])
    );
    tf.state_show(ADDR)
        .assert_contains(&format!("request_id = \"{}\"", call.request_id));
    tf.assert_empty_plan();
    assert_eq!(emu.sync_calls().len(), 1, "plans make no calls");
}

#[test]
fn create_passes_all_through() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["all"]);
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].ok(), "{calls:?}");
    assert_eq!(calls[0].regions, Some(owned(&["all"])));
    let state = tf.state_of(ADDR);
    assert_eq!(
        strings(&state["target_region_ids"]),
        set(&["all"]),
        "stored as written"
    );
    // "all" covers every region the emulator knows except the app's own.
    assert_copies_in(&emu, &["ap-southeast-1", "cn-beijing", "cn-shanghai"]);
    tf.assert_empty_plan();
}

#[test]
fn create_omits_target_region_ids_when_unset_and_sends_nothing_for_an_empty_set() {
    if !crate::support::terraform_available() {
        return;
    }
    let apps = ["ci-vm-e2eUnset", "ci-vm-e2eEmpty"];
    let (emu, tf) = emulator_and_tf(
        &apps,
        &format!(
            "{}{}",
            hcl::app_sync("unset", apps[0], None),
            hcl::app_sync("empty", apps[1], Some(&[])),
        ),
    );
    let out = tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "a call for the unset set only: {calls:?}");
    // The emulator logs an omitted parameter as an empty list.
    assert_eq!(
        calls[0].region_list(),
        Vec::<String>::new(),
        "TargetRegionIds omitted: {calls:?}"
    );
    assert!(out
        .provider_warnings()
        .iter()
        .any(|w| w.contains("Nothing is synchronized")));
    let empty = tf.state_of("ehpc_app_sync.empty");
    assert_eq!(
        empty["target_region_ids"],
        serde_json::json!([]),
        "[] stays []"
    );
    let unset = tf.state_of("ehpc_app_sync.unset");
    assert!(unset["target_region_ids"].is_null(), "unset stays null");
    tf.assert_empty_plan();
}

#[test]
fn adding_regions_sends_exactly_the_added_ones() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["cn-shanghai"]);
    tf.apply();
    tf.assert_empty_plan();
    let first = request_id(&tf);

    config(
        &tf,
        &emu,
        APP,
        &["cn-shanghai", "cn-beijing", "ap-southeast-1"],
    );
    tf.plan()
        .success()
        .assert_contains("ehpc_app_sync.x will be updated in-place")
        .assert_contains(&format!("request_id = \"{first}\" -> (known after apply)"));
    tf.apply()
        .assert_contains("Resources: 0 added, 1 changed, 0 destroyed");

    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1].app_id, APP);
    assert_eq!(
        calls[1].regions,
        Some(owned(&["ap-southeast-1", "cn-beijing"]))
    );
    assert_eq!(request_id(&tf), calls[1].request_id);
    assert_ne!(calls[1].request_id, first);
    assert_copies_in(&emu, &["ap-southeast-1", "cn-beijing", "cn-shanghai"]);
    tf.assert_empty_plan();
}

#[test]
fn removing_a_region_makes_no_call_and_warns_that_the_copy_stays() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["cn-shanghai", "cn-beijing"]);
    tf.apply();
    let before = request_id(&tf);

    config(&tf, &emu, APP, &["cn-shanghai"]);
    let plan = tf.plan().success();
    plan.assert_contains("ehpc_app_sync.x will be updated in-place")
        .assert_not_contains("(known after apply)");
    let warnings = plan.provider_warnings();
    assert!(
        warnings.iter().any(|w| w.contains("cn-beijing")),
        "the plan warning names the removed region: {warnings:?}"
    );
    tf.apply();

    assert_eq!(emu.sync_calls().len(), 1, "removal makes no API call");
    assert_eq!(request_id(&tf), before, "request_id keeps its value");
    let state = tf.state_of(ADDR);
    assert_eq!(strings(&state["target_region_ids"]), set(&["cn-shanghai"]));
    assert!(emu.regions_of(APP).contains("cn-beijing"), "the copy stays");
    tf.assert_empty_plan();
}

#[test]
fn changing_app_id_replaces_and_syncs_every_region_of_the_new_app() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = emulator_and_tf(&[APP, APP2], &sync_x(APP, &["cn-shanghai", "cn-beijing"]));
    tf.apply();

    config(&tf, &emu, APP2, &["cn-shanghai", "cn-beijing"]);
    tf.plan()
        .success()
        .assert_contains("ehpc_app_sync.x must be replaced")
        .assert_contains("# forces replacement")
        .assert_contains("Replaced application copies are not deleted")
        .assert_contains("Plan: 1 to add, 0 to change, 1 to destroy");
    tf.apply()
        .assert_contains("Resources: 1 added, 0 changed, 1 destroyed");

    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1].app_id, APP2);
    assert_eq!(
        calls[1].regions,
        Some(owned(&["cn-beijing", "cn-shanghai"]))
    );
    let state = tf.state_of(ADDR);
    assert_eq!(state["id"], APP2);
    assert_eq!(state["request_id"], calls[1].request_id.as_str());
    tf.assert_empty_plan();
}

#[test]
fn destroy_makes_no_call_and_warns_already_at_plan_time() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["cn-shanghai"]);
    tf.apply();

    let plan = tf.tf(&["plan", "-destroy", "-input=false"]).success();
    plan.assert_contains("ehpc_app_sync.x will be destroyed");
    plan.provider_warnings();

    let destroy = tf
        .tf(&["destroy", "-auto-approve", "-input=false"])
        .success();
    destroy.assert_contains("Destroy complete! Resources: 1 destroyed.");
    let warned = destroy
        .provider_warnings()
        .iter()
        .filter(|w| w.contains("Application copies are not deleted"))
        .count();
    assert_eq!(warned, 1, "warned once, at plan time, not again at apply");

    assert_eq!(emu.sync_calls().len(), 1, "destroy makes no API call");
    assert!(
        tf.state_addresses().is_empty(),
        "state is empty after destroy"
    );
    assert!(
        emu.regions_of(APP).contains("cn-shanghai"),
        "the copy stays"
    );
    // With the resource gone from the configuration too, nothing is left to do.
    tf.main_tf_for(&emu, "");
    tf.assert_empty_plan();
}

#[test]
fn replace_warns_that_the_old_copies_stay() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&["cn-shanghai"]);
    tf.apply();
    let out = tf
        .tf(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-replace=ehpc_app_sync.x",
        ])
        .success();
    out.assert_contains("ehpc_app_sync.x will be replaced, as requested");
    let warnings = out.provider_warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Application copies are not deleted") && w.contains("cn-shanghai")),
        "{warnings:?}"
    );
    assert_eq!(
        emu.sync_calls().len(),
        1,
        "the copy is still there: nothing is sent"
    );
    tf.assert_empty_plan();
}
