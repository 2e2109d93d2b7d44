// SPDX-License-Identifier: MPL-2.0
//! The managed resources of the `ehpc` provider, one module each: `ehpc_app_sync`
//! ([`AppSync`]) and `ehpc_app` ([`app::App`]).

pub mod app;
pub mod app_sync;

pub use app_sync::AppSync;
