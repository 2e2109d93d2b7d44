// SPDX-License-Identifier: MPL-2.0
//! What an apply records: the planned object with the values the apply found. Terraform
//! checks that every value the plan knew comes back unchanged, so a successful apply only
//! fills in what the plan left unknown (the copies it acted on, the RequestId of a call it
//! made). After an error Terraform checks nothing and the state records what was seen, so
//! that the next plan resumes from the truth (`copies_ready` false after a timed-out wait).

use crate::copies::{copy_type, Copies, CopyModel};
use crate::value::{IntoValue, Value};

use super::converge::Converged;

/// The state after an apply of `planned` that found `done`; `failed` when it ended with an
/// error.
pub fn applied(planned: Value, done: Converged, failed: bool) -> Value {
    let mut state = planned;
    let planned_copies = state.attr("copies").cloned();
    let mut record = |name: &str, v: Value| {
        if failed || state.attr(name).is_some_and(Value::is_unknown) {
            state.set_attr(name, v);
        }
    };
    record("request_id", Value::string(done.request_id));
    record("image_id", Value::string(done.image_id));
    record("copies_ready", Value::bool(done.copies_ready));
    let copies = match planned_copies {
        Some(planned) if !failed && !planned.is_unknown() && !planned.is_null() => {
            fill_copies(&planned, &done.copies)
        }
        _ => done.copies.into_value(),
    };
    state.set_attr("copies", copies);
    state
}

/// The planned copies with their unknown entries filled from `read` (a region the apply
/// acted on that GetImage does not list is recorded as not reported). Regions `read` lists
/// beyond the planned keys wait for the next refresh: the plan promised these keys.
fn fill_copies(planned: &Value, read: &Copies) -> Value {
    let Some(entries) = planned.fields() else {
        return read.clone().into_value();
    };
    let filled = entries
        .iter()
        .map(|(region, v)| {
            let found = || {
                read.get(region)
                    .cloned()
                    .unwrap_or_else(CopyModel::not_reported)
            };
            let v = if v.is_unknown() {
                found().into_value()
            } else if v.attr("status").is_some_and(Value::is_unknown) {
                // A waited-for copy: the planned image id stays, the status is filled in.
                let mut kept = v.clone();
                kept.set_attr("status", Value::string(found().status));
                kept
            } else {
                v.clone()
            };
            (region.clone(), v)
        })
        .collect();
    Value::map(copy_type(), filled)
}

#[cfg(test)]
mod tests;
