// SPDX-License-Identifier: MPL-2.0
//! Shared harness for the end-to-end tests that drive the real `terraform` CLI against the
//! freshly built provider and the `ehpc-emulator`. Each test owns one emulator process (its own
//! loopback port) and one temp directory with its own CLI config (dev_overrides), so the tests
//! are independent and run in parallel.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

mod emulator;
pub(crate) mod hcl;
mod terraform;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

// Re-exported for the test files; each uses a different subset.
#[allow(unused_imports)]
pub(crate) use emulator::{owned, strings, Call, Emulator};
#[allow(unused_imports)]
pub(crate) use terraform::{TfDir, TfOutput};

/// The provider's source address, as the configurations and the CLI config name it.
pub(crate) const PROVIDER_SOURCE: &str = "terraform.local/ehpc/ehpc";
/// Access key pair registered with every emulator started by [`Emulator::start`].
pub(crate) const ACCESS_KEY: &str = "LTAI5tE2eTestKeyId";
pub(crate) const SECRET_KEY: &str = "e2e-test-secret-do-not-log";
/// The provider's region in the tests (the region whose endpoint receives the call).
pub(crate) const REGION: &str = "cn-hangzhou";
/// Regions every test emulator knows.
pub(crate) const REGIONS: &[&str] = &["cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1"];

/// The usual end-to-end setup: an emulator started with `apps` (and no other arguments) and a
/// fresh [`TfDir`] whose main.tf is [`hcl::provider`] for that emulator followed by `body`.
/// Call it after [`terraform_available`], which decides whether the test runs at all.
pub(crate) fn emulator_and_tf(apps: &[&str], body: &str) -> (Emulator, TfDir) {
    emulator_and_tf_with(apps, &[], body)
}

/// [`emulator_and_tf`] with `args` for the emulator (fault rates, copy timing, …).
pub(crate) fn emulator_and_tf_with(apps: &[&str], args: &[&str], body: &str) -> (Emulator, TfDir) {
    let emu = Emulator::start(apps, args);
    let tf = TfDir::new();
    tf.main_tf_for(&emu, body);
    (emu, tf)
}

pub(crate) fn provider_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_terraform-provider-ehpc"))
}

/// The `ehpc-emulator` binary of the emulator crate, built beside the provider by
/// `cargo test` at the workspace root (`make test`).
pub(crate) fn emulator_bin() -> PathBuf {
    let bin = provider_bin().with_file_name("ehpc-emulator");
    assert!(
        bin.exists(),
        "{} is not built: run the tests from the workspace root (`make test`), or \
         `cargo build -p ehpc-emulator` first",
        bin.display()
    );
    bin
}

/// True when `terraform` runs. When it does not: with CI=true this fails the test (CI must
/// really exercise Terraform); elsewhere it prints why the test is skipped and returns false.
pub(crate) fn terraform_available() -> bool {
    let found = Command::new("terraform")
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("terraform is not on PATH, and CI=true requires the end-to-end tests to run");
        }
        eprintln!("skipping: terraform not on PATH (set CI=true to make this a failure)");
    }
    found
}
