// SPDX-License-Identifier: MPL-2.0
//! `terraform-provider-benchnull-linked`: the plugin floor with the whole provider linked in
//! and never run (`cargo build --release --example terraform-provider-benchnull-linked`). It
//! starts exactly as `terraform-provider-benchnull` does, but its binary carries the code of
//! `terraform-provider-ehpc` (the Alibaba client, reqwest, the credential chain, the
//! resources), so the dynamic loader applies the provider's relocations and touches its pages.
//! The benchmark times its handshake against the floor's (what loading the larger binary
//! costs, measured on its own) and the provider's against it (what the provider does at
//! start-up beyond loading its binary).

#[path = "null_provider.rs"]
mod floor;

use std::sync::Arc;

use ehpc::protocol::ProviderServer;

/// The real provider, as `terraform-provider-ehpc` builds it; never called here.
fn real_provider() -> Arc<dyn ProviderServer> {
    Arc::new(ehpc::registry::engine())
}

fn main() -> anyhow::Result<()> {
    // The optimiser cannot see through black_box, so the linker keeps every function the
    // real provider reaches, as in the provider's own binary.
    std::hint::black_box(real_provider as fn() -> Arc<dyn ProviderServer>);
    floor::main()
}
