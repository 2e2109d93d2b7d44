// SPDX-License-Identifier: MPL-2.0
//! `terraform-provider-ehpc`: the executable Terraform and OpenTofu launch. It wires the
//! `ehpc` provider into the engine and hands it to the go-plugin host. Flags: `--debug`
//! (serve for TF_REATTACH_PROVIDERS, e.g. under a debugger) and `--version`. Terraform
//! itself runs it without arguments.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use ehpc::protocol::ProviderServer;

/// mimalloc instead of the system allocator: a call (signing, its query, reqwest's request,
/// the answer's JSON) and Terraform's values are many small short-lived allocations, and with
/// glibc's malloc they were the largest single share of the provider's CPU in an apply
/// (`scripts/bench/FINDINGS.md`). The plugin floor of the benchmark uses it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // Terraform starts the plugin without arguments, every time; clap's parser (built and run
    // at each start, see scripts/bench/FINDINGS.md) is needed only when a person passes a flag.
    let cli = if std::env::args_os().len() > 1 {
        Cli::parse()
    } else {
        Cli { debug: false }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let provider: Arc<dyn ProviderServer> = Arc::new(ehpc::registry::engine());
    ehpc::server::run_process(provider, cli.debug)?;
    Ok(())
}
