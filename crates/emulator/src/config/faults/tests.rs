// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn validation_cases() {
    let cases = [
        ("defaults", FaultConfig::default(), true),
        (
            "rate 1",
            FaultConfig {
                fail_rate: 1.0,
                ..Default::default()
            },
            true,
        ),
        (
            "rate above 1",
            FaultConfig {
                drop_rate: 1.5,
                ..Default::default()
            },
            false,
        ),
        (
            "negative",
            FaultConfig {
                fail_rate: -0.1,
                ..Default::default()
            },
            false,
        ),
        (
            "drop after apply above 1",
            FaultConfig {
                drop_after_apply_rate: 1.01,
                ..Default::default()
            },
            false,
        ),
        (
            "zero rps",
            FaultConfig {
                throttle_rps: Some(0.0),
                ..Default::default()
            },
            false,
        ),
    ];
    for (name, config, ok) in cases {
        assert_eq!(config.validate().is_ok(), ok, "{name}");
    }
}
