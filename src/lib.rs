// SPDX-License-Identifier: MPL-2.0
//! A Terraform / OpenTofu provider for Alibaba Cloud E-HPC Instant, written in Rust.
//!
//! The crate is layered; each layer is used only by the ones after it:
//!
//! * [`value`]: a cty-like value model (typed, null, unknown) with msgpack and JSON codecs.
//! * [`protocol`]: hand-written request/response, schema and diagnostic types of tfplugin6.
//! * `proto` (private): generated tfplugin6 / go-plugin code and conversions to [`protocol`].
//! * [`engine`]: lifecycle dispatch and the plan/apply rules, enforced once for every resource.
//! * [`server`]: go-plugin handshake, unix socket, AutoMTLS, tonic services, StopProvider.
//! * [`provider`]: the `ehpc` provider block; configure builds the API client;
//!   [`provider::cloud`] is the one seam to the API and how its errors read.
//! * [`copies`]: an application's copies by region, as the resource and data sources show them.
//! * [`resources`]: `ehpc_app_sync`, one module per resource type.
//! * [`data_sources`]: `ehpc_app` and `ehpc_apps`, one module per data source type.
//! * [`registry`]: the provider, its resources and data sources put together for the engine.
//!
//! The Alibaba Cloud API client is the `ehpc_alibaba` crate (it knows nothing of Terraform);
//! the local emulator is the `ehpc_emulator` crate, which only the tests and the demo use.

pub mod copies;
pub mod data_sources;
pub mod engine;
pub mod protocol;
pub mod provider;
pub mod registry;
pub mod resources;
pub mod server;
pub mod value;

mod proto;

/// The provider's version, as printed by `--version` and sent in the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
