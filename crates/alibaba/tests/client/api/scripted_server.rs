// SPDX-License-Identifier: MPL-2.0
//! The scripted local HTTP server (it verifies every V2 signature and records each request),
//! the client pointed at it with fixed credentials, and the process-wide log capture.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ehpc_alibaba::credentials::{CredentialProvider, Credentials};
use ehpc_alibaba::{
    signer, Backoff, CallOptions, Client, ClientConfig, Endpoints, Error, HttpClient, ServiceUrl,
    SynchronizeApp,
};
use tokio::sync::Notify;
use tokio::time::Instant;

pub(super) const KEY_ID: &str = "LTAI5tTestKeyId0001";
pub(super) const SECRET: &str = "TestSecret/+=Value0001";
pub(super) const TOKEN: &str = "CAIS-test-sts-token/+==0001";

/// A fixed credential, standing in for the real chain.
struct StaticCredentials(Credentials);

#[async_trait::async_trait]
impl CredentialProvider for StaticCredentials {
    async fn credentials(&self) -> Result<Credentials, Error> {
        Ok(self.0.clone())
    }
    fn source(&self) -> String {
        "static test credentials".to_string()
    }
}

fn credentials(token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: KEY_ID.to_string(),
        access_key_secret: SECRET.to_string(),
        security_token: token.map(str::to_string),
        expiration: None,
    }
}

/// What the server answers; once the script is empty, `default` answers every request.
#[derive(Clone)]
pub(super) enum Reply {
    Json(u16, serde_json::Value, Vec<(&'static str, &'static str)>),
    Raw(u16, &'static str),
    /// Never answers (after signalling `arrived`).
    Hang,
    /// Answers 200 at once, then sends its body one byte per `every`, forever: each gap is
    /// shorter than any read timeout, so only a bound on the whole answer stops it.
    Trickle(Duration),
}

pub(super) fn ok_reply() -> Reply {
    Reply::Json(200, serde_json::json!({"RequestId": "REQ-OK"}), vec![])
}

pub(super) fn error_reply(status: u16, code: &str) -> Reply {
    let body = serde_json::json!({
        "RequestId": format!("REQ-{code}"),
        "HostId": "ehpcinstant.cn-hangzhou.aliyuncs.com",
        "Code": code,
        "Message": format!("message for {code}"),
    });
    Reply::Json(status, body, vec![])
}

/// One request as the server saw it.
pub(super) struct Seen {
    pub method: Method,
    pub params: BTreeMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub signature_ok: bool,
    pub at: Instant,
}

pub(super) struct Server {
    script: Mutex<VecDeque<Reply>>,
    /// When not empty, a request with `PageNumber=n` gets `pages[n-1]` (or `default` past
    /// the end) instead of the next scripted reply: pages may be asked for in any order.
    pages: Vec<Reply>,
    /// When not zero, `ImageType=Container` pages start at this index of `pages` (the VM
    /// walk's come first).
    container_pages_at: usize,
    /// How long each answer takes, as a distant endpoint's would.
    latency: Duration,
    /// Requests being answered now, and the most at once.
    in_flight: std::sync::atomic::AtomicUsize,
    pub most_in_flight: std::sync::atomic::AtomicUsize,
    default: Reply,
    seen: Mutex<Vec<Seen>>,
    pub arrived: Notify,
}

impl Server {
    pub(super) fn seen<R>(&self, f: impl FnOnce(&[Seen]) -> R) -> R {
        f(&self.seen.lock().unwrap())
    }
}

async fn handle(
    State(server): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let url = reqwest::Url::parse(&format!("http://server{uri}")).unwrap();
    let mut params: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    let signature = params.remove("Signature").unwrap_or_default();
    let expected = signer::sign_v2(SECRET, &signer::string_to_sign_v2(method.as_str(), &params));
    let signature_ok = signature == expected;
    params.insert("Signature".to_string(), signature);
    let page_number = params
        .get("PageNumber")
        .and_then(|n| n.parse::<usize>().ok());
    let container = server.container_pages_at > 0
        && params.get("ImageType").map(String::as_str) == Some("Container");
    let first_page = if container {
        server.container_pages_at
    } else {
        0
    };
    server.seen.lock().unwrap().push(Seen {
        method,
        params,
        headers,
        body,
        signature_ok,
        at: Instant::now(),
    });
    server.arrived.notify_one();
    let in_flight = server.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    server.most_in_flight.fetch_max(in_flight, Ordering::SeqCst);
    // The endpoint's pace, not a synchronisation of the test.
    tokio::time::sleep(server.latency).await;
    server.in_flight.fetch_sub(1, Ordering::SeqCst);
    if !signature_ok {
        return (
            StatusCode::BAD_REQUEST,
            r#"{"Code":"SignatureDoesNotMatch"}"#,
        )
            .into_response();
    }
    let reply = match page_number.filter(|_| !server.pages.is_empty()) {
        Some(n) => server.pages.get(first_page + n.wrapping_sub(1)).cloned(),
        None => server.script.lock().unwrap().pop_front(),
    }
    .unwrap_or_else(|| server.default.clone());
    match reply {
        Reply::Json(status, body, extra) => {
            let mut h = HeaderMap::new();
            for (k, v) in extra {
                h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
            }
            (StatusCode::from_u16(status).unwrap(), h, body.to_string()).into_response()
        }
        Reply::Raw(status, body) => (StatusCode::from_u16(status).unwrap(), body).into_response(),
        Reply::Hang => std::future::pending().await,
        Reply::Trickle(every) => {
            let bytes = trickle(every);
            (StatusCode::OK, axum::body::Body::from_stream(bytes)).into_response()
        }
    }
}

/// One space every `every` (the server's pace, not a synchronisation of the test).
fn trickle(every: Duration) -> impl tokio_stream::Stream<Item = Result<Bytes, std::io::Error>> {
    let ticks = tokio_stream::wrappers::IntervalStream::new(tokio::time::interval(every));
    tokio_stream::StreamExt::map(ticks, |_| Ok(Bytes::from_static(b" ")))
}

/// Starts a server on 127.0.0.1:0 and a client pointed at it (3 retries, 1-5 ms backoff).
pub(super) async fn start(
    script: Vec<Reply>,
    default: Reply,
    token: Option<&str>,
) -> (Arc<Server>, Client) {
    let (server, url) = start_server(script, default).await;
    (server, client_for(&url, token, 3))
}

/// Starts a server on 127.0.0.1:0; returns it and its URL.
pub(super) async fn start_server(script: Vec<Reply>, default: Reply) -> (Arc<Server>, String) {
    serve(script, Vec::new(), 0, Duration::ZERO, default).await
}

/// A server answering ListImages page `n` with `pages[n-1]` (`default` past them) after
/// `latency`, and a client pointed at it.
pub(super) async fn start_paged(
    pages: Vec<Reply>,
    default: Reply,
    latency: Duration,
) -> (Arc<Server>, Client) {
    let (server, url) = serve(Vec::new(), pages, 0, latency, default).await;
    (server, client_for(&url, None, 3))
}

/// [`start_paged`] with the pages of the `ImageType=VM` walk and of the `Container` walk.
pub(super) async fn start_paged_by_type(
    vm: Vec<Reply>,
    container: Vec<Reply>,
    default: Reply,
    latency: Duration,
) -> (Arc<Server>, Client) {
    let at = vm.len();
    let pages = vm.into_iter().chain(container).collect();
    let (server, url) = serve(Vec::new(), pages, at, latency, default).await;
    (server, client_for(&url, None, 3))
}

async fn serve(
    script: Vec<Reply>,
    pages: Vec<Reply>,
    container_pages_at: usize,
    latency: Duration,
    default: Reply,
) -> (Arc<Server>, String) {
    logs();
    let server = Arc::new(Server {
        script: Mutex::new(script.into()),
        pages,
        container_pages_at,
        latency,
        in_flight: Default::default(),
        most_in_flight: Default::default(),
        default,
        seen: Mutex::new(Vec::new()),
        arrived: Notify::new(),
    });
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (server, url)
}

/// What the clients under test call themselves.
pub(super) const USER_AGENT: &str = "terraform-provider-ehpc/0.0.0-test Terraform/1.11.4";

pub(super) fn client_for(url: &str, token: Option<&str>, max_retries: u32) -> Client {
    client_with_read_timeout(url, token, max_retries, Duration::from_secs(60))
}

/// [`client_for`] with this `client_read_timeout`.
pub(super) fn client_with_read_timeout(
    url: &str,
    token: Option<&str>,
    max_retries: u32,
    read_timeout: Duration,
) -> Client {
    let mut config = ClientConfig::new(Arc::new(StaticCredentials(credentials(token))));
    config.endpoints = Endpoints {
        ehpcinstant: Some(ServiceUrl::parse(url).unwrap()),
        ..Endpoints::default()
    };
    config.max_retries = Some(max_retries);
    config.http = HttpClient::new(Duration::from_secs(10), read_timeout, USER_AGENT);
    config.backoff = Backoff {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
    };
    Client::new(config)
}

fn action() -> SynchronizeApp {
    SynchronizeApp {
        app_id: "ci-vm-rYfypJKwlN9Y".to_string(),
        target_region_ids: vec!["cn-shanghai".to_string(), "cn-beijing".to_string()],
    }
}

pub(super) async fn call(client: &Client, opts: &CallOptions) -> Result<String, Error> {
    let response = client
        .synchronize_app("cn-hangzhou", &action(), opts)
        .await?;
    Ok(response.request_id)
}

/// Fails (rather than hangs) if a bug stops a call from finishing.
pub(super) async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("call never finished")
}

/// Collects every tracing event (all levels, all fields) of every test in this binary as text.
#[derive(Clone, Default)]
pub(super) struct Capture(pub Arc<Mutex<String>>);

/// The process-wide capture, installed before the first client is built. (A per-test
/// `set_default` would miss events whose callsites other test threads registered first.)
pub(super) fn logs() -> &'static Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt;
        let capture = Capture::default();
        let subscriber = tracing_subscriber::registry().with(capture.clone());
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other subscriber in this test binary");
        capture
    })
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Fields<'a>(&'a mut String);
        impl tracing::field::Visit for Fields<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!(" {}={value:?}", field.name()));
            }
        }
        let mut out = self.0.lock().unwrap();
        out.push_str(event.metadata().level().as_str());
        event.record(&mut Fields(&mut out));
        out.push('\n');
    }
}
