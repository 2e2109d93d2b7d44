// SPDX-License-Identifier: MPL-2.0
//! What `ehpc_app_sync` keeps in Terraform's private data, the bytes stored beside an object's
//! state that users never see: the mark of a destroy plan that warned, or the ImageType of a
//! container application (`Container`). The type comes from a ListImages pass; with it and the
//! recorded image id, a refresh or an update reads the copies with GetImage alone, instead of
//! walking the account's listing first (50 pages in an account of 1000 applications).
//!
//! A VM application records nothing: GetImage is asked with the service's default type, `VM`,
//! when no type is recorded (see `reads::read_recorded`). Terraform deep-copies the private
//! bytes of every instance of a resource once per instance while it builds a plan (n² copies for
//! a `count` of n): a record on every object cost Terraform about 7 % more CPU in a plan of 1000
//! (`scripts/bench/FINDINGS.md`); an empty one costs nothing.
//!
//! The bytes come from the state file, which anybody can edit: anything but one of the types
//! the client lists (`IMAGE_TYPES`) is ignored. A wrong type makes GetImage answer
//! ImageNotFound, and the listing then tells the right one before the object could be removed.

use ehpc_alibaba::actions::{DEFAULT_IMAGE_TYPE, IMAGE_TYPES};

/// The planned private data of a destroy plan that warned (see `plan::destroy_warning`).
pub const DESTROY_WARNED: &[u8] = b"destroy-warned";

/// How the ImageType is written.
const IMAGE_TYPE: &str = "image-type=";

/// The private data that records `image_type`: none for the service's default type.
pub fn recording(image_type: &str) -> Vec<u8> {
    if image_type == DEFAULT_IMAGE_TYPE {
        Vec::new()
    } else {
        format!("{IMAGE_TYPE}{image_type}").into_bytes()
    }
}

/// The ImageType `private` records, if it records one the client lists.
pub fn image_type(private: &[u8]) -> Option<&'static str> {
    let word = std::str::from_utf8(private)
        .ok()?
        .strip_prefix(IMAGE_TYPE)?;
    IMAGE_TYPES.into_iter().find(|known| *known == word)
}

#[cfg(test)]
mod tests;
