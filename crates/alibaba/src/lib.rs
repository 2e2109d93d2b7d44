// SPDX-License-Identifier: MPL-2.0
//! The Alibaba Cloud EhpcInstant API client. It knows nothing of Terraform.
//!
//! * [`signer`]: V2 signatures as pure functions (shared with the emulator).
//! * [`SynchronizeApp`]: the one action, encoded by the client and parsed by the emulator.
//! * [`Client`]: one per configured provider; signs, sends, retries within a deadline and a
//!   cancellation token, and shares one adaptive rate budget between concurrent calls.
//! * [`HttpClient`]: the provider's one HTTP connection pool, built on first use and shared
//!   by the API client and the credential chain.
//! * [`credentials`]: the credential chain (attributes, environment, CLI profile, ECS role,
//!   credentials URI, assume-role, OIDC), with refresh of temporary credentials.
//! * [`Endpoints`]: regional defaults and overrides; [`region`]: what a region id looks like.
//! * [`timestamp`]: the ISO 8601 UTC form of `Timestamp` and `Expiration`.
//! * [`Error`]: typed errors whose messages say what to do.
//!
//! Inside: `rpc` sends one signed call, `retry` decides what to retry and how long to wait,
//! `rate_limit` keeps the shared budget.

mod client;
pub mod credentials;
mod endpoint;
mod error;
mod http;
mod rate_limit;
pub mod region;
mod retry;
mod rpc;
pub mod signer;
mod synchronize_app;
pub mod timestamp;

pub use client::{CallOptions, Client, ClientConfig, DEFAULT_USER_AGENT};
pub use endpoint::{Endpoints, ServiceUrl};
pub use error::{body_excerpt, sanitize, ApiError, Error, CUT_MARKER, REDACTED, REPLACEMENT};
pub use http::HttpClient;
pub use retry::Backoff;
pub use synchronize_app::{ParamError, SynchronizeApp, SynchronizeAppResponse};
