// SPDX-License-Identifier: MPL-2.0
//! The data sources of the `ehpc` provider, one module each: `ehpc_app` ([`App`]: one
//! application, its image and its copies) and `ehpc_apps` ([`Apps`]: the applications a
//! region lists, filtered). This file holds what both share: the region a read uses and how
//! answers become values; the API they call ([`ImagesApi`]), the read's deadline and error
//! diagnostics are the provider's, shared with the resources.

pub mod app;
pub mod apps;

use crate::copies::printable;
use crate::protocol::Diagnostic;
pub use crate::provider::{api_error, read_options, ImagesApi, READ_TIMEOUT};
use crate::value::{Attr, AttributePath, Type, Value};

pub use app::App;
pub use apps::Apps;

/// Characters kept at most of a name, version, id or time from the service.
const MAX_SHORT_TEXT: usize = 256;

/// Characters kept at most of a description (free text, so a larger bound).
const MAX_DESCRIPTION: usize = 4096;

/// The region a read calls: the data source's `region`, else the provider's.
///
/// # Errors
/// Neither is known (a provider region taken from a value not known yet).
pub fn region_to_read(
    configured: &Attr<String>,
    provider: &Attr<String>,
) -> Result<String, Diagnostic> {
    if let Attr::Known(region) = configured {
        return Ok(region.clone());
    }
    match provider {
        Attr::Known(region) => Ok(region.clone()),
        _ => Err(Diagnostic::error(
            "Region unknown",
            "This data source reads the provider's region, which is not known yet (it comes \
             from a value known only at apply). Set `region` in the data source, or give the \
             provider a region known at plan time.",
        )
        .at(AttributePath::attribute("region"))),
    }
}

/// Reads need the API client, which only a wholly known provider configuration gives.
pub(crate) fn not_configured(type_name: &str) -> Diagnostic {
    Diagnostic::error(
        "Provider not configured",
        format!(
            "{type_name} needs the API client, but the ehpc provider's configuration is not \
             known yet (it uses values known only at apply). Give the provider values known at \
             plan time to read this data source."
        ),
    )
}

/// A short text from the service as a string value: printable characters only, bounded;
/// null when the service sent none.
pub fn text_value(text: Option<&str>) -> Value {
    text_attr(text).into_value()
}

/// [`text_value`] as a typed attribute.
pub fn text_attr(text: Option<&str>) -> Attr<String> {
    match text {
        Some(t) => Attr::Known(printable(t, MAX_SHORT_TEXT)),
        None => Attr::Null,
    }
}

/// Like [`text_value`], for free text such as a description.
pub fn long_text_value(text: Option<&str>) -> Value {
    match text {
        Some(t) => Value::string(printable(t, MAX_DESCRIPTION)),
        None => Value::null(Type::String),
    }
}

#[cfg(test)]
mod tests;
