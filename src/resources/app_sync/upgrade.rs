// SPDX-License-Identifier: MPL-2.0
//! Older stored states as the current schema (version 2):
//!
//! * version 0 (releases before the read side) had no `wait_for_copies`, `image_id`, `copies`
//!   nor `copies_ready`. The copies start as [`NOT_REPORTED`] in each explicit target region
//!   (the old state's word that SynchronizeApp accepted them, not yet read back) and
//!   `copies_ready` true, so the first plan shows no change and calls nothing; the first
//!   refresh replaces them with what GetImage reports.
//! * version 1 had the same attributes, but a refresh rewrote `target_region_ids` and never
//!   recorded [`crate::copies::MISSING`]: the values carry over as they are. The version
//!   changed so that a provider of version-1 semantics refuses a state whose `copies` mean
//!   more than it knows.

use crate::copies::NOT_REPORTED;
use crate::protocol::Diagnostic;
use crate::value::{json, Type, Value};

use ehpc_alibaba::actions::ALL_REGIONS;

/// The copies a version-0 state starts with: not reported in each explicit target region.
fn seeded_copies(stored: &serde_json::Map<String, serde_json::Value>) -> serde_json::Value {
    let targets = stored
        .get("target_region_ids")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let copies: serde_json::Map<String, serde_json::Value> = targets
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter(|r| *r != ALL_REGIONS)
        .map(|r| {
            let copy = serde_json::json!({ "image_id": "", "status": NOT_REPORTED });
            (r.to_string(), copy)
        })
        .collect();
    serde_json::Value::Object(copies)
}

/// Upgrades a version-0 state (`json`, as Terraform stored it) to a value of type `ty`.
///
/// # Errors
/// A stored state that is not a version-0 object of this resource.
pub fn from_version_0(json: &serde_json::Value, ty: &Type) -> Result<Value, Diagnostic> {
    let stored = object(json, 0)?;
    let mut upgraded = stored.clone();
    let added = [
        ("wait_for_copies", serde_json::Value::Null),
        ("image_id", serde_json::Value::from("")),
        ("copies", seeded_copies(stored)),
        ("copies_ready", serde_json::Value::from(true)),
    ];
    for (name, value) in added {
        upgraded.entry(name).or_insert(value);
    }
    decode(&serde_json::Value::Object(upgraded), ty, 0)
}

/// Upgrades a version-1 state: the values are the same.
///
/// # Errors
/// A stored state that is not a version-1 object of this resource.
pub fn from_version_1(json: &serde_json::Value, ty: &Type) -> Result<Value, Diagnostic> {
    object(json, 1)?;
    decode(json, ty, 1)
}

fn object(
    json: &serde_json::Value,
    version: i64,
) -> Result<&serde_json::Map<String, serde_json::Value>, Diagnostic> {
    json.as_object().ok_or_else(|| {
        Diagnostic::error(
            "Invalid stored state",
            format!("The stored ehpc_app_sync state (schema version {version}) is not an object."),
        )
    })
}

fn decode(json: &serde_json::Value, ty: &Type, version: i64) -> Result<Value, Diagnostic> {
    json::decode(json.to_string().as_bytes(), ty).map_err(|e| {
        Diagnostic::error(
            "Invalid stored state",
            format!(
                "The stored ehpc_app_sync state (schema version {version}) cannot be \
                 upgraded: {e}."
            ),
        )
    })
}

#[cfg(test)]
mod tests;
