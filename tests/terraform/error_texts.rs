// SPDX-License-Identifier: MPL-2.0
//! The error texts of issue 25 item 7, asserted through the real `terraform` CLI: a misspelt
//! region is a plan-time warning with the nearest known id, a wrong secret reads clearly and
//! names where the key came from, a stale `ALICLOUD_ACCESS_KEY` that wins over
//! `ALIBABA_CLOUD_*` is named, and a refused connection names the endpoint and what to check.

use std::time::{Duration, Instant};

use crate::support::{hcl, Emulator, TfDir, TfOutput, ACCESS_KEY, REGION, SECRET_KEY};

const APP: &str = "ci-vm-e2eErrorTexts";

/// The output as one line of words: without Terraform's diagnostic frame (`│`) and line
/// wrapping, so that a sentence can be matched whole.
fn flat(out: &TfOutput) -> String {
    out.dump()
        .replace(['│', '╷', '╵'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[track_caller]
fn assert_says(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

fn provider_with(url: &str, region: &str, secret: &str) -> String {
    format!(
        "{}\nprovider \"ehpc\" {{\n  region     = \"{region}\"\n  access_key = \"{ACCESS_KEY}\"\n  \
         secret_key = \"{secret}\"\n  max_retries = 0\n  endpoints {{\n    ehpcinstant = \"{url}\"\n  }}\n}}\n",
        hcl::terraform_block()
    )
}

/// A working directory whose main.tf is `provider` (a terraform and provider block) and
/// `ehpc_app_sync.x` of [`APP`] to `regions`.
fn configured(provider: &str, regions: &[&str]) -> TfDir {
    let tf = TfDir::new();
    tf.main_tf(&format!(
        "{provider}{}",
        hcl::app_sync("x", APP, Some(regions))
    ));
    tf
}

#[test]
fn a_misspelt_region_is_a_plan_time_warning_with_the_nearest_known_id() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let provider = provider_with(&emu.url, "cn-hangzou", SECRET_KEY);
    let tf = configured(&provider, &["cn-shangai", "cn-beijing"]);
    let out = tf.plan().success();
    let text = flat(&out);
    assert_says(&text, "Warning: Unknown region");
    assert_says(&text, "Warning: Unknown target region");
    assert_says(&text, "\"cn-shangai\" (did you mean \"cn-shanghai\"?) is not among the regions E-HPC Instant is known to serve");
    assert_says(&text, "\"cn-hangzou\" (did you mean \"cn-hangzhou\"?)");
    assert_says(&text, "1 to add");
}

#[test]
fn a_wrong_secret_reads_clearly_and_names_the_key_source() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let tf = configured(
        &provider_with(&emu.url, REGION, "not-the-secret"),
        &["cn-shanghai"],
    );
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let text = flat(&out);
    assert_says(
        &text,
        "SignatureDoesNotMatch (HTTP 400): Specified signature does not match our calculation. \
         RequestId: ",
    );
    assert_says(
        &text,
        ". The AccessKey secret is wrong: the server computed a different signature",
    );
    assert_says(
        &text,
        "The request was signed with AccessKey id LTAI**** from provider attributes.",
    );
    assert!(!text.contains("calculation. server"), "{text}");
    assert!(!text.contains("string to sign"), "{text}");
}

#[test]
fn a_stale_alicloud_access_key_that_wins_is_named() {
    if !crate::support::terraform_available() {
        return;
    }
    let emu = Emulator::start(&[APP], &[]);
    let mut tf = configured(&hcl::provider_from_env(), &["cn-shanghai"]);
    tf.env("ALICLOUD_ACCESS_KEY", "LTAIstaleOldKeyId0")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET_KEY)
        .env("ALIBABA_CLOUD_REGION", REGION)
        .env("ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT", &emu.url);
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let text = flat(&out);
    assert_says(&text, "InvalidAccessKeyId");
    assert_says(
        &text,
        "The request was signed with AccessKey id LTAI**** from environment (ALICLOUD_ACCESS_KEY)",
    );
    assert!(
        !text.contains("LTAIstaleOldKeyId0"),
        "the key id is masked: {text}"
    );
}

#[test]
fn a_refused_connection_names_the_endpoint_and_what_to_check() {
    if !crate::support::terraform_available() {
        return;
    }
    // Port 1 (tcpmux): privileged and unused on any test machine, so the connection is refused
    // (a port freed by this test could be taken by a parallel test's emulator).
    let url = "http://127.0.0.1:1".to_string();
    let provider = provider_with(&url, REGION, SECRET_KEY).replace("  max_retries = 0\n", "");
    let tf = configured(&provider, &["cn-shanghai"]);
    let started = Instant::now();
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    let took = started.elapsed();
    let text = flat(&out);
    assert_says(&text, "failed: endpoint unreachable");
    assert_says(&text, &format!("could not connect to {url}"));
    assert_says(&text, &format!("Check the E-HPC Instant endpoint {url}: an `endpoints {{ ehpcinstant = ... }}` override"));
    assert_says(
        &text,
        "`region` must be a region where E-HPC Instant is available",
    );
    // Two quick retries, not retries until the 10-minute create timeout.
    assert!(took < Duration::from_secs(60), "{took:?}");
}
