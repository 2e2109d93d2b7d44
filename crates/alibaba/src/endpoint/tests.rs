// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::credentials::OAuthSite;

#[test]
fn parse_accepts_and_normalises() {
    let cases = [
        (
            "https host",
            "https://ehpcinstant.cn-hangzhou.aliyuncs.com",
            "https://ehpcinstant.cn-hangzhou.aliyuncs.com",
            false,
        ),
        (
            "trailing slash",
            "https://example.com/",
            "https://example.com",
            false,
        ),
        (
            "http with port",
            "http://127.0.0.1:4567",
            "http://127.0.0.1:4567",
            true,
        ),
        (
            "default port dropped",
            "https://example.com:443/",
            "https://example.com",
            false,
        ),
        ("ipv6", "http://[::1]:8080", "http://[::1]:8080", true),
        (
            "upper-case host",
            " HTTPS://Example.COM ",
            "https://example.com",
            false,
        ),
    ];
    for (name, input, want, plain) in cases {
        let url = ServiceUrl::parse(input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(url.as_str(), want, "{name}");
        assert_eq!(url.is_plaintext(), plain, "{name}");
    }
}

#[test]
fn parse_rejects_with_reason() {
    let cases = [
        (
            "not a url",
            "ehpcinstant.cn-hangzhou.aliyuncs.com",
            "relative URL",
        ),
        (
            "scheme",
            "ftp://example.com",
            "scheme must be https or http",
        ),
        ("query", "https://example.com/?a=b", "query string"),
        ("fragment", "https://example.com/#x", "fragment"),
        ("path", "https://example.com/api", "path is not allowed"),
        (
            "userinfo",
            "https://user:pw@example.com",
            "user name or password",
        ),
        ("no host", "http://", "empty host"),
    ];
    for (name, input, want) in cases {
        match ServiceUrl::parse(input) {
            Err(Error::Config(msg)) => assert!(msg.contains(want), "{name}: {msg}"),
            other => panic!("{name}: expected a config error, got {other:?}"),
        }
    }
    let Err(e) = ServiceUrl::parse("https://id:secret@example.com") else {
        panic!("accepted")
    };
    assert!(!e.to_string().contains("secret"), "{e}");
}

#[test]
fn defaults_and_overrides() {
    let none = Endpoints::default();
    let got = none.ehpcinstant_for("cn-hangzhou").map(|u| u.to_string());
    assert_eq!(
        got.as_deref().ok(),
        Some("https://ehpcinstant.cn-hangzhou.aliyuncs.com")
    );
    assert_eq!(
        none.sts_for(None).map(|u| u.to_string()).ok().as_deref(),
        Some("https://sts.aliyuncs.com")
    );
    let regional = none.sts_for(Some("ap-southeast-5")).map(|u| u.to_string());
    assert_eq!(
        regional.ok().as_deref(),
        Some("https://sts.ap-southeast-5.aliyuncs.com")
    );
    assert_eq!(none.ecs_metadata().as_str(), "http://100.100.100.200");
    assert_eq!(
        none.oauth_for(OAuthSite::International),
        "https://oauth.alibabacloud.com"
    );
    assert!(none.ecs_metadata().is_plaintext());

    let local = ServiceUrl::parse("http://127.0.0.1:9000").ok();
    let over = Endpoints {
        ehpcinstant: local.clone(),
        sts: local.clone(),
        ecs_metadata: local.clone(),
        oauth: local.clone(),
    };
    assert_eq!(over.ehpcinstant_for("cn-beijing").ok(), local);
    assert_eq!(over.sts_for(Some("cn-beijing")).ok(), local);
    assert_eq!(Some(over.ecs_metadata()), local);
    assert_eq!(over.oauth_for(OAuthSite::China), "http://127.0.0.1:9000");
}

#[test]
fn region_ids_cannot_inject_into_hosts() {
    let e = Endpoints::default();
    for bad in [
        "",
        "evil.com/x",
        "cn-hangzhou.evil.com",
        "CN-HANGZHOU",
        "-cn",
        "cn hz",
        "a@b",
    ] {
        assert!(
            matches!(e.ehpcinstant_for(bad), Err(Error::Config(_))),
            "{bad:?}"
        );
        assert!(
            matches!(e.sts_for(Some(bad)), Err(Error::Config(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn plain_http_only_to_this_machine() {
    for ok in [
        "http://127.0.0.1:9",
        "http://127.8.9.10",
        "http://localhost:4567",
        "http://LOCALHOST",
        "http://[::1]:80",
    ] {
        assert!(ServiceUrl::parse(ok).is_ok(), "{ok}");
    }
    for (bad, https) in [
        ("http://203.0.113.1:9", "use https://203.0.113.1:9"),
        (
            "http://ehpcinstant.cn-hangzhou.aliyuncs.com/",
            "use https://ehpcinstant.cn-hangzhou",
        ),
        (
            "http://localhost.evil.com",
            "use https://localhost.evil.com",
        ),
        ("http://[fe80::1]:8080", "use https://[fe80::1]:8080"),
        ("http://100.100.100.200", "use https://100.100.100.200"),
    ] {
        let err = ServiceUrl::parse(bad).expect_err(bad).to_string();
        assert!(err.contains("plain http is only allowed"), "{bad}: {err}");
        assert!(err.contains(https), "{bad}: {err}");
    }
    // The metadata service has no https: its override may also name a link-local address.
    for ok in [
        "http://100.100.100.200",
        "http://169.254.169.254",
        "http://[fe80::1]",
    ] {
        assert!(ServiceUrl::parse_metadata(ok).is_ok(), "{ok}");
    }
    assert!(ServiceUrl::parse_metadata("http://203.0.113.1").is_err());
    assert!(ServiceUrl::parse_metadata("http://100.100.100.201").is_err());
}
