// SPDX-License-Identifier: MPL-2.0
//! [`Routes`]: the gRPC services of one plugin process, chosen by the service name that starts
//! every gRPC path (`/tfplugin6.Provider/PlanResourceChange`). tonic's own router is built on
//! axum; five services need a lookup in a list, not a web framework in the shipped binary.
//! A path naming no service is answered like tonic's router does: gRPC status UNIMPLEMENTED.

use std::convert::Infallible;
use std::task::{Context, Poll};

use tonic::body::Body;
use tonic::codegen::http::{Request, Response};
use tonic::server::NamedService;
use tonic::Status;
use tower::util::{BoxCloneSyncService, Oneshot};
use tower::{Service, ServiceExt as _};

type Route = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

/// The services of a plugin process by name, plus the answer for any other name.
#[derive(Clone)]
pub(super) struct Routes {
    routes: Vec<(&'static str, Route)>,
    unknown: Route,
}

impl Routes {
    pub(super) fn new() -> Self {
        let unknown = tower::service_fn(|req: Request<Body>| async move {
            let status = Status::unimplemented(format!("no gRPC service serves {}", req.uri()));
            Ok::<_, Infallible>(status.into_http())
        });
        Routes {
            routes: Vec::new(),
            unknown: BoxCloneSyncService::new(unknown),
        }
    }

    /// Serves `service` under its gRPC name.
    pub(super) fn add<S>(mut self, service: S) -> Self
    where
        S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        self.routes
            .push((S::NAME, BoxCloneSyncService::new(service)));
        self
    }

    fn route(&self, path: &str) -> &Route {
        let name = path
            .strip_prefix('/')
            .and_then(|p| p.split_once('/'))
            .map(|(name, _method)| name);
        self.routes
            .iter()
            .find(|(known, _)| Some(*known) == name)
            .map_or(&self.unknown, |(_, route)| route)
    }
}

impl Service<Request<Body>> for Routes {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Oneshot<Route, Request<Body>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Every route is a cloned, ready-checked-on-call service (`oneshot`).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        self.route(req.uri().path()).clone().oneshot(req)
    }
}

#[cfg(test)]
mod tests;
