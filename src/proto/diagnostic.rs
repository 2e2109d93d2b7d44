// SPDX-License-Identifier: MPL-2.0
//! Diagnostics and attribute paths, protocol -> proto (Terraform never sends diagnostics).

use crate::protocol::{Diagnostic, Diagnostics, Severity};
use crate::value::{AttributePath, PathStep};

use super::tfplugin6 as pb;

// NOTE(protocol): proto3 `string` must be valid UTF-8 or Terraform's decoder rejects the
// whole response. Rust `String`s are valid UTF-8 by construction, so diagnostics built from
// API bodies or file contents must go through `String::from_utf8_lossy` at their source;
// nothing here can produce invalid UTF-8.
impl From<Diagnostic> for pb::Diagnostic {
    fn from(d: Diagnostic) -> Self {
        let severity = match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        };
        Self {
            severity: severity.into(),
            summary: d.summary,
            detail: d.detail,
            attribute: d.attribute.map(Into::into),
        }
    }
}

/// Converts a whole [`Diagnostics`] collection, keeping its order.
pub(crate) fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.into_iter().map(Into::into).collect()
}

impl From<AttributePath> for pb::AttributePath {
    fn from(p: AttributePath) -> Self {
        use pb::attribute_path::{step::Selector, Step};
        let steps = p
            .steps
            .into_iter()
            .map(|s| {
                let selector = match s {
                    PathStep::Attribute(name) => Selector::AttributeName(name),
                    PathStep::ElementKeyString(key) => Selector::ElementKeyString(key),
                    PathStep::ElementKeyInt(i) => Selector::ElementKeyInt(i),
                };
                Step {
                    selector: Some(selector),
                }
            })
            .collect();
        Self { steps }
    }
}

#[cfg(test)]
mod tests;
