// SPDX-License-Identifier: MPL-2.0
//! Alibaba Cloud V2 request signatures (`HMAC-SHA1`, `SignatureVersion=1.0`, RPC style, every
//! parameter in the signed set), as pure functions pinned by the published test vectors.
//!
//! The client signs with these and the emulator verifies with the same functions, so both are
//! tested against vectors computed by Alibaba's official SDKs rather than against each other.
//! The V3 signature (`ACS3-HMAC-SHA256`) only the emulator checks; it lives there.

use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, Mac};

/// RFC 3986 percent-encoding as Alibaba specifies it: only `A-Z a-z 0-9 - _ . ~` stay as they
/// are; every other UTF-8 byte becomes `%XX` with upper-case hex (space is `%20`, never `+`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    push_percent_encoded(&mut out, s);
    out
}

/// [`percent_encode`] appending to `out`: every call signs and sends ~15 parameters twice,
/// so this runs per byte of every request (no `fmt` machinery, no allocation per byte).
fn push_percent_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// `enc(name)=enc(value)` pairs in byte-wise name order, joined by `&`.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (k, v) in params {
        if !out.is_empty() {
            out.push('&');
        }
        push_percent_encoded(&mut out, k);
        out.push('=');
        push_percent_encoded(&mut out, v);
    }
    out
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

#[cfg(test)]
mod tests;
