// SPDX-License-Identifier: MPL-2.0
//! ApplyResourceChange: dispatch by null prior/planned state, the failure rules, and the
//! AssertObjectCompatible post-check.
//!
//! Planned null: delete (success drops the state, failure keeps the prior). Prior null:
//! create (failure leaves nothing unless the resource replaced the pre-filled plan with a
//! wholly known state). Else update (failure keeps the prior, with the same exception).

use crate::protocol::{
    ApplyResourceChangeRequest, ApplyResourceChangeResponse, Diagnostic, Diagnostics,
};
use crate::value::Value;

use super::checks::apply_violations;
use super::codec::{check_state, decode, encode_into, provider_bug};
use super::schema::ResourceEntry;
use super::write_only;
use super::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Engine, Provider, UpdateRequest,
    UpdateResponse,
};

const INCONSISTENT: &str = "Provider produced an inconsistent result after apply";

impl<P: Provider> Engine<P> {
    pub(super) async fn apply(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        self.try_apply(req)
            .await
            .unwrap_or_else(|d| ApplyResourceChangeResponse {
                diagnostics: d.into(),
                ..Default::default()
            })
    }

    async fn try_apply(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> Result<ApplyResourceChangeResponse, Diagnostic> {
        let entry = self.schemas.resource(&req.type_name)?;
        let ty = &entry.ty;
        let prior = decode(req.prior_state.as_ref(), ty, "prior state")?;
        let planned = decode(req.planned_state.as_ref(), ty, "planned state")?;
        let config = decode(req.config.as_ref(), ty, "configuration")?;
        let keep_prior = |mut diagnostics: Diagnostics| {
            let new_state = encode_into(&prior, ty, "prior state", &mut diagnostics);
            ApplyResourceChangeResponse {
                new_state,
                private: req.planned_private.clone(),
                diagnostics,
            }
        };
        let data = match self.data() {
            Ok(data) => data,
            // Nothing ran, so the prior state (null for a create) is still the truth.
            Err(d) => return Ok(keep_prior(d.into())),
        };
        let cancel = self.stop.child();

        if planned.is_null() {
            if prior.is_null() {
                return Ok(keep_prior(Diagnostics::default())); // nothing exists, nothing to do
            }
            let mut resp = DeleteResponse::default();
            let private = req.planned_private.clone();
            let call = DeleteRequest {
                prior: prior.clone(),
                private,
                data,
                cancel,
            };
            entry.resource.delete(call, &mut resp).await;
            if resp.diagnostics.has_errors() {
                return Ok(keep_prior(resp.diagnostics));
            }
            let new_state = encode_into(&planned, ty, "new state", &mut resp.diagnostics);
            return Ok(ApplyResourceChangeResponse {
                new_state,
                private: Vec::new(),
                diagnostics: resp.diagnostics,
            });
        }

        let (state, private, mut diagnostics, fallback) = if prior.is_null() {
            let mut resp = CreateResponse {
                state: planned.clone(),
                private: req.planned_private.clone(),
                diagnostics: Diagnostics::default(),
            };
            let call = CreateRequest {
                config,
                planned: planned.clone(),
                planned_private: req.planned_private.clone(),
                data,
                cancel,
            };
            entry.resource.create(call, &mut resp).await;
            (
                resp.state,
                resp.private,
                resp.diagnostics,
                Value::null(ty.clone()),
            )
        } else {
            let mut resp = UpdateResponse {
                state: planned.clone(),
                private: req.planned_private.clone(),
                diagnostics: Diagnostics::default(),
            };
            let call = UpdateRequest {
                config,
                prior: prior.clone(),
                planned: planned.clone(),
                planned_private: req.planned_private.clone(),
                data,
                cancel,
            };
            entry.resource.update(call, &mut resp).await;
            (resp.state, resp.private, resp.diagnostics, prior.clone())
        };

        let state = write_only::strip(&entry.schema.block, state);
        let new_state = if diagnostics.has_errors() {
            // A failed create/update: keep what the resource reported only if it replaced the
            // pre-filled plan with a whole, valid object (something was created or changed).
            // An untouched plan records nothing, so the next apply retries the same change.
            let usable = state != planned
                && !state.is_null()
                && state.is_wholly_known()
                && state.conforms(ty).is_ok();
            if usable {
                state
            } else {
                fallback
            }
        } else {
            check_result(entry, &planned, &state, &mut diagnostics);
            state
        };
        let new_state = encode_into(&new_state, ty, "new state", &mut diagnostics);
        Ok(ApplyResourceChangeResponse {
            new_state,
            private,
            diagnostics,
        })
    }
}

/// AssertObjectCompatible on a successful create/update, reported as provider bugs. The state
/// is still returned by the caller so nothing the resource created is lost.
fn check_result<D>(
    entry: &ResourceEntry<D>,
    planned: &Value,
    state: &Value,
    diagnostics: &mut Diagnostics,
) {
    if state.is_null() {
        let detail = format!(
            "Applying {} succeeded but returned no object.",
            entry.type_name
        );
        diagnostics.push(provider_bug(INCONSISTENT, detail));
        return;
    }
    let invalid = check_state(state, &entry.ty, &entry.type_name, "state after apply");
    if !invalid.is_empty() {
        invalid.into_iter().for_each(|d| diagnostics.push(d));
        return;
    }
    for v in apply_violations(planned, state) {
        let detail = format!(
            "When applying changes to {}, the new value at {} {}.",
            entry.type_name, v.path, v.message
        );
        diagnostics.push(provider_bug(INCONSISTENT, detail).at(v.path));
    }
}
