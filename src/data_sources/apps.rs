// SPDX-License-Identifier: MPL-2.0
//! `data "ehpc_apps"`: the applications a region lists, optionally filtered by exact names
//! (sent as ImageNames), a name pattern (applied here: the API has none), the image type and
//! category. Every ListImages page is walked; the result is sorted by AppId so that it, and a
//! `for_each` built from it, stays the same from one plan to the next.

pub mod filter;

use std::collections::BTreeSet;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::engine::{Model, TypedDataSource, WriteComputed};
use crate::protocol::{Attribute, Block, Diagnostics, Schema};
use crate::provider::ProviderData;
use crate::value::{Attr, AttributePath, DecodeError, DecodeErrorKind, Type, Value};

use self::filter::{entry_type, select, validate, AppEntry, Filter};
use super::{api_error, not_configured, read_options, region_to_read};

const TYPE_NAME: &str = "ehpc_apps";

/// The `ehpc_apps` data source type.
#[derive(Clone, Debug, Default)]
pub struct Apps;

impl Apps {
    pub fn new() -> Self {
        Self
    }
}

/// The configured attributes of `ehpc_apps`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppsConfig {
    /// Unknown as a whole while any element is unknown.
    pub names: Attr<BTreeSet<String>>,
    pub name_regex: Attr<String>,
    pub image_type: Attr<String>,
    pub image_category: Attr<String>,
    pub region: Attr<String>,
}

impl Model for AppsConfig {
    fn from_value(v: &Value) -> Result<Self, DecodeError> {
        let names = match v.attr("names") {
            None => {
                let kind = DecodeErrorKind::MissingAttribute("names".into());
                return Err(DecodeError::new(AttributePath::attribute("names"), kind));
            }
            // A set with unknown elements cannot be decoded element by element.
            Some(n) if !n.is_null() && !n.is_wholly_known() => Attr::Unknown,
            Some(_) => v.get("names")?,
        };
        Ok(Self {
            names,
            name_regex: v.get("name_regex")?,
            image_type: v.get("image_type")?,
            image_category: v.get("image_category")?,
            region: v.get("region")?,
        })
    }
}

/// The schema of `ehpc_apps`.
pub fn apps_schema() -> Schema {
    let attributes =
        vec![
        Attribute::new(
            "names",
            Type::Set(Box::new(Type::String)),
            "Only applications with one of these exact names (sent as `ImageNames`). Default: any \
             name.",
        )
        .optional(),
        Attribute::new(
            "name_regex",
            Type::String,
            "Only applications whose name matches this regular expression (Rust `regex` syntax, \
             unanchored: use `^…$` to match the whole name). Applications without a name never \
             match. Checked at plan time.",
        )
        .optional(),
        Attribute::new("image_type", Type::String, "`VM` or `Container`. Default: `VM`.")
            .optional()
            .computed(),
        Attribute::new(
            "image_category",
            Type::String,
            "`Public` (provided by Alibaba Cloud) or `Custom` (the account's own). Default: both.",
        )
        .optional(),
        Attribute::new(
            "region",
            Type::String,
            "The region whose applications are listed. Default: the provider's region; the state \
             shows the region used.",
        )
        .optional()
        .computed(),
        Attribute::new(
            "apps",
            Type::List(Box::new(entry_type())),
            "The matching applications, sorted by `app_id`: `app_id`, `image_id`, `name`, \
             `version`, `os_tag`, `create_time` and `description` (null when the service reports \
             none).",
        )
        .computed(),
        Attribute::new(
            "ids",
            Type::List(Box::new(Type::String)),
            "The `app_id` of every matching application, in the order of `apps`.",
        )
        .computed(),
    ];
    Schema {
        version: 0,
        block: Block {
            attributes,
            description:
                "Lists the E-HPC Instant applications (images) of a region, every page of \
                 `ListImages`, optionally filtered by name, name pattern, type and \
                 category. An empty result is not an error."
                    .to_string(),
            ..Block::default()
        },
    }
}

#[async_trait::async_trait]
impl TypedDataSource<ProviderData> for Apps {
    type Config = AppsConfig;
    type Read = AppsRead;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        apps_schema()
    }

    fn validate(&self, config: &AppsConfig) -> Diagnostics {
        validate(config)
    }

    async fn read(
        &self,
        config: AppsConfig,
        data: Arc<ProviderData>,
        cancel: CancellationToken,
    ) -> Result<AppsRead, Diagnostics> {
        // Validation ran at plan time; this rebuilds the same filter from the same values.
        let filter = Filter::from_config(&config)?;
        let region = region_to_read(&config.region, data.region())?;
        let Some(client) = data.client() else {
            return Err(not_configured(TYPE_NAME).into());
        };
        let opts = read_options(cancel);
        let images = super::ImagesApi::list_images(client, &region, &filter.request(), &opts)
            .await
            .map_err(|err| api_error("ListImages", &err))?;
        let apps = select(&images, &filter);
        Ok(AppsRead::new(&config, &region, &filter, apps))
    }
}

/// What a read of `ehpc_apps` computes: the region and image type used when the
/// configuration sets none, and the apps (whose ids `ids` lists in the same order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppsRead {
    pub region: Option<String>,
    pub image_type: Option<String>,
    pub apps: Vec<filter::AppEntry>,
}

impl AppsRead {
    /// The read of `apps` in `region` with `filter`, for `config`.
    pub fn new(config: &AppsConfig, region: &str, filter: &Filter, apps: Vec<AppEntry>) -> Self {
        AppsRead {
            region: config.region.is_null().then(|| region.to_string()),
            image_type: config
                .image_type
                .is_null()
                .then(|| filter.image_type.clone()),
            apps,
        }
    }
}

impl WriteComputed for AppsRead {
    fn write(self, state: &mut Value) {
        let ids = self
            .apps
            .iter()
            .map(|a| Value::string(a.app_id.clone()))
            .collect();
        let apps = self.apps.into_iter().map(AppEntry::into_value).collect();
        let defaults = [("region", self.region), ("image_type", self.image_type)]
            .into_iter()
            .filter_map(|(name, v)| Some((name, Value::string(v?))));
        state.set_attrs(defaults.chain([
            ("ids", Value::list(Type::String, ids)),
            ("apps", Value::list(entry_type(), apps)),
        ]));
    }
}

#[cfg(test)]
mod tests;
