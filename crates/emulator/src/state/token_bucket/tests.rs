// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn bucket_admits_rate_then_refills() {
    let start = Instant::now();
    let mut bucket = TokenBucket::new(2.0);
    assert_eq!(bucket.take(start), Ok(()));
    assert_eq!(bucket.take(start), Ok(()));
    assert_eq!(bucket.take(start), Err(Duration::from_millis(500)));
    assert_eq!(bucket.take(start + Duration::from_millis(500)), Ok(()));
}

#[test]
fn tiny_rate_waits_instead_of_panicking() {
    let start = Instant::now();
    let mut bucket = TokenBucket::new(1e-30);
    assert_eq!(bucket.take(start), Ok(()));
    assert_eq!(bucket.take(start), Err(Duration::MAX));
}
