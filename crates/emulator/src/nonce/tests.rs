// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;

#[test]
fn replay_window_and_bound() {
    let t0 = datetime!(2024-05-01 08:00:00 UTC);
    let mut store = NonceStore::new(2);
    assert!(store.check_and_insert("k", "n1", t0), "first use");
    assert!(!store.check_and_insert("k", "n1", t0), "replay");
    assert!(store.check_and_insert("other", "n1", t0), "per key");
    assert!(
        store.check_and_insert("k", "n1", t0 + NONCE_WINDOW),
        "forgotten after the window"
    );
    assert!(store.seen.len() <= 2, "bounded");
}
