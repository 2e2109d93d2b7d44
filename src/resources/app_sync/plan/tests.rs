// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::protocol::Severity;
use crate::resources::app_sync::tests::models::{known, ready_copies, regions, state};
use crate::resources::app_sync::work::PlannedCopy;

/// The planned and config objects of an update that keeps app_id and region (region not
/// configured, so the engine carried the prior value).
fn change(targets: Attr<std::collections::BTreeSet<String>>) -> (AppSyncModel, AppSyncModel) {
    let planned = AppSyncModel {
        target_region_ids: targets,
        ..state(&[])
    };
    let config = AppSyncModel {
        region: Attr::Null,
        request_id: Attr::Null,
        id: Attr::Null,
        ..planned.clone()
    };
    (planned, config)
}

#[test]
fn create_table() {
    let hz = known("cn-hangzhou");
    let cases = [
        (
            "provider region",
            AppSyncModel {
                app_id: known("a"),
                ..Default::default()
            },
            hz.clone(),
            known("a"),
            hz.clone(),
        ),
        (
            "configured region",
            AppSyncModel {
                app_id: known("a"),
                region: known("cn-beijing"),
                ..Default::default()
            },
            hz.clone(),
            known("a"),
            known("cn-beijing"),
        ),
        (
            "unknown app_id",
            AppSyncModel {
                app_id: Attr::Unknown,
                ..Default::default()
            },
            hz.clone(),
            Attr::Unknown,
            hz.clone(),
        ),
        (
            "unknown provider region",
            AppSyncModel {
                app_id: known("a"),
                ..Default::default()
            },
            Attr::Unknown,
            known("a"),
            Attr::Unknown,
        ),
        (
            "unknown configured region",
            AppSyncModel {
                app_id: known("a"),
                region: Attr::Unknown,
                ..Default::default()
            },
            hz.clone(),
            known("a"),
            Attr::Unknown,
        ),
    ];
    for (name, config, provider_region, want_id, want_region) in cases {
        let d = plan_create(&config, &provider_region);
        assert_eq!(
            (d.computed.id, d.computed.region, d.computed.request_id),
            (want_id, want_region, Attr::Unknown),
            "{name}"
        );
        assert!(d.warnings.is_empty(), "{name}");
    }
}

#[test]
fn update_table() {
    let hz = known("cn-hangzhou");
    /// (name, planned targets, planned request_id, warning fragments)
    type Case = (
        &'static str,
        Attr<std::collections::BTreeSet<String>>,
        Attr<String>,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "no change keeps request_id",
            regions(&["cn-a", "cn-b"]),
            known("RID-1"),
            vec![],
        ),
        (
            "added region",
            regions(&["cn-a", "cn-b", "cn-c"]),
            Attr::Unknown,
            vec![],
        ),
        (
            "removed region warns",
            regions(&["cn-a"]),
            known("RID-1"),
            vec!["\"cn-b\""],
        ),
        (
            "removed all warns sorted",
            Attr::Null,
            known("RID-1"),
            vec!["\"cn-a\" and \"cn-b\""],
        ),
        (
            "swap calls and warns",
            regions(&["cn-a", "cn-c"]),
            Attr::Unknown,
            vec!["\"cn-b\""],
        ),
        ("unknown set may add", Attr::Unknown, Attr::Unknown, vec![]),
        (
            "adding all",
            regions(&["all", "cn-a", "cn-b"]),
            Attr::Unknown,
            vec![],
        ),
    ];
    for (name, targets, want_request_id, want_warnings) in cases {
        let (planned, config) = change(targets);
        let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
        assert_eq!(d.computed.request_id, want_request_id, "{name}");
        assert_eq!(
            (d.computed.id.clone(), d.computed.region.clone()),
            (known("app-1"), hz.clone()),
            "{name}"
        );
        assert_eq!(d.warnings.len(), want_warnings.len(), "{name}");
        for (w, want) in d.warnings.iter().zip(want_warnings) {
            assert_eq!(w.severity, Severity::Warning, "{name}");
            assert_eq!(
                w.attribute,
                Some(AttributePath::attribute("target_region_ids")),
                "{name}"
            );
            assert!(
                w.detail.contains(want) && w.detail.contains("stay"),
                "{name}: {}",
                w.detail
            );
        }
    }
}

#[test]
fn replacement_is_planned_like_a_create() {
    let hz = known("cn-hangzhou");
    let (mut planned, mut config) = change(regions(&["cn-a", "cn-b"]));
    planned.app_id = known("app-2");
    config.app_id = known("app-2");
    let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
    assert_eq!(
        d.warnings,
        vec![replacement_warning(&state(&["cn-a", "cn-b"]))]
    );
    assert_eq!(d.warnings[0].severity, Severity::Warning);
    assert_eq!(
        d.warnings[0].detail,
        "Replacing this ehpc_app_sync (a new app_id or region) removes the old object from the \
         Terraform state only: the copies of application \"app-1\" in \"cn-a\" and \"cn-b\" \
         remain, because SynchronizeApp cannot remove copies and nothing is deleted. Delete them \
         in the E-HPC Instant console if they are no longer needed."
    );
    assert_eq!(
        (d.computed.id, d.computed.request_id),
        (known("app-2"), Attr::Unknown)
    );

    let (mut planned, mut config) = change(regions(&["cn-a", "cn-b"]));
    planned.region = known("cn-beijing");
    config.region = known("cn-beijing");
    let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert_eq!(
        (d.computed.region, d.computed.request_id),
        (known("cn-beijing"), Attr::Unknown)
    );
}

#[test]
fn destroy_warning_names_regions() {
    let w = destroy_warning(&state(&["cn-b", "cn-a"]));
    assert_eq!(w.severity, Severity::Warning);
    assert!(
        w.detail.contains("\"cn-a\" and \"cn-b\" remain"),
        "{}",
        w.detail
    );
    assert!(w.detail.contains("nothing is deleted"), "{}", w.detail);
    let w = destroy_warning(&state(&[]));
    assert!(
        w.detail.contains("the regions it was synchronized to"),
        "{}",
        w.detail
    );
}

#[test]
fn the_warnings_of_an_all_resource_name_the_regions_holding_copies() {
    let mut prior = state(&["all"]);
    prior.copies = Attr::Known(ready_copies(&["cn-b", "cn-a"]));
    let gone = crate::copies::CopyModel {
        image_id: "m-c".into(),
        status: crate::copies::MISSING.into(),
    };
    if let Attr::Known(copies) = &mut prior.copies {
        copies.insert("cn-c".into(), gone);
    }
    for w in [destroy_warning(&prior), replacement_warning(&prior)] {
        assert!(
            w.detail.contains("in \"cn-a\" and \"cn-b\" remain"),
            "{}",
            w.detail
        );
        assert!(!w.detail.contains("\"all\""), "{}", w.detail);
    }
}

#[test]
fn an_update_plan_keeps_untouched_copies_known() {
    let hz = known("cn-hangzhou");
    let prior = state(&["cn-a", "cn-b"]);
    let (planned, config) = change(regions(&["cn-a", "cn-b", "cn-c"]));
    let d = plan_update(&prior, &planned, &config, &hz);
    let Attr::Known(copies) = d.computed.copies else {
        panic!("the keys are known: {:?}", d.computed.copies);
    };
    let unknown: Vec<&str> = copies
        .iter()
        .filter(|(_, c)| **c == PlannedCopy::Unknown)
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(unknown, ["cn-c"]);
    assert_eq!(
        d.computed.image_id,
        known("m-1"),
        "a known image id stays known"
    );
    assert_eq!(d.computed.request_id, Attr::Unknown, "a call is made");

    let (planned, config) = change(regions(&[]));
    let d = plan_create(
        &AppSyncModel {
            target_region_ids: regions(&[]),
            ..config.clone()
        },
        &hz,
    );
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].summary, "Nothing is synchronized");
    let d = plan_update(&prior, &planned, &config, &hz);
    assert_eq!(d.computed.request_id, known("RID-1"), "[] sends nothing");
}
