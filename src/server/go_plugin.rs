// SPDX-License-Identifier: MPL-2.0
//! go-plugin's side services on the same gRPC server as tfplugin6: GRPCController
//! (Shutdown), GRPCStdio (a stream that stays silent until shutdown) and GRPCBroker (opened
//! by Terraform, never used for providers). The health service is tonic-health's.

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::lifecycle::Lifecycle;
use crate::proto::google::protobuf::Empty as GoogleEmpty;
use crate::proto::plugin::{
    grpc_broker_server::GrpcBroker, grpc_controller_server::GrpcController,
    grpc_stdio_server::GrpcStdio, ConnInfo, Empty, StdioData,
};

/// GRPCController: Terraform calls Shutdown every time it is done with a provider process.
pub(super) struct Controller {
    pub lifecycle: Lifecycle,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _req: Request<Empty>) -> Result<Response<Empty>, Status> {
        // The reply is an in-flight stream, so graceful shutdown still delivers it; the
        // lifecycle's backstop then ends the process.
        self.lifecycle.shutdown("GRPCController.Shutdown");
        Ok(Response::new(Empty {}))
    }
}

/// GRPCStdio: we never write to stdout/stderr through it (logs go to stderr directly), but
/// the stream must stay open until shutdown and then end, or it would hold the server up.
pub(super) struct Stdio {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = ReceiverStream<Result<StdioData, Status>>;

    async fn stream_stdio(
        &self,
        _req: Request<GoogleEmpty>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(silent_stream(self.shutdown.clone())))
    }
}

/// GRPCBroker: accept the stream, read and drop whatever comes, send nothing, end at
/// shutdown.
pub(super) struct Broker {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = ReceiverStream<Result<ConnInfo, Status>>;

    async fn start_stream(
        &self,
        req: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        let mut inbound = req.into_inner();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    msg = inbound.message() => match msg {
                        Ok(Some(_)) => continue,
                        // Client closed or failed: nothing left to drain.
                        Ok(None) | Err(_) => break,
                    },
                }
            }
        });
        Ok(Response::new(silent_stream(self.shutdown.clone())))
    }
}

/// A server stream that sends nothing and ends when `shutdown` is cancelled (or the client
/// goes away, so no task outlives its stream).
fn silent_stream<T: Send + 'static>(shutdown: CancellationToken) -> ReceiverStream<T> {
    let (tx, rx) = mpsc::channel::<T>(1);
    tokio::spawn(async move {
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = tx.closed() => {}
        }
    });
    ReceiverStream::new(rx)
}
