// SPDX-License-Identifier: MPL-2.0
//! Shared helpers: the test configuration, routers with an adjustable clock, V2/V3 request
//! builders signed with ehpc_alibaba::signer, `oneshot` sending with JSON replies, an
//! emulator served on a real loopback socket, and the emulator binary's ready line and stop.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use axum::Router;
use ehpc_alibaba::signer;
use ehpc_emulator::signature_v3::{self, V3Request};
use ehpc_emulator::{self, AppState, EmulatorConfig};
use serde_json::Value;
use time::macros::{datetime, format_description};
use time::OffsetDateTime;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tower::ServiceExt as _;

pub(crate) const APP: &str = "ci-vm-rYfypJKwlN9Y";
pub(crate) const HOST: &str = "ehpcinstant.cn-hangzhou.aliyuncs.com";
pub(crate) const VECTOR_TIME: OffsetDateTime = datetime!(2024-05-01 08:00:00 UTC);
pub(crate) const VECTOR_NONCE: &str = "c0ffee00c0ffee00c0ffee00c0ffee00";

pub(crate) fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_credential("testid", "testsecret")
        .with_app(APP)
}

/// A router whose clock is `base` plus the returned offset (seconds), adjustable by the test.
pub(crate) fn router_at(config: EmulatorConfig, base: OffsetDateTime) -> (Router, Arc<AtomicI64>) {
    let offset = Arc::new(AtomicI64::new(0));
    let clock_offset = offset.clone();
    let state = AppState::new(config)
        .expect("state")
        .with_clock(Arc::new(move || {
            base + time::Duration::seconds(clock_offset.load(Ordering::SeqCst))
        }));
    (ehpc_emulator::app(state), offset)
}

pub(crate) fn router(config: EmulatorConfig) -> Router {
    router_at(config, OffsetDateTime::now_utc()).0
}

pub(crate) fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .expect("format")
}

fn nonce() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-nonce-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

pub(crate) fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The current SDK's V2 parameter set, unsigned.
pub(crate) fn v2_params(
    action: &str,
    version: &str,
    key: &str,
    at: OffsetDateTime,
    extra: &[(&str, &str)],
) -> BTreeMap<String, String> {
    let mut p = map(&[
        ("Action", action),
        ("Version", version),
        ("Format", "json"),
        ("AccessKeyId", key),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce()),
        ("Timestamp", &timestamp(at)),
    ]);
    p.extend(map(extra));
    p
}

pub(crate) fn sync_params(
    key: &str,
    at: OffsetDateTime,
    regions: &str,
    extra: &[(&str, &str)],
) -> BTreeMap<String, String> {
    // Business parameters first, so `extra` can override them.
    let mut all = vec![("AppId", APP), ("TargetRegionIds", regions)];
    all.extend_from_slice(extra);
    v2_params("SynchronizeApp", "2023-07-01", key, at, &all)
}

pub(crate) fn signed(
    method: &str,
    mut params: BTreeMap<String, String>,
    secret: &str,
) -> BTreeMap<String, String> {
    let sts = signer::string_to_sign_v2(method, &params);
    params.insert("Signature".into(), signer::sign_v2(secret, &sts));
    params
}

pub(crate) fn v2_request(method: &str, params: &BTreeMap<String, String>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(format!("/?{}", signer::canonical_query(params)))
        .header("host", HOST)
        .body(Body::empty())
        .expect("request")
}

pub(crate) fn v3_request(
    query: &BTreeMap<String, String>,
    key: &str,
    secret: &str,
    token: Option<&str>,
    at: OffsetDateTime,
) -> Request<Body> {
    let mut headers = map(&[
        ("host", HOST),
        ("x-acs-action", "SynchronizeApp"),
        ("x-acs-version", "2023-07-01"),
        ("x-acs-content-sha256", &signature_v3::hex_sha256(b"")),
        ("x-acs-date", &timestamp(at)),
        ("x-acs-signature-nonce", &nonce()),
    ]);
    if let Some(token) = token {
        headers.insert("x-acs-security-token".into(), token.into());
    }
    let auth = V3Request {
        method: "POST",
        query,
        headers: &headers,
        body: b"",
    }
    .authorization(key, secret);
    let mut builder = Request::builder()
        .method("POST")
        .uri(format!("/?{}", signer::canonical_query(query)))
        .header("authorization", auth);
    for (k, v) in &headers {
        builder = builder.header(k, v);
    }
    builder.body(Body::empty()).expect("request")
}

pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Reply {
    pub(crate) fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or("")
    }

    /// Asserts this reply's HTTP status and error code (`""` for none); `case` names what was
    /// sent in the failure message, which also shows the body.
    #[track_caller]
    pub(crate) fn assert_answer(&self, status: u16, code: &str, case: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "{case}: {}",
            self.json
        );
    }
}

pub(crate) async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    Reply {
        status,
        headers,
        json,
    }
}

pub(crate) async fn get_json(app: &Router, path: &str) -> Value {
    send(
        app,
        Request::get(path).body(Body::empty()).expect("request"),
    )
    .await
    .json
}

pub(crate) async fn json_of(resp: reqwest::Response) -> Value {
    let body = resp.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("json body")
}

pub(crate) fn is_request_id(id: &str) -> bool {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
        && id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('A'..='F').contains(&c))
}

/// An emulator served on a real loopback socket until [`Served::stop`].
pub(crate) struct Served {
    pub url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves `config` on `127.0.0.1:0` with the system clock.
pub(crate) async fn serve(config: EmulatorConfig) -> Served {
    let state = AppState::new(config).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ehpc_emulator::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    Served {
        url: format!("http://{addr}"),
        stop,
        server,
    }
}

impl Served {
    /// Stops the server and waits for it to drain.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.expect("join").expect("serve");
    }
}

/// A signed V2 SynchronizeApp of `regions` sent over HTTP to `url` with key `id`/`secret` and
/// the `extra` parameters (e.g. a `SecurityToken`); returns the status and the body.
pub(crate) async fn sync_over_http(
    url: &str,
    (id, secret): (&str, &str),
    regions: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let params = signed(
        "POST",
        sync_params(id, OffsetDateTime::now_utc(), regions, extra),
        secret,
    );
    let resp = reqwest::Client::new()
        .post(format!("{url}/?{}", signer::canonical_query(&params)))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, json_of(resp).await)
}

/// Reads a spawned emulator binary's ready line (`listening on URL`); returns the URL and its
/// stdout, kept open for whatever follows.
pub(crate) async fn ready_url(
    child: &mut tokio::process::Child,
) -> (String, BufReader<tokio::process::ChildStdout>) {
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).await.expect("read ready line");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .expect("ready line")
        .to_string();
    (url, stdout)
}

/// Sends SIGTERM to a running emulator binary and waits for it to exit.
pub(crate) async fn terminate(child: &mut tokio::process::Child) -> std::process::ExitStatus {
    let pid = child.id().expect("pid").to_string();
    let killed = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("kill");
    assert!(killed.success());
    child.wait().await.expect("wait")
}
