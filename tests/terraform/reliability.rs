// SPDX-License-Identifier: MPL-2.0
//! Reliability of `ehpc_app_sync` under the real `terraform` CLI (issue 8): an apply of 50
//! resources through an emulator that fails, drops and throttles calls and loses the answers
//! of some applied ones (the retry then answers ImageAlreadyExists); Ctrl-C during an
//! apply stuck in retries; the provider process killed mid-apply. Each test checks the
//! emulator's call log (every region synchronized exactly once, every other call explained by
//! a retry), the state Terraform kept, and that a later apply converges to an empty plan.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::reliability_support::{accounting, children_named, spawn_tf, wait_until};
use crate::support::{hcl, Emulator, TfDir, ACCESS_KEY, REGION, SECRET_KEY};

/// Regions every resource of these tests synchronizes (the provider's region excluded).
const TARGETS: &[&str] = &["ap-southeast-1", "cn-beijing", "cn-shanghai"];

/// The provider block for `url`, with enough retries for the fault rates used here.
fn provider(url: &str, max_retries: u32) -> String {
    format!(
        "{}\nprovider \"ehpc\" {{\n  region      = \"{REGION}\"\n  access_key  = \"{ACCESS_KEY}\"\n  secret_key  = \"{SECRET_KEY}\"\n  max_retries = {max_retries}\n  endpoints {{\n    ehpcinstant = \"{url}\"\n  }}\n}}\n",
        hcl::terraform_block()
    )
}

/// `ehpc_app_sync.app["ID"]` for every id, each synchronizing [`TARGETS`].
fn resources(apps: &[String]) -> String {
    let ids: Vec<String> = apps.iter().map(|a| format!("\"{a}\"")).collect();
    let targets: Vec<String> = TARGETS.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        "\nresource \"ehpc_app_sync\" \"app\" {{\n  for_each          = toset([{}])\n  app_id            = each.key\n  target_region_ids = [{}]\n  timeouts {{\n    create = \"5m\"\n  }}\n}}\n",
        ids.join(", "),
        targets.join(", ")
    )
}

fn app_ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:02}")).collect()
}

fn expected(apps: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    apps.iter()
        .map(|a| (a.clone(), TARGETS.iter().map(|r| r.to_string()).collect()))
        .collect()
}

fn start_emulator(apps: &[String], extra: &[&str]) -> Emulator {
    let refs: Vec<&str> = apps.iter().map(String::as_str).collect();
    Emulator::start(&refs, extra)
}

/// Asserts every app holds every target region and the call log is fully explained.
#[track_caller]
fn assert_converged(emu: &Emulator, apps: &[String], unseen: &BTreeSet<String>) {
    let held = emu.apps();
    for app in apps {
        let regions = crate::support::strings(&held[app]);
        for r in TARGETS {
            assert!(regions.contains(*r), "{app} does not hold {r}: {held:#}");
        }
    }
    let calls = emu.sync_calls();
    let problems = accounting::problems(&calls, &expected(apps), unseen);
    assert!(
        problems.is_empty(),
        "unexplained SynchronizeApp calls:\n{}\n--- calls ---\n{}",
        problems.join("\n"),
        accounting::summary(&calls)
    );
}

#[test]
fn fifty_resources_converge_through_failures_drops_lost_answers_and_throttling() {
    if !crate::support::terraform_available() {
        return;
    }
    let apps = app_ids("ci-vm-fault", 50);
    let emu = start_emulator(
        &apps,
        &[
            "--fail-rate",
            "0.3",
            "--drop-rate",
            "0.2",
            "--drop-after-apply-rate",
            "0.15",
            "--throttle-rps",
            "50",
        ],
    );
    let tf = TfDir::new();
    // 30% fail + 20% drop: an attempt succeeds with p ~ 0.56, so 25 retries leave a chance
    // of ~1e-9 per call that retries run out. A lost answer costs no retry budget: the next
    // attempt that gets through answers ImageAlreadyExists, which is not retried.
    tf.main_tf(&format!("{}{}", provider(&emu.url, 25), resources(&apps)));
    let out = tf.apply();
    out.assert_contains("Apply complete! Resources: 50 added, 0 changed, 0 destroyed.");
    assert_converged(&emu, &apps, &BTreeSet::new());
    let calls = emu.sync_calls();
    assert!(
        calls.iter().any(|c| c.code.is_some()),
        "the fault knobs must have made some calls fail: {}",
        accounting::summary(&calls)
    );
    // Each lost answer was followed by ImageAlreadyExists for the same app, which the
    // provider took as "already synchronized" (a warning), not as a failure.
    let lost: BTreeSet<&str> = calls
        .iter()
        .filter(|c| c.code.as_deref() == Some(accounting::LOST_ANSWER))
        .map(|c| c.app_id.as_str())
        .collect();
    assert!(
        !lost.is_empty(),
        "--drop-after-apply-rate must have lost some answers: {}",
        accounting::summary(&calls)
    );
    for app in &lost {
        assert!(
            calls
                .iter()
                .any(|c| c.app_id == *app && c.code.as_deref() == Some(accounting::ALREADY)),
            "{app}: an answer was lost but no retry found the regions there: {}",
            accounting::summary(&calls)
        );
    }
    out.assert_contains("Application already synchronized");

    let failed = calls.iter().filter(|c| c.code.is_some()).count();
    eprintln!(
        "{} SynchronizeApp calls, {failed} failed, throttled or unanswered; {} apps lost an answer",
        calls.len(),
        lost.len()
    );
    let state = tf.state_addresses();
    assert_eq!(state.len(), 50, "{state:?}");
    let before = calls.len();
    tf.assert_empty_plan();
    assert_eq!(emu.sync_calls().len(), before, "a plan makes no call");
}

#[test]
fn ctrl_c_during_retries_cancels_within_two_seconds_and_a_later_apply_finishes() {
    if !crate::support::terraform_available() {
        return;
    }
    let apps = app_ids("ci-vm-intr", 3);
    let state_dir = tempfile::tempdir().expect("temp dir");
    let state_path = state_dir.path().join("emulator-state.json");
    let state_path = state_path.to_string_lossy().to_string();
    let emu = start_emulator(&apps, &["--fail-rate", "1.0", "--state", &state_path]);
    let tf = TfDir::new();
    // Retries never run out on their own: only the interrupt can end this apply.
    tf.main_tf(&format!("{}{}", provider(&emu.url, 1000), resources(&apps)));
    let mut run = spawn_tf(
        &tf,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[],
    );
    // Every call fails, the provider's first read (ListImages) included: it retries that.
    wait_until("the emulator to see a few failing calls", || {
        emu.calls().len() >= 4
    });

    let mut providers = Vec::new();
    wait_until("the provider process serving the apply", || {
        providers = children_named(run.pid(), "terraform-provider-ehpc");
        !providers.is_empty()
    });
    run.signal_group("INT");
    let signalled = Instant::now();
    let mut exited = None;
    wait_until("terraform to exit after SIGINT", || {
        exited = run.try_status().map(|s| (s, signalled.elapsed()));
        exited.is_some()
    });
    let (_, took) = exited.expect("exited");
    let out = run.finish();
    let out = out.failure();
    assert!(
        took <= Duration::from_secs(2),
        "terraform took {took:?} after SIGINT to exit (bound: 2 s)\n{}\n{}",
        out.stdout,
        out.stderr
    );
    eprintln!("terraform exited {took:?} after SIGINT");
    // The provider survived Ctrl-C to report the cancellation, then exited with terraform.
    wait_until("the provider to exit after terraform", || {
        providers
            .iter()
            .all(|pid| !crate::reliability_support::alive(*pid))
    });
    out.assert_contains("cancelled")
        .assert_contains("interrupt");
    assert!(
        emu.calls()
            .iter()
            .all(|c| c["code"] == "ServiceUnavailable"),
        "every call failed, so nothing was synchronized"
    );

    // Consistent state: the commands parse it, and nothing that failed is in it.
    tf.tf(&["state", "list"]).success();
    assert_eq!(
        tf.state_addresses(),
        Vec::<String>::new(),
        "no resource was created"
    );
    drop(emu);

    let emu = start_emulator(&apps, &["--state", &state_path]);
    tf.main_tf(&format!("{}{}", provider(&emu.url, 5), resources(&apps)));
    tf.apply()
        .assert_contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    assert_converged(&emu, &apps, &BTreeSet::new());
    tf.assert_empty_plan();
}

#[test]
fn killing_the_provider_mid_apply_keeps_finished_resources_and_the_next_apply_converges() {
    if !crate::support::terraform_available() {
        return;
    }
    let apps = app_ids("ci-vm-crash", 4);
    let emu = start_emulator(&apps, &["--latency-ms", "300"]);
    let tf = TfDir::new();
    tf.main_tf(&format!("{}{}", provider(&emu.url, 5), resources(&apps)));
    let run = spawn_tf(
        &tf,
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-parallelism=1",
        ],
        &[],
    );
    // With -parallelism=1 a second SynchronizeApp starts only once the first resource,
    // its wait for copies included, is complete.
    wait_until("a second successful SynchronizeApp", || {
        emu.sync_calls().iter().filter(|c| c.ok()).count() >= 2
    });
    let mut providers = Vec::new();
    wait_until("the provider process serving the apply", || {
        providers = children_named(run.pid(), "terraform-provider-ehpc");
        !providers.is_empty()
    });
    for pid in &providers {
        crate::reliability_support::kill_pid(*pid);
    }
    let out = run.finish().failure();

    // Resources Terraform reported as created are in the state; every resource in the state
    // was really synchronized.
    let in_state: BTreeSet<String> = tf.state_addresses().into_iter().collect();
    for app in &apps {
        let addr = format!("ehpc_app_sync.app[\"{app}\"]");
        if out.stdout.contains(&format!("{addr}: Creation complete")) {
            assert!(
                in_state.contains(&addr),
                "{addr} finished but is not in state: {in_state:?}"
            );
        }
    }
    let synced: BTreeSet<String> = emu
        .sync_calls()
        .iter()
        .filter(|c| c.ok())
        .map(|c| c.app_id.clone())
        .collect();
    let stored: BTreeSet<String> = in_state
        .iter()
        .filter_map(|a| a.split('"').nth(1).map(str::to_string))
        .collect();
    assert!(
        !stored.is_empty(),
        "the first finished resource must be kept: {}",
        out.stdout
    );
    assert!(
        stored.is_subset(&synced),
        "state {stored:?} vs synchronized {synced:?}"
    );
    // At most the call in flight when the provider died succeeded without being recorded.
    let unseen: BTreeSet<String> = synced.difference(&stored).cloned().collect();
    assert!(unseen.len() <= 1, "finished but lost: {unseen:?}");
    eprintln!("kept {stored:?}; synchronized but not recorded: {unseen:?}");

    let calls_before = emu.sync_calls().len();
    tf.apply();
    let second: Vec<_> = emu.sync_calls().split_off(calls_before);
    for call in &second {
        assert!(
            !stored.contains(&call.app_id),
            "the second apply re-synchronized {}, already in state: {call:?}",
            call.app_id
        );
    }
    assert_converged(&emu, &apps, &unseen);
    tf.assert_empty_plan();
}
