// SPDX-License-Identifier: MPL-2.0
//! ValidateDataResourceConfig and ReadDataSource.
//!
//! Validation decodes the configuration (which may hold unknowns) and hands it to the data
//! source's own checks. A read runs only on a wholly known configuration, with a response
//! pre-filled so that a computed attribute the data source forgets stays unknown and is caught;
//! the result is then checked (schema type, wholly known, configuration echoed) and any broken
//! rule becomes a "bug in the provider" diagnostic instead of an inconsistent result.

use crate::protocol::{
    Diagnostic, Diagnostics, ReadDataSourceRequest, ReadDataSourceResponse,
    ValidateDataResourceConfigRequest, ValidateDataResourceConfigResponse,
};
use crate::value::{AttributePath, Value};

use super::checks::read_violations;
use super::codec::{decode, encode_into, first_unknown, provider_bug};
use super::plan::mark_computed_unknown;
use super::schema::DataSourceEntry;
use super::{
    Engine, Provider, ReadDataRequest, ReadDataResponse, ValidateRequest, ValidateResponse,
};

const INVALID_RESULT: &str = "Provider produced an invalid data source result";

impl<P: Provider> Engine<P> {
    pub(super) async fn validate_data_source(
        &self,
        req: ValidateDataResourceConfigRequest,
    ) -> ValidateDataResourceConfigResponse {
        let diagnostics = match self.try_validate_data_source(req).await {
            Ok(d) => d,
            Err(d) => d.into(),
        };
        ValidateDataResourceConfigResponse { diagnostics }
    }

    async fn try_validate_data_source(
        &self,
        req: ValidateDataResourceConfigRequest,
    ) -> Result<Diagnostics, Diagnostic> {
        let entry = self.schemas.data_source(&req.type_name)?;
        let config = decode(req.config.as_ref(), &entry.ty, "data source configuration")?;
        let mut resp = ValidateResponse::default();
        entry
            .data_source
            .validate_config(ValidateRequest { config }, &mut resp)
            .await;
        Ok(resp.diagnostics)
    }

    pub(super) async fn read_data_resource(
        &self,
        req: ReadDataSourceRequest,
    ) -> ReadDataSourceResponse {
        self.try_read_data_resource(req)
            .await
            .unwrap_or_else(|d| ReadDataSourceResponse {
                diagnostics: d.into(),
                ..Default::default()
            })
    }

    async fn try_read_data_resource(
        &self,
        req: ReadDataSourceRequest,
    ) -> Result<ReadDataSourceResponse, Diagnostic> {
        let entry = self.schemas.data_source(&req.type_name)?;
        let ty = &entry.ty;
        let config = decode(req.config.as_ref(), ty, "data source configuration")?;
        check_config(entry, &config)?;
        let data = self.data()?;

        let mut resp = ReadDataResponse {
            state: mark_computed_unknown(&entry.schema.block, config.clone()),
            diagnostics: Diagnostics::default(),
        };
        let call = ReadDataRequest {
            config: config.clone(),
            data,
            cancel: self.stop.child(),
        };
        entry.data_source.read(call, &mut resp).await;

        let mut diagnostics = resp.diagnostics;
        // NOTE(protocol): Terraform ignores the state of a read that reported an error.
        if diagnostics.has_errors() {
            return Ok(ReadDataSourceResponse {
                state: None,
                diagnostics,
            });
        }
        let violations = read_violations(&entry.schema.block, &config, &resp.state);
        if !violations.is_empty() {
            for v in violations {
                let detail = format!(
                    "The result of reading {} is invalid at {}: {}.",
                    entry.type_name, v.path, v.message
                );
                diagnostics.push(provider_bug(INVALID_RESULT, detail).at(v.path));
            }
            return Ok(ReadDataSourceResponse {
                state: None,
                diagnostics,
            });
        }
        let state = encode_into(&resp.state, ty, "data source result", &mut diagnostics);
        Ok(ReadDataSourceResponse { state, diagnostics })
    }
}

/// A read needs a configuration object that is wholly known.
///
/// NOTE(protocol): Terraform defers the read of a data source whose configuration holds
/// unknown values to the apply walk, when they are known; one arriving anyway is answered with
/// an error rather than a read on values nobody knows yet.
fn check_config<D>(entry: &DataSourceEntry<D>, config: &Value) -> Result<(), Diagnostic> {
    if config.is_null() {
        return Err(Diagnostic::error(
            "Missing data source configuration",
            format!(
                "Terraform asked to read {} without a configuration, so there is nothing to \
                 read.",
                entry.type_name
            ),
        ));
    }
    if config.is_wholly_known() {
        return Ok(());
    }
    let path = first_unknown(config, AttributePath::root());
    Err(Diagnostic::error(
        "Data source configuration not yet known",
        format!(
            "Terraform asked to read {} while its configuration at {path} is still unknown. \
             Terraform normally waits until apply to read such a data source, so nothing was \
             read; re-run the command, and report it to Terraform if it persists.",
            entry.type_name
        ),
    )
    .at(path))
}
