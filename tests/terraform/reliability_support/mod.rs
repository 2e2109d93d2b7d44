// SPDX-License-Identifier: MPL-2.0
//! Extra harness for the reliability and secrets tests (issue 8), on top of `support`:
//! terraform started in its own process group (so a test can Ctrl-C it like a terminal),
//! polling of observable conditions, the provider process found through /proc, the emulator's
//! call log with the secrets it received, and the retry accounting of SynchronizeApp calls.
//!

#![allow(dead_code)]

pub(crate) mod accounting;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use crate::support::{Emulator, TfDir, TfOutput};

/// How long a test waits for something that normally happens within seconds before it fails
/// instead of hanging; a guard, not an assertion on speed.
pub(crate) const HANG_GUARD: Duration = Duration::from_secs(120);

/// Polls `cond` until it holds; panics naming `what` after [`HANG_GUARD`].
#[track_caller]
pub(crate) fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < HANG_GUARD, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A terraform command running in the background, leader of its own process group, with
/// stdout and stderr going to files.
pub(crate) struct Background {
    pub child: Child,
    cmdline: String,
    out: PathBuf,
    err: PathBuf,
}

/// Starts `terraform ARGS` in `tf`'s directory with the same clean environment as
/// [`TfDir::tf`] (the CLI config lives next to the working directory), plus `env`.
pub(crate) fn spawn_tf(tf: &TfDir, args: &[&str], env: &[(&str, &str)]) -> Background {
    use std::os::unix::process::CommandExt;
    let root = tf.dir().parent().map(Path::to_path_buf).unwrap_or_default();
    let n = std::fs::read_dir(&root).map(|d| d.count()).unwrap_or(0);
    let out = root.join(format!("bg-{n}.stdout"));
    let err = root.join(format!("bg-{n}.stderr"));
    let mut cmd = Command::new("terraform");
    cmd.args(args)
        .current_dir(tf.dir())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("TF_CLI_CONFIG_FILE", root.join("cli.tfrc"))
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1")
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(File::create(&out).expect("stdout file"))
        .stderr(File::create(&err).expect("stderr file"))
        .process_group(0);
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run terraform {args:?}: {e}"));
    Background {
        child,
        cmdline: format!("terraform {}", args.join(" ")),
        out,
        err,
    }
}

impl Background {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (e.g. "INT") to the whole process group, as a terminal's Ctrl-C does.
    pub(crate) fn signal_group(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), "--", &format!("-{}", self.pid())])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} -- -{} failed", self.pid());
    }

    /// The exit status once terraform has exited (polled), or `None` while it still runs.
    pub(crate) fn try_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits for exit (guarded by [`HANG_GUARD`]) and returns the output.
    pub(crate) fn finish(mut self) -> TfOutput {
        let mut status = None;
        wait_until(&format!("`{}` to exit", self.cmdline), || {
            status = self.try_status();
            status.is_some()
        });
        self.output(status.expect("exited"))
    }

    fn output(&self, status: ExitStatus) -> TfOutput {
        TfOutput {
            cmdline: self.cmdline.clone(),
            status,
            stdout: std::fs::read_to_string(&self.out).unwrap_or_default(),
            stderr: std::fs::read_to_string(&self.err).unwrap_or_default(),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // A failed test must not leave terraform (and its provider) running.
        if self.try_status().is_none() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.pid())])
                .status();
            let _ = self.child.wait();
        }
    }
}

/// Pids of the live children of `parent` whose executable name is `name` (from /proc).
pub(crate) fn children_named(parent: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split
            // after the last ')'.
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            let mut fields = after.split_whitespace();
            let state = fields.next().unwrap_or("");
            let ppid = fields.next().and_then(|p| p.parse::<u32>().ok());
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or(&[]);
            ppid == Some(parent)
                && state != "Z"
                && Path::new(&*String::from_utf8_lossy(argv0))
                    .file_name()
                    .is_some_and(|f| f == name)
        })
        .collect()
}

/// True while `pid` runs (a zombie, exited but not yet reaped, counts as gone).
pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// Sends SIGKILL to one process.
pub(crate) fn kill_pid(pid: u32) {
    let status = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL {pid} failed");
}

/// GET `path` on the emulator as JSON.
pub(crate) fn get_json(emu: &Emulator, path: &str) -> Json {
    let url = format!("{}{path}", emu.url);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let text = reqwest::get(&url).await?.text().await?;
        Ok::<_, reqwest::Error>(text)
    })
    .ok()
    .and_then(|t| serde_json::from_str(&t).ok())
    .unwrap_or_else(|| panic!("GET {url} did not answer JSON"))
}

/// Every call with the signature and security token the emulator received.
pub(crate) fn calls_with_secrets(emu: &Emulator) -> Vec<Json> {
    match get_json(emu, "/_emulator/calls?secrets=true") {
        Json::Array(calls) => calls,
        other => panic!("not an array: {other}"),
    }
}

/// Temporary credentials from the emulator's STS (AssumeRoleWithOIDC is unsigned):
/// (AccessKeyId, AccessKeySecret, SecurityToken).
pub(crate) fn sts_credentials(emu: &Emulator, oidc_token: &str) -> (String, String, String) {
    let url = format!("{}/", emu.url);
    let form = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("RoleArn", "acs:ram::1234567890:role/leak-test"),
        (
            "OIDCProviderArn",
            "acs:ram::1234567890:oidc-provider/leak-test",
        ),
        ("OIDCToken", oidc_token),
        ("RoleSessionName", "leak-test"),
    ];
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let body = rt
        .block_on(async {
            let body = form_body(&form);
            reqwest::Client::new()
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?
                .text()
                .await
        })
        .unwrap_or_else(|e| panic!("AssumeRoleWithOIDC: {e}"));
    let json: Json = serde_json::from_str(&body).unwrap_or_default();
    let c = &json["Credentials"];
    let field = |k: &str| {
        c[k].as_str()
            .unwrap_or_else(|| panic!("AssumeRoleWithOIDC answer lacks {k}: {body}"))
            .to_string()
    };
    (
        field("AccessKeyId"),
        field("AccessKeySecret"),
        field("SecurityToken"),
    )
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    use ehpc_alibaba::signer::percent_encode;
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
