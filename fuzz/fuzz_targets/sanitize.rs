// SPDX-License-Identifier: MPL-2.0
//! Fuzzes the sanitiser every piece of server-supplied text goes through:
//! `ehpc_alibaba::sanitize` (and its one-line form `body_excerpt`) over any text, secret and
//! bound. Neither may panic; the output holds no terminal control (C0 but newline, DEL, C1),
//! no bidi override and never the secret; and it is at most the bound plus the cut marker.
//!
//! Input layout: 1 byte bound, 1 byte secret length N, N bytes of secret, then the text (both
//! read as lossy UTF-8).
#![no_main]

use ehpc_alibaba::{body_excerpt, sanitize, CUT_MARKER};
use libfuzzer_sys::fuzz_target;

fn check(out: &str, secret: &str, max: usize, one_line: bool) {
    for c in out.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(
            !bidi && (!c.is_control() || (c == '\n' && !one_line)),
            "{c:?} survived in {out:?}"
        );
    }
    // Redaction happens before the cut, so not even a secret's start may survive. Skipped: a
    // secret of fewer than 4 characters (not redacted: it would match ordinary text), and
    // one that the output's own characters could spell (the marker texts, replacement
    // characters, the spaces that tabs become), which says nothing about a leak.
    let spellable = |c: char| c.is_control() || c.is_whitespace() || "<>[]…\u{FFFD}".contains(c);
    let in_marker = ehpc_alibaba::REDACTED.contains(secret) || CUT_MARKER.contains(secret);
    if secret.chars().count() >= 4 && !secret.chars().any(spellable) && !in_marker && !one_line {
        assert!(!out.contains(secret), "secret survived in {out:?}");
    }
    let kept = out.strip_suffix(CUT_MARKER).unwrap_or(out);
    assert!(kept.chars().count() <= max, "{out:?} exceeds {max}");
}

fuzz_target!(|data: &[u8]| {
    let [max, secret_len, rest @ ..] = data else {
        return;
    };
    let (secret, text) = rest.split_at(usize::from(*secret_len).min(rest.len()));
    let (secret, max) = (String::from_utf8_lossy(secret), usize::from(*max));
    let out = sanitize(&String::from_utf8_lossy(text), &[&secret], max);
    check(&out, &secret, max, false);
    let excerpt = body_excerpt(text, &[&secret], max);
    check(&excerpt, &secret, max, true);
});
