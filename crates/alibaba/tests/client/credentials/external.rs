// SPDX-License-Identifier: MPL-2.0
//! aliyun CLI profiles of mode `External`, with a real process: a small `#!/bin/sh` tool that
//! answers what the test put in its directory and records each run and its arguments there.
//!
//! The tool is one script, written once per test binary before any test runs it: exec'ing a
//! file that a parallel test has just written can fail with ETXTBSY (another thread's fork may
//! still hold the writer's descriptor). Each test gets its own data directory instead.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use ehpc_alibaba::credentials::{CredentialConfig, ResolveOptions};
use serde_json::json;

use crate::credentials::fake_server::Server;

const TOOL: &str = r#"#!/bin/sh
# A fake credentials tool. $1 is a directory saying what to do; the other arguments are
# recorded, one a line, in $1/args. Each run appends a line to $1/runs. With $1/hang it writes
# its pid to $1/pid and sleeps; otherwise it copies $1/stderr and $1/stdout and exits with the
# status in $1/status (default 0).
dir=$1
shift
echo run >> "$dir/runs"
printf '%s\n' "$@" > "$dir/args"
if [ -f "$dir/hang" ]; then
  echo $$ > "$dir/pid"
  exec sleep 600
fi
if [ -f "$dir/stderr" ]; then cat "$dir/stderr" >&2; fi
if [ -f "$dir/stdout" ]; then cat "$dir/stdout"; fi
if [ -f "$dir/status" ]; then exit "$(cat "$dir/status")"; fi
exit 0
"#;

/// The fake tool's path, written (0755) at the first call.
fn tool_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("alibaba_credentials");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("fake-credentials-tool.sh");
        // Written aside and renamed: another test binary may be running it.
        let aside = dir.join(format!("fake-credentials-tool.sh.{}", std::process::id()));
        std::fs::write(&aside, TOOL).unwrap();
        std::fs::set_permissions(&aside, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::rename(&aside, &path).unwrap();
        path
    })
}

/// One use of the fake tool: its data directory.
pub(super) struct Tool {
    dir: PathBuf,
}

impl Tool {
    /// A fresh data directory `name` under the server's temporary HOME.
    pub(super) fn new(srv: &Server, name: &str) -> Tool {
        let dir = srv.home.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        Tool { dir }
    }

    /// A `process_command` running the tool with `args` (shell syntax) after its directory.
    pub(super) fn command(&self, args: &str) -> String {
        format!(
            "'{}' '{}' {args}",
            tool_path().display(),
            self.dir.display()
        )
    }

    /// What the next runs print and exit with.
    pub(super) fn answer(&self, stdout: &str, stderr: &str, status: u8) -> &Self {
        std::fs::write(self.dir.join("stdout"), stdout).unwrap();
        std::fs::write(self.dir.join("stderr"), stderr).unwrap();
        std::fs::write(self.dir.join("status"), status.to_string()).unwrap();
        self
    }

    fn hang(&self) {
        std::fs::write(self.dir.join("hang"), "").unwrap();
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file)).unwrap_or_default()
    }

    pub(super) fn runs(&self) -> usize {
        self.read("runs").lines().count()
    }

    fn args(&self) -> Vec<String> {
        self.read("args").lines().map(str::to_string).collect()
    }
}

/// Writes a CLI file whose profiles are `External` with these commands (name, command) plus
/// `more`, and returns the config selecting `profile` in it.
pub(super) fn external_profiles(
    srv: &Server,
    commands: &[(&str, &str)],
    more: &[serde_json::Value],
    profile: &str,
) -> CredentialConfig {
    let mut profiles: Vec<serde_json::Value> = commands
        .iter()
        .map(
            |(name, command)| json!({"name": name, "mode": "External", "process_command": command}),
        )
        .collect();
    profiles.extend(more.iter().cloned());
    let text = json!({ "current": "", "profiles": profiles }).to_string();
    CredentialConfig {
        profile: Some(profile.into()),
        shared_credentials_file: Some(srv.write_file("external.json", &text)),
        ..Default::default()
    }
}

const AK: &str =
    r#"{"mode": "AK", "access_key_id": "LTAIexternal1", "access_key_secret": "ext-secret-1"}"#;

#[tokio::test]
async fn ak_output_is_used_and_nothing_runs_at_resolve_time() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(AK, "", 0);
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert_eq!(
        tool.runs(),
        0,
        "resolve (configure, plan) starts no process"
    );
    assert!(
        r.source.starts_with(&format!(
            "process_command {:?} of profile \"ext\" in ",
            tool_path()
        )),
        "{}",
        r.source
    );
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.access_key_secret.as_str()),
        ("LTAIexternal1", "ext-secret-1")
    );
    assert_eq!((c.security_token, c.expiration), (None, None));
    assert_eq!(tool.runs(), 1);
}

#[tokio::test]
async fn sts_token_output_carries_the_token() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(
        r#"{"mode": "StsToken", "access_key_id": "STS.ext", "access_key_secret": "ext-secret-2",
            "sts_token": "ext-token-2"}"#,
        "",
        0,
    );
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let c = srv.credentials(&config, &srv.env(&[])).await;
    assert_eq!(c.access_key_id, "STS.ext");
    assert_eq!(c.security_token.as_deref(), Some("ext-token-2"));
}

#[tokio::test]
async fn quoted_arguments_reach_the_command_whole_and_unexpanded() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(AK, "", 0);
    let command = tool.command(r#""one two" 'three  four' five\ six '$HOME' "a\"b""#);
    let config = external_profiles(&srv, &[("ext", &command)], &[], "ext");
    srv.credentials(&config, &srv.env(&[])).await;
    assert_eq!(
        tool.args(),
        ["one two", "three  four", "five six", "$HOME", "a\"b"]
    );
}

#[tokio::test]
async fn with_a_far_expiration_the_command_runs_once() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(
        r#"{"mode": "StsToken", "access_key_id": "STS.ext", "access_key_secret": "s",
            "sts_token": "t", "expiration": "2999-01-01T00:00:00Z"}"#,
        "",
        0,
    );
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let provider = srv.resolve(&config, &srv.env(&[])).await.unwrap().provider;
    // Concurrent first users share one run.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let p = Arc::clone(&provider);
            tokio::spawn(async move { p.credentials().await })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().unwrap().expiration.is_some());
    }
    for _ in 0..3 {
        provider.credentials().await.unwrap();
    }
    assert_eq!(tool.runs(), 1);
}

#[tokio::test]
async fn without_expiration_the_command_runs_at_every_fetch() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(AK, "", 0);
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let provider = srv.resolve(&config, &srv.env(&[])).await.unwrap().provider;
    for n in 1..=3 {
        provider.credentials().await.unwrap();
        assert_eq!(tool.runs(), n);
    }
}

#[tokio::test]
async fn a_failing_command_reports_its_stderr_but_never_its_stdout() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(
        r#"{"access_key_id": "LTAIx", "access_key_secret": "stdout-secret-1"}"#,
        "session expired: run `login-tool`\n",
        7,
    );
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let file = config.shared_credentials_file.clone().unwrap();
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let err = r.provider.credentials().await.unwrap_err().to_string();
    for want in [
        format!("of profile \"ext\" in {file}"),
        "failed (exit status: 7); stderr: session expired: run `login-tool`".to_string(),
    ] {
        assert!(err.contains(&want), "{want:?} in {err}");
    }
    assert!(!err.contains("stdout-secret-1"), "{err}");
}

#[tokio::test]
async fn invalid_json_is_reported_without_the_output() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer("access_key_secret=stdout-secret-2\n", "", 0);
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(
        err.contains("profile \"ext\"") && err.contains("is not valid credentials JSON"),
        "{err}"
    );
    assert!(!err.contains("stdout-secret-2"), "{err}");
}

#[tokio::test]
async fn a_missing_or_unsplittable_command_fails_at_configure_time() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.answer(AK, "", 0);
    let open_quote = tool.command("--key 'arg-secret-3");
    let commands = [("blank", "  "), ("open-quote", open_quote.as_str())];
    let more = [json!({"name": "none", "mode": "External"})];
    for (profile, want) in [
        ("none", "has mode External but no process_command"),
        ("blank", "has mode External but no process_command"),
        (
            "open-quote",
            "has a process_command that cannot be split into arguments: a single quote is not \
             closed",
        ),
    ] {
        let config = external_profiles(&srv, &commands, &more, profile);
        let file = config.shared_credentials_file.clone().unwrap();
        let err = srv.resolve_error(&config, &srv.env(&[])).await;
        let named = format!("profile {profile:?} in {file} {want}");
        assert!(err.contains(&named), "{named:?} in {err}");
        assert!(!err.contains("arg-secret-3"), "{err}");
    }
    assert_eq!(tool.runs(), 0);
}

#[tokio::test]
async fn the_timeout_kills_the_command() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    tool.hang();
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[], "ext");
    let options = ResolveOptions {
        process_timeout: Duration::from_secs(2),
    };
    let r = srv
        .resolve_with(&config, &srv.env(&[]), &options)
        .await
        .unwrap();
    let started = Instant::now();
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the tool sleeps 600 s"
    );
    assert!(
        err.contains("of profile \"ext\"")
            && err.contains("did not finish within 2s and was killed"),
        "{err}"
    );
    // Killed and reaped before the error was returned.
    let pid = tool.read("pid");
    let pid = pid.trim();
    assert!(!pid.is_empty(), "the tool started");
    let alive = std::process::Command::new("/bin/sh")
        .args(["-c", &format!("kill -0 {pid} 2>/dev/null")])
        .status()
        .unwrap()
        .success();
    assert!(!alive, "process {pid} still exists");
}

#[tokio::test]
async fn an_external_profile_can_be_the_source_of_a_chainable_one() {
    let srv = Server::default().await;
    let tool = Tool::new(&srv, "t");
    // A key the fake STS knows, so that it can check the signature.
    tool.answer(
        r#"{"mode": "AK", "access_key_id": "LTAIprofile1",
            "access_key_secret": "secret-profile-1"}"#,
        "",
        0,
    );
    let hop = json!({"name": "hop", "mode": "ChainableRamRoleArn", "source_profile": "ext",
        "ram_role_arn": "acs:ram::1:role/after-external"});
    let config = external_profiles(&srv, &[("ext", &tool.command(""))], &[hop], "hop");
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert_eq!(
        (tool.runs(), srv.sts_calls().len()),
        (0, 0),
        "resolve runs nothing"
    );
    assert!(
        r.source
            .contains("profile \"ext\", source_profile of profile \"hop\" in "),
        "{}",
        r.source
    );
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.assumed000001");
    let calls = srv.sts_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (
            calls[0]["AccessKeyId"].as_str(),
            calls[0]["RoleArn"].as_str()
        ),
        ("LTAIprofile1", "acs:ram::1:role/after-external")
    );
    assert_eq!(tool.runs(), 1);
}
