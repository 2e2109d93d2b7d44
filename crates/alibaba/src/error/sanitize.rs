// SPDX-License-Identifier: MPL-2.0
//! The one function every piece of server-supplied text goes through before it reaches an
//! error message, a log line or the Terraform state: [`sanitize`] (and its one-line form,
//! [`body_excerpt`]).
//!
//! An endpoint may be broken (a proxy's HTML page), misconfigured (an override pointing at
//! the wrong service) or hostile. Its text is shown in a terminal, so it must not carry
//! terminal controls (ESC sequences can rewrite the screen, BEL rings, `\r` hides what came
//! before); it may echo the request, so secrets are removed first; and it may be huge, so every
//! field is bounded, with a visible marker where it was cut.

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// Appended where a field was cut. Visible, so a reader knows text is missing.
pub const CUT_MARKER: &str = "…[cut]";

/// What replaces a character that must not reach a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Bound for short identifiers from an answer: `Code`, `RequestId`, `HostId`.
pub(crate) const ID_CHARS: usize = 128;

/// Bound for free text from an answer: `Message`, `Recommend`, `AccessDeniedDetail`, stderr.
pub(crate) const TEXT_CHARS: usize = 512;

/// Makes server-supplied `text` safe to show, in this order:
///
/// 1. every secret in `secrets` (raw, percent-encoded once or twice, form-encoded) becomes
///    [`REDACTED`], over the whole text, so that no cut can leave a fragment of one;
/// 2. control characters (C0 but newline, DEL, C1) and bidirectional overrides become
///    [`REPLACEMENT`]; tab and carriage return become a space;
/// 3. the result is cut to `max_chars` characters followed by [`CUT_MARKER`].
pub fn sanitize(text: &str, secrets: &[&str], max_chars: usize) -> String {
    let redacted = redact(text, secrets);
    cut(redacted.chars().map(|c| printable(c, false)), max_chars)
}

/// [`sanitize`] keeping the end of the text rather than its start (for a program's stderr,
/// whose last lines say what went wrong): [`CUT_MARKER`] then the last `max_chars` characters.
pub(crate) fn sanitize_tail(text: &str, secrets: &[&str], max_chars: usize) -> String {
    let redacted = redact(text, secrets);
    let reversed = cut(
        redacted.chars().rev().map(|c| printable(c, false)),
        max_chars,
    );
    match reversed.strip_suffix(CUT_MARKER) {
        Some(kept) => format!("{CUT_MARKER}{}", kept.chars().rev().collect::<String>()),
        None => reversed.chars().rev().collect(),
    }
}

/// [`sanitize`] on one line: every run of whitespace (newlines included) becomes one space,
/// and the text is trimmed. For quoting a body that is not an error document; empty for a
/// blank body.
pub fn body_excerpt(body: &[u8], secrets: &[&str], max_chars: usize) -> String {
    let redacted = redact(&String::from_utf8_lossy(body), secrets);
    let mapped: String = redacted.chars().map(|c| printable(c, true)).collect();
    let words = mapped.split_whitespace().collect::<Vec<_>>().join(" ");
    cut(words.chars(), max_chars)
}

/// A character as shown: `\n` stays unless `one_line`, other whitespace controls become a
/// space, other controls and bidi overrides (which reorder what a terminal shows) become
/// [`REPLACEMENT`].
fn printable(c: char, one_line: bool) -> char {
    match c {
        '\n' if !one_line => '\n',
        '\n' | '\t' | '\r' => ' ',
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => REPLACEMENT,
        c if c.is_control() => REPLACEMENT,
        c => c,
    }
}

/// The first `max_chars` characters, then [`CUT_MARKER`] when anything was left out.
fn cut(mut chars: impl Iterator<Item = char>, max_chars: usize) -> String {
    let mut out: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        out.push_str(CUT_MARKER);
    }
    out
}

/// Replaces each secret (of at least 4 characters: shorter ones would match ordinary text)
/// in every form a request could echo it: raw, percent-encoded once (a query) or twice (a
/// string to sign), and form-encoded (a body).
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    // Every form that differs from its secret holds a `%` or a `+` (see `encoded_forms`): a
    // text with neither, such as a RequestId, can only hold the secret as it is. This spares
    // each call's answer three encodings per secret.
    let plain = !text.contains(['%', '+']);
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| s.chars().count() >= 4) {
        if plain {
            replace_all(&mut out, secret);
        } else {
            for form in encoded_forms(secret) {
                replace_all(&mut out, &form);
            }
        }
    }
    out
}

/// The forms of `secret` a request could carry, longest first (a shorter form may be a part
/// of a longer one). Percent-encoding leaves a `%` wherever it changes a character; the form
/// encoding then turns `%20` into `+`, `%2A` back into `*` and `~` into `%7E`, so a form
/// without `%` or `+` is the secret itself.
fn encoded_forms(secret: &str) -> [String; 4] {
    let once = crate::signer::percent_encode(secret);
    let twice = crate::signer::percent_encode(&once);
    // application/x-www-form-urlencoded differs from RFC 3986 encoding only here.
    let form = once
        .replace("%20", "+")
        .replace("%2A", "*")
        .replace('~', "%7E");
    [twice, once, form, secret.to_string()]
}

fn replace_all(out: &mut String, form: &str) {
    if out.contains(form) {
        *out = out.replace(form, REDACTED);
    }
}

#[cfg(test)]
mod tests;
