// SPDX-License-Identifier: MPL-2.0
//! Transient faults against operations that still have time (issue 25, item 8): with
//! `max_retries` not set, calls are retried until the operation's deadline, so an apply of 12
//! resources and the plan after it succeed under 30 % `503 ServiceUnavailable` and 20 %
//! `Throttling.User` answers, run after run. Each run uses its own emulator seed, so the fault
//! decisions differ between runs and a failing run can be replayed.
//!
//! Runs: `EHPC_TRANSIENT_RUNS` (default 20; `.ci/run` uses the default), [`AT_ONCE`] at a time:
//! each run has its own emulator process (its own port and fault seed) and its own Terraform
//! working directory and home, so runs share nothing but the provider binary.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::support::{hcl, Emulator, TfDir};

const RESOURCES: usize = 12;
/// Seeded runs in flight at once: each takes about 40 s, mostly waiting on retries, so four
/// at a time cut the test's wall time about fourfold without starving a 2-core CI runner.
const AT_ONCE: usize = 4;
const TARGETS: &[&str] = &["ap-southeast-1", "cn-beijing", "cn-shanghai"];

fn runs() -> u64 {
    std::env::var("EHPC_TRANSIENT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

fn configuration(url: &str, apps: &[String]) -> String {
    let ids: Vec<String> = apps.iter().map(|a| format!("\"{a}\"")).collect();
    let targets: Vec<String> = TARGETS.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        "{}\nresource \"ehpc_app_sync\" \"app\" {{\n  for_each          = toset([{}])\n  \
         app_id            = each.key\n  target_region_ids = [{}]\n}}\n",
        hcl::provider(url),
        ids.join(", "),
        targets.join(", ")
    )
}

#[test]
fn twelve_resources_apply_and_plan_under_503_and_throttling_in_every_seeded_run() {
    if !crate::support::terraform_available() {
        return;
    }
    let apps: Vec<String> = (0..RESOURCES)
        .map(|i| format!("ci-vm-transient{i:02}"))
        .collect();
    let runs = runs();
    let next_seed = AtomicU64::new(1);
    let mut outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..AT_ONCE)
            .map(|_| scope.spawn(|| take_seeds(&next_seed, runs, &apps)))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker catches its runs' panics"))
            .collect()
    });
    outcomes.sort_by_key(|(seed, _)| *seed);
    assert_eq!(outcomes.len() as u64, runs, "every seed ran once");
    let failures: Vec<&str> = outcomes
        .iter()
        .filter_map(|(_, outcome)| outcome.as_ref().err().map(String::as_str))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {runs} seeded runs failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let faults: usize = outcomes.iter().filter_map(|(_, o)| o.as_ref().ok()).sum();
    eprintln!("{runs} seeded runs of {RESOURCES} resources: all succeeded; {faults} faulted calls");
}

/// A seed and how its run ended: the faulted calls, or the failure's text.
type Outcome = (u64, Result<usize, String>);

/// One worker: runs the next seed not yet taken until `runs` are taken. A failed check ends
/// its own run, not the others, so that every failing seed is reported.
fn take_seeds(next_seed: &AtomicU64, runs: u64, apps: &[String]) -> Vec<Outcome> {
    let mut done = Vec::new();
    loop {
        let seed = next_seed.fetch_add(1, Ordering::Relaxed);
        if seed > runs {
            return done;
        }
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| run(seed, apps)))
            .map_err(|payload| failure_text(seed, payload.as_ref()));
        done.push((seed, outcome));
    }
}

/// One seeded run: apply and plan against an emulator failing calls with `seed`'s decisions;
/// panics (with the seed in the message) on a failed check, else returns the faulted calls.
fn run(seed: u64, apps: &[String]) -> usize {
    let seed_text = seed.to_string();
    let refs: Vec<&str> = apps.iter().map(String::as_str).collect();
    let emu = Emulator::start(
        &refs,
        &[
            "--fail-rate",
            "0.3",
            "--throttle-rate",
            "0.2",
            "--seed",
            &seed_text,
            // Copies ready at once: the test is about the calls, not the wait.
            "--copy-seconds",
            "0",
        ],
    );
    let tf = TfDir::new();
    tf.main_tf(&configuration(&emu.url, apps));
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(
        out.code(),
        0,
        "seed {seed}: the apply failed\n{}",
        out.dump()
    );
    let added = format!("Resources: {RESOURCES} added, 0 changed, 0 destroyed.");
    assert!(
        out.text().contains(&added),
        "seed {seed}: expected {added:?} in terraform output\n{}",
        out.dump()
    );
    let plan = tf.tf(&["plan", "-detailed-exitcode", "-input=false"]);
    assert_eq!(
        plan.code(),
        0,
        "seed {seed}: the plan failed or is not empty\n{}",
        plan.dump()
    );
    let codes: Vec<String> = emu
        .calls()
        .iter()
        .filter_map(|c| c["code"].as_str().map(str::to_string))
        .collect();
    assert!(
        codes.iter().any(|c| c == "ServiceUnavailable")
            && codes.iter().any(|c| c == "Throttling.User"),
        "seed {seed}: the fault knobs must have failed some calls: {codes:?}"
    );
    codes.len()
}

/// The message of `seed`'s caught panic (an assertion's text), starting with the seed even
/// when the harness panicked (an emulator that did not start, say).
fn failure_text(seed: u64, payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the run panicked with a non-text payload".to_string());
    let prefix = format!("seed {seed}: ");
    if text.starts_with(&prefix) {
        text
    } else {
        format!("{prefix}{text}")
    }
}
