// SPDX-License-Identifier: MPL-2.0
//! The go-plugin host: everything between Terraform and a [`ProviderServer`]. It checks the
//! magic cookie, negotiates protocol 6, binds a unix socket in a private directory, sets up
//! AutoMTLS, prints the one handshake line, and serves tfplugin6 plus go-plugin's side
//! services (controller, stdio, broker, health) until Shutdown or SIGTERM. This is the only
//! gRPC-aware module; `logging` writes hclog JSON to stderr.

mod conn;
mod go_plugin;
mod handshake;
mod lifecycle;
pub mod logging;
mod provider_service;
mod routes;
mod socket;
mod tls;

use std::io::Write as _;
use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::proto::plugin::{
    grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
    grpc_stdio_server::GrpcStdioServer,
};
use crate::protocol::ProviderServer;

pub use handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROVIDER_ADDRESS};
pub use tls::TlsError;

use lifecycle::Lifecycle;
use routes::Routes;
use socket::SocketDir;

/// Why the provider could not serve Terraform. Every variant means exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "This binary is a plugin for Terraform and OpenTofu (the ehpc provider) and is not \
         meant to be run directly. Terraform or OpenTofu start it when a configuration uses \
         the provider. To run it by hand, for example under a debugger, use --debug."
    )]
    NotLaunchedByTerraform,
    #[error(
        "Terraform offered plugin protocol versions {offered:?}, but this provider speaks only \
         protocol 6 (Terraform 1.0 or later, OpenTofu)."
    )]
    UnsupportedProtocol { offered: String },
    #[error("could not create the plugin socket: {0}")]
    Socket(#[source] std::io::Error),
    #[error("could not install signal handlers: {0}")]
    Signals(#[source] std::io::Error),
    #[error("AutoMTLS: {0}")]
    Tls(#[from] TlsError),
    #[error("could not write the handshake to stdout: {0}")]
    Stdout(#[source] std::io::Error),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// A plugin process's whole life: builds its runtime, then [`serve`]s `provider` (or
/// [`serve_debug`]s it when `debug`) and returns when serving ends.
pub fn run_process(provider: Arc<dyn ProviderServer>, debug: bool) -> Result<(), ServeError> {
    // One thread: the provider serves a single Terraform process whose requests each cost
    // ~0.1 ms of CPU and otherwise wait on the network. Worker threads would only add
    // cross-thread wake-ups (measured: ~25 % more provider CPU per RPC on 2 cores, where
    // every cycle is taken from Terraform). Blocking work (DNS) still has its own pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let served = runtime.block_on(async move {
        if debug {
            serve_debug(provider).await
        } else {
            serve(provider).await
        }
    });
    // Dropping a runtime waits for every blocking task (e.g. a DNS lookup of an apply that
    // StopProvider interrupted), and the exit backstop is a task that dies with the runtime:
    // after Shutdown, Terraform would wait 2 s and kill us. Nothing is left to finish (the
    // socket directory is already removed), so leave those threads behind.
    runtime.shutdown_background();
    // The tasks left behind may own a running credentials helper: kill its process group.
    ehpc_alibaba::credentials::kill_running_helpers();
    served
}

/// Serves `provider` to the Terraform (or OpenTofu) process that launched us, as a
/// go-plugin plugin, until Terraform sends Shutdown (or SIGTERM arrives). Writes exactly one
/// line to stdout. On Shutdown the process exits by itself shortly after replying.
pub async fn serve(provider: Arc<dyn ProviderServer>) -> Result<(), ServeError> {
    handshake::check_cookie(std::env::var(MAGIC_COOKIE_KEY).ok().as_deref())?;
    let offered = std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok();
    handshake::negotiate_protocol(offered.as_deref())?;

    // NOTE(protocol): with PLUGIN_CLIENT_CERT set the client *will* dial TLS, so serving
    // plaintext then is never an option; without it (TF_DISABLE_PLUGIN_TLS) we must not.
    let client_pem = std::env::var("PLUGIN_CLIENT_CERT")
        .ok()
        .filter(|p| !p.trim().is_empty());
    let tls = client_pem
        .as_deref()
        .map(tls::ServerTls::for_client_pem)
        .transpose()?;

    let (socket, listener) = SocketDir::bind().map_err(ServeError::Socket)?;
    let socket = Arc::new(socket);
    let lifecycle = Lifecycle::new(Arc::clone(&socket));
    lifecycle
        .install_signal_handlers(false)
        .map_err(ServeError::Signals)?;
    lifecycle.watch_parent();

    let line = handshake::handshake_line(
        socket.socket_path(),
        tls.as_ref().map(|t| t.cert_der.as_ref()),
    );
    write_stdout(&format!("{line}\n"))?;
    tracing::debug!(
        address = %socket.socket_path().display(),
        tls = tls.is_some(),
        "plugin started"
    );

    let acceptor = tls.map(|t| TlsAcceptor::from(t.config));
    let result = run(provider, listener, acceptor, lifecycle).await;
    socket.remove();
    result
}

/// Serves `provider` in go-plugin "test mode" for debugging: no cookie, plaintext, and a
/// TF_REATTACH_PROVIDERS assignment on stdout for the developer to paste. Runs until
/// Ctrl-C or SIGTERM.
pub async fn serve_debug(provider: Arc<dyn ProviderServer>) -> Result<(), ServeError> {
    let (socket, listener) = SocketDir::bind().map_err(ServeError::Socket)?;
    let socket = Arc::new(socket);
    let lifecycle = Lifecycle::new(Arc::clone(&socket));
    lifecycle
        .install_signal_handlers(true)
        .map_err(ServeError::Signals)?;

    write_stdout(&handshake::reattach_message(
        std::process::id(),
        socket.socket_path(),
    ))?;

    let result = run(provider, listener, None, lifecycle).await;
    socket.remove();
    result
}

/// Writes and flushes stdout. Nothing else in the provider may touch stdout: Terraform
/// reads the first line as the handshake and discards the rest.
fn write_stdout(text: &str) -> Result<(), ServeError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(ServeError::Stdout)
}

/// Serves every service on `listener` until the lifecycle's shutdown token fires.
async fn run(
    provider: Arc<dyn ProviderServer>,
    listener: tokio::net::UnixListener,
    tls: Option<TlsAcceptor>,
    lifecycle: Lifecycle,
) -> Result<(), ServeError> {
    let shutdown = lifecycle.token();
    let (health_reporter, health) = tonic_health::server::health_reporter();
    // go-plugin's convention for non-Go plugins; Terraform itself never asks.
    health_reporter
        .set_service_status("plugin", ServingStatus::Serving)
        .await;

    let incoming = conn::incoming(listener, tls, shutdown.clone());
    let routes = Routes::new()
        .add(health)
        .add(GrpcControllerServer::new(go_plugin::Controller {
            lifecycle,
        }))
        .add(GrpcStdioServer::new(go_plugin::Stdio {
            shutdown: shutdown.clone(),
        }))
        .add(GrpcBrokerServer::new(go_plugin::Broker {
            shutdown: shutdown.clone(),
        }))
        .add(provider_service::service(provider));
    Server::builder()
        .serve_with_incoming_shutdown(routes, incoming, shutdown.cancelled_owned())
        .await?;
    Ok(())
}
