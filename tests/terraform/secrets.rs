// SPDX-License-Identifier: MPL-2.0
//! Secrets never leak (issue 8, SECURITY.md "What is logged and stored"): a full plan and
//! apply, and a failing apply (wrong secret -> SignatureDoesNotMatch, unknown app ->
//! ImageNotFound), all under TF_LOG=TRACE with TF_LOG_PATH, with credentials from an aliyun CLI
//! profile file (an AccessKey, an STS token issued by the emulator's STS) and an OIDC token
//! file. The secrets are kept out of the configuration on purpose: `terraform show -json`
//! prints configuration and variable values, so only the provider can put them anywhere.

use crate::reliability_support::{calls_with_secrets, sts_credentials};
use crate::support::{hcl, Emulator, TfDir, TfOutput, REGION};

const KEY_ID: &str = "LTAI5tLeakCanaryKeyId";
const SECRET: &str = "SeCrEt-LeakCanary-9f2c4b7e1d";
const WRONG_SECRET: &str = "WrOnG-LeakCanary-5a8d3e6f0c";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.LeakCanaryOidcToken.c2lnbmF0dXJl";
const STS_SEED_OIDC: &str = "eyJhbGciOiJSUzI1NiJ9.LeakCanarySeedToken.c2ln";
const APPS: &[&str] = &[
    "ci-vm-leakStatic",
    "ci-vm-leakSts",
    "ci-vm-leakOidc",
    "ci-vm-leakWrong",
];

fn provider(alias: Option<&str>, url: &str, credentials: &str) -> String {
    let alias = alias
        .map(|a| format!("  alias = \"{a}\"\n"))
        .unwrap_or_default();
    format!(
        "\nprovider \"ehpc\" {{\n{alias}  region      = \"{REGION}\"\n  max_retries = 0\n{credentials}  endpoints {{\n    ehpcinstant = \"{url}\"\n    sts         = \"{url}\"\n  }}\n}}\n"
    )
}

fn profile(file: &str, name: &str) -> String {
    format!("  shared_credentials_file = \"{file}\"\n  profile = \"{name}\"\n")
}

fn resource(name: &str, provider: &str, app: &str) -> String {
    format!(
        "\nresource \"ehpc_app_sync\" \"{name}\" {{\n  provider          = {provider}\n  app_id            = \"{app}\"\n  target_region_ids = [\"cn-shanghai\"]\n}}\n"
    )
}

/// Every form of a secret that could be written: as is, percent-encoded (query strings) and,
/// for base64 signatures, without padding.
fn forms(secret: &str) -> Vec<String> {
    let mut v = vec![
        secret.to_string(),
        ehpc_alibaba::signer::percent_encode(secret),
    ];
    let trimmed = secret.trim_end_matches('=');
    if trimmed.len() >= 16 {
        v.push(trimmed.to_string());
    }
    v
}

#[test]
fn no_secret_reaches_logs_state_plan_json_or_output() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(APPS, &["--credential", &format!("{KEY_ID}:{SECRET}")]);
    let (sts_id, sts_secret, sts_token) = sts_credentials(&emu, STS_SEED_OIDC);
    let mut tf = TfDir::new();
    let home = tf.dir().parent().expect("root").join("home");
    let cred_file = home.join("aliyun.json");
    let profiles = serde_json::json!({
        "current": "static",
        "profiles": [
            {"name": "static", "mode": "AK", "access_key_id": KEY_ID,
             "access_key_secret": SECRET, "region_id": REGION},
            {"name": "sts", "mode": "StsToken", "access_key_id": sts_id,
             "access_key_secret": sts_secret, "sts_token": sts_token, "region_id": REGION},
            {"name": "wrong", "mode": "AK", "access_key_id": KEY_ID,
             "access_key_secret": WRONG_SECRET, "region_id": REGION},
        ]
    });
    std::fs::write(&cred_file, profiles.to_string()).expect("write profiles");
    let token_file = home.join("oidc-token");
    std::fs::write(&token_file, OIDC_TOKEN).expect("write token");
    let (cred_file, token_file) = (
        cred_file.display().to_string(),
        token_file.display().to_string(),
    );

    let oidc = format!(
        "  assume_role_with_oidc {{\n    role_arn          = \"acs:ram::1234567890:role/ci\"\n    oidc_provider_arn = \"acs:ram::1234567890:oidc-provider/ci\"\n    oidc_token_file   = \"{token_file}\"\n  }}\n"
    );
    let good = format!(
        "{}{}{}{}{}{}{}",
        hcl::terraform_block(),
        provider(None, &emu.url, &profile(&cred_file, "static")),
        provider(Some("sts"), &emu.url, &profile(&cred_file, "sts")),
        provider(Some("oidc"), &emu.url, &oidc),
        resource("static", "ehpc", APPS[0]),
        resource("sts", "ehpc.sts", APPS[1]),
        resource("oidc", "ehpc.oidc", APPS[2]),
    );
    tf.main_tf(&good);

    let mut outputs: Vec<TfOutput> = Vec::new();
    let mut logs = Vec::new();
    let mut run = |tf: &mut TfDir, args: &[&str], outputs: &mut Vec<TfOutput>| {
        let log = format!("trace-{}.log", outputs.len());
        let path = tf.dir().join(&log).display().to_string();
        tf.env("TF_LOG", "TRACE").env("TF_LOG_PATH", &path);
        logs.push(log);
        let out = tf.tf(args);
        outputs.push(out);
    };
    run(
        &mut tf,
        &["plan", "-input=false", "-out=tfplan"],
        &mut outputs,
    );
    // SECURITY.md: STS exchanges happen on first use, never during `terraform plan` (the one
    // AssumeRoleWithOIDC so far is this test's own, for the StsToken profile).
    let sts_calls = |emu: &Emulator| {
        emu.calls()
            .iter()
            .filter(|c| {
                c["action"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("AssumeRole"))
            })
            .count()
    };
    assert_eq!(sts_calls(&emu), 1, "no STS call at plan time");
    run(&mut tf, &["show", "-json", "tfplan"], &mut outputs);
    run(&mut tf, &["apply", "-input=false", "tfplan"], &mut outputs);
    run(&mut tf, &["show", "-json"], &mut outputs);
    for out in &outputs {
        assert!(
            out.status.success(),
            "{} failed:\n{}\n{}",
            out.cmdline,
            out.stdout,
            out.stderr
        );
    }
    let synced = emu.apps();
    for app in &APPS[..3] {
        assert!(
            crate::support::strings(&synced[*app]).contains("cn-shanghai"),
            "{app} synchronized: {synced:#}"
        );
    }

    // A failing apply: a wrong secret and an app the service does not hold.
    tf.main_tf(&format!(
        "{good}{}{}{}",
        provider(Some("wrong"), &emu.url, &profile(&cred_file, "wrong")),
        resource("wrong", "ehpc.wrong", APPS[3]),
        resource("missing", "ehpc", "ci-vm-leakDoesNotExist"),
    ));
    run(
        &mut tf,
        &["apply", "-auto-approve", "-input=false"],
        &mut outputs,
    );
    let failed = outputs.last().expect("ran");
    assert!(!failed.status.success(), "the failing apply failed");
    failed
        .assert_contains("SignatureDoesNotMatch")
        .assert_contains("ImageNotFound");

    // What the emulator received: every signature and security token, plus the secrets.
    let received = calls_with_secrets(&emu);
    let mut secrets: Vec<(String, String)> = vec![
        ("secret key".into(), SECRET.into()),
        ("wrong secret key".into(), WRONG_SECRET.into()),
        ("STS secret".into(), sts_secret.clone()),
        ("STS security token".into(), sts_token.clone()),
        ("OIDC token".into(), OIDC_TOKEN.into()),
    ];
    let mut signatures = 0;
    for call in &received {
        for field in ["signature", "security_token"] {
            if let Some(s) = call[field].as_str() {
                signatures += usize::from(field == "signature");
                secrets.push((format!("{field} of {}", call["request_id"]), s.to_string()));
            }
        }
    }
    assert!(
        signatures >= 4,
        "the emulator recorded the signatures it received: {received:?}"
    );
    assert!(
        received
            .iter()
            .any(|c| c["security_token"].is_string() && c["security_token"] != sts_token.as_str()),
        "the OIDC path sent its own STS token: {received:?}"
    );

    let mut haystacks: Vec<(String, String)> = Vec::new();
    for out in &outputs {
        haystacks.push((format!("{} stdout", out.cmdline), out.stdout.clone()));
        haystacks.push((format!("{} stderr", out.cmdline), out.stderr.clone()));
    }
    for name in logs.iter().map(String::as_str).chain(["terraform.tfstate"]) {
        let text = tf.read(name);
        assert!(!text.is_empty(), "{name} is empty");
        haystacks.push((name.to_string(), text));
    }
    if tf.dir().join("terraform.tfstate.backup").exists() {
        haystacks.push(("state backup".into(), tf.read("terraform.tfstate.backup")));
    }
    // The trace logs must include the provider's own lines, or the search proves little.
    assert!(
        haystacks
            .iter()
            .any(|(n, t)| n.starts_with("trace-") && t.contains("terraform-provider-ehpc")),
        "TF_LOG=TRACE captured the provider's output"
    );
    // SECURITY.md: logs show the access key id masked.
    let masked = ehpc_alibaba::credentials::mask_access_key_id(KEY_ID);
    assert!(
        haystacks
            .iter()
            .any(|(n, t)| n.starts_with("trace-") && t.contains(&masked)),
        "the trace logs name the key id masked as {masked}"
    );
    // SECURITY.md: the state holds the resource's attributes only, no provider configuration.
    let state: serde_json::Value =
        serde_json::from_str(&tf.read("terraform.tfstate")).unwrap_or_default();
    let allowed = [
        "app_id",
        "target_region_ids",
        "region",
        "id",
        "request_id",
        "timeouts",
        "wait_for_copies",
        "image_id",
        "copies",
        "copies_ready",
    ];
    for resource in state["resources"].as_array().into_iter().flatten() {
        for instance in resource["instances"].as_array().into_iter().flatten() {
            let keys: Vec<&String> = instance["attributes"]
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            assert!(
                !keys.is_empty() && keys.iter().all(|k| allowed.contains(&k.as_str())),
                "state attributes {keys:?} (allowed: {allowed:?})"
            );
        }
    }
    let mut leaks = Vec::new();
    for (what, secret) in &secrets {
        for form in forms(secret) {
            for (name, text) in &haystacks {
                if text.contains(&form) {
                    leaks.push(format!("{what} ({form}) in {name}"));
                }
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}

#[test]
fn schema_marks_secret_attributes_sensitive() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf(&format!(
        "{}\nprovider \"ehpc\" {{}}\n",
        hcl::terraform_block()
    ));
    let schema = tf.provider_schema();
    let provider = &schema["provider"]["block"];
    let oidc = &provider["block_types"]["assume_role_with_oidc"]["block"]["attributes"];
    let cases = [
        ("secret_key", &provider["attributes"]["secret_key"]),
        ("security_token", &provider["attributes"]["security_token"]),
        ("assume_role_with_oidc.oidc_token", &oidc["oidc_token"]),
    ];
    for (name, attr) in cases {
        assert_eq!(attr["sensitive"], true, "{name} must be sensitive: {attr}");
    }
}
