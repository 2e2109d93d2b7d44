// SPDX-License-Identifier: MPL-2.0
//! Validation of `ehpc_app_sync` configuration, run by ValidateResourceConfig (validate and
//! plan). Only known values are checked: an `app_id` taken from another resource is unknown
//! until apply and must plan as unknown, never fail. Every diagnostic names its attribute path;
//! problems with a set element point at `target_region_ids` (sets have no element index).

use crate::protocol::{quoted_list, Diagnostic, Diagnostics};
use crate::provider::validate::{app_id_problem, check_region};
use crate::value::{Attr, AttributePath};
use ehpc_alibaba::actions::ALL_REGIONS;
use ehpc_alibaba::region::is_region_id;

use super::model::{AppSyncModel, TimeoutsModel};
use super::timeouts::{parse_duration, TimeoutKind};

/// Checks a decoded config. `known_targets` are the known elements of `target_region_ids`
/// (see `model::known_targets`), which may be fewer than the set's elements.
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
    let well_formed: Vec<&str> = known_targets
        .iter()
        .map(String::as_str)
        .filter(|r| *r != ALL_REGIONS)
        .collect();
    if let Some(warning) =
        crate::provider::validate::unknown_regions_warning("target region", &well_formed)
    {
        diags.push(warning.at(targets_path.clone()));
    }
    // Decision: "all" next to explicit regions is redundant but harmless to the API, so it is
    // a warning rather than an error.
    if known_targets.iter().any(|r| r == ALL_REGIONS) && known_targets.len() > 1 {
        diags.push(
            Diagnostic::warning(
                "\"all\" already covers every region",
                "target_region_ids contains \"all\" and other regions; \"all\" alone synchronizes \
                 to every region, so the others are redundant.",
            )
            .at(targets_path),
        );
    }
    if let Some(d) = own_region_problem(&config.region, known_targets) {
        diags.push(d);
    }
    if let Attr::Known(timeouts) = &config.timeouts {
        validate_timeouts(&mut diags, timeouts);
    }
    diags
}

/// The error of a target equal to the application's own `region` (when both are known):
/// SynchronizeApp copies an application to other regions only.
pub fn own_region_problem(region: &Attr<String>, known_targets: &[String]) -> Option<Diagnostic> {
    let region = region.known()?;
    known_targets.iter().any(|t| t == region).then(|| {
        Diagnostic::error(
            "Target region is the application's own region",
            format!(
                "target_region_ids contains {region:?}, the region the application lives in \
                 (`region`, or the provider's region): SynchronizeApp copies an application to \
                 other regions, and its own region already holds it. Remove {region:?} from \
                 target_region_ids."
            ),
        )
        .at(AttributePath::attribute("target_region_ids"))
    })
}

fn validate_timeouts(diags: &mut Diagnostics, timeouts: &TimeoutsModel) {
    for kind in [TimeoutKind::Create, TimeoutKind::Update] {
        let name = kind.name();
        let value = timeouts.of(kind).and_then(Attr::known);
        if let Some(Err(problem)) = value.map(|s| parse_duration(s)) {
            diags.attribute_error(
                AttributePath::attribute("timeouts").attr(name),
                format!("Invalid timeouts.{name}"),
                problem,
            );
        }
    }
}

#[cfg(test)]
mod tests;
