// SPDX-License-Identifier: MPL-2.0
//! State written at schema version 0 (releases before the read side) as version 1: the new
//! computed attributes start empty and `copies_ready` true, so the first plan after upgrading
//! shows no change and calls nothing; the first refresh then fills `image_id` and `copies`.

use crate::protocol::Diagnostic;
use crate::value::{json, Type, Value};

/// The attributes version 1 added, with the values an upgraded state starts with.
fn added_attributes() -> [(&'static str, serde_json::Value); 4] {
    [
        ("wait_for_copies", serde_json::Value::Null),
        ("image_id", serde_json::Value::from("")),
        ("copies", serde_json::json!({})),
        ("copies_ready", serde_json::Value::from(true)),
    ]
}

/// Upgrades a version-0 state (`json`, as Terraform stored it) to a value of type `ty`.
///
/// # Errors
/// A stored state that is not a version-0 object of this resource.
pub fn from_version_0(json: &serde_json::Value, ty: &Type) -> Result<Value, Diagnostic> {
    let serde_json::Value::Object(stored) = json else {
        return Err(Diagnostic::error(
            "Invalid stored state",
            "The stored ehpc_app_sync state (schema version 0) is not an object.",
        ));
    };
    let mut upgraded = stored.clone();
    for (name, value) in added_attributes() {
        upgraded.entry(name).or_insert(value);
    }
    let text = serde_json::Value::Object(upgraded).to_string();
    json::decode(text.as_bytes(), ty).map_err(|e| {
        Diagnostic::error(
            "Invalid stored state",
            format!("The stored ehpc_app_sync state (schema version 0) cannot be upgraded: {e}."),
        )
    })
}

#[cfg(test)]
mod tests;
