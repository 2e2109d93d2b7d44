// SPDX-License-Identifier: MPL-2.0
//! EhpcInstant `ListImages` and `GetImage` (2023-07-01): the apps read back as images. The
//! parameters are parsed with the client's own `from_params`, and the answers are built from
//! the client's response structs, so both sides share the SDK 4.1.0 field names and JSON
//! types. Every app is a `Custom` image with one version, of type `VM` or (`--app
//! ID,type=Container`) `Container`; what the SDK models have and the emulator cannot know (OS,
//! size, document, registry) holds fixed plausible values; `Name` defaults to the ImageId and
//! `Version` to `v1` when the app's configuration has none. A VM image answers GetImage with
//! `VMImageSpec`, a container image with `ContainerImageSpec` (no registry credential).
//!
//! Semantics chosen where the documentation says nothing (docs §1.1):
//! * ListImages pages through the apps in AppId order. `ImageIds` and `ImageNames` keep the
//!   images whose ImageId / Name is in the list; `ImageType` (`VM` | `Container`, absent =
//!   `VM`, the SDK's documented default) and `ImageCategory` (`Public` | `Custom`, absent =
//!   both) filter on the type and category; `Mode` (`List` | `Merge`) changes nothing, since
//!   each app has one version.
//!   `TotalCount` counts every matching image; a page past the end is empty.
//! * GetImage takes the source ImageId (not the AppId, not a copy's id); `ImageType`
//!   defaults to `VM`. An image asked for with another type than its own answers
//!   `ImageNotFound` (404), as `ImageCategory=Public` does: a guess, the service documents no
//!   error for it, but a lookup keyed on (ImageId, ImageType) finds nothing, and it is the
//!   answer the documented default makes the likeliest. So a container image read without
//!   `ImageType=Container` is not found. Without
//!   `AdditionalRegionIds` every copy is reported, with it only the copies in those regions.
//! * An unknown value of `ImageType`, `ImageCategory` or `Mode` is `InvalidParams`.

use axum::Json;
use ehpc_alibaba::actions::{
    ContainerImageSpec, DocumentInfo, GetImageResponse, ImageDetail, ImageSummary,
    ListImagesResponse, RegionCopy, VmImageSpec, DEFAULT_IMAGE_TYPE,
};
use ehpc_alibaba::{timestamp, Action, GetImage, ListImages, ParamError};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::image::AppRecord;
use super::params::RpcRequest;
use super::registration;
use super::{lock, ApiError, AppState};

/// The service's default page size.
const DEFAULT_PAGE_SIZE: u32 = 20;
/// Every emulated image is an image of the account (`Custom`), never `Public`.
const IMAGE_CATEGORY: &str = "Custom";
const OS_TAG: &str = "Alibaba Cloud Linux 3.2104 LTS 64 bit";

/// Handles a verified ListImages call.
///
/// # Errors
/// `InvalidParams` for a bad list, page or enum value.
pub(crate) fn images_list(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let request = ListImages::from_params(&rpc.params).map_err(param_error)?;
    type_and_category(
        request.image_type.as_deref(),
        request.image_category.as_deref(),
    )?;
    one_of("Mode", request.mode.as_deref(), &["List", "Merge"])?;
    let page_number = request.page_number.unwrap_or(1);
    let page_size = request.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    let now = state.now();
    let store = lock(&state.inner.store);
    let hidden = state.inner.config.faults.list_registered_after_seconds;
    let matching: Vec<ImageSummary> = store
        .apps()
        .filter(|(_, record)| matches(&request, record))
        .filter(|(_, record)| registration::listed(record, now, hidden))
        .map(|(app_id, record)| summary(app_id, record, now))
        .collect();
    let skip = u64::from(page_number - 1) * u64::from(page_size);
    let images = matching
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(page_size).unwrap_or(usize::MAX))
        .cloned()
        .collect();
    answer(&ListImagesResponse {
        request_id: rpc.request_id.clone(),
        success: Some(true),
        total_count: Some(matching.len() as u64),
        page_number: Some(u64::from(page_number)),
        page_size: Some(u64::from(page_size)),
        images,
    })
}

/// Handles a verified GetImage call.
///
/// # Errors
/// `MissingParameter` (ImageId), `InvalidParams`, `ImageNotFound`.
pub(crate) fn image_get(state: &AppState, rpc: &RpcRequest) -> Result<Json<Value>, ApiError> {
    let request = GetImage::from_params(&rpc.params).map_err(param_error)?;
    type_and_category(
        request.image_type.as_deref(),
        request.image_category.as_deref(),
    )?;
    let not_found = || ApiError::ImageNotFound(request.image_id.clone());
    if request.image_category.as_deref() == Some("Public") {
        return Err(not_found());
    }
    let now = state.now();
    let store = lock(&state.inner.store);
    let asked = request.image_type.as_deref().unwrap_or(DEFAULT_IMAGE_TYPE);
    let (app_id, record) = store
        .by_image_id(&request.image_id)
        .filter(|(_, record)| record.image_type() == asked)
        .ok_or_else(not_found)?;
    let kind = record.image_type();
    // What AddImage recorded (password removed), else the registry of an `--app` container.
    let container_image_spec = match &record.registration {
        Some(registered) => registered.container_image_spec.clone(),
        None => (kind == "Container").then(|| container_spec(app_id, Some(OS_TAG.into()))),
    };
    let wanted = &request.additional_region_ids;
    let copies = record
        .copies
        .iter()
        .filter(|(region, _)| wanted.is_empty() || wanted.contains(region))
        .filter(|(region, _)| {
            !state
                .inner
                .config
                .faults
                .unlisted_copies_in
                .contains(region)
        })
        .map(|(region, copy)| RegionCopy {
            image_id: Some(copy.image_id.clone()),
            region_id: region.clone(),
            status: Some(copy.status(now).to_string()),
        })
        .collect();
    let summary = summary(app_id, record, now);
    answer(&GetImageResponse {
        request_id: rpc.request_id.clone(),
        success: Some(true),
        total_count: Some(1),
        image: ImageDetail {
            app_id: Some(app_id.clone()),
            image_type: Some(kind.into()),
            name: summary.name,
            version: summary.version,
            description: summary.description,
            size: Some("40 GiB".into()),
            create_time: summary.create_time,
            status: Some(crate::image::AVAILABLE.into()),
            vm_image_spec: (kind == DEFAULT_IMAGE_TYPE).then(|| VmImageSpec {
                architecture: Some("x86_64".into()),
                image_id: Some(record.image_id.clone()),
                os_tag: summary.os_tag.clone(),
                platform: Some("Aliyun".into()),
            }),
            container_image_spec,
            document_info: Some(DocumentInfo {
                document: Some(format!("Emulated application {app_id}.")),
                document_id: Some("0".into()),
                encoding_mode: Some("plaintext".into()),
            }),
            additional_regions_info: copies,
        },
    })
}

/// Whether `record` passes the request's filters.
fn matches(request: &ListImages, record: &AppRecord) -> bool {
    let type_ok =
        request.image_type.as_deref().unwrap_or(DEFAULT_IMAGE_TYPE) == record.image_type();
    let category_ok = request
        .image_category
        .as_deref()
        .is_none_or(|c| c == IMAGE_CATEGORY);
    let id_ok = request.image_ids.is_empty() || request.image_ids.contains(&record.image_id);
    let name_ok =
        request.image_names.is_empty() || request.image_names.iter().any(|n| *n == name(record));
    type_ok && category_ok && id_ok && name_ok
}

/// An app's image as ListImages shows it; GetImage reuses its common fields.
fn summary(app_id: &str, record: &AppRecord, now: OffsetDateTime) -> ImageSummary {
    // The last change is the newest copy started (not in the future of `now`).
    let updated = record
        .copies
        .values()
        .map(|c| c.started)
        .filter(|t| *t <= now)
        .fold(record.created, OffsetDateTime::max);
    ImageSummary {
        app_id: app_id.to_string(),
        image_id: record.image_id.clone(),
        image_type: record.image_type().into(),
        name: Some(name(record).to_string()),
        version: Some(record.version.clone().unwrap_or_else(|| "v1".into())),
        os_tag: Some(OS_TAG.into()),
        create_time: Some(timestamp::format(record.created)),
        update_time: Some(timestamp::format(updated)),
        description: match &record.registration {
            Some(registered) => registered.description.clone(),
            None => Some(format!("Emulated application {app_id}")),
        },
        document_id: Some(0),
        weight: Some(0),
    }
}

/// A container image's `ContainerImageSpec`: an ACR Enterprise image in the emulated
/// registry; no `RegistryCredential` (the SDK model has one, and it holds a password).
fn container_spec(app_id: &str, os_tag: Option<String>) -> ContainerImageSpec {
    ContainerImageSpec {
        architecture: Some("x86_64".into()),
        is_acr_enterprise: Some(true),
        is_acr_registry: Some(true),
        os_tag,
        platform: Some("Aliyun".into()),
        registry_credential: None,
        registry_cri_id: Some("cri-emulated0000".into()),
        registry_url: Some(format!(
            "registry-vpc.emulated.aliyuncs.com/ehpc/{app_id}:latest"
        )),
    }
}

/// The configured name, else the ImageId (a real image always has a name).
fn name(record: &AppRecord) -> &str {
    record.name.as_deref().unwrap_or(&record.image_id)
}

/// `ImageType` and `ImageCategory`, when given, must be words the SDK documents.
fn type_and_category(image_type: Option<&str>, category: Option<&str>) -> Result<(), ApiError> {
    one_of("ImageType", image_type, &["VM", "Container"])?;
    one_of("ImageCategory", category, &["Public", "Custom"])
}

fn one_of(name: &str, value: Option<&str>, allowed: &[&str]) -> Result<(), ApiError> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(ApiError::InvalidParams(format!(
            "Invalid parameters: {name} must be one of {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

fn param_error(e: ParamError) -> ApiError {
    match e {
        ParamError::Missing(name) => ApiError::MissingParameter(name.to_string()),
        invalid @ ParamError::Invalid { .. } => ApiError::InvalidParams(invalid.to_string()),
    }
}

/// Serializes a client response struct: the emulator never names an answer's field itself.
fn answer<T: Serialize>(response: &T) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(response).map(Json).map_err(|e| {
        tracing::error!(error = %e, "cannot serialize an answer");
        ApiError::Internal
    })
}
