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

#[test]
fn nearest_known_region_table() {
    let cases = [
        ("cn-shangai", Some("cn-shanghai")),
        ("cn-shanghai", None),
        ("cn-hangzou", Some("cn-hangzhou")),
        ("cn-beijng", Some("cn-beijing")),
        ("ap-southeast-7", Some("ap-southeast-1")),
        ("ap-northeast-3", Some("ap-northeast-1")),
        ("cn-hongkog", Some("cn-hongkong")),
        ("us-west-1", None),
        ("eu-central-1", None),
        ("cn-qingdao", None),
    ];
    for (id, want) in cases {
        assert_eq!(nearest_known(id), want, "{id}");
    }
    assert!(is_known("cn-wulanchabu"));
    assert!(!is_known("cn-shangai"));
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", "abc"), 0);
}
