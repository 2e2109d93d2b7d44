// SPDX-License-Identifier: MPL-2.0
//! The schema cache: the provider block and every resource and data source schema, built once
//! at construction together with their implied object types, and the GetProviderSchema /
//! GetMetadata answers built from them. Lookup of a resource or data source by type name lives
//! here too.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::protocol::{
    Diagnostic, Diagnostics, GetMetadataResponse, GetProviderSchemaResponse, Schema,
    ServerCapabilities,
};
use crate::value::Type;

use super::{DataSource, Provider, Resource};

/// The capabilities this engine implements.
/// NOTE(protocol): `plan_destroy` makes Terraform send PlanResourceChange for destroys (so
/// resources can warn at plan time); `get_provider_schema_optional` lets it cache our schema
/// per command instead of asking every provider process.
const CAPABILITIES: ServerCapabilities = ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: true,
    move_resource_state: false,
};

/// One resource type, with its schema and implied type computed once.
pub(super) struct ResourceEntry<D> {
    pub(super) resource: Arc<dyn Resource<D>>,
    pub(super) type_name: String,
    pub(super) schema: Schema,
    /// `schema.block.implied_type()`: the type of every state, plan and config value.
    pub(super) ty: Type,
}

/// One data source type, with its schema and implied type computed once.
pub(super) struct DataSourceEntry<D> {
    pub(super) data_source: Arc<dyn DataSource<D>>,
    pub(super) type_name: String,
    pub(super) schema: Schema,
    /// `schema.block.implied_type()`: the type of every config and read result.
    pub(super) ty: Type,
}

/// Every schema the provider serves.
pub(super) struct Schemas<D> {
    pub(super) provider: Schema,
    pub(super) provider_ty: Type,
    resources: BTreeMap<String, ResourceEntry<D>>,
    data_sources: BTreeMap<String, DataSourceEntry<D>>,
    /// Problems found while building (e.g. two resources with one type name); reported with
    /// the schema so that Terraform shows them before anything else runs.
    diagnostics: Diagnostics,
}

impl<D: Send + Sync + 'static> Schemas<D> {
    pub(super) fn build<P: Provider<Data = D>>(
        provider: &P,
        declared: Vec<Arc<dyn Resource<D>>>,
        declared_data_sources: Vec<Arc<dyn DataSource<D>>>,
    ) -> Self {
        let provider_schema = provider.schema();
        let provider_ty = provider_schema.block.implied_type();
        let mut resources = BTreeMap::new();
        let mut diagnostics = Diagnostics::default();
        for resource in declared {
            let type_name = resource.type_name().to_string();
            if resources.contains_key(&type_name) {
                diagnostics.push(super::codec::provider_bug(
                    "Duplicate resource type",
                    format!("The provider declares the resource type {type_name} twice."),
                ));
                continue;
            }
            let schema = resource.schema();
            let ty = schema.block.implied_type();
            let entry = ResourceEntry {
                resource,
                type_name: type_name.clone(),
                schema,
                ty,
            };
            resources.insert(type_name, entry);
        }
        // A data source may share its name with a resource (`data.x` and `x` are distinct
        // addresses), but not with another data source.
        let mut data_sources = BTreeMap::new();
        for data_source in declared_data_sources {
            let type_name = data_source.type_name().to_string();
            if data_sources.contains_key(&type_name) {
                diagnostics.push(super::codec::provider_bug(
                    "Duplicate data source type",
                    format!("The provider declares the data source type {type_name} twice."),
                ));
                continue;
            }
            let schema = data_source.schema();
            let ty = schema.block.implied_type();
            let entry = DataSourceEntry {
                data_source,
                type_name: type_name.clone(),
                schema,
                ty,
            };
            data_sources.insert(type_name, entry);
        }
        Self {
            provider: provider_schema,
            provider_ty,
            resources,
            data_sources,
            diagnostics,
        }
    }

    /// The resource named `type_name`, or an error diagnostic naming it.
    pub(super) fn resource(&self, type_name: &str) -> Result<&ResourceEntry<D>, Diagnostic> {
        self.resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown resource type",
                format!(
                    "The provider does not support the resource type {type_name:?}. Check the \
                     resource type name and that the provider version supports it."
                ),
            )
        })
    }

    /// The data source named `type_name`, or an error diagnostic naming it.
    pub(super) fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry<D>, Diagnostic> {
        self.data_sources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown data source type",
                format!(
                    "The provider does not support the data source type {type_name:?}. Check \
                     the data source type name and that the provider version supports it."
                ),
            )
        })
    }

    pub(super) fn provider_schema_response(&self) -> GetProviderSchemaResponse {
        GetProviderSchemaResponse {
            provider: self.provider.clone(),
            resource_schemas: self
                .resources
                .iter()
                .map(|(name, entry)| (name.clone(), entry.schema.clone()))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(name, entry)| (name.clone(), entry.schema.clone()))
                .collect(),
            server_capabilities: CAPABILITIES,
            diagnostics: self.diagnostics.clone(),
        }
    }

    pub(super) fn metadata_response(&self) -> GetMetadataResponse {
        GetMetadataResponse {
            server_capabilities: CAPABILITIES,
            resources: self.resources.keys().cloned().collect(),
            data_sources: self.data_sources.keys().cloned().collect(),
            diagnostics: self.diagnostics.clone(),
        }
    }
}
