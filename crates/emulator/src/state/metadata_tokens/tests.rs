// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;
use time::Duration;

#[test]
fn every_read_passes_until_a_token_is_issued_then_only_unexpired_tokens() {
    let now = datetime!(2024-05-01 08:00:00 UTC);
    let mut tokens = MetadataTokens::default();
    assert!(tokens.admits(None, now), "IMDSv1 before any token");
    assert!(tokens.admits(Some("anything"), now));

    let expiry = now + Duration::seconds(60);
    tokens.issue("t1".into(), now, expiry);
    let cases = [
        ("no token", None, now, false),
        ("unknown token", Some("forged"), now, false),
        ("valid token", Some("t1"), now, true),
        ("before expiry", Some("t1"), expiry - Duration::SECOND, true),
        ("at expiry", Some("t1"), expiry, false),
    ];
    for (name, presented, at, want) in cases {
        assert_eq!(tokens.admits(presented, at), want, "{name}");
    }
}

#[test]
fn issuing_forgets_expired_tokens() {
    let now = datetime!(2024-05-01 08:00:00 UTC);
    let mut tokens = MetadataTokens::default();
    tokens.issue("old".into(), now, now + Duration::seconds(1));
    let later = now + Duration::seconds(10);
    tokens.issue("new".into(), later, later + Duration::seconds(60));
    assert!(!tokens.tokens.contains_key("old"));
    assert!(tokens.admits(Some("new"), later));
}
