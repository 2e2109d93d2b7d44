// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn persists_across_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let mut store = AppStore::open(Some(path.clone()), &["app-1".into()]).expect("open");
    assert_eq!(store.regions("app-1").map(BTreeSet::len), Some(0));
    assert_eq!(store.regions("nope"), None);
    store
        .add_regions("app-1", &["cn-beijing".into()])
        .expect("save");
    let reopened = AppStore::open(Some(path), &["app-1".into(), "app-2".into()]).expect("reopen");
    assert_eq!(
        reopened.snapshot(),
        BTreeMap::from([
            ("app-1".to_string(), vec!["cn-beijing".to_string()]),
            ("app-2".to_string(), vec![]),
        ])
    );
}

#[test]
fn failed_write_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A state file in a directory that does not exist: every save fails.
    let path = dir.path().join("missing").join("state.json");
    let mut store = AppStore::open(Some(path), &["app-1".into()]).expect("open");
    let before = store.snapshot();
    for app in ["app-1", "new-app"] {
        let result = store.add_regions(app, &["cn-beijing".into()]);
        assert!(matches!(result, Err(StoreError::Write { .. })), "{app}");
        assert_eq!(store.snapshot(), before, "{app}");
    }
}

#[test]
fn corrupt_state_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    std::fs::write(&path, "not json").expect("write");
    assert!(matches!(
        AppStore::open(Some(path), &[]),
        Err(StoreError::Parse { .. })
    ));
}
