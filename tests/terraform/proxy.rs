// SPDX-License-Identifier: MPL-2.0
//! A real `terraform apply` with every proxy variable pointing at a capture server on
//! 127.0.0.1: the provider takes its credentials from the (emulated) ECS metadata service —
//! IMDSv2 token out, role secret and security token back — and calls the API, and the proxy
//! sees none of it (metadata and loopback targets are always reached directly).

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::support::{hcl, Emulator, TfDir};

const APP: &str = "ci-vm-e2eProxy001";

/// A proxy that records the request line of every connection and refuses to forward.
fn capture_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the capture proxy");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            let _ = reader.read_line(&mut line);
            log.lock().expect("log").push(line.trim().to_string());
            let _ = (&stream).write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        }
    });
    (url, seen)
}

#[test]
fn a_proxy_in_the_environment_sees_no_credential_exchange() {
    if !crate::support::terraform_available() {
        return;
    }
    let (proxy, seen) = capture_proxy();
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = TfDir::new();
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
    ] {
        tf.env(var, &proxy);
    }
    tf.env("NO_PROXY", "")
        .env("ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT", &emu.url)
        .env("ALIBABA_CLOUD_ENDPOINT_ECS_METADATA", &emu.url)
        .env("ALICLOUD_ECS_ROLE_NAME", "ehpc-emulator-role")
        .env("ALIBABA_CLOUD_REGION", "cn-hangzhou");
    tf.main_tf(&format!(
        "{}{}",
        hcl::provider_from_env(),
        hcl::app_sync("x", APP, Some(&["ap-southeast-1"]))
    ));
    tf.apply();
    let calls = emu.calls();
    let synced: Vec<_> = calls
        .iter()
        .filter(|c| c["action"] == "SynchronizeApp")
        .collect();
    assert_eq!(synced.len(), 1, "{calls:?}");
    let key = synced[0]["access_key_id"].as_str().unwrap_or_default();
    assert!(
        key.starts_with("STS."),
        "signed with the metadata role's key: {calls:?}"
    );
    assert_eq!(
        *seen.lock().expect("log"),
        Vec::<String>::new(),
        "the proxy saw nothing"
    );
}
