// SPDX-License-Identifier: MPL-2.0
//! The decision table of an update: what is sent, waited for, kept, and warned about.

use super::*;
use crate::protocol::Severity;
use crate::resources::app_sync::tests::models::copies;

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn prior(targets: &[&str], entries: &[(&str, &str)], ready: bool) -> AppSyncModel {
    AppSyncModel {
        app_id: Attr::Known("app-1".into()),
        target_region_ids: Attr::Known(set(targets)),
        copies: Attr::Known(copies(entries)),
        copies_ready: Attr::Known(ready),
        ..AppSyncModel::default()
    }
}

struct Case {
    name: &'static str,
    prior: AppSyncModel,
    targets: &'static [&'static str],
    waits: bool,
    send: &'static [&'static str],
    wait: &'static [&'static str],
    kept: &'static [&'static str],
    /// Regions named by warnings, in order.
    warned: &'static [&'static str],
}

impl Case {
    /// An update of `prior` to `targets` that waits and does nothing, keeps nothing and
    /// warns about nothing: a row sets only what differs.
    fn new(name: &'static str, prior: AppSyncModel, targets: &'static [&'static str]) -> Case {
        Case {
            name,
            prior,
            targets,
            waits: true,
            send: &[],
            wait: &[],
            kept: &[],
            warned: &[],
        }
    }
}

#[test]
fn decision_table() {
    let ready_ab = [("cn-a", "Available"), ("cn-b", "Available")];
    let cases = [
        Case {
            kept: &["cn-a", "cn-b"],
            ..Case::new(
                "nothing changed",
                prior(&["cn-a", "cn-b"], &ready_ab, true),
                &["cn-a", "cn-b"],
            )
        },
        Case {
            send: &["cn-c"],
            kept: &["cn-a", "cn-b"],
            ..Case::new(
                "an added region is sent, the others keep their copies",
                prior(&["cn-a", "cn-b"], &ready_ab, true),
                &["cn-a", "cn-b", "cn-c"],
            )
        },
        Case {
            send: &["cn-a", "cn-b"],
            kept: &["cn-a", "cn-b", "cn-c"],
            warned: &["cn-a", "cn-b"],
            ..Case::new(
                "a missing and a failed copy are repaired with a warning each",
                prior(
                    &["cn-a", "cn-b", "cn-c"],
                    &[
                        ("cn-a", MISSING),
                        ("cn-b", "CreateFailed"),
                        ("cn-c", "Available"),
                    ],
                    true,
                ),
                &["cn-a", "cn-b", "cn-c"],
            )
        },
        Case {
            send: &["cn-a"],
            kept: &["cn-a", "cn-b"],
            warned: &["cn-a"],
            ..Case::new(
                "under all, a missing copy is repaired explicitly",
                prior(&["all"], &[("cn-a", MISSING), ("cn-b", "Available")], true),
                &["all"],
            )
        },
        Case {
            send: &["all"],
            kept: &["cn-a", "cn-b"],
            warned: &["cn-b"],
            ..Case::new(
                "all newly configured is sent alone",
                prior(&["cn-a"], &[("cn-a", "Available"), ("cn-b", MISSING)], true),
                &["all"],
            )
        },
        Case {
            kept: &["cn-a", "cn-b"],
            ..Case::new(
                "under all with nothing to repair, nothing is sent",
                prior(&["all"], &ready_ab, true),
                &["all"],
            )
        },
        Case {
            wait: &["cn-a"],
            kept: &["cn-a", "cn-b"],
            ..Case::new(
                "a resumed wait waits for pending copies and sends nothing",
                prior(
                    &["cn-a", "cn-b"],
                    &[("cn-a", "Creating"), ("cn-b", "Available")],
                    false,
                ),
                &["cn-a", "cn-b"],
            )
        },
        Case {
            waits: false,
            kept: &["cn-a"],
            ..Case::new(
                "without waiting, a pending copy is left alone",
                prior(&["cn-a"], &[("cn-a", "Creating")], false),
                &["cn-a"],
            )
        },
        Case {
            kept: &["cn-a"],
            warned: &["cn-a"],
            ..Case::new(
                "a status not understood is warned about, never sent nor waited for",
                prior(&["cn-a"], &[("cn-a", "Optimizing")], false),
                &["cn-a"],
            )
        },
        Case {
            waits: false,
            kept: &["cn-a"],
            ..Case::new(
                "not reported counts as held",
                prior(&["cn-a"], &[("cn-a", NOT_REPORTED)], false),
                &["cn-a"],
            )
        },
        Case {
            kept: &["cn-c"],
            ..Case::new(
                "provider-written entries of untargeted regions are pruned, real ones kept",
                prior(
                    &["cn-a", "cn-b", "cn-c"],
                    &[
                        ("cn-a", NOT_REPORTED),
                        ("cn-b", MISSING),
                        ("cn-c", "Available"),
                    ],
                    true,
                ),
                &[],
            )
        },
        Case {
            waits: false,
            send: &["cn-a"],
            ..Case::new(
                "a region added back after its not-reported entry was pruned is sent",
                prior(&[], &[], true),
                &["cn-a"],
            )
        },
    ];
    for case in cases {
        let got = work(&case.prior, &set(case.targets), case.waits);
        let name = case.name;
        assert_eq!(got.send, set(case.send), "{name}: send");
        assert_eq!(got.wait, set(case.wait), "{name}: wait");
        let kept: Vec<&str> = got.kept.keys().map(String::as_str).collect();
        assert_eq!(kept, case.kept, "{name}: kept");
        let warned: Vec<Option<AttributePath>> =
            got.warnings.iter().map(|w| w.attribute.clone()).collect();
        let want: Vec<Option<AttributePath>> = case
            .warned
            .iter()
            .map(|r| Some(AttributePath::attribute("copies").key(r)))
            .collect();
        assert_eq!(warned, want, "{name}: warnings");
        assert!(
            got.warnings.iter().all(|w| w.severity == Severity::Warning),
            "{name}"
        );
    }
}

#[test]
fn planned_copies_are_unknown_exactly_where_the_apply_acts() {
    let prior = self::prior(
        &["cn-a", "cn-b"],
        &[("cn-a", "Available"), ("cn-b", MISSING)],
        true,
    );
    let got = work(&prior, &set(&["cn-a", "cn-b", "cn-c"]), true);
    let planned = got.planned_copies().expect("keys known");
    let ready_a = CopyModel {
        image_id: "m-cn-a".into(),
        status: "Available".into(),
    };
    let want = PlannedCopies::from([
        ("cn-a".to_string(), PlannedCopy::Kept(ready_a)),
        ("cn-b".to_string(), PlannedCopy::Unknown),
        ("cn-c".to_string(), PlannedCopy::Unknown),
    ]);
    assert_eq!(planned, want);
    let all = work(&prior, &set(&["all"]), true);
    assert_eq!(
        all.planned_copies(),
        None,
        "all sent: the keys are not known"
    );
}

#[test]
fn warnings_say_what_happened_and_what_the_apply_does() {
    let prior = prior(
        &["cn-a", "cn-b", "cn-c"],
        &[
            ("cn-a", MISSING),
            ("cn-b", "CreateFailed"),
            ("cn-c", "Optimizing"),
        ],
        true,
    );
    let got = work(&prior, &set(&["cn-a", "cn-b", "cn-c"]), true);
    let texts: Vec<(String, String)> = got
        .warnings
        .iter()
        .map(|w| (w.summary.clone(), w.detail.clone()))
        .collect();
    assert_eq!(texts[0].0, "Copy in cn-a will be synchronized again");
    assert!(
        texts[0]
            .1
            .contains("\"cn-a\" is missing: GetImage listed it before and no longer does"),
        "{}",
        texts[0].1
    );
    assert!(
        texts[0]
            .1
            .contains("The apply sends \"cn-a\" to SynchronizeApp again"),
        "{}",
        texts[0].1
    );
    assert!(
        texts[1]
            .1
            .contains("reports status \"CreateFailed\", which means the copy failed"),
        "{}",
        texts[1].1
    );
    assert_eq!(texts[2].0, "Copy status not understood");
    assert!(texts[2].1.contains("\"Optimizing\", which this provider does not know. The apply neither synchronizes \"cn-c\" again nor waits for it"), "{}", texts[2].1);
}
