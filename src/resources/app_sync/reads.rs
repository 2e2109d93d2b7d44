// SPDX-License-Identifier: MPL-2.0
//! The reads of an object whose state records its image id ([`read_recorded`]), and a read
//! that failed as a diagnostic that says which application and region it was for.

use ehpc_alibaba::actions::{ImageDetail, DEFAULT_IMAGE_TYPE};
use ehpc_alibaba::{CallOptions, Error, ErrorCode};

use crate::protocol::Diagnostic;
use crate::provider::cloud::{by_id, failed, Call, ImagesApi};
use crate::value::AttributePath;

/// A read of `action` that failed, for `app_id` in `region`, as a diagnostic at `app_id`
/// (see [`failed`]).
pub fn read_failed(err: &Error, action: &str, app_id: &str, region: &str) -> Diagnostic {
    failed_reading(err, Call::read(action), app_id, region)
}

/// [`read_failed`] of a read bounded as `call` says: an apply's reads are bounded by its
/// timeout, not by the read timeout.
pub fn failed_reading(err: &Error, call: Call<'_>, app_id: &str, region: &str) -> Diagnostic {
    let call = call.about(format!("Reading application {app_id:?} in {region}"));
    failed(&call, err).at(AttributePath::attribute("app_id"))
}

/// A read of [`read_recorded`] that failed: the error and the action that answered it.
#[derive(Debug)]
pub struct ReadFailure {
    pub error: Error,
    pub action: &'static str,
}

impl ReadFailure {
    /// GetImage answered ImageNotFound for the recorded image, with the application's type.
    pub fn image_not_found(&self) -> bool {
        self.action == "GetImage" && self.error.is(ErrorCode::ImageNotFound)
    }

    /// The failure as [`read_failed`] words it.
    pub fn diagnostic(&self, app_id: &str, region: &str) -> Diagnostic {
        read_failed(&self.error, self.action, app_id, region)
    }
}

/// The recorded image `image_id` of `app_id` in `region` with its copies, and the ImageType
/// that read it. `recorded_type` is the type the object's private data recorded; without one
/// (a VM application records none), GetImage is asked with [`DEFAULT_IMAGE_TYPE`]. When
/// GetImage does not know the image as that type, the listing tells the application's type (a
/// container application whose record was lost, a state written before types were recorded,
/// an edited record) and GetImage is asked once more with it: a wrong guess costs a listing,
/// never the object. A listing that shows no other type leaves the ImageNotFound as the answer.
///
/// # Errors
/// The read that failed; [`ReadFailure::image_not_found`] when the image is not known.
pub async fn read_recorded<A: ImagesApi + ?Sized>(
    api: &A,
    region: &str,
    app_id: &str,
    image_id: &str,
    recorded_type: Option<&str>,
    opts: &CallOptions,
) -> Result<(ImageDetail, String), ReadFailure> {
    let first_type = recorded_type.unwrap_or(DEFAULT_IMAGE_TYPE);
    let get = |image_type: &str| by_id(image_id, Some(image_type));
    let not_found = match api.get_image(region, &get(first_type), opts).await {
        Ok(image) => return Ok((image, first_type.to_string())),
        Err(error) => ReadFailure {
            error,
            action: "GetImage",
        },
    };
    if !not_found.image_not_found() {
        return Err(not_found);
    }
    let listed = api
        .find_app(region, app_id, opts)
        .await
        .map_err(|error| ReadFailure {
            error,
            action: "ListImages",
        })?;
    match listed {
        Some(found) if found.image_type != first_type => {
            match api.get_image(region, &get(&found.image_type), opts).await {
                Ok(image) => Ok((image, found.image_type)),
                Err(error) => Err(ReadFailure {
                    error,
                    action: "GetImage",
                }),
            }
        }
        _ => Err(not_found),
    }
}
