// SPDX-License-Identifier: MPL-2.0
//! Builders for the small Terraform configurations the end-to-end tests write: the
//! required_providers block, an `ehpc` provider block pointed at an emulator, and
//! `ehpc_app_sync` resources.

use super::{ACCESS_KEY, PROVIDER_SOURCE, REGION, SECRET_KEY};

/// `terraform { required_providers { ehpc = ... } }`.
pub(crate) fn terraform_block() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    ehpc = {{\n      source = \"{PROVIDER_SOURCE}\"\n    }}\n  }}\n}}\n"
    )
}

/// The terraform block plus a provider block with static keys, the test region and the
/// emulator as the EhpcInstant endpoint.
pub(crate) fn provider(endpoint: &str) -> String {
    format!(
        "{}\nprovider \"ehpc\" {{\n  region     = \"{REGION}\"\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n\n  endpoints {{\n    ehpcinstant = \"{endpoint}\"\n  }}\n}}\n",
        terraform_block()
    )
}

/// The terraform block plus an empty provider block (everything comes from the environment).
pub(crate) fn provider_from_env() -> String {
    format!("{}\nprovider \"ehpc\" {{}}\n", terraform_block())
}

/// An HCL list expression of the given strings.
fn region_list(regions: &[&str]) -> String {
    let quoted: Vec<String> = regions.iter().map(|r| format!("\"{r}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `resource "ehpc_app_sync" NAME { app_id = "APP" target_region_ids = [...] }`; `regions`
/// `None` leaves target_region_ids unset.
pub(crate) fn app_sync(name: &str, app_id: &str, regions: Option<&[&str]>) -> String {
    app_sync_expr(name, &format!("\"{app_id}\""), regions)
}

/// Like [`app_sync`], with `app_id` given as a raw HCL expression.
pub(crate) fn app_sync_expr(name: &str, app_id_expr: &str, regions: Option<&[&str]>) -> String {
    app_sync_with(name, app_id_expr, regions, "")
}

/// Like [`app_sync_expr`], with `extra` lines (e.g. `  wait_for_copies = false\n` or a
/// `timeouts` block) inside the resource block.
pub(crate) fn app_sync_with(
    name: &str,
    app_id_expr: &str,
    regions: Option<&[&str]>,
    extra: &str,
) -> String {
    let regions = regions
        .map(|r| format!("  target_region_ids = {}\n", region_list(r)))
        .unwrap_or_default();
    format!("\nresource \"ehpc_app_sync\" \"{name}\" {{\n  app_id = {app_id_expr}\n{regions}{extra}}}\n")
}
