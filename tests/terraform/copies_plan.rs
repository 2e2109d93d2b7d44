// SPDX-License-Identifier: MPL-2.0
//! What plans of `ehpc_app_sync` promise and what applies do (issue 25): a downstream
//! `terraform_data` built from one copy's `image_id` is not replaced when a region is added,
//! another region's copy is repaired or its pending copy is waited for; a deleted copy is
//! repaired under `["all"]` and under `ignore_changes`, with a plan-time warning; `[]` sends
//! nothing; a region GetImage does not list settles in one apply.

use crate::support::{hcl, owned, Emulator, TfDir, REGION};

const APP: &str = "ci-vm-e2eCopiesPl1";
const ADDR: &str = "ehpc_app_sync.x";

/// A consumer replaced whenever the Shanghai copy's image id changes.
const CONSUMER: &str = "\nresource \"terraform_data\" \"consumer\" {\n  triggers_replace = ehpc_app_sync.x.copies[\"cn-shanghai\"].image_id\n}\n";

fn configure(tf: &TfDir, emu: &Emulator, regions: &[&str], extra: &str, tail: &str) {
    let app = hcl::app_sync_with("x", &format!("\"{APP}\""), Some(regions), extra);
    tf.main_tf(&format!("{}{app}{tail}", hcl::provider(&emu.url)));
}

/// The planned actions by address, from a saved plan, and the plan's text output.
fn planned_actions(tf: &TfDir) -> (serde_json::Value, crate::support::TfOutput) {
    let out = tf.tf(&["plan", "-input=false", "-out=tfplan"]).success();
    let shown = tf.tf(&["show", "-json", "tfplan"]).success().json();
    let mut actions = serde_json::Map::new();
    for change in shown["resource_changes"].as_array().into_iter().flatten() {
        let address = change["address"].as_str().unwrap_or_default().to_string();
        actions.insert(address, change["change"].clone());
    }
    (serde_json::Value::Object(actions), out)
}

#[track_caller]
fn assert_consumer_kept(changes: &serde_json::Value) {
    assert_eq!(
        changes["terraform_data.consumer"]["actions"],
        serde_json::json!(["no-op"]),
        "the consumer of the Shanghai copy is not replaced: {changes:#}"
    );
}

#[test]
fn a_consumer_of_one_copy_survives_an_added_region_and_a_repair_elsewhere() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let tf = TfDir::new();
    configure(&tf, &emu, &["cn-shanghai"], "", CONSUMER);
    tf.apply();
    tf.assert_empty_plan();

    // An added region: only its entry is unknown.
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "", CONSUMER);
    let (changes, _) = planned_actions(&tf);
    assert_consumer_kept(&changes);
    let unknown = &changes[ADDR]["after_unknown"]["copies"];
    let want = serde_json::json!({"cn-beijing": true, "cn-shanghai": {}});
    assert_eq!(unknown, &want, "only the added region's entry: {changes:#}");
    assert_eq!(changes[ADDR]["actions"], serde_json::json!(["update"]));
    tf.tf(&["apply", "-input=false", "tfplan"]).success();
    assert_eq!(
        emu.sync_calls().last().and_then(|c| c.regions.clone()),
        Some(owned(&["cn-beijing"]))
    );
    tf.assert_empty_plan();

    // Another region's copy deleted out of band: repaired, with a warning saying so.
    emu.delete_copy(APP, "cn-beijing");
    let (changes, out) = planned_actions(&tf);
    assert_consumer_kept(&changes);
    let warnings = out.provider_warnings();
    assert!(
        warnings.iter().any(
            |w| w.contains("Copy in cn-beijing will be synchronized again")
                && w.contains("\"cn-beijing\" is missing")
        ),
        "{warnings:?}"
    );
    let before = emu.sync_calls().len();
    tf.tf(&["apply", "-input=false", "tfplan"]).success();
    let repair = emu.sync_calls().split_off(before);
    assert_eq!(repair.len(), 1, "{repair:?}");
    assert_eq!(repair[0].regions, Some(owned(&["cn-beijing"])));
    tf.assert_empty_plan();
}

#[test]
fn a_consumer_of_a_pending_copy_survives_the_resumed_wait() {
    if !crate::support::terraform_available() {
        return;
    }
    // Long enough that the copy is still pending when the next plan runs.
    let emu = Emulator::start(&[APP], &["--copy-seconds", "20"]);
    let tf = TfDir::new();
    configure(
        &tf,
        &emu,
        &["cn-shanghai"],
        "  wait_for_copies = false\n",
        CONSUMER,
    );
    tf.apply();
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(state["copies_ready"], false, "{state}");
    let image = state["copies"]["cn-shanghai"]["image_id"].clone();

    configure(&tf, &emu, &["cn-shanghai"], "", CONSUMER);
    let (changes, _) = planned_actions(&tf);
    assert_consumer_kept(&changes);
    let unknown = &changes[ADDR]["after_unknown"]["copies"];
    assert_eq!(
        unknown,
        &serde_json::json!({"cn-shanghai": {"status": true}}),
        "only the status of the waited-for copy is unknown: {changes:#}"
    );
    tf.tf(&["apply", "-input=false", "tfplan"]).success();
    assert_eq!(emu.sync_calls().len(), 1, "a resumed wait sends nothing");
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    assert_eq!(state["copies"]["cn-shanghai"]["image_id"], image);
    tf.assert_empty_plan();
}

#[test]
fn all_repairs_a_deleted_copy_by_sending_that_region() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let tf = TfDir::new();
    configure(&tf, &emu, &["all"], "", "");
    tf.apply();
    let state = tf.state_values(ADDR).expect("in state");
    let regions: Vec<String> = state["copies"]
        .as_object()
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(
        regions,
        ["ap-southeast-1", "cn-beijing", "cn-shanghai"],
        "never {REGION}"
    );
    tf.assert_empty_plan();

    emu.delete_copy(APP, "cn-shanghai");
    let plan = tf.tf(&["plan", "-detailed-exitcode", "-input=false"]);
    assert_eq!(plan.code(), 2, "{}", plan.dump());
    assert!(plan
        .provider_warnings()
        .iter()
        .any(|w| w.contains("Copy in cn-shanghai will be synchronized again")));
    let before = emu.sync_calls().len();
    tf.apply();
    let repair = emu.sync_calls().split_off(before);
    assert_eq!(repair.len(), 1, "{repair:?}");
    assert_eq!(
        repair[0].regions,
        Some(owned(&["cn-shanghai"])),
        "not \"all\" again"
    );
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    assert_eq!(state["target_region_ids"], serde_json::json!(["all"]));
    tf.assert_empty_plan();

    // The destroy warning names the regions holding copies, not "all".
    let out = tf
        .tf(&["destroy", "-auto-approve", "-input=false"])
        .success();
    let warnings = out.provider_warnings();
    assert!(
        warnings.iter().any(|w| w.contains(
            "in \"ap-southeast-1\", \"cn-beijing\" and \"cn-shanghai\" remain"
        )),
        "{warnings:?}"
    );
}

#[test]
fn ignore_changes_on_the_regions_keeps_them_and_still_repairs() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let tf = TfDir::new();
    let ignore = "  lifecycle {\n    ignore_changes = [target_region_ids]\n  }\n";
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], ignore, "");
    tf.apply();
    emu.delete_copy(APP, "cn-beijing");
    let before = emu.sync_calls().len();
    tf.apply();
    let repair = emu.sync_calls().split_off(before);
    assert_eq!(repair.len(), 1, "{repair:?}");
    assert_eq!(repair[0].regions, Some(owned(&["cn-beijing"])));
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(
        state["target_region_ids"],
        serde_json::json!(["cn-beijing", "cn-shanghai"]),
        "the region is not lost from state"
    );
    tf.assert_empty_plan();
}

#[test]
fn an_empty_region_list_sends_nothing_and_the_own_region_is_refused() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let tf = TfDir::new();
    configure(&tf, &emu, &[], "", "");
    let out = tf.apply();
    let warnings = out.provider_warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Nothing is synchronized") && w.contains("no SynchronizeApp call")),
        "{warnings:?}"
    );
    assert!(emu.sync_calls().is_empty(), "{:?}", emu.actions());
    tf.assert_empty_plan();

    configure(&tf, &emu, &[REGION, "cn-shanghai"], "", "");
    let out = tf.tf(&["plan", "-input=false"]).failure();
    let errors = out.diagnostics("Error");
    assert!(
        errors.iter().any(
            |e| e.contains("Target region is the application's own region")
                && e.contains(&format!("target_region_ids contains \"{REGION}\""))
        ),
        "{errors:?}"
    );
    assert!(emu.sync_calls().is_empty());
}

#[test]
fn a_region_get_image_does_not_list_settles_in_one_apply() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &["--unlisted-copies-in", "cn-beijing"]);
    let tf = TfDir::new();
    let no_wait = "  wait_for_copies = false\n";
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], no_wait, "");
    tf.apply();
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(
        state["copies"]["cn-beijing"]["status"], "NotReported",
        "{state}"
    );
    tf.assert_empty_plan();
    tf.assert_empty_plan();

    // Removed (its not-reported entry pruned), then added back: sent again, confirmed by
    // ImageAlreadyExists, settled again.
    configure(&tf, &emu, &["cn-shanghai"], no_wait, "");
    tf.apply();
    let state = tf.state_values(ADDR).expect("in state");
    assert!(state["copies"].get("cn-beijing").is_none(), "{state}");
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], no_wait, "");
    let before = emu.sync_calls().len();
    tf.apply();
    let calls = emu.sync_calls().split_off(before);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].code.as_deref(), Some("ImageAlreadyExists"));
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(
        state["copies"]["cn-beijing"]["status"], "NotReported",
        "{state}"
    );
    tf.assert_empty_plan();
    tf.assert_empty_plan();
}

#[test]
fn a_tainted_create_keeps_its_request_id_and_the_timeout_bounds_the_apply() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &["--copy-seconds", "6"]);
    let tf = TfDir::new();
    configure(
        &tf,
        &emu,
        &["cn-shanghai"],
        "  timeouts {\n    create = \"2s\"\n  }\n",
        "",
    );
    let started = std::time::Instant::now();
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let took = started.elapsed();
    out.assert_contains("Copies not ready in time");
    // 2 s of timeout, at most one poll (5 s) more, and Terraform's own start-up.
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");

    configure(&tf, &emu, &["cn-shanghai"], "", "");
    let out = tf.apply();
    out.assert_contains("1 added")
        .assert_contains("1 destroyed");
    assert_eq!(
        emu.sync_calls().len(),
        1,
        "the replacement resumes the wait, sending nothing"
    );
    let state = tf.state_values(ADDR).expect("in state");
    assert_eq!(state["request_id"], calls[0].request_id.as_str(), "{state}");
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    tf.assert_empty_plan();
}
