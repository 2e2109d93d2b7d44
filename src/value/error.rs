// SPDX-License-Identifier: MPL-2.0
//! Decoding errors, always located by an [`AttributePath`].

use super::AttributePath;

/// A value that could not be decoded or did not conform to its type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind} at {path}")]
pub struct DecodeError {
    pub path: AttributePath,
    pub kind: DecodeErrorKind,
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeErrorKind {
    #[error("malformed input: {0}")]
    Malformed(String),
    #[error("expected {expected}, found {found}")]
    TypeMismatch { expected: String, found: String },
    #[error("missing attribute {0:?}")]
    MissingAttribute(String),
    #[error("unsupported attribute {0:?}")]
    UnsupportedAttribute(String),
    #[error("invalid number {0:?}")]
    InvalidNumber(String),
    #[error("unexpected unknown value")]
    UnexpectedUnknown,
    #[error("invalid type description: {0}")]
    InvalidType(String),
}

impl DecodeError {
    pub fn new(path: AttributePath, kind: DecodeErrorKind) -> Self {
        Self { path, kind }
    }
}

/// A `Malformed` decode error at `path`: the wire form is broken, whatever the schema says.
pub(super) fn malformed(path: &AttributePath, msg: String) -> DecodeError {
    DecodeError::new(path.clone(), DecodeErrorKind::Malformed(msg))
}

/// A `TypeMismatch` at `path`: `expected` and `found` are friendly type names.
pub(super) fn mismatch(path: &AttributePath, expected: &str, found: &str) -> DecodeError {
    let kind = DecodeErrorKind::TypeMismatch {
        expected: expected.to_string(),
        found: found.to_string(),
    };
    DecodeError::new(path.clone(), kind)
}
