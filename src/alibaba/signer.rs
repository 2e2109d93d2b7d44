// SPDX-License-Identifier: MPL-2.0
//! Alibaba Cloud request signatures, as pure functions pinned by the published test vectors.
//!
//! * V2 (`HMAC-SHA1`, `SignatureVersion=1.0`): RPC-style, every parameter in the signed set.
//! * V3 (`ACS3-HMAC-SHA256`): canonical request over method, query, headers and body hash.
//!
//! The client signs with these and the emulator verifies with the same functions, so both are
//! tested against vectors computed by Alibaba's official SDKs rather than against each other.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The V3 algorithm name, first token of the `Authorization` header.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// RFC 3986 percent-encoding as Alibaba specifies it: only `A-Z a-z 0-9 - _ . ~` stay as they
/// are; every other UTF-8 byte becomes `%XX` with upper-case hex (space is `%20`, never `+`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `enc(name)=enc(value)` pairs in byte-wise name order, joined by `&`.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// V2 string to sign: `METHOD&%2F&enc(canonical query)`. `params` must not hold `Signature`.
pub fn string_to_sign_v2(method: &str, params: &BTreeMap<String, String>) -> String {
    format!("{method}&%2F&{}", percent_encode(&canonical_query(params)))
}

/// V2 signature: base64 of HMAC-SHA1 keyed with `secret + "&"`.
pub fn sign_v2(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Lower-case hex of SHA-256, as V3 uses for `x-acs-content-sha256`.
pub fn hex_sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The parts of a request that V3 signs. Header names must be lower-case; every header given
/// here is signed.
#[derive(Debug, Clone)]
pub struct V3Request<'a> {
    pub method: &'a str,
    pub query: &'a BTreeMap<String, String>,
    pub headers: &'a BTreeMap<String, String>,
    pub body: &'a [u8],
}

impl V3Request<'_> {
    /// `;`-joined sorted header names.
    pub fn signed_headers(&self) -> String {
        self.headers.keys().cloned().collect::<Vec<_>>().join(";")
    }

    /// The canonical request (method, URI `/`, query, headers, signed list, payload hash).
    pub fn canonical_request(&self) -> String {
        let headers: String = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}:{}\n", v.trim()))
            .collect();
        format!(
            "{}\n/\n{}\n{}\n{}\n{}",
            self.method,
            canonical_query(self.query),
            headers,
            self.signed_headers(),
            hex_sha256(self.body)
        )
    }

    /// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
    pub fn string_to_sign(&self) -> String {
        format!(
            "{V3_ALGORITHM}\n{}",
            hex_sha256(self.canonical_request().as_bytes())
        )
    }

    /// Lower-case hex HMAC-SHA256 keyed with the plain secret (no trailing `&`).
    pub fn signature(&self, secret: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(self.string_to_sign().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The full `Authorization` header value.
    pub fn authorization(&self, access_key_id: &str, secret: &str) -> String {
        format!(
            "{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers(),
            self.signature(secret)
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
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
        let req = V3Request {
            method: "POST",
            query: &query,
            headers: &headers,
            body: b"",
        };
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
        let req = V3Request {
            method: "POST",
            query: &query,
            headers: &headers,
            body: b"",
        };
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
        let req = V3Request {
            method: "POST",
            query: &query,
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            req.signature("testsecret"),
            "aa3ba3f373e69ed7f7ed54cbf0dcd498bb0800501b8e7f2f5964de94f3632b0a"
        );
    }
}
