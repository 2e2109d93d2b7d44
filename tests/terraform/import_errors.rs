// SPDX-License-Identifier: MPL-2.0
//! End-to-end tests of `ehpc_app_sync` beyond the plain lifecycle, with the real `terraform`
//! CLI against the emulator (issue 4): CLI import and import blocks with
//! `-generate-config-out`, an app_id unknown at plan time, ImageNotFound surfaced with its
//! RequestId, and the ImageAlreadyExists fallback (also when the emulator's state already holds
//! a region). How the provider block is configured is tested in configuration.rs.

use std::collections::BTreeSet;

use crate::support::{hcl, owned, Emulator, TfDir, REGION, SECRET_KEY};

const APP: &str = "ci-vm-e2eImport01";
const ADDR: &str = "ehpc_app_sync.x";

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn cli_import_then_apply_syncs_the_configured_regions() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) =
        crate::support::emulator_and_tf(&[APP], &hcl::app_sync("x", APP, Some(&["cn-shanghai"])));
    tf.tf(&["import", "-input=false", ADDR, APP])
        .success()
        .assert_contains("Import successful!");
    assert!(emu.sync_calls().is_empty(), "import makes no API call");
    let state = tf.state_of(ADDR);
    assert_eq!(state["app_id"], APP);
    assert_eq!(state["id"], APP);
    assert_eq!(state["region"], REGION);
    assert!(state["target_region_ids"].is_null(), "{state:#}");
    tf.state_show(ADDR)
        .assert_contains(&format!("app_id = \"{APP}\""));

    tf.plan()
        .success()
        .assert_contains("ehpc_app_sync.x will be updated in-place");
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].regions, Some(owned(&["cn-shanghai"])));
    tf.assert_empty_plan();
}

#[test]
fn import_block_with_generate_config_out() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = crate::support::emulator_and_tf(
        &[APP],
        &format!("\nimport {{\n  to = {ADDR}\n  id = \"{APP}\"\n}}\n"),
    );
    tf.tf(&["plan", "-input=false", "-generate-config-out=gen.tf"])
        .success()
        .assert_contains("ehpc_app_sync.x: Preparing import... [id=ci-vm-e2eImport01]")
        .assert_contains("1 to import");
    let generated = tf.read("gen.tf");
    let flat = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "resource \"ehpc_app_sync\" \"x\"",
        &format!("app_id = \"{APP}\""),
        "target_region_ids = null",
    ] {
        assert!(
            flat.contains(needle),
            "gen.tf lacks {needle:?}:\n{generated}"
        );
    }
    assert!(
        !flat.contains("request_id"),
        "computed-only attributes are not generated:\n{generated}"
    );

    tf.apply()
        .assert_contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed");
    assert!(emu.sync_calls().is_empty(), "importing makes no API call");
    let state = tf.state_of(ADDR);
    assert_eq!(state["id"], APP);
    tf.assert_empty_plan();

    // The following apply synchronizes what the (edited) generated config asks for.
    let edited: Vec<String> = generated
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("target_region_ids") {
                "  target_region_ids = [\"cn-beijing\"]".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    tf.write("gen.tf", &edited.join("\n"));
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].regions, Some(owned(&["cn-beijing"])));
    tf.assert_empty_plan();
}

#[test]
fn app_id_from_another_resource_is_unknown_at_plan_and_applies() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = crate::support::emulator_and_tf(
        &[APP],
        &format!(
            "\nresource \"terraform_data\" \"app\" {{\n  input = \"{APP}\"\n}}\n{}",
            hcl::app_sync_expr("x", "terraform_data.app.output", Some(&["cn-shanghai"]))
        ),
    );
    tf.validate().success();
    tf.plan()
        .success()
        .assert_contains("app_id = (known after apply)")
        .assert_contains("Plan: 2 to add");
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].app_id, APP);
    assert_eq!(calls[0].regions, Some(owned(&["cn-shanghai"])));
    assert_eq!(tf.state_of(ADDR)["id"], APP);
    tf.assert_empty_plan();
}

#[test]
fn image_not_found_is_an_error_with_its_request_id_and_leaves_no_state() {
    if !crate::support::terraform_available() {
        return;
    }
    let missing = "ci-vm-doesNotExist";
    let (emu, tf) = crate::support::emulator_and_tf(
        &[APP],
        &hcl::app_sync("x", missing, Some(&["cn-shanghai"])),
    );
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    assert_eq!(
        out.code(),
        1,
        "terraform apply exits 1 on an error diagnostic"
    );
    let calls = emu.sync_calls();
    let failed = calls
        .iter()
        .find(|c| c.code.as_deref() == Some("ImageNotFound"))
        .unwrap_or_else(|| panic!("the emulator answered ImageNotFound: {calls:?}"));
    assert_eq!(failed.status, 404);
    assert!(!failed.request_id.is_empty());
    let errors = out.diagnostics("Error");
    let error = errors
        .iter()
        .find(|e| e.contains("ImageNotFound"))
        .unwrap_or_else(|| panic!("no ImageNotFound error diagnostic: {errors:?}"));
    assert!(
        error.contains(&failed.request_id),
        "names the RequestId: {error}"
    );
    assert!(error.contains("404"), "names the HTTP status: {error}");
    assert!(error.contains("app_id"), "points at app_id: {error}");
    assert!(!out.text().contains(SECRET_KEY), "the secret never appears");
    assert!(
        tf.state_addresses().is_empty(),
        "a failed create leaves no state"
    );
}

/// An emulator whose state already holds the app's copy in cn-shanghai (Terraform never
/// ran), started with `extra` arguments.
fn emulator_with_a_copy_in_shanghai(extra: &[&str]) -> (tempfile::TempDir, Emulator) {
    let state_dir = tempfile::tempdir().expect("temp dir");
    let state = state_dir.path().join("emulator.json");
    let prepared = serde_json::json!({ "apps": { APP: ["cn-shanghai"] } });
    std::fs::write(&state, prepared.to_string()).expect("write emulator state");
    let state_arg = state.to_str().expect("utf-8 temp path");
    let mut args = vec!["--state", state_arg];
    args.extend_from_slice(extra);
    let emu = Emulator::start(&[], &args);
    assert_eq!(emu.regions_of(APP), set(&["cn-shanghai"]), "state loaded");
    (state_dir, emu)
}

#[test]
fn image_already_exists_falls_back_to_one_region_at_a_time_and_settles() {
    if !crate::support::terraform_available() {
        return;
    }
    // GetImage does not list the copy in cn-shanghai, so reading first cannot see it: only
    // SynchronizeApp can tell, with ImageAlreadyExists.
    let (_state, emu) = emulator_with_a_copy_in_shanghai(&["--unlisted-copies-in", "cn-shanghai"]);
    let tf = TfDir::new();
    tf.main_tf_for(
        &emu,
        &hcl::app_sync("x", APP, Some(&["cn-shanghai", "cn-beijing"])),
    );
    let out = tf.apply();
    let warnings = out.provider_warnings();
    assert!(
        warnings.iter().any(|w| w.contains("cn-shanghai")),
        "the warning names the region that already held the app: {warnings:?}"
    );

    let calls = emu.sync_calls();
    assert_eq!(
        calls[0].regions,
        Some(owned(&["cn-beijing", "cn-shanghai"])),
        "first the whole diff in one call: {calls:?}"
    );
    assert_eq!(calls[0].code.as_deref(), Some("ImageAlreadyExists"));
    let singles: Vec<_> = calls[1..].iter().collect();
    assert!(
        singles.iter().all(|c| c.region_list().len() == 1),
        "then one region per call: {calls:?}"
    );
    assert!(
        singles
            .iter()
            .any(|c| c.ok() && c.region_list() == owned(&["cn-beijing"])),
        "cn-beijing was synchronized: {calls:?}"
    );
    let state = tf.state_of("ehpc_app_sync.x");
    let last = calls.last().expect("calls");
    assert_eq!(
        state["request_id"],
        last.request_id.as_str(),
        "request_id records the last call made: {calls:#?}"
    );
    // The region GetImage does not list stays, marked as not reported, and the plans settle.
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "NotReported");
    assert_eq!(state["copies"]["cn-beijing"]["status"], "Available");
    assert_eq!(state["copies_ready"], true);
    tf.assert_empty_plan();
    tf.assert_empty_plan();
    assert_eq!(
        emu.sync_calls().len(),
        calls.len(),
        "and nothing more is sent"
    );
}

#[test]
fn regions_already_holding_a_copy_are_not_sent_again() {
    if !crate::support::terraform_available() {
        return;
    }
    let (_state, emu) = emulator_with_a_copy_in_shanghai(&[]);
    let tf = TfDir::new();
    tf.main_tf_for(
        &emu,
        &hcl::app_sync("x", APP, Some(&["cn-shanghai", "ap-southeast-1"])),
    );
    let warnings = tf.apply().diagnostics("Warning");
    assert_eq!(
        warnings,
        Vec::<String>::new(),
        "no ImageAlreadyExists to explain"
    );
    assert_eq!(emu.regions_of(APP), set(&["ap-southeast-1", "cn-shanghai"]));
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].ok() && calls[0].region_list() == owned(&["ap-southeast-1"]),
        "only ap-southeast-1 is sent: {calls:?}"
    );
    let state = tf.state_of("ehpc_app_sync.x");
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    assert_eq!(state["copies"]["ap-southeast-1"]["status"], "Available");
    tf.assert_empty_plan();
}
