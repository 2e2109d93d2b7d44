// SPDX-License-Identifier: MPL-2.0
//! When Terraform itself dies (kill -9) in the middle of an apply that waits for copies, the
//! provider process it launched exits within 2 s instead of waiting and calling the API for
//! nobody (issue 27). Linux only: the test finds the provider through /proc.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{emulator_and_tf_with, hcl, provider_bin};

const APP: &str = "ci-vm-e2eOrphan01";

/// Polls `probe` every 20 ms until it gives a value or `limit` has passed (then `None`).
fn poll<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The parent pid and state letter of `pid` from /proc/PID/stat; `None` once it is gone.
fn stat(pid: u32) -> Option<(u32, char)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses, so split after the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((ppid, state))
}

/// The running processes whose executable is `exe`.
fn processes_of(exe: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe)
                && stat(*pid).is_some_and(|(_, state)| state != 'Z')
        })
        .collect()
}

/// True once `pid` no longer runs (gone, or a zombie nobody reaped yet).
fn exited(pid: u32) -> bool {
    stat(pid).is_none_or(|(_, state)| state == 'Z' || state == 'X')
}

#[cfg(target_os = "linux")]
#[test]
fn the_provider_exits_when_terraform_is_killed_mid_wait() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = hcl::app_sync("x", APP, Some(&["cn-shanghai"]));
    let (emu, tf) = emulator_and_tf_with(&[APP], &["--copy-seconds", "3600"], &body);
    let exe: PathBuf = provider_bin().canonicalize().expect("provider binary path");
    let mut terraform = tf
        .command(&["apply", "-auto-approve", "-input=false"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start terraform apply");
    let terraform_pid = terraform.id();

    // The apply is waiting once its copy started and GetImage has been asked about it.
    let waiting = poll(Duration::from_secs(60), || {
        let actions = emu.actions();
        let synced = actions.iter().position(|a| a == "SynchronizeApp")?;
        actions[synced..]
            .iter()
            .any(|a| a == "GetImage")
            .then_some(())
    });
    let provider = processes_of(&exe)
        .into_iter()
        .find(|pid| stat(*pid).is_some_and(|(ppid, _)| ppid == terraform_pid));
    if waiting.is_none() || provider.is_none() {
        let _ = terraform.kill();
        let _ = terraform.wait();
        panic!(
            "the apply never reached its wait under a provider child of terraform \
             (waiting: {waiting:?}, provider: {provider:?}); emulator calls: {:?}\n{}",
            emu.actions(),
            emu.log()
        );
    }
    let provider = provider.unwrap_or_default();

    terraform.kill().expect("kill -9 terraform");
    terraform.wait().expect("reap terraform");
    let killed = Instant::now();
    let gone = poll(Duration::from_secs(2), || exited(provider).then_some(()));
    let took = killed.elapsed();
    if gone.is_none() {
        // Leave no orphan behind for the rest of the suite, then fail.
        let _ = std::process::Command::new("kill")
            .args(["-9", &provider.to_string()])
            .status();
        panic!("the provider (pid {provider}) still runs {took:?} after terraform died");
    }
}
