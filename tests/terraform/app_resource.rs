// SPDX-License-Identifier: MPL-2.0
//! `resource "ehpc_app"` (issue 24) with the real CLI against the emulator: VM and container
//! applications registered and read back, the write-only registry password kept out of the
//! state, `show -json` and TRACE logs, replacement by `password_wo_version`, composition with
//! `ehpc_app_sync` in one apply, removal outside Terraform, ImageInUse on destroy, the import
//! hint of a duplicate registration, import by ImageId and AppId, and a lost AddImage answer.

use crate::support::{emulator_and_tf, emulator_and_tf_with, hcl, Emulator, TfDir};

const VM_IMAGE: &str = "m-bp1akkkr1rkxtb0000001";
const PASSWORD: &str = "Registry-Pass-LeakCanary-71c3";

/// `resource "ehpc_app" NAME` for the ECS image `image_id`, plus `extra` lines.
fn vm_app(name: &str, image_id: &str, extra: &str) -> String {
    format!(
        "\nresource \"ehpc_app\" \"{name}\" {{\n  name    = \"{name}\"\n  version = \"v1.0\"\n{extra}  vm_image {{\n    image_id = \"{image_id}\"\n  }}\n}}\n"
    )
}

/// A container application whose registry password comes from `var.registry_password`.
fn container_app(version: u32) -> String {
    format!(
        r#"
variable "registry_password" {{
  type      = string
  sensitive = true
  ephemeral = true
}}

resource "ehpc_app" "web" {{
  name = "web"
  container_image {{
    registry_url    = "registry-vpc.cn-hangzhou.aliyuncs.com/ehpc_open/nginx:latest"
    is_acr_registry = true
    registry_credential {{
      server              = "registry-vpc.cn-hangzhou.aliyuncs.com"
      user_name           = "deployer"
      password_wo         = var.registry_password
      password_wo_version = {version}
    }}
  }}
}}
"#
    )
}

fn text(v: &serde_json::Value, name: &str) -> String {
    v[name].as_str().unwrap_or_default().to_string()
}

/// An emulator started with `args` and a working directory holding `ehpc_app.solver` for
/// [`VM_IMAGE`], with `extra` lines in its block.
fn solver(args: &[&str], extra: &str) -> (Emulator, TfDir) {
    emulator_and_tf_with(&[], args, &vm_app("solver", VM_IMAGE, extra))
}

#[test]
fn vm_and_container_apps_read_back_and_the_password_never_lands() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = format!("{}{}", vm_app("solver", VM_IMAGE, ""), container_app(1));
    let (emu, mut tf) = emulator_and_tf(&[], &body);
    tf.env("TF_VAR_registry_password", PASSWORD)
        .env("TF_LOG", "TRACE")
        .env("TF_LOG_PATH", "trace.log");
    tf.apply();
    let vm = tf.state_of("ehpc_app.solver");
    assert_eq!(text(&vm, "image_id"), VM_IMAGE, "{vm}");
    assert_eq!(text(&vm, "id"), VM_IMAGE);
    assert_eq!(text(&vm, "image_type"), "VM");
    assert!(text(&vm, "app_id").starts_with("ci-vm-"), "{vm}");
    assert!(!text(&vm, "create_time").is_empty(), "{vm}");
    let web = tf.state_of("ehpc_app.web");
    assert_eq!(text(&web, "image_type"), "Container", "{web}");
    assert!(text(&web, "image_id").starts_with("m-"), "{web}");
    let registered = emu.registration(&text(&web, "app_id"));
    assert_eq!(
        registered["password_received"], true,
        "AddImage got the password: {registered}"
    );
    assert_eq!(
        registered["container_image_spec"]["RegistryCredential"]["UserName"],
        "deployer"
    );
    tf.assert_empty_plan();

    let credential = &web["container_image"][0]["registry_credential"][0];
    assert!(credential["password_wo"].is_null(), "{web}");
    assert_eq!(credential["password_wo_version"], 1);
    let shown = tf.tf(&["show", "-json"]).success().stdout;
    let state = tf.read("terraform.tfstate");
    let trace = tf.read("trace.log");
    assert!(
        trace.contains("AddImage") || trace.contains("ehpc_app"),
        "TRACE log written"
    );
    for (what, text) in [
        ("show -json", &shown),
        ("state", &state),
        ("TRACE log", &trace),
    ] {
        assert!(
            !text.contains(PASSWORD),
            "the registry password is in the {what}"
        );
    }

    // A new password version replaces the application: removed, then registered again.
    let body = format!("{}{}", vm_app("solver", VM_IMAGE, ""), container_app(2));
    tf.main_tf_for(&emu, &body);
    tf.plan()
        .success()
        .assert_contains("must be replaced")
        .assert_contains("password_wo_version");
    let removed_before = emu.action_count("RemoveImage");
    tf.apply();
    assert_eq!(emu.action_count("RemoveImage"), removed_before + 1);
    let replaced = tf.state_of("ehpc_app.web");
    assert_ne!(text(&replaced, "image_id"), text(&web, "image_id"));
    assert!(!tf.read("terraform.tfstate").contains(PASSWORD));

    tf.tf(&["destroy", "-auto-approve"]).success();
    emu.assert_app_count(0);
}

#[test]
fn app_and_sync_in_one_apply_then_destroy_in_order() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = format!(
        "{}{}",
        vm_app("solver", VM_IMAGE, ""),
        hcl::app_sync_with(
            "copies",
            "ehpc_app.solver.app_id",
            Some(&["cn-shanghai", "cn-beijing"]),
            "  wait_for_copies = false\n"
        )
    );
    let (emu, tf) = emulator_and_tf(&[], &body);
    let (changes, _) = tf.saved_plan("first.tfplan");
    let sync = &changes["ehpc_app_sync.copies"];
    assert!(sync.is_object(), "the sync is planned: {changes:#}");
    assert_eq!(sync["after_unknown"]["app_id"], true, "{sync:#}");
    tf.apply_saved_plan("first.tfplan");
    let app_id = text(&tf.state_of("ehpc_app.solver"), "app_id");
    let synced = tf.state_of("ehpc_app_sync.copies");
    assert_eq!(text(&synced, "app_id"), app_id);
    let regions = emu.regions_of(&app_id);
    assert!(
        regions.contains("cn-shanghai") && regions.contains("cn-beijing"),
        "{regions:?}"
    );
    tf.assert_empty_plan();

    tf.tf(&["destroy", "-auto-approve"]).success();
    assert!(tf.state_addresses().is_empty());
    let actions = emu.actions();
    let removed = actions.iter().rposition(|a| a == "RemoveImage");
    let synced_at = actions.iter().position(|a| a == "SynchronizeApp");
    assert!(removed > synced_at, "{actions:?}");
    emu.assert_app_count(0);
}

#[test]
fn removed_outside_terraform_is_dropped_and_in_use_keeps_the_state() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = solver(&[], "");
    tf.apply();
    let app_id = text(&tf.state_of("ehpc_app.solver"), "app_id");
    emu.remove_app(&app_id);
    let plan = tf.plan().success();
    plan.assert_contains("removed outside Terraform")
        .assert_contains("will be created");
    tf.apply();
    let again = text(&tf.state_of("ehpc_app.solver"), "app_id");
    assert_ne!(again, app_id, "registered again");

    emu.set_in_use(&again, true);
    let out = tf.tf(&["destroy", "-auto-approve"]).failure();
    out.assert_contains("ImageInUse")
        .assert_contains("Nothing was removed");
    assert_eq!(tf.state_addresses(), vec!["ehpc_app.solver".to_string()]);
    emu.set_in_use(&again, false);
    tf.tf(&["destroy", "-auto-approve"]).success();
    assert!(tf.state_addresses().is_empty());
}

#[test]
fn a_create_before_destroy_replacement_of_a_vm_image_says_to_remove_it() {
    if !crate::support::terraform_available() {
        return;
    }
    let lifecycle = "  lifecycle {\n    create_before_destroy = true\n  }\n";
    let (emu, tf) = solver(&[], lifecycle);
    tf.apply();
    let registered = tf.state_of("ehpc_app.solver");

    let changed = vm_app("solver", VM_IMAGE, lifecycle).replace("\"v1.0\"", "\"v2.0\"");
    assert_ne!(
        changed,
        vm_app("solver", VM_IMAGE, lifecycle),
        "the version changed"
    );
    tf.main_tf_for(&emu, &changed);
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    out.assert_contains("already registered")
        .assert_contains("remove `create_before_destroy`");
    assert_eq!(emu.action_count("AddImage"), 1, "never registered twice");
    assert_eq!(
        emu.action_count("RemoveImage"),
        0,
        "the old application stays"
    );
    assert_eq!(
        tf.state_of("ehpc_app.solver"),
        registered,
        "and stays in the state"
    );
}

#[test]
fn a_duplicate_registration_says_how_to_import_and_import_works_by_either_id() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, first) = solver(&[], "");
    first.apply();
    let registered = first.state_of("ehpc_app.solver");
    let app_id = text(&registered, "app_id");

    let second = TfDir::new();
    second.main_tf_for(&emu, &vm_app("solver", VM_IMAGE, ""));
    let out = second
        .tf(&["apply", "-auto-approve", "-input=false"])
        .failure();
    out.assert_contains("already registered")
        .assert_contains(&format!("terraform import <address> {VM_IMAGE}"));
    assert_eq!(
        emu.action_count("AddImage"),
        1,
        "the duplicate never reached AddImage"
    );
    assert!(second.state_addresses().is_empty());

    for id in [VM_IMAGE.to_string(), app_id.clone()] {
        let dir = TfDir::new();
        let import = format!("\nimport {{\n  to = ehpc_app.solver\n  id = \"{id}\"\n}}\n");
        dir.main_tf_for(&emu, &import);
        dir.tf(&["plan", "-input=false", "-generate-config-out=generated.tf"])
            .success();
        let generated = dir.read("generated.tf");
        assert!(
            generated.contains(VM_IMAGE) && generated.contains("solver"),
            "{generated}"
        );
        dir.apply();
        let imported = dir.state_of("ehpc_app.solver");
        assert_eq!(text(&imported, "app_id"), app_id, "import by {id}");
        assert_eq!(text(&imported, "image_id"), VM_IMAGE);
        assert_eq!(text(&imported, "version"), "v1.0");
        dir.assert_empty_plan();
    }
}

#[test]
fn a_lost_add_image_answer_never_registers_twice() {
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = solver(&["--drop-after-apply-rate", "1"], "");
    let out = tf.apply();
    let adds = emu.action_count("AddImage");
    assert!(
        adds >= 2,
        "the first answer was lost and the call retried: {adds}\n{}",
        out.dump()
    );
    let apps = emu.assert_app_count(1);
    let state = tf.state_of("ehpc_app.solver");
    assert_eq!(text(&state, "image_id"), VM_IMAGE);
    assert!(apps.get(text(&state, "app_id")).is_some());

    // A container image has no ECS id to deduplicate on: every retry registers it again, and
    // the apply removes what it registered beyond the one it keeps.
    let mut web = TfDir::new();
    // Every answer is lost and no error ends the retries (each registers again): without a
    // cap they would go on until the create timeout, so this part caps them.
    let capped =
        hcl::provider(&emu.url).replace("  endpoints {", "  max_retries = 5\n  endpoints {");
    web.main_tf(&format!("{capped}{}", container_app(1)));
    web.env("TF_VAR_registry_password", PASSWORD);
    let out = web.apply();
    assert!(
        emu.action_count("AddImage") > adds + 1,
        "retried\n{}",
        out.dump()
    );
    let kept = text(&web.state_of("ehpc_app.web"), "app_id");
    let apps = emu.assert_app_count(2);
    assert!(apps.get(&kept).is_some(), "{apps}");
    out.assert_contains("registered more than once");
}

#[test]
fn providers_schema_shows_ehpc_app_as_resource_and_data_source_with_a_write_only_password() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf_offline(&vm_app("x", VM_IMAGE, ""));
    let p = &tf.provider_schema();
    assert!(p["data_source_schemas"]["ehpc_app"].is_object(), "{p:#}");
    let resource = &p["resource_schemas"]["ehpc_app"]["block"];
    assert_eq!(
        resource["attributes"]["name"]["required"], true,
        "{resource:#}"
    );
    let credential = &resource["block_types"]["container_image"]["block"]["block_types"]
        ["registry_credential"]["block"]["attributes"];
    assert_eq!(
        credential["password_wo"]["write_only"], true,
        "{credential:#}"
    );
    assert_eq!(credential["password_wo"]["sensitive"], true);
    tf.validate().success();
}

#[test]
fn a_create_failing_after_add_image_keeps_the_application_in_the_state() {
    if !crate::support::terraform_available() {
        return;
    }
    // ListImages lists a new application only after an hour: the read-back times out.
    let timeouts = "  timeouts {\n    create = \"2s\"\n  }\n";
    let (emu, tf) = solver(&["--list-registered-after-seconds", "3600"], timeouts);
    let out = tf.tf(&["apply", "-auto-approve", "-input=false"]).failure();
    out.assert_contains("not listed yet");
    assert_eq!(emu.action_count("AddImage"), 1);
    let kept = tf.state_of("ehpc_app.solver");
    assert_eq!(text(&kept, "image_id"), VM_IMAGE);
    assert!(kept["app_id"].is_null(), "{kept}");
    tf.state_show("ehpc_app.solver").assert_contains("tainted");

    // Nothing is orphaned: destroying it removes the registration.
    tf.tf(&["destroy", "-auto-approve"]).success();
    assert_eq!(emu.action_count("RemoveImage"), 1);
    emu.assert_app_count(0);
}

#[test]
fn ctrl_c_during_the_read_back_stops_the_apply_and_keeps_the_application() {
    use crate::reliability_support::{spawn_tf, wait_until};
    if !crate::support::terraform_available() {
        return;
    }
    let (emu, tf) = solver(&["--list-registered-after-seconds", "3600"], "");
    let mut run = spawn_tf(
        &tf,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[],
    );
    // AddImage applied, then ListImages polled: the apply is in its read-back.
    wait_until("the read-back to poll ListImages", || {
        emu.action_count("AddImage") == 1 && emu.action_count("ListImages") >= 2
    });
    run.signal_group("INT");
    let signalled = std::time::Instant::now();
    wait_until("terraform to exit after SIGINT", || {
        run.try_status().is_some()
    });
    let took = signalled.elapsed();
    let out = run.finish().failure();
    assert!(
        took <= std::time::Duration::from_secs(5),
        "{took:?}\n{}",
        out.dump()
    );
    out.assert_contains("interrupted");
    let kept = tf.state_of("ehpc_app.solver");
    assert_eq!(text(&kept, "image_id"), VM_IMAGE);
}
