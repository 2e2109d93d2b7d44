// SPDX-License-Identifier: MPL-2.0
//! Fuzzes the emulator's request handling end to end: parameter parsing (query and form body),
//! API resolution, V2/V3 signature, timestamp, nonce and token checks, and the handlers, by
//! sending one arbitrary request through `ehpc_emulator::app` with tower's `oneshot`.
//! Every request must get a response, never a panic nor a `500` (nothing can fail inside).
//!
//! Input layout, an HTTP/1-like text: `METHOD URI\n`, `name: value\n` header lines (invalid
//! ones skipped), an empty line, then the body. Requests `http` itself refuses are skipped.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, Uri};
use ehpc_emulator::{app, AppState, EmulatorConfig, FaultConfig};
use libfuzzer_sys::fuzz_target;
use time::macros::datetime;
use tokio::runtime::Runtime;
use tower::ServiceExt;

/// A credential and an app the seeds use, so that fuzzed requests can get past the lookups.
const KEY_ID: &str = "fuzz-key";
const KEY_SECRET: &str = "fuzz-secret";
const APP_ID: &str = "ci-vm-fuzz";

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds")
    })
}

/// A fresh emulator per input: nonces and synchronized regions must not leak between runs, or
/// a crash would depend on the order inputs were tried in. The clock is fixed to the seeds'
/// timestamps (2024-05-01T08:00:00Z) and the random source is seeded.
fn fresh_state() -> AppState {
    let config = EmulatorConfig {
        faults: FaultConfig {
            seed: Some(1),
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    }
    .with_credential(KEY_ID, KEY_SECRET)
    .with_app(APP_ID);
    AppState::new(config)
        .expect("the fixed emulator configuration is valid")
        .with_clock(Arc::new(|| datetime!(2024-05-01 08:00:00 UTC)))
}

fn parse_request(data: &[u8]) -> Option<Request<Body>> {
    let mut lines = data.split(|&b| b == b'\n');
    let first = lines.next()?;
    let space = first.iter().position(|&b| b == b' ')?;
    let method = Method::from_bytes(&first[..space]).ok()?;
    let uri = Uri::try_from(first[space + 1..].trim_ascii_end()).ok()?;
    let mut request = Request::builder().method(method).uri(uri);
    let mut consumed = first.len() + 1;
    for line in lines.by_ref() {
        consumed += line.len() + 1;
        let line = line.trim_ascii_end();
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        request = request.header(name, value);
    }
    let body = data.get(consumed..).unwrap_or_default().to_vec();
    request.body(Body::from(body)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = parse_request(data) else {
        return;
    };
    runtime().block_on(async {
        let response = match app(fresh_state()).oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        assert_ne!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "emulator answered 500"
        );
        if let Err(e) = axum::body::to_bytes(response.into_body(), usize::MAX).await {
            panic!("response body ({status}) is unreadable: {e}");
        }
    });
});
