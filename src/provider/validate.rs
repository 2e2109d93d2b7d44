// SPDX-License-Identifier: MPL-2.0
//! Validate-walk checks of the provider block: formats and ranges of the values that are
//! known, each reported at its attribute path. Unknown values are skipped (they come from
//! other resources and are checked again when configure sees them known).

use crate::alibaba::ServiceUrl;
use crate::protocol::Diagnostics;
use crate::value::{Attr, AttributePath};

use super::config::{endpoint_path, ProviderConfig};

/// Reports a known `region` attribute that is not a region id (shared by the provider block
/// and resources); null and unknown values pass.
pub fn check_region(region: &Attr<String>, diags: &mut Diagnostics) {
    if let Attr::Known(region) = region {
        if !is_region_id(region) {
            diags.attribute_error(
                AttributePath::attribute("region"),
                "Invalid region",
                format!("{region:?} is not a region id; expected a form such as cn-hangzhou or ap-southeast-1."),
            );
        }
    }
}

/// The accepted range of `session_expiration`, in seconds (STS limits).
pub const SESSION_EXPIRATION_RANGE: std::ops::RangeInclusive<i64> = 900..=43200;

/// True for region ids such as `cn-hangzhou`, `ap-southeast-1` or `cn-wulanchabu`:
/// `^[a-z]{2,}(-[a-z0-9]+)+$`.
pub fn is_region_id(s: &str) -> bool {
    let mut parts = s.split('-');
    let head_ok = parts
        .next()
        .is_some_and(|p| p.len() >= 2 && p.bytes().all(|b| b.is_ascii_lowercase()));
    let mut rest = parts.peekable();
    head_ok
        && rest.peek().is_some()
        && rest.all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

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
                        format!("{err}. Write a base URL such as `https://ehpcinstant.cn-hangzhou.aliyuncs.com`."),
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
mod tests {
    use super::*;
    use crate::provider::config::{AssumeRoleBlock, EndpointsBlock};

    #[test]
    fn region_ids() {
        let cases = [
            ("cn-hangzhou", true),
            ("ap-southeast-1", true),
            ("cn-wulanchabu", true),
            ("us-east-1", true),
            ("cn-hangzhou-finance", true),
            ("", false),
            ("cn", false),
            ("c-hangzhou", false),
            ("CN-hangzhou", false),
            ("cn-", false),
            ("cn--a", false),
            ("cn_hangzhou", false),
            ("cn-hang zhou", false),
            ("all", false),
        ];
        for (input, want) in cases {
            assert_eq!(is_region_id(input), want, "{input:?}");
        }
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn reports_bad_known_values_at_their_paths() {
        let config = ProviderConfig {
            region: Attr::Known("Hangzhou".into()),
            max_retries: Attr::Known(-1),
            client_connect_timeout: Attr::Known(0),
            client_read_timeout: Attr::Known(1000),
            assume_role: Attr::Known(AssumeRoleBlock {
                role_arn: Attr::Known("acs:ram::1:role/x".into()),
                session_expiration: Attr::Known(60),
                ..AssumeRoleBlock::default()
            }),
            ..ProviderConfig::default()
        };
        let d = validate(&config);
        assert_eq!(
            paths(&d),
            [
                "region",
                "max_retries",
                "client_connect_timeout",
                "assume_role[0].session_expiration"
            ]
        );
        assert!(d
            .iter()
            .all(|d| d.severity == crate::protocol::Severity::Error));
    }

    #[test]
    fn skips_unknown_and_null_values() {
        let config = ProviderConfig {
            region: Attr::Unknown,
            max_retries: Attr::Unknown,
            endpoints: Attr::Known(EndpointsBlock {
                ehpcinstant: Attr::Unknown,
                sts: Attr::Null,
            }),
            assume_role: Attr::Unknown,
            ..ProviderConfig::default()
        };
        assert_eq!(validate(&config), Diagnostics::default());
    }
}
