// SPDX-License-Identifier: MPL-2.0
use super::*;

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn sync_app_v2(extra: &[(&str, &str)], regions: &str) -> BTreeMap<String, String> {
    let mut p = params(&[
        ("Action", "SynchronizeApp"),
        ("Format", "json"),
        ("Version", "2023-07-01"),
        ("Timestamp", "2024-05-01T08:00:00Z"),
        ("SignatureNonce", "c0ffee00c0ffee00c0ffee00c0ffee00"),
        ("AppId", "ci-vm-rYfypJKwlN9Y"),
        ("TargetRegionIds", regions),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", "testid"),
    ]);
    p.extend(params(extra));
    p
}

#[test]
fn percent_encoding_check_value() {
    assert_eq!(
        percent_encode("a b*c~d+e/f=g&h中"),
        "a%20b%2Ac~d%2Be%2Ff%3Dg%26h%E4%B8%AD"
    );
}

#[test]
fn v2_a_documentation_example() {
    let p = params(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ]);
    let sts = string_to_sign_v2("GET", &p);
    assert_eq!(
        sts,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(sign_v2("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

#[test]
fn v2_c_synchronize_app_as_the_new_sdk_sends_it() {
    let p = sync_app_v2(&[], r#"["cn-shanghai","cn-beijing"]"#);
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=SynchronizeApp&AppId=ci-vm-rYfypJKwlN9Y&Format=json&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&TargetRegionIds=%5B%22cn-shanghai%22%2C%22cn-beijing%22%5D&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
    let sts = string_to_sign_v2("POST", &p);
    assert_eq!(
        sts,
        "POST&%2F&AccessKeyId%3Dtestid%26Action%3DSynchronizeApp%26AppId%3Dci-vm-rYfypJKwlN9Y%26Format%3Djson%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dc0ffee00c0ffee00c0ffee00c0ffee00%26SignatureVersion%3D1.0%26TargetRegionIds%3D%255B%2522cn-shanghai%2522%252C%2522cn-beijing%2522%255D%26Timestamp%3D2024-05-01T08%253A00%253A00Z%26Version%3D2023-07-01"
    );
    assert_eq!(sign_v2("testsecret", &sts), "QG6zdIRewUgBxgQ9n9ChMGwx/x8=");
}

#[test]
fn v2_c_variants_security_token_and_all() {
    let with_token = sync_app_v2(
        &[("SecurityToken", "CAIS-example-sts-token/+==")],
        r#"["cn-shanghai","cn-beijing"]"#,
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &with_token)),
        "I82M1ifNddYrDQEkWEAKDBqkpGs="
    );
    let all = sync_app_v2(&[], r#"["all"]"#);
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &all)),
        "ZtcC/gTCcvnRLJwHSQN+pUi0/1g="
    );
}

#[test]
fn v2_d_old_core_sdk_parameter_set() {
    let p = sync_app_v2(
        &[
            ("Format", "JSON"),
            ("RegionId", "cn-hangzhou"),
            ("SignatureType", ""),
        ],
        r#"["cn-shanghai", "cn-beijing"]"#,
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "aX6e/XBvDiMSQJZsQcx9y0x//F0="
    );
}

#[test]
fn v2_e_encoding_torture() {
    let mut p = sync_app_v2(
        &[
            ("Format", "JSON"),
            ("RegionId", "cn-hangzhou"),
            ("SignatureType", ""),
        ],
        "",
    );
    p.remove("TargetRegionIds");
    p.insert("AppId".into(), "a b*c~d+e/f=g&h中".into());
    let sts = string_to_sign_v2("POST", &p);
    assert!(sts.contains("AppId%3Da%2520b%252Ac~d%252Be%252Ff%253Dg%2526h%25E4%25B8%25AD"));
    assert_eq!(sign_v2("testsecret", &sts), "129Dm9bqV816V6IXtvgPstlKZbI=");
}
