// SPDX-License-Identifier: MPL-2.0
//! Accepted connections: the accept loop on the unix socket (with the TLS handshake when
//! AutoMTLS is on) and the IO type tonic serves, one for both plaintext and TLS.
//!
//! TLS handshakes run in their own tasks, so one slow or hostile client never blocks the
//! accept loop, and a failed handshake only drops that connection.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

/// A client gets this long to finish its TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// One accepted connection, ready for HTTP/2.
pub(super) enum PluginIo {
    Plain(UnixStream),
    Tls(Box<TlsStream<UnixStream>>),
}

impl tonic::transport::server::Connected for PluginIo {
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for PluginIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginIo::Plain(s) => Pin::new(s).poll_read(cx, buf),
            PluginIo::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for PluginIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            PluginIo::Plain(s) => Pin::new(s).poll_write(cx, buf),
            PluginIo::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            PluginIo::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            PluginIo::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            PluginIo::Plain(s) => s.is_write_vectored(),
            PluginIo::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginIo::Plain(s) => Pin::new(s).poll_flush(cx),
            PluginIo::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginIo::Plain(s) => Pin::new(s).poll_shutdown(cx),
            PluginIo::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The stream of connections tonic serves: accepts until `shutdown` is cancelled, and
/// yields only connections whose TLS handshake (if any) succeeded.
pub(super) fn incoming(
    listener: UnixListener,
    tls: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> ReceiverStream<io::Result<PluginIo>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // E.g. EMFILE: keep serving existing connections, retry shortly.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            match &tls {
                None => {
                    if tx.send(Ok(PluginIo::Plain(stream))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let (acceptor, tx) = (acceptor.clone(), tx.clone());
                    tokio::spawn(async move {
                        let handshake =
                            tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                        match handshake.await {
                            Ok(Ok(tls)) => {
                                // The receiver is gone only during shutdown; then dropping
                                // the connection is right.
                                let _ = tx.send(Ok(PluginIo::Tls(Box::new(tls)))).await;
                            }
                            Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake failed"),
                            Err(_) => tracing::warn!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx)
}
