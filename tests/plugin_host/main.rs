// SPDX-License-Identifier: MPL-2.0
//! The provider binary as Terraform sees it: go-plugin handshake (cookie, protocol set,
//! unix socket in a 0700 directory, one stdout line), mandatory AutoMTLS with a pinned
//! Terraform-like P-521 client certificate, go-plugin side services (health, stdio,
//! Shutdown with prompt exit, SIGINT ignored), tfplugin6 RPCs, `--version` and `--debug`.

mod grpc;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use grpc::pb::google::protobuf::Empty as GoogleEmpty;
use grpc::pb::plugin::{
    grpc_controller_client::GrpcControllerClient, grpc_stdio_client::GrpcStdioClient, Empty,
};
use grpc::pb::tfplugin6::{self as tf, provider_client::ProviderClient};
use grpc::{
    connect, plugin_command, plugin_is_serving, send_signal, ClientIdentity, Plugin, GUARD,
    MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE,
};
use tonic::transport::Channel;

/// After Shutdown's reply the process must be gone within this bound (Terraform waits 2 s
/// and then kills it; go-plugin exits at once). A correctness bound, not a benchmark.
const EXIT_AFTER_SHUTDOWN: Duration = Duration::from_millis(200);

/// Sends Shutdown, then asserts the process exits 0 within the bound and removed its socket
/// directory, and that stdout held nothing but the handshake line.
async fn shutdown_and_check_exit(plugin: &mut Plugin, channel: Channel) {
    let mut controller = GrpcControllerClient::new(channel);
    let reply = tokio::time::timeout(GUARD, controller.shutdown(Empty {})).await;
    assert!(
        matches!(reply, Ok(Ok(_))),
        "Shutdown must be answered: {reply:?}"
    );
    let exited = tokio::time::timeout(EXIT_AFTER_SHUTDOWN, plugin.child.wait()).await;
    let status = match exited {
        Ok(Ok(status)) => status,
        other => panic!("process still running {EXIT_AFTER_SHUTDOWN:?} after Shutdown: {other:?}"),
    };
    assert!(status.success(), "exit status after Shutdown: {status}");
    assert!(
        !plugin.socket_dir().exists(),
        "socket directory left behind"
    );
    assert_eq!(
        plugin.rest_of_stdout().await,
        "",
        "stdout must carry only the handshake"
    );
}

#[tokio::test]
async fn mtls_handshake_services_and_prompt_exit_on_shutdown() {
    let client = ClientIdentity::terraform_like();
    let mut plugin = Plugin::start(Some(&client)).await;

    let hs = &plugin.handshake;
    assert_eq!(plugin.handshake_line.trim_end().split('|').count(), 6);
    assert_eq!(
        (
            hs.core.as_str(),
            hs.app.as_str(),
            hs.network.as_str(),
            hs.protocol.as_str()
        ),
        ("1", "6", "unix", "grpc")
    );
    let cert_field = plugin
        .handshake_line
        .trim_end()
        .rsplit('|')
        .next()
        .unwrap_or_default();
    assert!(
        cert_field.len() > 50 && !cert_field.contains('='),
        "unpadded base64 DER"
    );
    let server_cert = hs
        .server_cert
        .clone()
        .unwrap_or_else(|| panic!("no server cert"));
    let mut roots = rustls::RootCertStore::empty();
    assert!(
        roots.add(server_cert).is_ok(),
        "server certificate must parse as X.509"
    );

    let dir_mode = std::fs::metadata(plugin.socket_dir()).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(
        dir_mode.ok(),
        Some(0o700),
        "socket directory must be private"
    );

    let channel = plugin
        .connect(Some(&client))
        .await
        .unwrap_or_else(|e| panic!("mTLS: {e}"));
    assert!(
        plugin_is_serving(channel.clone()).await.unwrap_or(false),
        "health: plugin SERVING"
    );

    // Terraform opens StreamStdio right after connecting; it must stay silent and end at
    // shutdown (checked below).
    let mut stdio = GrpcStdioClient::new(channel.clone())
        .stream_stdio(GoogleEmpty {})
        .await
        .unwrap_or_else(|e| panic!("StreamStdio: {e}"))
        .into_inner();

    // Ctrl-C reaches the whole process group; the provider must survive it.
    let pid = plugin
        .child
        .id()
        .unwrap_or_else(|| panic!("child has a pid"));
    send_signal(pid, "INT");
    assert!(
        plugin_is_serving(channel.clone()).await.unwrap_or(false),
        "alive after SIGINT"
    );
    assert!(
        plugin_is_serving(channel.clone()).await.unwrap_or(false),
        "still alive"
    );

    shutdown_and_check_exit(&mut plugin, channel).await;
    let end = tokio::time::timeout(GUARD, stdio.message()).await;
    assert!(
        matches!(end, Ok(Ok(None))),
        "StreamStdio must end cleanly at shutdown: {end:?}"
    );
}

#[tokio::test]
async fn tfplugin6_rpcs_over_mtls() {
    let client = ClientIdentity::terraform_like();
    let mut plugin = Plugin::start(Some(&client)).await;
    let channel = plugin
        .connect(Some(&client))
        .await
        .unwrap_or_else(|e| panic!("mTLS: {e}"));
    let mut provider = ProviderClient::new(channel.clone());

    let schema = provider
        .get_provider_schema(tf::get_provider_schema::Request {})
        .await
        .unwrap_or_else(|e| panic!("GetProviderSchema: {e}"))
        .into_inner();
    assert!(schema.provider.is_some(), "provider schema must be present");
    assert!(
        schema.resource_schemas.contains_key("ehpc_app_sync"),
        "{:?}",
        schema.resource_schemas.keys()
    );
    let caps = schema.server_capabilities.unwrap_or_default();
    assert!(
        caps.plan_destroy && caps.get_provider_schema_optional,
        "{caps:?}"
    );

    let data = provider
        .validate_data_resource_config(tf::validate_data_resource_config::Request {
            type_name: "ehpc_nothing".into(),
            config: None,
        })
        .await
        .unwrap_or_else(|e| panic!("ValidateDataResourceConfig: {e}"))
        .into_inner();
    assert_eq!(data.diagnostics.len(), 1);
    assert_eq!(
        data.diagnostics[0].severity,
        tf::diagnostic::Severity::Error as i32
    );
    assert_eq!(data.diagnostics[0].summary, "Unknown data source type");

    let read = provider
        .read_data_source(tf::read_data_source::Request {
            type_name: "ehpc_nothing".into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("ReadDataSource: {e}"))
        .into_inner();
    let summaries: Vec<&str> = read
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Unknown data source type"]);
    assert!(read.state.is_none());

    let functions = provider.get_functions(tf::get_functions::Request {}).await;
    assert_eq!(
        functions.err().map(|s| s.code()),
        Some(tonic::Code::Unimplemented)
    );

    // Terraform 1.12 and later ask every provider for resource identities on each schema
    // load; an RPC this protocol version lacks must answer exactly UNIMPLEMENTED.
    let mut raw = tonic::client::Grpc::new(channel.clone());
    raw.ready()
        .await
        .unwrap_or_else(|e| panic!("channel ready: {e}"));
    let identities = raw
        .unary(
            tonic::Request::new(GoogleEmpty {}),
            tonic::codegen::http::uri::PathAndQuery::from_static(
                "/tfplugin6.Provider/GetResourceIdentitySchemas",
            ),
            tonic_prost::ProstCodec::<GoogleEmpty, GoogleEmpty>::default(),
        )
        .await;
    assert_eq!(
        identities.err().map(|s| s.code()),
        Some(tonic::Code::Unimplemented)
    );

    let stop = provider
        .stop_provider(tf::stop_provider::Request {})
        .await
        .unwrap_or_else(|e| panic!("StopProvider: {e}"))
        .into_inner();
    assert_eq!(stop.error, "");

    shutdown_and_check_exit(&mut plugin, channel).await;
}

#[tokio::test]
async fn only_the_pinned_client_certificate_is_accepted() {
    let client = ClientIdentity::terraform_like();
    let stranger = ClientIdentity::terraform_like();
    let mut plugin = Plugin::start(Some(&client)).await;

    let cases: [(&str, Option<&ClientIdentity>); 2] = [
        ("different P-521 certificate", Some(&stranger)),
        ("no client certificate", None),
    ];
    for (name, presented) in cases {
        // With TLS 1.3 the client may finish its side before the server rejects it, so the
        // refusal shows either at connect or on the first RPC.
        let refused = match plugin.connect(presented).await {
            Err(_) => true,
            Ok(channel) => plugin_is_serving(channel).await.is_err(),
        };
        assert!(refused, "{name}: must be refused");
    }

    // A refused handshake only drops that connection; the right client is still served.
    let channel = plugin
        .connect(Some(&client))
        .await
        .unwrap_or_else(|e| panic!("mTLS: {e}"));
    assert!(plugin_is_serving(channel.clone()).await.unwrap_or(false));
    shutdown_and_check_exit(&mut plugin, channel).await;
}

#[tokio::test]
async fn plaintext_when_terraform_disables_tls() {
    let mut plugin = Plugin::start(None).await;
    assert!(
        plugin.handshake_line.ends_with("|grpc|\n"),
        "{:?}",
        plugin.handshake_line
    );
    assert!(plugin.handshake.server_cert.is_none());
    let channel = plugin
        .connect(None)
        .await
        .unwrap_or_else(|e| panic!("plaintext: {e}"));
    assert!(plugin_is_serving(channel.clone()).await.unwrap_or(false));
    shutdown_and_check_exit(&mut plugin, channel).await;
}

#[tokio::test]
async fn refuses_to_start_outside_terraform() {
    let cases = [
        ("no cookie", None, "5,6", "not meant to be run directly"),
        (
            "wrong cookie",
            Some("0123"),
            "5,6",
            "not meant to be run directly",
        ),
        (
            "protocol 5 only",
            Some(MAGIC_COOKIE_VALUE),
            "5",
            "protocol 6",
        ),
    ];
    for (name, cookie, protocols, message) in cases {
        let mut cmd = plugin_command();
        cmd.env("PLUGIN_PROTOCOL_VERSIONS", protocols);
        if let Some(cookie) = cookie {
            cmd.env(MAGIC_COOKIE_KEY, cookie);
        }
        let out = tokio::time::timeout(GUARD, cmd.output())
            .await
            .unwrap_or_else(|_| panic!("{name}: did not exit"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            out.stdout.is_empty(),
            "{name}: stdout {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{name}: stderr {stderr:?}");
    }
}

#[tokio::test]
async fn version_flag_prints_the_version() {
    let out = tokio::time::timeout(GUARD, plugin_command().arg("--version").output())
        .await
        .unwrap_or_else(|_| panic!("did not exit"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let want = format!("terraform-provider-ehpc {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

#[tokio::test]
async fn debug_mode_prints_reattach_config_and_stops_on_sigterm() {
    use tokio::io::AsyncBufReadExt;
    let mut child = plugin_command()
        .arg("--debug")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = child.id().unwrap_or_else(|| panic!("child has a pid"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("stdout is piped"));
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let mut read = Vec::new();
    for _ in 0..4 {
        let line = tokio::time::timeout(GUARD, lines.next_line()).await;
        match line {
            Ok(Ok(Some(l))) => read.push(l),
            other => panic!("reading the reattach message: {other:?} after {read:?}"),
        }
    }
    assert!(read[0]
        .starts_with("Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS"));
    assert_eq!((read[1].as_str(), read[3].as_str()), ("", ""), "{read:?}");
    let json = read[2]
        .strip_prefix("\tTF_REATTACH_PROVIDERS='")
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or_else(|| panic!("assignment line: {:?}", read[2]));
    let config: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("reattach JSON {json}: {e}"));
    let p = &config["terraform.local/ehpc/ehpc"];
    assert_eq!(p["Protocol"], "grpc");
    assert_eq!(p["ProtocolVersion"], 6);
    assert_eq!(p["Test"], true);
    assert_eq!(p["Pid"], pid);
    assert_eq!(p["Addr"]["Network"], "unix");
    let address = std::path::PathBuf::from(p["Addr"]["String"].as_str().unwrap_or_default());

    let channel = connect(&address, None)
        .await
        .unwrap_or_else(|e| panic!("plaintext: {e}"));
    assert!(plugin_is_serving(channel).await.unwrap_or(false));

    send_signal(pid, "TERM");
    let status = tokio::time::timeout(GUARD, child.wait())
        .await
        .unwrap_or_else(|_| panic!("still running after SIGTERM"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "{status}");
    assert!(!address.exists(), "socket left behind");
    let rest = tokio::time::timeout(GUARD, lines.next_line()).await;
    assert!(
        matches!(rest, Ok(Ok(None))),
        "nothing more on stdout: {rest:?}"
    );
}
