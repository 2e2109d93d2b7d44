// SPDX-License-Identifier: MPL-2.0
use super::*;

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn v3_headers(
    host: &str,
    action: &str,
    version: &str,
    date: &str,
    nonce: &str,
) -> BTreeMap<String, String> {
    params(&[
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-content-sha256", &hex_sha256(b"")),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-version", version),
    ])
}

/// A POST with an empty body, as every vector here signs.
fn bodiless_post<'a>(
    query: &'a BTreeMap<String, String>,
    headers: &'a BTreeMap<String, String>,
) -> V3Request<'a> {
    V3Request {
        method: "POST",
        query,
        headers,
        body: b"",
    }
}

#[test]
fn v3_official_documentation_vector() {
    let query = params(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ]);
    let headers = v3_headers(
        "ecs.cn-shanghai.aliyuncs.com",
        "RunInstances",
        "2014-05-26",
        "2023-10-26T10:22:32Z",
        "3156853299f313e23d1673dc12e1703d",
    );
    let req = bodiless_post(&query, &headers);
    assert_eq!(
        hex_sha256(req.canonical_request().as_bytes()),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        req.signature("YourAccessKeySecret"),
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
}

#[test]
fn v3_synchronize_app_vectors() {
    let query = params(&[
        ("AppId", "ci-vm-rYfypJKwlN9Y"),
        ("TargetRegionIds", r#"["cn-shanghai","cn-beijing"]"#),
    ]);
    let mut headers = v3_headers(
        "ehpcinstant.cn-hangzhou.aliyuncs.com",
        "SynchronizeApp",
        "2023-07-01",
        "2024-05-01T08:00:00Z",
        "c0ffee00c0ffee00c0ffee00c0ffee00",
    );
    let req = bodiless_post(&query, &headers);
    assert_eq!(
        hex_sha256(req.canonical_request().as_bytes()),
        "3d70f441a7e42e8fc4c95e25e280ce7128b00abbd27705777ee4b5868aab5f9e"
    );
    assert_eq!(
        req.signature("testsecret"),
        "2b422d5c50f04af1bd6b0b29987035bfe18e30e8bfd29de23bf41f682b9f4be3"
    );
    headers.insert("x-acs-accesskey-id".into(), "testid".into());
    headers.insert(
        "x-acs-security-token".into(),
        "CAIS-example-sts-token/+==".into(),
    );
    let req = bodiless_post(&query, &headers);
    assert_eq!(
        req.signature("testsecret"),
        "aa3ba3f373e69ed7f7ed54cbf0dcd498bb0800501b8e7f2f5964de94f3632b0a"
    );
}
