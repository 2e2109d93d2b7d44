// SPDX-License-Identifier: MPL-2.0
//! End-to-end `ehpc_app` and `ehpc_apps` (issue 18) with the real `terraform` CLI against the
//! emulator: what they report (copies after a sync, every filter, more apps than one
//! ListImages page), a `for_each` over `ehpc_apps`, a read deferred to apply, and the errors
//! (a missing app at `app_id`, a bad `name_regex` at validate). Every successful apply is
//! followed by `terraform plan -detailed-exitcode` exiting 0.

use serde_json::Value as Json;

use crate::support::{emulator_and_tf, hcl, strings, Emulator, TfDir, REGION};

const APP: &str = "ci-vm-dsApp0001";

/// `--app` arguments: `count` apps `ci-vm-dsPageNN` named `prefix-NN`, version `v2`.
fn many_apps(prefix: &str, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("ci-vm-dsPage{i:02},name={prefix}-{i:02},version=v2"))
        .collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The app ids a data source's `ids` holds, in order.
fn ids(values: &Json) -> Vec<String> {
    values["ids"]
        .as_array()
        .unwrap_or_else(|| panic!("ids is not a list: {values:#}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

fn list_images_calls(emu: &Emulator) -> usize {
    emu.calls()
        .iter()
        .filter(|c| c["action"] == "ListImages")
        .count()
}

#[test]
fn app_reports_the_copies_of_a_synced_app() {
    if !crate::support::terraform_available() {
        return;
    }
    let spec = format!("{APP}=m-dsImage0001,name=solver,version=2.1");
    let body = format!(
        "{}\ndata \"ehpc_app\" \"a\" {{\n  app_id     = ehpc_app_sync.x.app_id\n  depends_on = [ehpc_app_sync.x]\n}}\n",
        hcl::app_sync("x", APP, Some(&["cn-shanghai", "ap-southeast-1"]))
    );
    let (emu, tf) = emulator_and_tf(&[&spec], &body);
    tf.apply();

    let a = tf.state_of("data.ehpc_app.a");
    assert_eq!(a["app_id"], APP);
    assert_eq!(a["region"], REGION, "the provider's region, shown");
    assert_eq!(a["image_id"], "m-dsImage0001");
    assert_eq!(a["name"], "solver");
    assert_eq!(a["version"], "2.1");
    assert_eq!(a["image_type"], "VM");
    assert!(
        a["status"].is_string() && a["create_time"].is_string(),
        "{a:#}"
    );
    let copies = a["copies"].as_object().expect("copies is a map");
    let regions: Vec<&String> = copies.keys().collect();
    assert_eq!(regions, ["ap-southeast-1", "cn-shanghai"], "{a:#}");
    for (region, copy) in copies {
        assert_eq!(copy["status"], "Available", "{region}: {copy}");
        assert!(
            copy["image_id"]
                .as_str()
                .is_some_and(|i| i.starts_with("m-")),
            "{region}: {copy}"
        );
    }
    tf.assert_empty_plan();
    assert_eq!(emu.sync_calls().len(), 1, "reads never synchronize");
}

#[test]
fn apps_lists_every_page_and_applies_each_filter() {
    if !crate::support::terraform_available() {
        return;
    }
    let mut specs = many_apps("gromacs", 23);
    specs.push("ci-vm-dsLammps1,name=lammps,version=v1".into());
    specs.push("ci-vm-dsLammps2,name=lammps-gpu,version=v1".into());
    specs.push("ci-vm-dsFoam001,name=openfoam,version=v1".into());
    let body = r#"
data "ehpc_apps" "all" {}

data "ehpc_apps" "named" {
  names = ["lammps", "openfoam"]
}

data "ehpc_apps" "pattern" {
  name_regex = "^gromacs-2[0-9]$"
}

data "ehpc_apps" "custom" {
  image_category = "Custom"
  image_type     = "VM"
  region         = "cn-shanghai"
}

data "ehpc_apps" "public" {
  image_category = "Public"
}

data "ehpc_apps" "containers" {
  image_type = "Container"
}
"#;
    let (emu, tf) = emulator_and_tf(&refs(&specs), body);
    tf.apply()
        .assert_contains("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");

    let all = tf.state_of("data.ehpc_apps.all");
    let mut want: Vec<String> = specs
        .iter()
        .map(|s| s.split(',').next().unwrap().to_string())
        .collect();
    want.sort();
    assert_eq!(ids(&all), want, "26 apps over two pages, sorted by app id");
    assert_eq!(all["region"], REGION);
    assert_eq!(all["image_type"], "VM", "the default type, shown");
    let apps = all["apps"].as_array().expect("apps is a list");
    assert_eq!(apps.len(), 26);
    let first = &apps[0];
    assert_eq!(first["app_id"], want[0].as_str());
    assert!(first["image_id"]
        .as_str()
        .is_some_and(|i| i.starts_with("m-")));
    for key in ["name", "version", "os_tag", "create_time", "description"] {
        assert!(first.get(key).is_some(), "{key} in {first:#}");
    }

    let named = tf.state_of("data.ehpc_apps.named");
    assert_eq!(
        ids(&named),
        ["ci-vm-dsFoam001", "ci-vm-dsLammps1"],
        "exact names only"
    );
    let pattern = tf.state_of("data.ehpc_apps.pattern");
    assert_eq!(
        ids(&pattern),
        ["ci-vm-dsPage20", "ci-vm-dsPage21", "ci-vm-dsPage22"]
    );
    let custom = tf.state_of("data.ehpc_apps.custom");
    assert_eq!(ids(&custom).len(), 26);
    assert_eq!(custom["region"], "cn-shanghai");
    assert!(ids(&tf.state_of("data.ehpc_apps.public")).is_empty());
    let containers = tf.state_of("data.ehpc_apps.containers");
    assert!(ids(&containers).is_empty());
    assert_eq!(containers["image_type"], "Container");

    // Six data sources: `all` and `custom` need two pages each, the others one.
    assert!(list_images_calls(&emu) >= 8, "{:#?}", emu.calls());
    tf.assert_empty_plan();
}

#[test]
fn for_each_over_apps_syncs_every_matching_app() {
    if !crate::support::terraform_available() {
        return;
    }
    let mut specs = many_apps("solver", 3);
    specs.push("ci-vm-dsOther01,name=other".into());
    let body = r#"
data "ehpc_apps" "solvers" {
  name_regex = "^solver-"
}

resource "ehpc_app_sync" "each" {
  for_each          = toset(data.ehpc_apps.solvers.ids)
  app_id            = each.key
  target_region_ids = ["cn-beijing"]
}
"#;
    let (emu, tf) = emulator_and_tf(&refs(&specs), body);
    tf.apply()
        .assert_contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    let mut synced: Vec<String> = emu.sync_calls().into_iter().map(|c| c.app_id).collect();
    synced.sort();
    assert_eq!(
        synced,
        ["ci-vm-dsPage00", "ci-vm-dsPage01", "ci-vm-dsPage02"]
    );
    for app in &synced {
        assert!(emu.regions_of(app).contains("cn-beijing"), "{app}");
        let address = format!("ehpc_app_sync.each[\"{app}\"]");
        assert!(tf.state_values(&address).is_some(), "{address} in state");
    }
    tf.assert_empty_plan();
}

#[test]
fn an_app_id_known_only_at_apply_is_read_at_apply() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = format!(
        r#"
resource "terraform_data" "source" {{
  input = "{APP}"
}}

data "ehpc_app" "late" {{
  app_id = terraform_data.source.output
}}

output "late_image" {{
  value = data.ehpc_app.late.image_id
}}
"#
    );
    let (_emu, tf) = emulator_and_tf(&[&format!("{APP}=m-dsLate00001")], &body);
    tf.plan()
        .success()
        .assert_contains("data.ehpc_app.late will be read during apply");
    tf.apply();
    let late = tf.state_of("data.ehpc_app.late");
    assert_eq!(late["image_id"], "m-dsLate00001");
    assert_eq!(late["copies"], serde_json::json!({}), "no copies yet");
    let out = tf.tf(&["output", "-raw", "late_image"]).success();
    assert_eq!(out.stdout.trim(), "m-dsLate00001");
    tf.assert_empty_plan();
}

#[test]
fn a_missing_app_is_an_error_at_app_id_naming_the_region() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = r#"
data "ehpc_app" "missing" {
  region = "cn-beijing"
  app_id = "ci-vm-dsNoSuchApp"
}
"#;
    let (_emu, tf) = emulator_and_tf(&[APP], body);
    let out = tf.plan().failure();
    let errors = out.diagnostics("Error");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert!(e.starts_with("Error: Application not found"), "{e}");
    assert!(e.contains("in region cn-beijing"), "{e}");
    // The attribute path makes Terraform quote the app_id line of the configuration.
    assert!(e.contains(r#"in data "ehpc_app" "missing""#), "{e}");
    assert!(e.contains(r#"app_id = "ci-vm-dsNoSuchApp""#), "{e}");
}

#[test]
fn an_invalid_name_regex_fails_validate() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf_offline("\ndata \"ehpc_apps\" \"bad\" {\n  name_regex = \"gromacs-(2024\"\n}\n");
    let out = tf.validate().failure();
    let errors = out.diagnostics("Error");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert!(e.starts_with("Error: Invalid name_regex"), "{e}");
    assert!(e.contains("is not a valid regular expression"), "{e}");
    assert!(e.contains(r#"name_regex = "gromacs-(2024""#), "{e}");
}

#[test]
fn the_schema_lists_both_data_sources() {
    if !crate::support::terraform_available() {
        return;
    }
    let tf = TfDir::new();
    tf.main_tf_offline("");
    let schema = tf.provider_schema();
    let ds = &schema["data_source_schemas"];
    let names: Vec<&String> = ds
        .as_object()
        .expect("data_source_schemas")
        .keys()
        .collect();
    assert_eq!(names, ["ehpc_app", "ehpc_apps"]);
    let flag = |ty: &str, attr: &str, flag: &str| ds[ty]["block"]["attributes"][attr][flag] == true;
    assert!(flag("ehpc_app", "app_id", "required"));
    assert!(flag("ehpc_app", "region", "optional") && flag("ehpc_app", "region", "computed"));
    assert!(flag("ehpc_app", "copies", "computed"));
    for attr in [
        "names",
        "name_regex",
        "image_type",
        "image_category",
        "region",
    ] {
        assert!(flag("ehpc_apps", attr, "optional"), "{attr}");
    }
    assert!(flag("ehpc_apps", "apps", "computed") && flag("ehpc_apps", "ids", "computed"));
    assert_eq!(
        strings(&ds["ehpc_apps"]["block"]["attributes"]["names"]["type"]),
        ["set", "string"].iter().map(|s| s.to_string()).collect()
    );
}
