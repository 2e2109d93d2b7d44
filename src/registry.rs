// SPDX-License-Identifier: MPL-2.0
//! The `ehpc` provider put together: the provider block and every resource and data source
//! type it serves, handed to the engine. The one place above both [`crate::provider`] and
//! [`crate::resources`], so that resources and data sources may use the provider's data while
//! the provider never names one.

use std::sync::Arc;

use crate::data_sources::{App, Apps};
use crate::engine::{DataSource, Engine, Resource};
use crate::provider::{EhpcProvider, ProviderData};
use crate::resources::{app, AppSync};

/// Every resource type the provider serves.
pub fn resources() -> Vec<Arc<dyn Resource<ProviderData>>> {
    vec![Arc::new(AppSync::new()), Arc::new(app::App::new())]
}

/// Every data source type the provider serves.
pub fn data_sources() -> Vec<Arc<dyn DataSource<ProviderData>>> {
    vec![Arc::new(App::new()), Arc::new(Apps::new())]
}

/// The engine serving the `ehpc` provider as Terraform runs it.
pub fn engine() -> Engine<EhpcProvider> {
    engine_for(EhpcProvider::new())
}

/// The engine serving `provider` (e.g. one reading a test environment) and every resource and
/// data source.
pub fn engine_for(provider: EhpcProvider) -> Engine<EhpcProvider> {
    Engine::new(provider, resources(), data_sources())
}
