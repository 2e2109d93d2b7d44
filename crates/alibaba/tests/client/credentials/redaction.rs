// SPDX-License-Identifier: MPL-2.0
//! A run through every source (an `External` profile's command and `CloudSSO` and `OAuth`
//! profiles included) whose log output, errors and Debug output are searched for secrets.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ehpc_alibaba::credentials::{AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig};

use crate::credentials::external::{external_profiles, Tool};
use crate::credentials::fake_server::{attrs, Server, PROFILES};
use crate::credentials::fake_sign_in::{
    in_an_hour, oauth_profile, profiles, sso_profile, unix_from_now, OAUTH_PATH, OAUTH_REFRESH,
    OAUTH_TOKEN, SSO_TOKEN,
};

/// Collects every event and span field into one string.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut out = self.0.lock().unwrap();
        let _ = write!(
            out,
            "{} {}: ",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut out));
        out.push('\n');
    }
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        attrs.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
}

#[tokio::test]
async fn no_secret_in_logs_errors_or_debug() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let token_file = srv.home.path().join("oidc");
    std::fs::write(&token_file, "oidc-jwt-from-file").unwrap();
    let mut out = String::new();
    let empty = Some(srv.write_file("empty.json", r#"{"profiles": []}"#));
    // External profiles: one whose tool answers, one whose tool fails after printing a key.
    let (ok, failing) = (Tool::new(&srv, "ext-ok"), Tool::new(&srv, "ext-fail"));
    ok.answer(
        r#"{"mode": "StsToken", "access_key_id": "STS.external1",
            "access_key_secret": "ext-out-secret", "sts_token": "ext-out-token",
            "expiration": "2999-01-01T00:00:00Z"}"#,
        "",
        0,
    );
    failing.answer(
        r#"{"access_key_id": "LTAIexternal2", "access_key_secret": "ext-stdout-secret"}"#,
        "the tool failed\n",
        1,
    );
    let (ok_command, failing_command) = (
        ok.command("--token ext-arg-secret"),
        failing.command("--token 'ext-arg-secret'"),
    );
    let external = |profile: &str| {
        external_profiles(
            &srv,
            &[("ext-ok", &ok_command), ("ext-fail", &failing_command)],
            &[],
            profile,
        )
    };
    // Sign-in profiles: one exchange that works, one the OAuth service refuses, one expired.
    let expired = serde_json::json!(unix_from_now(-60));
    let sign_in_file = [
        sso_profile(&srv, "sso", &in_an_hour()),
        sso_profile(&srv, "sso-old", &expired),
        oauth_profile("o", "INTL", &in_an_hour()),
    ];
    let sign_in = |profile: &str| profiles(&srv, &sign_in_file, profile).0;
    srv.answer_sign_in(
        OAUTH_PATH,
        axum::http::StatusCode::UNAUTHORIZED,
        r#"{"ErrorCode": "InvalidAccessToken"}"#,
    );
    let role = AssumeRoleConfig {
        role_arn: "acs:ram::1:role/x".into(),
        ..Default::default()
    };
    let configs: Vec<(CredentialConfig, Vec<(&str, &str)>)> = vec![
        (
            CredentialConfig {
                assume_role: Some(role.clone()),
                security_token: Some("attr-token-xyz".into()),
                ..attrs()
            },
            vec![],
        ),
        // Unknown key: STS answers SignatureDoesNotMatch-like errors that must not echo the token.
        (
            CredentialConfig {
                assume_role: Some(role.clone()),
                ..Default::default()
            },
            vec![
                ("ALICLOUD_ACCESS_KEY", "LTAIenv00001"),
                ("ALICLOUD_SECRET_KEY", "wrong-secret-abc"),
                ("ALICLOUD_SECURITY_TOKEN", "env-token-xyz"),
            ],
        ),
        (
            CredentialConfig {
                profile: Some("role".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                ecs_role_name: Some("instance-role".into()),
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                profile: Some("sts".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                credentials_uri: Some(format!("{}?token=uri-query-secret", srv.uri())),
                profile: Some("ecs".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                credentials_uri: Some(format!("{}?token=uri-query-secret", srv.uri())),
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    role_arn: "acs:ram::1:role/ci".into(),
                    oidc_provider_arn: "p".into(),
                    oidc_token: Some("bad-oidc-inline-secret".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    role_arn: "acs:ram::1:role/ci".into(),
                    oidc_provider_arn: "p".into(),
                    oidc_token_file: Some(token_file.to_string_lossy().into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            vec![],
        ),
        (external("ext-ok"), vec![]),
        (external("ext-fail"), vec![]),
        (sign_in("sso"), vec![]),
        (sign_in("sso-old"), vec![]),
        (sign_in("o"), vec![]),
    ];
    let mut successes = 0;
    let mut failures = 0;
    for (config, vars) in configs {
        let env = srv.env(&vars);
        let _ = writeln!(out, "{config:?} {env:?}");
        let resolved = srv.resolve(&config, &env).await;
        let _ = writeln!(out, "{resolved:?}");
        match resolved {
            Ok(r) => match r.provider.credentials().await {
                Ok(c) => {
                    successes += 1;
                    let _ = writeln!(out, "{c:?} {}", r.provider.source());
                }
                Err(e) => {
                    failures += 1;
                    let _ = writeln!(out, "{e} {e:?}");
                }
            },
            Err(e) => {
                failures += 1;
                let _ = writeln!(out, "{e} {e:?}");
            }
        }
    }
    assert!(
        (successes, failures) == (9, 5),
        "the run must exercise both paths ({successes}/{failures}):\n{out}"
    );
    assert!(
        out.contains("failed (exit status: 1); stderr: the tool failed"),
        "the failing External profile must fail in its tool:\n{out}"
    );
    for want in ["HTTP 401", "the sign-in saved in profile \"sso-old\""] {
        assert!(out.contains(want), "{want:?} in:\n{out}");
    }
    let logs = capture.0.lock().unwrap().clone();
    assert!(
        logs.contains("credentials resolved") && logs.contains("calling STS AssumeRole"),
        "{logs}"
    );
    let secrets = [
        "secret-attr-0001",
        "secret-env-00001",
        "secret-profile-1",
        "secret-profile-2",
        "wrong-secret-abc",
        "attr-token-xyz",
        "env-token-xyz",
        "profile-token-2",
        "assumed-secret",
        "assumed-token",
        "ecs-secret",
        "ecs-token",
        "uri-secret",
        "uri-token",
        "oidc-secret",
        "oidc-token-",
        "uri-query-secret",
        "oidc-jwt-from-file",
        "bad-oidc-inline-secret",
        "imds-session-token",
        "ext-arg-secret",
        "ext-out-secret",
        "ext-out-token",
        "ext-stdout-secret",
        SSO_TOKEN,
        OAUTH_TOKEN,
        OAUTH_REFRESH,
        "sso-secret",
        "sso-token-",
    ];
    for s in secrets {
        assert!(!logs.contains(s), "{s} in logs:\n{logs}");
        assert!(!out.contains(s), "{s} in errors or Debug output:\n{out}");
    }
    // Access key ids appear masked only.
    assert!(
        !logs.contains("LTAIprofile1") && logs.contains("LTA***le1"),
        "{logs}"
    );
    assert!(Path::new(&token_file).exists());
}
