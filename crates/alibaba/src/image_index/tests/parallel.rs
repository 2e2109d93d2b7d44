// SPDX-License-Identifier: MPL-2.0
//! The overlapping walk against the page-by-page walk it replaced: for any sequence of pages
//! (short, empty, failing, with a `TotalCount` that is right, missing, changing or lying) both
//! give the same images in the same order or the same error, and no more than
//! [`PAGES_IN_FLIGHT`] pages are ever in flight.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use super::super::*;

/// The walk as it was before pages overlapped: one page after another.
async fn sequential<F, Fut>(filter: &ListImages, fetch: F) -> Result<Vec<ImageSummary>, Error>
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
    Err(Error::Config("no end".into()))
}

/// One page of the account: how many images it has, what it says, whether it fails.
#[derive(Clone, Debug)]
struct PageSpec {
    count: usize,
    total: Option<u64>,
    page_size: Option<u64>,
    fails: bool,
}

fn page_spec() -> impl Strategy<Value = PageSpec> {
    (
        prop_oneof![4 => Just(20usize), 1 => 0usize..25],
        prop_oneof![
            2 => (0u64..200).prop_map(Some),
            1 => Just(None),
            1 => Just(Some(u64::MAX)),
        ],
        prop_oneof![3 => Just(Some(20u64)), 1 => Just(None), 1 => (1u64..30).prop_map(Some)],
        prop::bool::weighted(0.05),
    )
        .prop_map(|(count, total, page_size, fails)| PageSpec {
            count,
            total,
            page_size,
            fails,
        })
}

/// Page `n` of `specs` (an empty page without a count past their end); images are named by
/// page and position, so duplicates across pages stay distinguishable by order only.
fn answer(specs: &[PageSpec], n: u32) -> Result<ListImagesResponse, Error> {
    let Some(spec) = specs.get(n as usize - 1) else {
        return Ok(ListImagesResponse::default());
    };
    if spec.fails {
        return Err(Error::Config(format!("page {n} failed")));
    }
    Ok(ListImagesResponse {
        request_id: format!("r{n}"),
        total_count: spec.total,
        page_size: spec.page_size,
        // Every page repeats image "dup", as a listing that shifted between pages would.
        images: (0..spec.count)
            .map(|i| {
                let app = if i == 0 {
                    "dup".to_string()
                } else {
                    format!("p{n}i{i}")
                };
                ImageSummary {
                    app_id: app,
                    ..ImageSummary::default()
                }
            })
            .collect(),
        ..ListImagesResponse::default()
    })
}

type Outcome = Result<Vec<String>, String>;

fn outcome(result: Result<Vec<ImageSummary>, Error>) -> Outcome {
    result
        .map(|images| images.into_iter().map(|i| i.app_id).collect())
        .map_err(|e| e.to_string())
}

/// Runs both walks over `specs`; the overlapping one's calls and most pages in flight.
fn both(specs: &[PageSpec], filter: &ListImages) -> (Outcome, Outcome, usize, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let (calls, in_flight, most) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let overlapping = runtime.block_on(walk_pages(filter, |req| {
        calls.fetch_add(1, Ordering::SeqCst);
        let (in_flight, most) = (&in_flight, &most);
        async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Let the other pages of the batch start before this one answers.
            for _ in 0..3 {
                tokio::task::yield_now().await;
            }
            in_flight.fetch_sub(1, Ordering::SeqCst);
            answer(specs, req.page_number.unwrap_or(1))
        }
    }));
    let one_by_one = runtime.block_on(sequential(filter, |req| {
        let answer = answer(specs, req.page_number.unwrap_or(1));
        async move { answer }
    }));
    let (calls, most) = (calls.into_inner(), most.into_inner());
    (outcome(overlapping), outcome(one_by_one), calls, most)
}

proptest! {
    #[test]
    fn the_overlapping_walk_gives_the_sequential_result(
        specs in prop::collection::vec(page_spec(), 0..12),
        filter_size in prop_oneof![Just(None), Just(Some(20u32)), (1u32..25).prop_map(Some)],
    ) {
        let filter = ListImages { page_size: filter_size, ..ListImages::default() };
        let (overlapping, one_by_one, _, most) = both(&specs, &filter);
        match (&overlapping, &one_by_one) {
            // The reference's own cap error has another text; both must fail at the cap.
            (Err(e), Err(r)) if r == "no end" => prop_assert!(e.contains("did not end"), "{e}"),
            _ => prop_assert_eq!(&overlapping, &one_by_one),
        }
        prop_assert!(most <= PAGES_IN_FLIGHT, "{} pages in flight", most);
    }
}

#[test]
fn a_known_count_overlaps_the_remaining_pages_and_a_grown_count_walks_on() {
    let full = |total| PageSpec {
        count: 20,
        total: Some(total),
        page_size: Some(20),
        fails: false,
    };
    // 1000 images: page 1, then 49 pages at most PAGES_IN_FLIGHT at a time.
    let specs = vec![full(1000); 50];
    let (got, want, calls, most) = both(&specs, &ListImages::default());
    assert_eq!(got, want);
    assert_eq!(got.map(|v| v.len()), Ok(1000));
    assert_eq!((calls, most), (50, PAGES_IN_FLIGHT));
    // The count grows from 40 to 60 on page 2: the walk plans a third page from it.
    let specs = vec![full(40), full(60), full(60)];
    let (got, want, calls, _) = both(&specs, &ListImages::default());
    assert_eq!(got, want);
    assert_eq!((got.map(|v| v.len()), calls), (Ok(60), 3));
}
