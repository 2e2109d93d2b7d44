// SPDX-License-Identifier: MPL-2.0
//! Compiles proto/*.proto with the vendored protoc, so a fresh machine needs only the Rust
//! toolchain. The library gets server code (OUT_DIR); integration tests get client code
//! (OUT_DIR/client) that they `include!`, so the library carries no unused client code.

use std::path::{Path, PathBuf};

const PROTOS: [&str; 2] = ["proto/tfplugin6.proto", "proto/plugin.proto"];

/// tfplugin6 messages that only namespace an RPC's `Request`/`Response` and are never built.
const NAMESPACE_MESSAGES: [&str; 20] = [
    "GetMetadata",
    "GetProviderSchema",
    "ValidateProviderConfig",
    "ValidateResourceConfig",
    "ValidateDataResourceConfig",
    "ValidateEphemeralResourceConfig",
    "UpgradeResourceState",
    "ConfigureProvider",
    "ReadResource",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ImportResourceState",
    "MoveResourceState",
    "ReadDataSource",
    "OpenEphemeralResource",
    "RenewEphemeralResource",
    "CloseEphemeralResource",
    "GetFunctions",
    "CallFunction",
    "StopProvider",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // The well-known types (Empty, Timestamp) come with the vendored protoc.
    let well_known = protoc_bin_vendored::include_path()?;
    let includes = [PathBuf::from("proto"), well_known];
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    generate(&protoc, &includes, &out_dir, Side::Server)?;
    let client_dir = out_dir.join("client");
    std::fs::create_dir_all(&client_dir)?;
    generate(&protoc, &includes, &client_dir, Side::Client)?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Server,
    Client,
}

fn generate(
    protoc: &Path,
    includes: &[PathBuf],
    out_dir: &Path,
    side: Side,
) -> std::io::Result<()> {
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc);
    let mut builder = tonic_prost_build::configure();
    for name in NAMESPACE_MESSAGES {
        builder = builder.message_attribute(format!(".tfplugin6.{name}"), "#[allow(dead_code)]");
    }
    builder
        .build_server(side == Side::Server)
        .build_client(side == Side::Client)
        // Generate google.protobuf.{Empty,Timestamp} ourselves instead of depending on prost-types.
        .compile_well_known_types(true)
        .emit_rerun_if_changed(false)
        .out_dir(out_dir)
        .compile_with_config(config, &PROTOS.map(PathBuf::from), includes)
}
