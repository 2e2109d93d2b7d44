// SPDX-License-Identifier: MPL-2.0
//! Debug mode with the real `terraform` CLI (issue 2, item 9): `terraform-provider-ehpc
//! --debug` started by hand prints a TF_REATTACH_PROVIDERS assignment; with that variable set,
//! and no dev_overrides nor `terraform init`, `terraform plan` and `terraform apply` are served
//! by that one process (its own log shows both commands' RPCs, it outlives them), the emulator
//! sees the call, and SIGTERM stops the process and removes its socket directory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::support::{hcl, provider_bin, Emulator, TfDir, PROVIDER_SOURCE};
use serde_json::Value as Json;

const APP: &str = "ci-vm-debugReattach1";

/// The line of the debug banner that carries the assignment (go-plugin's layout).
const REATTACH_PREFIX: &str = "\tTF_REATTACH_PROVIDERS='";

/// `terraform-provider-ehpc --debug` running by hand, logging at DEBUG to a file.
struct DebugProvider {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// The TF_REATTACH_PROVIDERS value (JSON, shell quoting undone).
    reattach: String,
    dir: tempfile::TempDir,
}

impl DebugProvider {
    /// Starts the provider and returns once it printed its TF_REATTACH_PROVIDERS line.
    fn start() -> DebugProvider {
        let dir = tempfile::tempdir().expect("temp dir for the provider log");
        let log = File::create(dir.path().join("provider.log")).expect("provider log");
        let mut child = Command::new(provider_bin())
            .arg("--debug")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("TF_LOG_PROVIDER", "DEBUG")
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", provider_bin().display()));
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut banner = String::new();
        let reattach = loop {
            let mut line = String::new();
            // Blocks until the provider is ready (or exits, which yields EOF).
            let read = stdout.read_line(&mut line).unwrap_or(0);
            banner.push_str(&line);
            if read == 0 {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "--debug printed no TF_REATTACH_PROVIDERS line; stdout: {banner:?}\n--- log ---\n{}",
                    std::fs::read_to_string(dir.path().join("provider.log")).unwrap_or_default()
                );
            }
            if let Some(value) = reattach_value(&line) {
                break value;
            }
        };
        DebugProvider {
            child,
            stdout,
            reattach,
            dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The reattach configuration of the ehpc provider, as Terraform will read it.
    fn config(&self) -> Json {
        let all: Json = serde_json::from_str(&self.reattach).unwrap_or_else(|e| {
            panic!("TF_REATTACH_PROVIDERS is not JSON ({e}): {}", self.reattach)
        });
        all[PROVIDER_SOURCE].clone()
    }

    #[track_caller]
    fn assert_running(&mut self, after: &str) {
        let status = self.child.try_wait().expect("try_wait");
        assert!(
            status.is_none(),
            "the debug provider exited ({status:?}) after {after}\n--- log ---\n{}",
            self.log()
        );
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("provider.log")).unwrap_or_default()
    }

    /// How many times each tfplugin6 RPC was handled (the engine logs each one at DEBUG with
    /// the message "rpc").
    fn rpc_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for line in self.log().lines() {
            let Ok(entry) = serde_json::from_str::<Json>(line) else {
                continue;
            };
            // Other lines of a call carry its `rpc` field too; count the engine's one.
            if entry["@message"] != "rpc" {
                continue;
            }
            if let Some(rpc) = entry["rpc"].as_str() {
                *counts.entry(rpc.to_string()).or_default() += 1;
            }
        }
        counts
    }

    /// SIGTERM, then waits for the exit; returns the exit status and the rest of stdout.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.pid().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(killed.success(), "kill -TERM {pid} failed");
        let status = self.child.wait().expect("wait for the provider");
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        (status, rest)
    }
}

impl Drop for DebugProvider {
    fn drop(&mut self) {
        // A failed test must not leave the provider running.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The JSON value of a `\tTF_REATTACH_PROVIDERS='...'` line, with the sh quoting undone.
fn reattach_value(line: &str) -> Option<String> {
    let quoted = line.trim_end().strip_prefix(REATTACH_PREFIX)?;
    let quoted = quoted.strip_suffix('\'')?;
    Some(quoted.replace(r"'\''", "'"))
}

#[test]
fn reattach_line_parsing_cases() {
    let cases = [
        ("plain", "\tTF_REATTACH_PROVIDERS='{\"a\":1}'\n", Some("{\"a\":1}")),
        (
            "quote in a path",
            "\tTF_REATTACH_PROVIDERS='{\"p\":\"/tmp/it'\\''s\"}'",
            Some("{\"p\":\"/tmp/it's\"}"),
        ),
        (
            "banner text",
            "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable",
            None,
        ),
        ("unterminated", "\tTF_REATTACH_PROVIDERS='{", None),
    ];
    for (name, line, want) in cases {
        assert_eq!(reattach_value(line).as_deref(), want, "{name}");
    }
}

#[test]
fn plan_and_apply_reattach_to_one_debug_provider_process() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let mut provider = DebugProvider::start();
    let config = provider.config();
    assert_eq!(config["Pid"], provider.pid(), "{}", provider.reattach);
    assert_eq!(config["Test"], true, "{}", provider.reattach);
    assert_eq!(config["Protocol"], "grpc");
    assert_eq!(config["ProtocolVersion"], 6);
    assert_eq!(config["Addr"]["Network"], "unix");
    let socket = PathBuf::from(config["Addr"]["String"].as_str().expect("socket path"));
    assert!(socket.exists(), "{} does not exist", socket.display());

    let mut tf = TfDir::new();
    // No dev_overrides and no `terraform init`: if Terraform did not reattach, it would find
    // no provider at all and fail, rather than quietly start the binary itself.
    let cli_dir = tempfile::tempdir().expect("temp dir for the CLI config");
    let cli_config = cli_dir.path().join("reattach.tfrc");
    std::fs::write(&cli_config, "").expect("write CLI config");
    tf.env(
        "TF_CLI_CONFIG_FILE",
        cli_config.to_str().expect("utf-8 temp path"),
    )
    .env("TF_REATTACH_PROVIDERS", &provider.reattach);
    tf.main_tf_for(&emu, &hcl::app_sync("x", APP, Some(&["cn-shanghai"])));

    let plan = tf.plan().success();
    plan.assert_contains("ehpc_app_sync.x will be created")
        .assert_contains("Plan: 1 to add, 0 to change, 0 to destroy")
        .assert_not_contains("Provider development overrides are in effect");
    provider.assert_running("terraform plan");
    let after_plan = provider.rpc_counts();
    assert!(
        after_plan.get("PlanResourceChange").copied().unwrap_or(0) >= 1,
        "the debug process did not serve the plan: {after_plan:?}\n--- log ---\n{}",
        provider.log()
    );
    assert_eq!(
        after_plan.get("ApplyResourceChange"),
        None,
        "{after_plan:?}"
    );
    assert!(emu.sync_calls().is_empty(), "plan must not call the API");

    tf.apply()
        .assert_contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    provider.assert_running("terraform apply");
    let after_apply = provider.rpc_counts();
    assert_eq!(
        after_apply.get("ApplyResourceChange"),
        Some(&1),
        "the same process served the apply: {after_apply:?}\n--- log ---\n{}",
        provider.log()
    );
    for rpc in ["ConfigureProvider", "PlanResourceChange"] {
        let (before, after) = (
            after_plan.get(rpc).copied().unwrap_or(0),
            after_apply.get(rpc).copied().unwrap_or(0),
        );
        assert!(
            before >= 1 && after > before,
            "{rpc}: {before} after plan, {after} after apply; both commands must reach the debug process"
        );
    }
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].ok(), "{calls:?}");
    assert_eq!(calls[0].app_id, APP);
    assert_eq!(
        calls[0].region_list(),
        crate::support::owned(&["cn-shanghai"])
    );
    assert!(emu.regions_of(APP).contains("cn-shanghai"));

    let (status, rest) = provider.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    assert_eq!(rest.trim(), "", "stdout carries only the reattach banner");
    let socket_dir = socket.parent().expect("socket has a directory");
    assert!(
        !socket_dir.exists(),
        "{} was not removed on exit",
        socket_dir.display()
    );
}
