// SPDX-License-Identifier: MPL-2.0
//! Alibaba Cloud's one timestamp shape, `yyyy-MM-ddTHH:mm:ssZ` in UTC with no fraction: the V2
//! `Timestamp` parameter, the V3 `x-acs-date` header and the `Expiration` of temporary
//! credentials (STS, ECS metadata, credentials URI). The client formats and parses with these
//! functions and the emulator verifies and issues with the same ones, so both sides agree.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// `[year]-[month]-[day]T[hour]:[minute]:[second]Z`, for parsing.
const FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Formats `at` in UTC at second precision, e.g. `2024-05-01T08:00:00Z`; any offset is
/// converted first and sub-seconds are dropped.
pub(crate) fn format(at: OffsetDateTime) -> String {
    // By hand rather than with `FORMAT`: this cannot fail, so no error path to invent.
    let t = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses the exact shape (UTC, `Z`, no fraction); `None` for anything else.
pub(crate) fn parse(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s, FORMAT)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
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
}
