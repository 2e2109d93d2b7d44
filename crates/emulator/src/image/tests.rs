// SPDX-License-Identifier: MPL-2.0
use super::*;
use time::macros::datetime;
use time::Duration;

const NOW: OffsetDateTime = datetime!(2024-05-01 08:00:00 UTC);

#[test]
fn copy_status_follows_the_clock() {
    let mut record = AppRecord::new(&AppSpec::new("ci-vm-a"), NOW);
    assert_eq!(record.image_id, ids::image_id("ci-vm-a"));
    record.start_copy("cn-beijing", NOW, Duration::seconds(3), false);
    record.start_copy("cn-shanghai", NOW, Duration::seconds(3), true);
    let status =
        |r: &AppRecord, region: &str, at| r.copies.get(region).map(|c| c.status(at).to_string());
    let later = NOW + Duration::seconds(3);
    let cases = [
        ("cn-beijing", NOW, CREATING),
        ("cn-beijing", later, AVAILABLE),
        ("cn-shanghai", NOW + Duration::seconds(2), CREATING),
        ("cn-shanghai", later, CREATE_FAILED),
    ];
    for (region, at, want) in cases {
        assert_eq!(
            status(&record, region, at).as_deref(),
            Some(want),
            "{region} {at}"
        );
    }
    assert_eq!(record.live_regions(NOW).len(), 2, "pending copies are live");
    assert_eq!(
        record.live_regions(later),
        BTreeSet::from(["cn-beijing".to_string()])
    );

    let failed_id = record.copies["cn-shanghai"].image_id.clone();
    record.start_copy("cn-shanghai", later, Duration::ZERO, false);
    assert_ne!(
        record.copies["cn-shanghai"].image_id, failed_id,
        "a new copy"
    );
    assert_eq!(record.live_regions(later).len(), 2);

    if let Some(copy) = record.copies.get_mut("cn-beijing") {
        copy.status = Some("Waiting".into());
    }
    assert_eq!(
        status(&record, "cn-beijing", later).as_deref(),
        Some("Waiting")
    );
    assert!(
        record.copies["cn-beijing"].is_live(later),
        "unknown words count as live"
    );
    if let Some(copy) = record.copies.get_mut("cn-beijing") {
        copy.status = Some(UNAVAILABLE.into());
    }
    assert!(!record.copies["cn-beijing"].is_live(later));
}
