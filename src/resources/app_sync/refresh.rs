// SPDX-License-Identifier: MPL-2.0
//! Refresh (ReadResource) and import of `ehpc_app_sync`: one GetImage per resource fills
//! `image_id` and `copies`. An object whose state records its image id is read with GetImage
//! alone, with the ImageType its private data records or the service's default (see
//! `reads::read_recorded`); otherwise the client's shared ListImages pass tells the image id and
//! the ImageType GetImage needs. `target_region_ids` stays as configured (so
//! `ignore_changes` cannot lose a region): a copy that vanished keeps its key as `Missing`, and
//! the plan repairs what the copies show (see `work`). Only a definite ImageNotFound for the
//! recorded image removes the object: an application ListImages does not list keeps its state
//! as it is, so no listing rule of the service can make a plan that never settles.

use tokio_util::sync::CancellationToken;

use crate::copies::{copies_of, live_regions, with_vanished, MISSING};
use crate::protocol::Diagnostic;
use crate::provider::read_options;
use crate::provider::validate::image_id_hint;
use crate::value::Attr;

use super::model::AppSyncModel;
use super::reads::{read_failed, read_recorded};
use super::work::targets_region;
use crate::provider::cloud::{by_id, ImagesApi};

/// What a refresh found.
#[derive(Debug)]
pub enum Refreshed {
    /// The object as it is now, and the ImageType its reads used (for the private data).
    Present(AppSyncModel, Option<String>),
    /// The application no longer exists: the object leaves the state, with this warning.
    Gone(Diagnostic),
}

/// Refreshes `state` (wholly known, as Terraform stores it); `recorded_type` is the
/// ImageType the object's private data recorded.
///
/// # Errors
/// A read that failed, as a diagnostic.
pub async fn refresh<A: ImagesApi + ?Sized>(
    api: &A,
    mut state: AppSyncModel,
    recorded_type: Option<&str>,
    cancel: &CancellationToken,
) -> Result<Refreshed, Diagnostic> {
    let (Some(region), Some(app_id)) =
        (state.region.known().cloned(), state.app_id.known().cloned())
    else {
        return Ok(Refreshed::Present(state, None));
    };
    let opts = read_options(cancel.clone());
    let recorded = state.image_id.known().cloned().unwrap_or_default();
    let read = if recorded.is_empty() {
        // No image recorded: the listing tells it and the ImageType GetImage must be sent
        // (one ListImages pass per region serves every resource).
        let listed = match api.find_app(&region, &app_id, &opts).await {
            Ok(listed) => listed,
            Err(err) => return Err(read_failed(&err, "ListImages", &app_id, &region)),
        };
        let Some(found) = listed else {
            return Ok(Refreshed::Present(state, None));
        };
        let get = by_id(&found.image_id, Some(&found.image_type));
        match api.get_image(&region, &get, &opts).await {
            Ok(image) => (image, found.image_type, found.image_id),
            Err(err) => return Err(read_failed(&err, "GetImage", &app_id, &region)),
        }
    } else {
        match read_recorded(api, &region, &app_id, &recorded, recorded_type, &opts).await {
            Ok((image, image_type)) => (image, image_type, recorded),
            Err(failure) if failure.image_not_found() => {
                return Ok(Refreshed::Gone(Diagnostic::warning(
                    "Application no longer exists",
                    format!(
                        "E-HPC Instant no longer knows image {recorded} of application \
                        {app_id:?} in {region} (ImageNotFound), so this ehpc_app_sync was removed \
                        from the state; the next plan creates it again if it is still configured."
                    ),
                )))
            }
            Err(failure) => return Err(failure.diagnostic(&app_id, &region)),
        }
    };
    let (image, image_type, image_id) = read;
    let prior = state.copies.known().cloned().unwrap_or_default();
    // The configured regions stay as the user wrote them; the copies record the truth, and
    // the plan computes the repair from them.
    let mut copies = with_vanished(copies_of(&image), &prior);
    // A copy that vanished from a region no longer targeted is simply gone from the record.
    let targets = state.target_region_ids.known();
    copies.retain(|r, c| c.status != MISSING || targets.is_some_and(|t| targets_region(t, r)));
    state.image_id = Attr::Known(image_id);
    state.copies = Attr::Known(copies);
    Ok(Refreshed::Present(state, Some(image_type)))
}

/// The object an import of `app_id` in `region` finds, and its ImageType: its regions are
/// those holding a ready or pending copy, so a generated configuration lists them and the next
/// plan is empty.
///
/// # Errors
/// No such application in `region`, or a read that failed.
pub async fn import<A: ImagesApi + ?Sized>(
    api: &A,
    app_id: &str,
    region: &str,
    cancel: &CancellationToken,
) -> Result<(AppSyncModel, String), Diagnostic> {
    let opts = read_options(cancel.clone());
    let image = match api.find_app(region, app_id, &opts).await {
        Ok(Some(image)) => image,
        Ok(None) => {
            return Err(Diagnostic::error(
                "Application not found",
                format!(
                    "ListImages does not list an application {app_id:?} in {region}: check the \
                    id and the provider's region.{}",
                    image_id_hint(app_id)
                ),
            ))
        }
        Err(err) => return Err(read_failed(&err, "ListImages", app_id, region)),
    };
    let detail = api
        .get_image(
            region,
            &by_id(&image.image_id, Some(&image.image_type)),
            &opts,
        )
        .await
        .map_err(|err| read_failed(&err, "GetImage", app_id, region))?;
    let copies = copies_of(&detail);
    let live = live_regions(&copies);
    let model = AppSyncModel {
        app_id: Attr::Known(app_id.to_string()),
        target_region_ids: if live.is_empty() {
            Attr::Null
        } else {
            Attr::Known(live)
        },
        region: Attr::Known(region.to_string()),
        wait_for_copies: Attr::Null,
        request_id: Attr::Known(String::new()),
        id: Attr::Known(app_id.to_string()),
        image_id: Attr::Known(image.image_id),
        copies: Attr::Known(copies),
        copies_ready: Attr::Known(true),
        timeouts: Attr::Null,
    };
    Ok((model, image.image_type))
}

#[cfg(test)]
mod tests;
