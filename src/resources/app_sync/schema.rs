// SPDX-License-Identifier: MPL-2.0
//! The schema of `ehpc_app_sync` (version 2; version 0 had no `wait_for_copies`, `image_id`,
//! `copies` nor `copies_ready`, version 1 rewrote `target_region_ids` on refresh, see
//! `upgrade`). [`super::model::AppSyncModel`] mirrors it; a
//! test round-trips a full model through [`app_sync_schema`]'s implied type so both stay in step.

use crate::copies::copy_type;
use crate::protocol::{Attribute, Block, NestedBlock, NestingMode, Schema};
use crate::value::Type;

/// The current state schema version; UpgradeResourceState migrates older ones.
pub const SCHEMA_VERSION: i64 = 2;

fn timeouts_block() -> NestedBlock {
    let duration = |name: &str, what: &str| {
        Attribute::new(
            name,
            Type::String,
            &format!(
                "How long {what} may take, retries and the wait for copies included, as a \
                 duration such as `\"10m\"`, `\"1h30m\"` or `\"45s\"`. Default: `\"10m\"`."
            ),
        )
        .optional()
    };
    NestedBlock {
        type_name: "timeouts".to_string(),
        block: Block {
            attributes: vec![
                duration("create", "the first synchronization"),
                duration("update", "synchronizing added regions (or resuming a wait)"),
            ],
            description: "Time limits for the API calls of an apply, their retries and the wait \
                          for copies included."
                .to_string(),
            ..Block::default()
        },
        nesting: NestingMode::Single,
        min_items: 0,
        max_items: 0,
    }
}

/// The resource schema.
pub fn app_sync_schema() -> Schema {
    let attributes = vec![
        Attribute::new(
            "app_id",
            Type::String,
            "ID of the E-HPC Instant application (image) to copy, e.g. `ci-vm-rYfypJKwlN9Y`. \
             Changing it replaces the resource (and synchronizes the new application to every \
             target region).",
        )
        .required()
        .requires_replace(),
        Attribute::new(
            "target_region_ids",
            Type::Set(Box::new(Type::String)),
            "Regions to copy the application to, e.g. `[\"cn-shanghai\", \"ap-southeast-1\"]`, or \
             `[\"all\"]` for every other region. Never the application's own `region` (a plan-time \
             error). Adding regions synchronizes only the added ones; removing a region leaves its \
             copy in place, because the API cannot remove copies. `\"all\"` is sent when it is \
             newly configured; afterwards a copy that is missing or failed is repaired by sending \
             its region explicitly. When null, the create calls `SynchronizeApp` without \
             `TargetRegionIds`; when empty (`[]`), nothing is synchronized (the plan warns). \
             Refresh never rewrites this attribute: drift shows in `copies`, so `ignore_changes = \
             [target_region_ids]` keeps every region.",
        )
        .optional(),
        Attribute::new(
            "region",
            Type::String,
            "The region whose E-HPC Instant endpoint receives the calls, i.e. where the \
             application lives. Default: the provider's region. Changing it replaces the resource.",
        )
        .optional()
        .computed()
        .requires_replace(),
        Attribute::new(
            "wait_for_copies",
            Type::Bool,
            "Whether an apply waits until every region it synchronized holds a ready copy (polling \
             `GetImage`, within the `timeouts`). Default: `true`. A copy that fails ends the apply \
             with an error; a status the provider does not know ends the wait for that region with \
             a warning.",
        )
        .optional(),
        Attribute::new(
            "request_id",
            Type::String,
            "The RequestId of the last SynchronizeApp call made for this resource; quote it to \
             Alibaba Cloud support. Never null: the empty string after an import until the next \
             synchronization, and when no call was ever made (`[]`, or every region already held a \
             copy). The replacement of a tainted object whose create only resumes the wait keeps \
             the RequestId of the call it resumes.",
        )
        .computed(),
        Attribute::new("id", Type::String, "The application ID (same as `app_id`).").computed(),
        Attribute::new(
            "image_id",
            Type::String,
            "The application's image ID (`m-...`), as `ListImages` reports it. Empty when \
             `ListImages` does not list the application.",
        )
        .computed(),
        Attribute::new(
            "copies",
            Type::Map(Box::new(copy_type())),
            "The copies of the application by region, as `GetImage` last reported them: each \
             copy's own `image_id` in that region and its `status` word, verbatim (e.g. \
             `Available`, `Creating`). Two words are the provider's own: `NotReported` marks a \
             region that `SynchronizeApp` accepted or said already holds the application while \
             `GetImage` does not list it (kept, never sent again while targeted); `Missing` marks \
             a copy `GetImage` listed before and no longer lists (deleted outside Terraform; the \
             next apply synchronizes a targeted region again, with a plan-time warning). A plan \
             keeps every entry the apply does not touch known, so \
             `ehpc_app_sync.x.copies[\"cn-shanghai\"].image_id` stays known while other regions \
             are added or repaired. Refreshed on every plan.",
        )
        .computed(),
        Attribute::new(
            "copies_ready",
            Type::Bool,
            "`true` once the last apply finished waiting for its copies; `false` while a wait that \
             timed out or was interrupted still has copies to wait for: the next apply then only \
             resumes waiting, without synchronizing those regions again.",
        )
        .computed(),
    ];
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            attributes,
            block_types: vec![timeouts_block()],
            description: "Copies an E-HPC Instant application to other regions with \
                          `SynchronizeApp`, waits until the copies are ready, and reads them back \
                          with `ListImages` and `GetImage`: a copy deleted or failed outside \
                          Terraform shows in `copies` (`Missing`, or its status), and the next \
                          plan synchronizes that region again with a warning saying why. The API \
                          can only add copies: destroying this resource, or removing regions, \
                          leaves the copies in place."
                .to_string(),
            ..Block::default()
        },
    }
}
