// SPDX-License-Identifier: MPL-2.0
//! The `terraform` CLI as the tests use it: a temp working directory with its own CLI config
//! (dev_overrides pointing at the freshly built provider) and a clean environment, and the
//! captured output of each command with helpers to assert on text, diagnostics and state.

use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

use serde_json::Value as Json;

use super::{hcl, provider_bin, Emulator, PROVIDER_SOURCE};

/// The result of one terraform command, with its output kept for assertions and failures.
pub(crate) struct TfOutput {
    pub cmdline: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    pub(crate) fn code(&self) -> i32 {
        self.status.code().unwrap_or(-1)
    }

    pub(crate) fn dump(&self) -> String {
        format!(
            "$ {}\nexit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.cmdline, self.status, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub(crate) fn success(self) -> TfOutput {
        assert!(self.status.success(), "terraform failed\n{}", self.dump());
        self
    }

    #[track_caller]
    pub(crate) fn failure(self) -> TfOutput {
        assert!(
            !self.status.success(),
            "terraform unexpectedly succeeded\n{}",
            self.dump()
        );
        self
    }

    /// stdout and stderr with diagnostic box characters removed and whitespace collapsed, so
    /// that assertions survive Terraform's line wrapping of diagnostics.
    pub(crate) fn text(&self) -> String {
        let joined = format!("{}\n{}", self.stdout, self.stderr);
        joined
            .replace(['│', '╷', '╵'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[track_caller]
    pub(crate) fn assert_contains(&self, needle: &str) -> &TfOutput {
        assert!(
            self.text().contains(needle),
            "expected {needle:?} in terraform output\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub(crate) fn assert_not_contains(&self, needle: &str) -> &TfOutput {
        assert!(
            !self.text().contains(needle),
            "did not expect {needle:?} in terraform output\n{}",
            self.dump()
        );
        self
    }

    /// Every diagnostic box (`╷ … ╵`) in stdout and stderr whose first line starts with
    /// `severity:` ("Warning" or "Error"), whitespace-collapsed; Terraform's own
    /// "Provider development overrides are in effect" warning is left out.
    pub(crate) fn diagnostics(&self, severity: &str) -> Vec<String> {
        let prefix = format!("{severity}: ");
        let mut found = Vec::new();
        for stream in [&self.stdout, &self.stderr] {
            let mut current: Option<Vec<&str>> = None;
            for line in stream.lines() {
                let body = line.trim_start_matches(['│', '╷', '╵']).trim();
                if line.starts_with('╷') {
                    current = Some(Vec::new());
                } else if line.starts_with('╵') {
                    if let Some(lines) = current.take() {
                        let text = lines
                            .join(" ")
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        if text.starts_with(&prefix)
                            && !text.contains("Provider development overrides are in effect")
                        {
                            found.push(text);
                        }
                    }
                } else if let Some(lines) = current.as_mut() {
                    lines.push(body);
                }
            }
        }
        found
    }

    /// The provider's warnings (see [`TfOutput::diagnostics`]), asserted to be at least one.
    #[track_caller]
    pub(crate) fn provider_warnings(&self) -> Vec<String> {
        let w = self.diagnostics("Warning");
        assert!(
            !w.is_empty(),
            "expected a provider warning\n{}",
            self.dump()
        );
        w
    }

    pub(crate) fn json(&self) -> Json {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.dump()))
    }
}

/// Removes ANSI colour sequences. NOTE: the tests keep Terraform's colours on because only the
/// coloured renderer draws the `╷ │ ╵` box that delimits each diagnostic; `-no-color` prints
/// diagnostics with no delimiter at all.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, then one final byte in '@'..='~'.
            for f in chars.by_ref() {
                if ('@'..='~').contains(&f) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A Terraform working directory in a fresh temp dir, with its own CLI config whose
/// dev_overrides point at the freshly built provider, and a clean environment.
pub(crate) struct TfDir {
    root: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl TfDir {
    pub(crate) fn new() -> TfDir {
        let root = tempfile::tempdir().expect("temp dir");
        let plugin_dir = provider_bin()
            .parent()
            .expect("provider binary has a directory");
        let cli = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            plugin_dir.display()
        );
        std::fs::write(root.path().join("cli.tfrc"), cli).expect("write CLI config");
        std::fs::create_dir_all(root.path().join("home")).expect("home dir");
        std::fs::create_dir_all(root.path().join("work")).expect("work dir");
        TfDir {
            root,
            env: Vec::new(),
        }
    }

    /// Replaces the CLI config (by default dev_overrides for the built provider), e.g. with
    /// a `provider_installation` block naming a registry or a mirror.
    pub(crate) fn cli_config(&self, content: &str) {
        std::fs::write(self.root.path().join("cli.tfrc"), content).expect("write CLI config");
    }

    /// The directory terraform runs in.
    pub(crate) fn dir(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// Adds an environment variable for every later terraform command.
    pub(crate) fn env(&mut self, key: &str, value: &str) -> &mut TfDir {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub(crate) fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir().join(name), content)
            .unwrap_or_else(|e| panic!("write {name}: {e}"));
    }

    pub(crate) fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir().join(name))
            .unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// Replaces main.tf.
    pub(crate) fn main_tf(&self, content: &str) {
        self.write("main.tf", content);
    }

    /// Replaces main.tf with [`hcl::provider`] for `emu` followed by `body`.
    pub(crate) fn main_tf_for(&self, emu: &Emulator, body: &str) {
        self.main_tf(&format!("{}{body}", hcl::provider(&emu.url)));
    }

    /// Replaces main.tf with [`hcl::provider`] for a closed port followed by `body`: for
    /// `validate` and `providers schema`, which reach no endpoint.
    pub(crate) fn main_tf_offline(&self, body: &str) {
        self.main_tf(&format!("{}{body}", hcl::provider("http://127.0.0.1:9")));
    }

    /// Runs `terraform ARGS` in [`TfDir::dir`] with a cleared environment (no TF_LOG, no
    /// ALIBABA_CLOUD_* from the developer's shell) plus this directory's variables.
    pub(crate) fn tf(&self, args: &[&str]) -> TfOutput {
        let (status, stdout, stderr) = self.tf_raw(args);
        TfOutput {
            cmdline: format!("terraform {}", args.join(" ")),
            status,
            stdout: strip_ansi(&String::from_utf8_lossy(&stdout)),
            stderr: strip_ansi(&String::from_utf8_lossy(&stderr)),
        }
    }

    /// [`TfDir::tf`] with stdout and stderr as the bytes terraform wrote.
    pub(crate) fn tf_raw(&self, args: &[&str]) -> (ExitStatus, Vec<u8>, Vec<u8>) {
        let out = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run terraform {args:?}: {e}"));
        (out.status, out.stdout, out.stderr)
    }

    /// The `terraform ARGS` command [`TfDir::tf`] runs, not yet started (for tests that
    /// spawn it and act while it runs).
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("terraform");
        cmd.args(args)
            .current_dir(self.dir())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.path().join("home"))
            .env("TF_CLI_CONFIG_FILE", self.root.path().join("cli.tfrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            // The credential chain must never wait for an ECS metadata service in tests.
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub(crate) fn validate(&self) -> TfOutput {
        self.tf(&["validate"])
    }

    pub(crate) fn plan(&self) -> TfOutput {
        self.tf(&["plan", "-input=false"])
    }

    /// `terraform apply -auto-approve`, asserted to succeed.
    #[track_caller]
    pub(crate) fn apply(&self) -> TfOutput {
        self.tf(&["apply", "-auto-approve", "-input=false"])
            .success()
    }

    /// Asserts that `terraform plan -detailed-exitcode` exits 0 (nothing to do).
    #[track_caller]
    pub(crate) fn assert_empty_plan(&self) {
        let out = self.tf(&["plan", "-detailed-exitcode", "-input=false"]);
        assert_eq!(
            out.code(),
            0,
            "the plan after a successful apply must be empty\n{}",
            out.dump()
        );
    }

    /// `terraform plan -out=FILE`, asserted to succeed: each planned change (`before`,
    /// `after`, `after_unknown`, `actions`) by resource address, from `show -json FILE`,
    /// and the plan's own output. Apply it with [`TfDir::apply_saved_plan`].
    #[track_caller]
    pub(crate) fn saved_plan(&self, file: &str) -> (Json, TfOutput) {
        let out = self
            .tf(&["plan", "-input=false", &format!("-out={file}")])
            .success();
        let shown = self.tf(&["show", "-json", file]).success().json();
        let mut changes = serde_json::Map::new();
        for change in shown["resource_changes"].as_array().into_iter().flatten() {
            let address = change["address"].as_str().unwrap_or_default().to_string();
            changes.insert(address, change["change"].clone());
        }
        (Json::Object(changes), out)
    }

    /// `terraform apply FILE` of a plan [`TfDir::saved_plan`] wrote, asserted to succeed.
    #[track_caller]
    pub(crate) fn apply_saved_plan(&self, file: &str) -> TfOutput {
        self.tf(&["apply", "-input=false", file]).success()
    }

    /// This provider's part of `terraform providers schema -json` for the current main.tf
    /// (which needs no reachable endpoint), asserted to be there.
    #[track_caller]
    pub(crate) fn provider_schema(&self) -> Json {
        let schema = self.tf(&["providers", "schema", "-json"]).success().json();
        let ours = &schema["provider_schemas"][PROVIDER_SOURCE];
        assert!(
            ours.is_object(),
            "no schema for {PROVIDER_SOURCE}: {schema:#}"
        );
        ours.clone()
    }

    /// `terraform show -json` of the current state.
    pub(crate) fn show_json(&self) -> Json {
        self.tf(&["show", "-json"]).success().json()
    }

    /// The attribute values of `address` in the state, or `None` when it is not in the state.
    pub(crate) fn state_values(&self, address: &str) -> Option<Json> {
        let show = self.show_json();
        show["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
    }

    /// The attribute values of `address` in the state, asserted to be there.
    #[track_caller]
    pub(crate) fn state_of(&self, address: &str) -> Json {
        match self.state_values(address) {
            Some(values) => values,
            None => panic!("{address} is not in the state: {:#}", self.show_json()),
        }
    }

    /// The addresses of every resource in the state.
    pub(crate) fn state_addresses(&self) -> Vec<String> {
        let show = self.show_json();
        show["values"]["root_module"]["resources"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| r["address"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `terraform state show ADDRESS`, asserted to succeed.
    pub(crate) fn state_show(&self, address: &str) -> TfOutput {
        self.tf(&["state", "show", address]).success()
    }
}

impl Default for TfDir {
    fn default() -> TfDir {
        TfDir::new()
    }
}
