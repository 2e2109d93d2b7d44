// SPDX-License-Identifier: MPL-2.0
//! The V3 request signature (`ACS3-HMAC-SHA256`): a canonical request over method, query,
//! headers and body hash, as pure functions pinned by the published test vectors. The provider
//! signs with V2 only; the emulator checks V3 too, because Alibaba's current SDKs sign with it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ehpc_alibaba::signer::canonical_query;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The V3 algorithm name, first token of the `Authorization` header.
pub(crate) const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex of SHA-256, as V3 uses for `x-acs-content-sha256`.
pub fn hex_sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The parts of a request that V3 signs. Header names must be lower-case; every header given
/// here is signed.
#[derive(Debug, Clone)]
pub struct V3Request<'a> {
    pub method: &'a str,
    pub query: &'a BTreeMap<String, String>,
    pub headers: &'a BTreeMap<String, String>,
    pub body: &'a [u8],
}

impl V3Request<'_> {
    /// `;`-joined sorted header names.
    pub(crate) fn signed_headers(&self) -> String {
        self.headers.keys().cloned().collect::<Vec<_>>().join(";")
    }

    /// The canonical request (method, URI `/`, query, headers, signed list, payload hash).
    pub(crate) fn canonical_request(&self) -> String {
        let headers: String = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}:{}\n", v.trim()))
            .collect();
        format!(
            "{}\n/\n{}\n{}\n{}\n{}",
            self.method,
            canonical_query(self.query),
            headers,
            self.signed_headers(),
            hex_sha256(self.body)
        )
    }

    /// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
    pub fn string_to_sign(&self) -> String {
        format!(
            "{V3_ALGORITHM}\n{}",
            hex_sha256(self.canonical_request().as_bytes())
        )
    }

    /// Lower-case hex HMAC-SHA256 keyed with the plain secret (no trailing `&`).
    pub fn signature(&self, secret: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(self.string_to_sign().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The full `Authorization` header value.
    pub fn authorization(&self, access_key_id: &str, secret: &str) -> String {
        format!(
            "{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers(),
            self.signature(secret)
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests;
