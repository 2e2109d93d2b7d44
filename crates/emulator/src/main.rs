// SPDX-License-Identifier: MPL-2.0
//! `ehpc-emulator`: runs the local EhpcInstant + STS + ECS-metadata + sign-in (CloudSSO, OAuth)
//! emulator on one listener.
//! Thin: parses flags (and an optional `--config` JSON file with the same settings), prints
//! exactly one stdout line `listening on http://HOST:PORT` once ready, logs to stderr, and
//! exits 0 on SIGTERM or SIGINT after draining open requests.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use clap::Parser;
use ehpc_emulator::{AppSpec, AppState, EmulatorConfig};
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// mimalloc, as in the provider: the emulator shares the benchmark's two cores with Terraform
/// and the provider, and glibc's allocator was a sixth of its CPU per call
/// (`scripts/bench/FINDINGS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Local Alibaba Cloud E-HPC Instant (SynchronizeApp, ListImages, GetImage), STS, ECS-metadata
/// and sign-in emulator.
///
/// Endpoints: RPC at `/`; ECS metadata under `/latest/`; CloudSSO `POST /cloud-credentials`
/// and OAuth `POST /v1/exchange` (bearer tokens from --sso-token / --oauth-token); the call
/// log at `GET /_emulator/calls`, app regions at `GET /_emulator/apps`, one app's image and
/// copies at `GET /_emulator/apps/{app}`; `PUT /_emulator/apps/{app}/copies/{region}` with
/// `{"status": "WORD"}` pins a copy's status (`null` unpins) and `DELETE` on the same path
/// deletes the copy.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// A permanent credential `ID:SECRET` (repeatable).
    #[arg(long = "credential", value_name = "ID:SECRET")]
    credentials: Vec<String>,
    /// An app that exists from the start, holding no copy yet (repeatable), e.g.
    /// `ci-vm-abc=m-abc123,name=solver,version=v2`. Without IMAGE_ID, an `m-…` ImageId is
    /// derived from the AppId.
    #[arg(long = "app", value_name = "APP_ID[=IMAGE_ID][,name=N][,version=V]")]
    apps: Vec<AppSpec>,
    /// A known region (repeatable; replaces the default EhpcInstant region list).
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// The region the applications live in (default cn-hangzhou): `all` copies to every
    /// other known region.
    #[arg(long = "home-region", value_name = "REGION")]
    home_region: Option<String>,
    /// JSON file keeping apps, their images and copies across restarts.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Seconds a copy started by SynchronizeApp stays `Creating` before it becomes
    /// `Available` (default 0: at once).
    #[arg(long, value_name = "SECONDS")]
    copy_seconds: Option<u64>,
    /// A region where every copy ends `CreateFailed` once its copy time has passed
    /// (repeatable).
    #[arg(long = "fail-copies-to", value_name = "REGION")]
    fail_copies_to: Vec<String>,
    /// A region whose copies GetImage never lists, although SynchronizeApp knows them
    /// (repeatable).
    #[arg(long = "unlisted-copies-in", value_name = "REGION")]
    unlisted_copies_in: Vec<String>,
    /// Seconds after AddImage before ListImages lists the new application.
    #[arg(long, value_name = "SECONDS")]
    list_registered_after_seconds: Option<u64>,
    /// JSON configuration file with the same settings; flags add to or override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Share of calls answered 503 ServiceUnavailable (0..1).
    #[arg(long)]
    fail_rate: Option<f64>,
    /// Calls per second admitted; the excess is answered 400 Throttling.User.
    #[arg(long)]
    throttle_rps: Option<f64>,
    /// Share of calls answered 400 Throttling.User whatever the rate (0..1).
    #[arg(long)]
    throttle_rate: Option<f64>,
    /// Delay added to every call, in milliseconds.
    #[arg(long)]
    latency_ms: Option<u64>,
    /// Share of calls whose connection is closed without a response (0..1).
    #[arg(long)]
    drop_rate: Option<f64>,
    /// Share of successful SynchronizeApp, AddImage and RemoveImage calls that are applied and
    /// whose connection is then closed without the answer (0..1).
    #[arg(long)]
    drop_after_apply_rate: Option<f64>,
    /// Seed of the random source (fault decisions, ids).
    #[arg(long)]
    seed: Option<u64>,
    /// Role name served by the ECS metadata endpoint.
    #[arg(long)]
    ecs_role: Option<String>,
    /// A CloudSSO access token that `POST /cloud-credentials` accepts (repeatable; none means
    /// every call is refused). Visible to other local users: prefer `sso_tokens` in --config.
    #[arg(long = "sso-token", value_name = "TOKEN")]
    sso_tokens: Vec<String>,
    /// An OAuth access token that `POST /v1/exchange` accepts (repeatable; none means every
    /// call is refused). Visible to other local users: prefer `oauth_tokens` in --config.
    #[arg(long = "oauth-token", value_name = "TOKEN")]
    oauth_tokens: Vec<String>,
}

impl Cli {
    fn into_config(self) -> anyhow::Result<EmulatorConfig> {
        let mut config = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                serde_json::from_str(&text)
                    .with_context(|| format!("parsing {}", path.display()))?
            }
            None => EmulatorConfig::default(),
        };
        for credential in self.credentials {
            let (id, secret) = credential
                .split_once(':')
                .filter(|(id, secret)| !id.is_empty() && !secret.is_empty())
                .ok_or_else(|| anyhow!("--credential must be ID:SECRET"))?;
            config
                .credentials
                .insert(id.to_string(), secret.to_string());
        }
        config.apps.extend(self.apps);
        if !self.regions.is_empty() {
            config.regions = self.regions;
        }
        config.home_region = self.home_region.unwrap_or(config.home_region);
        config.state_file = self.state.or(config.state_file);
        config.copy_seconds = self.copy_seconds.unwrap_or(config.copy_seconds);
        let faults = &mut config.faults;
        faults.fail_rate = self.fail_rate.unwrap_or(faults.fail_rate);
        faults.throttle_rps = self.throttle_rps.or(faults.throttle_rps);
        faults.throttle_rate = self.throttle_rate.unwrap_or(faults.throttle_rate);
        faults.latency_ms = self.latency_ms.unwrap_or(faults.latency_ms);
        faults.drop_rate = self.drop_rate.unwrap_or(faults.drop_rate);
        faults.drop_after_apply_rate = self
            .drop_after_apply_rate
            .unwrap_or(faults.drop_after_apply_rate);
        faults.seed = self.seed.or(faults.seed);
        faults.fail_copies_to.extend(self.fail_copies_to);
        faults.unlisted_copies_in.extend(self.unlisted_copies_in);
        faults.list_registered_after_seconds = self
            .list_registered_after_seconds
            .unwrap_or(faults.list_registered_after_seconds);
        if let Some(role) = self.ecs_role {
            config.ecs_role = role;
        }
        if self.sso_tokens.iter().any(String::is_empty) {
            return Err(anyhow!("--sso-token must not be empty"));
        }
        if self.oauth_tokens.iter().any(String::is_empty) {
            return Err(anyhow!("--oauth-token must not be empty"));
        }
        config.sso_tokens.extend(self.sso_tokens);
        config.oauth_tokens.extend(self.oauth_tokens);
        Ok(config)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::registry().with(StderrLog).init();
    let cli = Cli::parse();
    let listen = cli.listen.clone();
    let state = AppState::new(cli.into_config()?)?;
    let listener = TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
    }
    let shutdown = async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        tracing::info!("shutting down");
    };
    ehpc_emulator::serve(listener, state, shutdown).await?;
    Ok(())
}

/// A minimal stderr logger (tracing-subscriber is built without its `fmt` feature):
/// `LEVEL target: message key=value ...`, INFO and above.
struct StderrLog;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StderrLog {
    fn enabled(
        &self,
        metadata: &tracing::Metadata<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) -> bool {
        *metadata.level() <= tracing::Level::INFO
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut line = format!(
            "{} {}:",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut FieldWriter(&mut line));
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

struct FieldWriter<'a>(&'a mut String);

impl tracing::field::Visit for FieldWriter<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.push_str(&format!(" {value:?}"));
        } else {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}
