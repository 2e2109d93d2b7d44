// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::credentials::profile::{select, ProfileKind};
use crate::credentials::SettingNames;

#[test]
fn portal_is_the_origin_of_an_https_or_loopback_url() {
    assert_eq!(
        bearer_origin("https://signin-cn-shanghai.alibabacloudsso.com/device/login?x=1"),
        Ok("https://signin-cn-shanghai.alibabacloudsso.com".to_string())
    );
    assert_eq!(
        bearer_origin("http://127.0.0.1:8080/login"),
        Ok("http://127.0.0.1:8080".to_string())
    );
    assert_eq!(
        bearer_origin("http://localhost:9/x"),
        Ok("http://localhost:9".to_string())
    );
    assert_eq!(
        bearer_origin("http://[::1]:9/"),
        Ok("http://[::1]:9".to_string())
    );
    for bad in [
        "http://sso.example.com/login",
        "ftp://x/y",
        "not a url",
        "https://",
    ] {
        let err = bearer_origin(bad).expect_err(bad);
        assert!(!err.contains("x=1"), "{err}");
    }
}

#[test]
fn token_expiry_from_unix_seconds() {
    let t = AccessToken::new("tok".into(), 1_700_000_000);
    let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(t.expires, Some(at));
    assert_eq!(t.expired_at(at - Duration::from_secs(1)), None);
    assert_eq!(t.expired_at(at), Some(at));
    for unknown in [0, -5] {
        let t = AccessToken::new("tok".into(), unknown);
        assert_eq!(t.expires, None);
        assert_eq!(
            t.expired_at(SystemTime::now()),
            None,
            "an unknown expiry is left to the server"
        );
    }
    assert!(!format!("{t:?}").contains("tok\""), "{t:?}");
}

#[test]
fn oauth_sites() {
    assert_eq!(OAuthSite::parse(""), Some(OAuthSite::China));
    assert_eq!(OAuthSite::parse("cn"), Some(OAuthSite::China));
    assert_eq!(OAuthSite::parse("INTL"), Some(OAuthSite::International));
    assert_eq!(OAuthSite::parse("EU"), None);
    assert_eq!(OAuthSite::China.default_url(), "https://oauth.aliyun.com");
    assert_eq!(
        OAuthSite::International.default_url(),
        "https://oauth.alibabacloud.com"
    );
}

#[test]
fn error_excerpt_is_short_and_printable() {
    assert_eq!(excerpt(b"", "tok-1234"), "");
    assert_eq!(
        excerpt(b"{\"ErrorCode\":\"X\"}\n", "tok-1234"),
        ": {\"ErrorCode\":\"X\"}"
    );
    assert_eq!(excerpt(b"a\x1b[31m\r\nb", "tok-1234"), ": a\u{fffd}[31m b");
    assert_eq!(excerpt(b"echo tok-1234", "tok-1234"), ": echo <redacted>");
    let long = vec![b'a'; 1000];
    assert_eq!(
        excerpt(&long, "tok-1234"),
        format!(": {}…[cut]", "a".repeat(BODY_EXCERPT))
    );
}

/// The kind of profile `name` in a file holding `profiles` (JSON array text).
fn kind_of(profiles: &str, name: &str) -> Result<ProfileKind, Error> {
    let text = format!("{{\"profiles\": {profiles}}}");
    select(
        &text,
        Some((name, "a test")),
        "config.json",
        &SettingNames::NEUTRAL,
    )
    .map(|p| p.expect("named profile").kind)
}

fn credentials_error(result: Result<ProfileKind, Error>) -> String {
    match result {
        Err(Error::Credentials(msg)) => msg,
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

#[test]
fn cloud_sso_profile_parses() {
    let kind = kind_of(
        r#"[{"name": "sso", "mode": "CloudSSO",
             "cloud_sso_sign_in_url": "https://signin.alibabacloudsso.com/d/login?x=1",
             "cloud_sso_account_id": "1234", "cloud_sso_access_config": "ac-1",
             "access_token": "tok-1", "cloud_sso_access_token_expire": 1700000000}]"#,
        "sso",
    )
    .expect("a CloudSSO profile");
    let ProfileKind::SignIn { name, sign_in } = kind else {
        panic!("not a sign-in profile: {kind:?}");
    };
    assert_eq!(name, "sso");
    assert_eq!(
        sign_in,
        SignIn::CloudSso {
            portal: "https://signin.alibabacloudsso.com".into(),
            account_id: "1234".into(),
            access_config: "ac-1".into(),
            token: AccessToken::new("tok-1".into(), 1_700_000_000),
        }
    );
}

#[test]
fn oauth_profile_parses_with_its_site() {
    for (site, want) in [
        ("", OAuthSite::China),
        (r#", "oauth_site_type": "INTL""#, OAuthSite::International),
    ] {
        let kind = kind_of(
            &format!(
                r#"[{{"name": "o", "mode": "OAuth", "oauth_access_token": "tok",
                     "oauth_access_token_expire": "1700000000",
                     "oauth_refresh_token": "refresh"{site}}}]"#
            ),
            "o",
        )
        .expect("an OAuth profile");
        let want = ProfileKind::SignIn {
            name: "o".into(),
            sign_in: SignIn::OAuth {
                site: want,
                token: AccessToken::new("tok".into(), 1_700_000_000),
            },
        };
        assert_eq!(kind, want);
    }
}

#[test]
fn sign_in_profile_errors_name_the_key_never_the_token() {
    let sso = |extra: &str| {
        format!(
            r#"[{{"name": "sso", "mode": "CloudSSO", "cloud_sso_account_id": "1",
                  "cloud_sso_access_config": "ac", "access_token": "secret-tok"{extra}}}]"#
        )
    };
    let msg = credentials_error(kind_of(&sso(""), "sso"));
    assert!(msg.contains("no cloud_sso_sign_in_url"), "{msg}");
    let msg = credentials_error(kind_of(
        &sso(r#", "cloud_sso_sign_in_url": "http://sso.example.com/login""#),
        "sso",
    ));
    assert!(msg.contains("only sent over https"), "{msg}");
    assert!(!msg.contains("secret-tok"), "{msg}");
    let msg = credentials_error(kind_of(
        r#"[{"name": "o", "mode": "OAuth", "oauth_refresh_token": "r"}]"#,
        "o",
    ));
    assert!(
        msg.contains(
            "no oauth_access_token: sign in with `aliyun configure --profile o --mode OAuth`"
        ),
        "{msg}"
    );
    let msg = credentials_error(kind_of(
        r#"[{"name": "o", "mode": "OAuth", "oauth_access_token": "t", "oauth_site_type": "EU"}]"#,
        "o",
    ));
    assert!(msg.contains("expected CN or INTL"), "{msg}");
}

#[test]
fn an_odd_expiry_value_keeps_the_file_readable() {
    let kind = kind_of(
        r#"[{"name": "o", "mode": "OAuth", "oauth_access_token": "t",
             "oauth_access_token_expire": 17.5}]"#,
        "o",
    )
    .expect("the profile still parses");
    let ProfileKind::SignIn { sign_in, .. } = kind else {
        panic!("not a sign-in profile");
    };
    assert_eq!(sign_in.token().expires, None, "unknown: left to the server");
}
