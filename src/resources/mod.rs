// SPDX-License-Identifier: MPL-2.0
//! The managed resources of the `ehpc` provider, one module each: `ehpc_app_sync`
//! ([`AppSync`]).

pub mod app_sync;

pub use app_sync::AppSync;
