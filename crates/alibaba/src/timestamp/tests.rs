// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;

#[test]
fn format_cases() {
    let cases = [
        (
            "drops sub-seconds",
            datetime!(2024-01-02 03:04:05.999 UTC),
            "2024-01-02T03:04:05Z",
        ),
        (
            "converts offsets",
            datetime!(2024-01-02 08:00:00 +08:00),
            "2024-01-02T00:00:00Z",
        ),
        (
            "pads fields",
            datetime!(0999-01-02 03:04:05 UTC),
            "0999-01-02T03:04:05Z",
        ),
    ];
    for (name, t, want) in cases {
        assert_eq!(format(t), want, "{name}");
    }
}

#[test]
fn parse_cases() {
    let cases = [
        (
            "utc",
            "2024-05-01T08:00:00Z",
            Some(datetime!(2024-05-01 08:00:00 UTC)),
        ),
        (
            "epoch",
            "1970-01-01T00:00:00Z",
            Some(OffsetDateTime::UNIX_EPOCH),
        ),
        ("millis", "2024-05-01T08:00:00.000Z", None),
        ("offset", "2024-05-01T08:00:00+08:00", None),
        ("no zone", "2024-05-01T08:00:00", None),
        ("garbage", "tomorrow", None),
    ];
    for (name, input, want) in cases {
        assert_eq!(parse(input), want, "{name}");
    }
    let t = datetime!(2030-12-31 23:59:59 UTC);
    assert_eq!(parse(&format(t)), Some(t), "round trip");
}
