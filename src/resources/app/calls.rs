// SPDX-License-Identifier: MPL-2.0
//! The API side of `ehpc_app`, over the provider's cloud seam: registering (AddImage)
//! without ever registering twice, reading the application back until ListImages lists it,
//! refreshing (GetImage) and removing it (RemoveImage).
//!
//! Registering twice is what a lost answer would cause: AddImage applied, its answer dropped,
//! the client retrying (a VM image then answers `ImageAlreadyExists`, a container image may be
//! registered again), or the apply ending without a state. So before AddImage the images that
//! could be ours are listed (a VM image by its ECS id: any listing means it is already
//! registered, which is an error with the import command; a container image by name), and
//! after a failed AddImage they are listed again: an image that was not there before, with
//! this configuration's name, version and description, is the one this apply registered, and
//! is adopted instead of failing; further ones (a container image registered again by a
//! retry) are removed again, with a warning.

use std::collections::BTreeSet;
use std::time::Duration;

use ehpc_alibaba::actions::{ImageDetail, ImageSummary};
use ehpc_alibaba::{CallOptions, Error, ErrorCode, GetImage, ListImages, RemoveImage};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::protocol::Diagnostic;
use crate::provider::cloud::{failed, AppsApi, Call, ImagesApi};
use crate::provider::read_options;
use crate::resources::app_sync::timeouts::TimeoutKind;

use super::model::{AppArgs, VM};

/// The longest pause between two ListImages calls of the read-back.
const MAX_POLL: Duration = Duration::from_secs(5);
/// How long the lookup after a failed AddImage may take when the apply's deadline has passed.
const LOOKUP_GRACE: Duration = Duration::from_secs(30);

/// The bounds of an operation's calls, and what a call that failed within them says: an apply
/// (create, delete) is bounded by its `timeouts` attribute, an import by the read timeout.
#[derive(Clone, Debug)]
pub struct Bounds {
    pub opts: CallOptions,
    /// The attribute and its value that set the deadline; `None`: the read timeout.
    timeout: Option<(TimeoutKind, Duration)>,
}

impl Bounds {
    /// The bounds of a read (an import): [`read_options`].
    pub fn read(cancel: CancellationToken) -> Self {
        Bounds {
            opts: read_options(cancel),
            timeout: None,
        }
    }

    /// `timeout` from now, the value of the `kind` attribute of `timeouts`.
    pub fn apply(kind: TimeoutKind, timeout: Duration, cancel: CancellationToken) -> Self {
        Bounds {
            opts: CallOptions {
                deadline: Some(Instant::now() + timeout),
                cancel,
            },
            timeout: Some((kind, timeout)),
        }
    }

    /// `err` of `action` as an error diagnostic that names what bounded the call.
    pub fn failed(&self, action: &str, err: &Error) -> Diagnostic {
        let call = match self.timeout {
            Some((kind, timeout)) => kind.call(action, timeout),
            None => Call::read(action),
        };
        failed(&call, err)
    }

    /// What ran out when the deadline passed, e.g. `the create timeout (10m)`.
    fn ran_out(&self) -> String {
        match self.timeout {
            Some((kind, timeout)) => format!("the {}", kind.set_to(timeout)),
            None => "the read timeout".to_string(),
        }
    }
}

/// What a registration produced: the ImageId, and warnings (duplicates it found).
#[derive(Debug)]
pub struct Registered {
    pub image_id: String,
    pub warnings: Vec<Diagnostic>,
}

/// The images listed in `region` that match `filter`.
async fn listed<A: ImagesApi + ?Sized>(
    client: &A,
    region: &str,
    filter: &ListImages,
    bounds: &Bounds,
) -> Result<Vec<ImageSummary>, Diagnostic> {
    client
        .list_images(region, filter, &bounds.opts)
        .await
        .map_err(|e| bounds.failed("ListImages", &e))
}

/// The ListImages filter for the images a registration of `args` could have made.
fn candidates(args: &AppArgs) -> ListImages {
    let mut filter = ListImages {
        image_type: Some(args.image_type.clone()),
        ..ListImages::default()
    };
    match &args.vm_image_id {
        Some(id) if args.image_type == VM => filter.image_ids = vec![id.clone()],
        _ => filter.image_names = vec![args.name.clone()],
    }
    filter
}

/// The error of a VM image already registered as `found`, with the command to import it, and
/// what to change when it is the application a `create_before_destroy` replacement replaces.
pub fn already_registered(found: &ImageSummary) -> Diagnostic {
    Diagnostic::error(
        "Application already registered",
        format!(
            "The image {} is already registered as the E-HPC Instant application {} \
             (ImageAlreadyExists): AddImage registers an image only once. To manage that \
             application with Terraform, import it: `terraform import <address> {}` (or an \
             `import` block with `id = \"{}\"`). If it is the application this resource is \
             replacing with `create_before_destroy` (new one first, old one removed after), \
             that order cannot work for a VM image: remove `create_before_destroy` from this \
             resource, so that the old application is removed before the image is registered \
             again.",
            found.image_id, found.app_id, found.image_id, found.image_id
        ),
    )
}

/// Registers `args` with AddImage, adopting the image a failed call may have registered.
///
/// # Errors
/// A VM image already registered (with the import hint), or AddImage's error when no image
/// of this apply is listed afterwards.
pub async fn register<A: ImagesApi + AppsApi + ?Sized>(
    client: &A,
    region: &str,
    args: &AppArgs,
    bounds: &Bounds,
) -> Result<Registered, Diagnostic> {
    let filter = candidates(args);
    let before = listed(client, region, &filter, bounds).await?;
    if args.image_type == VM {
        if let Some(found) = before.first() {
            return Err(already_registered(found));
        }
    }
    let known: BTreeSet<String> = before.into_iter().map(|i| i.image_id).collect();
    let err = match client
        .add_image(region, &args.add_image(), &bounds.opts)
        .await
    {
        Ok(answer) => {
            return Ok(Registered {
                image_id: answer.image_id,
                warnings: Vec::new(),
            })
        }
        Err(err) => err,
    };
    let mut lookup = bounds.clone();
    lookup.opts.deadline = Some(
        bounds
            .opts
            .deadline
            .map_or(Instant::now() + LOOKUP_GRACE, |d| {
                d.max(Instant::now() + LOOKUP_GRACE)
            }),
    );
    let after = listed(client, region, &filter, &lookup)
        .await
        .unwrap_or_default();
    let mut new: Vec<String> = after
        .into_iter()
        .filter(|i| !known.contains(&i.image_id) && same_registration(args, i))
        .map(|i| i.image_id)
        .collect();
    if new.is_empty() {
        if err.is(ErrorCode::ImageAlreadyExists) {
            let image = args.vm_image_id.as_deref().unwrap_or(&args.name);
            return Err(Diagnostic::error(
                "Application already registered",
                format!(
                    "AddImage answered ImageAlreadyExists: the image {image} is already \
                     registered as an E-HPC Instant application. Find its ImageId or AppId (for \
                     example with the ehpc_apps data source) and import it: `terraform import \
                     <address> <ImageId or AppId>`.\n\n{err}"
                ),
            ));
        }
        return Err(bounds.failed("AddImage", &err));
    }
    let image_id = new.remove(0);
    tracing::warn!(image_id, error = %err, "AddImage failed but registered the image; adopting it");
    let mut warnings = Vec::new();
    for extra in new {
        // A retry of a container image whose answer was lost registered it again: that image
        // did not exist before this apply and no configuration owns it.
        let removed = remove(client, region, &extra, &args.image_type, &lookup).await;
        let outcome = match removed {
            Ok(()) => "removed it again".to_string(),
            Err(d) => format!("could not remove it ({}); remove it by hand", d.summary),
        };
        warnings.push(Diagnostic::warning(
            "Application registered more than once",
            format!(
                "AddImage's answer was lost and its retry registered {:?} again as image \
                 {extra}; this resource manages {image_id}, and the provider {outcome}.",
                args.name
            ),
        ));
    }
    Ok(Registered { image_id, warnings })
}

/// Whether the listed `image` is what registering `args` makes (name, version, description),
/// so that an image someone else registered meanwhile is never adopted.
fn same_registration(args: &AppArgs, image: &ImageSummary) -> bool {
    let same = |ours: &Option<String>, theirs: &Option<String>| {
        ours.is_none() || theirs.is_none() || ours == theirs
    };
    image.name.as_deref().is_none_or(|n| n == args.name)
        && same(&args.version, &image.version)
        && same(&args.description, &image.description)
}

/// Lists the image `image_id` of type `image_type` until ListImages shows it (its AppId is
/// known only from there), pausing longer each time, until `bounds`' deadline or cancellation.
///
/// # Errors
/// A ListImages error, the deadline, or cancellation.
pub async fn read_back<A: ImagesApi + ?Sized>(
    client: &A,
    region: &str,
    image_id: &str,
    image_type: &str,
    bounds: &Bounds,
) -> Result<ImageSummary, Diagnostic> {
    let filter = ListImages {
        image_type: Some(image_type.to_string()),
        image_ids: vec![image_id.to_string()],
        ..ListImages::default()
    };
    let mut pause = Duration::from_millis(500);
    loop {
        let images = listed(client, region, &filter, bounds).await?;
        if let Some(found) = images.into_iter().find(|i| i.image_id == image_id) {
            return Ok(found);
        }
        let wake = Instant::now() + pause;
        if bounds.opts.deadline.is_some_and(|d| wake >= d) {
            let passed = format!("{} passed", bounds.ran_out());
            return Err(not_listed(image_id, &passed));
        }
        tokio::select! {
            () = bounds.opts.cancel.cancelled() => {
                return Err(not_listed(image_id, "the apply was interrupted"));
            }
            () = tokio::time::sleep_until(wake) => {}
        }
        pause = (pause * 2).min(MAX_POLL);
    }
}

fn not_listed(image_id: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        "Application not listed yet",
        format!(
            "AddImage registered the image {image_id}, but ListImages did not list it before \
             {why}, so its app_id is unknown. It is kept in the state (tainted): the next apply \
             removes and registers it again, or `terraform untaint` keeps it."
        ),
    )
}

/// One GetImage of `image_id`; `Ok(None)` when the service answers ImageNotFound.
///
/// # Errors
/// Any other GetImage error.
pub async fn detail<A: ImagesApi + ?Sized>(
    client: &A,
    region: &str,
    image_id: &str,
    image_type: &str,
    opts: &CallOptions,
) -> Result<Option<ImageDetail>, ehpc_alibaba::Error> {
    let action = GetImage {
        image_id: image_id.to_string(),
        image_type: Some(image_type.to_string()),
        ..GetImage::default()
    };
    match client.get_image(region, &action, opts).await {
        Ok(detail) => Ok(Some(detail)),
        Err(err) if err.is(ErrorCode::ImageNotFound) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Removes `image_id`; an image already gone counts as removed.
///
/// # Errors
/// `ImageInUse` (nothing removed) or any other RemoveImage error.
pub async fn remove<A: AppsApi + ?Sized>(
    client: &A,
    region: &str,
    image_id: &str,
    image_type: &str,
    bounds: &Bounds,
) -> Result<(), Diagnostic> {
    let action = RemoveImage {
        image_id: image_id.to_string(),
        image_type: Some(image_type.to_string()),
    };
    match client.remove_image(region, &action, &bounds.opts).await {
        Ok(_) => Ok(()),
        Err(err) if err.is(ErrorCode::ImageNotFound) => Ok(()),
        Err(err) if err.is(ErrorCode::ImageInUse) => Err(Diagnostic::error(
            "Application still in use",
            format!(
                "RemoveImage refused to remove the image {image_id} (ImageInUse): jobs still \
                 use it. Nothing was removed and the application stays in the state; run the \
                 destroy again once those jobs have finished.\n\n{err}"
            ),
        )),
        Err(err) => Err(bounds.failed("RemoveImage", &err)),
    }
}

#[cfg(test)]
mod tests;
