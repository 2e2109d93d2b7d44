// SPDX-License-Identifier: MPL-2.0
//! What the tests of every action share.

use std::collections::BTreeMap;

/// `business` plus the common parameters of a V2-signed call of `action` with fixed time,
/// nonce and key id, as the pinned vectors use them.
pub(crate) fn signed_set(
    action: &str,
    business: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut p = business;
    for (k, v) in [
        ("Action", action),
        ("Format", "json"),
        ("Version", "2023-07-01"),
        ("Timestamp", "2024-05-01T08:00:00Z"),
        ("SignatureNonce", "c0ffee00c0ffee00c0ffee00c0ffee00"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", "testid"),
    ] {
        p.insert(k.to_string(), v.to_string());
    }
    p
}
