// SPDX-License-Identifier: MPL-2.0
//! From an AppId (`ci-vm-…`, what SynchronizeApp takes) to its image (`m-…`, what GetImage
//! takes). ListImages has no filter by AppId, so the only way is to walk every page; a run
//! with a thousand resources must not walk them a thousand times. [`ImageIndex`] keeps one
//! AppId → image map per region for the life of a configured provider:
//!
//! * the first caller walks the pages; concurrent callers wait for that one pass;
//! * a miss walks them once more (the app may be newer than the map), unless a pass started
//!   after the caller did already brought fresher news; still missing means "not found";
//! * a failed pass leaves the map as it was, and the next caller tries again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::actions::{ImageSummary, ListImages, ListImagesResponse};
use crate::{ApiError, Error};

/// Pages walked at the most in one pass: a server whose pages never end gets an error, not a
/// loop. At the service's default of 20 images a page that is 20,000 images.
pub const MAX_PAGES: u32 = 1000;

/// The images of one region by AppId, shared by every caller of one client.
#[derive(Default)]
pub(crate) struct ImageIndex {
    regions: Mutex<HashMap<String, Arc<RegionIndex>>>,
}

#[derive(Default)]
struct RegionIndex {
    /// Completed passes; read without the lock to tell whether a pass ran while waiting.
    passes: AtomicU64,
    /// Held while a pass runs, so concurrent callers wait for it instead of starting theirs.
    by_app: tokio::sync::Mutex<Option<Arc<HashMap<String, ImageSummary>>>>,
}

impl ImageIndex {
    /// The image whose AppId is `app_id` in `region`, walking the pages with `walk` when
    /// needed (see the module doc); `None` when no image has that AppId.
    ///
    /// # Errors
    /// The error of the pass that was needed and failed.
    pub(crate) async fn find<W, Fut>(
        &self,
        region: &str,
        app_id: &str,
        walk: W,
    ) -> Result<Option<ImageSummary>, Error>
    where
        W: Fn() -> Fut,
        Fut: Future<Output = Result<Vec<ImageSummary>, Error>>,
    {
        let index = {
            let mut regions = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(regions.entry(region.to_string()).or_default())
        };
        let passes_before = index.passes.load(Ordering::Acquire);
        let mut by_app = index.by_app.lock().await;
        if let Some(found) = by_app.as_ref().and_then(|m| m.get(app_id)) {
            return Ok(Some(found.clone()));
        }
        let fresh = by_app.is_some() && index.passes.load(Ordering::Acquire) != passes_before;
        if !fresh {
            let images = walk().await?;
            let map = images.into_iter().map(|i| (i.app_id.clone(), i)).collect();
            *by_app = Some(Arc::new(map));
            index.passes.fetch_add(1, Ordering::Release);
        }
        Ok(by_app.as_ref().and_then(|m| m.get(app_id)).cloned())
    }
}

/// Walks every page of `filter` with `fetch` (one ListImages call each) until `TotalCount`
/// images were seen, a page comes back empty, or (without a `TotalCount`) a page is shorter
/// than its `PageSize`.
///
/// # Errors
/// A page's error, or [`MAX_PAGES`] pages without an end.
pub(crate) async fn walk_pages<F, Fut>(
    filter: &ListImages,
    fetch: F,
) -> Result<Vec<ImageSummary>, Error>
where
    F: Fn(ListImages) -> Fut,
    Fut: Future<Output = Result<ListImagesResponse, Error>>,
{
    let mut images = Vec::new();
    for page_number in 1..=MAX_PAGES {
        let page = fetch(ListImages {
            page_number: Some(page_number),
            ..filter.clone()
        })
        .await?;
        let count = page.images.len() as u64;
        images.extend(page.images);
        let short = count
            < filter
                .page_size
                .map_or(page.page_size.unwrap_or(20), u64::from);
        let done = match page.total_count {
            Some(total) => images.len() as u64 >= total,
            None => short,
        };
        if count == 0 || done {
            return Ok(images);
        }
    }
    Err(Error::from(ApiError::without_code(
        200,
        format!(
            "ListImages did not end after {MAX_PAGES} pages ({} images seen): the endpoint keeps \
             answering with more pages than its TotalCount says",
            images.len()
        ),
    )))
}

#[cfg(test)]
mod tests;
