// SPDX-License-Identifier: MPL-2.0
//! Resources of the `ehpc` provider: `ehpc_app_sync` ([`AppSync`]), with its pure helpers:
//! [`region_diff`] (what an update adds and removes), [`timeouts`] (Go-style durations) and
//! [`validate`] (configuration checks with attribute paths).

pub mod app_sync;
pub mod region_diff;
pub mod timeouts;
pub mod validate;

use std::sync::Arc;

use crate::engine::Resource;
use crate::provider::ProviderData;

pub use app_sync::AppSync;

/// Every resource type the provider serves.
pub fn all() -> Vec<Arc<dyn Resource<ProviderData>>> {
    vec![Arc::new(AppSync::new())]
}
