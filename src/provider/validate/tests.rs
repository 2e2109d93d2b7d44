// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::provider::config::{AssumeRoleBlock, EndpointsBlock};

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
