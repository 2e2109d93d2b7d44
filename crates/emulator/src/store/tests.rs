// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-05-01 08:00:00 UTC);

fn specs(ids: &[&str]) -> Vec<AppSpec> {
    ids.iter().map(|id| AppSpec::new(id)).collect()
}

fn start(store: &mut AppStore, app: &str, region: &str) -> Result<Option<()>, StoreError> {
    store.update(app, |r| r.start_copy(region, NOW, Duration::ZERO, false))
}

#[test]
fn persists_across_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let mut store = AppStore::open(Some(path.clone()), &specs(&["app-1"]), NOW).expect("open");
    assert_eq!(store.get("app-1").map(|r| r.copies.len()), Some(0));
    assert!(store.get("nope").is_none());
    start(&mut store, "app-1", "cn-beijing").expect("save");
    assert_eq!(
        start(&mut store, "nope", "cn-beijing").expect("no save"),
        None
    );
    let later = NOW + Duration::hours(1);
    let reopened = AppStore::open(Some(path), &specs(&["app-1", "app-2"]), later).expect("reopen");
    assert_eq!(
        reopened.snapshot(),
        BTreeMap::from([
            ("app-1".to_string(), vec!["cn-beijing".to_string()]),
            ("app-2".to_string(), vec![]),
        ])
    );
    assert_eq!(
        reopened.get("app-1"),
        store.get("app-1"),
        "record kept whole"
    );
    let (found, _) = reopened
        .by_image_id(&crate::ids::image_id("app-2"))
        .expect("derived image id");
    assert_eq!(found, "app-2");
}

#[test]
fn first_format_loads_with_ready_copies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    std::fs::write(
        &path,
        r#"{"apps": {"app-1": ["cn-beijing", "cn-shanghai"]}}"#,
    )
    .expect("write");
    let spec = "app-1=m-given,name=solver"
        .parse::<AppSpec>()
        .expect("spec");
    let store = AppStore::open(Some(path), &[spec], NOW).expect("open");
    let record = store.get("app-1").expect("app");
    assert_eq!(record.image_id, "m-given");
    assert_eq!(record.name.as_deref(), Some("solver"));
    assert_eq!(record.live_regions(NOW).len(), 2);
    let ids: BTreeSet<&str> = record
        .copies
        .values()
        .map(|c| c.image_id.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "each copy has its own image id");
    for copy in record.copies.values() {
        assert_eq!(copy.status(NOW), crate::image::AVAILABLE);
    }
}

#[test]
fn failed_write_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A state file in a directory that does not exist: every save fails.
    let path = dir.path().join("missing").join("state.json");
    let mut store = AppStore::open(Some(path), &specs(&["app-1"]), NOW).expect("open");
    let before = store.get("app-1").cloned();
    let result = start(&mut store, "app-1", "cn-beijing");
    assert!(matches!(result, Err(StoreError::Write { .. })));
    assert_eq!(store.get("app-1").cloned(), before);
}

#[test]
fn corrupt_state_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    for text in ["not json", r#"{"apps": {"a": 3}}"#] {
        std::fs::write(&path, text).expect("write");
        assert!(
            matches!(
                AppStore::open(Some(path.clone()), &[], NOW),
                Err(StoreError::Parse { .. })
            ),
            "{text}"
        );
    }
}

#[test]
fn apps_created_at_open_take_the_injected_clock() {
    let mut store = AppStore::open(None, &specs(&["app-1", "app-2"]), NOW).expect("open");
    start(&mut store, "app-2", "cn-beijing").expect("no state file");
    let earlier = datetime!(2020-01-01 00:00:00 UTC);
    store.redate_fresh(earlier);
    assert_eq!(store.get("app-1").map(|r| r.created), Some(earlier));
    assert_eq!(
        store.get("app-2").map(|r| r.created),
        Some(NOW),
        "changed since"
    );
}
