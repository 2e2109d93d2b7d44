// SPDX-License-Identifier: MPL-2.0
//! Transient faults against operations that still have time (issue 25, item 8): with
//! `max_retries` not set, calls are retried until the operation's deadline, so an apply of 12
//! resources and the plan after it succeed under 30 % `503 ServiceUnavailable` and 20 %
//! `Throttling.User` answers, run after run. Each run uses its own emulator seed, so the fault
//! decisions differ between runs and a failing run can be replayed.
//!
//! Runs: `EHPC_TRANSIENT_RUNS` (default 20; `.ci/run` uses the default).

use crate::support::{hcl, Emulator, TfDir};

const RESOURCES: usize = 12;
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
    let refs: Vec<&str> = apps.iter().map(String::as_str).collect();
    let runs = runs();
    let mut faults = 0usize;
    for seed in 1..=runs {
        let seed_text = seed.to_string();
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
        tf.main_tf(&configuration(&emu.url, &apps));
        let out = tf.tf(&["apply", "-auto-approve", "-input=false"]);
        assert_eq!(
            out.code(),
            0,
            "seed {seed}: the apply failed\n{}",
            out.dump()
        );
        out.assert_contains(&format!(
            "Resources: {RESOURCES} added, 0 changed, 0 destroyed."
        ));
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
        faults += codes.len();
    }
    eprintln!("{runs} seeded runs of {RESOURCES} resources: all succeeded; {faults} faulted calls");
}
