// SPDX-License-Identifier: MPL-2.0
//! Models the unit tests of `ehpc_app_sync` start from: a state whose targets all hold a
//! ready copy, and the copies of a GetImage answer.

use std::collections::BTreeSet;

use crate::copies::{Copies, CopyModel};
use crate::resources::app_sync::model::AppSyncModel;
use crate::value::Attr;

pub(crate) fn known(s: &str) -> Attr<String> {
    Attr::Known(s.to_string())
}

pub(crate) fn regions(items: &[&str]) -> Attr<BTreeSet<String>> {
    Attr::Known(items.iter().map(|s| s.to_string()).collect())
}

/// The copies of `(region, status)` entries; each copy's image id is `m-<region>`.
pub(crate) fn copies(entries: &[(&str, &str)]) -> Copies {
    entries
        .iter()
        .map(|(r, status)| {
            let copy = CopyModel {
                image_id: format!("m-{r}"),
                status: status.to_string(),
            };
            (r.to_string(), copy)
        })
        .collect()
}

/// A ready copy in each of `regions`.
pub(crate) fn ready_copies(regions: &[&str]) -> Copies {
    let entries: Vec<(&str, &str)> = regions.iter().map(|r| (*r, "Available")).collect();
    copies(&entries)
}

/// The state of `app-1` in cn-hangzhou after an apply that synchronized `targets`.
pub(crate) fn state(targets: &[&str]) -> AppSyncModel {
    AppSyncModel {
        app_id: known("app-1"),
        target_region_ids: regions(targets),
        region: known("cn-hangzhou"),
        request_id: known("RID-1"),
        id: known("app-1"),
        wait_for_copies: Attr::Null,
        image_id: known("m-1"),
        copies: Attr::Known(ready_copies(targets)),
        copies_ready: Attr::Known(true),
        timeouts: Attr::Null,
    }
}
