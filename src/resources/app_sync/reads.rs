// SPDX-License-Identifier: MPL-2.0
//! A read the resource needed that failed, as a diagnostic that says which application and
//! region it was for.

use ehpc_alibaba::Error;

use crate::protocol::Diagnostic;
use crate::value::AttributePath;

/// A read that failed, for `app_id` in `region`, as a diagnostic at `app_id` (see
/// [`crate::provider::api_error`]).
pub fn read_failed(err: &Error, action: &str, app_id: &str, region: &str) -> Diagnostic {
    let mut d = crate::provider::api_error(action, err);
    d.detail = format!("Reading application {app_id:?} in {region}: {}", d.detail);
    d.at(AttributePath::attribute("app_id"))
}
