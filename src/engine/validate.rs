// SPDX-License-Identifier: MPL-2.0
//! ValidateProviderConfig and ValidateResourceConfig.
//!
//! Terraform has already checked types and required attributes before these calls, so the
//! engine adds no generic rule: it decodes the config (which may hold unknowns, e.g. values
//! that depend on other resources) and hands it to the provider's or resource's own checks.

use crate::protocol::{
    ValidateProviderConfigRequest, ValidateProviderConfigResponse, ValidateResourceConfigRequest,
    ValidateResourceConfigResponse,
};

use super::codec::decode;
use super::write_only;
use super::{Engine, Provider, ValidateRequest, ValidateResponse};

impl<P: Provider> Engine<P> {
    pub(super) async fn validate_provider(
        &self,
        req: ValidateProviderConfigRequest,
    ) -> ValidateProviderConfigResponse {
        let ty = &self.schemas.provider_ty;
        let config = match decode(req.config.as_ref(), ty, "provider configuration") {
            Ok(v) => v,
            Err(d) => {
                return ValidateProviderConfigResponse {
                    diagnostics: d.into(),
                }
            }
        };
        let mut resp = ValidateResponse::default();
        self.provider
            .validate_config(ValidateRequest { config }, &mut resp)
            .await;
        ValidateProviderConfigResponse {
            diagnostics: resp.diagnostics,
        }
    }

    pub(super) async fn validate_resource(
        &self,
        req: ValidateResourceConfigRequest,
    ) -> ValidateResourceConfigResponse {
        let entry = match self.schemas.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => {
                return ValidateResourceConfigResponse {
                    diagnostics: d.into(),
                }
            }
        };
        let config = match decode(req.config.as_ref(), &entry.ty, "resource configuration") {
            Ok(v) => v,
            Err(d) => {
                return ValidateResourceConfigResponse {
                    diagnostics: d.into(),
                }
            }
        };
        let mut resp = ValidateResponse::default();
        let block = &entry.schema.block;
        if !req.write_only_allowed
            && write_only::has_write_only(block)
            && write_only::strip(block, config.clone()) != config
        {
            resp.diagnostics.error(
                "Write-only attributes not supported",
                format!(
                    "{} sets a write-only attribute, but this Terraform does not support \
                     write-only attributes and would store its value in the state. Use \
                     Terraform or OpenTofu 1.11 or later.",
                    entry.type_name
                ),
            );
            return ValidateResourceConfigResponse {
                diagnostics: resp.diagnostics,
            };
        }
        entry
            .resource
            .validate_config(ValidateRequest { config }, &mut resp)
            .await;
        ValidateResourceConfigResponse {
            diagnostics: resp.diagnostics,
        }
    }
}
