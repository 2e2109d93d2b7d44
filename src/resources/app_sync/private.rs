// SPDX-License-Identifier: MPL-2.0
//! What `ehpc_app_sync` keeps in Terraform's private data, the bytes stored beside an object's
//! state that users never see: the mark of a destroy plan that warned, or the application's
//! ImageType (`VM`, `Container`). The type comes from a ListImages pass; with it and the
//! recorded image id, a refresh or an update reads the copies with GetImage alone, instead of
//! walking the account's listing first (50 pages in an account of 1000 applications).
//!
//! The bytes come from the state file, which anybody can edit: anything but one of the types
//! the client lists (`IMAGE_TYPES`) is ignored, and the listing tells the type as before. A
//! wrong type would make GetImage answer ImageNotFound, which removes the object from state.

use ehpc_alibaba::actions::IMAGE_TYPES;

/// The planned private data of a destroy plan that warned (see `plan::destroy_warning`).
pub const DESTROY_WARNED: &[u8] = b"destroy-warned";

/// How the ImageType is written.
const IMAGE_TYPE: &str = "image-type=";

/// The private data that records `image_type`.
pub fn recording(image_type: &str) -> Vec<u8> {
    format!("{IMAGE_TYPE}{image_type}").into_bytes()
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
