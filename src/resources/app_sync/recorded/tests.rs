// SPDX-License-Identifier: MPL-2.0
//! A successful apply keeps what the plan knew and fills in what it did not; a failed one
//! records what it saw.

use super::*;

fn copy(image_id: &str, status: &str) -> CopyModel {
    CopyModel {
        image_id: image_id.into(),
        status: status.into(),
    }
}

fn planned(copies: Attr<PlannedCopies>, copies_ready: Attr<bool>) -> AppSyncModel<PlannedCopies> {
    AppSyncModel {
        request_id: Attr::Known("RID-1".into()),
        image_id: Attr::Known("m-1".into()),
        copies,
        copies_ready,
        ..AppSyncModel::default()
    }
}

fn done() -> Converged {
    Converged {
        image_type: Some("VM".into()),
        request_id: "RID-2".into(),
        image_id: "m-1".into(),
        copies: Copies::from([
            ("cn-a".to_string(), copy("m-a-new", "Available")),
            ("cn-b".to_string(), copy("m-b", "Available")),
            ("cn-z".to_string(), copy("m-z", "Available")),
        ]),
        copies_ready: false,
    }
}

#[test]
fn known_planned_values_stay_and_unknown_ones_are_filled() {
    let copies = PlannedCopies::from([
        (
            "cn-a".to_string(),
            PlannedCopy::Kept(copy("m-a-old", "Available")),
        ),
        ("cn-b".to_string(), PlannedCopy::Unknown),
        ("cn-c".to_string(), PlannedCopy::Unknown),
        (
            "cn-z".to_string(),
            PlannedCopy::Waited {
                image_id: "m-z-planned".into(),
            },
        ),
    ]);
    let state = applied(planned(Attr::Known(copies), Attr::Unknown), done(), false);
    let want = Copies::from([
        ("cn-a".to_string(), copy("m-a-old", "Available")),
        ("cn-b".to_string(), copy("m-b", "Available")),
        ("cn-c".to_string(), CopyModel::not_reported()),
        ("cn-z".to_string(), copy("m-z-planned", "Available")),
    ]);
    assert_eq!(
        state.copies,
        Attr::Known(want),
        "planned keys and image ids"
    );
    assert_eq!(state.request_id, Attr::Known("RID-1".into()));
    assert_eq!(state.copies_ready, Attr::Known(false));
}

#[test]
fn an_unknown_map_takes_every_copy_read() {
    let state = applied(planned(Attr::Unknown, Attr::Known(true)), done(), false);
    assert_eq!(state.copies, Attr::Known(done().copies));
    assert_eq!(state.copies_ready, Attr::Known(true), "the plan knew it");
}

#[test]
fn a_failed_apply_records_what_it_saw() {
    let planned = planned(Attr::Known(PlannedCopies::new()), Attr::Known(true));
    let state = applied(planned, done(), true);
    assert_eq!(state.copies_ready, Attr::Known(false));
    assert_eq!(state.request_id, Attr::Known("RID-2".into()));
    assert_eq!(state.copies, Attr::Known(done().copies));
}

#[test]
fn a_planned_copy_decodes_and_encodes_as_the_plan_wrote_it() {
    let copies = PlannedCopies::from([
        (
            "cn-a".to_string(),
            PlannedCopy::Kept(copy("m-a", "Available")),
        ),
        ("cn-b".to_string(), PlannedCopy::Unknown),
        (
            "cn-c".to_string(),
            PlannedCopy::Waited {
                image_id: "m-c".into(),
            },
        ),
    ]);
    let value = Attr::Known(copies.clone()).into_value();
    let path = crate::value::AttributePath::attribute("copies");
    assert_eq!(Attr::from_value(&value, &path), Ok(Attr::Known(copies)));
}

#[test]
fn a_targeted_copy_the_plan_kept_and_the_apply_finds_gone_is_an_error() {
    let kept = |status: &str| PlannedCopy::Kept(copy("m-k", status));
    let copies = PlannedCopies::from([
        ("cn-a".to_string(), kept("Available")),
        ("cn-b".to_string(), kept("Creating")),
        ("cn-c".to_string(), kept("CreateFailed")),
        ("cn-d".to_string(), kept(crate::copies::NOT_REPORTED)),
        ("cn-e".to_string(), kept(crate::copies::MISSING)),
        ("cn-f".to_string(), kept("Available")),
        ("cn-u".to_string(), PlannedCopy::Unknown),
        ("cn-x".to_string(), kept("Available")),
    ]);
    let with_targets = |targets: &[&str]| AppSyncModel {
        app_id: Attr::Known("ci-vm-a".into()),
        target_region_ids: Attr::Known(targets.iter().map(|t| t.to_string()).collect()),
        ..planned(Attr::Known(copies.clone()), Attr::Known(true))
    };
    let targeted = ["cn-a", "cn-b", "cn-c", "cn-d", "cn-e", "cn-f", "cn-u"];
    let explicit = with_targets(&targeted);
    // Every reported copy still there (the pending one now ready): nothing to say.
    let everything = Copies::from([
        ("cn-a".to_string(), copy("m-k", "Available")),
        ("cn-b".to_string(), copy("m-k", "Available")),
        ("cn-f".to_string(), copy("m-k", "Available")),
    ]);
    assert_eq!(kept_copies_gone(&explicit, &everything), None);

    // cn-a deleted and the ready cn-f failed since the plan: an error naming both. The pending
    // cn-b failing is what not waiting accepts; cn-x is not targeted.
    let read = Copies::from([
        ("cn-b".to_string(), copy("m-k", "CreateFailed")),
        ("cn-f".to_string(), copy("m-k", "CreateFailed")),
    ]);
    let error = kept_copies_gone(&explicit, &read).expect("an error");
    assert_eq!(error.summary, "Copies changed since the plan");
    assert!(
        error
            .detail
            .contains("\"ci-vm-a\" in \"cn-a\" and \"cn-f\" as"),
        "{}",
        error.detail
    );
    assert_eq!(
        error.attribute,
        Some(AttributePath::attribute("target_region_ids"))
    );
    // Under "all" every copy is targeted.
    let all = kept_copies_gone(&with_targets(&["all"]), &everything).expect("an error");
    assert!(all.detail.contains("in \"cn-x\" as"), "{}", all.detail);
    // A plan that knew no copies promised none.
    let unknown = planned(Attr::Unknown, Attr::Known(true));
    assert_eq!(kept_copies_gone(&unknown, &Copies::new()), None);
}
