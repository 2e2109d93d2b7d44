// SPDX-License-Identifier: MPL-2.0
//! The `ehpc-emulator` binary: its ready line, state (regions, then images and copies) kept
//! across a restart via --state, a first-format state file, and a clean exit on SIGTERM.

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, BufReader};
use tokio::process::{Child, ChildStdout, Command};

use crate::common::{json_of, ready_url, sync_over_http, terminate, APP};

async fn start(state_file: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
    start_with(state_file, &[]).await
}

async fn start_with(
    state_file: &std::path::Path,
    extra: &[&str],
) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ehpc-emulator"))
        .args(extra)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--credential",
            "testid:testsecret",
            "--app",
            APP,
            "--region",
            "cn-beijing",
            "--region",
            "cn-shanghai",
            "--state",
        ])
        .arg(state_file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn emulator");
    let (url, stdout) = ready_url(&mut child).await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (child, stdout, url)
}

/// Stops the binary with SIGTERM: a clean exit, and no stdout line after the ready line.
async fn stop(mut child: Child, mut stdout: BufReader<ChildStdout>) {
    let status = terminate(&mut child).await;
    assert!(status.success(), "exit status {status:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.expect("read rest");
    assert_eq!(rest, "", "exactly one stdout line");
}

async fn sync(url: &str, regions: &str) -> (u16, Value) {
    sync_over_http(url, ("testid", "testsecret"), regions, &[]).await
}

#[tokio::test]
async fn state_survives_a_restart_and_sigterm_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_file = dir.path().join("state.json");

    let (child, stdout, url) = start(&state_file).await;
    let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
    assert_eq!(status, 200, "{body}");
    stop(child, stdout).await;

    let (child, stdout, url) = start(&state_file).await;
    let apps: Value = json_of(
        reqwest::get(format!("{url}/_emulator/apps"))
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(apps, serde_json::json!({ APP: ["cn-beijing"] }));
    let (status, body) = sync(&url, r#"["all"]"#).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("ImageAlreadyExists"))
    );
    stop(child, stdout).await;
}

/// The binary's view of one app (`GET /_emulator/apps/{app}`).
async fn view(url: &str, app: &str) -> Value {
    json_of(
        reqwest::get(format!("{url}/_emulator/apps/{app}"))
            .await
            .expect("get"),
    )
    .await
}

#[tokio::test]
async fn images_and_copies_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_file = dir.path().join("state.json");
    let flags = [
        "--app",
        "ci-vm-solver=m-solver0000000001,name=solver,version=v2",
        "--fail-copies-to",
        "cn-shanghai",
    ];
    let (child, stdout, url) = start_with(&state_file, &flags).await;
    let (status, body) = sync(&url, r#"["cn-beijing","cn-shanghai"]"#).await;
    assert_eq!(status, 200, "{body}");
    let solver = view(&url, "ci-vm-solver").await;
    assert_eq!(solver["image_id"], "m-solver0000000001");
    assert_eq!(
        (&solver["name"], &solver["version"]),
        (&"solver".into(), &"v2".into())
    );
    let before = view(&url, APP).await;
    let statuses: Vec<&Value> = before["copies"]
        .as_array()
        .map(|c| c.iter().map(|c| &c["status"]).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["Available", "CreateFailed"], "{before}");
    stop(child, stdout).await;

    // Restarted without the fault knob: the failed copy stays failed, and can be redone.
    let (child, stdout, url) = start_with(&state_file, &flags[..2]).await;
    assert_eq!(view(&url, APP).await, before, "copies kept whole");
    assert_eq!(
        view(&url, "ci-vm-solver").await["image_id"],
        "m-solver0000000001"
    );
    let (status, body) = sync(&url, r#"["cn-shanghai"]"#).await;
    assert_eq!(status, 200, "{body}");
    let after = view(&url, APP).await;
    assert_eq!(after["copies"][1]["status"], "Available");
    assert_ne!(
        after["copies"][1]["image_id"],
        before["copies"][1]["image_id"]
    );
    stop(child, stdout).await;
}

#[tokio::test]
async fn a_first_format_state_file_still_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_file = dir.path().join("state.json");
    std::fs::write(
        &state_file,
        format!(r#"{{"apps": {{"{APP}": ["cn-beijing"]}}}}"#),
    )
    .expect("write");
    let (child, stdout, url) = start(&state_file).await;
    let copies = &view(&url, APP).await["copies"];
    assert_eq!(copies[0]["region_id"], "cn-beijing");
    assert_eq!(copies[0]["status"], "Available");
    let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("ImageAlreadyExists"))
    );
    stop(child, stdout).await;
}
