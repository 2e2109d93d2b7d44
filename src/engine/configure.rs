// SPDX-License-Identifier: MPL-2.0
//! ConfigureProvider and the configured `Data` it leaves behind.
//!
//! Configuration may run several times per process (reattach mode runs every command in one
//! process), so the stored `Data` is replaced by each successful configure. Resource and data
//! source calls that need it before any configure get a "Provider not configured" error.

use std::sync::{Arc, PoisonError};

use crate::protocol::{ConfigureProviderRequest, ConfigureProviderResponse, Diagnostic};

use super::codec::{decode, provider_bug};
use super::{ConfigureRequest, ConfigureResponse, Engine, Provider};

impl<P: Provider> Engine<P> {
    pub(super) async fn configure(
        &self,
        req: ConfigureProviderRequest,
    ) -> ConfigureProviderResponse {
        // NOTE(protocol): during plan the config may hold unknowns (a provider block that
        // references a resource not yet created); `Provider::configure` must accept them.
        let config = match decode(
            req.config.as_ref(),
            &self.schemas.provider_ty,
            "provider configuration",
        ) {
            Ok(v) => v,
            Err(d) => {
                return ConfigureProviderResponse {
                    diagnostics: d.into(),
                }
            }
        };
        let mut resp = ConfigureResponse::default();
        let call = ConfigureRequest {
            terraform_version: req.terraform_version,
            config,
        };
        self.provider.configure(call, &mut resp).await;
        let mut diagnostics = resp.diagnostics;
        if !diagnostics.has_errors() {
            match resp.data {
                Some(data) => {
                    *self.data.write().unwrap_or_else(PoisonError::into_inner) = Some(data);
                }
                None => diagnostics.push(provider_bug(
                    "Provider configuration produced nothing",
                    "ConfigureProvider succeeded without producing the data resources need.",
                )),
            }
        }
        ConfigureProviderResponse { diagnostics }
    }

    /// The data of the latest successful configure.
    pub(super) fn data(&self) -> Result<Arc<P::Data>, Diagnostic> {
        // A poisoned lock still holds a valid Arc (it is replaced in one assignment).
        let guard = self.data.read().unwrap_or_else(PoisonError::into_inner);
        guard.clone().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "Terraform called a resource or data source operation before ConfigureProvider \
                 succeeded. This is a bug in Terraform (it always configures the provider \
                 first); please report it together with the Terraform version and the command \
                 you ran.",
            )
        })
    }
}
