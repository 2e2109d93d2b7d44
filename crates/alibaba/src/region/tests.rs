// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn region_ids() {
    let longest = format!("cn-{}", "a".repeat(MAX_LEN - 3));
    let too_long = format!("{longest}a");
    let cases = [
        ("cn-hangzhou", true),
        ("ap-southeast-1", true),
        ("cn-wulanchabu", true),
        ("us-east-1", true),
        ("cn-hangzhou-finance", true),
        (longest.as_str(), true),
        (too_long.as_str(), false),
        ("", false),
        ("cn", false),
        ("c-hangzhou", false),
        ("CN-hangzhou", false),
        ("cn-", false),
        ("cn--a", false),
        ("cn_hangzhou", false),
        ("cn-hang zhou", false),
        ("cn-hangzhou.evil.com", false),
        ("all", false),
    ];
    for (input, want) in cases {
        assert_eq!(is_region_id(input), want, "{input:?}");
    }
}
