// SPDX-License-Identifier: MPL-2.0
//! Many runs at once (issue 27): six `terraform apply` processes, each in its own working
//! directory with its own state and provider process, share one account whose endpoint
//! admits 20 calls a second and answers 5 % of calls 503. Two of them synchronize the same
//! apps to different regions. Every run succeeds, every wanted copy exists, every next plan
//! is empty, and the processes, sharing what they learn of the throttle through one user's
//! cache directory, keep throttled answers rare (at most 10 % of all calls here, under the
//! load of the whole suite; the benchmark's target is 5 %).

use std::thread;
use std::time::Instant;

use crate::support::{hcl, Emulator, TfDir, TfOutput};

/// Runs at once, and resources in each.
const RUNS: usize = 6;
const RESOURCES: usize = 30;
/// The endpoint's admitted calls per second.
const RPS: f64 = 20.0;

/// The apps of run `run`: runs 0 and 1 share theirs.
fn apps_of(run: usize) -> Vec<String> {
    let owner = run.max(1);
    (0..RESOURCES)
        .map(|i| format!("ci-vm-many{owner}x{i:02}"))
        .collect()
}

/// The regions run `run` wants for each of its apps.
fn regions_of(run: usize) -> &'static [&'static str] {
    match run % 3 {
        0 => &["cn-shanghai"],
        1 => &["cn-beijing"],
        _ => &["cn-shanghai", "ap-southeast-1"],
    }
}

/// Runs `args` in every directory at once; the outputs in order.
fn all_at_once(dirs: &[TfDir], args: &[&str]) -> Vec<TfOutput> {
    thread::scope(|scope| {
        let runs: Vec<_> = dirs
            .iter()
            .map(|tf| scope.spawn(move || tf.tf(args)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("terraform thread"))
            .collect()
    })
}

#[test]
fn six_concurrent_applies_share_a_throttled_account() {
    if !crate::support::terraform_available() {
        return;
    }
    let every_app: Vec<String> = (1..RUNS).flat_map(apps_of).collect();
    let app_refs: Vec<&str> = every_app.iter().map(String::as_str).collect();
    let rps = RPS.to_string();
    let emu = Emulator::start(
        &app_refs,
        &[
            "--throttle-rps",
            &rps,
            "--fail-rate",
            "0.05",
            "--seed",
            "27",
        ],
    );
    // One user's cache, as on a CI runner: the runs share what they learn of the throttle.
    let cache = tempfile::tempdir().expect("cache dir");
    let cache_home = cache.path().to_str().expect("utf-8 temp path");
    let dirs: Vec<TfDir> = (0..RUNS)
        .map(|run| {
            let mut tf = TfDir::new();
            tf.env("XDG_CACHE_HOME", cache_home);
            let mut config = hcl::provider(&emu.url);
            for (i, app) in apps_of(run).iter().enumerate() {
                config.push_str(&hcl::app_sync(&format!("r{i}"), app, Some(regions_of(run))));
            }
            tf.main_tf(&config);
            tf
        })
        .collect();

    let started = Instant::now();
    let applies = all_at_once(&dirs, &["apply", "-auto-approve", "-input=false"]);
    let wall = started.elapsed();
    for apply in applies {
        apply.success();
    }
    let calls = emu.calls();
    let throttled = calls
        .iter()
        .filter(|c| c["code"].as_str().is_some_and(|c| c.contains("Throttling")))
        .count();
    let admitted = calls.len() - throttled;
    eprintln!(
        "{RUNS} applies of {RESOURCES}: {wall:?}, {} calls, {throttled} throttled, ideal {:.1} s",
        calls.len(),
        admitted as f64 / RPS
    );
    // The benchmark's target is 5 % (scripts/bench, "many runs"). Here the six processes' first
    // calls land together, before any of them has met the throttle, and the rest of the suite
    // loads the machine, so the test bounds the share at 10 %: with the shared budget this run
    // saw 2.3-5.5 % at load averages of 5-11 (each process learning alone: 7-10 %, 15.4 %
    // before issue 27).
    assert!(
        throttled * 100 <= calls.len() * 10,
        "throttled answers are {throttled} of {} calls (more than 10 %)",
        calls.len()
    );

    let apps = emu.apps();
    for run in 0..RUNS {
        for app in apps_of(run) {
            let held = crate::support::strings(&apps[&app]);
            for region in regions_of(run) {
                assert!(
                    held.contains(*region),
                    "{app} has no copy in {region}: {held:?}"
                );
            }
        }
    }
    let plans = all_at_once(&dirs, &["plan", "-detailed-exitcode", "-input=false"]);
    for plan in plans {
        assert_eq!(plan.code(), 0, "the next plan is empty\n{}", plan.dump());
    }
}
