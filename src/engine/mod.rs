// SPDX-License-Identifier: MPL-2.0
//! The engine: lifecycle dispatch and Terraform's plan/apply rules, enforced once for every
//! resource. It implements [`crate::protocol::ProviderServer`] on top of a [`Provider`] and its
//! [`Resource`]s, decoding every DynamicValue against the schema so resources see only
//! [`crate::value::Value`]s. It never sees generated protobuf types and does no gRPC.

mod traits;

pub use traits::*;
