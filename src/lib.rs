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
//! * [`provider`] and [`resources`]: the `ehpc` provider block and the `ehpc_app_sync` resource.
//! * [`alibaba`]: the EhpcInstant API client (signing, credentials, retries). Knows nothing of Terraform.
//! * [`emulator`]: a local EhpcInstant + STS + ECS-metadata stand-in used by tests and the demo.

pub mod alibaba;
pub mod emulator;
pub mod engine;
pub mod protocol;
pub mod provider;
pub mod resources;
pub mod server;
pub mod value;

mod proto;

/// The provider's version, as printed by `--version` and sent in the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
