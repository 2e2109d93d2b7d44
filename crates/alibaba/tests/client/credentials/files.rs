// SPDX-License-Identifier: MPL-2.0
//! The files the chain reads: an `External` profile runs only from a file no one else can
//! write (a world- or group-writable one is refused, with the chmod that fixes it, before
//! anything runs); profile and OIDC token files are read only when regular and at most 1 MiB.

use std::os::unix::fs::PermissionsExt as _;

use ehpc_alibaba::credentials::{AssumeRoleWithOidcConfig, CredentialConfig};

use crate::credentials::external::{external_profiles, Tool};
use crate::credentials::fake_server::Server;

const AK: &str =
    r#"{"mode": "AK", "access_key_id": "LTAIexternal1", "access_key_secret": "ext-secret-1"}"#;

fn chmod(path: &str, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[tokio::test]
async fn a_world_or_group_writable_profile_file_never_runs_its_command() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(AK, "", 0);
    let hop = serde_json::json!({"name": "hop", "mode": "ChainableRamRoleArn",
        "source_profile": "ext", "ram_role_arn": "acs:ram::123456789012:role/hop"});
    for (profile, mode, want) in [
        ("ext", 0o666, "writable by others (mode 0666)"),
        ("ext", 0o660, "writable by its group (mode 0660)"),
        ("hop", 0o646, "writable by others (mode 0646)"),
    ] {
        let config = external_profiles(
            &srv,
            &[("ext", &tool.command(""))],
            std::slice::from_ref(&hop),
            profile,
        );
        let file = config.shared_credentials_file.clone().unwrap();
        chmod(&file, mode);
        let err = srv.resolve_error(&config, &srv.env(&[])).await;
        assert!(err.contains(want), "{profile} {mode:o}: {err}");
        assert!(err.contains(&format!("chmod go-w {file}")), "{err}");
        assert!(
            err.contains("profile \"ext\" in it runs its process_command"),
            "{err}"
        );
    }
    assert_eq!(tool.runs(), 0, "nothing ran");
    // The same file, private again: it runs.
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    chmod(config.shared_credentials_file.as_deref().unwrap(), 0o644);
    let got = srv.credentials(&config, &srv.env(&[])).await;
    assert_eq!(got.access_key_id, "LTAIexternal1");
    // A writable file whose profile runs nothing is read as before.
    let ak = serde_json::json!({"current": "k", "profiles": [{"name": "k", "mode": "AK",
        "access_key_id": "LTAIprofile1", "access_key_secret": "secret-profile-1"}]});
    let file = srv.write_file("ak.json", &ak.to_string());
    chmod(&file, 0o666);
    let config = CredentialConfig {
        shared_credentials_file: Some(file),
        ..Default::default()
    };
    assert_eq!(
        srv.credentials(&config, &srv.env(&[])).await.access_key_id,
        "LTAIprofile1"
    );
}

#[tokio::test]
async fn profile_and_token_files_must_be_regular_and_bounded() {
    let srv = Server::default().await;
    let fifo = srv.home.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let big = srv.write_file("big.json", &" ".repeat((1 << 20) + 1));
    for path in [fifo.display().to_string(), "/dev/zero".to_string(), big] {
        let config = CredentialConfig {
            shared_credentials_file: Some(path.clone()),
            ..Default::default()
        };
        let err = srv.resolve_error(&config, &srv.env(&[])).await;
        assert!(err.contains("cannot be read"), "{path}: {err}");
        assert!(
            err.contains("not a regular file") || err.contains("larger than"),
            "{err}"
        );

        let oidc = CredentialConfig {
            assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                role_arn: "acs:ram::123456789012:role/ci".into(),
                oidc_provider_arn: "acs:ram::123456789012:oidc-provider/gh".into(),
                oidc_token_file: Some(path.clone()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let r = srv
            .resolve(&oidc, &srv.env(&[]))
            .await
            .expect("resolve is local");
        let err = r.provider.credentials().await.unwrap_err().to_string();
        assert!(
            err.contains("OIDC token file") && err.contains("cannot be read"),
            "{err}"
        );
    }
    assert!(srv.sts_calls().is_empty(), "no token was sent");
}
