// SPDX-License-Identifier: MPL-2.0
//! The schema of `ehpc_app_sync` (version 0). [`super::model::AppSyncModel`] mirrors it; a
//! test round-trips a full model through [`app_sync_schema`]'s implied type so both stay in step.

use crate::protocol::{Attribute, Block, NestedBlock, NestingMode, Schema};
use crate::value::Type;

/// The current state schema version; UpgradeResourceState migrates older ones.
pub const SCHEMA_VERSION: i64 = 0;

fn timeouts_block() -> NestedBlock {
    let duration = |name: &str, what: &str| {
        Attribute::new(
            name,
            Type::String,
            &format!("How long {what} may take, retries included, as a duration such as `\"10m\"`, `\"1h30m\"` or `\"45s\"`. Default: `\"10m\"`."),
        )
        .optional()
    };
    NestedBlock {
        type_name: "timeouts".to_string(),
        block: Block {
            attributes: vec![
                duration("create", "the first synchronization"),
                duration("update", "synchronizing added regions"),
            ],
            description: "Time limits for the SynchronizeApp calls, including their retries."
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
        Attribute::new("app_id", Type::String, "ID of the E-HPC Instant application (image) to copy, e.g. `ci-vm-rYfypJKwlN9Y`. Changing it replaces the resource (and synchronizes the new application to every target region).")
            .required()
            .requires_replace(),
        Attribute::new("target_region_ids", Type::Set(Box::new(Type::String)), "Regions to copy the application to, e.g. `[\"cn-shanghai\", \"ap-southeast-1\"]`, or `[\"all\"]` for every region. Adding regions synchronizes only the added ones; removing a region leaves its copy in place, because the API cannot remove copies. When null or empty, `TargetRegionIds` is not sent.")
            .optional(),
        Attribute::new("region", Type::String, "The region whose E-HPC Instant endpoint receives the calls, i.e. where the application lives. Default: the provider's region. Changing it replaces the resource.")
            .optional()
            .computed()
            .requires_replace(),
        Attribute::new("request_id", Type::String, "The RequestId of the last SynchronizeApp call made for this resource; quote it to Alibaba Cloud support. Empty after an import until the next synchronization.")
            .computed(),
        Attribute::new("id", Type::String, "The application ID (same as `app_id`).").computed(),
    ];
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            attributes,
            block_types: vec![timeouts_block()],
            description: "Copies an E-HPC Instant application to other regions with `SynchronizeApp`. The API can only add copies: destroying this resource, or removing regions, leaves the copies in place. There is no API to read the synchronization status, so the state records what Terraform asked for and the RequestId of the last call.".to_string(),
            ..Block::default()
        },
    }
}
