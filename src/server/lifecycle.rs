// SPDX-License-Identifier: MPL-2.0
//! Process lifecycle: one shutdown token shared by the accept loop, the go-plugin streams
//! and the gRPC server, plus the exit backstop, the signal handlers and the parent watch.
//!
//! NOTE(protocol): after GRPCController/Shutdown, Terraform waits 2 s for the process to
//! exit and then kills it. tonic's graceful stop waits for every connection to close, and
//! Terraform keeps its connection open, so a backstop exits the process ~100 ms after
//! shutdown begins (after removing the socket directory).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;

use super::socket::SocketDir;

/// How long in-flight replies (Shutdown's own answer first) get before the process exits.
const EXIT_BACKSTOP: Duration = Duration::from_millis(100);

/// How often the parent watch asks whether Terraform is still our parent. A dead parent is
/// noticed within this plus [`EXIT_BACKSTOP`], well inside the 2 s the provider promises.
const PARENT_POLL: Duration = Duration::from_millis(250);

/// Shared shutdown state; cheap to clone.
#[derive(Clone, Debug)]
pub(super) struct Lifecycle {
    token: CancellationToken,
    socket: Arc<SocketDir>,
    backstop_armed: Arc<AtomicBool>,
}

impl Lifecycle {
    pub(super) fn new(socket: Arc<SocketDir>) -> Self {
        Self {
            token: CancellationToken::new(),
            socket,
            backstop_armed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Cancelled when shutdown begins.
    pub(super) fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Begins shutdown: stops accepting, ends the go-plugin streams and the server, and
    /// makes sure the process exits (status 0) shortly after, even if a client keeps its
    /// connection open. Idempotent.
    pub(super) fn shutdown(&self, reason: &'static str) {
        self.token.cancel();
        if self.backstop_armed.swap(true, Ordering::SeqCst) {
            return;
        }
        tracing::debug!(reason, "shutting down");
        let socket = Arc::clone(&self.socket);
        tokio::spawn(async move {
            tokio::time::sleep(EXIT_BACKSTOP).await;
            socket.remove();
            // `exit` runs no destructor: a credentials helper still running would be orphaned.
            ehpc_alibaba::credentials::kill_running_helpers();
            std::process::exit(0);
        });
    }

    /// Installs the signal handlers. Under Terraform (`debug == false`) SIGINT is only
    /// logged: Ctrl-C reaches the whole process group, and Terraform answers it with
    /// StopProvider and lets in-flight applies finish, so dying here would lose state. In
    /// `--debug` mode the developer's Ctrl-C stops the provider. SIGTERM always stops it.
    pub(super) fn install_signal_handlers(&self, debug: bool) -> std::io::Result<()> {
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    Some(()) = interrupt.recv() => {
                        if debug {
                            this.shutdown("SIGINT");
                            break;
                        }
                        tracing::debug!("ignoring SIGINT; Terraform sends StopProvider instead");
                    }
                    Some(()) = terminate.recv() => {
                        this.shutdown("SIGTERM");
                        break;
                    }
                    () = this.token.cancelled() => break,
                }
            }
        });
        Ok(())
    }

    /// Shuts down when the process that launched us dies without telling us (kill -9, the
    /// out-of-memory killer, a cancelled CI runner): an orphaned provider would otherwise
    /// wait on copies and call the API for nobody, forever. NOTE(portability): the kernel
    /// re-parents an orphan (to init or a subreaper), so a changed `getppid()` means the
    /// parent is gone, on Linux and macOS alike; no parent-death signal is needed (Linux's
    /// PR_SET_PDEATHSIG fires when the parent *thread* exits, and Go's threads come and go).
    /// Launched by init itself (parent 1), there is no parent to watch.
    pub(super) fn watch_parent(&self) {
        let parent = std::os::unix::process::parent_id();
        if parent == 1 {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            let mut poll = tokio::time::interval(PARENT_POLL);
            poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = poll.tick() => {
                        if std::os::unix::process::parent_id() != parent {
                            this.shutdown("the parent process (Terraform) exited");
                            break;
                        }
                    }
                    () = this.token.cancelled() => break,
                }
            }
        });
    }
}
