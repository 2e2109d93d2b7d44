// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn status_words_by_class() {
    let cases = [
        ("Available", CopyStatus::Ready),
        ("AVAILABLE", CopyStatus::Ready),
        (" available ", CopyStatus::Ready),
        ("Creating", CopyStatus::Pending),
        ("Waiting", CopyStatus::Pending),
        ("Copying", CopyStatus::Pending),
        ("Synchronizing", CopyStatus::Pending),
        ("pending", CopyStatus::Pending),
        ("CreateFailed", CopyStatus::Failed),
        ("UnAvailable", CopyStatus::Failed),
        ("Failed", CopyStatus::Failed),
        ("Deprecated", CopyStatus::Unknown("Deprecated".into())),
        ("", CopyStatus::Unknown(String::new())),
        ("Availablex", CopyStatus::Unknown("Availablex".into())),
    ];
    for (word, want) in cases {
        assert_eq!(CopyStatus::classify(word), want, "{word:?}");
    }
}

#[test]
fn only_ready_and_pending_copies_are_live() {
    assert!(CopyStatus::Ready.is_live() && CopyStatus::Pending.is_live());
    assert!(!CopyStatus::Failed.is_live());
    assert!(!CopyStatus::Unknown("Deprecated".into()).is_live());
}
