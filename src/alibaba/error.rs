// SPDX-License-Identifier: MPL-2.0
//! Typed API errors. Messages say what to do; no secret ever appears in one.

use std::time::Duration;

/// An error answer from an Alibaba Cloud endpoint (gateway or service), with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    pub status: u16,
    /// E.g. `ImageNotFound`, `Throttling.User`, `SignatureDoesNotMatch`. Empty when the body
    /// was not a JSON error (then `message` describes the body).
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub host_id: String,
    pub recommend: String,
    /// RAM denials: the raw `AccessDeniedDetail` object, as compact JSON.
    pub access_denied_detail: String,
    /// From the `x-acs-retry-after` header (milliseconds), when present.
    pub retry_after: Option<Duration>,
}

/// Everything a call to the API can fail with.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// The service or gateway answered with an error.
    #[error("{}", .0.describe())]
    Api(ApiError),
    /// No answer: connection refused or reset, TLS failure, read timeout.
    #[error("request to {endpoint} failed: {message}")]
    Transport { endpoint: String, message: String },
    /// StopProvider (Ctrl-C) cancelled the call.
    #[error("cancelled: Terraform asked the provider to stop (interrupt) while the call was {during}")]
    Cancelled { during: String },
    /// The overall deadline (the resource's timeout) passed; `last` is the last attempt's error.
    #[error("gave up after {attempts} attempt(s) when the deadline passed; last error: {last}")]
    DeadlineExceeded { attempts: u32, last: Box<Error> },
    /// Credentials could not be found or obtained; the message lists where we looked.
    #[error("{0}")]
    Credentials(String),
    /// Invalid client configuration (e.g. an endpoint URL that is not a URL).
    #[error("{0}")]
    Config(String),
}

impl ApiError {
    /// One paragraph for humans: code, message, HTTP status, RequestId and what to do.
    pub fn describe(&self) -> String {
        todo!()
    }
}
