// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn parses_go_durations() {
    let cases = [
        ("minutes", "10m", Duration::from_secs(600)),
        ("hours and minutes", "1h30m", Duration::from_secs(5400)),
        ("seconds", "45s", Duration::from_secs(45)),
        ("fraction", "1.5h", Duration::from_secs(5400)),
        ("leading dot", ".5s", Duration::from_millis(500)),
        ("milliseconds", "250ms", Duration::from_millis(250)),
        ("micro sign", "3µs", Duration::from_micros(3)),
        ("mixed", "2h3m4s5ms", Duration::from_millis(7_384_005)),
    ];
    for (name, input, want) in cases {
        assert_eq!(parse_duration(input), Ok(want), "{name}");
    }
}

#[test]
fn rejects_bad_durations() {
    let cases = [
        ("empty", "", "empty"),
        ("no unit", "10", "without a unit"),
        ("unknown unit", "10d", "unknown unit \"d\""),
        ("negative", "-5m", "not a valid duration"),
        ("zero", "0s", "zero"),
        ("two dots", "1.2.3s", "not a valid duration"),
        ("space", "10 m", "unknown unit \" m\""),
        ("too long", "10000h", "longer than a year"),
    ];
    for (name, input, want) in cases {
        let err = parse_duration(input).expect_err(name);
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn formats_durations() {
    let cases = [
        (Duration::from_secs(600), "10m"),
        (Duration::from_secs(5400), "1h30m"),
        (Duration::from_secs(3601), "1h1s"),
        (Duration::from_millis(1500), "1500ms"),
    ];
    for (d, want) in cases {
        assert_eq!(format_duration(d), want);
    }
}
