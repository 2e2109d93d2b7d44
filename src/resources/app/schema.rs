// SPDX-License-Identifier: MPL-2.0
//! The schema of `ehpc_app` (version 0). There is no update API, so every argument replaces
//! the application: top-level ones are marked `requires_replace`, the image blocks are
//! compared whole by `super::plan`. `password_wo` is write-only: Terraform ≥ 1.11 sends it
//! with the configuration and the engine nulls it in every answer.

use crate::protocol::{Attribute, Block, NestedBlock, NestingMode, Schema};
use crate::value::Type;

/// The blocks compared whole at plan time (a change replaces the application).
pub const IMAGE_BLOCKS: [&str; 2] = ["vm_image", "container_image"];

fn one_block(name: &str, description: &str, block: Block) -> NestedBlock {
    NestedBlock {
        type_name: name.to_string(),
        block: Block {
            description: description.to_string(),
            ..block
        },
        nesting: NestingMode::List,
        min_items: 0,
        max_items: 1,
    }
}

fn optional(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute::new(name, ty, description).optional()
}

fn vm_image_block() -> NestedBlock {
    let attributes = vec![Attribute::new(
        "image_id",
        Type::String,
        "The ECS image to register, e.g. `m-bp1akkkr1rkxtb`. Sent as `VMImageSpec.ImageId`.",
    )
    .required()];
    let block = Block {
        attributes,
        ..Block::default()
    };
    one_block(
        "vm_image",
        "A VM application from an ECS custom image. Exactly one of `vm_image` and \
            `container_image`.",
        block,
    )
}

fn registry_credential_block() -> NestedBlock {
    let attributes = vec![
        optional(
            "server",
            Type::String,
            "The registry server, e.g. `registry-vpc.cn-hangzhou.aliyuncs.com`.",
        ),
        optional("user_name", Type::String, "The user name for the registry."),
        optional(
            "password_wo",
            Type::String,
            "The registry password. Write-only (Terraform or OpenTofu 1.11 or later): sent to \
                `AddImage` and never stored in the plan or the state. Changing it alone changes \
                nothing: bump `password_wo_version` to register the application again with the new \
                password.",
        )
        .sensitive()
        .write_only(),
        optional(
            "password_wo_version",
            Type::Number,
            "Any number; changing it replaces the application, registering it again with the \
                current `password_wo`.",
        ),
    ];
    let block = Block {
        attributes,
        ..Block::default()
    };
    one_block(
        "registry_credential",
        "How E-HPC Instant signs in to the registry.",
        block,
    )
}

fn container_image_block() -> NestedBlock {
    let attributes = vec![
        Attribute::new(
            "registry_url",
            Type::String,
            "The image to pull, e.g. \
                `registry-vpc.cn-hangzhou.aliyuncs.com/ehpc_open/nginx:latest`.",
        )
        .required(),
        optional(
            "is_acr_registry",
            Type::Bool,
            "Whether the registry is an Alibaba Cloud Container Registry (ACR).",
        ),
        optional(
            "is_acr_enterprise",
            Type::Bool,
            "Whether the registry is an ACR Enterprise Edition instance.",
        ),
        optional(
            "registry_cri_id",
            Type::String,
            "The ACR Enterprise Edition instance ID, e.g. `cri-xyz795ygf8k9`.",
        ),
    ];
    let block = Block {
        attributes,
        block_types: vec![registry_credential_block()],
        ..Block::default()
    };
    one_block(
        "container_image",
        "A container application from a registry image. Exactly one of `vm_image` and \
            `container_image`.",
        block,
    )
}

fn timeouts_block() -> NestedBlock {
    let duration = |name: &str, what: &str| {
        optional(
            name,
            Type::String,
            &format!(
                "How long {what} may take, retries included, as a duration such as `\"10m\"` or \
                    `\"45s\"`. Default: `\"10m\"`."
            ),
        )
    };
    NestedBlock {
        type_name: "timeouts".to_string(),
        block: Block {
            attributes: vec![
                duration(
                    "create",
                    "registering the application and reading it back until it is listed",
                ),
                duration("delete", "removing the application"),
            ],
            description: "Time limits for the API calls of an apply.".to_string(),
            ..Block::default()
        },
        nesting: NestingMode::Single,
        min_items: 0,
        max_items: 0,
    }
}

/// The resource schema.
pub fn app_schema() -> Schema {
    let computed =
        |name: &str, description: &str| Attribute::new(name, Type::String, description).computed();
    let attributes = vec![
        Attribute::new(
            "name",
            Type::String,
            "The application's name (`AddImage`'s `Name`). Changing it replaces the application.",
        )
        .required()
        .requires_replace(),
        optional(
            "image_type",
            Type::String,
            "`VM` or `Container`. Default: `Container` with a `container_image` block, else `VM`. \
                Changing it replaces the application.",
        )
        .computed()
        .requires_replace(),
        optional(
            "version",
            Type::String,
            "The application's version, e.g. `v1.0`. Changing it replaces the application.",
        )
        .requires_replace(),
        optional(
            "description",
            Type::String,
            "The application's description. Changing it replaces the application.",
        )
        .requires_replace(),
        optional(
            "region",
            Type::String,
            "The region whose E-HPC Instant endpoint registers the application, i.e. where it \
                lives. Default: the provider's region. Changing it replaces the application.",
        )
        .computed()
        .requires_replace(),
        computed("id", "The application's image ID (same as `image_id`)."),
        computed(
            "app_id",
            "The application ID (`ci-vm-…`), what `ehpc_app_sync.app_id` takes; found with \
                `ListImages`.",
        ),
        computed(
            "image_id",
            "The image ID `AddImage` answered (`m-…`), what `GetImage` and `RemoveImage` take.",
        ),
        computed(
            "status",
            "The image's status as `GetImage` last reported it; null when it reports none.",
        ),
        computed(
            "create_time",
            "When the application was registered, as the service reports it.",
        ),
    ];
    Schema {
        version: 0,
        block: Block {
            attributes,
            block_types: vec![vm_image_block(), container_image_block(), timeouts_block()],
            description: "Registers an ECS custom image or a container image as an E-HPC Instant \
                application (`AddImage`), reads it back (`ListImages`, `GetImage`) and removes it \
                on destroy (`RemoveImage`). There is no update API: every argument replaces the \
                application. Copy it to other regions with `ehpc_app_sync` (`app_id = \
                ehpc_app.x.app_id`). Import by image ID (`m-…`) or application ID (`ci-vm-…`)."
                .to_string(),
            ..Block::default()
        },
    }
}
