// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn numbers_keep_their_text() {
    let cases = [
        ("30 digits", "123456789012345678901234567890"),
        ("fraction", "-0.5"),
        ("exponent", "1.5E+400"),
        ("zero", "0"),
    ];
    for (name, text) in cases {
        match parse(text.as_bytes()) {
            Ok(Json::Number(n)) => assert_eq!(n, text, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn syntax_errors() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
    let cases = [
        ("empty", ""),
        ("trailing", "true x"),
        ("truncated object", r#"{"id":"x""#),
        ("bad literal", "tru"),
        ("leading zero", "01"),
        ("bare dot", "1."),
        ("bare minus", "-"),
        ("unterminated string", "\"abc"),
        ("lone escape", "\"\\"),
        ("bad escape", r#""\x""#),
        ("raw control character", "\"a\nb\""),
        ("trailing comma", "[true,]"),
        ("key not a string", "{1:2}"),
        ("missing colon", r#"{"a" 1}"#),
        ("deep nesting", &deep),
        ("invalid UTF-8", "\u{0}"),
    ];
    for (name, text) in cases {
        let bytes: &[u8] = if name == "invalid UTF-8" {
            b"\"\xff\""
        } else {
            text.as_bytes()
        };
        let err = parse(bytes).expect_err(name);
        assert!(
            matches!(err.kind, DecodeErrorKind::Malformed(_)),
            "{name}: {err}"
        );
    }
    let within = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(within.as_bytes()).is_ok(), "nesting within the limit");
}
