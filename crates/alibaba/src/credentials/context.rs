// SPDX-License-Identifier: MPL-2.0
//! [`ResolveContext`]: what resolving the chain may read and use, handed down from the chain
//! to the role steps (assume_role, OIDC, profile roles) that build on it.

use super::Environment;
use crate::{Endpoints, HttpClient};

/// What the chain may read and use.
pub struct ResolveContext<'a> {
    /// The process environment the chain reads (a copy, so tests inject their own).
    pub env: &'a Environment,
    /// The provider's HTTP client (also the API client's), used for STS, ECS metadata and
    /// the credentials URI; its User-Agent goes with every request. Nothing is built or sent
    /// at resolve time.
    pub http: &'a HttpClient,
    /// `endpoints.sts`, `endpoints.ecs_metadata` and `endpoints.oauth` overrides.
    pub endpoints: &'a Endpoints,
    /// The provider's region when already known; picks the regional STS endpoint.
    pub region: Option<&'a str>,
}
