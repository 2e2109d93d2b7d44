// SPDX-License-Identifier: MPL-2.0
use super::*;

/// A service named `name` that answers with its name in a header.
#[derive(Clone)]
struct Named(&'static str);

impl Service<Request<Body>> for Named {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _req: Request<Body>) -> Self::Future {
        let mut resp = Response::new(Body::empty());
        resp.headers_mut()
            .insert("x-served-by", self.0.parse().expect("header value"));
        std::future::ready(Ok(resp))
    }
}

#[derive(Clone)]
struct Provider;
#[derive(Clone)]
struct Health;

impl NamedService for Provider {
    const NAME: &'static str = "tfplugin6.Provider";
}
impl NamedService for Health {
    const NAME: &'static str = "grpc.health.v1.Health";
}

macro_rules! forward {
    ($t:ty, $name:expr) => {
        impl Service<Request<Body>> for $t {
            type Response = Response<Body>;
            type Error = Infallible;
            type Future = std::future::Ready<Result<Response<Body>, Infallible>>;
            fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
                Named($name).poll_ready(cx)
            }
            fn call(&mut self, req: Request<Body>) -> Self::Future {
                Named($name).call(req)
            }
        }
    };
}
forward!(Provider, "provider");
forward!(Health, "health");

async fn served_by(path: &str) -> (String, Option<String>) {
    let mut routes = Routes::new().add(Health).add(Provider);
    let req = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request");
    let resp = match routes.call(req).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    };
    let by = resp
        .headers()
        .get("x-served-by")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let grpc_status = resp
        .headers()
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (by, grpc_status)
}

#[tokio::test]
async fn paths_go_to_the_service_they_name_and_others_are_unimplemented() {
    let unimplemented = Some((tonic::Code::Unimplemented as i32).to_string());
    let cases = [
        ("/tfplugin6.Provider/PlanResourceChange", ("provider", None)),
        (
            "/tfplugin6.Provider/GetResourceIdentitySchemas",
            ("provider", None),
        ),
        ("/grpc.health.v1.Health/Check", ("health", None)),
        (
            "/plugin.GRPCBroker/StartStream",
            ("", unimplemented.clone()),
        ),
        ("/tfplugin6.Provider", ("", unimplemented.clone())),
        ("/tfplugin6.ProviderX/Call", ("", unimplemented.clone())),
        ("/", ("", unimplemented.clone())),
    ];
    for (path, (want_by, want_status)) in cases {
        let (by, status) = served_by(path).await;
        assert_eq!((by.as_str(), status), (want_by, want_status), "{path}");
    }
}
