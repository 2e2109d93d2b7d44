// SPDX-License-Identifier: MPL-2.0
//! A test-only HTTPS file server on 127.0.0.1:0: a throwaway CA (rcgen) whose PEM terraform
//! trusts through `SSL_CERT_FILE`, a leaf certificate for 127.0.0.1, and a fixed table of
//! path → body (the registry's JSON documents and, under /files/, the release files), served
//! by axum over tokio-rustls. It records every path asked for and stops when dropped.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// Path → body; `.json` paths are served as application/json.
pub(super) type Routes = BTreeMap<String, Vec<u8>>;

/// A running HTTPS server; stopped (its runtime shut down) when dropped.
pub(super) struct HttpsServer {
    /// `https://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// `127.0.0.1:PORT`, the host part of a provider source address on this server.
    pub host: String,
    ca_file: PathBuf,
    requests: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
    runtime: Option<tokio::runtime::Runtime>,
}

struct Site {
    routes: Routes,
    requests: Arc<Mutex<Vec<String>>>,
}

/// Accepts TCP connections and completes the TLS handshake before axum sees them; a failed
/// handshake (a client that does not trust the CA) is dropped and the next one accepted.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

impl HttpsServer {
    /// Binds 127.0.0.1:0, then serves the routes that `routes` builds from the base URL.
    pub(super) fn start(routes: impl FnOnce(&str) -> Routes) -> HttpsServer {
        let dir = tempfile::tempdir().expect("temp dir for the test CA");
        let (ca_pem, leaf_der, key_der) = certificates();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_pem).expect("write the test CA");

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let tcp = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let port = tcp.local_addr().expect("local address").port();
        let host = format!("127.0.0.1:{port}");
        let base = format!("https://{host}");

        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![leaf_der], key_der)
            .expect("server certificate");
        let listener = TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        };
        let requests = Arc::new(Mutex::new(Vec::new()));
        let site = Arc::new(Site {
            routes: routes(&base),
            requests: requests.clone(),
        });
        let app = axum::Router::new().fallback(serve).with_state(site);
        runtime.spawn(async move { axum::serve(listener, app).await });
        HttpsServer {
            base,
            host,
            ca_file,
            requests,
            _dir: dir,
            runtime: Some(runtime),
        }
    }

    /// The CA certificate (PEM) to name in `SSL_CERT_FILE`.
    pub(super) fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// Every path asked for so far, in order.
    pub(super) fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("request log").clone()
    }
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn serve(State(site): State<Arc<Site>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    site.requests
        .lock()
        .expect("request log")
        .push(path.clone());
    match site.routes.get(&path) {
        Some(body) => {
            let kind = if path.starts_with("/files/") && !path.ends_with(".json") {
                "application/octet-stream"
            } else {
                "application/json"
            };
            ([(header::CONTENT_TYPE, kind)], body.clone()).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// A throwaway CA (PEM) and a leaf certificate for 127.0.0.1 it signed, with the leaf's key.
fn certificates() -> (
    String,
    rustls_pki_types::CertificateDer<'static>,
    PrivateKeyDer<'static>,
) {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "ehpc release test CA");
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA certificate");

    let leaf_key = rcgen::KeyPair::generate().expect("leaf key");
    let leaf_params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("leaf params");
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .expect("leaf certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    (ca.pem(), leaf.der().clone(), key)
}
