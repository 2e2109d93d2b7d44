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

use futures_util::StreamExt as _;

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

/// ListImages pages in flight at once in one pass, once the first page told how many there
/// are. Every page still goes through the shared rate budget, retries and the deadline; this
/// only bounds how many of one pass wait on the network together.
pub const PAGES_IN_FLIGHT: usize = 8;

/// Walks every page of `filter` with `fetch` (one ListImages call each) until `TotalCount`
/// images were seen, a page comes back empty, or (without a `TotalCount`) a page is shorter
/// than its `PageSize`.
///
/// The result is exactly the page-by-page walk's: pages are taken in order and the walk stops
/// at the same page, with the same error. Only the fetching overlaps: once a page says how
/// many images there are, the pages still needed to reach that count are fetched
/// [`PAGES_IN_FLIGHT`] at a time, in order; when the walk ends earlier (a `TotalCount` that
/// lied or shrank), the pages fetched beyond its end are dropped unread, and when it needs
/// more (a `TotalCount` that grew), the next batch is planned from the newest page.
///
/// # Errors
/// The error of the first failed page the walk reaches, or [`MAX_PAGES`] pages without an end.
pub(crate) async fn walk_pages<F, Fut>(
    filter: &ListImages,
    fetch: F,
) -> Result<Vec<ImageSummary>, Error>
where
    F: Fn(ListImages) -> Fut,
    Fut: Future<Output = Result<ListImagesResponse, Error>>,
{
    let mut walk = Walk::new(filter);
    let mut next = 1;
    while next <= MAX_PAGES {
        let last = walk.last_page_needed(next);
        let pages = futures_util::stream::iter(next..=last)
            .map(|page_number| {
                fetch(ListImages {
                    page_number: Some(page_number),
                    ..filter.clone()
                })
            })
            .buffered(PAGES_IN_FLIGHT);
        let mut pages = std::pin::pin!(pages);
        while let Some(page) = pages.next().await {
            next += 1;
            if walk.take(page?) {
                return Ok(walk.images);
            }
        }
    }
    Err(Error::from(ApiError::without_code(
        200,
        format!(
            "ListImages did not end after {MAX_PAGES} pages ({} images seen): the endpoint keeps \
             answering with more pages than its TotalCount says",
            walk.images.len()
        ),
    )))
}

/// The state of one walk: what the pages so far brought and what the newest one said.
struct Walk<'a> {
    filter: &'a ListImages,
    images: Vec<ImageSummary>,
    /// The newest page's `TotalCount`; `None` before the first page or when it had none.
    total: Option<u64>,
    /// Images a full page holds, as the newest page (or the filter) says.
    page_size: u64,
}

impl<'a> Walk<'a> {
    fn new(filter: &'a ListImages) -> Self {
        Walk {
            filter,
            images: Vec::new(),
            total: None,
            page_size: 20,
        }
    }

    /// Adds the next page in order; true when the walk ends with it.
    fn take(&mut self, page: ListImagesResponse) -> bool {
        let count = page.images.len() as u64;
        self.page_size = self
            .filter
            .page_size
            .map_or(page.page_size.unwrap_or(20), u64::from);
        self.total = page.total_count;
        self.images.extend(page.images);
        let done = match self.total {
            Some(total) => self.images.len() as u64 >= total,
            None => count < self.page_size,
        };
        count == 0 || done
    }

    /// The last page to fetch in the batch that starts at page `next`: as many pages as the
    /// newest `TotalCount` still needs, or only `next` when no count is known.
    fn last_page_needed(&self, next: u32) -> u32 {
        let Some(total) = self.total else {
            return next;
        };
        let missing = total.saturating_sub(self.images.len() as u64).max(1);
        let pages = missing.div_ceil(self.page_size.max(1));
        let last = u64::from(next).saturating_add(pages - 1);
        u32::try_from(last).map_or(MAX_PAGES, |l| l.min(MAX_PAGES))
    }
}

#[cfg(test)]
mod tests;
