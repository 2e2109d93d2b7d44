// SPDX-License-Identifier: MPL-2.0
//! Schemas of the provider block and of resources.

use std::collections::BTreeMap;

use crate::value::Type;

/// How a description is formatted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StringKind {
    Plain,
    #[default]
    Markdown,
}

/// A versioned block schema. `version` is the state schema version (UpgradeResourceState).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

/// A block: attributes plus nested blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub block_types: Vec<NestedBlock>,
    pub description: String,
    pub description_kind: StringKind,
    pub deprecated: bool,
}

/// One attribute. Exactly one of required / optional / computed / optional+computed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Option<Type>,
    pub description: String,
    pub description_kind: StringKind,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    /// Engine-only (never sent to Terraform): a change of this attribute replaces the resource.
    pub requires_replace: bool,
    /// Sent by Terraform ≥ 1.11 with the configuration only: the engine nulls it in every
    /// object it returns, so it never reaches a plan or state.
    pub write_only: bool,
}

/// How a nested block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestingMode {
    Single,
    List,
    Set,
    Map,
    Group,
}

/// A nested block type.
#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: NestingMode,
    pub min_items: i64,
    pub max_items: i64,
}

impl Attribute {
    /// An attribute of type `ty`; set the flags with the builder methods.
    pub fn new(name: &str, ty: Type, description: &str) -> Self {
        Self {
            name: name.to_string(),
            ty: Some(ty),
            description: description.to_string(),
            ..Self::default()
        }
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }
}

impl Block {
    /// The object type of values of this block: one attribute per attribute and per nested block.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone().unwrap_or(Type::Dynamic)))
            .collect();
        for nb in &self.block_types {
            let inner = nb.block.implied_type();
            let ty = match nb.nesting {
                NestingMode::Single | NestingMode::Group => inner,
                NestingMode::List => Type::List(Box::new(inner)),
                NestingMode::Set => Type::Set(Box::new(inner)),
                NestingMode::Map => Type::Map(Box::new(inner)),
            };
            attrs.insert(nb.type_name.clone(), ty);
        }
        Type::Object(attrs)
    }

    /// The attribute named `name`, if any.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}
