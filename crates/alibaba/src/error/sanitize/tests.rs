// SPDX-License-Identifier: MPL-2.0
//! Tests of the sanitiser: controls replaced, secrets redacted before the cut, bounds.

use proptest::prelude::*;

use super::*;

#[test]
fn controls_are_replaced_and_newlines_kept() {
    let cases = [
        (
            "plain",
            "Specified app is not found.",
            "Specified app is not found.",
        ),
        (
            "esc and bel",
            "a\x1b[31mred\x07",
            "a\u{fffd}[31mred\u{fffd}",
        ),
        (
            "osc title",
            "\x1b]0;pwned\x07x",
            "\u{fffd}]0;pwned\u{fffd}x",
        ),
        ("c1 csi and del", "a\u{9b}2Jb\x7f", "a\u{fffd}2Jb\u{fffd}"),
        ("nul", "a\0b", "a\u{fffd}b"),
        ("tab and cr", "a\tb\rc", "a b c"),
        ("newline", "line 1\nline 2", "line 1\nline 2"),
        (
            "bidi override",
            "abc\u{202e}fed\u{2066}",
            "abc\u{fffd}fed\u{fffd}",
        ),
        ("unicode", "é 中文 ✓", "é 中文 ✓"),
    ];
    for (name, text, want) in cases {
        assert_eq!(sanitize(text, &[], 100), want, "{name}");
    }
}

#[test]
fn fields_are_bounded_with_a_visible_marker() {
    assert_eq!(sanitize("abcdef", &[], 6), "abcdef");
    assert_eq!(sanitize("abcdefg", &[], 6), "abcdef…[cut]");
    assert_eq!(sanitize("éééé", &[], 2), "éé…[cut]");
    assert_eq!(sanitize("", &[], 0), "");
    assert_eq!(sanitize("a", &[], 0), "…[cut]");
    assert_eq!(sanitize_tail("abcdefg", &[], 3), "…[cut]efg");
    assert_eq!(sanitize_tail("abc", &[], 3), "abc");
}

#[test]
fn secrets_are_redacted_before_the_cut_in_every_form() {
    let secret = "Se cr*et/+=~Value";
    let once = crate::signer::percent_encode(secret);
    let twice = crate::signer::percent_encode(&once);
    let form = "Se+cr*et%2F%2B%3D%7EValue";
    for (name, shown) in [
        ("raw", secret),
        ("once", once.as_str()),
        ("twice", twice.as_str()),
        ("form", form),
    ] {
        // The cut (at 12 characters) falls inside the secret: without redaction first, its
        // first characters would survive.
        let text = format!("echo {shown} end");
        assert_eq!(
            sanitize(&text, &[secret], 12),
            "echo <redact…[cut]",
            "{name}"
        );
        assert_eq!(
            sanitize(&text, &[secret], 100),
            "echo <redacted> end",
            "{name}"
        );
        assert_eq!(
            body_excerpt(text.as_bytes(), &[secret], 100),
            "echo <redacted> end",
            "{name}"
        );
    }
    // Too short to tell from ordinary text.
    assert_eq!(sanitize("a abc b", &["abc"], 100), "a abc b");
}

#[test]
fn excerpts_are_on_one_line() {
    let cases = [
        ("blank", " \n\t ", ""),
        (
            "html",
            "<html>\n<b>Not  Found</b></html>",
            "<html> <b>Not Found</b></html>",
        ),
        ("escape", "bad\x1b[2Jgateway", "bad\u{fffd}[2Jgateway"),
        ("crlf", "a\r\n\r\nb", "a b"),
        ("invalid utf-8", "a\u{fffd}b", "a\u{fffd}b"),
    ];
    for (name, body, want) in cases {
        assert_eq!(body_excerpt(body.as_bytes(), &[], 100), want, "{name}");
    }
    assert_eq!(body_excerpt(b"\xff\xfeab", &[], 100), "\u{fffd}\u{fffd}ab");
    assert_eq!(body_excerpt(b"one two three", &[], 7), "one two…[cut]");
}

proptest! {
    /// The shortcut for texts without `%` or `+` redacts exactly what trying every encoded
    /// form does.
    #[test]
    fn a_text_without_escapes_is_redacted_as_by_every_form(
        text in "[a-zA-Z0-9 *~/=._-]{0,40}",
        secret in "[a-zA-Z0-9 *~/=._%+-]{4,12}",
        at in 0usize..40,
    ) {
        let at = at.min(text.len());
        for text in [text.clone(), format!("{}{secret}{}", &text[..at], &text[at..])] {
            if text.contains(['%', '+']) {
                continue;
            }
            let mut every_form = text.clone();
            for form in encoded_forms(&secret) {
                replace_all(&mut every_form, &form);
            }
            prop_assert_eq!(redact(&text, &[secret.as_str()]), every_form);
        }
    }
}
