// SPDX-License-Identifier: MPL-2.0
//! Validate-walk checks of the provider block: formats and ranges of the values that are
//! known, each reported at its attribute path; and the checks resources and data sources
//! share (`region`, `app_id`). Unknown values are skipped (they come from
//! other resources and are checked again when configure sees them known).

use crate::protocol::{Diagnostic, Diagnostics};
use crate::value::{Attr, AttributePath};
use ehpc_alibaba::region::{is_known, is_region_id, nearest_known};
use ehpc_alibaba::ServiceUrl;

use super::config::{endpoint_path, ProviderConfig};

/// Why `app_id` is not a plausible application id, if it is not: the one rule of the
/// resources and data sources that take an AppId.
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

/// What to add to an "application not found" error when `app_id` has the shape of an ImageId
/// (`m-…` in the API's examples; AppIds look like `ci-vm-…`): the two ids are easily swapped.
/// Empty for any other id (no format rule is documented, so this is never an error by itself).
pub fn image_id_hint(app_id: &str) -> String {
    if app_id.starts_with("m-") {
        format!(
            " {app_id:?} looks like an ImageId (m-…): app_id takes the application's AppId \
             (such as ci-vm-rYfypJKwlN9Y), which the ehpc_apps data source lists and an \
             ehpc_app resource exports as app_id."
        )
    } else {
        String::new()
    }
}

/// Reports a known `region` attribute that is not a region id (shared by the provider block
/// and resources); null and unknown values pass.
pub fn check_region(region: &Attr<String>, diags: &mut Diagnostics) {
    if let Attr::Known(region) = region {
        let path = AttributePath::attribute("region");
        if !is_region_id(region) {
            diags.attribute_error(
                path,
                "Invalid region",
                format!(
                    "{region:?} is not a region id; expected a form such as cn-hangzhou or \
                    ap-southeast-1."
                ),
            );
        } else if let Some(warning) = unknown_regions_warning("region", &[region.as_str()]) {
            diags.push(warning.at(path));
        }
    }
}

/// A warning for the well-formed region ids that E-HPC Instant is not known to serve, each
/// with the nearest known id when one is close ("did you mean cn-shanghai?"); `None` when
/// every id is known. A warning, not an error: new regions appear before this list has them.
/// `what` names the ids in the summary ("Unknown region", "Unknown target region"): Terraform
/// folds warnings of one summary into the first, so each attribute gets its own.
pub fn unknown_regions_warning(what: &str, ids: &[&str]) -> Option<Diagnostic> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| is_region_id(id) && !is_known(id))
        .map(|id| match nearest_known(id) {
            Some(near) => format!("{id:?} (did you mean {near:?}?)"),
            None => format!("{id:?}"),
        })
        .collect();
    if unknown.is_empty() {
        return None;
    }
    let (plural, verb) = if unknown.len() == 1 {
        ("", "is")
    } else {
        ("s", "are")
    };
    Some(Diagnostic::warning(
        format!("Unknown {what}{plural}"),
        format!(
            "{} {verb} not among the regions E-HPC Instant is known to serve ({}). If {} a \
             new region, ignore this warning; otherwise correct the id before applying.",
            unknown.join(", "),
            ehpc_alibaba::region::KNOWN_REGIONS.join(", "),
            if unknown.len() == 1 {
                "it is"
            } else {
                "they are"
            },
        ),
    ))
}

/// The accepted range of `session_expiration`, in seconds (STS limits).
pub const SESSION_EXPIRATION_RANGE: std::ops::RangeInclusive<i64> = 900..=43200;

/// Checks the known values of the provider block.
pub fn validate(config: &ProviderConfig) -> Diagnostics {
    let mut diags = Diagnostics::default();
    check_region(&config.region, &mut diags);
    if let Some(retries) = config.max_retries.known() {
        if *retries < 0 {
            diags.attribute_error(
                AttributePath::attribute("max_retries"),
                "Invalid max_retries",
                format!("max_retries must be 0 or more (0 disables retries); got {retries}."),
            );
        }
    }
    for name in ["client_connect_timeout", "client_read_timeout"] {
        let attr = if name == "client_connect_timeout" {
            &config.client_connect_timeout
        } else {
            &config.client_read_timeout
        };
        if let Some(ms) = attr.known() {
            if *ms <= 0 {
                diags.attribute_error(
                    AttributePath::attribute(name),
                    format!("Invalid {name}"),
                    format!("{name} is a number of milliseconds and must be positive; got {ms}."),
                );
            }
        }
    }
    if let Some(block) = config.endpoints.known() {
        for (name, attr) in [("ehpcinstant", &block.ehpcinstant), ("sts", &block.sts)] {
            if let Some(url) = attr.known() {
                if let Err(err) = ServiceUrl::parse(url) {
                    diags.attribute_error(
                        endpoint_path(name),
                        "Invalid endpoint URL",
                        format!(
                            "{err}. Write a base URL such as \
                            `https://ehpcinstant.cn-hangzhou.aliyuncs.com`."
                        ),
                    );
                }
            }
        }
    }
    if let Some(b) = config.assume_role.known() {
        check_expiration(&mut diags, "assume_role", &b.session_expiration);
    }
    if let Some(b) = config.assume_role_with_oidc.known() {
        check_expiration(&mut diags, "assume_role_with_oidc", &b.session_expiration);
    }
    diags
}

fn check_expiration(diags: &mut Diagnostics, block: &str, value: &Attr<i64>) {
    if let Some(secs) = value.known() {
        if !SESSION_EXPIRATION_RANGE.contains(secs) {
            diags.attribute_error(
                AttributePath::attribute(block)
                    .index(0)
                    .attr("session_expiration"),
                "Invalid session_expiration",
                format!(
                    "session_expiration is in seconds and must be between {} and {}; got {secs}.",
                    SESSION_EXPIRATION_RANGE.start(),
                    SESSION_EXPIRATION_RANGE.end()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests;
