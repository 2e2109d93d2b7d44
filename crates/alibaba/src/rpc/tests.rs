// SPDX-License-Identifier: MPL-2.0
use super::*;

fn creds(token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: "testid".into(),
        access_key_secret: "testsecret".into(),
        security_token: token.map(str::to_string),
        expiration: None,
    }
}

fn v2c_call<'a>(c: Option<&'a Credentials>, regions: &str) -> RpcCall<'a> {
    RpcCall {
        method: "POST",
        action: "SynchronizeApp",
        version: "2023-07-01",
        params: BTreeMap::from([
            ("AppId".to_string(), "ci-vm-rYfypJKwlN9Y".to_string()),
            ("TargetRegionIds".to_string(), regions.to_string()),
        ]),
        credentials: c,
    }
}

fn v2c_time() -> OffsetDateTime {
    time::macros::datetime!(2024-05-01 08:00:00 UTC)
}

const NONCE: &str = "c0ffee00c0ffee00c0ffee00c0ffee00";
const REGIONS: &str = r#"["cn-shanghai","cn-beijing"]"#;

#[test]
fn reference_vectors_v2c() {
    let plain = creds(None);
    let sts = creds(Some("CAIS-example-sts-token/+=="));
    let cases = [
        (
            "V2-C",
            v2c_call(Some(&plain), REGIONS),
            "QG6zdIRewUgBxgQ9n9ChMGwx/x8=",
        ),
        (
            "V2-C SecurityToken",
            v2c_call(Some(&sts), REGIONS),
            "I82M1ifNddYrDQEkWEAKDBqkpGs=",
        ),
        (
            "V2-C all",
            v2c_call(Some(&plain), r#"["all"]"#),
            "ZtcC/gTCcvnRLJwHSQN+pUi0/1g=",
        ),
    ];
    for (name, call, want) in cases {
        let q = build_query(&call, v2c_time(), NONCE);
        assert_eq!(q.get("Signature").map(String::as_str), Some(want), "{name}");
    }
}

#[test]
fn v2c_exact_query() {
    let c = creds(None);
    let q = build_query(&v2c_call(Some(&c), REGIONS), v2c_time(), NONCE);
    assert_eq!(
        signer::canonical_query(&q),
        "AccessKeyId=testid&Action=SynchronizeApp&AppId=ci-vm-rYfypJKwlN9Y&Format=json\
         &Signature=QG6zdIRewUgBxgQ9n9ChMGwx%2Fx8%3D&SignatureMethod=HMAC-SHA1\
         &SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0\
         &TargetRegionIds=%5B%22cn-shanghai%22%2C%22cn-beijing%22%5D\
         &Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
}

#[test]
fn anonymous_call_is_unsigned() {
    let mut call = v2c_call(None, REGIONS);
    call.method = "GET";
    let q = build_query(&call, v2c_time(), NONCE);
    for absent in [
        "Signature",
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SecurityToken",
    ] {
        assert!(!q.contains_key(absent), "{absent}");
    }
    assert_eq!(q["Timestamp"], "2024-05-01T08:00:00Z");
    assert_eq!(q["SignatureNonce"], NONCE);
}

fn answer(body: Vec<u8>) -> reqwest::Response {
    reqwest::Response::from(axum::http::Response::new(body))
}

#[tokio::test]
async fn answer_bodies_are_capped() {
    let fits = vec![b'x'; MAX_ANSWER_BYTES];
    assert_eq!(read_body(answer(fits.clone())).await, Ok(fits));
    let over = read_body(answer(vec![b'x'; MAX_ANSWER_BYTES + 1])).await;
    assert!(
        over.as_ref().is_err_and(|e| e.contains("larger than")),
        "{over:?}"
    );
}

#[test]
fn nonces_are_fresh_hex() {
    let (a, b) = (new_nonce(), new_nonce());
    assert_eq!(a.len(), 32);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}
