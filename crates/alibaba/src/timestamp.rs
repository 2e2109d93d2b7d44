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
pub fn format(at: OffsetDateTime) -> String {
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
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s, FORMAT)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests;
