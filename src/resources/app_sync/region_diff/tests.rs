// SPDX-License-Identifier: MPL-2.0
mod properties;

use super::*;

fn set(items: &[&str]) -> Attr<BTreeSet<String>> {
    Attr::Known(items.iter().map(|s| s.to_string()).collect())
}

fn regions(items: &[&str]) -> Added {
    Added::Regions(items.iter().map(|s| s.to_string()).collect())
}

fn names(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn added_and_removed_table() {
    /// (name, prior, planned, added, removed)
    type Case = (
        &'static str,
        Attr<BTreeSet<String>>,
        Attr<BTreeSet<String>>,
        Added,
        BTreeSet<String>,
    );
    let cases: Vec<Case> = vec![
        (
            "unchanged",
            set(&["cn-a", "cn-b"]),
            set(&["cn-b", "cn-a"]),
            Added::Nothing,
            names(&[]),
        ),
        (
            "one added",
            set(&["cn-a"]),
            set(&["cn-a", "cn-b"]),
            regions(&["cn-b"]),
            names(&[]),
        ),
        (
            "added sorted",
            set(&[]),
            set(&["cn-z", "ap-a-1", "cn-b"]),
            regions(&["ap-a-1", "cn-b", "cn-z"]),
            names(&[]),
        ),
        (
            "one removed",
            set(&["cn-a", "cn-b"]),
            set(&["cn-a"]),
            Added::Nothing,
            names(&["cn-b"]),
        ),
        (
            "swap",
            set(&["cn-a", "cn-b"]),
            set(&["cn-a", "cn-c"]),
            regions(&["cn-c"]),
            names(&["cn-b"]),
        ),
        (
            "null prior",
            Attr::Null,
            set(&["cn-a"]),
            regions(&["cn-a"]),
            names(&[]),
        ),
        (
            "null planned",
            set(&["cn-b", "cn-a"]),
            Attr::Null,
            Added::Nothing,
            names(&["cn-a", "cn-b"]),
        ),
        (
            "both null",
            Attr::Null,
            Attr::Null,
            Added::Nothing,
            names(&[]),
        ),
        (
            "empty planned",
            set(&["cn-a"]),
            set(&[]),
            Added::Nothing,
            names(&["cn-a"]),
        ),
        (
            "unknown planned",
            set(&["cn-a"]),
            Attr::Unknown,
            Added::Unknown,
            names(&[]),
        ),
        (
            "unknown prior",
            Attr::Unknown,
            set(&["cn-a"]),
            regions(&["cn-a"]),
            names(&[]),
        ),
        (
            "all is an addition",
            set(&["cn-a"]),
            set(&["all", "cn-a"]),
            regions(&["all"]),
            names(&[]),
        ),
        (
            "all removed",
            set(&["all"]),
            set(&["cn-a"]),
            regions(&["cn-a"]),
            names(&["all"]),
        ),
    ];
    for (name, prior, planned, want_added, want_removed) in cases {
        assert_eq!(added(&prior, &planned), want_added, "added: {name}");
        assert_eq!(removed(&prior, &planned), want_removed, "removed: {name}");
    }
}
