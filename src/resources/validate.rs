// SPDX-License-Identifier: MPL-2.0
//! Validation of `ehpc_app_sync` configuration, run by ValidateResourceConfig (validate and
//! plan). Only known values are checked: an `app_id` taken from another resource is unknown
//! until apply and must plan as unknown, never fail. Every diagnostic names its attribute path;
//! problems with a set element point at `target_region_ids` (sets have no element index).

use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::validate::{check_region, is_region_id};
use crate::value::{Attr, AttributePath};

use super::app_sync::model::{AppSyncModel, TimeoutsModel};
use super::timeouts::parse_duration;

/// The region id meaning "every other region not yet synchronized".
pub const ALL_REGIONS: &str = "all";

/// Why `app_id` is not a plausible application id, if it is not.
pub fn app_id_problem(app_id: &str) -> Option<String> {
    if app_id.is_empty() {
        Some("app_id must not be empty.".to_string())
    } else if app_id.chars().any(char::is_whitespace) {
        Some(format!(
            "app_id {app_id:?} contains whitespace; application ids look like ci-vm-rYfypJKwlN9Y."
        ))
    } else {
        None
    }
}

/// Checks a decoded config. `known_targets` are the known elements of `target_region_ids`
/// (see `model::known_elements`), which may be fewer than the set's elements.
pub fn validate(config: &AppSyncModel, known_targets: &[String]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(problem) = config.app_id.known().and_then(|id| app_id_problem(id)) {
        diags.attribute_error(
            AttributePath::attribute("app_id"),
            "Invalid app_id",
            problem,
        );
    }
    check_region(&config.region, &mut diags);
    let targets_path = AttributePath::attribute("target_region_ids");
    let mut invalid: Vec<&str> = known_targets
        .iter()
        .map(String::as_str)
        .filter(|r| *r != ALL_REGIONS && !is_region_id(r))
        .collect();
    invalid.sort_unstable();
    if !invalid.is_empty() {
        diags.attribute_error(
            targets_path.clone(),
            "Invalid target region id",
            format!(
                "{} {} not a region id; use ids such as cn-shanghai or ap-southeast-1, or \"all\".",
                quoted_list(&invalid),
                if invalid.len() == 1 { "is" } else { "are" }
            ),
        );
    }
    // Decision: "all" next to explicit regions is redundant but harmless to the API, so it is
    // a warning rather than an error.
    if known_targets.iter().any(|r| r == ALL_REGIONS) && known_targets.len() > 1 {
        diags.push(
            Diagnostic::warning(
                "\"all\" already covers every region",
                "target_region_ids contains \"all\" and other regions; \"all\" alone synchronizes to every region, so the others are redundant.",
            )
            .at(targets_path),
        );
    }
    if let Attr::Known(timeouts) = &config.timeouts {
        validate_timeouts(&mut diags, timeouts);
    }
    diags
}

fn validate_timeouts(diags: &mut Diagnostics, timeouts: &TimeoutsModel) {
    for (name, value) in [("create", &timeouts.create), ("update", &timeouts.update)] {
        if let Some(Err(problem)) = value.known().map(|s| parse_duration(s)) {
            diags.attribute_error(
                AttributePath::attribute("timeouts").attr(name),
                format!("Invalid timeouts.{name}"),
                problem,
            );
        }
    }
}

/// `"a", "b" and "c"` for messages.
pub fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{:?}", s.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Severity;

    fn check(model: AppSyncModel, targets: &[&str]) -> Vec<(Severity, String, String)> {
        let targets: Vec<String> = targets.iter().map(|s| s.to_string()).collect();
        validate(&model, &targets)
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
                &["Shanghai", "cn-x", "bad"],
                vec![(
                    Error,
                    "target_region_ids",
                    "\"Shanghai\" and \"bad\" are not",
                )],
            ),
            (
                "all mixed",
                app("a"),
                &["all", "cn-x"],
                vec![(Warning, "target_region_ids", "redundant")],
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
            let got = check(model, targets);
            assert_eq!(got.len(), want.len(), "{name}: {got:?}");
            for ((sev, path, detail), (wsev, wpath, wdetail)) in got.iter().zip(want) {
                assert_eq!((*sev, path.as_str()), (wsev, wpath), "{name}");
                assert!(detail.contains(wdetail), "{name}: {detail}");
            }
        }
    }

    #[test]
    fn quoted_lists() {
        assert_eq!(quoted_list::<&str>(&[]), "");
        assert_eq!(quoted_list(&["a"]), "\"a\"");
        assert_eq!(quoted_list(&["a", "b", "c"]), "\"a\", \"b\" and \"c\"");
    }
}
