// SPDX-License-Identifier: MPL-2.0
//! Plan logic of `ehpc_app_sync` as pure functions over models: what the computed attributes
//! (`id`, `region`, `request_id`) become, and which warnings the plan carries. The rule users
//! rely on: `request_id` shows "known after apply" exactly when apply will call the API.

use crate::protocol::Diagnostic;
use crate::value::{Attr, AttributePath};

use super::super::region_diff::{self, Added};
use super::super::validate::quoted_list;
use super::model::AppSyncModel;

/// The computed attributes of a plan, plus its warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDecision {
    pub id: Attr<String>,
    pub region: Attr<String>,
    pub request_id: Attr<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Plan of a new object: `id` = `app_id`, `region` = the configured one else the provider's
/// (unknown while either is unknown), `request_id` unknown (apply calls the API).
pub fn plan_create(config: &AppSyncModel, provider_region: &Attr<String>) -> PlanDecision {
    let region = match &config.region {
        Attr::Null => provider_region.clone(),
        configured => configured.clone(),
    };
    let id = match &config.app_id {
        Attr::Known(app_id) => Attr::Known(app_id.clone()),
        _ => Attr::Unknown,
    };
    PlanDecision {
        id,
        region,
        request_id: Attr::Unknown,
        warnings: Vec::new(),
    }
}

/// Plan of a change to an existing object. A new `app_id` or `region` replaces the object and
/// is planned like a create; otherwise only added regions cause a call.
pub fn plan_update(
    prior: &AppSyncModel,
    planned: &AppSyncModel,
    config: &AppSyncModel,
    provider_region: &Attr<String>,
) -> PlanDecision {
    let replaced = planned.app_id != prior.app_id
        || (!config.region.is_null() && config.region != prior.region);
    if replaced {
        return plan_create(config, provider_region);
    }
    let request_id = match region_diff::added(&prior.target_region_ids, &planned.target_region_ids)
    {
        Added::Nothing => prior.request_id.clone(),
        Added::Regions(_) | Added::Unknown => Attr::Unknown,
    };
    let removed: Vec<String> =
        region_diff::removed(&prior.target_region_ids, &planned.target_region_ids)
            .into_iter()
            .collect();
    let mut warnings = Vec::new();
    if !removed.is_empty() {
        warnings.push(
            Diagnostic::warning(
                "Removed regions keep their copies",
                format!(
                    "{} will no longer be listed, but the copies of {} already synchronized there stay: SynchronizeApp cannot remove copies, so no API call is made for removed regions. Delete them in the E-HPC Instant console if they are no longer needed.",
                    quoted_list(&removed),
                    describe_app(prior)
                ),
            )
            .at(AttributePath::attribute("target_region_ids")),
        );
    }
    PlanDecision {
        id: prior.id.clone(),
        region: prior.region.clone(),
        request_id,
        warnings,
    }
}

/// The warning of a destroy plan (and of the destroy itself): nothing is deleted in the cloud.
pub fn destroy_warning(prior: &AppSyncModel) -> Diagnostic {
    let targets = prior.targets();
    let where_ = if targets.is_empty() {
        "the regions it was synchronized to".to_string()
    } else {
        quoted_list(&targets)
    };
    Diagnostic::warning(
        "Application copies are not deleted",
        format!(
            "Destroying this ehpc_app_sync only removes it from the Terraform state: the copies of {} in {where_} remain, because SynchronizeApp cannot remove copies and nothing is deleted. Delete them in the E-HPC Instant console if they are no longer needed.",
            describe_app(prior)
        ),
    )
}

fn describe_app(model: &AppSyncModel) -> String {
    match model.app_id.known() {
        Some(id) => format!("application {id:?}"),
        None => "the application".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Severity;

    fn set(items: &[&str]) -> Attr<std::collections::BTreeSet<String>> {
        Attr::Known(items.iter().map(|s| s.to_string()).collect())
    }

    fn known(s: &str) -> Attr<String> {
        Attr::Known(s.to_string())
    }

    fn state(targets: &[&str]) -> AppSyncModel {
        AppSyncModel {
            app_id: known("app-1"),
            target_region_ids: set(targets),
            region: known("cn-hangzhou"),
            request_id: known("RID-1"),
            id: known("app-1"),
            timeouts: Attr::Null,
        }
    }

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
                (d.id, d.region, d.request_id),
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
                set(&["cn-a", "cn-b"]),
                known("RID-1"),
                vec![],
            ),
            (
                "added region",
                set(&["cn-a", "cn-b", "cn-c"]),
                Attr::Unknown,
                vec![],
            ),
            (
                "removed region warns",
                set(&["cn-a"]),
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
                set(&["cn-a", "cn-c"]),
                Attr::Unknown,
                vec!["\"cn-b\""],
            ),
            ("unknown set may add", Attr::Unknown, Attr::Unknown, vec![]),
            (
                "adding all",
                set(&["all", "cn-a", "cn-b"]),
                Attr::Unknown,
                vec![],
            ),
        ];
        for (name, targets, want_request_id, want_warnings) in cases {
            let (planned, config) = change(targets);
            let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
            assert_eq!(d.request_id, want_request_id, "{name}");
            assert_eq!(
                (d.id.clone(), d.region.clone()),
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
        let (mut planned, mut config) = change(set(&["cn-a", "cn-b"]));
        planned.app_id = known("app-2");
        config.app_id = known("app-2");
        let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
        assert_eq!((d.id, d.request_id), (known("app-2"), Attr::Unknown));

        let (mut planned, mut config) = change(set(&["cn-a", "cn-b"]));
        planned.region = known("cn-beijing");
        config.region = known("cn-beijing");
        let d = plan_update(&state(&["cn-a", "cn-b"]), &planned, &config, &hz);
        assert_eq!(
            (d.region, d.request_id),
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
}
