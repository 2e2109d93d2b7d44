// SPDX-License-Identifier: MPL-2.0
//! End-to-end tests with the real `terraform` CLI (issue 2): the built provider loads through
//! dev_overrides, `terraform validate` and `terraform plan` work on configurations using
//! `ehpc_app_sync`, `terraform providers schema -json` shows the documented schema with its
//! sensitive flags, and every directory under examples/ validates.
//! Lifecycle behaviour against the emulator lives in lifecycle.rs and
//! import_errors.rs.

use std::path::{Path, PathBuf};

use crate::support::{hcl, TfDir};
use serde_json::Value as Json;

const APP: &str = "ci-vm-e2eSchema01";

#[test]
fn validate_accepts_a_configuration_using_app_sync() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf_offline(&format!(
        "{}{}",
        hcl::app_sync("explicit", APP, Some(&["cn-shanghai", "ap-southeast-1"])),
        hcl::app_sync("all", APP, Some(&["all"])),
    ));
    tf.validate()
        .success()
        .assert_contains("The configuration is valid");
}

#[test]
fn validate_rejects_bad_app_id_and_region_ids() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    let cases: &[(&str, &str, &str)] = &[
        ("app id with whitespace", "\"ci vm\"", "app_id"),
        ("empty app id", "\"\"", "app_id"),
    ];
    for (name, app_id, attr) in cases {
        tf.main_tf_offline(&hcl::app_sync_expr("x", app_id, Some(&["cn-shanghai"])));
        let out = tf.validate().failure();
        assert!(
            out.text().contains(attr),
            "{name}: diagnostic must name {attr}"
        );
    }
    for bad in ["Shanghai", "cn_shanghai"] {
        tf.main_tf_offline(&hcl::app_sync("x", APP, Some(&["cn-beijing", bad])));
        let out = tf.validate().failure();
        out.assert_contains("target_region_ids");
        out.assert_contains(bad);
    }
}

#[test]
fn plan_shows_a_create_with_request_id_known_after_apply_and_calls_nothing() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) =
        crate::support::emulator_and_tf(&[APP], &hcl::app_sync("x", APP, Some(&["cn-shanghai"])));
    let out = tf.plan().success();
    out.assert_contains("ehpc_app_sync.x will be created")
        .assert_contains("request_id = (known after apply)")
        .assert_contains(&format!("app_id = \"{APP}\""))
        .assert_contains("Plan: 1 to add, 0 to change, 0 to destroy");
    assert!(
        emu.sync_calls().is_empty(),
        "plan must not call the API: {:?}",
        emu.sync_calls()
    );
}

fn attr<'a>(block: &'a Json, name: &str) -> &'a Json {
    let a = &block["attributes"][name];
    assert!(a.is_object(), "attribute {name} missing from {block:#}");
    a
}

fn flag(a: &Json, key: &str) -> bool {
    a[key].as_bool().unwrap_or(false)
}

#[test]
fn providers_schema_json_matches_the_documented_schema() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf_offline(&hcl::app_sync("x", APP, None));
    let p = &tf.provider_schema();

    // Provider block: secrets sensitive, everything optional (env/profile may supply it).
    let provider = &p["provider"]["block"];
    for name in [
        "region",
        "access_key",
        "secret_key",
        "security_token",
        "profile",
        "shared_credentials_file",
        "ecs_role_name",
        "credentials_uri",
        "max_retries",
        "client_connect_timeout",
        "client_read_timeout",
    ] {
        let a = attr(provider, name);
        assert!(flag(a, "optional"), "provider.{name} must be optional");
        assert!(
            a["description"].as_str().is_some_and(|d| !d.is_empty()),
            "provider.{name} needs a description"
        );
    }
    for name in ["secret_key", "security_token"] {
        assert!(
            flag(attr(provider, name), "sensitive"),
            "{name} must be sensitive"
        );
    }
    for name in ["region", "access_key", "profile"] {
        assert!(
            !flag(attr(provider, name), "sensitive"),
            "{name} is not secret"
        );
    }
    let blocks = &provider["block_types"];
    for (block, attrs) in [
        (
            "assume_role",
            &[
                "role_arn",
                "session_name",
                "session_expiration",
                "policy",
                "external_id",
            ][..],
        ),
        (
            "assume_role_with_oidc",
            &[
                "role_arn",
                "oidc_provider_arn",
                "oidc_token",
                "oidc_token_file",
                "role_session_name",
                "session_expiration",
                "policy",
            ][..],
        ),
        ("endpoints", &["ehpcinstant", "sts"][..]),
    ] {
        for a in attrs {
            attr(&blocks[block]["block"], a);
        }
    }
    assert!(flag(
        attr(&blocks["assume_role_with_oidc"]["block"], "oidc_token"),
        "sensitive"
    ));

    // Resource schema.
    let r = &p["resource_schemas"]["ehpc_app_sync"];
    assert_eq!(r["version"], 2, "schema version 2");
    let block = &r["block"];
    let app_id = attr(block, "app_id");
    assert_eq!(app_id["type"], "string");
    assert!(flag(app_id, "required"));
    let regions = attr(block, "target_region_ids");
    assert_eq!(regions["type"], serde_json::json!(["set", "string"]));
    assert!(flag(regions, "optional") && !flag(regions, "required"));
    let region = attr(block, "region");
    assert!(flag(region, "optional") && flag(region, "computed"));
    for (computed_only, ty) in [
        ("request_id", serde_json::json!("string")),
        ("id", serde_json::json!("string")),
        ("image_id", serde_json::json!("string")),
        ("copies_ready", serde_json::json!("bool")),
        (
            "copies",
            serde_json::json!(["map", ["object", {"image_id": "string", "status": "string"}]]),
        ),
    ] {
        let a = attr(block, computed_only);
        assert_eq!(a["type"], ty, "{computed_only}");
        assert!(flag(a, "computed") && !flag(a, "optional") && !flag(a, "required"));
    }
    let wait = attr(block, "wait_for_copies");
    assert_eq!(wait["type"], "bool");
    assert!(flag(wait, "optional") && !flag(wait, "computed"));
    for name in ["app_id", "target_region_ids", "region", "request_id"] {
        assert!(
            attr(block, name)["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "ehpc_app_sync.{name} needs a description"
        );
    }
    let timeouts = &block["block_types"]["timeouts"]["block"];
    attr(timeouts, "create");
    attr(timeouts, "update");
}

/// Every directory under examples/ that holds .tf files.
fn example_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut has_tf = false;
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            example_dirs(&path, out);
        } else if path.extension().is_some_and(|x| x == "tf") {
            has_tf = true;
        }
    }
    if has_tf {
        out.push(dir.to_path_buf());
    }
}

#[test]
fn every_example_validates() {
    if !crate::support::terraform_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = Vec::new();
    example_dirs(&root, &mut dirs);
    dirs.sort();
    assert!(
        dirs.len() >= 8,
        "expected the documented examples under {}, found {dirs:?}",
        root.display()
    );
    for dir in dirs {
        // Copied so that validate never leaves files in the source tree.
        let tf = TfDir::new();
        for e in std::fs::read_dir(&dir).expect("example dir").flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "tf") {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .expect("file name");
                tf.write(name, &std::fs::read_to_string(&path).expect("example file"));
            }
        }
        let out = tf.validate();
        assert!(
            out.status.success(),
            "terraform validate failed for {}\n{}\n{}",
            dir.display(),
            out.stdout,
            out.stderr
        );
    }
}
