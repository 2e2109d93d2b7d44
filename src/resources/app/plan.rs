// SPDX-License-Identifier: MPL-2.0
//! The checks of an `ehpc_app` configuration (which may hold unknowns, never rejected) and
//! the plan: the default `image_type` and `region`, and replacement when an image block
//! changes (the top-level arguments are marked `requires_replace` in the schema).

use crate::engine::ModifyPlanResponse;
use crate::protocol::Diagnostics;
use crate::provider::validate::check_region;
use crate::resources::app_sync::timeouts::{parse_duration, TimeoutKind};
use crate::value::{Attr, AttributePath, Type, Value};

use super::model::{count, default_type, first, known_text, AppComputed, CONTAINER, VM};
use super::schema::IMAGE_BLOCKS;

/// Checks the known values of a configuration.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let vm = count(config, "vm_image");
    let container = count(config, "container_image");
    if let (Some(vm), Some(container)) = (vm, container) {
        if vm + container != 1 {
            diags.error(
                "Exactly one image block",
                "Set exactly one of `vm_image { image_id = \"m-…\" }` (an ECS image) and \
                 `container_image { registry_url = \"…\" }` (a container image).",
            );
        }
    }
    if let Some(kind) = known_text(config, "image_type") {
        let path = AttributePath::attribute("image_type");
        match kind.as_str() {
            VM if container == Some(1) => diags.attribute_error(
                path,
                "Invalid image_type",
                "image_type is \"VM\" but the configuration has a `container_image` block; \
                 set image_type = \"Container\" or leave it unset.",
            ),
            CONTAINER if vm == Some(1) => diags.attribute_error(
                path,
                "Invalid image_type",
                "image_type is \"Container\" but the configuration has a `vm_image` block; \
                 set image_type = \"VM\" or leave it unset.",
            ),
            VM | CONTAINER => {}
            other => diags.attribute_error(
                path,
                "Invalid image_type",
                format!("image_type must be \"VM\" or \"Container\", not {other:?}."),
            ),
        }
    }
    if known_text(config, "name").is_some_and(|n| n.trim().is_empty()) {
        diags.attribute_error(
            AttributePath::attribute("name"),
            "Invalid name",
            "name must not be empty.",
        );
    }
    if let Some(vm_id) = first(config, "vm_image").and_then(|b| known_text(b, "image_id")) {
        if vm_id.trim().is_empty() || vm_id.chars().any(char::is_whitespace) {
            diags.error(
                "Invalid vm_image.image_id",
                format!("{vm_id:?} is not an image ID; ECS image IDs look like m-bp1akkkr1rkxtb."),
            );
        }
    }
    let region: Attr<String> = config.get("region").unwrap_or_default();
    check_region(&region, &mut diags);
    if let Some(timeouts) = config.attr("timeouts") {
        for kind in [TimeoutKind::Create, TimeoutKind::Delete] {
            let name = kind.name();
            if let Some(Err(problem)) = known_text(timeouts, name).map(|t| parse_duration(&t)) {
                diags.attribute_error(
                    AttributePath::attribute("timeouts").attr(name),
                    "Invalid timeout",
                    problem,
                );
            }
        }
    }
    diags
}

/// The private bytes of an imported application: its registry password version was never
/// known, so setting `password_wo_version` for the first time does not replace it.
pub const IMPORTED: &[u8] = b"imported";

/// Refines the engine's plan of a create or an update; `prior_private` tells an import.
pub fn refine(
    config: &Value,
    prior: &Value,
    prior_private: &[u8],
    provider_region: &Attr<String>,
    resp: &mut ModifyPlanResponse,
) {
    let image_type = config
        .attr("image_type")
        .is_some_and(Value::is_null)
        .then(|| match count(config, "container_image") {
            Some(n) => Attr::Known(default_type(n > 0).to_string()),
            None => Attr::Unknown,
        });
    let region = config
        .attr("region")
        .is_some_and(Value::is_null)
        .then(|| match provider_region {
            Attr::Known(r) => Attr::Known(r.clone()),
            _ => Attr::Unknown,
        });
    AppComputed {
        image_type,
        region,
        ..AppComputed::default()
    }
    .write(&mut resp.planned);
    if prior.is_null() {
        return;
    }
    let imported = prior_private == IMPORTED;
    for block in IMAGE_BLOCKS {
        let before = prior.attr(block);
        let after = resp.planned.attr(block).map(|planned| match before {
            Some(before) if imported => first_version_ignored(before, planned),
            _ => planned.clone(),
        });
        let after = after.as_ref();
        let comparable =
            before.is_some_and(Value::is_wholly_known) && after.is_some_and(Value::is_wholly_known);
        if !comparable || before != after {
            resp.requires_replace.push(AttributePath::attribute(block));
        }
    }
}

/// The `registry_credential` of a `container_image` block list, if there is one.
fn credential(blocks: &Value) -> Option<&Value> {
    let block = blocks.elements().and_then(<[Value]>::first)?;
    first(block, "registry_credential")
}

/// `planned` (a block list) with the `password_wo_version` of `prior` when `prior`'s is null,
/// as after an import: the first version set is then no change.
fn first_version_ignored(prior: &Value, planned: &Value) -> Value {
    const VERSION: &str = "password_wo_version";
    const CREDENTIAL: &str = "registry_credential";
    let prior_unset = credential(prior)
        .and_then(|c| c.attr(VERSION))
        .is_some_and(Value::is_null);
    let (Some(block), Some(credential)) = (
        planned.elements().and_then(<[Value]>::first),
        credential(planned),
    ) else {
        return planned.clone();
    };
    if !prior_unset {
        return planned.clone();
    }
    let mut credential = credential.clone();
    credential.set_attr(VERSION, Value::null(Type::Number));
    let mut block = block.clone();
    let credential_ty = credential.ty().clone();
    block.set_attr(CREDENTIAL, Value::list(credential_ty, vec![credential]));
    Value::list(block.ty().clone(), vec![block])
}
