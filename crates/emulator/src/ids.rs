// SPDX-License-Identifier: MPL-2.0
//! Identifiers and secrets the emulator hands out, in the shapes Alibaba uses: request ids
//! (`8-4-4-4-12` upper-case hex), STS key ids (`STS.` prefix), secrets, security tokens,
//! IMDS tokens and `m-…` image ids. Every random generator takes the caller's random source so
//! tests can seed it; image ids are derived from what they name, so they repeat across runs.

use base64::Engine as _;
use rand::distr::Alphanumeric;
use rand::Rng;
use sha2::{Digest as _, Sha256};
use std::fmt::Write as _;

/// A fresh `RequestId` such as `6F2A1C3E-93B1-4C7A-8E2D-0A1B2C3D4E5F`.
pub(crate) fn request_id<R: Rng + ?Sized>(rng: &mut R) -> String {
    let bytes: [u8; 16] = rng.random();
    let mut hex = String::with_capacity(32);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02X}");
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A temporary access key id; the `STS.` prefix is how the gateway tells them apart.
pub(crate) fn sts_access_key_id<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!("STS.{}", alphanumeric(rng, 25))
}

/// An access key secret (letters and digits, as Alibaba issues them).
pub(crate) fn secret<R: Rng + ?Sized>(rng: &mut R) -> String {
    alphanumeric(rng, 44)
}

/// A security token. NOTE(protocol): real tokens start with `CAIS` and are base64 with `+`, `/`
/// and `=`, which exercises the client's percent-encoding.
pub(crate) fn security_token<R: Rng + ?Sized>(rng: &mut R) -> String {
    let bytes: [u8; 96] = std::array::from_fn(|_| rng.random());
    format!(
        "CAIS{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// An IMDSv2 session token.
pub(crate) fn metadata_token<R: Rng + ?Sized>(rng: &mut R) -> String {
    alphanumeric(rng, 56)
}

/// An ECS-style image id (`m-` and 20 lower-case letters or digits) derived from `seed` with
/// SHA-256, so that the same app (or copy) gets the same id on every run of the emulator.
pub(crate) fn image_id(seed: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let digest = Sha256::digest(seed.as_bytes());
    let id: String = digest
        .iter()
        .take(20)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("m-{id}")
}

fn alphanumeric<R: Rng + ?Sized>(rng: &mut R, len: usize) -> String {
    (0..len)
        .map(|_| char::from(rng.sample(Alphanumeric)))
        .collect()
}

#[cfg(test)]
mod tests;
