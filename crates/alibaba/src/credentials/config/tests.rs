// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn redact_url_cases() {
    let cases = [
        (
            "plain",
            "http://127.0.0.1:8080/creds",
            "http://127.0.0.1:8080/creds",
        ),
        ("query", "https://h/creds?token=abc", "https://h/creds"),
        ("userinfo", "https://u:p@h:1/x#f", "https://h:1/x"),
        ("no path", "https://u:p@h?x=1", "https://h"),
        ("garbage", "not a url", "<unparseable URL>"),
        // Userinfo holding a delimiter: the parser, not a cut at the first `/`, decides.
        (
            "slash in password",
            "http://u:ab/cd@127.0.0.1/creds",
            "<unparseable URL>",
        ),
        (
            "query in password",
            "http://u:a?b@127.0.0.1/c",
            "<unparseable URL>",
        ),
        (
            "hash in password",
            "http://u:a#b@127.0.0.1/c",
            "<unparseable URL>",
        ),
        (
            "encoded userinfo",
            "http://u%2Fx:p%40ss%3Fw@127.0.0.1:9/c",
            "http://127.0.0.1:9/c",
        ),
        ("at in path", "http://u:pw@h/a@b?t=1", "http://h/a@b"),
        ("no host", "file:///etc/passwd", "<unparseable URL>"),
        ("not a url but secret", "u:SECRET@", "<unparseable URL>"),
    ];
    for (name, input, want) in cases {
        assert_eq!(redact_url(input), want, "{name}");
    }
}

#[test]
fn debug_hides_secrets() {
    let c = CredentialConfig {
        access_key: Some("LTAIabcdefgh1234".into()),
        secret_key: Some("SECRET-sk".into()),
        security_token: Some("SECRET-tok".into()),
        credentials_uri: Some("http://h/c?t=SECRET-uri".into()),
        assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
            oidc_token: Some("SECRET-oidc".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let text = format!("{c:?}");
    assert!(!text.contains("SECRET"), "{text}");
    assert!(text.contains("LTA***234"), "{text}");
}
