// SPDX-License-Identifier: MPL-2.0
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
