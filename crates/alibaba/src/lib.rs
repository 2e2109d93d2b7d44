// SPDX-License-Identifier: MPL-2.0
//! The Alibaba Cloud EhpcInstant API client. It knows nothing of Terraform.
//!
//! * [`signer`]: V2 signatures as pure functions (shared with the emulator).
//! * [`actions`]: one struct per API action ([`SynchronizeApp`], [`ListImages`], [`GetImage`]),
//!   encoded by the client and parsed by the emulator, with the answer's typed shape.
//! * [`copy_status`]: what a copy's status word means (ready, pending, failed, or unknown).
//! * [`image_index`]: AppId -> image through one ListImages pass shared by every caller.
//! * [`Client`]: one per configured provider; signs, sends, retries within a deadline and a
//!   cancellation token, and shares one adaptive rate budget between concurrent calls.
//! * [`HttpClient`]: the provider's one HTTP connection pool, built on first use and shared
//!   by the API client and the credential chain.
//! * [`credentials`]: the credential chain (attributes, environment, CLI profile, ECS role,
//!   credentials URI, assume-role, OIDC), with refresh of temporary credentials.
//! * [`Endpoints`]: regional defaults and overrides; [`region`]: what a region id looks like.
//! * [`timestamp`]: the ISO 8601 UTC form of `Timestamp` and `Expiration`.
//! * [`Error`]: typed errors whose messages say what to do; [`ErrorCode`]: the codes callers
//!   match ([`Error::is`]).
//!
//! Inside: `rpc` sends one signed call, `retry` decides what to retry and how long to wait,
//! `rate_limit` keeps the shared budget.

#![warn(missing_docs)]

pub mod actions;
mod client;
pub mod copy_status;
pub mod credentials;
mod endpoint;
mod error;
mod http;
pub mod image_index;
mod rate_limit;
pub mod region;
mod retry;
mod rpc;
pub mod signer;
pub mod timestamp;

pub use actions::{
    Action, AddImage, AddImageResponse, GetImage, GetImageResponse, ListImages, ListImagesResponse,
    ParamError, RemoveImage, RemoveImageResponse, SynchronizeApp, SynchronizeAppResponse,
};
pub use client::{CallOptions, Client, ClientConfig, DEFAULT_USER_AGENT};
pub use copy_status::CopyStatus;
pub use endpoint::{Endpoints, ServiceUrl};
pub use error::{
    body_excerpt, key_id_hint, sanitize, ApiError, CredentialUse, Error, ErrorCode, CUT_MARKER,
    REDACTED, REPLACEMENT,
};
pub use http::{HttpClient, ProxySettings};
pub use rate_limit::shared::{shared_budget_dir, SHARED_BUDGET_ENV};
pub use retry::{Backoff, RETRIES_WITHOUT_DEADLINE, UNREACHABLE_RETRIES};
