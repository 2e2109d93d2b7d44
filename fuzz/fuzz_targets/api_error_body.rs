// SPDX-License-Identifier: MPL-2.0
//! Fuzzes the parser of Alibaba Cloud error answers: `ApiError::from_response` over any
//! status, headers and body (JSON from the gateway, HTML from a proxy, or garbage), then
//! `describe()`. Neither may panic, and the status must come through unchanged.
//!
//! Input layout: 2 bytes big-endian status, 1 byte header-block length N, N bytes of
//! `name: value` lines (invalid ones skipped), then the body.
#![no_main]

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use ehpc_alibaba::ApiError;
use libfuzzer_sys::fuzz_target;

fn headers_from(block: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in block.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name),
            HeaderValue::from_bytes(value.trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    headers
}

fuzz_target!(|data: &[u8]| {
    let [hi, lo, header_len, rest @ ..] = data else {
        return;
    };
    let status = u16::from_be_bytes([*hi, *lo]);
    let (block, body) = rest.split_at(usize::from(*header_len).min(rest.len()));
    let err = ApiError::from_response(status, &headers_from(block), body);
    assert_eq!(err.status, status, "status changed");
    let text = err.describe();
    assert!(
        text.contains(&status.to_string()),
        "describe() omits the HTTP status: {text}"
    );
});
