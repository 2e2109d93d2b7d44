// SPDX-License-Identifier: MPL-2.0
//! A wait for copies that does not finish loses nothing (issue 17): a timed-out wait keeps the
//! call and the copies as last seen (`copies_ready = false`), and the next apply only resumes
//! waiting, sending nothing again; Ctrl-C during a wait ends terraform within 2 s and leaves a
//! state that the next apply completes.

use std::time::{Duration, Instant};

use crate::reliability_support::{children_named, spawn_tf, wait_until};
use crate::support::{hcl, owned, Emulator, TfDir};

const APP: &str = "ci-vm-e2eResume001";
const ADDR: &str = "ehpc_app_sync.x";

fn configure(tf: &TfDir, emu: &Emulator, regions: &[&str], extra: &str) {
    let app = hcl::app_sync_with("x", &format!("\"{APP}\""), Some(regions), extra);
    tf.main_tf_for(emu, &app);
}

#[test]
fn a_timed_out_wait_is_resumed_by_the_next_apply_without_sending_again() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &["--copy-seconds", "4"]);
    let tf = TfDir::new();
    configure(&tf, &emu, &["cn-shanghai"], "  wait_for_copies = false\n");
    tf.apply();
    tf.assert_empty_plan();

    // Adding a region with a 1 s update timeout: the call is made, the wait times out.
    let short = "  timeouts {\n    update = \"1s\"\n  }\n";
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], short);
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let errors = out.diagnostics("Error");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Copies not ready in time") && e.contains("cn-beijing")),
        "{errors:?}"
    );
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1].regions, Some(owned(&["cn-beijing"])));
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies_ready"], false, "{state}");
    assert_eq!(
        state["request_id"],
        calls[1].request_id.as_str(),
        "the call is recorded"
    );
    assert!(
        state["target_region_ids"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == "cn-beijing")),
        "{state}"
    );

    // The next plan is an update whose apply only waits.
    configure(&tf, &emu, &["cn-shanghai", "cn-beijing"], "");
    let plan = tf.tf(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(plan.code(), 2, "{}", plan.dump());
    plan.assert_contains("copies_ready")
        .assert_contains("1 to change");
    tf.apply();
    assert_eq!(emu.sync_calls().len(), 2, "resuming sends nothing again");
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies_ready"], true);
    assert_eq!(state["copies"]["cn-beijing"]["status"], "Available");
    tf.assert_empty_plan();
}

#[test]
fn ctrl_c_during_a_wait_ends_within_two_seconds_and_the_next_apply_completes() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &["--copy-seconds", "8"]);
    let tf = TfDir::new();
    configure(&tf, &emu, &["cn-shanghai"], "");
    let mut run = spawn_tf(
        &tf,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[],
    );
    wait_until("the provider waiting on GetImage after its call", || {
        let actions = emu.actions();
        let after_call = actions.iter().skip_while(|a| *a != "SynchronizeApp");
        after_call.filter(|a| *a == "GetImage").count() >= 2
    });
    let providers = children_named(run.pid(), "terraform-provider-ehpc");
    run.signal_group("INT");
    let signalled = Instant::now();
    let mut exited = None;
    wait_until("terraform to exit after SIGINT", || {
        exited = run.try_status().map(|_| signalled.elapsed());
        exited.is_some()
    });
    let took = exited.unwrap_or_default();
    let out = run.finish().failure();
    assert!(
        took <= Duration::from_secs(2),
        "terraform took {took:?} after SIGINT\n{}",
        out.dump()
    );
    out.assert_contains("Waiting for copies interrupted");
    wait_until("the provider to exit", || {
        providers
            .iter()
            .all(|pid| !crate::reliability_support::alive(*pid))
    });
    // A consistent state: terraform reads it, and it records the call made.
    tf.tf(&["state", "list"]).success();
    let state = tf
        .state_values(ADDR)
        .expect("the call was made, so it is recorded");
    assert_eq!(state["copies_ready"], false);

    // The next apply (a replacement: Terraform taints an object whose create failed) reads
    // the copy, finds it pending, sends nothing and waits.
    tf.apply();
    assert_eq!(emu.sync_calls().len(), 1, "nothing is sent again");
    let state = tf.state_of(ADDR);
    assert_eq!(state["copies"]["cn-shanghai"]["status"], "Available");
    tf.assert_empty_plan();
}
