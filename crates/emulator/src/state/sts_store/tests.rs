// SPDX-License-Identifier: MPL-2.0
use super::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use time::macros::datetime;

#[test]
fn issue_and_forget() {
    let mut rng = StdRng::seed_from_u64(3);
    let now = datetime!(2024-05-01 08:00:00 UTC);
    let mut store = StsStore::default();
    let old = store.issue(&mut rng, now, Duration::seconds(900));
    assert_eq!(old.expiration_text(), "2024-05-01T08:15:00Z");
    assert!(store.lookup(&old.access_key_id).is_some());
    let later = now + Duration::days(2);
    let new = store.issue(&mut rng, later, Duration::seconds(900));
    assert!(store.lookup(&old.access_key_id).is_none());
    assert!(store.lookup(&new.access_key_id).is_some());
    assert!(!format!("{new:?}").contains(&new.security_token));
}

#[test]
fn expiration_text_is_utc_whatever_the_clock_offset() {
    let mut rng = StdRng::seed_from_u64(3);
    let now = datetime!(2024-05-01 16:00:00 +08:00);
    let cred = StsStore::default().issue(&mut rng, now, Duration::seconds(900));
    assert_eq!(cred.expiration_text(), "2024-05-01T08:15:00Z");
}
