// SPDX-License-Identifier: MPL-2.0
//! The `ehpc-emulator` binary: its ready line, state kept across a restart via --state, and a
//! clean exit on SIGTERM.

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, BufReader};
use tokio::process::{Child, ChildStdout, Command};

use crate::common::{json_of, ready_url, sync_over_http, terminate, APP};

async fn start(state_file: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ehpc-emulator"))
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
