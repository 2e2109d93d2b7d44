// SPDX-License-Identifier: MPL-2.0
//! The `ehpc-emulator` binary: its ready line, state kept across a restart via --state, and a
//! clean exit on SIGTERM.

use ehpc::alibaba::signer;
use serde_json::Value;
use time::OffsetDateTime;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::process::{Child, ChildStdout, Command};

use crate::common::{json_of, signed, sync_params, APP};

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
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).await.expect("read ready line");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .expect("ready line")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (child, stdout, url)
}

async fn terminate(mut child: Child, mut stdout: BufReader<ChildStdout>) {
    let pid = child.id().expect("pid").to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().await.expect("wait");
    assert!(status.success(), "exit status {status:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.expect("read rest");
    assert_eq!(rest, "", "exactly one stdout line");
}

async fn sync(url: &str, regions: &str) -> (u16, Value) {
    let params = signed(
        "POST",
        sync_params("testid", OffsetDateTime::now_utc(), regions, &[]),
        "testsecret",
    );
    let resp = reqwest::Client::new()
        .post(format!("{url}/?{}", signer::canonical_query(&params)))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, json_of(resp).await)
}

#[tokio::test]
async fn state_survives_a_restart_and_sigterm_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_file = dir.path().join("state.json");

    let (child, stdout, url) = start(&state_file).await;
    let (status, body) = sync(&url, r#"["cn-beijing"]"#).await;
    assert_eq!(status, 200, "{body}");
    terminate(child, stdout).await;

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
    terminate(child, stdout).await;
}
