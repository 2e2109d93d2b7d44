// SPDX-License-Identifier: MPL-2.0
//! Terraform's consistency rules as pure functions, so the engine reports a provider bug
//! before Terraform has to ("Provider produced invalid plan" / "inconsistent result").
//!
//! * [`plan_violations`]: objchange.AssertPlanValid (protocol reference §6.4).
//! * [`apply_violations`]: objchange.AssertObjectCompatible between plan and new state.
//! * [`read_violations`]: a data source read result against its configuration.
//! * [`path_exists`]: whether a requires_replace path addresses something in the type.
//!
//! Messages never include values: they may be sensitive.

mod apply;
mod plan;
mod read_data;

pub(super) use apply::apply_violations;
pub(super) use plan::{path_exists, plan_violations};
pub(super) use read_data::read_violations;

use crate::value::AttributePath;

/// One broken rule, located in the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::engine) struct Violation {
    pub(in crate::engine) path: AttributePath,
    pub(in crate::engine) message: String,
}

fn violation(out: &mut Vec<Violation>, path: &AttributePath, message: &str) {
    out.push(Violation {
        path: path.clone(),
        message: message.to_string(),
    });
}
