// SPDX-License-Identifier: MPL-2.0
//! Schemas and server capabilities, protocol -> proto.

use crate::protocol::{
    Attribute, Block, NestedBlock, NestingMode, Schema, ServerCapabilities, StringKind,
};
use crate::value::Type;

use super::tfplugin6 as pb;

impl From<Schema> for pb::Schema {
    fn from(s: Schema) -> Self {
        Self {
            version: s.version,
            block: Some(s.block.into()),
        }
    }
}

impl From<Block> for pb::schema::Block {
    fn from(b: Block) -> Self {
        Self {
            // The block-level version is unused by Terraform; the schema carries the real one.
            version: 0,
            attributes: b.attributes.into_iter().map(Into::into).collect(),
            block_types: b.block_types.into_iter().map(Into::into).collect(),
            description: b.description,
            description_kind: string_kind(b.description_kind),
            deprecated: b.deprecated,
        }
    }
}

impl From<Attribute> for pb::schema::Attribute {
    fn from(a: Attribute) -> Self {
        // `requires_replace` is engine-only and deliberately not sent: Terraform learns about
        // replacements from PlanResourceChange's `requires_replace` paths.
        let ty = a.ty.unwrap_or(Type::Dynamic);
        Self {
            name: a.name,
            // NOTE(protocol): exactly one of `type` / `nested_type`; we only use `type`.
            r#type: ty.to_json(),
            nested_type: None,
            description: a.description,
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            description_kind: string_kind(a.description_kind),
            deprecated: a.deprecated,
            write_only: a.write_only,
        }
    }
}

impl From<NestedBlock> for pb::schema::NestedBlock {
    fn from(nb: NestedBlock) -> Self {
        use pb::schema::nested_block::NestingMode as Pb;
        let nesting = match nb.nesting {
            NestingMode::Single => Pb::Single,
            NestingMode::List => Pb::List,
            NestingMode::Set => Pb::Set,
            NestingMode::Map => Pb::Map,
            NestingMode::Group => Pb::Group,
        };
        Self {
            type_name: nb.type_name,
            block: Some(nb.block.into()),
            nesting: nesting.into(),
            min_items: nb.min_items,
            max_items: nb.max_items,
        }
    }
}

impl From<ServerCapabilities> for pb::ServerCapabilities {
    fn from(c: ServerCapabilities) -> Self {
        Self {
            plan_destroy: c.plan_destroy,
            get_provider_schema_optional: c.get_provider_schema_optional,
            move_resource_state: c.move_resource_state,
        }
    }
}

fn string_kind(k: StringKind) -> i32 {
    match k {
        StringKind::Plain => pb::StringKind::Plain.into(),
        StringKind::Markdown => pb::StringKind::Markdown.into(),
    }
}

#[cfg(test)]
mod tests;
