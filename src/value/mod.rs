// SPDX-License-Identifier: MPL-2.0
//! A cty-like value model: every [`Value`] carries its [`Type`] and may be null or unknown.
//!
//! Decoding is always type-directed (lists, sets and tuples look alike on the wire), numbers
//! keep arbitrary precision, and every error carries the [`AttributePath`] where it happened.
//! This module knows nothing of the plugin protocol; `protocol` and `engine` build on it.

mod attr;
mod conform;
mod decode;
mod error;
pub mod json;
mod json_text;
pub mod msgpack;
mod number;
mod order;
mod path;
#[cfg(test)]
mod test_values;
mod types;
#[allow(clippy::module_inception)]
mod value;

pub use attr::{Attr, FromValue, IntoValue};
pub use error::{DecodeError, DecodeErrorKind};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use types::Type;
pub use value::{Refinements, Value};
