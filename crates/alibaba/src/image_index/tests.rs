// SPDX-License-Identifier: MPL-2.0
use std::sync::atomic::AtomicU32;

use super::*;

mod parallel;

fn image(app: &str) -> ImageSummary {
    ImageSummary {
        app_id: app.to_string(),
        image_id: format!("m-{app}"),
        image_type: "VM".to_string(),
        ..ImageSummary::default()
    }
}

fn page(apps: &[&str], total: Option<u64>) -> ListImagesResponse {
    ListImagesResponse {
        request_id: "r".to_string(),
        total_count: total,
        images: apps.iter().map(|a| image(a)).collect(),
        ..ListImagesResponse::default()
    }
}

/// Walks `pages` (page n is `pages[n-1]`, an empty page past the end), counting the calls.
async fn walk(pages: &[ListImagesResponse], calls: &AtomicU32) -> Result<Vec<String>, Error> {
    let fetch = |req: ListImages| {
        calls.fetch_add(1, Ordering::SeqCst);
        let n = req.page_number.unwrap_or(1) as usize;
        let answer = pages.get(n - 1).cloned().unwrap_or_else(|| page(&[], None));
        async move { Ok(answer) }
    };
    let images = walk_pages(&ListImages::default(), fetch).await?;
    Ok(images.into_iter().map(|i| i.app_id).collect())
}

fn twenty(prefix: &str) -> Vec<String> {
    (0..20).map(|i| format!("{prefix}{i}")).collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn pages_are_walked_until_their_end() {
    let (a, b) = (twenty("a"), twenty("b"));
    let cases: Vec<(&str, Vec<ListImagesResponse>, usize, u32)> = vec![
        (
            "total count reached on the third page",
            vec![
                page(&refs(&a), Some(43)),
                page(&refs(&b), Some(43)),
                page(&["c", "d", "e"], Some(43)),
            ],
            43,
            3,
        ),
        (
            "one short page, no total",
            vec![page(&["x", "y"], None)],
            2,
            1,
        ),
        (
            "full page without a total, then an empty one",
            vec![page(&refs(&a), None)],
            20,
            2,
        ),
        ("empty account", vec![page(&[], Some(0))], 0, 1),
        (
            "total larger than what comes: stops at the empty page",
            vec![page(&refs(&a), Some(100))],
            20,
            2,
        ),
    ];
    for (name, pages, want_images, want_calls) in cases {
        let calls = AtomicU32::new(0);
        let got = walk(&pages, &calls).await.expect(name);
        let calls = calls.load(Ordering::SeqCst);
        assert_eq!(got.len(), want_images, "{name}");
        // Pages fetched ahead of an end that came early are the only extra calls.
        let ahead = PAGES_IN_FLIGHT as u32 - 1;
        assert!(
            (want_calls..=want_calls + ahead).contains(&calls),
            "{name}: {calls} calls"
        );
    }
}

#[tokio::test]
async fn a_server_whose_pages_never_end_is_an_error_after_the_cap() {
    let calls = AtomicU32::new(0);
    let fetch = |_req: ListImages| {
        calls.fetch_add(1, Ordering::SeqCst);
        async {
            Ok(page(
                &twenty("same")
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                Some(u64::MAX),
            ))
        }
    };
    let err = walk_pages(&ListImages::default(), fetch).await.unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), MAX_PAGES);
    assert!(
        err.to_string().contains("did not end after 1000 pages"),
        "{err}"
    );
}

#[tokio::test]
async fn a_failed_page_fails_the_walk() {
    let fetch = |req: ListImages| async move {
        match req.page_number {
            Some(1) => Ok(page(
                &twenty("a").iter().map(String::as_str).collect::<Vec<_>>(),
                Some(40),
            )),
            _ => Err(Error::Config("page 2 failed".into())),
        }
    };
    let err = walk_pages(&ListImages::default(), fetch).await.unwrap_err();
    assert_eq!(err.to_string(), "page 2 failed");
}

/// An index whose passes return `apps` (changeable between passes) and are counted.
struct Account {
    apps: Mutex<Vec<&'static str>>,
    passes: AtomicU32,
    fail: Mutex<bool>,
}

impl Account {
    fn new(apps: &[&'static str]) -> Account {
        Account {
            apps: Mutex::new(apps.to_vec()),
            passes: AtomicU32::new(0),
            fail: Mutex::new(false),
        }
    }

    async fn pass(&self) -> Result<Vec<ImageSummary>, Error> {
        self.passes.fetch_add(1, Ordering::SeqCst);
        // Let other callers run while this pass is in flight.
        for _ in 0..5 {
            tokio::task::yield_now().await;
        }
        if *self.fail.lock().unwrap() {
            return Err(Error::Config("ListImages failed".into()));
        }
        Ok(self.apps.lock().unwrap().iter().map(|a| image(a)).collect())
    }

    fn passes(&self) -> u32 {
        self.passes.load(Ordering::SeqCst)
    }
}

async fn find(index: &ImageIndex, account: &Account, app: &str) -> Option<String> {
    index
        .find("cn-hangzhou", app, || account.pass())
        .await
        .expect("find")
        .map(|i| i.image_id)
}

#[tokio::test]
async fn concurrent_callers_share_one_pass() {
    let (index, account) = (ImageIndex::default(), Account::new(&["a", "b", "c"]));
    let (a, b, c, a2) = tokio::join!(
        find(&index, &account, "a"),
        find(&index, &account, "b"),
        find(&index, &account, "c"),
        find(&index, &account, "a"),
    );
    assert_eq!(
        [a, b, c, a2],
        [Some("m-a"), Some("m-b"), Some("m-c"), Some("m-a")].map(|s| s.map(str::to_string))
    );
    assert_eq!(account.passes(), 1);
    assert_eq!(find(&index, &account, "b").await.as_deref(), Some("m-b"));
    assert_eq!(account.passes(), 1, "later callers use the map");
}

#[tokio::test]
async fn a_miss_walks_once_more_then_reports_not_found() {
    let (index, account) = (ImageIndex::default(), Account::new(&["a"]));
    assert_eq!(find(&index, &account, "a").await.as_deref(), Some("m-a"));
    account.apps.lock().unwrap().push("new");
    assert_eq!(
        find(&index, &account, "new").await.as_deref(),
        Some("m-new")
    );
    assert_eq!(account.passes(), 2, "the miss refetched");
    assert_eq!(find(&index, &account, "gone").await, None);
    assert_eq!(account.passes(), 3, "one more pass, then not found");
}

#[tokio::test]
async fn callers_missing_together_share_the_refetch() {
    let (index, account) = (ImageIndex::default(), Account::new(&["a"]));
    assert_eq!(find(&index, &account, "a").await.as_deref(), Some("m-a"));
    let (x, y) = tokio::join!(find(&index, &account, "x"), find(&index, &account, "y"));
    assert_eq!((x, y), (None, None));
    assert_eq!(
        account.passes(),
        2,
        "the second caller uses the pass that ran while it waited"
    );
}

#[tokio::test]
async fn a_failed_pass_keeps_the_map_and_the_next_caller_tries_again() {
    let (index, account) = (ImageIndex::default(), Account::new(&["a"]));
    *account.fail.lock().unwrap() = true;
    assert!(index
        .find("cn-hangzhou", "a", || account.pass())
        .await
        .is_err());
    *account.fail.lock().unwrap() = false;
    assert_eq!(find(&index, &account, "a").await.as_deref(), Some("m-a"));
    assert_eq!(account.passes(), 2);
}

#[tokio::test]
async fn regions_have_their_own_maps() {
    let (index, account) = (ImageIndex::default(), Account::new(&["a"]));
    assert_eq!(find(&index, &account, "a").await.as_deref(), Some("m-a"));
    let other = index
        .find("cn-shanghai", "a", || account.pass())
        .await
        .expect("find");
    assert_eq!(other.map(|i| i.image_id).as_deref(), Some("m-a"));
    assert_eq!(account.passes(), 2);
}
