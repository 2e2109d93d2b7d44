// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::protocol::Severity;

fn check(model: &AppSyncModel, targets: &[&str]) -> Vec<(Severity, String, String)> {
    let targets: Vec<String> = targets.iter().map(|s| s.to_string()).collect();
    validate(model, &targets)
        .iter()
        .map(|d| {
            let path = d
                .attribute
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default();
            (d.severity, path, d.detail.clone())
        })
        .collect()
}

fn app(id: &str) -> AppSyncModel {
    AppSyncModel {
        app_id: Attr::Known(id.into()),
        ..AppSyncModel::default()
    }
}

#[test]
fn validation_table() {
    use Severity::{Error, Warning};
    let timeouts = |create: &str| AppSyncModel {
        timeouts: Attr::Known(TimeoutsModel {
            create: Attr::Known(create.into()),
            update: Attr::Unknown,
        }),
        ..app("a")
    };
    /// (name, config, known targets, expected (severity, path, detail fragment))
    type Case = (
        &'static str,
        AppSyncModel,
        &'static [&'static str],
        Vec<(Severity, &'static str, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "valid",
            app("ci-vm-rYfypJKwlN9Y"),
            &["cn-shanghai", "ap-southeast-1", "cn-wulanchabu"],
            vec![],
        ),
        ("all alone", app("a"), &["all"], vec![]),
        (
            "unknown app_id",
            AppSyncModel {
                app_id: Attr::Unknown,
                ..AppSyncModel::default()
            },
            &[],
            vec![],
        ),
        (
            "empty app_id",
            app(""),
            &[],
            vec![(Error, "app_id", "must not be empty")],
        ),
        (
            "space in app_id",
            app("ci vm"),
            &[],
            vec![(Error, "app_id", "contains whitespace")],
        ),
        (
            "bad regions sorted",
            app("a"),
            &["Shanghai", "cn-shanghai", "bad"],
            vec![(
                Error,
                "target_region_ids",
                "\"Shanghai\" and \"bad\" are not",
            )],
        ),
        (
            "all mixed",
            app("a"),
            &["all", "cn-beijing"],
            vec![(Warning, "target_region_ids", "redundant")],
        ),
        (
            "misspelt region",
            app("a"),
            &["cn-shangai", "cn-beijing"],
            vec![(
                Warning,
                "target_region_ids",
                "\"cn-shangai\" (did you mean \"cn-shanghai\"?) is not among the regions",
            )],
        ),
        (
            "new regions",
            app("a"),
            &["eu-central-1", "cn-qingdao"],
            vec![(
                Warning,
                "target_region_ids",
                "\"cn-qingdao\", \"eu-central-1\" are not among the regions E-HPC Instant is \
                 known to serve",
            )],
        ),
        (
            "misspelt resource region",
            AppSyncModel {
                region: Attr::Known("cn-hangzou".into()),
                ..app("a")
            },
            &[],
            vec![(Warning, "region", "(did you mean \"cn-hangzhou\"?)")],
        ),
        (
            "bad region",
            AppSyncModel {
                region: Attr::Known("hangzhou".into()),
                ..app("a")
            },
            &[],
            vec![(Error, "region", "not a region id")],
        ),
        (
            "bad timeout",
            timeouts("10"),
            &[],
            vec![(Error, "timeouts.create", "without a unit")],
        ),
        ("good timeout", timeouts("1h30m"), &[], vec![]),
    ];
    for (name, model, targets, want) in cases {
        let got = check(&model, targets);
        assert_eq!(got.len(), want.len(), "{name}: {got:?}");
        for ((sev, path, detail), (wsev, wpath, wdetail)) in got.iter().zip(want) {
            assert_eq!((*sev, path.as_str()), (wsev, wpath), "{name}");
            assert!(detail.contains(wdetail), "{name}: {detail}");
        }
    }
}

#[test]
fn a_target_equal_to_the_own_region_is_an_error_when_both_are_known() {
    let region = Attr::Known("cn-hangzhou".to_string());
    let targets = ["cn-hangzhou".to_string(), "cn-shanghai".to_string()];
    let d = own_region_problem(&region, &targets).expect("an error");
    assert_eq!(d.severity, crate::protocol::Severity::Error);
    assert_eq!(
        d.attribute,
        Some(AttributePath::attribute("target_region_ids"))
    );
    assert!(d
        .detail
        .starts_with("target_region_ids contains \"cn-hangzhou\", the region"));
    assert_eq!(own_region_problem(&Attr::Unknown, &targets), None);
    assert_eq!(own_region_problem(&region, &targets[1..]), None);
}
