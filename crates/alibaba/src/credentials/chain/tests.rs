// SPDX-License-Identifier: MPL-2.0
//! Tests of the chain's STS endpoint choice and attribute/environment fallbacks.

use super::*;
use crate::credentials::roles::sts_target;
use crate::ServiceUrl;
use crate::{Endpoints, HttpClient};

fn target(
    endpoints: &Endpoints,
    region: Option<&str>,
    profile_region: Option<&str>,
) -> Result<String, Error> {
    let env = Environment::default();
    let http = HttpClient::new(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_secs(1),
        "",
    );
    let ctx = ResolveContext {
        env: &env,
        http: &http,
        endpoints,
        region,
    };
    sts_target(&ctx, profile_region).map(|t| t.endpoint.to_string())
}

#[test]
fn sts_endpoint_cases() {
    let none = Endpoints::default();
    let local = Endpoints {
        sts: ServiceUrl::parse("http://127.0.0.1:9").ok(),
        ..Endpoints::default()
    };
    let cases = [
        ("central", &none, None, None, "https://sts.aliyuncs.com"),
        (
            "provider region",
            &none,
            Some("cn-shanghai"),
            Some("cn-beijing"),
            "https://sts.cn-shanghai.aliyuncs.com",
        ),
        (
            "profile region",
            &none,
            None,
            Some("ap-southeast-1"),
            "https://sts.ap-southeast-1.aliyuncs.com",
        ),
        (
            "override wins",
            &local,
            Some("cn-shanghai"),
            None,
            "http://127.0.0.1:9",
        ),
    ];
    for (name, endpoints, region, profile_region, want) in cases {
        let got = target(endpoints, region, profile_region);
        assert_eq!(got.ok().as_deref(), Some(want), "{name}");
    }
    // A region from a profile file becomes part of a host name: it is checked like any other.
    let bad = target(&none, None, Some("evil.example/x"));
    assert!(
        matches!(&bad, Err(Error::Config(m)) if m.contains("invalid region id")),
        "{bad:?}"
    );
}

#[test]
fn attribute_or_env_cases() {
    let env = Environment::from_pairs([("A", "from-a"), ("B", "from-b"), ("EMPTY", "")]);
    let cases = [
        ("attribute", Some("attr"), &["A"][..], Some("attr")),
        (
            "empty attribute falls through",
            Some(""),
            &["A"][..],
            Some("from-a"),
        ),
        (
            "first set variable",
            None,
            &["EMPTY", "B", "A"][..],
            Some("from-b"),
        ),
        ("nothing", None, &["EMPTY"][..], None),
    ];
    for (name, attribute, vars, want) in cases {
        assert_eq!(
            attribute_or_env(attribute, &env, vars).as_deref(),
            want,
            "{name}"
        );
    }
}
