// SPDX-License-Identifier: MPL-2.0
//! `data "ehpc_app"`: one application by its AppId, with its image and its copies in other
//! regions. The AppId leads to the image through the client's shared ListImages pass
//! (`find_app`); GetImage then gives the status and the copies, in the same shape as
//! `ehpc_app_sync`'s (see [`crate::copies`]).

use std::sync::Arc;

use ehpc_alibaba::actions::{ImageDetail, ImageSummary};
use ehpc_alibaba::{CallOptions, ErrorCode};
use tokio_util::sync::CancellationToken;

use crate::copies::{copies_of, copy_type, Copies};
use crate::engine::{Model, TypedDataSource, WriteComputed};
use crate::protocol::{Attribute, Block, Diagnostic, Diagnostics, Schema};
use crate::provider::cloud::by_id;
use crate::provider::validate::{app_id_problem, check_region, image_id_hint};
use crate::provider::ProviderData;
use crate::value::{Attr, AttributePath, DecodeError, IntoValue, Type, Value};

use super::{api_error, not_configured, read_options, region_to_read, text_attr, ImagesApi};

const TYPE_NAME: &str = "ehpc_app";

/// The `ehpc_app` data source type.
#[derive(Clone, Debug, Default)]
pub struct App;

impl App {
    pub fn new() -> Self {
        Self
    }
}

/// The configured attributes of `ehpc_app`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppConfig {
    pub app_id: Attr<String>,
    pub region: Attr<String>,
}

impl Model for AppConfig {
    fn from_value(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            app_id: v.get("app_id")?,
            region: v.get("region")?,
        })
    }
}

/// What the API says about one application: its ListImages entry and its GetImage answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoundApp {
    pub summary: ImageSummary,
    pub detail: ImageDetail,
}

/// The schema of `ehpc_app`.
pub fn app_schema() -> Schema {
    let computed =
        |name: &str, description: &str| Attribute::new(name, Type::String, description).computed();
    let attributes =
        vec![
        Attribute::new(
            "app_id",
            Type::String,
            "ID of the E-HPC Instant application, e.g. `ci-vm-rYfypJKwlN9Y`.",
        )
        .required(),
        Attribute::new(
            "region",
            Type::String,
            "The region whose E-HPC Instant endpoint is asked, i.e. where the application lives. \
             Default: the provider's region; the state shows the region used.",
        )
        .optional()
        .computed(),
        computed("image_id", "The application's image ID (`m-…`), what GetImage takes."),
        computed("name", "The application's name; null when the service reports none."),
        computed("version", "The application's version; null when the service reports none."),
        computed("image_type", "`VM` or `Container`."),
        computed("status", "The image's status as the service reports it; null when it reports \
                            none."),
        computed("create_time", "When the image was created, as the service reports it."),
        Attribute::new(
            "copies",
            Type::Map(Box::new(copy_type())),
            "The application's copies in other regions, by region id: each copy's own `image_id` \
             (empty when not reported) and `status` as GetImage reports them (e.g. `Available`, \
             `Creating`, `Failed`). Same shape as `ehpc_app_sync`'s `copies`.",
        )
        .computed(),
    ];
    Schema {
        version: 0,
        block: Block {
            attributes,
            description: "Reads one E-HPC Instant application (image) by its application ID: its \
                          image, name, version, status and the copies other regions hold. Reading \
                          an application that does not exist in the region is an error."
                .to_string(),
            ..Block::default()
        },
    }
}

/// Checks the known values of a configuration.
pub fn validate(config: &AppConfig) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(problem) = config.app_id.known().and_then(|id| app_id_problem(id)) {
        diags.attribute_error(
            AttributePath::attribute("app_id"),
            "Invalid app_id",
            problem,
        );
    }
    check_region(&config.region, &mut diags);
    diags
}

/// The error of an app that `region` does not list.
pub fn not_found(app_id: &str, region: &str) -> Diagnostic {
    Diagnostic::error(
        "Application not found",
        format!(
            "No application with app_id {app_id:?} in region {region}: ListImages lists no \
             image with that AppId there. Check the id, or set `region` to the region that \
             holds the application.{}",
            image_id_hint(app_id)
        ),
    )
    .at(AttributePath::attribute("app_id"))
}

/// Finds `app_id` in `region` and reads its image.
///
/// # Errors
/// The app is not listed (pointed at `app_id`), or a call failed.
pub async fn find<A: ImagesApi + ?Sized>(
    api: &A,
    region: &str,
    app_id: &str,
    opts: &CallOptions,
) -> Result<FoundApp, Diagnostic> {
    let summary = match api.find_app(region, app_id, opts).await {
        Ok(Some(summary)) => summary,
        Ok(None) => return Err(not_found(app_id, region)),
        Err(err) => return Err(api_error("ListImages", &err)),
    };
    // GetImage assumes VM; a container image is found only when its type is sent.
    let action = by_id(&summary.image_id, Some(&summary.image_type));
    match api.get_image(region, &action, opts).await {
        Ok(detail) => Ok(FoundApp { summary, detail }),
        // Listed a moment ago, gone now (deleted in between): still "this app does not exist".
        Err(err) if err.is(ErrorCode::ImageNotFound) => Err(not_found(app_id, region)),
        Err(err) => Err(api_error("GetImage", &err)),
    }
}

/// What a read of `ehpc_app` computes, from the service's answers. GetImage's answer wins
/// over the ListImages entry where both speak; what the service does not report is null.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppRead {
    /// The region read, recorded only when the configuration sets none.
    pub region: Option<String>,
    pub image_id: Attr<String>,
    pub name: Attr<String>,
    pub version: Attr<String>,
    pub image_type: Attr<String>,
    pub status: Attr<String>,
    pub create_time: Attr<String>,
    pub copies: Copies,
}

impl AppRead {
    /// The read of `found` in `region` for `config`.
    pub fn new(config: &AppConfig, region: &str, found: &FoundApp) -> Self {
        let (s, d) = (&found.summary, &found.detail);
        let either = |detail: &Option<String>, summary: &Option<String>| {
            text_attr(detail.as_deref().or(summary.as_deref()))
        };
        let listed_type = Some(s.image_type.clone()).filter(|t| !t.is_empty());
        AppRead {
            region: config.region.is_null().then(|| region.to_string()),
            image_id: text_attr(Some(&s.image_id)),
            name: either(&d.name, &s.name),
            version: either(&d.version, &s.version),
            image_type: either(&d.image_type, &listed_type),
            status: text_attr(d.status.as_deref()),
            create_time: either(&d.create_time, &s.create_time),
            copies: copies_of(d),
        }
    }
}

impl WriteComputed for AppRead {
    fn write(self, state: &mut Value) {
        let region = self.region.map(|r| ("region", Value::string(r)));
        state.set_attrs(region.into_iter().chain([
            ("image_id", self.image_id.into_value()),
            ("name", self.name.into_value()),
            ("version", self.version.into_value()),
            ("image_type", self.image_type.into_value()),
            ("status", self.status.into_value()),
            ("create_time", self.create_time.into_value()),
            ("copies", self.copies.into_value()),
        ]));
    }
}

#[async_trait::async_trait]
impl TypedDataSource<ProviderData> for App {
    type Config = AppConfig;
    type Read = AppRead;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        app_schema()
    }

    fn validate(&self, config: &AppConfig) -> Diagnostics {
        validate(config)
    }

    async fn read(
        &self,
        config: AppConfig,
        data: Arc<ProviderData>,
        cancel: CancellationToken,
    ) -> Result<AppRead, Diagnostics> {
        let region = region_to_read(&config.region, data.region())?;
        let Some(client) = data.client() else {
            return Err(not_configured(TYPE_NAME).into());
        };
        let Some(app_id) = config.app_id.known() else {
            // The engine reads only wholly known configurations, and app_id is required.
            return Err(Diagnostic::error(
                "Missing app_id",
                "ehpc_app was read without a known app_id. This is a bug in the provider; \
                 please report it.",
            )
            .at(AttributePath::attribute("app_id"))
            .into());
        };
        let found = find(client, &region, app_id, &read_options(cancel)).await?;
        Ok(AppRead::new(&config, &region, &found))
    }
}

#[cfg(test)]
mod tests;
