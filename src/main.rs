// SPDX-License-Identifier: MPL-2.0
//! `terraform-provider-ehpc`: the executable Terraform and OpenTofu launch. It wires the
//! `ehpc` provider into the engine and hands it to the go-plugin host. Flags: `--debug`
//! (serve for TF_REATTACH_PROVIDERS, e.g. under a debugger) and `--version`. Terraform
//! itself runs it without arguments.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;

use ehpc::engine::Engine;
use ehpc::protocol::ProviderServer;
use ehpc::provider::EhpcProvider;

/// Terraform/OpenTofu provider for Alibaba Cloud E-HPC Instant app synchronization.
/// Terraform starts this binary itself; run it by hand only with --debug.
#[derive(Parser)]
#[command(name = "terraform-provider-ehpc", version = ehpc::VERSION)]
struct Cli {
    /// Serve without Terraform's handshake and print a TF_REATTACH_PROVIDERS value to attach
    /// Terraform to this process (runs until Ctrl-C).
    #[arg(long)]
    debug: bool,
}

fn main() -> ExitCode {
    // Before anything else can log: logs go to stderr only, never stdout.
    ehpc::server::logging::init_from_env();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // One thread: the provider serves a single Terraform process whose requests each cost
    // ~0.1 ms of CPU and otherwise wait on the network. Worker threads would only add
    // cross-thread wake-ups (measured: ~25 % more provider CPU per RPC on 2 cores, where
    // every cycle is taken from Terraform). Blocking work (DNS) still has its own pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    let provider: Arc<dyn ProviderServer> = Arc::new(Engine::new(EhpcProvider::new()));
    let served = runtime.block_on(async move {
        if cli.debug {
            ehpc::server::serve_debug(provider).await
        } else {
            ehpc::server::serve(provider).await
        }
    });
    // Dropping a runtime waits for every blocking task (e.g. a DNS lookup of an apply that
    // StopProvider interrupted), and the exit backstop is a task that dies with the runtime:
    // after Shutdown, Terraform would wait 2 s and kill us. Nothing is left to finish (the
    // socket directory is already removed), so leave those threads behind.
    runtime.shutdown_background();
    served?;
    Ok(())
}
