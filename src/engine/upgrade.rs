// SPDX-License-Identifier: MPL-2.0
//! UpgradeResourceState: stored JSON state to a value of the current schema.
//!
//! NOTE(protocol): Terraform calls this for every instance in state before any refresh, even
//! when the versions match, and the JSON may be indented (from the state file) or compact.
//! Current version: decoded directly. Older: `Resource::upgrade_state`. Newer: an error.

use crate::protocol::{
    Diagnostic, Diagnostics, UpgradeResourceStateRequest, UpgradeResourceStateResponse,
};
use crate::value::{json, Value};

use super::codec::{check_state, encode_into, invalid_value, provider_bug};
use super::{Engine, Provider, UpgradeRequest, UpgradeResponse};

impl<P: Provider> Engine<P> {
    pub(super) async fn upgrade(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> UpgradeResourceStateResponse {
        self.try_upgrade(req)
            .await
            .unwrap_or_else(|d| UpgradeResourceStateResponse {
                diagnostics: d.into(),
                ..Default::default()
            })
    }

    async fn try_upgrade(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> Result<UpgradeResourceStateResponse, Diagnostic> {
        let entry = self.schemas.resource(&req.type_name)?;
        let ty = &entry.ty;
        let current_version = entry.schema.version;
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            let detail = if raw.flatmap.is_empty() {
                format!(
                    "Terraform sent no stored state for this {} instance.",
                    entry.type_name
                )
            } else {
                format!(
                    "This {} instance's state is in the legacy flatmap format of Terraform \
                     before 0.12, which this provider cannot read. Remove it from state \
                     (`terraform state rm`) and import it again.",
                    entry.type_name
                )
            };
            return Err(Diagnostic::error("Unsupported state format", detail));
        }
        if req.version > current_version {
            return Err(Diagnostic::error(
                "Resource state written by a newer provider version",
                format!(
                    "This {} state was written at schema version {}, but this provider only \
                     knows versions up to {current_version}. Upgrade the provider.",
                    entry.type_name, req.version
                ),
            ));
        }

        let mut diagnostics = Diagnostics::default();
        let state = if req.version == current_version {
            json::decode(&raw.json, ty).map_err(|e| invalid_value("stored state", &e))?
        } else {
            let json: serde_json::Value = serde_json::from_slice(&raw.json).map_err(|e| {
                Diagnostic::error(
                    "Invalid stored state value",
                    format!(
                        "The stored state of this {} is not valid JSON: {e}.",
                        entry.type_name
                    ),
                )
            })?;
            let mut resp = UpgradeResponse {
                state: Value::null(ty.clone()),
                diagnostics,
            };
            let call = UpgradeRequest {
                version: req.version,
                json,
            };
            entry.resource.upgrade_state(call, &mut resp).await;
            diagnostics = resp.diagnostics;
            if diagnostics.has_errors() {
                return Ok(UpgradeResourceStateResponse {
                    upgraded_state: None,
                    diagnostics,
                });
            }
            if resp.state.is_null() {
                let detail = format!(
                    "Upgrading {} state from schema version {} produced no state.",
                    entry.type_name, req.version
                );
                diagnostics.push(provider_bug(
                    "Provider produced an invalid upgraded state",
                    detail,
                ));
                return Ok(UpgradeResourceStateResponse {
                    upgraded_state: None,
                    diagnostics,
                });
            }
            let invalid = check_state(&resp.state, ty, &entry.type_name, "upgraded state");
            if !invalid.is_empty() {
                invalid.into_iter().for_each(|d| diagnostics.push(d));
                return Ok(UpgradeResourceStateResponse {
                    upgraded_state: None,
                    diagnostics,
                });
            }
            resp.state
        };
        let upgraded_state = encode_into(&state, ty, "upgraded state", &mut diagnostics);
        Ok(UpgradeResourceStateResponse {
            upgraded_state,
            diagnostics,
        })
    }
}
