// SPDX-License-Identifier: MPL-2.0
//! ReadResource (refresh) and ImportResourceState.
//!
//! Both hand the resource a pre-filled response (the current state, or a null state for an
//! import) and insist that what comes back is wholly known and conforms to the schema. Private
//! bytes are echoed through a read unless the resource replaces them, or they would be lost.

use crate::protocol::{
    Diagnostic, Diagnostics, ImportResourceStateRequest, ImportResourceStateResponse,
    ImportedResource, ReadResourceRequest, ReadResourceResponse,
};
use crate::value::Value;

use super::codec::{check_state, decode, encode_into, provider_bug};
use super::write_only;
use super::{Engine, ImportRequest, ImportResponse, Provider, ReadRequest, ReadResponse};

impl<P: Provider> Engine<P> {
    pub(super) async fn read(&self, req: ReadResourceRequest) -> ReadResourceResponse {
        let private = req.private.clone();
        self.try_read(req)
            .await
            .unwrap_or_else(|d| ReadResourceResponse {
                diagnostics: d.into(),
                private,
                ..Default::default()
            })
    }

    async fn try_read(&self, req: ReadResourceRequest) -> Result<ReadResourceResponse, Diagnostic> {
        let entry = self.schemas.resource(&req.type_name)?;
        let ty = &entry.ty;
        let current = decode(req.current_state.as_ref(), ty, "current state")?;
        if current.is_null() {
            // Nothing to refresh: an absent object stays absent.
            let mut diagnostics = Diagnostics::default();
            let new_state = encode_into(&current, ty, "new state", &mut diagnostics);
            return Ok(ReadResourceResponse {
                new_state,
                diagnostics,
                private: req.private,
            });
        }
        let data = self.data()?;
        let mut resp = ReadResponse {
            state: current.clone(),
            private: req.private.clone(),
            diagnostics: Diagnostics::default(),
        };
        let call = ReadRequest {
            state: current.clone(),
            private: req.private,
            data,
            cancel: self.stop.child(),
        };
        entry.resource.read(call, &mut resp).await;
        resp.state = write_only::strip(&entry.schema.block, resp.state);

        let mut diagnostics = resp.diagnostics;
        let invalid = check_state(&resp.state, ty, &entry.type_name, "state after refresh");
        // An invalid refresh result must not replace a good state: return the current one.
        let state = if invalid.is_empty() {
            resp.state
        } else {
            current
        };
        invalid.into_iter().for_each(|d| diagnostics.push(d));
        let new_state = encode_into(&state, ty, "new state", &mut diagnostics);
        Ok(ReadResourceResponse {
            new_state,
            diagnostics,
            private: resp.private,
        })
    }

    pub(super) async fn import(
        &self,
        req: ImportResourceStateRequest,
    ) -> ImportResourceStateResponse {
        self.try_import(req)
            .await
            .unwrap_or_else(|d| ImportResourceStateResponse {
                diagnostics: d.into(),
                ..Default::default()
            })
    }

    async fn try_import(
        &self,
        req: ImportResourceStateRequest,
    ) -> Result<ImportResourceStateResponse, Diagnostic> {
        let entry = self.schemas.resource(&req.type_name)?;
        let ty = &entry.ty;
        let data = self.data()?;
        let mut resp = ImportResponse {
            state: Value::null(ty.clone()),
            private: Vec::new(),
            diagnostics: Diagnostics::default(),
        };
        let call = ImportRequest {
            id: req.id,
            data,
            cancel: self.stop.child(),
        };
        entry.resource.import_state(call, &mut resp).await;
        resp.state = write_only::strip(&entry.schema.block, resp.state);

        let mut diagnostics = resp.diagnostics;
        if diagnostics.has_errors() {
            return Ok(ImportResourceStateResponse {
                diagnostics,
                ..Default::default()
            });
        }
        if resp.state.is_null() {
            let detail = format!(
                "Importing {} succeeded but returned no object.",
                entry.type_name
            );
            diagnostics.push(provider_bug(
                "Provider produced an invalid imported state",
                detail,
            ));
            return Ok(ImportResourceStateResponse {
                diagnostics,
                ..Default::default()
            });
        }
        let invalid = check_state(&resp.state, ty, &entry.type_name, "imported state");
        if !invalid.is_empty() {
            invalid.into_iter().for_each(|d| diagnostics.push(d));
            return Ok(ImportResourceStateResponse {
                diagnostics,
                ..Default::default()
            });
        }
        let state = encode_into(&resp.state, ty, "imported state", &mut diagnostics);
        let imported = ImportedResource {
            type_name: entry.type_name.clone(),
            state,
            private: resp.private,
        };
        Ok(ImportResourceStateResponse {
            imported_resources: vec![imported],
            diagnostics,
        })
    }
}
