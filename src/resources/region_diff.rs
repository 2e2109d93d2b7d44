// SPDX-License-Identifier: MPL-2.0
//! The difference between the prior and planned `target_region_ids` of `ehpc_app_sync`, as pure
//! functions. SynchronizeApp can only add copies, so an update calls the API with the added
//! regions and merely warns about removed ones. A null set means "no regions"; an unknown set
//! (or one holding unknown elements, which the model decodes as unknown) "may add anything".
//! `"all"` is an ordinary element here: adding it is an addition.

use std::collections::BTreeSet;

use crate::value::Attr;

/// What an update adds to the synchronized regions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Added {
    /// Nothing new: no API call, `request_id` keeps its value.
    Nothing,
    /// These regions (sorted) are new and go into one SynchronizeApp call.
    Regions(BTreeSet<String>),
    /// Not known before apply (the planned set is unknown): plan as if something is added.
    Unknown,
}

/// Regions in `planned` but not in `prior`.
pub fn added(prior: &Attr<BTreeSet<String>>, planned: &Attr<BTreeSet<String>>) -> Added {
    let planned = match planned {
        Attr::Unknown => return Added::Unknown,
        Attr::Null => return Added::Nothing,
        Attr::Known(set) => set,
    };
    // A prior set is always known in state; should it not be, calling for every planned
    // region is safe because ImageAlreadyExists answers are handled as "already there".
    let new: BTreeSet<String> = match prior.known() {
        Some(prior) => planned.difference(prior).cloned().collect(),
        None => planned.clone(),
    };
    if new.is_empty() {
        Added::Nothing
    } else {
        Added::Regions(new)
    }
}

/// Regions in `prior` but no longer in `planned` (sorted). Empty while `planned` is unknown:
/// an unknown set may still contain every prior region, and a false warning is worse than a
/// late one (the warning shows again in the apply-time plan, once the set is known).
pub fn removed(
    prior: &Attr<BTreeSet<String>>,
    planned: &Attr<BTreeSet<String>>,
) -> BTreeSet<String> {
    let Some(prior) = prior.known() else {
        return BTreeSet::new();
    };
    match planned {
        Attr::Unknown => BTreeSet::new(),
        Attr::Null => prior.clone(),
        Attr::Known(planned) => prior.difference(planned).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
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
}

/// Properties of [`added`] and [`removed`] over random region sets (issue 8).
#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::collection::{btree_set, vec};
    use proptest::prelude::*;

    /// A small alphabet so that random sets overlap often, plus "all".
    fn region() -> impl Strategy<Value = String> {
        prop_oneof![Just("all".to_string()), "(cn|ap|us)-[a-c]{1,2}(-[1-3])?",]
    }

    fn regions() -> impl Strategy<Value = BTreeSet<String>> {
        btree_set(region(), 0..8)
    }

    /// Known, null or unknown, weighted towards known.
    fn attr() -> impl Strategy<Value = Attr<BTreeSet<String>>> {
        prop_oneof![
            6 => regions().prop_map(Attr::Known),
            1 => Just(Attr::Null),
            1 => Just(Attr::Unknown),
        ]
    }

    /// The regions `added` reports, with Nothing as the empty set (None for Unknown).
    fn added_set(a: &Added) -> Option<BTreeSet<String>> {
        match a {
            Added::Nothing => Some(BTreeSet::new()),
            Added::Regions(r) => Some(r.clone()),
            Added::Unknown => None,
        }
    }

    proptest! {
        #[test]
        fn added_and_kept_make_up_planned(prior in regions(), planned in regions()) {
            let got = added_set(&added(&Attr::Known(prior.clone()), &Attr::Known(planned.clone())))
                .unwrap_or_default();
            let kept: BTreeSet<String> = planned.intersection(&prior).cloned().collect();
            let union: BTreeSet<String> = got.union(&kept).cloned().collect();
            prop_assert_eq!(&union, &planned);
            prop_assert!(got.is_disjoint(&prior), "added {:?} overlaps prior {:?}", got, prior);
        }

        #[test]
        fn removed_is_prior_minus_planned(prior in regions(), planned in regions()) {
            let want: BTreeSet<String> = prior.difference(&planned).cloned().collect();
            prop_assert_eq!(removed(&Attr::Known(prior), &Attr::Known(planned)), want);
        }

        #[test]
        fn no_change_means_no_diff(x in attr()) {
            let is_unknown = matches!(x, Attr::Unknown);
            let a = added(&x, &x);
            if is_unknown {
                prop_assert_eq!(a, Added::Unknown);
            } else {
                prop_assert_eq!(a, Added::Nothing);
            }
            prop_assert!(removed(&x, &x).is_empty());
        }

        #[test]
        fn insensitive_to_the_order_regions_were_written(
            prior in vec(region(), 0..8),
            planned in vec(region(), 0..8),
        ) {
            let set = |v: &[String]| Attr::Known(v.iter().cloned().collect::<BTreeSet<_>>());
            let mut prior_rev = prior.clone();
            prior_rev.reverse();
            let mut planned_rev = planned.clone();
            planned_rev.reverse();
            prop_assert_eq!(
                added(&set(&prior), &set(&planned)),
                added(&set(&prior_rev), &set(&planned_rev))
            );
            prop_assert_eq!(
                removed(&set(&prior), &set(&planned)),
                removed(&set(&prior_rev), &set(&planned_rev))
            );
        }

        #[test]
        fn nulls_and_unknowns(prior in attr(), planned in regions()) {
            // A null plan adds nothing; an unknown plan may add anything but warns of nothing.
            prop_assert_eq!(added(&prior, &Attr::Null), Added::Nothing);
            prop_assert_eq!(added(&prior, &Attr::Unknown), Added::Unknown);
            prop_assert!(removed(&prior, &Attr::Unknown).is_empty());
            // A prior that is not known (null: nothing synchronized) warns of no removal.
            if !matches!(prior, Attr::Known(_)) {
                prop_assert!(removed(&prior, &Attr::Known(planned.clone())).is_empty());
                let want = if planned.is_empty() { Added::Nothing } else { Added::Regions(planned.clone()) };
                prop_assert_eq!(added(&prior, &Attr::Known(planned)), want);
            }
        }

        #[test]
        fn added_regions_are_never_empty(prior in attr(), planned in attr()) {
            // `Regions` always means "call the API", so it never carries an empty set.
            if let Added::Regions(r) = added(&prior, &planned) {
                prop_assert!(!r.is_empty());
            }
        }
    }
}
