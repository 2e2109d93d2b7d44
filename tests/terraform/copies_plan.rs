// SPDX-License-Identifier: MPL-2.0
//! What plans of `ehpc_app_sync` promise and what applies do (issue 25): a downstream
//! `terraform_data` built from one copy's `image_id` is not replaced when a region is added,
//! another region's copy is repaired or its pending copy is waited for; a deleted copy is
//! repaired under `["all"]` and under `ignore_changes`, with a plan-time warning; `[]` sends
//! nothing; a region GetImage does not list settles in one apply; a saved plan applied after a
//! copy it kept was deleted fails instead of recording the copy as still there.

use crate::support::{emulator_and_tf_with, hcl, owned, Call, Emulator, TfDir, REGION};

const APP: &str = "ci-vm-e2eCopiesPl1";
const ADDR: &str = "ehpc_app_sync.x";

/// A consumer replaced whenever the Shanghai copy's image id changes.
const CONSUMER: &str = "\nresource \"terraform_data\" \"consumer\" {\n  triggers_replace = ehpc_app_sync.x.copies[\"cn-shanghai\"].image_id\n}\n";

/// `ehpc_app_sync.x` of [`APP`] to `regions` with `extra` lines in its block, then `tail`.
fn body(regions: &[&str], extra: &str, tail: &str) -> String {
    let app = hcl::app_sync_with("x", &format!("\"{APP}\""), Some(regions), extra);
    format!("{app}{tail}")
}

/// An emulator holding [`APP`], started with `args`, and a working directory with [`body`].
fn start(args: &[&str], regions: &[&str], extra: &str, tail: &str) -> (Emulator, TfDir) {
    emulator_and_tf_with(&[APP], args, &body(regions, extra, tail))
}

fn configure(tf: &TfDir, emu: &Emulator, regions: &[&str], extra: &str, tail: &str) {
    tf.main_tf_for(emu, &body(regions, extra, tail));
}

/// The one SynchronizeApp call `act` made, asserted to be one.
#[track_caller]
fn only_sync_call_during<T>(emu: &Emulator, act: impl FnOnce() -> T) -> Call {
    let mut calls = emu.sync_calls_during(act);
    assert_eq!(calls.len(), 1, "{calls:?}");
    calls.remove(0)
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
    let (emu, tf) = start(&[], &["cn-shanghai"], "", CONSUMER);
    tf.apply();
    tf.assert_empty_plan();

    // An added region: only its entry is unknown.
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "", CONSUMER);
    let (changes, _) = tf.saved_plan("tfplan");
    assert_consumer_kept(&changes);
    let unknown = &changes[ADDR]["after_unknown"]["copies"];
    let want = serde_json::json!({"cn-beijing": true, "cn-shanghai": {}});
    assert_eq!(unknown, &want, "only the added region's entry: {changes:#}");
    assert_eq!(changes[ADDR]["actions"], serde_json::json!(["update"]));
    tf.apply_saved_plan("tfplan");
    assert_eq!(
        emu.sync_calls().last().and_then(|c| c.regions.clone()),
        Some(owned(&["cn-beijing"]))
    );
    tf.assert_empty_plan();

    // Another region's copy deleted out of band: repaired, with a warning saying so.
    emu.delete_copy(APP, "cn-beijing");
    let (changes, out) = tf.saved_plan("tfplan");
    assert_consumer_kept(&changes);
    let warnings = out.provider_warnings();
    assert!(
        warnings.iter().any(
            |w| w.contains("Copy in cn-beijing will be synchronized again")
                && w.contains("\"cn-beijing\" is missing")
        ),
        "{warnings:?}"
    );
    let repair = only_sync_call_during(&emu, || tf.apply_saved_plan("tfplan"));
    assert_eq!(repair.regions, Some(owned(&["cn-beijing"])));
    tf.assert_empty_plan();
}

#[test]
fn a_saved_plan_applied_after_its_kept_copy_was_deleted_fails_and_records_the_truth() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&[], &["cn-shanghai"], "", CONSUMER);
    tf.apply();
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "", CONSUMER);
    let (changes, _) = tf.saved_plan("tfplan");
    assert_consumer_kept(&changes);

    // Deleted between the plan, which kept it, and the apply of that plan.
    emu.delete_copy(APP, "cn-shanghai");
    let mut apply = None;
    let calls = emu.sync_calls_during(|| {
        apply = Some(tf.tf(&["apply", "-input=false", "-no-color", "tfplan"]));
    });
    let apply = apply.expect("ran");
    assert_ne!(apply.code(), 0, "{}", apply.dump());
    apply
        .assert_contains("Copies changed since the plan")
        .assert_contains("\"cn-shanghai\"")
        .assert_not_contains("inconsistent result");
    let sent: Vec<_> = calls.iter().map(|c| c.regions.clone()).collect();
    assert_eq!(
        sent,
        [Some(owned(&["cn-beijing"]))],
        "only what the plan showed"
    );
    let state = tf.state_of(ADDR);
    assert_eq!(
        state["copies"]["cn-beijing"]["status"], "Available",
        "{state}"
    );
    assert_ne!(
        state["copies"]["cn-shanghai"]["status"], "Available",
        "{state}"
    );

    // The next apply sends the deleted region again, and then nothing is left to do.
    let repair = only_sync_call_during(&emu, || tf.apply());
    assert_eq!(repair.regions, Some(owned(&["cn-shanghai"])));
    tf.assert_empty_plan();
}

#[test]
fn a_consumer_of_a_pending_copy_survives_the_resumed_wait() {
    if !crate::support::terraform_available() {
        return;
    }
    // Long enough that the copy is still pending when the next plan runs.
    let no_wait = "  wait_for_copies = false\n";
    let (emu, tf) = start(
        &["--copy-seconds", "20"],
        &["cn-shanghai"],
        no_wait,
        CONSUMER,
    );
    tf.apply();
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies_ready"], false, "{state}");
    let image = state["copies"]["cn-shanghai"]["image_id"].clone();

    configure(&tf, &emu, &["cn-shanghai"], "", CONSUMER);
    let (changes, _) = tf.saved_plan("tfplan");
    assert_consumer_kept(&changes);
    let unknown = &changes[ADDR]["after_unknown"]["copies"];
    assert_eq!(
        unknown,
        &serde_json::json!({"cn-shanghai": {"status": true}}),
        "only the status of the waited-for copy is unknown: {changes:#}"
    );
    tf.apply_saved_plan("tfplan");
    assert_eq!(emu.sync_calls().len(), 1, "a resumed wait sends nothing");
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    assert_eq!(state["copies"]["cn-shanghai"]["image_id"], image);
    tf.assert_empty_plan();
}

#[test]
fn all_repairs_a_deleted_copy_by_sending_that_region() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = start(&[], &["all"], "", "");
    tf.apply();
    let state = tf.state_of(ADDR);
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
    let repair = only_sync_call_during(&emu, || tf.apply());
    assert_eq!(
        repair.regions,
        Some(owned(&["cn-shanghai"])),
        "not \"all\" again"
    );
    let state = tf.state_of(ADDR);
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
    let ignore = "  lifecycle {\n    ignore_changes = [target_region_ids]\n  }\n";
    let (emu, tf) = start(&[], &["cn-shanghai", "cn-beijing"], ignore, "");
    tf.apply();
    emu.delete_copy(APP, "cn-beijing");
    let repair = only_sync_call_during(&emu, || tf.apply());
    assert_eq!(repair.regions, Some(owned(&["cn-beijing"])));
    let state = tf.state_of(ADDR);
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
    let (emu, tf) = start(&[], &[], "", "");
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
    let no_wait = "  wait_for_copies = false\n";
    let both = ["cn-shanghai", "cn-beijing"];
    let (emu, tf) = start(&["--unlisted-copies-in", "cn-beijing"], &both, no_wait, "");
    tf.apply();
    let state = tf.state_of(ADDR);
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
    let state = tf.state_of(ADDR);
    assert!(state["copies"].get("cn-beijing").is_none(), "{state}");
    configure(&tf, &emu, &both, no_wait, "");
    let call = only_sync_call_during(&emu, || tf.apply());
    assert_eq!(call.code.as_deref(), Some("ImageAlreadyExists"));
    let state = tf.state_of(ADDR);
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
    let timeouts = "  timeouts {\n    create = \"2s\"\n  }\n";
    let (emu, tf) = start(&["--copy-seconds", "6"], &["cn-shanghai"], timeouts, "");
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
    let state = tf.state_of(ADDR);
    assert_eq!(state["request_id"], calls[0].request_id.as_str(), "{state}");
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    tf.assert_empty_plan();
}
