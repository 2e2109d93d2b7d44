// SPDX-License-Identifier: MPL-2.0
use super::*;
use std::os::unix::ffi::OsStringExt as _;

#[test]
fn environment_skips_non_utf8_variables() {
    let bad = || OsString::from_vec(vec![0xff, 0xfe]);
    let env = Environment::from_os_pairs([
        (
            OsString::from("ALIBABA_CLOUD_REGION"),
            OsString::from("cn-hangzhou"),
        ),
        (OsString::from("BAD_VALUE"), bad()),
        (bad(), OsString::from("bad name")),
    ]);
    assert_eq!(env.get("ALIBABA_CLOUD_REGION"), Some("cn-hangzhou"));
    assert_eq!(env.get("BAD_VALUE"), None);
    assert_eq!(
        format!("{env:?}"),
        r#"Environment { names: ["ALIBABA_CLOUD_REGION"] }"#
    );
}

#[test]
fn masked_key_ids() {
    let cases = [
        ("long", "LTAI5tAbCdEfGh", "LTA***fGh"),
        ("short", "abcdef", "***"),
        ("multi-byte", "中文中文中文中", "中文中***中文中"),
    ];
    for (name, id, want) in cases {
        assert_eq!(mask_access_key_id(id), want, "{name}");
    }
}
