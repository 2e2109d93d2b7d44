// SPDX-License-Identifier: MPL-2.0
//! The EhpcInstant client: one per configured provider.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::credentials::CredentialProvider;
use super::{Endpoints, Error, SynchronizeApp, SynchronizeAppResponse};

/// Everything a client needs; built by the provider at configure time.
#[derive(Clone)]
pub struct ClientConfig {
    pub credentials: Arc<dyn CredentialProvider>,
    pub endpoints: Endpoints,
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Appended to `terraform-provider-ehpc/<version>`, e.g. `Terraform/1.11.4`.
    pub user_agent_suffix: String,
}

/// Bounds for one logical call (all its retries).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Give up when this instant passes (the resource's timeout).
    pub deadline: Option<tokio::time::Instant>,
    /// Cancelled by StopProvider.
    pub cancel: CancellationToken,
}

/// Signs, sends and retries EhpcInstant calls; cheap to clone (shares connections and the
/// rate budget).
#[derive(Clone)]
pub struct Client {
    // Up to the implementation.
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let _ = config;
        todo!()
    }

    /// Calls SynchronizeApp against the endpoint of `region`.
    pub async fn synchronize_app(
        &self,
        region: &str,
        action: &SynchronizeApp,
        opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error> {
        todo!("{region}{action:?}{opts:?}")
    }
}
