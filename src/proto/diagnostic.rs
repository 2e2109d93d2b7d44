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
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

    #[test]
    fn diagnostic_conversion() {
        struct Case {
            name: &'static str,
            input: Diagnostic,
            severity: pb::diagnostic::Severity,
            steps: Option<Vec<Selector>>,
        }
        let cases = [
            Case {
                name: "error without path",
                input: Diagnostic::error("bad", "very bad"),
                severity: pb::diagnostic::Severity::Error,
                steps: None,
            },
            Case {
                name: "warning with nested path",
                input: Diagnostic::warning("careful", "")
                    .at(AttributePath::attribute("regions").index(2).key("k")),
                severity: pb::diagnostic::Severity::Warning,
                steps: Some(vec![
                    Selector::AttributeName("regions".into()),
                    Selector::ElementKeyInt(2),
                    Selector::ElementKeyString("k".into()),
                ]),
            },
        ];
        for case in cases {
            let summary = case.input.summary.clone();
            let got = pb::Diagnostic::from(case.input);
            assert_eq!(got.severity, case.severity as i32, "{}", case.name);
            assert_eq!(got.summary, summary, "{}", case.name);
            let steps = got.attribute.map(|a| {
                a.steps
                    .into_iter()
                    .filter_map(|s| s.selector)
                    .collect::<Vec<_>>()
            });
            assert_eq!(steps, case.steps, "{}", case.name);
        }
    }
}
