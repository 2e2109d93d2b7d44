// SPDX-License-Identifier: MPL-2.0
//! A read the resource needed that failed, as a diagnostic that says which application and
//! region it was for.

use ehpc_alibaba::Error;

use crate::protocol::Diagnostic;
use crate::provider::cloud::{failed, Call};
use crate::value::AttributePath;

/// A read of `action` that failed, for `app_id` in `region`, as a diagnostic at `app_id`
/// (see [`failed`]).
pub fn read_failed(err: &Error, action: &str, app_id: &str, region: &str) -> Diagnostic {
    let call = Call::read(action).about(format!("Reading application {app_id:?} in {region}"));
    failed(&call, err).at(AttributePath::attribute("app_id"))
}
