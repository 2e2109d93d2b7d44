// SPDX-License-Identifier: MPL-2.0
//! Typed data sources. A [`TypedDataSource`] sees its configuration as a typed [`Model`] and
//! returns what its read computes as a typed value ([`WriteComputed`]); the adapter
//! (`impl DataSource for T`) decodes the configuration once per call, reports a value that
//! does not decode as a bug in the provider, and writes the read's result into the state, so
//! no data source handles raw values or names its attributes outside its model.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::protocol::{Diagnostic, Diagnostics, Schema};
use crate::value::{DecodeError, Value};

use super::traits::{
    DataSource, ReadDataRequest, ReadDataResponse, ValidateRequest, ValidateResponse,
};

/// An object of a resource or data source type as typed fields.
pub trait Model: Sized + Send {
    /// Decodes an object of the type (it may hold unknowns while Terraform validates).
    ///
    /// # Errors
    /// A value that is not an object of the type.
    fn from_value(v: &Value) -> Result<Self, DecodeError>;
}

/// The computed attributes of an object, as a read found them.
pub trait WriteComputed: Send {
    /// Writes the computed attributes into `object`; every other attribute stays as
    /// Terraform sent it.
    fn write(self, object: &mut Value);
}

/// A data source written against typed values: see the module doc.
#[async_trait::async_trait]
pub trait TypedDataSource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// The configuration.
    type Config: Model;
    /// What a read computes.
    type Read: WriteComputed;

    /// The full type name, e.g. `ehpc_apps`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Checks beyond types and required-ness; `config` may hold unknowns, which must never
    /// be rejected.
    fn validate(&self, config: &Self::Config) -> Diagnostics;

    /// Reads the object a wholly known `config` describes.
    ///
    /// # Errors
    /// The diagnostics of a read that failed; the engine then returns no state.
    async fn read(
        &self,
        config: Self::Config,
        data: Arc<D>,
        cancel: CancellationToken,
    ) -> Result<Self::Read, Diagnostics>;
}

/// The diagnostic of a decoding failure, which means the engine handed over a value of
/// another type: a bug in the provider.
pub fn decode_diagnostic(type_name: &str, err: &DecodeError) -> Diagnostic {
    let path = err.path.clone();
    Diagnostic::error(
        format!("Invalid {type_name} value"),
        format!("{err}. This is a bug in the provider; please report it."),
    )
    .at(path)
}

#[async_trait::async_trait]
impl<D: Send + Sync + 'static, T: TypedDataSource<D>> DataSource<D> for T {
    fn type_name(&self) -> &'static str {
        TypedDataSource::type_name(self)
    }

    fn schema(&self) -> Schema {
        TypedDataSource::schema(self)
    }

    async fn validate_config(&self, req: ValidateRequest, resp: &mut ValidateResponse) {
        match T::Config::from_value(&req.config) {
            Ok(config) => resp.diagnostics.extend(self.validate(&config)),
            Err(err) => resp
                .diagnostics
                .push(decode_diagnostic(TypedDataSource::type_name(self), &err)),
        }
    }

    async fn read(&self, req: ReadDataRequest<D>, resp: &mut ReadDataResponse) {
        let config = match T::Config::from_value(&req.config) {
            Ok(config) => config,
            Err(err) => {
                let type_name = TypedDataSource::type_name(self);
                return resp.diagnostics.push(decode_diagnostic(type_name, &err));
            }
        };
        match TypedDataSource::read(self, config, req.data, req.cancel).await {
            Ok(read) => read.write(&mut resp.state),
            Err(diags) => resp.diagnostics.extend(diags),
        }
    }
}

#[cfg(test)]
mod tests;
