// SPDX-License-Identifier: MPL-2.0
//! End-to-end tests of how the provider block gets its credentials and region, with the real
//! `terraform` CLI against the emulator: an empty block configured only from environment
//! variables (current and legacy names), aliyun CLI profiles (a `ChainableRamRoleArn` chain, an
//! `External` credentials command, `CloudSSO` and `OAuth` sign-ins), and the errors when no
//! region is found anywhere or a sign-in has expired.

use crate::support::{hcl, owned, Emulator, TfDir, ACCESS_KEY, REGION, SECRET_KEY};

const APP: &str = "ci-vm-e2eConfig01";
const ADDR: &str = "ehpc_app_sync.x";

/// A working directory whose provider block is empty, so the provider is configured from the
/// environment; the API endpoint is `emu`'s and main.tf holds `x` syncing APP to one region.
fn env_only_tf(emu: &Emulator) -> TfDir {
    let mut tf = TfDir::new();
    tf.env("ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT", &emu.url);
    tf.main_tf(&format!(
        "{}{}",
        hcl::provider_from_env(),
        hcl::app_sync("x", APP, Some(&["ap-southeast-1"]))
    ));
    tf
}

/// Writes `profiles` as the aliyun CLI configuration file of `tf` and selects `profile`.
fn use_profiles(tf: &mut TfDir, profiles: &serde_json::Value, profile: &str) {
    let file = tf.dir().join("aliyun-config.json");
    std::fs::write(&file, profiles.to_string()).expect("write the profiles");
    // As `aliyun configure` leaves it: an External profile runs only from a private file.
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod the profiles");
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        &file.display().to_string(),
    )
    .env("ALIBABA_CLOUD_PROFILE", profile);
}

/// The emulator's records of `action` among `calls`.
fn of_action<'a>(calls: &'a [serde_json::Value], action: &str) -> Vec<&'a serde_json::Value> {
    calls.iter().filter(|c| c["action"] == action).collect()
}

/// Asserts that `calls` hold one SynchronizeApp, answered 200 and signed with `whose`
/// temporary (`STS.`) key.
fn assert_one_sync_signed_with_a_temporary_key(calls: &[serde_json::Value], whose: &str) {
    let synced = of_action(calls, "SynchronizeApp");
    assert_eq!(synced.len(), 1, "{calls:?}");
    assert_eq!(synced[0]["status"], 200, "{calls:?}");
    let signer = synced[0]["access_key_id"].as_str().unwrap_or_default();
    assert!(
        signer.starts_with("STS."),
        "SynchronizeApp is signed with {whose} temporary key, not {signer:?}"
    );
}

/// Applies the [`env_only_tf`] configuration with `env` set.
fn apply_with_env_only(env: &[(&str, &str)], region: &str) {
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = env_only_tf(&emu);
    for (k, v) in env {
        tf.env(k, v);
    }
    tf.apply();
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].ok(), "{calls:?}");
    assert_eq!(calls[0].regions, Some(owned(&["ap-southeast-1"])));
    assert_eq!(tf.state_of(ADDR)["region"], region);
    tf.assert_empty_plan();
}

#[test]
fn provider_configured_only_from_environment_variables() {
    if !crate::support::terraform_available() {
        return;
    }
    apply_with_env_only(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET_KEY),
            ("ALIBABA_CLOUD_REGION", "cn-beijing"),
        ],
        "cn-beijing",
    );
}

#[test]
fn provider_configured_only_from_legacy_alicloud_variables() {
    if !crate::support::terraform_available() {
        return;
    }
    apply_with_env_only(
        &[
            ("ALICLOUD_ACCESS_KEY", ACCESS_KEY),
            ("ALICLOUD_SECRET_KEY", SECRET_KEY),
            ("ALICLOUD_REGION", "cn-shanghai"),
        ],
        "cn-shanghai",
    );
}

#[test]
fn provider_configured_from_a_chainable_profile_assumes_its_role() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = env_only_tf(&emu);
    let profiles = serde_json::json!({"profiles": [
        {"name": "base", "mode": "AK", "access_key_id": ACCESS_KEY,
         "access_key_secret": SECRET_KEY},
        {"name": "deploy", "mode": "ChainableRamRoleArn", "source_profile": "base",
         "ram_role_arn": "acs:ram::1234567890:role/deployer", "region_id": "cn-beijing"},
    ]});
    use_profiles(&mut tf, &profiles, "deploy");
    tf.env("ALIBABA_CLOUD_ENDPOINT_STS", &emu.url);
    tf.plan();
    assert!(emu.calls().is_empty(), "plan calls neither STS nor the API");
    tf.apply();

    let calls = emu.calls();
    let assumed = of_action(&calls, "AssumeRole");
    assert_eq!(assumed.len(), 1, "one role hop: {calls:?}");
    assert_eq!(
        assumed[0]["access_key_id"], ACCESS_KEY,
        "signed by the source profile"
    );
    assert_one_sync_signed_with_a_temporary_key(&calls, "the role's");
    assert_eq!(
        tf.state_of(ADDR)["region"],
        "cn-beijing",
        "the region comes from the selected profile"
    );
    tf.assert_empty_plan();
}

#[test]
fn provider_configured_from_an_external_profile_runs_its_command_at_apply_only() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = env_only_tf(&emu);
    // The credentials tool: records each run, prints the emulator's key pair as JSON.
    let runs = tf.dir().join("tool-runs");
    let tool = tf.dir().join("credentials tool.sh");
    let answer = serde_json::json!({
        "mode": "AK", "access_key_id": ACCESS_KEY, "access_key_secret": SECRET_KEY,
    });
    let script = format!(
        "#!/bin/sh\necho \"$1\" >> '{}'\necho '{answer}'\n",
        runs.display()
    );
    std::fs::write(&tool, script).expect("write the tool");
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&tool, mode).expect("chmod the tool");
    // A path with a space, quoted as in sh, and one argument.
    let command = format!("'{}' --profile=ci", tool.display());
    let profiles = serde_json::json!({"profiles": [
        {"name": "ext", "mode": "External", "process_command": command,
         "region_id": REGION},
    ]});
    use_profiles(&mut tf, &profiles, "ext");
    let tool_runs = || std::fs::read_to_string(&runs).unwrap_or_default();

    tf.plan();
    assert_eq!(
        tool_runs(),
        "",
        "a plan with nothing to refresh runs no credentials command"
    );
    tf.apply();
    // The answer has no expiration, so the command runs at every use: once per call
    // (ListImages, GetImage, SynchronizeApp, GetImage), each time with its argument.
    let runs_for = |calls: usize| "--profile=ci\n".repeat(calls);
    assert_eq!(tool_runs(), runs_for(emu.calls().len()));
    let calls = emu.sync_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].ok(),
        "signed with the key the command printed: {calls:?}"
    );
    assert_eq!(tf.state_of(ADDR)["region"], REGION);
    tf.assert_empty_plan();
    assert_eq!(
        tool_runs(),
        runs_for(emu.calls().len()),
        "the next plan's refresh reads with the command's key too"
    );
    assert_eq!(emu.sync_calls().len(), 1, "and synchronizes nothing");
}

#[test]
fn missing_region_is_an_error_saying_where_it_was_looked_for() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = env_only_tf(&emu);
    tf.env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET_KEY);
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let errors = out.diagnostics("Error");
    assert!(
        errors.iter().any(|e| e.contains("ALIBABA_CLOUD_REGION")),
        "the error names where the region was looked for: {errors:?}"
    );
    assert!(emu.sync_calls().is_empty(), "no call without a region");
}

/// Unix seconds `offset` from now, as the aliyun CLI writes token expiries.
fn unix_in(offset: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    now + offset
}

/// Plans (no exchange may happen), applies (exactly one exchange, recorded as `exchange`,
/// whose credentials sign the SynchronizeApp call), then plans again: its refresh exchanges
/// once more (a new provider process) and only reads.
fn apply_with_sign_in_profile(emu: &Emulator, tf: &TfDir, exchange: &str) {
    tf.plan();
    assert!(
        emu.calls().is_empty(),
        "a plan with nothing to refresh exchanges no token"
    );
    tf.apply();
    let calls = emu.calls();
    let exchanged = of_action(&calls, exchange);
    assert_eq!(exchanged.len(), 1, "one exchange: {calls:?}");
    assert_eq!(exchanged[0]["status"], 200, "{calls:?}");
    assert_one_sync_signed_with_a_temporary_key(&calls, "the exchanged");
    assert_eq!(tf.state_of(ADDR)["region"], REGION);
    tf.assert_empty_plan();
    let later = emu.calls().split_off(calls.len());
    let actions: Vec<&str> = later.iter().filter_map(|c| c["action"].as_str()).collect();
    // The state records the image id and its private data the ImageType GetImage must send:
    // the refresh reads the copies without a ListImages pass.
    let refresh = [exchange, "GetImage"];
    assert_eq!(actions, refresh, "the refresh: {later:?}");
}

/// An emulator accepting the CloudSSO access `token`, and a working directory using its
/// `sso` profile holding that token, which expires `expire_in` seconds from now.
fn cloud_sso_tf(token: &str, expire_in: i64) -> (Emulator, TfDir) {
    let emu = Emulator::start(&[APP], &["--sso-token", token]);
    let mut tf = env_only_tf(&emu);
    let profiles = serde_json::json!({"profiles": [
        {"name": "sso", "mode": "CloudSSO", "region_id": REGION,
         "cloud_sso_sign_in_url": format!("{}/device/login", emu.url),
         "cloud_sso_account_id": "1234567890", "cloud_sso_access_config": "ac-deploy",
         "access_token": token, "cloud_sso_access_token_expire": unix_in(expire_in)},
    ]});
    use_profiles(&mut tf, &profiles, "sso");
    (emu, tf)
}

#[test]
fn provider_configured_from_a_cloud_sso_profile_exchanges_its_token_at_apply_only() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = cloud_sso_tf("sso-e2e-token", 3600);
    apply_with_sign_in_profile(&emu, &tf, "CloudSSO.CreateCloudCredential");
}

#[test]
fn provider_configured_from_an_oauth_profile_exchanges_its_token_at_apply_only() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &["--oauth-token", "oauth-e2e-token"]);
    let mut tf = env_only_tf(&emu);
    let profiles = serde_json::json!({"profiles": [
        {"name": "web", "mode": "OAuth", "region_id": REGION, "oauth_site_type": "INTL",
         "oauth_access_token": "oauth-e2e-token", "oauth_access_token_expire": unix_in(3600),
         "oauth_refresh_token": "never-used"},
    ]});
    use_profiles(&mut tf, &profiles, "web");
    tf.env("ALIBABA_CLOUD_ENDPOINT_OAUTH", &emu.url);
    apply_with_sign_in_profile(&emu, &tf, "OAuth.Exchange");
}

#[test]
fn an_expired_sign_in_fails_the_plan_with_the_command_that_signs_in_again() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = cloud_sso_tf("sso-old-token", -60);
    let out = tf.tf(&["plan", "-input=false"]).failure();
    let errors = out.diagnostics("Error");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("aliyun configure --profile sso --mode CloudSSO")),
        "the error says how to sign in again: {errors:?}"
    );
    assert!(
        errors.iter().all(|e| !e.contains("sso-old-token")),
        "{errors:?}"
    );
    assert!(emu.calls().is_empty(), "nothing is called");
}
